"""`glnn view`: the GLFW adapter around the viewer app (glnn/app/viewer.py).

It opens a GL 3.3 core window, hands its context to an Engine (so the window's
offscreen work, 4x screenshots included, shares it), turns GLFW's events into
the app's key names and framebuffer-pixel positions, and runs the loop. All
the behaviour is in the app, which is tested without a display.
"""
from __future__ import annotations

import time as _time
import warnings
from typing import Callable, Optional, Tuple

import glfw

from .controls import ViewerState
from ..rendering.engine import Engine
from ..errors import GlnnError
from ..gl.context import create_window_context
from .viewer import ViewerApp
from . import controls

KEY_NAMES = {getattr(glfw, n): n[4:] for n in dir(glfw) if n.startswith("KEY_") and isinstance(getattr(glfw, n), int)}


class Window:
    def __init__(self, state: ViewerState, size: Tuple[int, int] = (800, 800), screenshot_dir=".",
                 backend: str = "auto", log: Callable[[str], None] = print,
                 clock: Callable[[], float] = _time.perf_counter, supersample: int = 1):
        self.state, self.size, self.screenshot_dir = state, size, screenshot_dir
        self.requested_backend, self.log, self.clock, self.supersample = backend, log, clock, supersample
        self.window = None
        self.app: Optional[ViewerApp] = None
        self.engine: Optional[Engine] = None
        self._title = None
        self._windowed = None

    def open(self) -> "Window":
        with warnings.catch_warnings(record=True) as said:   # GLFW's warning goes into our one line, not above it
            warnings.simplefilter("always")
            opened = glfw.init()
        if not opened:
            why = "".join(f" ({str(w.message).split(chr(39))[1 if chr(39) in str(w.message) else 0]})" for w in said[-1:])
            raise GlnnError(f"no display{why}: glnn view needs a window (is DISPLAY set?); use glnn render for files")
        glfw.window_hint(glfw.CONTEXT_VERSION_MAJOR, 3)
        glfw.window_hint(glfw.CONTEXT_VERSION_MINOR, 3)
        glfw.window_hint(glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)
        glfw.window_hint(glfw.OPENGL_FORWARD_COMPAT, True)
        glfw.window_hint(glfw.RESIZABLE, True)
        glfw.window_hint(glfw.SCALE_TO_MONITOR, True)
        self.window = glfw.create_window(self.size[0], self.size[1], "glnn", None, None)
        if not self.window:
            glfw.terminate()
            raise GlnnError("no display: could not open an OpenGL 3.3 window; use glnn render for files")
        glfw.make_context_current(self.window)
        glfw.swap_interval(1)
        self.ctx = create_window_context()
        self.engine = Engine(ctx=self.ctx, log=self.log)
        self.app = ViewerApp(self.state, self.engine, self.requested_backend, self.screenshot_dir, self.log, self.clock,
                             supersample=self.supersample)
        glfw.set_key_callback(self.window, self._on_key)
        glfw.set_mouse_button_callback(self.window, self._on_button)
        glfw.set_cursor_pos_callback(self.window, self._on_cursor)
        glfw.set_scroll_callback(self.window, lambda win, dx, dy: self.app.scroll(dy))
        return self

    # -------------------------------------------------------------- callbacks
    def _on_key(self, win, key, scancode, action, mods):
        if action in (glfw.PRESS, glfw.REPEAT) and key in KEY_NAMES:
            self.app.key(KEY_NAMES[key], bool(mods & glfw.MOD_SHIFT))

    def _on_button(self, win, button, action, mods):
        if button == glfw.MOUSE_BUTTON_LEFT:
            self.app.press() if action == glfw.PRESS else self.app.release()

    def _on_cursor(self, win, x, y):
        ww, wh = glfw.get_window_size(self.window)
        fw, fh = self.fb_size()
        self.app.move(x * (fw / ww if ww else 1.0), y * (fh / wh if wh else 1.0))

    def fb_size(self) -> Tuple[int, int]:
        fw, fh = glfw.get_framebuffer_size(self.window)
        return max(1, fw), max(1, fh)

    # ------------------------------------------------------------------- loop
    def step(self, wait: bool = False) -> bool:
        """One loop iteration; False once the window should close."""
        if wait and not self.app.busy:
            glfw.wait_events_timeout(0.1)
        else:
            glfw.poll_events()
        self.app.frame(self.clock(), self.fb_size())   # into the window's framebuffer
        self._apply_fullscreen()
        title = "glnn: " + controls.status_line(self.state)
        if title != self._title:
            glfw.set_window_title(self.window, title)
            self._title = title
        glfw.swap_buffers(self.window)
        if self.app.should_close:
            glfw.set_window_should_close(self.window, True)
        return not glfw.window_should_close(self.window)

    def _apply_fullscreen(self):
        is_full = glfw.get_window_monitor(self.window) is not None
        if self.state.fullscreen == is_full:
            return
        if self.state.fullscreen:
            monitor = glfw.get_primary_monitor()
            mode = glfw.get_video_mode(monitor) if monitor else None
            if not mode:
                self.state.fullscreen = False
                return
            self._windowed = glfw.get_window_pos(self.window) + glfw.get_window_size(self.window)
            glfw.set_window_monitor(self.window, monitor, 0, 0, mode.size.width, mode.size.height, mode.refresh_rate)
        else:
            x, y, w, h = self._windowed or (50, 50) + tuple(self.size)
            glfw.set_window_monitor(self.window, None, x, y, w, h, 0)

    def close(self) -> None:
        if self.app is not None:
            self.app.close()
        if self.engine is not None:
            self.engine.close()
        if self.window is not None:
            glfw.destroy_window(self.window)
            self.window = None
        glfw.terminate()


def run_window(state: ViewerState, size=(800, 800), screenshot_dir=".", backend: str = "auto",
               log: Callable[[str], None] = print, supersample: int = 1) -> int:
    window = Window(state, size, screenshot_dir, backend, log, supersample=supersample).open()
    try:
        while window.step(wait=True):
            pass
    finally:
        window.close()
    return 0
