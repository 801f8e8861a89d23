"""``conv_transpose1d``: the seed's examples, hand-made golden vectors, and torch as the oracle."""
import json
from importlib import resources
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convviz import ConvTranspose1d, conv_transpose1d, engine

DTYPES = ["float32", "float64", "complex64", "complex128"]
RTOL = {"float32": 1e-5, "complex64": 1e-5, "float64": 1e-12, "complex128": 1e-12}


def seed_examples() -> list[dict]:
    return json.loads(resources.files("convviz").joinpath("data/seed_examples.json").read_text())["examples"]


def decode(values, dtype: str) -> np.ndarray:
    """A stored tensor as an array: complex ones are kept as [..., 2] (real, imag) pairs."""
    array = np.asarray(values, dtype=np.float64)
    if dtype.startswith("complex"):
        array = array[..., 0] + 1j * array[..., 1]
    return array.astype(dtype)


# --- the seven examples of the seed -------------------------------------------------------------------

@pytest.mark.parametrize("example", seed_examples(), ids=lambda e: e["name"])
def test_seed_example_output_from_its_weight_and_bias(example):
    dtype = example["dtype"]
    x, w, b = (decode(example[key], dtype) for key in ("input", "weight", "bias"))
    y = conv_transpose1d(x, w, b)
    assert y.shape == tuple(example["output_shape"]) and y.dtype == dtype
    np.testing.assert_allclose(y, decode(example["output"], dtype), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("example", seed_examples(), ids=lambda e: e["name"])
def test_seed_example_from_the_seeded_module(example):
    dtype = example["dtype"]
    module = ConvTranspose1d(**example["module"], dtype=dtype, seed=example["seed"])
    assert np.array_equal(module.weight, decode(example["weight"], dtype))  # bit for bit
    assert np.array_equal(module.bias, decode(example["bias"], dtype))
    y = module(decode(example["input"], dtype))
    np.testing.assert_allclose(y, decode(example["output"], dtype), rtol=1e-6, atol=1e-6)


# --- golden vectors, by hand ------------------------------------------------------------------------

def conv(x, w, dtype="float64", **kwargs):
    return conv_transpose1d(np.array(x, dtype=dtype), np.array(w, dtype=dtype), **kwargs)


def test_stride_scatters_and_overlaps():
    # x = [1, 2], w = [1, 10, 100], stride 2: x[i] lands at 2·i + k
    #   x[0]=1 → positions 0, 1, 2: 1, 10, 100
    #   x[1]=2 → positions 2, 3, 4:          2, 20, 200
    #   sum:                        1, 10, 102, 20, 200
    assert conv([[1, 2]], [[[1, 10, 100]]], stride=2).tolist() == [[1, 10, 102, 20, 200]]


def test_stride_one_is_a_full_convolution():
    # stride 1: positions i + k.  [1, 10, 100] + [0, 2, 20, 200] = [1, 12, 120, 200]
    assert conv([[1, 2]], [[[1, 10, 100]]]).tolist() == [[1, 12, 120, 200]]


def test_padding_crops_both_ends():
    # full buffer [1, 10, 102, 20, 200]; padding=1 drops one cell at each end → [10, 102, 20]
    assert conv([[1, 2]], [[[1, 10, 100]]], stride=2, padding=1).tolist() == [[10, 102, 20]]


def test_output_padding_adds_a_cell_on_the_right():
    # full buffer grows by one zero cell on the right: [1, 10, 102, 20, 200, 0]
    assert conv([[1, 2]], [[[1, 10, 100]]], stride=2, output_padding=1).tolist() == [[1, 10, 102, 20, 200, 0]]
    # with padding=1 the crop [1 : 1 + 4] keeps the new cell's left neighbour: [10, 102, 20, 200]
    assert conv([[1, 2]], [[[1, 10, 100]]], stride=2, padding=1, output_padding=1).tolist() == [[10, 102, 20, 200]]


def test_output_size_picks_output_padding():
    # output_size 6 = the smallest size 5 + output_padding 1
    assert conv([[1, 2]], [[[1, 10, 100]]], stride=2, output_size=6).tolist() == [[1, 10, 102, 20, 200, 0]]
    assert conv([[1, 2]], [[[1, 10, 100]]], stride=2, output_size=(1, 5)).tolist() == [[1, 10, 102, 20, 200]]


def test_dilation_spreads_the_taps():
    # dilation 2, stride 1: x[i] lands at i + 2·k
    #   x[0]=1 → 0, 2, 4: 1, 10, 100
    #   x[1]=2 → 1, 3, 5: 2, 20, 200
    assert conv([[1, 2]], [[[1, 10, 100]]], dilation=2).tolist() == [[1, 2, 10, 20, 100, 200]]


def test_in_channels_are_summed_and_bias_added():
    # out = 1·[1, 2] + 10·[3, 4] + bias 0.5 = [31.5, 42.5]
    y = conv([[1, 2], [3, 4]], [[[1]], [[10]]], bias=np.array([0.5]))
    assert y.tolist() == [[31.5, 42.5]]


def test_out_channels_each_get_their_own_kernel():
    # w[0, o] = o-th kernel: out 0 = x·1, out 1 = x·[1, -1] → [1, 1, -2]
    assert conv([[1, 2]], [[[1, 0], [1, -1]]]).tolist() == [[1, 2, 0], [1, 1, -2]]


def test_groups_keep_blocks_apart():
    # groups=2, C_in=2, C_out=4: in-channel 0 feeds out-channels 0, 1 only; in-channel 1 feeds 2, 3 only
    #   w[0] = [[1], [2]] → out 0 = x0·1, out 1 = x0·2
    #   w[1] = [[10], [100]] → out 2 = x1·10, out 3 = x1·100
    y = conv([[1, 2], [3, 4]], [[[1], [2]], [[10], [100]]], groups=2)
    assert y.tolist() == [[1, 2], [2, 4], [30, 40], [300, 400]]


def test_batched_input_keeps_items_apart():
    y = conv([[[1, 2]], [[3, 4]]], [[[1, 10, 100]]], stride=2)  # (2, 1, 2) → (2, 1, 5)
    assert y.tolist() == [[[1, 10, 102, 20, 200]], [[3, 30, 304, 40, 400]]]


def test_complex_by_hand():
    # x = [1+1j, 2], w = [1j, 1], stride 1: positions i + k
    #   y0 = (1+1j)·1j             = -1 + 1j
    #   y1 = (1+1j)·1 + 2·1j       =  1 + 3j
    #   y2 = 2·1                   =  2
    y = conv([[1 + 1j, 2]], [[[1j, 1]]], dtype="complex128")
    assert y.tolist() == [[-1 + 1j, 1 + 3j, 2 + 0j]]


@pytest.mark.parametrize("dtype", DTYPES)
def test_golden_in_every_dtype(dtype):
    y = conv([[1, 2]], [[[1, 10, 100]]], dtype=dtype, stride=2, bias=np.array([1], dtype=dtype))
    assert y.dtype == dtype and y.tolist() == [[2, 11, 103, 21, 201]]


def test_tuple_and_list_arguments_equal_ints():
    x, w = np.array([[1.0, 2.0]]), np.array([[[1.0, 10.0, 100.0]]])
    ints = conv_transpose1d(x, w, None, 2, 1, 1, 1, 1)
    assert np.array_equal(conv_transpose1d(x, w, None, (2,), [1], (1,), 1, [1]), ints)
    assert np.array_equal(conv_transpose1d(x, w, None, np.int64(2), 1, 1, 1, 1), ints)


# --- both code paths, the same numbers --------------------------------------------------------------

def test_inf_and_nan_land_where_torch_puts_them():
    torch = pytest.importorskip("torch")
    w = np.array([[[1.0, 2.0, 0.0]]])
    for x in (np.array([[1.0, np.inf, 2.0]]), np.array([[1.0, np.nan, -np.inf]])):
        expected = torch.nn.functional.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(w), stride=2)
        with np.errstate(invalid="ignore"):  # inf·0 in the GEMM: torch gives the same NaN, silently
            np.testing.assert_array_equal(conv_transpose1d(x, w, stride=2), expected.numpy())


