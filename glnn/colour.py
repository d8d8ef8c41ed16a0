"""The colour stage: how a network's raw outputs become the colours a picture shows.

The one place that decides what colour a picture has, in numpy (files, figures)
and in GLSL (the window: glsl_source() generates shaders' `colour.glsl`). Each
mode reads the network's outputs (1 or 3 channels) and gives gray (1 channel)
or RGB (3), clamped to [0, 1]; 8-bit files store round(255 * v). A new colour
mode is one row of TABLE plus its tests (tests/test_colour.py checks numpy
against GLSL for every row).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from .errors import GlnnError


@dataclass(frozen=True)
class ColourMode:
    name: str
    inputs: int           # network outputs the mode reads: 1 or 3
    outputs: int          # displayed channels: 1 (gray) or 3 (RGB)
    numpy: Callable[[np.ndarray], np.ndarray]   # (H, W, inputs) -> (H, W, outputs), before clamping
    glsl: str             # statements of `vec3 colour_NAME(vec4 v)`: v holds the raw outputs, returns RGB
    description: str


def _keep(channel: int):
    def only(raw):
        out = np.zeros_like(raw)
        out[..., channel] = raw[..., channel]
        return out
    return only


TABLE: Tuple[ColourMode, ...] = (
    ColourMode("rgb", 3, 3, lambda raw: raw, "return v.rgb;", "outputs 1-3 as red, green, blue"),
    ColourMode("gray", 1, 1, lambda raw: raw, "return v.rrr;", "output 1 as a gray level"),
    ColourMode("red", 3, 3, _keep(0), "return vec3(v.r, 0.0, 0.0);", "output 1 alone, as red"),
    ColourMode("green", 3, 3, _keep(1), "return vec3(0.0, v.g, 0.0);", "output 2 alone, as green"),
    ColourMode("blue", 3, 3, _keep(2), "return vec3(0.0, 0.0, v.b);", "output 3 alone, as blue"),
)
BY_NAME: Dict[str, ColourMode] = {m.name: m for m in TABLE}
NAMES = tuple(BY_NAME)
IDS = {name: i for i, name in enumerate(NAMES)}


def mode_for(channels: int, name: Optional[str] = None) -> ColourMode:
    """The colour mode `name` (default: rgb for 3 channels, gray for 1), checked against the channels."""
    if name is None:
        name = "rgb" if channels == 3 else "gray"
    mode = BY_NAME.get(name)
    if mode is None:
        raise GlnnError(f"unknown colour mode {name!r} (choose from {', '.join(NAMES)})")
    if mode.inputs != channels:
        raise GlnnError(f"colour mode {name!r} reads {mode.inputs} output(s), the network has {channels}")
    return mode


def apply(raw: np.ndarray, name: Optional[str] = None) -> np.ndarray:
    """Raw outputs float (H, W, C) -> displayed colours float32 (H, W, 1 or 3) in [0, 1]."""
    mode = mode_for(raw.shape[-1], name)
    return np.clip(mode.numpy(np.asarray(raw, np.float32)), 0.0, 1.0).astype(np.float32, copy=False)


def to_uint8(raw: np.ndarray, name: Optional[str] = None) -> np.ndarray:
    """Displayed colours as 8-bit: round(255 * v)."""
    return np.rint(apply(raw, name) * 255.0).astype(np.uint8)


def glsl_source() -> str:
    """shaders' `colour.glsl`, generated: COLOUR_* ids and display_colour(raw, mode) -> clamped RGB."""
    lines = ["// Generated from glnn/colour.py's table (do not edit): COLOUR_* ids and display_colour(v, mode)."]
    lines += [f"#define COLOUR_{m.name.upper()} {IDS[m.name]}" for m in TABLE]
    for m in TABLE:
        lines += [f"vec3 colour_{m.name}(vec4 v) {{", f"    {m.glsl}", "}"]
    lines.append("vec3 display_colour(vec4 v, int mode) {")
    lines += [f"    if (mode == COLOUR_{m.name.upper()}) return clamp(colour_{m.name}(v), 0.0, 1.0);" for m in TABLE]
    lines += ["    return vec3(1.0, 0.0, 1.0);   // an unknown mode shows magenta", "}"]
    return "\n".join(lines) + "\n"
