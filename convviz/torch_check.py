"""The side-by-side check against PyTorch: the only module that imports torch, and only when asked."""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import numpy as np

from .spec import ConvSpec
from .values import format_values

INSTALL_HINT = "pip install torch==2.13.0  (or: pip install 'convviz[torch]')"


def load_torch() -> ModuleType | None:
    """The torch module, or None when it is not installed (convviz works fully without it)."""
    try:
        return importlib.import_module("torch")
    except ImportError:
        return None


def run_torch(spec: ConvSpec, input: np.ndarray, weight: np.ndarray, bias: np.ndarray | None,
              output_size: int | None = None) -> np.ndarray:
    """``torch.nn.ConvTranspose1d`` with these exact arguments, weight and bias, on ``input``.

    Shape: input ``(C_in, L)`` or ``(N, C_in, L)`` → the module's output as a NumPy array.
    """
    torch = load_torch()
    if torch is None:
        raise ImportError(f"PyTorch is not installed; {INSTALL_HINT}")
    kwargs = {k: v for k, v in spec.as_kwargs().items() if k != "dtype"}
    module = torch.nn.ConvTranspose1d(**kwargs, dtype=getattr(torch, spec.dtype))
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(np.ascontiguousarray(weight)))
        if module.bias is not None and bias is not None:
            module.bias.copy_(torch.from_numpy(np.ascontiguousarray(bias)))
        out = module(torch.from_numpy(np.ascontiguousarray(input)),
                     output_size=None if output_size is None else [output_size])
    return out.numpy()


def pytorch_snippet(spec: ConvSpec, input: np.ndarray, seed: int | None, output_size: int | None = None,
                    weight: np.ndarray | None = None, bias: np.ndarray | None = None) -> str:
    """Python that reproduces this configuration in PyTorch: seeded weights (``seed``) or the given ones."""
    digits = 9 if spec.dtype in ("float32", "complex64") else 17  # enough to round-trip every value
    kwargs = [f"{k}={v!r}" for k, v in spec.as_kwargs().items() if k != "dtype"]
    args = ",\n                       ".join(", ".join(kwargs[i:i + 3]) for i in range(0, len(kwargs), 3))
    lines = ["import torch", "from torch import nn", ""]
    if seed is not None:
        lines.append(f"torch.manual_seed({seed})")
    lines.append(f"m = nn.ConvTranspose1d({args},\n                       dtype=torch.{spec.dtype})")
    if weight is not None:
        lines += ["with torch.no_grad():",
                  f"    m.weight.copy_(torch.tensor({format_values(weight, digits)}, dtype=torch.{spec.dtype}))"]
        if bias is not None:
            lines.append(f"    m.bias.copy_(torch.tensor({format_values(bias, digits)}, dtype=torch.{spec.dtype}))")
    lines.append(f"x = torch.tensor({format_values(input, digits)}, dtype=torch.{spec.dtype})")
    lines.append("y = m(x)" if output_size is None else f"y = m(x, output_size=[{output_size}])")
    lines.append("print(y)")
    return "\n".join(lines)


def compare(ours: np.ndarray, theirs: np.ndarray) -> dict[str, Any]:
    """Max absolute error and whether the two outputs are bit-identical."""
    same_shape = ours.shape == theirs.shape
    return {"same_shape": same_shape,
            "max_abs_error": float(np.max(np.abs(ours - theirs))) if same_shape and ours.size else 0.0,
            "bit_identical": same_shape and ours.dtype == theirs.dtype and ours.tobytes() == theirs.tobytes()}


def conv1d_input_gradient(spec: ConvSpec, input: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """torch autograd's gradient of ``conv1d(a, weight)`` with respect to ``a``, for the upstream gradient
    ``input``: the transposed convolution of ``input`` (without bias), computed by backpropagation.

    ``a`` has the transposed convolution's output shape ``(C_out, L_out)`` (its value does not matter: conv1d is
    linear). The upstream gradient is ``input``, zero-padded when Conv1d's output is longer (``output_padding >=
    stride``). For complex dtypes torch returns the conjugate-transpose product, so the conjugates are taken on the
    way in and out, leaving the plain transpose.

    Shape: input ``(C_in, L)`` or ``(N, C_in, L)`` → ``(C_out, L_out)`` or ``(N, C_out, L_out)``.
    """
    torch = load_torch()
    if torch is None:
        raise ImportError(f"PyTorch is not installed; {INSTALL_HINT}")
    x = input if input.ndim == 3 else input[None]  # (N, C_in, L)
    shape = (x.shape[0], spec.out_channels, spec.output_length(x.shape[2]))
    a = torch.zeros(shape, dtype=getattr(torch, spec.dtype), requires_grad=True)  # (N, C_out, L_out)
    y = torch.nn.functional.conv1d(a, torch.from_numpy(np.ascontiguousarray(weight)), None, spec.stride,
                                   spec.padding, spec.dilation, spec.groups)  # (N, C_in, L or L + 1)
    upstream = np.zeros(tuple(y.shape), dtype=x.dtype)
    upstream[..., :x.shape[2]] = np.conj(x) if np.iscomplexobj(x) else x
    y.backward(torch.from_numpy(upstream))
    grad = a.grad.numpy()
    grad = np.conj(grad) if np.iscomplexobj(grad) else grad
    return grad if input.ndim == 3 else grad[0]
