"""The live viewer as an app: state, input, scheduling and drawing, with no window toolkit.

glnn/app/window.py (GLFW) is a thin adapter around it: it forwards key names and
mouse positions (framebuffer pixels, y down) and calls frame(now, size) once
per loop, which draws into the window. Tests run the same app headless on an
EGL context, drawing into an offscreen framebuffer (frame(now, size, screen)),
with a fake clock. Time is passed in, never read inside rendering.

What it shows: the picture of the state's network and view, filled by the
backend `auto` chose (GL on this context, or the CPU path uploaded), as a
reduced-resolution draft while the user interacts and then in bands of
full-resolution rows (glnn/app/scheduler.py), each step painted through the colour
stage into the painted picture as it finishes (the draft whole, a band's rows
over it), which every frame only copies to the screen; over it the HUD and the
help (glnn/app/hud.py). The breed grid (key k) replaces the picture while it shows: 3 x 3 tiles, child k of
the network in the same view at tile size, one tile a frame through the same backend into the "grid" target,
painted through the colour stage (the picture waits and is painted again when it closes). A probe comes in bands too (glnn/rendering/probes.py's ProbeBands); a
refusal stops its bands and stays in the HUD while that view is shown. It
makes no GL call itself: its display (glnn/gl/display.py) holds the GL objects
by name and releases them when replaced, so resizing never leaks.
"""
from __future__ import annotations

import time as _time
from pathlib import Path
from typing import Callable, Optional, Tuple

import numpy as np

from ..model import colour
from . import controls, hud
from .controls import ViewerState
from ..rendering.engine import Engine
from ..errors import GlnnError, TooSmall
from ..backends import registry as backend_registry
from ..backends.base import supersampled
from ..gl.kernels import path_of
from ..gl.display import Display
from ..rendering import pipeline
from ..io import saved_network
from .interaction import TIME_SPEED
from ..rendering.probes import ProbeBands, probe_picture
from ..model.probe import GUTTER, parse_probe
from ..io.recipe import Recipe
from .scheduler import Scheduler
from ..model.view import View


PROBE_COST = 4.0      # a probe's pixel costs about this many of the outputs' (until measured)
BLACK_LEVEL = 16      # m skips a colour mode that shows this picture with channels under this (of 255) ...
BLACK_SHARE = 0.9     # ... at this share of its pixels or more


def grid_tiles(size: Tuple[int, int]):
    """The breed grid's tiles in a window of `size`: (x, y, w, h) of tile k (child k + 1) in reading order, 3 x 3,
    GUTTER black pixels between and around them; [] when the window is too small for them."""
    n = round(controls.GRID ** 0.5)
    tw, th = (size[0] - (n + 1) * GUTTER) // n, (size[1] - (n + 1) * GUTTER) // n
    if tw < 1 or th < 1:
        return []
    return [(GUTTER + c * (tw + GUTTER), GUTTER + r * (th + GUTTER), tw, th) for r in range(n) for c in range(n)]


def draft_view(state: ViewerState, fw: int, fh: int, dw: int, dh: int) -> View:
    """A dw x dh draft of the fw x fh window: its pixels fw / dw times bigger, the same centre."""
    extent = state.extent * (fw / dw) * min(dw, dh) / min(fw, fh)
    return state.view(dw, dh).replace(extent=extent)


