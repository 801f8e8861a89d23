"""Port a transposed convolution between Keras, JAX, ONNX and PyTorch, with the numbers of each (NumPy only: no
framework is needed to port; the tests run every framework as the oracle).

- :func:`port` ``(framework, **layer) -> Port``: that framework's layer as one ``nn.ConvTranspose1d`` plus a
  slice; :func:`port_to` ``(framework, **torch_args) -> Port``: the other way.
- ``core`` (the window every layer keeps of the full result, the PyTorch layer for a window, ``Port``), and one
  module per framework: ``keras_layer``, ``lax``, ``onnx_op``.

A layer is refused (``ConvSpecError``, naming why and the nearest fix) only when no layer of the other side
with the same kernel, plus a slice, computes it.
"""
from __future__ import annotations

from typing import Any

from . import keras_layer, lax, onnx_op
from .core import FRAMEWORKS, Port, check_choice

MODULES = {"keras": keras_layer, "jax": lax, "onnx": onnx_op}


def port(framework: str, **layer: Any) -> Port:
    """That framework's transposed convolution as ``nn.ConvTranspose1d`` arguments plus a crop.

    Args:
        framework: ``"keras"`` (``keras.layers.Conv1DTranspose``: ``kernel_size, strides, padding,
            output_padding, dilation_rate, filters``), ``"jax"`` (``jax.lax.conv_transpose``: ``kernel_size,
            strides, padding, rhs_dilation, transpose_kernel, use_consistent_padding``) or ``"onnx"``
            (``ConvTranspose``: ``kernel_shape, strides, pads, output_padding, output_shape, dilations, auto_pad,
            group``, and ``length`` with ``output_shape``). ``in_channels`` (and ``out_channels``) only shape
            the code.

    Example::

        >>> p = port("keras", kernel_size=4, strides=1, padding="same")
        >>> p.torch, p.crop
        ({'kernel_size': 4, 'stride': 1, 'padding': 1, 'output_padding': 0, 'dilation': 1}, (0, 1))
    """
    return MODULES[check_choice("framework", framework, FRAMEWORKS, str.lower)].port(**layer)


def port_to(framework: str, **torch_args: Any) -> Port:
    """An ``nn.ConvTranspose1d`` (``kernel_size, stride, padding, output_padding, dilation, groups``,
    optionally ``in_channels, out_channels``) as that framework's layer plus a crop on its output.

    Example::

        >>> p = port_to("onnx", kernel_size=4, stride=2, padding=1)
        >>> p.args["pads"], p.crop
        ([1, 1], (0, 0))
    """
    return MODULES[check_choice("framework", framework, FRAMEWORKS, str.lower)].port_to(**torch_args)


__all__ = ["FRAMEWORKS", "Port", "port", "port_to"]
