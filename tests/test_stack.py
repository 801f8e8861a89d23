"""Stacks of layers against torch: lengths, compounded overlap (all-ones weights on all-ones input), the
endless-input counts, the published presets, the text form and the errors."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import convviz
from convviz.errors import ConvSpecError
from convviz.stack import (
    STACK_PRESETS,
    check_stack_caps,
    format_stack,
    parse_stack,
    stack_overlaps,
    stack_report,
    steady_overlaps,
)


def torch_stack(x: torch.Tensor, layers: list[dict[str, int]]) -> list[torch.Tensor]:
    """The stack as torch ConvTranspose1d layers with all-ones weights (one channel, no bias): each output."""
    outs = []
    for layer in layers:
        module = torch.nn.ConvTranspose1d(1, 1, bias=False, dtype=torch.float64, **layer)
        torch.nn.init.ones_(module.weight)
        with torch.no_grad():
            x = module(x)
        outs.append(x)
    return outs


@st.composite
def stacks(draw: st.DrawFn) -> tuple[int, list[dict[str, int]]]:
    """A random valid stack of 1–4 layers whose signals stay short."""
    length = draw(st.integers(1, 6))
    layers, current = [], length
    for _ in range(draw(st.integers(1, 4))):
        kernel, stride, dilation = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
        output_padding = draw(st.integers(0, max(stride, dilation) - 1))
        full = (current - 1) * stride + dilation * (kernel - 1) + 1 + output_padding
        padding = draw(st.integers(0, (full - 1) // 2))
        layer = {"kernel_size": kernel, "stride": stride, "padding": padding, "output_padding": output_padding,
                 "dilation": dilation}
        layer = {k: v for k, v in layer.items() if k == "kernel_size" or draw(st.booleans()) or v}  # defaults
        current = full - 2 * padding
        if current > 400:
            break
        layers.append(layer)
    if not layers:
        layers = [{"kernel_size": 2}]
    return length, layers


@given(stacks())
def test_lengths_and_overlap_match_torch(case):
    length, layers = case
    outs = torch_stack(torch.ones(1, 1, length, dtype=torch.float64), layers)
    assert convviz.stack_lengths(length, layers) == [length] + [o.shape[-1] for o in outs]
    assert convviz.stack_overlap(length, layers).tolist() == outs[-1][0, 0].long().tolist()
    assert [c.tolist() for c in stack_overlaps(length, layers)] == [o[0, 0].long().tolist() for o in outs]


@given(stacks())
def test_steady_counts_are_an_endless_input_in_torch(case):
    """Extending the input by ``margin`` ones on each side shifts layer n's positions by margin·(s1·…·sn); far
    enough out, no end reaches the original positions any more."""
    length, layers = case
    margin = sum(layer["kernel_size"] * layer.get("dilation", 1) + 2 for layer in layers)
    outs = torch_stack(torch.ones(1, 1, length + 2 * margin, dtype=torch.float64), layers)
    lengths, shift = convviz.stack_lengths(length, layers), margin
    for n, (steady, out) in enumerate(zip(steady_overlaps(length, layers), outs), start=1):
        shift *= layers[n - 1].get("stride", 1)
        assert steady.tolist() == out[0, 0, shift:shift + lengths[n]].long().tolist()


@given(stacks())
def test_report_marks_edges_and_uneven_positions(case):
    length, layers = case
    for layer in stack_report(length, layers):
        assert (layer.counts <= layer.steady).all()
        assert layer.edge.tolist() == (layer.counts < layer.steady).tolist()
        assert layer.uneven.any() == layer.verdict.startswith("checkerboard")


def test_golden_two_layer_checkerboard():
    """Distill's two-layer picture in 1-D, by hand: K3 s2 twice on two ones."""
    assert convviz.stack_overlap(2, [{"kernel_size": 3, "stride": 2}] * 2).tolist() == \
        [1, 1, 2, 1, 3, 2, 3, 1, 2, 1, 1]


@pytest.mark.parametrize("name", ["HiFi-GAN V1", "MelGAN"])
def test_published_upsamplers_give_256_samples_per_frame(name):
    """Both upsample mel frames 8·8·2·2 = 256 times, exactly (their padding is chosen for that), evenly."""
    layers = STACK_PRESETS[name]
    assert [(layer["kernel_size"], layer["stride"]) for layer in layers] == [(16, 8), (16, 8), (4, 2), (4, 2)]
    for frames in (1, 4, 16):
        outs = torch_stack(torch.ones(1, 1, frames, dtype=torch.float64), layers)
        assert convviz.stack_lengths(frames, layers)[-1] == outs[-1].shape[-1] == 256 * frames
    assert "even" in stack_report(16, layers)[-1].verdict


