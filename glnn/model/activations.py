"""The activation table: the one definition of every activation, for numpy and for GLSL.

Each row gives a name, an integer id (the shaders' ACT_* constants, generated
from this table by glsl_source()), a float64 numpy function (the reference),
an in-place float32 numpy function (the cpu backend), a GLSL function body
over `vec4 x` (every shader), and what probes need to know (its range, whether
it is piecewise linear). Adding an activation is one row here and one row of
DEFAULTS, plus its tests (tests/unit/test_activations.py and tests/gl/test_activations_gl.py check every row across all
backends; tests/gl/test_registries.py adds a throwaway one everywhere).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from ..errors import GlnnError

LEAKY_SLOPE = 0.1


@dataclass(frozen=True)
class Activation:
    name: str
    f64: Callable[[np.ndarray], np.ndarray]      # returns a new array
    f32_inplace: Callable[[np.ndarray], None]     # overwrites its argument
    glsl: str                                     # statements of `vec4 act_NAME(vec4 x)`
    bounds: Optional[Tuple[float, float]] = None  # the range of values, where bounded (probes show it as gray)
    # Piecewise linear (identity, relu, leaky relu): probes' linear regions are exact, and where two pieces meet
    # at a kink a unit is "on" past it (probes show which side, not a slope). floor: the least value of an
    # activation bounded below only (relu: 0; probes' gray scale starts there).
    piecewise_linear: bool = False
    kink: Optional[float] = None
    floor: Optional[float] = None
    # the derivative in float64 from x and y = f64(x) (a curve's tangent through a layer: glnn/explore/line_stats.py;
    # at a kink, the slope of the side x <= 0)
    slope64: Optional[Callable[[np.ndarray, np.ndarray], np.ndarray]] = None


def _sigmoid64(x):
    # exp of a large positive number overflows to inf, and 1 / inf is 0: no warning wanted
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def _sigmoid32(y):
    np.negative(y, out=y)
    with np.errstate(over="ignore"):
        np.exp(y, out=y)
    y += 1.0
    np.reciprocal(y, out=y)


def _gaussian32(y):
    np.square(y, out=y)
    np.negative(y, out=y)
    np.exp(y, out=y)


def _softsign32(y):
    y /= 1.0 + np.abs(y)


def _leaky32(y):
    np.multiply(y, np.where(y > 0.0, np.float32(1.0), np.float32(LEAKY_SLOPE)), out=y)


# tanh as 1 - 2 / (1 + e^2x): an exp, a reciprocal and two adds per lane (the hottest code after the
# multiply-adds). Large |x| is safe: e^2x = inf gives 1, e^2x = 0 gives -1, where some drivers' tanh()
# computes inf / inf = NaN. Near 0 the absolute error stays about 1e-7. TANH_BUILTIN 1 (glnn bench's
# shared-kernel variants only) uses the driver's tanh() instead.
_TANH_GLSL = """#if defined(TANH_BUILTIN) && TANH_BUILTIN
return tanh(x);
#else
return 1.0 - 2.0 / (1.0 + exp(2.0 * x));
#endif"""

TABLE: Tuple[Activation, ...] = (
    Activation("identity", lambda x: x, lambda y: None, "return x;", piecewise_linear=True,
               slope64=lambda x, y: np.ones_like(x)),
    Activation("tanh", np.tanh, lambda y: np.tanh(y, out=y), _TANH_GLSL, (-1.0, 1.0),
               slope64=lambda x, y: 1.0 - y * y),
    Activation("sigmoid", _sigmoid64, _sigmoid32, "return 1.0 / (1.0 + exp(-x));", (0.0, 1.0),
               slope64=lambda x, y: y * (1.0 - y)),
    Activation("relu", lambda x: np.maximum(x, 0.0), lambda y: np.maximum(y, 0.0, out=y), "return max(x, 0.0);",
               piecewise_linear=True, kink=0.0, floor=0.0,
               slope64=lambda x, y: (x > 0.0).astype(np.float64)),
    Activation("leaky_relu", lambda x: np.where(x > 0.0, x, LEAKY_SLOPE * x), _leaky32,
               f"return mix({LEAKY_SLOPE} * x, x, step(0.0, x));", piecewise_linear=True, kink=0.0,
               slope64=lambda x, y: np.where(x > 0.0, 1.0, LEAKY_SLOPE)),
    Activation("sin", np.sin, lambda y: np.sin(y, out=y), "return sin(x);", (-1.0, 1.0),
               slope64=lambda x, y: np.cos(x)),
    Activation("gaussian", lambda x: np.exp(-x * x), _gaussian32, "return exp(-x * x);", (0.0, 1.0),
               slope64=lambda x, y: -2.0 * x * y),
    Activation("softsign", lambda x: x / (1.0 + np.abs(x)), _softsign32, "return x / (1.0 + abs(x));", (-1.0, 1.0),
               slope64=lambda x, y: 1.0 / (1.0 + np.abs(x)) ** 2),
)