def test_zero_batch_gives_an_empty_batch_like_torch():
    # (5-1)·2 + (3-1) + 1 = 11 samples for each of no items
    y = conv_transpose1d(np.zeros((0, 2, 5)), np.ones((2, 3, 3)), np.ones(3), stride=2)
    assert y.shape == (0, 3, 11)


def test_non_contiguous_input_is_read_correctly():
    x = np.arange(24.0).reshape(2, 3, 4)
    w = np.arange(18.0).reshape(3, 2, 3)
    view = np.asfortranarray(x)[:, :, ::1]
    assert np.array_equal(conv_transpose1d(view, w, stride=2), conv_transpose1d(x, w, stride=2))
    strided = np.repeat(x, 2, axis=2)[:, :, ::2]  # every other element of a wider array
    assert np.array_equal(conv_transpose1d(strided, w, stride=2), conv_transpose1d(x, w, stride=2))


# --- torch as the oracle, over every argument ---------------------------------------------------------

def spelled(value: int, form: int):
    """The same int as torch accepts it: plain, as a 1-tuple, or as a 1-list (or a NumPy int)."""
    return [value, (value,), [value], np.int64(value)][form]


@st.composite
def configurations(draw):
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 3)), groups * draw(st.integers(1, 3))
    k, stride, dilation = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    length = draw(st.integers(1, 12))
    output_padding = draw(st.integers(0, max(stride, dilation) - 1))
    full = (length - 1) * stride + dilation * (k - 1) + 1 + output_padding
    padding = draw(st.integers(0, min(4, (full - 1) // 2)))  # keep L_out >= 1
    smallest = full - output_padding - 2 * padding
    sizes = [s for s in range(max(smallest, 1), smallest + stride)]
    output_size = draw(st.one_of(st.none(), st.sampled_from(sizes))) if sizes else None
    return dict(
        groups=groups, c_in=c_in, c_out=c_out, k=k, stride=stride, dilation=dilation, length=length,
        padding=padding, output_padding=output_padding, output_size=output_size,
        batch=draw(st.one_of(st.none(), st.integers(1, 3))),  # None: unbatched (C_in, L)
        dtype=draw(st.sampled_from(DTYPES)), bias=draw(st.booleans()),
        forms=draw(st.lists(st.integers(0, 3), min_size=6, max_size=6)), seed=draw(st.integers(0, 2**32 - 1)))


def random_array(rng, shape, dtype):
    values = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        values = values + 1j * rng.standard_normal(shape)
    return values.astype(dtype)


def torch_reference(torch, c, x, w, b):
    """torch's answer: the functional form, or the module's forward when output_size is given."""
    tx, tw = torch.from_numpy(x), torch.from_numpy(w)
    tb = None if b is None else torch.from_numpy(b)
    with torch.no_grad():
        if c["output_size"] is None:
            return torch.nn.functional.conv_transpose1d(
                tx, tw, tb, c["stride"], c["padding"], c["output_padding"], c["groups"], c["dilation"]).numpy()
        module = torch.nn.ConvTranspose1d(c["c_in"], c["c_out"], c["k"], c["stride"], c["padding"],
                                          c["output_padding"], c["groups"], b is not None, c["dilation"],
                                          dtype=tw.dtype)
        module.weight.copy_(tw)
        if tb is not None:
            module.bias.copy_(tb)
        return module(tx, output_size=[c["output_size"]]).numpy()


def check_against_torch(c):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(c["seed"])
    dtype = c["dtype"]
    shape = (c["c_in"], c["length"]) if c["batch"] is None else (c["batch"], c["c_in"], c["length"])
    x = random_array(rng, shape, dtype)
    w = random_array(rng, (c["c_in"], c["c_out"] // c["groups"], c["k"]), dtype)
    b = random_array(rng, (c["c_out"],), dtype) if c["bias"] else None
    args = [spelled(c[name], form) for name, form in
            zip(("stride", "padding", "output_padding", "groups", "dilation"), c["forms"])]
    args[3] = c["groups"]  # torch takes groups as a plain int only
    output_size = c["output_size"]
    if output_size is not None:  # L, (L,), [L] or the whole output shape, as the module's forward takes it
        output_size = [output_size, (output_size,), [output_size], (*shape[:-2], c["c_out"], output_size)][
            c["forms"][5]]
    y = conv_transpose1d(x, w, b, *args, output_size=output_size)
    expected = torch_reference(torch, c, x, w, b)
    assert y.shape == expected.shape and y.dtype == expected.dtype
    assert not any(np.shares_memory(y, a) for a in (x, w, b) if a is not None)
    # error bound: rtol on the size of the terms summed (|x|·|w| scattered, plus |b|), so cancellation
    # between terms cannot fail an otherwise exact sum; the sizes come from torch, not the engine under test
    magnitude = torch_reference(torch, c, np.abs(x).astype(np.float64), np.abs(w).astype(np.float64),
                                None if b is None else np.abs(b).astype(np.float64))
    assert np.all(np.abs(y - expected) <= RTOL[dtype] * (np.abs(expected) + magnitude))


@given(configurations())
def test_matches_torch(c):
    check_against_torch(c)


@given(configurations(), st.sampled_from([1, 7, 64, 1 << 21]))
def test_scatter_path_matches_torch(c, block):
    # the path big problems take, with blocks small enough to split the batch and the length
    with mock.patch.object(engine, "SMALL", -1), mock.patch.object(engine, "BLOCK", block):
        check_against_torch(c)


@pytest.mark.parametrize("dtype", DTYPES)
def test_medium_problem_matches_torch(dtype):
    # big enough for the scatter path with its default block, in every dtype
    c = dict(groups=2, c_in=16, c_out=8, k=4, stride=3, dilation=2, length=300, padding=2, output_padding=1,
             output_size=None, batch=3, dtype=dtype, bias=True, forms=[0] * 6, seed=7)
    check_against_torch(c)
