"""The network's architecture as data: its inputs in order and its layers, each with its shape and activation.

One description, read by every evaluator: the numpy reference and the cpu backend build their input rows with
`Architecture.inputs()`, the GLSL kernels get `pixel_inputs_glsl()` and `constant_inputs()` (the input vector's
per-pixel and per-frame parts), the web pages get `features_table()` (shipped as JSON, never copied), and a saved
network's spec names the inputs and each layer's activation(s) (`spec()`), so that a reader with numpy and
docs/contract.md rebuilds the forward pass from the file alone.

Input features: each is computed from the pixel's plane coordinates (x, y) or is a constant; they come first,
in the order asked (`--features x,y,r,bias`), then the k time-driven extra inputs z_1..z_k. Adding a feature
is one row of TABLE (its numpy and GLSL forms): tests/unit/test_architecture.py adds a throwaway one.

Activations per layer: `activation` is one name (every hidden layer), a comma list (layer i takes entry
i mod the list's length), `mix` (each hidden layer draws one from the seed) or `mix-units` (every hidden unit
draws its own: a layer's activation is then a tuple, one name per unit). glnn/model/network.py draws them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple, Union

import numpy as np

from ..errors import GlnnError

MAX_INPUT_VECTOR = 16   # the shaders hold the input vector in 4 vec4s


@dataclass(frozen=True)
class Feature:
    """One input feature: its numpy form over float64 plane coordinates (x, y) -> values, or a constant; its
    GLSL expression over `vec2 xy` (None for a constant, which travels in the input uniform)."""
    name: str
    numpy: Optional[Callable[[np.ndarray, np.ndarray], np.ndarray]]
    glsl: Optional[str]
    constant: Optional[float] = None
    description: str = ""
    # Along a line (x, y) = p + t u of the plane (glnn/explore/line_stats.py): slope(x, y, ux, uy) is the feature's
    # derivative in t (None: a central difference of `numpy`); piecewise_linear: affine in t between kinks, which
    # lie where plane coordinate kink_axis (0 x, 1 y) is 0 (r is neither: its slope turns smoothly).
    slope: Optional[Callable[[np.ndarray, np.ndarray, float, float], np.ndarray]] = None
    piecewise_linear: bool = False
    kink_axis: Optional[int] = None

    @property
    def per_pixel(self) -> bool:
        return self.constant is None


def _radial_slope(x, y, ux, uy):
    r = np.sqrt(x * x + y * y)
    return np.divide(x * ux + y * uy, r, out=np.zeros_like(r), where=r > 0)


TABLE: Tuple[Feature, ...] = (
    Feature("x", lambda x, y: x, "xy.x", description="the plane's x",
            slope=lambda x, y, ux, uy: np.full_like(x, ux), piecewise_linear=True),
    Feature("y", lambda x, y: y, "xy.y", description="the plane's y",
            slope=lambda x, y, ux, uy: np.full_like(y, uy), piecewise_linear=True),
    Feature("r", lambda x, y: np.sqrt(x * x + y * y), "length(xy)", description="the distance from 0: radial symmetry",
            slope=_radial_slope),
    Feature("bias", None, None, constant=1.0, description="a constant 1", piecewise_linear=True),
    Feature("ax", lambda x, y: np.abs(x), "abs(xy.x)", description="|x|: a mirror across the y axis",
            slope=lambda x, y, ux, uy: np.sign(x) * ux, piecewise_linear=True, kink_axis=0),
    Feature("ay", lambda x, y: np.abs(y), "abs(xy.y)", description="|y|: a mirror across the x axis",
            slope=lambda x, y, ux, uy: np.sign(y) * uy, piecewise_linear=True, kink_axis=1),
)


def by_name() -> Dict[str, Feature]:
    """The table by name, read when asked (so a row added to TABLE is everywhere at once)."""
    return {f.name: f for f in TABLE}


def names() -> Tuple[str, ...]:
    return tuple(f.name for f in TABLE)

DEFAULT = ("x", "y")
DEFAULT_TEXT = ",".join(DEFAULT)


def parse_features(text) -> Tuple[str, ...]:
    """'x,y,r' (or a sequence of names) -> the names, checked: known, none twice, at least one (GlnnError)."""
    table = by_name()
    names = tuple(p.strip() for p in (text.split(",") if isinstance(text, str) else text))
    if not names or any(not n for n in names):
        raise GlnnError(f"features must be a comma list of {', '.join(table)}, not {_shown(text)}")
    for n in names:
        if n not in table:
            raise GlnnError(f"unknown feature {_shown(n)} (choose from {', '.join(table)})")
    if len(set(names)) != len(names):
        raise GlnnError(f"features {_shown(text)} names one twice")
    return names


Activation = Union[str, Tuple[str, ...]]   # one name for the layer, or one per unit


@dataclass(frozen=True)
class LayerSpec:
    fan_out: int
    fan_in: int
    activation: Activation

    @property
    def per_unit(self) -> bool:
        return not isinstance(self.activation, str)


@dataclass(frozen=True)
class Architecture:
    """The inputs (features, then `extra` time-driven z_j) and the layers (readout last)."""
    features: Tuple[str, ...]
    extra: int
    layers: Tuple[LayerSpec, ...]

    @staticmethod
    def feature(name: str) -> Feature:
        return by_name()[name]

    @property
    def n_inputs(self) -> int:
        """The input vector's length: the first layer's fan-in."""
        return len(self.features) + self.extra

    @property
    def input_names(self) -> Tuple[str, ...]:
        return self.features + tuple(f"z{j + 1}" for j in range(self.extra))

    @property
    def default_inputs(self) -> bool:
        """x, y first (today's pictures): the shaders need no generated input code."""
        return self.features == DEFAULT

    def inputs(self, x: np.ndarray, y: np.ndarray, z: np.ndarray, out: Optional[np.ndarray] = None) -> np.ndarray:
        """(N, n_inputs) rows for N pixels at plane coordinates x, y (float64, any shape, flattened) and the
        extra inputs' values z (k,): the one place the input vector is built for numpy. Float64, or written into
        `out` (N, n_inputs) of the caller's dtype (the cpu backend's float32 rows: each value cast once)."""
        x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
        x, y = x.ravel(), y.ravel()
        out = np.empty((x.size, self.n_inputs), np.float64) if out is None else out
        table = by_name()
        for i, name in enumerate(self.features):
            f = table[name]
            out[:, i] = f.constant if f.constant is not None else f.numpy(x, y)
        out[:, len(self.features):] = z
        return out

    def slopes(self, x: np.ndarray, y: np.ndarray, ux: float, uy: float) -> np.ndarray:
        """(N, n_inputs) float64 derivatives of the input vector along the direction (ux, uy) of the plane at N
        points x, y (a line's tangent): constants and the z_j (fixed along a line) have 0; a feature without a
        slope gets a central difference of its numpy form."""
        x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
        x, y = x.ravel(), y.ravel()
        out = np.zeros((x.size, self.n_inputs), np.float64)
        for i, name in enumerate(self.features):
            f = self.feature(name)
            if f.constant is not None:
                continue
            if f.slope is not None:
                out[:, i] = f.slope(x, y, ux, uy)
            else:
                h = 1e-6 * (1.0 + np.maximum(np.abs(x), np.abs(y)))
                out[:, i] = (f.numpy(x + h * ux, y + h * uy) - f.numpy(x - h * ux, y - h * uy)) / (2 * h)
        return out

    @property
    def piecewise_linear_inputs(self) -> bool:
        """Whether the input vector is affine along any line of the plane between the features' kinks."""
        return all(self.feature(n).piecewise_linear for n in self.features)

    def kink_axes(self) -> Tuple[int, ...]:
        """The plane coordinates (0 x, 1 y) whose zero is a kink of some feature along a line."""
        return tuple(sorted({self.feature(n).kink_axis for n in self.features} - {None}))

    def constant_inputs(self, z: np.ndarray) -> np.ndarray:
        """The input vector's values that are the same at every pixel, float32 (MAX_INPUT_VECTOR,): constant
        features and z_j in their slots, 0 in the per-pixel slots (the shaders fill those)."""
        v = np.zeros(MAX_INPUT_VECTOR, np.float32)
        for i, name in enumerate(self.features):
            f = self.feature(name)
            if f.constant is not None:
                v[i] = f.constant
        v[len(self.features):self.n_inputs] = z
        return v

    def pixel_inputs_glsl(self) -> Optional[str]:
        """The shaders' PIXEL_INPUTS define: statements that set the per-pixel slots of input group `j` (a vec4
        `v`) from `vec2 xy`; None for x, y (common.glsl's default)."""
        if self.default_inputs:
            return None
        by_group: Dict[int, list] = {}
        for i, name in enumerate(self.features):
            f = self.feature(name)
            if f.per_pixel:
                by_group.setdefault(i // 4, []).append(f"v.{'xyzw'[i % 4]} = {f.glsl};")
        return " ".join(f"if (j == {g}) {{ {' '.join(s)} }}" for g, s in sorted(by_group.items()))

    def spec(self) -> dict:
        """What a saved network's spec says of the architecture (docs/contract.md)."""
        return {"input_names": list(self.input_names),
                "layer_activations": [a.activation if isinstance(a.activation, str) else list(a.activation)
                                      for a in self.layers]}


def features_table() -> list:
    """The features as data for the web pages (names, GLSL, constants): shipped from here."""
    return [{"name": f.name, "glsl": f.glsl, "constant": f.constant, "description": f.description} for f in TABLE]


def _shown(text) -> str:
    """A value as an error line quotes it: at most 60 characters of it (a hostile value may be megabytes)."""
    text = str(text)
    return repr(text) if len(text) <= 60 else repr(text[:60]) + f"... ({len(text):,} characters)"
