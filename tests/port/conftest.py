"""The frameworks' own layers are the oracles here: Keras runs on JAX (set before anything imports keras), and
each module prints how many layer configurations it reproduced and how many convviz refused, and why."""
import os

os.environ["KERAS_BACKEND"] = "jax"  # keras reads it once, on first import
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from port_oracle import COUNTS  # noqa: E402  (after the environment is set)


def pytest_terminal_summary(terminalreporter):
    if not COUNTS:
        return
    terminalreporter.section("convviz.port: layer configurations checked against the real frameworks")
    for (framework, direction), counts in sorted(COUNTS.items()):
        refused = ", ".join(f"{n} {why}" for why, n in sorted(counts["refused"].items())) or "none"
        terminalreporter.write_line(f"{framework:6} {direction:8} reproduced {counts['reproduced']:4}; "
                                    f"refused {sum(counts['refused'].values()):3} ({refused})"
                                    + (f"; invalid there too: {counts['invalid']}" if counts["invalid"] else ""))
