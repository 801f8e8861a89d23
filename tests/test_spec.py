"""Every validation rule: our ``ConvSpecError`` names the argument, the value, the rule and the fix, and torch
rejects the same input too (where it does not, the test says so)."""
import math
import re

import numpy as np
import pytest

from convviz import ConvSpec, ConvSpecError, ConvTranspose1d, conv_transpose1d

BASE = dict(in_channels=2, out_channels=3, kernel_size=3)
FIX = re.compile(r";\s*(use|give|reduce|convert|reshape|set|assign)\b")


def assert_helpful(call, *substrings: str) -> str:
    """``call()`` raises our error (a ValueError) with every substring and a '; use …'-style fix."""
    with pytest.raises(ConvSpecError) as info:
        call()
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    for text in substrings:
        assert text in message, f"{text!r} not in {message!r}"
    assert FIX.search(message), f"no fix in {message!r}"
    assert "\n" not in message
    return message


def torch_rejects(call) -> None:
    pytest.importorskip("torch")
    with pytest.raises(Exception):  # noqa: B017 - torch's exception types vary by rule
        call()


def ours_module(overrides: dict, shape=(1, 2, 8), output_size=None):
    module = ConvTranspose1d(**{**BASE, **overrides})
    return module(np.zeros(shape, dtype=module.weight.dtype), output_size=output_size)


def torch_module(overrides: dict, shape=(1, 2, 8), output_size=None):
    import torch
    module = torch.nn.ConvTranspose1d(**{**BASE, **overrides})
    return module(torch.zeros(shape, dtype=module.weight.dtype), output_size=output_size)


