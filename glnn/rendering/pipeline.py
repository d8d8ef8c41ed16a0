"""One pipeline for every picture glnn makes: a resolved Recipe (glnn/io/request.py) -> raw outputs (whole, or in
bands of rows; supersampled; or a probe's picture) -> the colour stage (glnn/model/colour.py) -> a writer (a PNG
streamed band by band, a .npy, an image in memory, an 8-bit cell of a sheet, an animation's frame).

    chosen, recipe = choose(recipe, engine)      # the backend, and the recipe that names it
    write(recipe, "out.png", engine)             # glnn render
    image(recipe, engine)                        # the API's render_image, figure panels
    pixels(recipe)                               # a grid cell (on a batch worker)
    frame(recipe, settings, engine)              # an animation's frame

Every path renders as it did before this module: a whole picture through engine.render, a file through the
backend's bands (memory stays at one band at any size), paced when a progress bar watches. The raw stage is
one of two (raw_stage): the network's outputs or a probe's picture, each whole or in bands; the writers take
either, so a probe is a stage of its own, not a branch inside writing.
"""
from __future__ import annotations

import dataclasses
import time
from typing import Callable, Iterator, Optional, Tuple

import numpy as np
from PIL import Image

from ..model import colour
from ..backends.base import Backend, bands as backend_bands, supersampled_rows
from .engine import Engine, default_engine
from ..errors import GlnnError
from ..io.images import save_bands, save_picture
from ..model.probe import parse_probe
from .probes import ProbeOutputs
from .progress import paced
from ..io.recipe import Recipe
from ..io.sweeps import apply_settings


BAND_PIXELS = 1 << 22   # the largest band a file is written in

# ------------------------------------------------------------------ render
def choose(recipe: Recipe, engine: Optional[Engine] = None) -> Tuple[Backend, Recipe]:
    """The backend the recipe asks for ("auto": the engine's choice for its network), and the recipe naming it."""
    chosen = (engine or default_engine()).choose(recipe.backend, recipe.network)
    return chosen, dataclasses.replace(recipe, backend=chosen.name)


# ------------------------------------------------------------ the raw stage
@dataclasses.dataclass(frozen=True)
class NetworkOutputs:
    """The raw stage of a plain picture: the network's outputs, supersampled, whole or in bands."""
    recipe: Recipe
    backend: Backend
    engine: Engine

    @property
    def channels(self) -> int:
        return self.recipe.network.channels

    whole_only = False

    def whole(self) -> np.ndarray:
        r = self.recipe
        return finite(self.engine.render(r.network, r.view, self.backend.name, supersample=r.supersample),
                      r.network)

    def bands(self, progress: Optional[Callable[[int], None]] = None,
              clock: Callable[[], float] = time.perf_counter) -> Iterator[np.ndarray]:
        net, bad = self.recipe.network, 0
        for band in bands(self.recipe, self.backend, progress, clock):
            if bad or not np.isfinite(band).all():   # the rest is made, not written, to count them all
                bad += _non_finite(band)
            else:
                yield band
        if bad:
            raise _overflow(net, bad, self.recipe.view.width * self.recipe.view.height)

    def note(self) -> Optional[str]:
        """Nothing to say beside a plain picture (a probe's stage may: ProbeOutputs.note)."""
        return None


def finite(outputs: np.ndarray, net) -> np.ndarray:
    """A whole picture's `outputs`, checked finite; GlnnError if any is infinite or NaN (float32 overflow: weights
    near 1e38; every backend gives them silently, the GPU too). One pass over the outputs, a fraction of what
    making them cost: no picture of undefined colours is ever written (docs/contract.md)."""
    if np.isfinite(outputs).all():
        return outputs
    raise _overflow(net, _non_finite(outputs), outputs.shape[0] * outputs.shape[1])


def _non_finite(outputs: np.ndarray) -> int:
    """How many pixels of (rows, W, C) outputs have an infinite or NaN channel."""
    return int(np.count_nonzero(~np.isfinite(outputs).all(axis=-1)))


def _overflow(net, bad: int, pixels: int) -> GlnnError:
    big, name = max(((float(np.max(np.abs(a))) if a.size else 0.0, f"{w}{i}")
                     for i, l in enumerate(net.layers) for w, a in (("W", l.W), ("b", l.b))), key=lambda t: t[0])
    return GlnnError(f"the network's outputs overflow to infinity or NaN at {bad:,} of {pixels:,} pixels "
                     f"(weights up to {big:.3g} in {name}): float32 cannot draw this network; no picture was written")


