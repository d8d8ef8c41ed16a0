"""A random feedforward network: a seed plus hyperparameters (docs/contract.md).

    y_0 = input(x);  y_i = a_i(W_i y_{i-1} + b_i), i = 1..D;  f(x) = y_D

Weights are built so that "the same network" holds across depth and scale:
every layer draws its unit values from its own stream, keyed by (seed, layer,
shape), and the readout from a stream of its own; `scale` multiplies those
draws and never redraws them.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple, Union

import numpy as np

from . import activations, architecture, inits, lineage as lineages
from .architecture import Architecture, LayerSpec
from ..errors import GlnnError

MAX_DEPTH = 64
MAX_WIDTH = 512
MAX_INPUTS = 16


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()   # Hyperparameter.legacy: every saved file and recipe has it (a file without it is damaged)


@dataclass(frozen=True)
class Hyperparameter:
    """One network hyperparameter: the CLI's flag, the figures' recipes, sweeps, grids and saved files all use
    this table.

    options: the allowed values (a tuple, or a function giving them, read when asked: the activation and init
    tables'). by_activation: left as None it takes the hidden activation's default (activations.DEFAULTS).
    sweepable: `glnn animate --sweep NAME:FROM:TO` moves it. legacy: what a saved network or recipe written
    before it existed means by leaving it out (None: the activation's default), or REQUIRED."""
    name: str
    kind: type                      # int, float or str
    help: str
    options: Union[None, Tuple, Callable[[], Tuple]] = None
    by_activation: bool = False
    sweepable: bool = False
    legacy: object = REQUIRED
    composed: bool = False          # its options are words that compose (comma lists): shown, not a closed set

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def choices(self) -> Optional[Tuple]:
        return self.options() if callable(self.options) else self.options

    @property
    def whole(self) -> bool:
        """A whole number (grids take A:B ranges of it)."""
        return self.kind is int


HYPERPARAMETERS: Tuple[Hyperparameter, ...] = (
    Hyperparameter("seed", int, "random seed", sweepable=True),
    Hyperparameter("depth", int, f"layers, readout included, 1-{MAX_DEPTH}", sweepable=True),
    Hyperparameter("width", int, f"units per hidden layer, 1-{MAX_WIDTH}"),
    Hyperparameter("channels", int, "network outputs: 3 for RGB, 1 for gray", (1, 3)),
    Hyperparameter("inputs", int, f"2, or 2 + k extra time-driven dimensions, up to {MAX_INPUTS}"),
    Hyperparameter("features", str, "the input features, in order, before the inputs - 2 time-driven ones: a "
                   "comma list (docs/contract.md)",
                   architecture.names, legacy=architecture.DEFAULT_TEXT, composed=True),
    Hyperparameter("activation", str, "hidden activation: a name, a comma list (layer i takes entry i mod its "
                   "length), mix (one per layer, drawn) or mix-units (one per unit, drawn)",
                   lambda: activations.HIDDEN_CHOICES, composed=True),
    Hyperparameter("output_activation", str, "readout activation", lambda: activations.NAMES),
    Hyperparameter("init", str, "weight distribution", lambda: inits.NAMES, by_activation=True, legacy=None),
    Hyperparameter("scale", float, "weights = scale * unit draw (uniform, normal)", by_activation=True,
                   sweepable=True, legacy=None),
    Hyperparameter("bias_scale", float, "biases = bias-scale * unit draw", by_activation=True,
                   sweepable=True, legacy=None),
    Hyperparameter("gain", float, "he/glorot: weights = gain * fan factor * unit draw", by_activation=True,
                   sweepable=True, legacy=None),
)
NAMES = tuple(h.name for h in HYPERPARAMETERS)
BY_ACTIVATION = tuple(h.name for h in HYPERPARAMETERS if h.by_activation)   # init, scale, bias_scale, gain

# Stream tags: keep them fixed forever, they define which weights a seed gives.
_TAG_HIDDEN = 1
_TAG_READOUT = 2
_TAG_TIME = 3
_TAG_MIX = 4
_TAG_MIX_UNITS = 5


def _stream(*key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(k) for k in key])))


@dataclass(frozen=True)
class Layer:
    W: np.ndarray  # float32, (out, in)
    b: np.ndarray  # float32, (out,)
    activation: architecture.Activation   # a name, or (one activation per unit) a tuple of names

    @property
    def shape(self) -> Tuple[int, int]:
        return self.W.shape