# (overrides of BASE, what our message must contain). torch rejects each one, in its constructor or forward.
MODULE_RULES = {
    "in_channels zero": (dict(in_channels=0), ["in_channels=0", "positive", "in_channels>=1"]),
    "in_channels negative": (dict(in_channels=-1), ["in_channels=-1", "positive", "in_channels>=1"]),
    "out_channels zero": (dict(out_channels=0), ["out_channels=0", "positive", "out_channels>=1"]),
    "out_channels negative": (dict(out_channels=-2), ["out_channels=-2", "out_channels>=1"]),
    "kernel_size zero": (dict(kernel_size=0), ["kernel_size=0", "positive", "kernel_size>=1"]),
    "kernel_size negative": (dict(kernel_size=-1), ["kernel_size=-1", "kernel_size>=1"]),
    "stride zero": (dict(stride=0), ["stride=0", "positive", "stride>=1"]),
    "stride negative": (dict(stride=-1), ["stride=-1", "stride>=1"]),
    "dilation zero": (dict(dilation=0), ["dilation=0", "positive", "dilation>=1"]),
    "padding negative": (dict(padding=-1), ["padding=-1", "zero or more", "padding>=0"]),
    "output_padding negative": (dict(output_padding=-1), ["output_padding=-1", "zero or more",
                                                          "output_padding>=0"]),
    "groups zero": (dict(groups=0), ["groups=0", "positive", "groups>=1"]),
    "groups negative": (dict(groups=-1), ["groups=-1", "groups>=1"]),
    "groups not dividing out_channels": (dict(groups=2, in_channels=2), ["groups=2", "out_channels (3)",
                                                                         "groups=1"]),
    "groups not dividing in_channels": (dict(groups=3, out_channels=3), ["groups=3", "in_channels (2)"]),
    "output_padding >= stride": (dict(stride=2, output_padding=2), [
        "output_padding=2", "stride (2)", "dilation (1)", "use output_padding <= 1"]),
    "output_padding with stride 1": (dict(output_padding=1), ["output_padding=1", "stride (1)",
                                                              "output_padding <= 0"]),
    "output_padding >= dilation too": (dict(stride=2, dilation=3, output_padding=3), [
        "output_padding=3", "dilation (3)", "output_padding <= 2"]),
    "padding_mode reflect": (dict(padding_mode="reflect"), ["padding_mode='reflect'", "padding_mode='zeros'"]),
    "padding_mode circular": (dict(padding_mode="circular"), ["padding_mode='circular'", "'zeros'"]),
    "padding_mode unknown": (dict(padding_mode="foo"), ["padding_mode='foo'", "'zeros'"]),
    "bool stride": (dict(stride=True), ["stride=True", "bool", "stride=1"]),
    "bool padding": (dict(padding=False), ["padding=False", "bool", "padding=0"]),
    "bool dilation": (dict(dilation=True), ["dilation=True", "bool"]),
    "bool output_padding": (dict(output_padding=False), ["output_padding=False", "bool"]),
    "bool groups": (dict(groups=True), ["groups=True", "bool"]),
    "bool in_channels": (dict(in_channels=True), ["in_channels=True", "bool"]),
    "bool out_channels": (dict(out_channels=True), ["out_channels=True", "bool"]),
    "bool in a tuple": (dict(stride=(True,)), ["stride=True", "bool"]),
    "float kernel_size": (dict(kernel_size=3.0), ["kernel_size=3.0", "float", "kernel_size=3"]),
    "float stride": (dict(stride=2.5), ["stride=2.5", "float", "stride=2"]),
    "float padding": (dict(padding=1.0), ["padding=1.0", "float", "padding=1"]),
    "float dilation": (dict(dilation=2.0), ["dilation=2.0", "dilation=2"]),
    "float groups": (dict(groups=1.0), ["groups=1.0", "groups=1"]),
    "float in_channels": (dict(in_channels=2.0), ["in_channels=2.0", "in_channels=2"]),
    "float out_channels": (dict(out_channels=3.0), ["out_channels=3.0", "out_channels=3"]),
    "float output_padding": (dict(stride=2, output_padding=1.0), ["output_padding=1.0", "output_padding=1"]),
    "NaN stride": (dict(stride=math.nan), ["stride=nan", "stride=1"]),
    "NaN kernel_size": (dict(kernel_size=math.nan), ["kernel_size=nan", "kernel_size=1"]),
    "NaN padding": (dict(padding=math.nan), ["padding=nan", "padding=0"]),
    "NaN groups": (dict(groups=math.nan), ["groups=nan", "groups=1"]),
    "NaN in_channels": (dict(in_channels=math.nan), ["in_channels=nan"]),
    "string stride": (dict(stride="2"), ["stride='2'", "str", "stride=2"]),
    "string padding": (dict(padding="same"), ["padding='same'", "str", "padding=0"]),
    "string kernel_size": (dict(kernel_size="3"), ["kernel_size='3'", "kernel_size=3"]),
    "string groups": (dict(groups="1"), ["groups='1'", "groups=1"]),
    "string in_channels": (dict(in_channels="2"), ["in_channels='2'", "in_channels=2"]),
    "two strides": (dict(stride=(1, 2)), ["stride=(1, 2)", "1-element", "stride=(1,)"]),
    "empty padding tuple": (dict(padding=()), ["padding=()", "1-element", "padding=(0,)"]),
}


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors is a no-op")
@pytest.mark.parametrize("overrides, substrings", MODULE_RULES.values(), ids=MODULE_RULES.keys())
def test_module_rule(overrides, substrings):
    assert_helpful(lambda: ours_module(overrides), *substrings)
    shape = (1, overrides["in_channels"], 8) if type(overrides.get("in_channels")) is int and \
        overrides["in_channels"] > 0 else (1, 2, 8)
    torch_rejects(lambda: torch_module(overrides, shape))


def test_spec_checks_the_same_rules_as_the_module():
    # ConvSpec is where the rules live: the module only forwards to it
    assert_helpful(lambda: ConvSpec(2, 3, 3, stride=2, output_padding=2), "output_padding=2", "stride (2)")
    assert_helpful(lambda: ConvSpec(2, 3, 3, dtype="int8"), "dtype='int8'", "float32")


