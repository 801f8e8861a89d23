"""``ConvTranspose1d``: torch's attributes, repr, forward (with output_size), dtype and device arguments."""
import numpy as np
import pytest

from convviz import ConvTranspose1d

CONFIGS = [
    dict(in_channels=1, out_channels=3, kernel_size=1),
    dict(in_channels=2, out_channels=3, kernel_size=3, stride=2),
    dict(in_channels=2, out_channels=4, kernel_size=3, stride=2, padding=1, output_padding=1),
    dict(in_channels=4, out_channels=6, kernel_size=5, groups=2),
    dict(in_channels=3, out_channels=3, kernel_size=2, dilation=2, bias=False),
    dict(in_channels=2, out_channels=2, kernel_size=4, stride=3, padding=2, output_padding=2, groups=2,
         bias=False, dilation=3),
    dict(in_channels=6, out_channels=3, kernel_size=1, padding=0, output_padding=0, dilation=1, groups=3),
    dict(in_channels=1, out_channels=1, kernel_size=(3,), stride=(2,), padding=(1,), dilation=(1,)),
    dict(in_channels=1, out_channels=1, kernel_size=[2], stride=[2], output_padding=[1]),
    dict(in_channels=8, out_channels=4, kernel_size=7, stride=4, padding=3, output_padding=3, groups=4),
    dict(in_channels=1, out_channels=3, kernel_size=1, stride=1, padding=0, output_padding=0, groups=1,
         bias=True, dilation=1, padding_mode="zeros"),
    dict(in_channels=2, out_channels=2, kernel_size=3, stride=1, output_padding=1, dilation=2),
]


def torch_twin(torch, config, ours=None):
    module = torch.nn.ConvTranspose1d(**config, dtype=None if ours is None else getattr(torch, str(ours.weight.dtype)))
    if ours is not None:
        with torch.no_grad():
            module.weight.copy_(torch.from_numpy(ours.weight))
            if ours.bias is not None:
                module.bias.copy_(torch.from_numpy(ours.bias))
    return module


@pytest.mark.parametrize("config", CONFIGS)
def test_repr_is_torchs(config):
    torch = pytest.importorskip("torch")
    assert repr(ConvTranspose1d(**config)) == repr(torch.nn.ConvTranspose1d(**config))


@pytest.mark.parametrize("config", CONFIGS)
def test_attributes_are_named_and_shaped_like_torchs(config):
    torch = pytest.importorskip("torch")
    ours, theirs = ConvTranspose1d(**config), torch.nn.ConvTranspose1d(**config)
    for name in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups",
                 "dilation", "padding_mode"):
        assert getattr(ours, name) == getattr(theirs, name), name
        assert type(getattr(ours, name)) is type(getattr(theirs, name)), name
    assert ours.weight.shape == tuple(theirs.weight.shape)
    assert (ours.bias is None) == (theirs.bias is None)
    if ours.bias is not None:
        assert ours.bias.shape == tuple(theirs.bias.shape)
    assert ours.weight.dtype == np.float32


