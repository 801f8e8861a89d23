"""Output length and the valid ``output_size`` range: by hand, and against torch's module."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvSpecError, output_length, output_size_range
from convviz.shapes import full_length


@pytest.mark.parametrize("args, kwargs, expected", [
    # (L-1)·stride - 2·padding + dilation·(K-1) + output_padding + 1
    ((2, 3), dict(stride=2), 5),                              # 1·2 + 2 + 1 = 5: [1, 10, 102, 20, 200]
    ((6, 3), dict(stride=2), 13),                             # 5·2 + 2 + 1
    ((6, 3), dict(stride=2, padding=1, output_padding=1), 12),  # 10 - 2 + 2 + 1 + 1
    ((4, 3), dict(dilation=2), 8),                            # 3 + 2·2 + 1
    ((1, 1), {}, 1),                                          # one sample, one tap
    ((8, 1), {}, 8),                                          # kernel 1, stride 1: same length
    ((3, 4), dict(stride=4), 12),                             # K = stride: the output tiles exactly, 3·4
    ((8, 3), dict(padding=2), 6),                             # 7 - 4 + 2 + 1
    ((8, 3), dict(padding=6), -2),                            # padding crops everything: below 1
])
def test_output_length_by_hand(args, kwargs, expected):
    assert output_length(*args, **kwargs) == expected


def test_full_length_by_hand():
    # full buffer before the crop: (L-1)·stride + dilation·(K-1) + 1 + output_padding
    assert full_length(2, 3, stride=2) == 5
    assert full_length(6, 3, stride=2, output_padding=1) == 14
    assert full_length(4, 3, dilation=2) == 8
    assert full_length(6, 3, stride=2, output_padding=1) - 2 * 1 == output_length(6, 3, 2, 1, 1)


@pytest.mark.parametrize("args, kwargs, expected", [
    ((6, 3), dict(stride=2, padding=1), (11, 12)),  # smallest 10 - 2 + 2 + 1 = 11; up to stride - 1 more
    ((6, 3), {}, (8, 8)),                           # stride 1: exactly one size
    ((5, 4), dict(stride=4), (20, 23)),             # 16 + 3 + 1 = 20, plus 0..3
    ((1, 1), dict(stride=3, padding=1), (1, 1)),    # smallest is -1 (below 1): only 1 = -1 + 2 is valid
])
def test_output_size_range_by_hand(args, kwargs, expected):
    assert output_size_range(*args, **kwargs) == expected


def test_output_size_range_with_no_valid_size_names_the_fix():
    # smallest (8-1) - 2·6 + 2 + 1 = -2, largest -2 + 0 = -2: no size works
    with pytest.raises(ConvSpecError, match=r"output_size.*padding=6.*reduce padding"):
        output_size_range(8, 3, padding=6)


lengths = st.integers(1, 12)
kernels = st.integers(1, 5)
strides = st.integers(1, 4)
paddings = st.integers(0, 5)
dilations = st.integers(1, 3)


@given(lengths, kernels, strides, paddings, st.integers(0, 3), dilations)
def test_output_length_matches_torch(length, kernel_size, stride, padding, output_padding, dilation):
    torch = pytest.importorskip("torch")
    if output_padding >= max(stride, dilation):
        output_padding = 0
    expected = output_length(length, kernel_size, stride, padding, output_padding, dilation)
    x, w = torch.zeros(1, 1, length), torch.zeros(1, 1, kernel_size)
    args = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    if expected < 1:  # torch refuses an output shorter than one sample
        with pytest.raises(RuntimeError):
            torch.nn.functional.conv_transpose1d(x, w, **args)
    else:
        assert torch.nn.functional.conv_transpose1d(x, w, **args).shape[-1] == expected


def torch_accepts(torch, module, x, size: int) -> bool:
    try:
        return module(x, output_size=[size]).shape[-1] == size
    except (ValueError, RuntimeError):
        return False


@given(lengths, kernels, strides, paddings, dilations)
def test_output_size_range_matches_torch(length, kernel_size, stride, padding, dilation):
    torch = pytest.importorskip("torch")
    module = torch.nn.ConvTranspose1d(1, 1, kernel_size, stride, padding, dilation=dilation, bias=False)
    x = torch.zeros(1, 1, length)
    try:
        low, high = output_size_range(length, kernel_size, stride, padding, dilation)
    except ConvSpecError:  # no valid size at all: torch accepts none either
        assert not any(torch_accepts(torch, module, x, size) for size in range(1, stride + 2))
        return
    assert 1 <= low <= high <= low + stride - 1
    for size in range(max(low - 2, -1), high + 3):
        assert torch_accepts(torch, module, x, size) == (low <= size <= high), size