# --- rules torch does not enforce (or enforces differently): ours only ------------------------------------

def test_bool_kernel_size():
    # torch quietly takes kernel_size=True as 1; a bool is almost certainly a slip, so we refuse it
    assert_helpful(lambda: ours_module(dict(kernel_size=True)), "kernel_size=True", "bool", "kernel_size=1")


@pytest.mark.parametrize("bias", ["yes", 0, None])
def test_non_bool_bias_flag(bias):
    # torch only asks `if bias:`; we ask for True or False
    assert_helpful(lambda: ConvTranspose1d(**BASE, bias=bias), f"bias={bias!r}", "True or False", "bias=True")


def test_numpy_bool_argument():
    x, w = np.zeros((1, 2, 8), np.float32), np.zeros((2, 3, 3), np.float32)
    assert_helpful(lambda: conv_transpose1d(x, w, stride=np.bool_(True)), "stride=", "bool", "stride=1")


@pytest.mark.parametrize("seed, substrings", [
    (2**64, ["seed", str(2**64), "range"]),  # torch.manual_seed rejects it too (ValueError)
    (True, ["seed=True", "bool"]),
    (1.5, ["seed=1.5", "float", "seed=1"]),
])
def test_bad_seed(seed, substrings):
    assert_helpful(lambda: ConvTranspose1d(**BASE, seed=seed), *substrings)


def test_negative_seeds_wrap_around_as_in_torch():
    torch = pytest.importorskip("torch")
    torch.manual_seed(-1)
    theirs = torch.nn.ConvTranspose1d(**BASE)
    ours = ConvTranspose1d(**BASE, seed=-1)
    assert ours.weight.tobytes() == theirs.weight.detach().numpy().tobytes()
    assert ours.bias.tobytes() == theirs.bias.detach().numpy().tobytes()


# --- dtype and device ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype, torch_name", [
    ("int64", "int64"), (np.int32, "int32"), ("bool", "bool"),
    ("float16", None), ("bfloat16", None),  # torch has half-precision modules; convviz has the four below
])
def test_unsupported_dtype(dtype, torch_name):
    assert_helpful(lambda: ConvTranspose1d(**BASE, dtype=dtype), "dtype=", "not supported",
                   "float32, float64, complex64, complex128")
    if torch_name is not None:  # torch: "Only Tensors of floating point and complex dtype can require gradients"
        torch = pytest.importorskip("torch")
        torch_rejects(lambda: torch.nn.ConvTranspose1d(**BASE, dtype=getattr(torch, torch_name)))


@pytest.mark.parametrize("device", ["cuda", "cuda:0", "foo"])
def test_unsupported_device(device):
    assert_helpful(lambda: ConvTranspose1d(**BASE, device=device), f"device='{device}'", "CPU", "device='cpu'")
    torch = pytest.importorskip("torch")
    if not (device.startswith("cuda") and torch.cuda.is_available()):
        torch_rejects(lambda: torch.nn.ConvTranspose1d(**BASE, device=device))


def test_meta_device():
    # torch builds meta-device modules (shapes without data); convviz computes numbers, so it says no
    assert_helpful(lambda: ConvTranspose1d(**BASE, device="meta"), "device='meta'", "device='cpu'")


# --- the forward: input, output_size -----------------------------------------------------------------