class ViewerApp:
    def __init__(self, state: ViewerState, engine: Engine, backend: str = "auto", screenshot_dir=".",
                 log: Callable[[str], None] = print, clock: Callable[[], float] = _time.perf_counter,
                 supersample: int = 1):
        self.state, self.engine, self.log, self.clock = state, engine, log, clock
        self.supersample = supersample   # samples per pixel (per side) of the 4x screenshot
        self.shots = Path(screenshot_dir)
        # the window is filled by GL on its own context or by the CPU path uploaded, whichever `auto`
        # measured faster here (llvmpipe: the CPU path); the float64 reference is too slow to explore with
        if backend == "auto":
            backend = engine.auto_choice()["fused"]
        self.backend = engine.backend(backend_registry.for_window(backend))
        # the display (every GL call of the window: picture targets, colour stage, HUD) lives on the same
        # context, whatever fills the picture
        self.display = Display(engine.gl.device)
        self.scheduler = Scheduler(clock)
        self.pending = []
        self.dragging: Optional[Tuple[float, float]] = None
        self.cursor = (0.0, 0.0)
        self.size = (1, 1)
        self.frame_ms = 0.0          # the last draft's time, or the whole full picture's (all its bands)
        self.picture_ms = 0.0        # the full picture's bands so far
        self.notice = ("", 0.0)      # a message shown in the HUD until a time (screenshots, refusals)
        self.recompiled = False
        self._painted = None         # (colour id, size) the painted picture was painted for
        self._stepped: Optional[float] = None   # the last frame's step's seconds (None: it computed nothing)
        self._probes = {}            # "draft"/"full" -> (what it shows, its ProbeBands)
        self.refused: Optional[Tuple[object, str]] = None   # (the view, why) a probe refused: said while shown
        self._grid = None            # the breed grid: [what it shows, its children, tiles drawn so far]
        self._grid_painted = None    # (what, tiles drawn, colour id, size) the painted picture shows of it
        self.should_close = False
        self.last_time: Optional[float] = None

    # ----------------------------------------------------------------- input
    def key(self, name: str, shift: bool = False) -> None:
        """A key press by GLFW's key name without KEY_ ("R", "UP", "LEFT_BRACKET")."""
        act = controls.action_for_key(name, shift)
        if act:
            self.pending.append(act)

    def press(self) -> None:
        self.dragging = self.cursor

    def release(self) -> None:
        self.dragging = None

    def move(self, x: float, y: float) -> None:
        """The cursor moved to (x, y), framebuffer pixels with y down: a drag pans."""
        if self.dragging is not None:
            controls.pan(self.state, x - self.dragging[0], y - self.dragging[1], *self.size)
            self.dragging = (x, y)
        self.cursor = (x, y)

    def scroll(self, notches: float) -> None:
        controls.zoom_at(self.state, self.cursor[0], self.cursor[1], notches, *self.size)

    @property
    def busy(self) -> bool:
        """More frames are wanted without waiting for input (playing, dragging, refining)."""
        if self.state.breeding:   # the picture waits while the grid shows: the grid's tiles are the work
            more = self._grid is None or self._grid[0] != self._grid_key() or self._grid[2] < len(self._grid[1])
        else:
            more = self.scheduler.refining
        return bool(self.state.playing or self.dragging is not None or self.pending or more)

    # ---------------------------------------------------------------- frames
    def frame(self, now: float, size: Tuple[int, int], screen=None) -> None:
        """One loop iteration: apply input, advance time, carry out requests, compute, draw into `screen` (a
        framebuffer; None: the window's own)."""
        self.size = (max(1, size[0]), max(1, size[1]))
        for act in self.pending:
            if act == "toggle_play" and self.state.net.inputs <= 2:
                self.say("t plays time only with extra inputs (glnn view --inputs 3 or more)")
            if act == "edge_of_chaos" and self.state.net.activation == "mix":
                self.say("e: mix has no one edge of chaos (each layer its own activation); nothing changed")
            controls.apply(self.state, act)
            if act in ("next_colour", "prev_colour"):
                self._past_black(act)
        self.pending.clear()
        if self.state.playing and self.last_time is not None:
            self.state.time += TIME_SPEED * (now - self.last_time)
        if self.last_time is not None and self._stepped is not None and now - self.last_time < 1.0:
            # the last frame's time besides its step: what each band leaves room for (not idle waits)
            self.scheduler.tell_overhead(now - self.last_time - self._stepped)
        self.last_time = now
        self.handle_requests()
        self._stepped = None
        t0 = self.clock()
        if self.grid_step() if self.state.breeding else self.compute():
            self._stepped = self.clock() - t0
        self.draw(screen)

    def _kind(self):
        """What a step's speed depends on: the backend, the GL path, and the probe drawn (a probe's pixel costs
        more than an output's)."""
        probe = self.state.probe_text
        return (self.backend.name, path_of(self.state.net), probe.split(":")[0] if probe else None)

    def _weights(self) -> int:
        return sum(l.W.size for l in self.state.net.layers)

    def _key(self):
        s = self.state
        return (s.net, id(s.net.layers), s.center, s.extent, s.time, self.size, s.probe_text)

    def compute(self, force_full: bool = False) -> bool:
        """Do this frame's share of the picture and paint it; True when the screen shows something new."""
        gl = backend_registry.entry(self.backend.name).draws_to_texture
        kind = self._kind()
        if kind[2] is not None:   # a probe's first draft sized from the outputs' speed, not the blind first draft
            self.scheduler.guess(kind, kind[:2] + (None,), PROBE_COST)
        step = self.scheduler.next_step(self._key(), self.size, self._kind(), self._weights(), force_full,
                                        rows_multiple=2 if gl else 1)
        if step is None:
            return False
        t0 = self.clock()
        before = self.backend.compiles
        if step.kind == "draft":
            view = draft_view(self.state, *self.size, *step.size)
            ok = self._fill(self.display.target("draft", step.size, linear=True), view, (0, 0) + step.size, "draft")
        else:
            view = self.state.view(*self.size)
            ok = self._fill(self.display.target("full", self.size), view, (0, step.first, self.size[0], step.rows),
                            "full")
        self.display.finish()   # the step's time is the GPU's too: the scheduler sizes the next step by it
        seconds = self.clock() - t0
        compiled = self.backend.compiles != before
        self.recompiled = compiled or (self.recompiled and step.first > 0)
        if step.kind == "draft":
            self.frame_ms = 1000 * seconds
        else:
            self.picture_ms = (0.0 if step.first == 0 else self.picture_ms) + 1000 * seconds
            if step.first + step.rows >= step.size[1]:
                self.frame_ms = self.picture_ms
        shown = self.scheduler.finished(step, self._kind(), self._weights(), seconds, compiled)
        if not ok:             # a refused probe: no more bands of this view
            self.scheduler.abandon()
            self._painted = None
        self._paint(step)
        return shown

    # ----------------------------------------------------------- breed grid
    def _grid_key(self):
        s = self.state
        return (s.net, id(s.net.layers), s.center, s.extent, s.time, self.size)

    def grid_step(self) -> bool:
        """The breed grid's next tile (one a frame: the window stays responsive) into the "grid" target: child k
        of the state's network in the state's view at tile size, through the app's backend, as a picture is;
        True when a tile was drawn."""
        key = self._grid_key()
        if self._grid is None or self._grid[0] != key:
            children = []
            for seed in self.state.grid_seeds:
                try:
                    children.append(self.state.net.child(seed, controls.BREED_STRENGTH))
                except GlnnError:
                    children.append(None)   # past the lineage's limits: a black tile (its key does nothing)
            tiles = grid_tiles(self.size)
            self._grid = [key, children if tiles else [], 0]
            fbo = self.display.target("grid", self.size)
            self.display.write(fbo, np.zeros((self.size[1], self.size[0], 1), np.float32), (0, 0))
        key, children, done = self._grid
        if done >= len(children):
            return False
        child, (x, y, w, h) = children[done], grid_tiles(self.size)[done]
        if child is not None:
            s = self.state
            view, fbo = View(w, h, s.center, s.extent, s.time), self.display.held("grid")
            if backend_registry.entry(self.backend.name).draws_to_texture:
                self.backend.draw(child, view, fbo, (0, 0, w, h), (x, y))
            else:
                self.display.write(fbo, self.backend.render(child, view), (x, y))
        self._grid[2] += 1
        return True

    def grid_picture(self) -> np.ndarray:
        """The whole breed grid of the current state, raw float32 (H, W, C), row 0 at the top (tests)."""
        while self.grid_step():
            pass
        return self.display.read(self.display.held("grid"), self.state.net.channels)

    def _paint_grid(self) -> None:
        """The breed grid's target through the colour stage of the outputs into the painted picture (the main
        picture is painted again when the grid closes)."""
        cid = colour.IDS[self.state.outputs_colour_mode]
        want = (self._grid[0], self._grid[2], cid, self.size) if self._grid else None
        if want is not None and self._grid_painted != want and self.display.held("grid") is not None:
            self.display.paint(self.display.held("grid"), cid, self.size)
            self._grid_painted = want
        self._painted = None

    # ------------------------------------------------------------- painting
    def _painting(self):
        """What the painted picture depends on besides its pixels: the colour mode and the window's size."""
        return colour.IDS[self.state.colour_mode], self.size

    def _paint(self, step) -> None:
        """The step's pixels through the colour stage into the painted picture: a draft whole, a band's rows only
        (sharp rows replace the draft band by band)."""
        if self._painted != self._painting():
            self._repaint()
            return
        cid = self._painted[0]
        if step.kind == "draft":
            self.display.paint(self.display.held("draft"), cid, self.size)
        else:
            self.display.paint(self.display.held("full"), cid, self.size, (step.first, step.rows))

    def _repaint(self) -> None:
        """The painted picture again from the targets (a new colour mode or window size): the draft with the
        finished rows over it while refining after a draft, else the full picture."""
        cid, size = self._painting()
        sch = self.scheduler
        draft, full = self.display.held("draft"), self.display.held("full")
        if draft is not None and sch.draft_key == sch.key and (sch.shown == "draft" or sch.refining):
            self.display.paint(draft, cid, size)
            if full is not None and sch.rows_done:
                self.display.paint(full, cid, size, (0, sch.rows_done))
        elif full is not None:
            self.display.paint(full, cid, size)
        elif draft is not None:
            self.display.paint(draft, cid, size)
        self._painted = (cid, size)

    def _shown_raw(self) -> Optional[np.ndarray]:
        """The raw outputs on screen now (the full picture, else the draft), every 4th pixel; None: none yet."""
        sch = self.scheduler
        name = "full" if sch.shown == "full" and not sch.refining else "draft" if sch.shown == "draft" else None
        target = self.display.held(name) if name else None
        if target is None or self.state.probe_text:
            return None
        return self.display.read(target, self.state.net.channels)[::4, ::4]

    def _past_black(self, act: str) -> None:
        """m / M: past colour modes that would show this picture (almost) all black (hsv of outputs whose third
        is near 0), saying which; where every mode is, the next one."""
        raw = self._shown_raw()
        if raw is None:
            return
        skipped = []
        for _ in range(len(colour.TABLE)):
            mode = self.state.colour_mode
            shown = colour.to_uint8(raw, mode)
            if np.mean(shown.max(axis=2) < BLACK_LEVEL) < BLACK_SHARE or mode in skipped:
                break
            skipped.append(mode)
            controls.apply(self.state, act)
        if skipped and self.state.colour_mode in skipped:   # all black: keep the first
            self.state.colour = skipped[0]
        elif skipped:
            self.say(f"{', '.join(skipped)} skipped: (almost) black for this picture")

    def say(self, text: str, seconds: float = 3.0) -> None:
        """A message in the window (and on the log) for a few seconds."""
        self.log(text)
        self.notice = (text, (self.last_time or 0.0) + seconds)

    def _fill(self, fbo, view: View, rect, kind: str) -> bool:
        """Pixels rect of the picture into the same place of `fbo` (a display target); False when a probe refused
        (its message is shown)."""
        dst = (rect[0], rect[1])
        if self.state.probe_text:   # a probe comes in bands like a picture
            try:
                bands = self._probe_bands(kind, view)
                pixels = bands.rows(rect[1], rect[3])
            except GlnnError as e:   # too many regions to colour: say so, whole, while this view is shown
                if kind == "draft":
                    self.display.write(fbo, np.zeros((rect[3], rect[2], 1), np.float32), dst)
                    if isinstance(e, TooSmall):   # too small a draft for a sheet of tiles: the full picture has room
                        return True
                self.refused = (self._key(), str(e))
                self.log(str(e))
                return False
            self.display.write(fbo, pixels, dst)
            if kind == "full" and rect[1] + rect[3] >= view.height:
                whole = self.display.read(fbo, bands.channels)
                if bands.renormalise(whole):   # gray levels drawn with the largest value so far: now the view's
                    self.display.write(fbo, whole, (0, 0))
                    self._painted = None
            return True
        if backend_registry.entry(self.backend.name).draws_to_texture:
            self.backend.draw(self.state.net, view, fbo, rect, dst)
            return True
        self.display.write(fbo, self.backend.render(self.state.net, view, rect), dst)
        return True

    def _probe_bands(self, kind: str, view: View) -> ProbeBands:
        """The probe's bands for the draft or the full picture of this view (made again when it changes)."""
        key = (self._key(), view)
        held = self._probes.get(kind)
        if held is None or held[0] != key:
            held = self._probes[kind] = (key, ProbeBands(parse_probe(self.state.probe_text, self.state.net),
                                                         self.state.net, view, self.backend))
        return held[1]

    def _probe(self, view: View) -> np.ndarray:
        """A probe's whole picture (the 4x screenshot); black with the refusal said when it refuses."""
        try:
            return probe_picture(parse_probe(self.state.probe_text, self.state.net), self.state.net, view, self.backend)
        except GlnnError as e:
            self.say(str(e))
            return np.zeros((view.height, view.width, 1), np.float32)

    def draw(self, screen=None) -> None:
        """The picture through the colour stage, the HUD and the help, into `screen` (a framebuffer; None: the
        window's own)."""
        if self.state.breeding:
            self._paint_grid()
        else:
            self._grid_painted = None
            if self._painted != self._painting():
                self._repaint()
        self.display.present(screen, self.size)
        y = 8
        if self.state.breeding and self.state.show_hud and self._grid is not None:   # each tile's key
            for k, (x, ty, w, h) in enumerate(grid_tiles(self.size)[:len(self._grid[1])]):
                if w >= 24 and h >= 3 * hud.line_height(12):   # bottom left: the HUD covers the top left
                    hud.panel(self.display, f"tile {k + 1}", [str(k + 1)], x + 2, ty + h - hud.line_height(12) - 12,
                              self.size, size=12)
        if self.state.show_hud:
            y += hud.panel(self.display, "hud", self.hud_lines(), 8, y, self.size)[1] + 8
        if self.state.show_help:
            hud.columns(self.display, list(controls.HELP), 8, y, self.size)

    def hud_lines(self):
        s = self.state
        sch = self.scheduler
        if sch.refining and sch.size[1]:
            # in steps of 5 %: a HUD that changes every band is rasterised every frame (10 ms on a loaded machine)
            quality = f"refining {5 * (20 * sch.rows_done // sch.size[1])} %"
        else:
            quality = "draft" if sch.shown == "draft" else "full"
        engine = self.backend.label(s.net)
        what = "draft" if sch.shown == "draft" else "picture"
        lines = [controls.status_line(s),
                 f"{engine}: {what} {self.frame_ms:.0f} ms ({quality}), "
                 f"{'recompiled' if self.recompiled else 'no recompile'}{', playing' if s.playing else ''}   h: help"]
        if s.breeding:
            drawn = f", {self._grid[2]}/{len(self._grid[1])} drawn" if self._grid and self._grid[2] < len(self._grid[1]) else ""
            small = "" if grid_tiles(self.size) else " (the window is too small for its tiles)"
            lines.append(f"breed: pick 1-9{small} (k / Esc: close, B: back to the parent){drawn}")
        if self.notice[0] and (self.last_time or 0.0) < self.notice[1]:
            lines.append(self.notice[0])
        if self.refused is not None and self.refused[0] == self._key():
            lines.append(self.refused[1])
        return lines

    # -------------------------------------------------------------- requests
    def picture(self) -> np.ndarray:
        """The full-resolution picture of the current state, raw float32 (H, W, C), row 0 at the top."""
        while self.compute(force_full=True) or self.scheduler.refining:
            pass
        return self.display.read(self.display.target("full", self.size), colour.BY_NAME[self.state.colour_mode].inputs)

    def _unique(self, stem: str, ext: str) -> Path:
        self.shots.mkdir(parents=True, exist_ok=True)
        n = self.state.net
        base = f"{stem}-seed{n.seed}-{n.depth}x{n.width}-{_time.strftime('%Y%m%d-%H%M%S')}"
        for i in range(10000):
            p = self.shots / (base + (f"-{i}" if i else "") + ext)
            if not p.exists():
                return p
        raise GlnnError("too many screenshots with the same name")

    def _save(self, picture: np.ndarray, view: View, stem: str, supersample: int = 1) -> None:
        """A screenshot, with its recipe: `glnn render --from` makes it again, at any size."""
        path = self._unique(stem, ".png")
        mode = self.state.colour_mode
        recipe = Recipe(self.state.net, view, mode, self.backend.name, supersample=supersample,
                        probe=self.state.probe_text)
        pipeline.save(picture, recipe, path)   # the colour stage and the PNG writer, as glnn render's
        self.say(f"screenshot: {path}")

    def handle_requests(self) -> None:
        for req in self.state.requests:
            if req == "quit":
                self.should_close = True
            elif req == "screenshot":
                self._save(self.picture(), self.state.view(*self.size), "glnn")
            elif req == "screenshot_4x":
                view = self.state.view(4 * self.size[0], 4 * self.size[1])
                self.log(f"rendering {view.width}x{view.height} ...")
                if self.state.probe_text:
                    self._save(self._probe(view), view, "glnn-4x")
                else:
                    self._save(supersampled(self.backend, self.state.net, view, self.supersample), view, "glnn-4x",
                               self.supersample)
            elif req == "save_network":
                path = self._unique("glnn", ".npz")
                saved_network.save(self.state.net, path, self.state.view(*self.size))
                self.say(f"network: {path}")
        self.state.requests.clear()

    def live_objects(self) -> int:
        """GL objects the app and the engine's GL backend hold now (flat across resizes)."""
        return self.display.live() + self.engine.gl.device.resources.live()

    def close(self) -> None:
        self.display.release()
