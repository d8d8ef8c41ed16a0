"""A network's lineage (the breeder, docs/lineage.md): the steps that made a child from the unit draws of its seed.

    ["m", SEED, S]                             mutation toward SEED's draws, strength 0 < S <= 1
    ["x", MASK, MODE, {"seed": B, "lineage": [...]}]   crossover with another parent (MODE layer or unit)

As data: Mutate and Cross (frozen, hashable: a Network's identity holds them). parse() reads the JSON form, the
URL/CLI text form (m:31:0.3~x:4:unit:12(m:5:0.3)) or steps already made, and checks every limit before any work;
to_json() and to_text() write them. replay() applies them to the float64 unit draws, the activations and the
extra inputs' (A, w, p); glnn/model/network.py calls it (the model's one place of the weights).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence, Tuple, Union

import numpy as np

from ..errors import GlnnError
from .numbers import number

MAX_STEPS = 1000          # in all, nested counted
MAX_NESTING = 8           # a top-level step is at depth 1, OTHER's steps at 2, ...
MAX_WORK = 2e8            # steps x weights: unit draws a replay may make
MAX_SEED = 2 ** 63
MAX_TEXT = 64 * MAX_STEPS  # characters of the text form read at all
MODES = ("layer", "unit")
TAG_CROSS = 6             # the crossover mask's stream: [MASK, 6, i] or [MASK, 6, i, out]


@dataclass(frozen=True)
class Mutate:
    seed: int
    strength: float


@dataclass(frozen=True)
class Cross:
    mask: int
    mode: str
    seed: int                         # OTHER's seed
    lineage: Tuple = ()               # OTHER's lineage


Step = Union[Mutate, Cross]
Lineage = Tuple[Step, ...]


# ------------------------------------------------------------------ reading
def parse(value, what: str = "lineage") -> Lineage:
    """Steps from the JSON form (a list), the text form (a string), or steps; GlnnError (one line, naming `what`)
    for anything else or past the limits."""
    if value is None:
        return ()
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise GlnnError(f"{what}: {len(value):,} characters, more than {MAX_STEPS} steps take")
        steps, pos = _text(value, 0, 1, what)
        if pos != len(value):
            raise GlnnError(f"{what}: unexpected {value[pos]!r} at character {pos + 1}")
    elif isinstance(value, (list, tuple)):
        steps = _json(value, 1, what)
    else:
        raise GlnnError(f"{what} must be a list of steps or their text, not {type(value).__name__}")
    n = count(steps)
    if n > MAX_STEPS:
        raise GlnnError(f"{what}: {n:,} steps, more than {MAX_STEPS}")
    return steps


def _seed(v, name: str, what: str) -> int:
    if not (isinstance(v, (int, np.integer)) and not isinstance(v, bool) and 0 <= v < MAX_SEED):
        raise GlnnError(f"{what}: {name} must be a whole number from 0 to 2^63-1, not {_short(v)}")
    return int(v)


def _strength(v, what: str) -> float:
    if not (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
            and math.isfinite(v) and 0 < v <= 1):
        raise GlnnError(f"{what}: a mutation's strength must be a number in (0, 1], not {_short(v)}")
    return float(v)


def _mode(v, what: str) -> str:
    if v not in MODES:
        raise GlnnError(f"{what}: a crossover's mode must be layer or unit, not {_short(v)}")
    return v


def _short(v) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


def _nesting(depth: int, what: str) -> None:
    if depth > MAX_NESTING:
        raise GlnnError(f"{what}: crossovers nested more than {MAX_NESTING} deep")


def _json(steps, depth: int, what: str) -> Lineage:
    _nesting(depth, what)
    if len(steps) > MAX_STEPS:
        raise GlnnError(f"{what}: {len(steps):,} steps, more than {MAX_STEPS}")
    out = []
    for s in steps:
        if isinstance(s, Mutate):
            s = ["m", s.seed, s.strength]
        elif isinstance(s, Cross):
            s = ["x", s.mask, s.mode, {"seed": s.seed, "lineage": list(s.lineage)}]
        if not (isinstance(s, (list, tuple)) and s):
            raise GlnnError(f"{what}: a step is a list like [\"m\", seed, strength], not {_short(s)}")
        kind = s[0]
        if kind == "m":
            if len(s) != 3:
                raise GlnnError(f"{what}: a mutation is [\"m\", seed, strength], not {_short(s)}")
            out.append(Mutate(_seed(s[1], "a mutation's seed", what), _strength(s[2], what)))
        elif kind == "x":
            if len(s) != 4 or not isinstance(s[3], dict) or set(s[3]) - {"seed", "lineage"}:
                raise GlnnError(f"{what}: a crossover is [\"x\", mask, mode, {{\"seed\": S, \"lineage\": [...]}}], "
                                f"not {_short(s)}")
            nested = s[3].get("lineage", [])
            if not isinstance(nested, (list, tuple)):
                raise GlnnError(f"{what}: a crossover's other lineage must be a list, not {_short(nested)}")
            out.append(Cross(_seed(s[1], "a crossover's mask", what), _mode(s[2], what),
                             _seed(s[3].get("seed"), "a crossover's other seed", what),
                             _json(nested, depth + 1, what)))
        else:
            raise GlnnError(f"{what}: unknown step kind {_short(kind)} (m: mutation, x: crossover)")
    return tuple(out)


def _int_text(t: str, name: str, what: str) -> int:
    if not (t.isascii() and t.isdigit()) or len(t) > 19:
        raise GlnnError(f"{what}: {name} must be a whole number from 0 to 2^63-1, not {t[:40]!r}")
    return _seed(int(t), name, what)


def _text(text: str, pos: int, depth: int, what: str):
    """Steps from text[pos:], up to a ')' or the end: (steps, position after them)."""
    _nesting(depth, what)
    steps: List[Step] = []
    if pos == len(text) or text[pos] == ")":
        if depth == 1 and pos == len(text):
            return (), pos
        raise GlnnError(f"{what}: an empty list of steps at character {pos + 1}")
    while True:
        end = pos
        while end < len(text) and text[end] not in "~()":
            end += 1
        parts = text[pos:end].split(":")
        kind = parts[0]
        if kind == "m":
            if len(parts) != 3:
                raise GlnnError(f"{what}: a mutation is m:SEED:S, not {text[pos:end][:40]!r}")
            try:
                s = float(parts[2])
            except ValueError:
                raise GlnnError(f"{what}: a mutation's strength must be a number in (0, 1], not "
                                f"{parts[2][:40]!r}") from None
            steps.append(Mutate(_int_text(parts[1], "a mutation's seed", what), _strength(s, what)))
            pos = end
        elif kind == "x":
            if len(parts) != 4:
                raise GlnnError(f"{what}: a crossover is x:MASK:MODE:SEED, not {text[pos:end][:40]!r}")
            mask, mode = _int_text(parts[1], "a crossover's mask", what), _mode(parts[2], what)
            other = _int_text(parts[3], "a crossover's other seed", what)
            nested: Lineage = ()
            pos = end
            if pos < len(text) and text[pos] == "(":
                nested, pos = _text(text, pos + 1, depth + 1, what)
                if pos >= len(text) or text[pos] != ")":
                    raise GlnnError(f"{what}: a '(' without its ')'")
                pos += 1
            steps.append(Cross(mask, mode, other, tuple(nested)))
        else:
            raise GlnnError(f"{what}: unknown step {text[pos:end][:40]!r} (m:SEED:S or x:MASK:MODE:SEED)")
        if len(steps) > MAX_STEPS:
            raise GlnnError(f"{what}: more than {MAX_STEPS} steps")
        if pos < len(text) and text[pos] == "~":
            pos += 1
            continue
        if pos < len(text) and text[pos] == "(":
            raise GlnnError(f"{what}: '(' follows only a crossover (x:MASK:MODE:SEED(...))")
        return tuple(steps), pos


# ------------------------------------------------------------------ writing
def to_json(steps: Sequence[Step]) -> list:
    out = []
    for s in steps:
        if isinstance(s, Mutate):
            out.append(["m", s.seed, s.strength])
        else:
            out.append(["x", s.mask, s.mode, {"seed": s.seed, "lineage": to_json(s.lineage)}])
    return out


def to_text(steps: Sequence[Step]) -> str:
    """The URL word's and --lineage's text: m:SEED:S, x:MASK:MODE:SEED(nested), joined by ~."""
    words = []
    for s in steps:
        if isinstance(s, Mutate):
            words.append(f"m:{s.seed}:{number(float(s.strength))}")
        else:
            words.append(f"x:{s.mask}:{s.mode}:{s.seed}" + (f"({to_text(s.lineage)})" if s.lineage else ""))
    return "~".join(words)


def count(steps: Sequence[Step]) -> int:
    """Steps in all, nested counted."""
    return sum(1 + (count(s.lineage) if isinstance(s, Cross) else 0) for s in steps)


def generations(steps: Sequence[Step]) -> int:
    """The top-level steps: each made one generation."""
    return len(steps)


def describe(steps: Sequence[Step]) -> str:
    """One line for glnn info."""
    n, mut = len(steps), sum(isinstance(s, Mutate) for s in steps)
    return (f"{n} generation{'s' if n != 1 else ''} ({mut} mutation{'s' if mut != 1 else ''}, {n - mut} "
            f"crossover{'s' if n - mut != 1 else ''}; {count(steps)} steps in all): {to_text(steps)}")


def check_work(steps: Sequence[Step], weights: int, what: str = "lineage") -> None:
    """The replay's work (steps x weights) within MAX_WORK, checked before any is done."""
    work = count(steps) * weights
    if work > MAX_WORK:
        raise GlnnError(f"{what}: {count(steps):,} steps of {weights:,} weights each is {work:.3g} unit draws, "
                        f"more than {MAX_WORK:.0e}")