FORWARD_RULES = {
    "1-D input": (dict(), dict(shape=(8,)), ["shape (8,)", "2-D", "3-D"]),
    "4-D input": (dict(), dict(shape=(1, 1, 2, 8)), ["shape (1, 1, 2, 8)", "2-D", "3-D"]),
    "channel mismatch": (dict(), dict(shape=(1, 3, 8)), ["3 channels", "in_channels=2", "2 channels"]),
    "channel mismatch unbatched": (dict(), dict(shape=(3, 8)), ["3 channels", "in_channels=2", "dim 0"]),
    "empty input": (dict(), dict(shape=(1, 2, 0)), ["length=0", "at least 1"]),
    "padding crops everything": (dict(padding=6), dict(), [
        "padding=6", "(8-1)·1 - 2·6 + 1·(3-1) + 0 + 1 = -2", "below 1", "reduce padding"]),
    "output_size too small": (dict(), dict(output_size=[9]), ["output_size=9", "10", "output_size=10"]),
    "output_size too big": (dict(stride=2), dict(output_size=[19]), ["output_size=19", "17 to 18"]),
    "output_size bool": (dict(), dict(output_size=[True]), ["output_size=True", "bool"]),
    "output_size float": (dict(), dict(output_size=[10.0]), ["output_size=10.0", "float", "output_size=10"]),
    "output_size 3 elements, 2-D input": (dict(), dict(shape=(2, 8), output_size=[1, 3, 10]), [
        "output_size=[1, 3, 10]", "(C_out, L)"]),
    "output_size 2 elements, 3-D input": (dict(), dict(output_size=[3, 10]), [
        "output_size=[3, 10]", "(N, C_out, L)"]),
    "output_size 4 elements": (dict(), dict(output_size=[1, 2, 3, 10]), ["output_size=[1, 2, 3, 10]"]),
    "no output_size is valid": (dict(padding=6), dict(output_size=[1]), ["padding=6", "reduce padding"]),
}


@pytest.mark.parametrize("overrides, call, substrings", FORWARD_RULES.values(), ids=FORWARD_RULES.keys())
def test_forward_rule(overrides, call, substrings):
    assert_helpful(lambda: ours_module(overrides, **call), *substrings)
    torch_rejects(lambda: torch_module(overrides, **call))


def test_input_dtype_mismatch():
    module = ConvTranspose1d(**BASE)
    assert_helpful(lambda: module(np.zeros((1, 2, 8))), "input dtype float64", "weight dtype float32",
                   ".astype('float32')")
    torch = pytest.importorskip("torch")
    torch_rejects(lambda: torch.nn.ConvTranspose1d(**BASE)(torch.zeros(1, 2, 8, dtype=torch.float64)))


def test_unreadable_list_input():
    assert_helpful(lambda: ConvTranspose1d(**BASE)([[1, "a"], [2, 3]]), "input could not be read", "nested list")


def test_assigned_weight_of_the_wrong_shape():
    # torch uses whatever weight it is given (a (2, 3, 4) weight silently means kernel_size 4); we refuse
    module = ConvTranspose1d(**BASE)
    module.weight = np.zeros((2, 3, 4), np.float32)
    assert_helpful(lambda: module(np.zeros((1, 2, 8), np.float32)), "weight of shape (2, 3, 4)", "(2, 3, 3)")


# --- the functional form: weight and bias ------------------------------------------------------------

X, W = np.zeros((1, 2, 8), np.float32), np.zeros((2, 3, 3), np.float32)

