"""Animations: sweeps of scale, bias scale, gain, zoom, centre, time and depth (`glnn animate`).

The sweeps themselves are glnn/io/sweeps.py (re-exported here). The frame
iterator yields float32 pictures, so notebooks can use it directly; animate()
streams them into a file (animation_writer.AnimationWriter).
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

import numpy as np

from ..rendering import pipeline
from ..io.animation_writer import FORMATS, AnimationWriter, check_memory
from .batch import Executor
from ..rendering.engine import Engine, default_engine
from ..errors import GlnnError
from ..io.files import check_output
from ..model.network import Network
from ..rendering.progress import Progress
from ..io.recipe import Animation, Recipe
from ..io.request import resolve
from ..io.sweeps import EASES, PARAMS, Sweep, Value, apply_settings, as_sweep, check_sweeps, frame_positions, frame_settings, parse_sweep
from ..model.view import View, as_center, as_size

# the module's API: animations, and the sweeps they are made of (glnn/io/sweeps.py)
__all__ = ["frames", "animate", "animate_recipe", "FORMATS", "EASES", "PARAMS", "Sweep", "Value", "apply_settings",
           "as_sweep", "check_sweeps", "frame_positions", "frame_settings", "parse_sweep"]


def frames(net: Network, view: View, sweeps: Sequence[Sweep], n_frames: int, ease: str = "linear",
           pingpong: bool = False, backend: str = "auto", engine: Optional[Engine] = None,
           supersample: int = 1) -> Iterator[np.ndarray]:
    """Yield each frame as float32 (H, W, C). Frames whose settings repeat (a held depth) are not re-rendered."""
    engine = engine or default_engine()
    sweeps = [as_sweep(s) for s in sweeps]   # Sweep objects or their text, "scale:0.4:0.8"
    recipe = Recipe(net, view, backend=backend, supersample=supersample)
    last_key, last = None, None
    for settings in frame_settings(sweeps, n_frames, ease, pingpong):
        fnet, fview = apply_settings(net, view, settings)
        key = (fnet, fview, settings.get("seed"))   # equal networks (a morph records its morph_of) and views: the same picture
        if key != last_key:
            last, last_key = pipeline.raw(dataclasses.replace(recipe, network=fnet, view=fview), engine), key
        yield last


@dataclass(frozen=True)
class FrameTask:
    """One frame for a batch worker: the animation's recipe (its backend chosen) and the frame's settings."""
    recipe: Recipe
    settings: dict


def render_frame(task: FrameTask) -> np.ndarray:
    return pipeline.frame(task.recipe, task.settings)


def animate(net: Network, out, sweeps: Sequence[Sweep], size=(512, 512), center=(0.0, 0.0), extent: float = 1.0,
            time: float = 0.0, n_frames: int = 60, fps: float = 20.0, ease: str = "linear", pingpong: bool = False,
            backend: str = "auto", dither: bool = True, palette: str = "frame", quiet: bool = True,
            colour: Optional[str] = None, engine: Optional[Engine] = None, supersample: int = 1,
            executor: Optional[Executor] = None) -> int:
    """Render the sweep into `out` (.gif, .webp, .png (APNG), .mp4); returns the number of frames written."""
    check_output(out, FORMATS)
    texts = [as_sweep(s).text for s in sweeps]
    size = as_size(size)
    recipe = resolve({"network": net, "size": size, "center": as_center(center), "extent": extent, "time": time,
                      "colour": colour, "backend": backend, "supersample": supersample, "sweeps": texts,
                      "frames": n_frames, "fps": fps, "ease": ease, "pingpong": pingpong}, animated=True)
    return animate_recipe(recipe, out, dither, palette, quiet, engine, executor)


def prepared(recipe: Recipe) -> Tuple[Recipe, List[Sweep]]:
    """An animation recipe as its file carries it, and its sweeps: the sweeps written as glnn writes them, fps a
    float, and the network the first frame's (a seed morph starts at its first seed); GlnnError when it cannot
    be animated."""
    a = recipe.animation
    sweeps = [as_sweep(s) for s in a.sweeps]
    if not sweeps:
        raise GlnnError("give at least one --sweep PARAM:FROM:TO (like scale:0.4:0.8 or time:0:6.2832)")
    if not (math.isfinite(a.fps) and 0.1 <= a.fps <= 100):
        raise GlnnError(f"--fps must be from 0.1 to 100, not {a.fps}")
    net = recipe.network
    morph = next((s for s in sweeps if s.param == "seed"), None)
    if morph and net.seed != morph.chain[0]:
        net = net.replace(seed=morph.chain[0])
    animation = Animation(tuple(s.text for s in sweeps), a.frames, float(a.fps), a.ease, a.pingpong)
    return dataclasses.replace(recipe, network=net, animation=animation), sweeps


def animate_recipe(recipe: Recipe, out, dither: bool = True, palette: str = "frame", quiet: bool = True,
                   engine: Optional[Engine] = None, executor: Optional[Executor] = None) -> int:
    """Render a resolved animation recipe (glnn/io/request.py) into `out`; returns the number of frames written."""
    check_output(out, FORMATS)
    recipe, sweeps = prepared(recipe)
    a, net, view, fps = recipe.animation, recipe.network, recipe.view, recipe.animation.fps
    settings = frame_settings(sweeps, a.frames, a.ease, a.pingpong)
    # check every frame's settings before rendering anything
    for s in (settings[0], settings[-1]):
        apply_settings(net, view, s)
    check_memory(out, len(settings), view.size, net.channels)   # GIF, APNG, WebP hold every frame: refuse what won't fit
    chosen = (engine or default_engine()).choose(recipe.backend, net).name
    recipe = dataclasses.replace(recipe, backend=chosen)
    progress = Progress(len(settings), "frames", enabled=False if quiet else None)
    if executor is None or executor.name == "serial":
        stream = frames(net, view, sweeps, a.frames, a.ease, a.pingpong, chosen, engine, recipe.supersample)
    else:   # the frames on many processes, back in order: the same bytes as in this process
        stream = executor.map(render_frame, [FrameTask(recipe, s) for s in settings])
    with AnimationWriter(out, fps, channels=net.channels, dither=dither, palette=palette, mode=recipe.colour,
                         recipe=recipe.to_json()) as writer:
        for frame in stream:
            writer.add(frame)
            progress.step()
    progress.close()
    return len(settings)