def test_presets_show_the_artefact_and_its_cure():
    bad = stack_report(8, STACK_PRESETS["Checkerboard ×2 ×2 (K3 s2)"])[-1]
    good = stack_report(8, STACK_PRESETS["Cure ×2 ×2 (K4 s2)"])[-1]
    assert bad.length == good.length == 32
    assert bad.uneven.any() and bad.verdict.startswith("checkerboard") and "layers 1, 2" in bad.verdict
    assert not good.uneven.any() and good.verdict.startswith("even")
    assert stack_report(8, STACK_PRESETS["Checkerboard ×3 ×2 (K4 s3)"])[-1].uneven.any()


@given(stacks())
def test_text_form_round_trips(case):
    length, layers = case
    text = format_stack(length, layers)
    again_length, again = parse_stack(text)
    assert again_length == length
    assert convviz.stack_overlap(again_length, again).tolist() == convviz.stack_overlap(length, layers).tolist()
    assert format_stack(again_length, again) == text


def test_text_form_examples():
    assert parse_stack("16/8/4,4/2/1") == (4, [{"kernel_size": 16, "stride": 8, "padding": 4},
                                               {"kernel_size": 4, "stride": 2, "padding": 1}])
    assert format_stack(3, [{"kernel_size": 3, "stride": 2, "dilation": 2}]) == "3:3/2/0/0/2"


@pytest.mark.parametrize("layers, start", [
    ([{"kernel_size": 4, "stride": 2}, {"kernel_size": 0}], "layer 2: kernel_size=0 must be positive"),
    ([{"kernel_size": 4, "stride": 2, "output_padding": 2}], "layer 1: output_padding=2 must be smaller"),
    ([{"kernel_size": 3}, {"kernel_size": 3, "padding": 9}], "layer 2: padding=9 crops the whole output"),
    ([{"kernel_size": 3}, {"kernel": 3}], "layer 2: unknown key 'kernel'"),
    ([{"kernel_size": 3}, {"stride": 3}], "layer 2: kernel_size is missing"),
    ([{"kernel_size": 3}, 7], "layer 2: 7 must be a dict of arguments"),
    ([{"kernel_size": 2.5}], "layer 1: kernel_size=2.5 must be a whole number"),
])
def test_bad_layer_names_its_number(layers, start):
    with pytest.raises(ConvSpecError) as error:
        convviz.stack_lengths(4, layers)
    assert str(error.value).startswith(start)
    assert "use" in str(error.value)  # and says what to do


@pytest.mark.parametrize("text, start", [
    ("4:16/8/4,4/x/1", "layer 2: '4/x/1' must be kernel_size/stride/padding"),
    ("4:16/8/4,", "layer 2: '' must be"),
    ("x:4/2", "stack: input length 'x' must be a whole number"),
    ("", "stack='' must be text like"),
    ("1:3/1/5", "layer 1: padding=5 crops the whole output"),
])
def test_bad_text_says_where(text, start):
    with pytest.raises(ConvSpecError) as error:
        parse_stack(text)
    assert str(error.value).startswith(start)


def test_bad_stacks():
    for layers in ([], "4/2/1", {"kernel_size": 3}):
        with pytest.raises(ConvSpecError, match="non-empty list of layers"):
            convviz.stack_lengths(4, layers)
    with pytest.raises(ConvSpecError, match="length=0 must be positive"):
        convviz.stack_overlap(0, [{"kernel_size": 3}])


def test_caps_refuse_before_counting():
    assert check_stack_caps(16, STACK_PRESETS["HiFi-GAN V1"])[-1] == 4096
    with pytest.raises(ConvSpecError, match="layer 4: its output of 4352 samples is above this server's cap of 4096"):
        check_stack_caps(17, STACK_PRESETS["HiFi-GAN V1"])
    with pytest.raises(ConvSpecError, match="9 layers, above this server's cap of 8"):
        check_stack_caps(1, [{"kernel_size": 1}] * 9)