FUNCTIONAL_RULES = {
    "bias of the wrong length": (lambda m: (m(X), m(W), m(np.zeros(4, np.float32))), {}, [
        "bias of shape (4,)", "(3,)", "3 values"]),
    "2-D bias": (lambda m: (m(X), m(W), m(np.zeros((3, 1), np.float32))), {}, ["bias of shape (3, 1)", "(3,)"]),
    "2-D weight": (lambda m: (m(X), m(W[0]), None), {}, ["weight of shape (3, 3)", "3-D"]),
    "empty weight axis": (lambda m: (m(X), m(W[:, :0]), None), {}, ["weight of shape (2, 0, 3)", "empty"]),
    "groups not dividing the weight": (lambda m: (m(np.zeros((1, 3, 8), np.float32)),
                                                  m(np.zeros((3, 3, 3), np.float32)), None), dict(groups=2),
                                       ["groups=2", "in_channels (3", "divides 3"]),
    "groups zero": (lambda m: (m(X), m(W), None), dict(groups=0), ["groups=0", "groups>=1"]),
    "input/weight dtypes": (lambda m: (m(X.astype(np.float64)), m(W), None), {}, [
        "input dtype float64", "weight dtype float32", ".astype('float32')"]),
    "complex input, real weight": (lambda m: (m(X.astype(np.complex64)), m(W), None), {}, [
        "input dtype complex64", "float32"]),
    "output_padding too big": (lambda m: (m(X), m(W), None), dict(stride=2, output_padding=2), [
        "output_padding=2", "stride (2)"]),
    "two-element stride": (lambda m: (m(X), m(W), None), dict(stride=(2, 2)), ["stride=(2, 2)", "1-element"]),
    "bool stride": (lambda m: (m(X), m(W), None), dict(stride=True), ["stride=True", "bool"]),
    "float stride": (lambda m: (m(X), m(W), None), dict(stride=2.0), ["stride=2.0", "stride=2"]),
    "bool groups": (lambda m: (m(X), m(W), None), dict(groups=True), ["groups=True", "bool"]),
    "padding crops everything": (lambda m: (m(X), m(W), None), dict(padding=9), ["padding=9", "below 1"]),
}


@pytest.mark.parametrize("arrays, kwargs, substrings", FUNCTIONAL_RULES.values(), ids=FUNCTIONAL_RULES.keys())
def test_functional_rule(arrays, kwargs, substrings):
    assert_helpful(lambda: conv_transpose1d(*arrays(np.asarray), **kwargs), *substrings)
    torch = pytest.importorskip("torch")
    torch_rejects(lambda: torch.nn.functional.conv_transpose1d(
        *arrays(lambda a: torch.from_numpy(np.ascontiguousarray(a))), **kwargs))


def test_functional_dtypes_torch_accepts():
    # torch convolves int64 and float16 tensors on the CPU, and takes a float64 bias with float32 input;
    # convviz keeps to the four dtypes of the product and one dtype per call
    assert_helpful(lambda: conv_transpose1d(X.astype(np.int64), W.astype(np.int64)), "weight dtype",
                   "int64", "float32")
    assert_helpful(lambda: conv_transpose1d(X.astype(np.float16), W.astype(np.float16)), "float16")
    assert_helpful(lambda: conv_transpose1d(X, W, np.zeros(3)), "bias dtype float64", ".astype('float32')")
    assert_helpful(lambda: conv_transpose1d(X.astype(np.int64), W), "input dtype int64", ".astype('float32')")


def test_errors_are_not_cached_and_bools_do_not_hit_the_int_cache():
    # spec_from_weight caches specs for plain ints: a bool or a bad value must never come back as valid
    conv_transpose1d(X, W, stride=1)
    assert_helpful(lambda: conv_transpose1d(X, W, stride=True), "stride=True")
    assert_helpful(lambda: conv_transpose1d(X, W, stride=(True,)), "stride=True")
    for _ in range(2):
        assert_helpful(lambda: conv_transpose1d(X, W, stride=0), "stride=0")


def test_output_size_with_a_negative_smallest_size_is_allowed():
    # (1-1)·3 - 2·1 + 0 + 1 = -1 is the smallest size, so output_size=1 means output_padding=2 (< stride 3):
    # torch allows it, although the module's own output_padding=0 alone would crop everything
    x, w = np.ones((1, 1), np.float32), np.full((1, 1, 1), 5.0, np.float32)
    assert conv_transpose1d(x, w, stride=3, padding=1, output_size=1).tolist() == [[0.0]]
    assert ConvTranspose1d(1, 1, 1, stride=3, padding=1, bias=False)(x, output_size=[1]).shape == (1, 1)
    torch = pytest.importorskip("torch")
    module = torch.nn.ConvTranspose1d(1, 1, 1, stride=3, padding=1, bias=False)
    assert module(torch.ones(1, 1), output_size=[1]).shape == (1, 1)