def test_attributes_by_hand():
    m = ConvTranspose1d(4, 6, 3, stride=2, padding=1, groups=2)
    assert (m.kernel_size, m.stride, m.padding, m.output_padding, m.dilation) == ((3,), (2,), (1,), (0,), (1,))
    assert m.weight.shape == (4, 3, 3)  # (in_channels, out_channels // groups, kernel_size)
    assert m.bias is not None and m.bias.shape == (6,)
    assert ConvTranspose1d(4, 6, 3, bias=False).bias is None


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("batched", [True, False])
def test_forward_matches_torch(config, batched):
    torch = pytest.importorskip("torch")
    ours = ConvTranspose1d(**config, seed=3)
    theirs = torch_twin(torch, config, ours)
    x = np.random.default_rng(0).standard_normal((2, ours.in_channels, 5)[0 if batched else 1:]).astype("float32")
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    y = ours(x)
    assert y.shape == expected.shape and y.dtype == expected.dtype
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("config", [c for c in CONFIGS if max(np.ravel(c.get("stride", 1))) > 1])
def test_forward_with_every_output_size(config):
    torch = pytest.importorskip("torch")
    ours = ConvTranspose1d(**config, seed=5)
    theirs = torch_twin(torch, config, ours)
    x = np.random.default_rng(1).standard_normal((1, ours.in_channels, 4)).astype("float32")
    low = ours.spec.output_size_range(4)[0]
    for size in range(low, low + ours.stride[0]):
        for form in ([size], (size,), (1, ours.out_channels, size), size):
            y = ours(x, output_size=form)
            assert y.shape == (1, ours.out_channels, size)
        with torch.no_grad():
            expected = theirs(torch.from_numpy(x), output_size=[size]).numpy()
        np.testing.assert_allclose(ours(x, output_size=[size]), expected, rtol=1e-5, atol=1e-6)


def test_output_size_overrides_the_modules_output_padding():
    # torch ignores output_padding when output_size is given; so do we
    m = ConvTranspose1d(1, 1, 3, stride=2, output_padding=1, bias=False, seed=0)
    x = np.ones((1, 1, 2), np.float32)
    assert m(x).shape == (1, 1, 6)
    assert m(x, output_size=[5]).shape == (1, 1, 5)


def test_forward_takes_a_nested_list():
    m = ConvTranspose1d(1, 1, 3, stride=2, bias=False)
    m.weight = np.array([[[1.0, 10.0, 100.0]]], np.float32)
    assert m([[1, 2]]).tolist() == [[1, 10, 102, 20, 200]]  # unbatched (C_in, L) → (C_out, L_out)
    assert m([[[1, 2]]]).tolist() == [[[1, 10, 102, 20, 200]]]


@pytest.mark.parametrize("device", [None, "cpu"])
def test_cpu_device_is_accepted(device):
    assert ConvTranspose1d(1, 1, 1, device=device).weight.shape == (1, 1, 1)


def test_torch_cpu_device_is_accepted():
    torch = pytest.importorskip("torch")
    assert ConvTranspose1d(1, 1, 1, device=torch.device("cpu")).weight.shape == (1, 1, 1)


def test_cuda_is_rejected():
    from convviz import ConvSpecError
    with pytest.raises(ConvSpecError, match="device='cuda'.*use device='cpu'"):
        ConvTranspose1d(1, 1, 1, device="cuda")


@pytest.mark.parametrize("dtype, expected", [
    (None, "float32"), ("float32", "float32"), ("float64", "float64"), ("complex64", "complex64"),
    ("complex128", "complex128"), (np.float64, "float64"), (np.dtype("complex64"), "complex64"),
    ("torch.float64", "float64"), ("double", "float64"), ("float", "float32"), ("cfloat", "complex64"),
    ("cdouble", "complex128"),
])
def test_dtype_names(dtype, expected):
    m = ConvTranspose1d(2, 2, 3, dtype=dtype, seed=0)
    assert m.weight.dtype == expected and m.bias is not None and m.bias.dtype == expected
    assert m(np.ones((2, 4), dtype=expected)).dtype == expected


def test_torch_dtypes_are_accepted():
    torch = pytest.importorskip("torch")
    for dtype in (torch.float32, torch.float64, torch.complex64, torch.complex128):
        assert ConvTranspose1d(1, 1, 1, dtype=dtype).weight.dtype == str(dtype).removeprefix("torch.")


def test_unseeded_modules_differ_and_stay_in_bounds():
    a, b = ConvTranspose1d(4, 4, 3), ConvTranspose1d(4, 4, 3)
    assert not np.array_equal(a.weight, b.weight)
    bound = 1 / np.sqrt(4 * 3)  # kaiming_uniform(a=√5) and the bias both give 1/sqrt(fan_in) here
    assert np.abs(a.weight).max() <= bound and np.abs(a.bias).max() <= bound