# ------------------------------------------------------------------ replay
@dataclass
class State:
    """What a lineage moves: each layer's float64 unit draws (U, B), each layer's activation (a name, or a tuple of
    one per unit; the readout's last), and the extra inputs' (A, w, p)."""
    units: List[Tuple[np.ndarray, np.ndarray]]
    acts: List
    time: Tuple[np.ndarray, np.ndarray, np.ndarray]


def _stream(*key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(k) for k in key])))


def replay(steps: Sequence[Step], seed: int, base: Callable[[int], State], drawn: bool) -> State:
    """The state of seed `seed` after `steps`. base(seed): the draws of that seed (same hyperparameters, no
    lineage; a fresh State each call). drawn: the hidden activations are drawn (mix, mix-units), so steps move
    them; listed ones never change."""
    memo: Dict[int, State] = {}

    def draws(s: int) -> State:
        if s not in memo:
            memo[s] = base(s)
        return memo[s]

    def run(steps, seed) -> State:
        start = draws(seed)
        state = State(list(start.units), list(start.acts), start.time)
        hidden = len(state.units) - 1
        for step in steps:
            if isinstance(step, Mutate):
                other, S = draws(step.seed), step.strength
                c, s = (0.0, 1.0) if S == 1 else (math.cos(S * math.pi / 2), math.sin(S * math.pi / 2))
                state.units = [(c * U + s * U2, c * B + s * B2)
                               for (U, B), (U2, B2) in zip(state.units, other.units)]
                if drawn and S >= 0.5:
                    state.acts = list(other.acts[:hidden]) + state.acts[hidden:]
                (A, w, p), (A2, w2, p2) = state.time, other.time
                state.time = ((1 - S) * A + S * A2, w2 if S >= 0.5 else w, (1 - S) * p + S * p2)
            else:
                other = run(step.lineage, step.seed)
                units, acts = list(state.units), list(state.acts)
                for i, ((U, B), (U2, B2)) in enumerate(zip(state.units, other.units)):
                    out = U.shape[0]
                    if step.mode == "layer":
                        if int(_stream(step.mask, TAG_CROSS, i).integers(2)) == 1:
                            units[i] = (U2, B2)
                            if drawn and i < hidden:
                                acts[i] = other.acts[i]
                    else:
                        take = _stream(step.mask, TAG_CROSS, i, out).integers(2, size=out) == 1
                        units[i] = (np.where(take[:, None], U2, U), np.where(take, B2, B))
                        if drawn and i < hidden:
                            a, a2 = acts[i], other.acts[i]
                            acts[i] = tuple(y if t else x for x, y, t in zip(a, a2, take)) \
                                if isinstance(a, tuple) else (a2 if take[0] else a)
                state.units, state.acts = units, acts
        return state

    return run(tuple(steps), seed)