@dataclass(frozen=True)
class Network:
    """A random network. Immutable: `replace(...)` gives a changed copy.

    seed, depth (layers, readout included), width (hidden units), channels (1 or 3),
    inputs (2, or 2 + k time-driven extra dimensions), activation (hidden layers,
    or "mix"), output_activation (readout), init (uniform, normal, he, glorot),
    scale (weights = scale * unit draw, for uniform and normal), bias_scale
    (biases = bias_scale * unit draw; None means equal to scale), gain (he and
    glorot: weights = gain * fan factor * unit draw).
    """

    seed: int = 0
    depth: int = 12
    width: int = 30
    channels: int = 3
    inputs: int = 2
    features: str = architecture.DEFAULT_TEXT
    activation: str = "tanh"
    output_activation: str = "sigmoid"
    # init, scale, bias_scale and gain left as None take the activation's defaults (activations.DEFAULTS);
    # after construction they hold values (bias_scale None then means: equal to the scale)
    init: Optional[str] = None
    scale: Optional[float] = None
    bias_scale: Optional[float] = None
    gain: Optional[float] = None
    # morph(other_seed, f) made this network: (other_seed, f), part of its identity (a morphed network is not
    # its source: equality, hash and repr say so); None for a network drawn from its seed
    morph_of: Optional[Tuple[int, float]] = None
    # the breeder's steps from the seed's draws (docs/lineage.md, glnn/model/lineage.py): part of its identity;
    # given as steps, their JSON form or their text, held as steps
    lineage: Tuple = ()
    # Weights loaded from a file replace the drawn ones (docs/contract.md, a saved network).
    loaded_layers: Optional[Tuple[Layer, ...]] = field(default=None, compare=False, repr=False)
    loaded_time: Optional[Tuple[Tuple[float, ...], Tuple[float, ...], Tuple[float, ...]]] = field(
        default=None, compare=False, repr=False)

    def __post_init__(self):
        if not (isinstance(self.lineage, tuple) and all(isinstance(st, (lineages.Mutate, lineages.Cross))
                                                         for st in self.lineage)) or self.lineage:
            object.__setattr__(self, "lineage", lineages.parse(self.lineage))
        critical = {k: getattr(self, k) for k in ("scale", "gain") if isinstance(getattr(self, k), str)}
        for k in critical:   # scale="critical" or "critical:K": resolved below, over the other hyperparameters
            object.__setattr__(self, k, None)
        known = set()
        for name, parse in (("activation", activations.parse_hidden), ("features", _features_text)):
            if isinstance(getattr(self, name), str):   # canonical: 'tanh, sin' -> 'tanh,sin'
                try:
                    object.__setattr__(self, name, parse(getattr(self, name)))
                    known.add(name)
                except GlnnError:
                    pass   # validate() says why
        if "activation" in known:
            d = activations.defaults_for(self.activation)
            for name in BY_ACTIVATION:
                if getattr(self, name) is None:
                    object.__setattr__(self, name, getattr(d, name))
        if critical:
            self._resolve_critical(critical)
        self.validate()

    def _resolve_critical(self, critical: dict) -> None:
        """scale (or gain) "critical[:K]": K times the amount on the edge of chaos (glnn/model/theory.py) for this
        activation, init, width and bias scale; the network holds the number."""
        from . import theory

        if self.init not in inits.NAMES:
            raise GlnnError(f"unknown init {self.init!r} (choose from {', '.join(inits.NAMES)})")
        uses_gain = inits.uses_gain(self.init)
        for name, text in critical.items():
            k = theory.parse_critical(text)
            if k is None:
                raise GlnnError(f"{name} must be a number or critical[:K], not {text!r}")
            if name == "gain" and not uses_gain:
                raise GlnnError(f"gain critical: init {self.init} sets its weights by the scale (scale critical)")
            bias = self.bias_scale
            if bias is None and uses_gain:
                bias = self.scale
            amount = theory.critical_amount(self.activation, self.init, self.width, bias)
            object.__setattr__(self, "gain" if uses_gain else "scale", float(f"{k * amount:.6g}"))

    # ----------------------------------------------------------------- checks
    def validate(self) -> None:
        def need(ok, msg):
            if not ok:
                raise GlnnError(msg)

        need(_is_int(self.seed) and 0 <= self.seed < 2**63,
             f"seed must be an integer from 0 to 2^63-1, not {self.seed!r}")
        need(_is_int(self.depth) and 1 <= self.depth <= MAX_DEPTH,
             f"depth must be an integer from 1 to {MAX_DEPTH}, not {self.depth!r}")
        need(_is_int(self.width) and 1 <= self.width <= MAX_WIDTH,
             f"width must be an integer from 1 to {MAX_WIDTH}, not {self.width!r}")
        need(_is_int(self.channels) and self.channels in (1, 3), f"channels must be 1 or 3, not {self.channels!r}")
        need(_is_int(self.inputs) and 2 <= self.inputs <= MAX_INPUTS,
             f"inputs must be an integer from 2 to {MAX_INPUTS}, not {self.inputs!r}")
        need(isinstance(self.activation, str), f"activation must be a name, not {self.activation!r}")
        activations.parse_hidden(self.activation)
        need(isinstance(self.features, str), f"features must be a comma list of names, not {self.features!r}")
        features = architecture.parse_features(self.features)
        need(len(features) + self.inputs - 2 <= architecture.MAX_INPUT_VECTOR,
             f"{len(features)} features and {self.inputs - 2} extra inputs make {len(features) + self.inputs - 2} "
             f"inputs: at most {architecture.MAX_INPUT_VECTOR}")
        need(self.output_activation in activations.NAMES,
             f"unknown output activation {self.output_activation!r} (choose from {', '.join(activations.NAMES)})")
        need(self.init in inits.NAMES, f"unknown init {self.init!r} (choose from {', '.join(inits.NAMES)})")
        m = self.morph_of
        need(m is None or (isinstance(m, tuple) and len(m) == 2 and _is_int(m[0]) and 0 <= m[0] < 2**63
                           and isinstance(m[1], float) and 0.0 < m[1] < 1.0),
             f"morph_of must be (seed, f) with 0 < f < 1, not {m!r}")
        need(not (m and self.lineage), "a network has morph_of or a lineage, not both (morph_of (B, f) is the "
                                       "lineage [[\"m\", B, f]])")
        if self.lineage:
            lineages.check_work(self.lineage, sum(o * i + o for o, i in self.layer_shapes()))
        for h in HYPERPARAMETERS:   # the amounts (None left by the activation's defaults: bias_scale follows the scale)
            name, v = h.name, getattr(self, h.name)
            if h.kind is not float or (v is None and h.by_activation):
                continue
            need(isinstance(v, (int, float, np.floating, np.integer)) and not isinstance(v, bool)
                 and 0 <= v <= 1e6 and math.isfinite(v),   # compared first: isfinite(10**400) overflows
                 f"{name} must be a finite number from 0 to 1e6, not {v!r}")

    def replace(self, **changes) -> "Network":
        """A copy with some hyperparameters changed (drops weights loaded from a file). A change set to None
        (init, scale, bias_scale, gain) takes the activation's default."""
        changes.setdefault("loaded_layers", None)
        changes.setdefault("loaded_time", None)
        changes.setdefault("morph_of", None)   # drawn afresh from the seed: no longer a morph
        changed = {k for k, v in changes.items() if k in NAMES and not (type(v) is type(getattr(self, k))
                                                                          and v == getattr(self, k))}
        if changed - {"scale", "bias_scale", "gain"}:   # else the same draws, maybe rescaled: a child stays that
            changes.setdefault("lineage", ())            # child (docs/lineage.md)
        return dataclasses.replace(self, **changes)

    # ---------------------------------------------------------------- weights
    @property
    def effective_bias_scale(self) -> float:
        return float(self.scale if self.bias_scale is None else self.bias_scale)

    @property
    def n_inputs(self) -> int:
        """The input vector's length (the first layer's fan-in): the features, then inputs - 2 extra ones."""
        return len(self.features.split(",")) + self.inputs - 2

    def layer_shapes(self) -> List[Tuple[int, int]]:
        """(out, in) of each layer, the readout last."""
        dims = [self.n_inputs] + [self.width] * (self.depth - 1) + [self.channels]
        return [(dims[i + 1], dims[i]) for i in range(self.depth)]

    def layer_activations(self) -> List[architecture.Activation]:
        """Each layer's activation, the readout's last: a name, or (mix-units) a tuple of one name per unit
        (a lineage's steps move drawn ones)."""
        if self.lineage:
            return list(self._replayed().acts)
        return self._seed_activations()

    def _seed_activations(self) -> List[architecture.Activation]:
        choices, hidden = activations.MIX_CHOICES, []
        names = activations.listed(self.activation)
        for i in range(self.depth - 1):
            if self.activation == activations.MIX:
                rng = _stream(self.seed, _TAG_MIX, i)
                hidden.append(choices[int(rng.integers(len(choices)))])
            elif self.activation == activations.MIX_UNITS:
                rng = _stream(self.seed, _TAG_MIX_UNITS, i, self.width)
                hidden.append(tuple(choices[int(k)] for k in rng.integers(len(choices), size=self.width)))
            else:
                hidden.append(names[i % len(names)])
        return hidden + [self.output_activation]

    @property
    def architecture(self) -> Architecture:
        """The inputs and layers as data (glnn/model/architecture.py), from the weights in use."""
        cache = self.__dict__.get("_architecture")
        if cache is None:
            cache = Architecture(tuple(self.features.split(",")), self.inputs - 2,
                                 tuple(LayerSpec(*l.W.shape, l.activation) for l in self.layers))
            object.__setattr__(self, "_architecture", cache)
        return cache

    def _weight_multiplier(self, fan_out: int, fan_in: int) -> float:
        init = inits.BY_NAME[self.init]
        return init.multiplier(self.gain if init.uses_gain else self.scale, fan_out, fan_in)

    def _unit_draws(self, index: int, shape: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
        """Float64 unit draws (W, b) of layer `index` (the readout has its own stream)."""
        out, inn = shape
        readout = index == self.depth - 1
        tag = _TAG_READOUT if readout else _TAG_HIDDEN
        rng = _stream(self.seed, tag, 0 if readout else index, out, inn)
        init = inits.BY_NAME[self.init]
        return init.draw(rng, (out, inn)), init.draw(rng, out)

    def _seed_state(self, seed: int) -> "lineages.State":
        """The unit draws, activations and (A, w, p) of these hyperparameters with seed `seed`, no lineage."""
        net = self if seed == self.seed and not self.lineage and self.morph_of is None else \
            Network(**dict(self.hyperparameters(), seed=seed))
        return lineages.State([net._unit_draws(i, shape) for i, shape in enumerate(net.layer_shapes())],
                              net._seed_activations(), net._seed_time())

    def _replayed(self) -> "lineages.State":
        """The lineage replayed over the seed's draws (docs/lineage.md), cached."""
        cache = self.__dict__.get("_replay")
        if cache is None:
            cache = lineages.replay(self.lineage, self.seed, self._seed_state,
                                    self.activation in (activations.MIX, activations.MIX_UNITS))
            object.__setattr__(self, "_replay", cache)
        return cache

    @property
    def layers(self) -> Tuple[Layer, ...]:
        if self.loaded_layers is not None:
            return self.loaded_layers
        cache = self.__dict__.get("_layers")
        if cache is None:
            cache = []
            acts = self.layer_activations()
            replayed = self._replayed() if self.lineage else None
            for i, shape in enumerate(self.layer_shapes()):
                uw, ub = replayed.units[i] if replayed else self._unit_draws(i, shape)
                W = (self._weight_multiplier(*shape) * uw).astype(np.float32)
                b = (self.effective_bias_scale * ub).astype(np.float32)
                cache.append(Layer(W, b, acts[i]))
            cache = tuple(cache)
            object.__setattr__(self, "_layers", cache)
        return cache

    def morph(self, other_seed: int, f: float) -> "Network":
        """The network f of the way (0 to 1) from this one to the same hyperparameters with seed other_seed.

        Each layer's unit draws move along a great circle, cos(f pi/2) u_A + sin(f pi/2) u_B, so their scale
        stays that of a single draw (a straight line would shrink it by up to sqrt(2) halfway); the scale and
        init apply as usual. f = 0 is this network, f = 1 the other, exactly. Mixed activations and the
        extra inputs' frequencies switch halfway; their amplitudes and phases move linearly.
        In between, the network records (other_seed, f) as its morph_of: it is not equal to either end."""
        other = self.replace(seed=other_seed)
        if f <= 0.0 or other_seed == self.seed:
            return self
        if f >= 1.0:
            return other
        if self.morph_of is not None or self.lineage or self.loaded_layers is not None:   # not its seed's draws
            raise GlnnError("morph() starts from a network drawn from its seed, not a morphed or loaded one")
        # the great-circle step is the lineage's ["m", other_seed, f] (docs/lineage.md): the same floats; a morph
        # keeps them as its weights and says morph_of, as files written before lineages do
        child = self.child(other_seed, f)
        A, w, p = child.time_params()
        return dataclasses.replace(self, loaded_layers=child.layers, loaded_time=(tuple(A), tuple(w), tuple(p)),
                                   morph_of=(int(other_seed), float(f)))

    # ----------------------------------------------------------- the breeder
    def as_parent(self) -> "Network":
        """This network as a lineage parent: drawn from its seed and lineage (loaded weights dropped); a morph
        (morph_of (B, f)) becomes its lineage [["m", B, f]], exactly the same network."""
        steps = (lineages.Mutate(*self.morph_of),) if self.morph_of is not None else self.lineage
        if self.loaded_layers is None and self.morph_of is None:
            return self
        return dataclasses.replace(self, morph_of=None, lineage=steps, loaded_layers=None, loaded_time=None)

    def child(self, seed: int, strength: float) -> "Network":
        """The child mutated toward seed `seed`'s draws by `strength` (0 < strength <= 1): its lineage is this
        one's plus ["m", seed, strength] (docs/lineage.md)."""
        parent = self.as_parent()
        return dataclasses.replace(parent, lineage=parent.lineage + lineages.parse([["m", seed, strength]]))

    def cross(self, other: "Network", mask: int, mode: str = "unit") -> "Network":
        """The crossover of this network with `other` (the same hyperparameters but the seed): each layer
        (mode layer) or unit (mode unit) from one or the other, as mask seed `mask` draws it (docs/lineage.md)."""
        differ = [k for k in NAMES if k != "seed" and getattr(self, k) != getattr(other, k)]
        if differ:
            raise GlnnError(f"a crossover needs the same hyperparameters but the seed: {differ[0]} "
                            f"{getattr(self, differ[0])!r} and {getattr(other, differ[0])!r}")
        parent, o = self.as_parent(), other.as_parent()
        step = lineages.parse([["x", mask, mode, {"seed": o.seed, "lineage": lineages.to_json(o.lineage)}]])
        return dataclasses.replace(parent, lineage=parent.lineage + step)

    # ------------------------------------------------------ extra dimensions
    def time_params(self) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(A, w, p) of z_j(t) = A_j sin(w_j t + p_j), one entry per extra input.

        Frequencies are whole numbers (1 or 2), so every z_j repeats after t = 2 pi:
        an animation over [0, 2 pi) loops without a jump.
        """
        if self.loaded_time is not None:
            return tuple(np.asarray(v, dtype=np.float64) for v in self.loaded_time)
        if self.lineage:
            return tuple(np.array(v) for v in self._replayed().time)
        return self._seed_time()

    def _seed_time(self) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        k = self.inputs - 2
        rng = _stream(self.seed, _TAG_TIME, k)
        A = rng.uniform(0.5, 1.0, k)
        w = rng.integers(1, 3, k).astype(np.float64)
        p = rng.uniform(0.0, 2.0 * math.pi, k)
        return A, w, p

    def extra_inputs(self, time: float) -> np.ndarray:
        """float32 values of z_1..z_k at `time` (computed in float64, cast once)."""
        A, w, p = self.time_params()
        return (A * np.sin(w * float(time) + p)).astype(np.float32)

    @property
    def period(self) -> float:
        return 2.0 * math.pi

    def hyperparameters(self) -> dict:
        """The hyperparameters by name (HYPERPARAMETERS' order); bias_scale as given (None: the scale)."""
        return {name: getattr(self, name) for name in NAMES}

    # ------------------------------------------------- conveniences (API sugar)
    # The file format and the notebook preview live in higher rooms (glnn/io/saved_network.py,
    # glnn/web/notebook.py): these methods import them when called, so the model imports neither (the one
    # kind of late import the rooms test allows: tests/unit/test_rooms.py, LATE). glnn's own code calls
    # glnn.io.saved_network's functions.
    def save(self, path, view=None, outputs=None) -> None:
        """Write this network (and a view) as a saved network, .npz (docs/contract.md)."""
        from ..io import saved_network

        saved_network.save(self, path, view, outputs)

    @classmethod
    def load(cls, path) -> "Network":
        """A saved network (.npz), its weights exactly as stored."""
        from ..io import saved_network

        return saved_network.load_as(cls, path)

    @classmethod
    def from_image(cls, path, cell: Optional[int] = None) -> "Network":
        """The network of a picture glnn wrote (its recipe: embedded weights, else the seed's)."""
        from ..io import saved_network

        return saved_network.from_image_as(cls, path, cell)

    def _repr_png_(self) -> bytes:
        """A notebook shows a Network as a small picture."""
        from ..web.notebook import preview_png

        return preview_png(self)

    def __getstate__(self) -> dict:
        """Pickled (a batch task on another process) without the weights drawn from the seed: the receiver draws
        the same ones. Loaded weights travel."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_layers", "_architecture", "_replay")}


def with_legacy(fields: dict) -> dict:
    """A saved network's or recipe's hyperparameters, with the legacy meaning (Hyperparameter.legacy) of those
    written before they existed and so left out."""
    return {**{h.name: h.legacy for h in HYPERPARAMETERS if h.name not in fields and h.legacy is not REQUIRED},
            **fields}


def _features_text(text: str) -> str:
    return ",".join(architecture.parse_features(text))


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)