def raw_stage(recipe: Recipe, backend: Backend, engine: Engine):
    """The stage that makes the picture's raw outputs: the network's (NetworkOutputs), or a probe's picture
    (glnn/rendering/probes.py ProbeOutputs). Each gives whole(), bands(progress) and note(), a line to say beside
    the picture once made (or None); the writers take either."""
    if recipe.probe:
        if recipe.supersample != 1:
            raise GlnnError("--supersample does not apply to --probe pictures")
        return ProbeOutputs(parse_probe(recipe.probe, recipe.network), recipe.network, recipe.view, backend)
    return NetworkOutputs(recipe, backend, engine)


def raw(recipe: Recipe, engine: Optional[Engine] = None) -> np.ndarray:
    """The whole picture's raw outputs, float32 (H, W, C), row 0 at the top: the network's outputs
    (supersampled), or the probe's picture."""
    engine = engine or default_engine()
    return raw_stage(recipe, engine.choose(recipe.backend, recipe.network), engine).whole()


def bands(recipe: Recipe, backend: Backend, progress: Optional[Callable[[int], None]] = None,
          clock: Callable[[], float] = time.perf_counter) -> Iterator[np.ndarray]:
    """The network's raw outputs as bands of rows, top to bottom, supersampled; progress(rows done), at least
    every second: with a progress, bands are paced (glnn/rendering/progress.py) to about half a second each."""
    if progress is None:
        return backend_bands(backend, recipe.network, recipe.view, recipe.supersample)
    return _paced_bands(recipe, backend, progress, clock)


def _paced_bands(recipe: Recipe, backend: Backend, progress: Callable[[int], None], clock) -> Iterator[np.ndarray]:
    net, view, k = recipe.network, recipe.view, recipe.supersample
    most = max(1, BAND_PIXELS // (view.width * k * k))
    for r0, n in paced(view.height, most, clock=clock):
        yield supersampled_rows(backend, net, view, k, r0, n)
        progress(r0 + n)


# ------------------------------------------------------------ colour stage
def colours(picture: np.ndarray, mode: Optional[str]) -> np.ndarray:
    """Raw outputs through the colour stage: 8-bit (H, W, 1 or 3)."""
    return colour.to_uint8(picture, mode)


# ------------------------------------------------------------------ writers
def as_image(data: np.ndarray) -> Image.Image:
    """8-bit colours as a PIL image: (H, W, 1) as mode L, (H, W, 3) as RGB."""
    return Image.fromarray(data[:, :, 0] if data.shape[2] == 1 else data)


def image(recipe: Recipe, engine: Optional[Engine] = None) -> Image.Image:
    """The picture in memory, through the colour stage (RGB, or L for gray)."""
    return as_image(colours(raw(recipe, engine), recipe.colour))


def pixels(recipe: Recipe, engine: Optional[Engine] = None) -> np.ndarray:
    """The picture's 8-bit colours, (h, w, 3) or (h, w) for gray: a cell of a sheet."""
    data = colours(raw(recipe, engine), recipe.colour)
    return data if data.shape[2] == 3 else data[:, :, 0]


def frame(recipe: Recipe, settings: dict, engine: Optional[Engine] = None) -> np.ndarray:
    """One animation frame's raw outputs: the recipe with the frame's settings (glnn/io/sweeps.py) applied (the
    animation writer applies the colour stage)."""
    net, view = apply_settings(recipe.network, recipe.view, settings)
    return raw(dataclasses.replace(recipe, network=net, view=view, animation=None), engine)


def write(recipe: Recipe, out, engine: Optional[Engine] = None, progress: Optional[Callable[[int], None]] = None,
          what: str = "--out", outputs=None, notes: Optional[Callable[[str], None]] = None) -> Recipe:
    """The picture as a file, by its extension (.png: 8-bit colours and the recipe; .npy: raw float32), written
    atomically (`outputs`: with the command's other files, glnn/io/files.py); a plain picture band by band. Returns
    the recipe, its backend chosen; notes(line) hears what the stage says of the picture once made (a regions
    picture: its regions per unit area)."""
    engine = engine or default_engine()
    chosen, recipe = choose(recipe, engine)
    as_json = recipe.to_json() if str(out).lower().endswith(".png") else None
    stage = raw_stage(recipe, chosen, engine)
    if stage.whole_only:   # a saturation picture's legend needs the whole picture's range
        save_picture(stage.whole(), out, recipe.colour, what, recipe=as_json, outputs=outputs)
    else:   # band by band (a refusal, like too many regions, leaves no file)
        save_bands(stage.bands(progress), out, recipe.view.size, stage.channels, recipe.colour, what,
                   recipe=as_json, outputs=outputs)
    note = stage.note() if notes else None
    if note:
        notes(note)
    return recipe


def save(picture: np.ndarray, recipe: Recipe, path, what: str = "--out") -> None:
    """A picture already rendered for `recipe` (a window's screenshot) through the colour stage into a file that
    carries the recipe."""
    save_picture(picture, path, recipe.colour, what, recipe=recipe.to_json())
