"""The quiz's "length" and "value" questions go through the same diagnosis: a wrong answer made by the teacher's
formula or by torch names its mistake, and the verdict gives the right answer."""
from __future__ import annotations

from answer_cases import ARGS, LENGTH_FORMULAS, VALUE_NAMES, torch_mistake

from convviz import quiz


def test_the_quiz_names_the_mistake_behind_wrong_values_and_lengths() -> None:
    named = {"value": 0, "length": 0}
    for seed in range(40):
        for kind in ("value", "length"):
            q = quiz.make_question(seed, kind)
            s = q.settings
            assert quiz.check(q, f"{q.answer}") == (True, f"Right: the answer is {q.answer:g}.")
            if kind == "length":
                args = (s["length"], s["kernel_size"], s["stride"], s["padding"], s["output_padding"], s["dilation"])
                for name, formula in LENGTH_FORMULAS.items():
                    if formula(*args) != q.answer:
                        right, verdict = quiz.check(q, str(formula(*args)))
                        assert not right and name in verdict and verdict.endswith(f"The answer is {q.answer}.")
                        named["length"] += 1
                continue
            t = quiz.question_trace(q)
            case = {"x": t.input[0], "w": t.weight, "b": t.bias, "batch": 0, **{k: s[k] for k in ARGS}}
            channel, index = q.target
            for name in VALUE_NAMES:
                wrong = torch_mistake(case, name)
                if wrong is None or wrong.shape[1] <= index or abs(wrong[channel, index] - q.answer) < 1e-3:
                    continue
                right, verdict = quiz.check(q, f"{wrong[channel, index]:g}")
                assert not right and (f"known mistake {name}" in verdict or f"{name}: " in verdict), (seed, verdict)
                named["value"] += 1
    assert named["value"] >= 30 and named["length"] >= 60, named


def test_unreadable_quiz_answers_say_what_to_type() -> None:
    right, verdict = quiz.check(quiz.make_question(0, "value"), "twelve")
    assert not right and verdict.startswith("Type one number") and "cannot read 'twelve'" in verdict