BY_NAME: Dict[str, Activation] = {a.name: a for a in TABLE}
NAMES = tuple(BY_NAME)
IDS = {name: i for i, name in enumerate(NAMES)}
# The shaders' layer id of a layer with one activation per unit (ACT_UNITS): the ids are then per unit, in the
# weights (glnn/gl/packing.py: the activation texels, docs/contract.md "GL layout of per-unit activations").
UNITS_ID = -1

# The hidden layers' activation (the `activation` hyperparameter, docs/contract.md) is one name, a comma list
# (layer i takes entry i mod its length), or one of the ways to draw them from the seed (glnn/model/network.py):
# "mix": every hidden layer draws its own activation from MIX_CHOICES; "mix-units": every hidden unit does.
MIX = "mix"
MIX_UNITS = "mix-units"
DRAWN = (MIX, MIX_UNITS)
MIX_CHOICES = ("tanh", "sigmoid", "relu", "leaky_relu", "sin", "gaussian", "softsign")
HIDDEN_CHOICES = NAMES + (MIX, MIX_UNITS)   # the single words (the window's a key cycles them; lists are written)


@dataclass(frozen=True)
class Defaults:
    """The hyperparameters a network of this hidden activation gets when they are not given: chosen with the
    mean-field theory (glnn/model/theory.py: near the edge of chaos, with he's width-free sigma_w^2 = 2 gain^2) so
    that pictures have visible structure, neither flat nor static, at depths 2, 12 and 27 and widths 30 and 100
    (docs/activations.md, measured by tests/unit/test_defaults.py, tests/system/test_defaults_survey.py).
    bias_scale None: equal to the scale."""
    init: str
    scale: float
    bias_scale: Optional[float]
    gain: float = 1.0


DEFAULTS: Dict[str, Defaults] = {
    "identity": Defaults("normal", 0.35, 0.05),
    "tanh": Defaults("uniform", 0.8, None),
    "sigmoid": Defaults("uniform", 8.0, 0.2),
    "relu": Defaults("he", 0.8, 0.05, gain=1.07),
    "leaky_relu": Defaults("he", 0.8, 0.05, gain=1.05),
    "sin": Defaults("he", 0.8, 0.2, gain=0.9),
    "gaussian": Defaults("he", 0.8, 0.2, gain=1.6),
    "softsign": Defaults("he", 0.8, 0.2, gain=1.6),
    MIX: Defaults("he", 0.8, 0.5, gain=1.8),
    MIX_UNITS: Defaults("he", 0.8, 0.5, gain=1.6),   # mix's gain 1.8 left half the deep, wide pictures static
}


def parse_hidden(text) -> str:
    """The hidden activation as written: a name, a comma list of names, mix or mix-units; returned canonical
    ('tanh, sin' -> 'tanh,sin'); GlnnError naming the choices otherwise."""
    text = str(text)
    if text in DRAWN:
        return text
    parts = [p.strip() for p in text.split(",")]
    if len(parts) > 1 and not all(parts):
        raise GlnnError(f"activation {text[:80]!r}: an empty name in the list (a comma list such as tanh,sin)")
    for p in parts:
        if p not in BY_NAME:
            ways = " or ".join(DRAWN)
            raise GlnnError(f"unknown activation {_shown(p)} in {_shown(text)} (choose from {', '.join(NAMES)}, a comma "
                            f"list of them, or {ways})" if len(parts) > 1 else
                            f"unknown activation {_shown(text)} (choose from {', '.join(NAMES + DRAWN)}, or a comma "
                            "list such as tanh,sin)")
    return ",".join(parts)


