"""The one error type convviz raises for bad arguments (the lowest layer: imports nothing)."""


class ConvSpecError(ValueError):
    """An argument breaks a rule of ``nn.ConvTranspose1d``.

    The message names the argument, the value, the rule and what to change, in one sentence.
    """
