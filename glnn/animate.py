"""Animations: sweeps of scale, bias scale, gain, zoom, centre, time and depth (`glnn animate`).

The sweeps themselves are glnn/sweeps.py (re-exported here). The frame
iterator yields float32 pictures, so notebooks can use it directly; animate()
streams them into a file (animation_writer.AnimationWriter).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

import numpy as np

from .animation_writer import FORMATS, AnimationWriter, check_memory
from .batch import Executor
from .engine import Engine, default_engine
from .errors import GlnnError
from . import colour as colours
from .files import check_output
from .network import Network
from .progress import Progress
from .recipe import Animation, Recipe
from .sweeps import (EASES, PARAMS, Sweep, Value, apply_settings, as_sweep, check_sweeps,  # noqa: F401
                     frame_positions, frame_settings, parse_sweep)
from .view import View, as_center, as_size


def frames(net: Network, view: View, sweeps: Sequence[Sweep], n_frames: int, ease: str = "linear",
           pingpong: bool = False, backend: str = "auto", engine: Optional[Engine] = None,
           supersample: int = 1) -> Iterator[np.ndarray]:
    """Yield each frame as float32 (H, W, C). Frames whose settings repeat (a held depth) are not re-rendered."""
    engine = engine or default_engine()
    last_key, last = None, None
    for settings in frame_settings(sweeps, n_frames, ease, pingpong):
        fnet, fview = apply_settings(net, view, settings)
        key = (fnet, fview, settings.get("seed"))   # a morph's networks compare equal by hyperparameters
        if key != last_key:
            last, last_key = engine.render(fnet, fview, backend, supersample=supersample), key
        yield last


@dataclass(frozen=True)
class FrameTask:
    """One frame for a batch worker: the animation's network and view, the frame's settings."""
    net: Network
    view: View
    settings: dict
    backend: str
    supersample: int


def render_frame(task: FrameTask) -> np.ndarray:
    net, view = apply_settings(task.net, task.view, task.settings)
    return default_engine().render(net, view, task.backend, supersample=task.supersample)


def animate(net: Network, out, sweeps: Sequence[Sweep], size=(512, 512), center=(0.0, 0.0), extent: float = 1.0,
            time: float = 0.0, n_frames: int = 60, fps: float = 20.0, ease: str = "linear", pingpong: bool = False,
            backend: str = "auto", dither: bool = True, palette: str = "frame", quiet: bool = True,
            colour: Optional[str] = None, engine: Optional[Engine] = None, supersample: int = 1,
            executor: Optional[Executor] = None) -> int:
    """Render the sweep into `out` (.gif, .webp, .png (APNG), .mp4); returns the number of frames written."""
    check_output(out, FORMATS)
    sweeps = [as_sweep(s) for s in sweeps]
    if not sweeps:
        raise GlnnError("give at least one --sweep PARAM:FROM:TO (like scale:0.4:0.8 or time:0:6.2832)")
    if not (math.isfinite(fps) and 0.1 <= fps <= 100):
        raise GlnnError(f"--fps must be from 0.1 to 100, not {fps}")
    settings = frame_settings(sweeps, n_frames, ease, pingpong)
    morph = next((s for s in sweeps if s.param == "seed"), None)
    if morph and net.seed != morph.chain[0]:
        net = net.replace(seed=morph.chain[0])   # the recipe's network is the first frame's
    size = as_size(size)
    view = View(size[0], size[1], as_center(center), extent, time)
    # check every frame's settings before rendering anything
    for s in (settings[0], settings[-1]):
        apply_settings(net, view, s)
    check_memory(out, len(settings), size, net.channels)   # GIF, APNG, WebP hold every frame: refuse what won't fit
    chosen = (engine or default_engine()).choose(backend, net).name
    mode = colours.mode_for(net.channels, colour).name
    recipe = Recipe(net, view, mode, chosen, animation=Animation(tuple(s.text for s in sweeps), n_frames, float(fps),
                                                                  ease, pingpong), supersample=supersample)
    progress = Progress(len(settings), "frames", enabled=False if quiet else None)
    if executor is None or executor.name == "serial":
        stream = frames(net, view, sweeps, n_frames, ease, pingpong, chosen, engine, supersample)
    else:   # the frames on many processes, back in order: the same bytes as in this process
        stream = executor.map(render_frame, [FrameTask(net, view, s, chosen, supersample) for s in settings])
    with AnimationWriter(out, fps, channels=net.channels, dither=dither, palette=palette, mode=mode,
                         recipe=recipe.to_json()) as writer:
        for frame in stream:
            writer.add(frame)
            progress.step()
    progress.close()
    return len(settings)