def listed(text: str) -> Optional[Tuple[str, ...]]:
    """The names of a hidden activation written as a name or a list (None for mix and mix-units)."""
    return None if text in DRAWN else tuple(text.split(","))


def single(text: str) -> Optional[str]:
    """The one activation every hidden layer has (a name, or a list of one name repeated), else None."""
    names = listed(text)
    return names[0] if names and len(set(names)) == 1 else None


def defaults_for(text: str) -> Defaults:
    """The defaults of a hidden activation: its own for one name, mix or mix-units (its row of DEFAULTS), the
    name's for a list of one name repeated, mix's for a list of several."""
    if text in DEFAULTS:
        return DEFAULTS[text]
    name = single(text)
    return DEFAULTS[name] if name else DEFAULTS[MIX]


def apply(name, x: np.ndarray) -> np.ndarray:
    """The float64 form (the reference). `name`: one activation, or one per unit (the last axis)."""
    if isinstance(name, str):
        return BY_NAME[name].f64(x)
    out = np.empty_like(x)
    for n, idx in unit_groups(name):
        out[..., idx] = BY_NAME[n].f64(x[..., idx])
    return out


def apply_inplace(name, y: np.ndarray) -> None:
    """The float32 in-place form (the cpu backend). `name`: one activation, or one per unit (the last axis,
    which may be longer: the cpu backend's column of ones)."""
    if isinstance(name, str):
        BY_NAME[name].f32_inplace(y)
        return
    for n, idx in unit_groups(name):
        part = y[..., idx]
        BY_NAME[n].f32_inplace(part)
        y[..., idx] = part


def unit_groups(names) -> Tuple[Tuple[str, np.ndarray], ...]:
    """Per-unit activations grouped: (name, the units' indices) for each name, in table order."""
    names = np.asarray(names)
    return tuple((n, np.flatnonzero(names == n)) for n in NAMES if (names == n).any())


def layer_id(activation) -> int:
    """A layer's id in the shaders' per-layer tables (u_act, LAYER_ACTS): its activation's, or UNITS_ID for one
    activation per unit (a tuple)."""
    return IDS[activation] if isinstance(activation, str) else UNITS_ID


def unit_ids(activation) -> np.ndarray:
    """The activation ids of a per-unit layer's units (int32, one per unit)."""
    return np.array([IDS[n] for n in activation], np.int32)


def glsl_source() -> str:
    """shaders' `activations.glsl`, generated: ACT_* ids, one function per activation, activate(x, id); ACT_UNITS
    (a layer's id when its units have their own) and activate_units(x, ids), the ids per lane as floats."""
    lines = ["// Generated from glnn/model/activations.py's table (do not edit): ACT_* ids and activate(x, id)."]
    lines += [f"#define ACT_{a.name.upper()} {IDS[a.name]}" for a in TABLE]
    lines.append(f"#define ACT_UNITS {UNITS_ID}")
    for a in TABLE:
        body = [line if line.startswith("#") else "    " + line for line in a.glsl.splitlines()]
        lines += [f"vec4 act_{a.name}(vec4 x) {{", *body, "}"]
    lines.append("vec4 activate(vec4 x, int act) {")
    lines += [f"    if (act == ACT_{a.name.upper()}) return act_{a.name}(x);" for a in TABLE if a.name != "identity"]
    lines += ["    return x;", "}"]
    # per-unit layers: lane k of `ids` is the id of unit k of the group, as a float (the packed activation texel).
    # The units are grouped by activation when packed, so nearly every group is uniform: one activate() call.
    lines += ["vec4 activate_units(vec4 x, vec4 ids) {",
              "    ivec4 k = ivec4(ids);",
              "    if (all(equal(k, k.xxxx))) return activate(x, k.x);",
              "    return vec4(activate(x, k.x).x, activate(x, k.y).y, activate(x, k.z).z, activate(x, k.w).w);",
              "}"]
    return "\n".join(lines) + "\n"


def _shown(text) -> str:
    """A value as an error line quotes it: at most 60 characters of it (a hostile value may be megabytes)."""
    text = str(text)
    return repr(text) if len(text) <= 60 else repr(text[:60]) + f"... ({len(text):,} characters)"
