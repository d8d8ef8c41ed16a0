"""The registry of backends: names, descriptions, what each can do, and where its class lives.

A light module (no GL, no numpy): the CLI's --backend choices and the recipe reader validate names against it
without importing moderngl. Each backend's class is loaded on first use from its 'module:Class' target.
Code outside this table never dispatches on a backend's name: it asks the entry's capabilities.

Adding a backend is one class (a glnn.backends.base.Backend) plus one row here (plus its tests).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Dict, Optional, Tuple


@dataclass(frozen=True)
class BackendEntry:
    name: str
    target: str                     # "module:Class", imported on first use
    description: str                # one line, for glnn info
    short: str = ""                 # a few words, for the --backend flag's help
    # capabilities
    hidden_layers: bool = False     # probes draw hidden layers through it (truncated networks), not a numpy pass
    draws_to_texture: bool = False  # draw(net, view, fbo, rect, dst): the window shows its output without readback
    races_in_auto: bool = False     # `auto` measures it and may choose it
    float64: bool = False           # computes in float64 (the reference; probes' numpy pass matches it)
    gl_kernels: bool = False        # renders through glnn/gl/kernels.py's kernels (glnn bench times each)
    window: Optional[str] = None    # the backend the window uses instead (this one is too slow to explore with)

    def load(self) -> type:
        """The backend class (imported now if not yet)."""
        module, _, cls = self.target.partition(":")
        return getattr(importlib.import_module(module), cls)


TABLE: Tuple[BackendEntry, ...] = (
    BackendEntry("gl", "glnn.gl.backend:GLBackend", "GLSL shaders through moderngl (a GPU, or software GL)",
                 "GLSL shaders", hidden_layers=True, draws_to_texture=True, races_in_auto=True, gl_kernels=True),
    BackendEntry("cpu", "glnn.backends.cpu:CPUBackend",
                 "numpy float32 in chunks of pixels on every core (fast without a GPU)", "fast numpy float32",
                 races_in_auto=True),
    BackendEntry("numpy", "glnn.backends.reference:ReferenceBackend", "the float64 numpy reference (the oracle; slow)",
                 "the float64 reference", float64=True, window="cpu"),
)
BY_NAME: Dict[str, BackendEntry] = {e.name: e for e in TABLE}
NAMES: Tuple[str, ...] = tuple(BY_NAME)
CHOICES: Tuple[str, ...] = ("auto",) + NAMES   # what --backend and a recipe's backend may say

NONE = BackendEntry("", "", "")   # the capabilities of a backend missing from the table: none


def entry(name: str) -> BackendEntry:
    """The entry of backend `name`; NONE (no capabilities) for a name not in the table."""
    return BY_NAME.get(name, NONE)


def racers() -> Tuple[str, ...]:
    """The backends `auto` chooses among, in table order."""
    return tuple(e.name for e in TABLE if e.races_in_auto)


def for_window(name: str) -> str:
    """The backend the window fills its picture with when `name` is asked for."""
    return entry(name).window or name


def flag_help() -> str:
    """The --backend flag's help: each backend in a few words, and auto."""
    names = racers()
    among = f"the faster of {' and '.join(names)}" if len(names) == 2 else f"the fastest of {', '.join(names)}"
    return "; ".join(f"{e.name}: {e.short or e.description}" for e in TABLE) + \
        f"; auto: {among} here (see glnn info)"
