"""The colour stage: how a network's raw outputs become the colours a picture shows.

The one place that decides what colour a picture has, in numpy (files, figures)
and in GLSL (the window: glsl_source() generates shaders' `colour.glsl`). Each
mode reads the network's outputs (1 or 3 channels) and gives gray (1 channel)
or RGB (3), clamped to [0, 1]; 8-bit files store round(255 * v). A new colour
mode is one row of TABLE plus its tests (tests/unit/test_colour.py and tests/gl/test_colour_gl.py check numpy
against GLSL for every row).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from ..errors import GlnnError
from .palettes import CYCLIC, PALETTES


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


def _unit(raw):
    return np.clip(raw, np.float32(0.0), np.float32(1.0))


def hsv_to_rgb(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The one HSV formula (the GLSL below is its twin): (..., 1) arrays in [0, 1] -> (..., 3) RGB, computed in
    their dtype (the colour stage's float32; the regions probe's float64)."""
    one = h.dtype.type
    k = np.mod(np.array([5.0, 3.0, 1.0], h.dtype) + h * one(6.0), one(6.0))
    return v - v * s * np.clip(np.minimum(k, one(4.0) - k), one(0.0), one(1.0))


def _hsv(raw):
    """Outputs 1-3 as hue, saturation, value (each clamped to [0, 1]; hue 0 and 1 are both red)."""
    return hsv_to_rgb(*(_unit(raw[..., i])[..., None] for i in range(3)))


def _hsl(raw):
    """Outputs 1-3 as hue, saturation, lightness (each clamped to [0, 1])."""
    h, s, l = (_unit(raw[..., i])[..., None] for i in range(3))
    a = s * np.minimum(l, np.float32(1.0) - l)
    k = np.mod(np.array([0.0, 8.0, 4.0], np.float32) + h * np.float32(12.0), np.float32(12.0))
    return l - a * np.clip(np.minimum(k - np.float32(3.0), np.float32(9.0) - k), np.float32(-1.0), np.float32(1.0))


_HSV_GLSL = """vec3 u = clamp(v.rgb, 0.0, 1.0);
vec3 k = mod(vec3(5.0, 3.0, 1.0) + u.x * 6.0, 6.0);
return u.z - u.z * u.y * clamp(min(k, 4.0 - k), 0.0, 1.0);"""
_HSL_GLSL = """vec3 u = clamp(v.rgb, 0.0, 1.0);
float a = u.y * min(u.z, 1.0 - u.z);
vec3 k = mod(vec3(0.0, 8.0, 4.0) + u.x * 12.0, 12.0);
return u.z - a * clamp(min(k - 3.0, 9.0 - k), -1.0, 1.0);"""


def _palette_table(name: str) -> np.ndarray:
    hexes = PALETTES[name]
    return np.array([[int(hexes[i + j:i + j + 2], 16) for j in (0, 2, 4)] for i in range(0, len(hexes), 6)],
                    np.float32) / np.float32(255.0)


def _palette(name: str):
    table = _palette_table(name)

    def lookup(raw):
        """Output 1 through the palette: 256 entries, linearly interpolated (as the GLSL does)."""
        x = _unit(raw[..., 0]) * np.float32(255.0)
        i = np.floor(x).astype(np.int32)
        f = (x - i.astype(np.float32))[..., None]
        return table[i] * (np.float32(1.0) - f) + table[np.minimum(i + 1, 255)] * f
    return lookup


TABLE: Tuple[ColourMode, ...] = (
    ColourMode("rgb", 3, 3, lambda raw: raw, "return v.rgb;", "outputs 1-3 as red, green, blue"),
    ColourMode("gray", 1, 1, lambda raw: raw, "return v.rrr;", "output 1 as a gray level"),
    ColourMode("hsv", 3, 3, _hsv, _HSV_GLSL, "outputs 1-3 as hue, saturation, value"),
    ColourMode("hsl", 3, 3, _hsl, _HSL_GLSL, "outputs 1-3 as hue, saturation, lightness"),
    ColourMode("red", 3, 3, _keep(0), "return vec3(v.r, 0.0, 0.0);", "output 1 alone, as red"),
    ColourMode("green", 3, 3, _keep(1), "return vec3(0.0, v.g, 0.0);", "output 2 alone, as green"),
    ColourMode("blue", 3, 3, _keep(2), "return vec3(0.0, 0.0, v.b);", "output 3 alone, as blue"),
) + tuple(ColourMode(f"palette:{p}", 1, 3, _palette(p), f"return palette_{p}(v.r);",
                     f"output 1 through the {p} colour map" + (" (cyclic)" if p in CYCLIC else ""))
          for p in PALETTES)
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


BAND_VALUES = 1 << 22   # raw values through the colour stage at a time: its float32 temporaries stay at 16 MB each


def to_uint8(raw: np.ndarray, name: Optional[str] = None) -> np.ndarray:
    """Displayed colours as 8-bit: round(255 * v). Bands of rows at a time, in place: memory is the 8-bit result
    and one band's temporaries, not four float copies of the whole picture."""
    mode = mode_for(raw.shape[-1], name)
    if raw.ndim < 2:
        return np.rint(apply(raw, name) * np.float32(255.0)).astype(np.uint8)
    out = np.empty(raw.shape[:-1] + (mode.outputs,), np.uint8)
    rows = max(1, BAND_VALUES // max(1, raw[:1].size))
    for r in range(0, raw.shape[0], rows):
        band = apply(raw[r:r + rows], name)   # a fresh array (clip copies): worked on in place
        np.multiply(band, np.float32(255.0), out=band)
        out[r:r + rows] = np.rint(band, out=band)
    return out


def _ident(name: str) -> str:
    return name.replace(":", "_").upper()


def glsl_source(only: Optional[str] = None) -> str:
    """shaders' `colour.glsl`, generated: COLOUR_* ids and display_colour(raw, mode) -> clamped RGB.
    only: one mode's code alone (the web exports, which fix the mode: no unused palette tables)."""
    modes = TABLE if only is None else (BY_NAME[only],)
    lines = ["// Generated from glnn/model/colour.py's table (do not edit): COLOUR_* ids and display_colour(v, mode)."]
    lines += [f"#define COLOUR_{_ident(m.name)} {IDS[m.name]}" for m in modes]
    for p in PALETTES:
        if only is not None and only != f"palette:{p}":
            continue
        t = _palette_table(p)
        entries = ",".join(f"vec3({r!r},{g!r},{b!r})" for r, g, b in t.astype(float).round(7).tolist())
        lines += [f"const vec3 PALETTE_{p.upper()}[256] = vec3[256]({entries});",
                  f"vec3 palette_{p}(float x) {{",
                  "    x = clamp(x, 0.0, 1.0) * 255.0;",
                  "    int i = int(floor(x));",
                  f"    return mix(PALETTE_{p.upper()}[i], PALETTE_{p.upper()}[min(i + 1, 255)], x - float(i));", "}"]
    for m in modes:
        body = "\n".join("    " + line for line in m.glsl.splitlines())
        lines += [f"vec3 colour_{_ident(m.name).lower()}(vec4 v) {{", body, "}"]
    lines.append("vec3 display_colour(vec4 v, int mode) {")
    lines += [f"    if (mode == COLOUR_{_ident(m.name)}) return clamp(colour_{_ident(m.name).lower()}(v), 0.0, 1.0);"
              for m in modes]
    lines += ["    return vec3(1.0, 0.0, 1.0);   // an unknown mode shows magenta", "}"]
    return "\n".join(lines) + "\n"
