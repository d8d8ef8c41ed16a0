"""`glnn view`: a GLFW window to explore a random network live.

The state machine is glnn/controls.py; this module only turns GLFW events into
its actions, renders with the same GLRenderer as offscreen work, and keeps the
window responsive: while the user interacts it shows a draft at reduced
resolution, then refines at full resolution in bands of rows across frames.
Time comes from a clock passed in (swappable), never read inside rendering.
"""
from __future__ import annotations

import math
import time as _time
from pathlib import Path
from typing import Callable

import numpy as np

from . import controls
from .controls import ViewerState
from .errors import GlnnError
from .render import to_image

DRAFT_BUDGET_S = 0.04     # aim for a draft frame in this time
BAND_BUDGET_S = 0.05      # refine the full picture in slices of about this time per frame
SETTLE_S = 0.15           # after the last change, start refining


def glfw_key_names():
    import glfw

    return {getattr(glfw, n): n[4:] for n in dir(glfw) if n.startswith("KEY_") and isinstance(getattr(glfw, n), int)}


class Viewer:
    def __init__(self, state: ViewerState, size=(800, 800), screenshot_dir=".",
                 clock: Callable[[], float] = _time.perf_counter, log=print, backend: str = "auto"):
        self.state = state
        self.requested_backend = backend
        self.size = size
        self.shots = Path(screenshot_dir)
        self.clock = clock
        self.log = log
        self.window = None

    # ------------------------------------------------------------------ setup
    def open(self):
        import glfw
        import moderngl

        if not glfw.init():
            raise GlnnError("no display: glnn view needs a window (is DISPLAY set?); use glnn render for files")
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
        self.ctx = moderngl.create_context(require=330)
        from .gl_renderer import GLRenderer
        from .shader_source import ShaderSource

        self.renderer = GLRenderer(self.ctx)
        # the picture is computed by GL in this window's context, or by the CPU path and uploaded,
        # whichever `auto` measured faster here (llvmpipe: the CPU path)
        from .render import auto_choice

        if self.requested_backend == "auto":
            self.backend = auto_choice()["fused"]
        else:
            self.backend = "cpu" if self.requested_backend in ("cpu", "numpy") else "gl"
        if self.backend == "gl" and self.renderer.unroll:
            # a GPU: the fused kernel measured fastest here (falls back where this context lacks it)
            self.renderer.fused_kernel = auto_choice().get("fused_kernel")
        vs = ShaderSource("fullscreen.vert").source
        self.display = self.ctx.program(vertex_shader=vs, fragment_shader=ShaderSource("display.frag").source)
        self.overlay = self.ctx.program(vertex_shader=vs, fragment_shader=ShaderSource("overlay.frag").source)
        self.display_vao = self.ctx.vertex_array(self.display, [])
        self.overlay_vao = self.ctx.vertex_array(self.overlay, [])
        self.keys = glfw_key_names()
        self.pending = []
        self.dragging = None
        self.cursor = (0.0, 0.0)
        glfw.set_key_callback(self.window, self._on_key)
        glfw.set_mouse_button_callback(self.window, self._on_button)
        glfw.set_cursor_pos_callback(self.window, self._on_cursor)
        glfw.set_scroll_callback(self.window, self._on_scroll)
        self.targets = {}
        self.text_cache = {}
        self.sec_per_weight = {}  # GL path -> measured seconds per pixel per weight
        self.last_change = -1e9
        self.rendered_key = None
        self.full = None           # (key, rows done) of the full-resolution picture in progress
        self.shown = None          # which target is on screen: "draft" or "full"
        self.frame_ms = 0.0
        self.recompiled = False
        self.windowed_pos = None

    # -------------------------------------------------------------- callbacks
    def _on_key(self, win, key, scancode, action, mods):
        import glfw

        if action not in (glfw.PRESS, glfw.REPEAT):
            return
        name = self.keys.get(key)
        act = controls.action_for_key(name, bool(mods & glfw.MOD_SHIFT)) if name else None
        if act:
            self.pending.append(act)

    def _fb_scale(self):
        import glfw

        ww, wh = glfw.get_window_size(self.window)
        fw, fh = glfw.get_framebuffer_size(self.window)
        return (fw / ww if ww else 1.0), (fh / wh if wh else 1.0)

    def _on_button(self, win, button, action, mods):
        import glfw

        if button == glfw.MOUSE_BUTTON_LEFT:
            self.dragging = self.cursor if action == glfw.PRESS else None

    def _on_cursor(self, win, x, y):
        sx, sy = self._fb_scale()
        x, y = x * sx, y * sy
        if self.dragging is not None:
            fw, fh = self.fb_size()
            controls.pan(self.state, x - self.dragging[0], y - self.dragging[1], fw, fh)
            self.dragging = (x, y)
        self.cursor = (x, y)

    def _on_scroll(self, win, dx, dy):
        fw, fh = self.fb_size()
        controls.zoom_at(self.state, self.cursor[0], self.cursor[1], dy, fw, fh)

    def fb_size(self):
        import glfw

        fw, fh = glfw.get_framebuffer_size(self.window)
        return max(1, fw), max(1, fh)

    # --------------------------------------------------------------- drawing
    def _target(self, name, size):
        t = self.targets.get(name)
        if t is None or t[0] != size:
            tex = self.ctx.texture(size, 4, dtype="f4")
            tex.filter = (self.ctx.LINEAR, self.ctx.LINEAR) if name == "draft" else (self.ctx.NEAREST, self.ctx.NEAREST)
            tex.repeat_x = tex.repeat_y = False
            t = (size, self.ctx.framebuffer(color_attachments=[tex]))
            self.targets[name] = t
        return t[1]

    def _key(self, fw, fh):
        s = self.state
        return (s.net, id(s.net.layers), s.center, s.extent, s.time, fw, fh)

    def _arch(self):
        from .gl_renderer import choose_path

        return self.backend + "/" + choose_path(self.state.net)

    def _spp(self):
        """Estimated seconds per pixel for the current network: measured seconds per weight, times its weights."""
        spw = self.sec_per_weight.get(self._arch())
        return None if spw is None else spw * sum(l.W.size for l in self.state.net.layers)

    def _render_into(self, fbo, view, rect, dst):
        t0 = _time.perf_counter()
        before = self.renderer.compiles
        if self.backend == "cpu":
            from . import cpu

            pic = cpu.evaluate(self.state.net, view, rect=rect)
            rgba = np.zeros(pic.shape[:2] + (4,), np.float32)
            rgba[:, :, :pic.shape[2]] = pic
            fbo.color_attachments[0].write(rgba.tobytes(), viewport=(dst[0], dst[1], rect[2], rect[3]))
        else:
            self.renderer.draw(self.state.net, view, fbo, rect, dst)
        self.ctx.finish()
        dt = _time.perf_counter() - t0
        if self.renderer.compiles != before:
            self.recompiled = True
        else:
            weights = sum(l.W.size for l in self.state.net.layers)
            spw = dt / max(rect[2] * rect[3], 1) / weights
            old = self.sec_per_weight.get(self._arch())
            self.sec_per_weight[self._arch()] = spw if old is None else 0.5 * (old + spw)
        return dt

    def render_step(self, force_full=False):
        """Advance the picture by one frame's worth of work. Returns True if the screen needs a redraw."""
        fw, fh = self.fb_size()
        key = self._key(fw, fh)
        now = self.clock()
        changed = key != self.rendered_key
        if changed:
            self.rendered_key = key
            self.last_change = now
            self.recompiled = False
            self.full = (key, 0)
            spp = self._spp()
            if not force_full and (spp is None or spp * fw * fh > DRAFT_BUDGET_S):
                # unmeasured: a 1/8 draft measures the speed; else the draft size that fits the budget
                d = 8 if spp is None else min(16, max(2, math.ceil(math.sqrt(spp * fw * fh / DRAFT_BUDGET_S))))
                dw, dh = max(1, math.ceil(fw / d)), max(1, math.ceil(fh / d))
                view = _matching_view(self.state, fw, fh, dw, dh)
                fbo = self._target("draft", (dw, dh))
                self.frame_ms = 1000 * self._render_into(fbo, view, (0, 0, dw, dh), (0, 0))
                self.shown = "draft"
                return True
        if self.full is None or self.full[1] >= fh:
            return changed
        if not force_full and self.shown == "draft" and now - self.last_change < SETTLE_S:
            return False
        # refine: the next band of rows at full resolution
        spp = self._spp()
        r0 = self.full[1]
        rows = fh - r0 if (force_full or spp is None) else max(1, min(fh - r0, int(BAND_BUDGET_S / (spp * fw))))
        fbo = self._target("full", (fw, fh))
        view = self.state.view(fw, fh)
        self.frame_ms = 1000 * self._render_into(fbo, view, (0, r0, fw, rows), (0, r0))
        self.full = (key, r0 + rows)
        if r0 + rows >= fh:
            self.shown = "full"
            return True
        return self.shown != "draft"

    def draw_screen(self):
        import glfw

        fw, fh = self.fb_size()
        self.ctx.screen.use()
        self.ctx.viewport = (0, 0, fw, fh)
        self.ctx.clear(0.0, 0.0, 0.0, 1.0)
        name = self.shown or "full"
        if name in self.targets:
            self.targets[name][1].color_attachments[0].use(0)
            self.display["u_picture"].value = 0
            self.display["u_viewport"].value = (float(fw), float(fh))
            self.display["u_gray"].value = self.state.net.channels == 1
            self.display_vao.render(vertices=3)
        y = 8
        if self.state.show_hud:
            y += self._draw_text(self._hud_lines(), 8, y, fw, fh)[1] + 8
        if self.state.show_help:
            rows = list(controls.HELP)
            fit = max(4, (fh - y - 18) // 18)   # rows that fit below the HUD; more go to a second column
            columns = [rows[i:i + fit] for i in range(0, len(rows), fit)]
            x = 8
            for col in columns:
                x += self._draw_text(col, x, y, fw, fh)[0] + 8
        glfw.swap_buffers(self.window)

    def _hud_lines(self):
        s = self.state
        quality = "draft" if self.shown == "draft" else ("refining" if self.full and self.full[1] < self.fb_size()[1] else "full")
        engine = f"gl ({self.renderer.resolve_path(s.net)} kernel)" if self.backend == "gl" else self.backend
        return [controls.status_line(s),
                f"{engine} frame {self.frame_ms:.0f} ms ({quality}), {'recompiled' if self.recompiled else 'no recompile'}"
                f"{', playing' if s.playing else ''}   h: help"]

    def _draw_text(self, lines, x, y, fw, fh):
        """Draw a panel of lines (strings, or (key, description) pairs in two aligned columns); returns its size."""
        key = tuple(lines)
        tex = self.text_cache.get(key)
        if tex is None:
            from PIL import Image, ImageDraw, ImageFont

            try:
                font = ImageFont.load_default(size=14)
            except TypeError:  # Pillow < 10.1
                font = ImageFont.load_default()
            lh = 18
            keys = [l[0] for l in lines if isinstance(l, tuple)]
            indent = int(max((font.getlength(k) for k in keys), default=0)) + 14 if keys else 0
            w = int(max(font.getlength(l[1]) + indent if isinstance(l, tuple) else font.getlength(l)
                        for l in lines)) + 16
            img = Image.new("RGBA", (w, lh * len(lines) + 10), (0, 0, 0, 170))
            d = ImageDraw.Draw(img)
            for i, l in enumerate(lines):
                if isinstance(l, tuple):
                    d.text((8, 5 + i * lh), l[0], font=font, fill=(255, 220, 120, 255))
                    d.text((8 + indent, 5 + i * lh), l[1], font=font, fill=(255, 255, 255, 255))
                else:
                    d.text((8, 5 + i * lh), l, font=font, fill=(255, 255, 255, 255))
            if len(self.text_cache) > 32:
                for t in self.text_cache.values():
                    t.release()
                self.text_cache.clear()
            tex = self.ctx.texture(img.size, 4, img.tobytes())
            self.text_cache[key] = tex
        self.ctx.enable(self.ctx.BLEND)
        self.ctx.blend_func = self.ctx.SRC_ALPHA, self.ctx.ONE_MINUS_SRC_ALPHA
        tex.use(1)
        self.overlay["u_text"].value = 1
        self.overlay["u_rect"].value = (float(x), float(y), float(tex.size[0]), float(tex.size[1]))
        self.overlay["u_viewport"].value = (float(fw), float(fh))
        self.overlay_vao.render(vertices=3)
        self.ctx.disable(self.ctx.BLEND)
        return tex.size

    # --------------------------------------------------------------- requests
    def _unique(self, stem, ext):
        self.shots.mkdir(parents=True, exist_ok=True)
        n = self.state.net
        base = f"{stem}-seed{n.seed}-{n.depth}x{n.width}-{_time.strftime('%Y%m%d-%H%M%S')}"
        for i in range(10000):
            p = self.shots / (base + (f"-{i}" if i else "") + ext)
            if not p.exists():
                return p
        raise GlnnError("too many screenshots with the same name")

    def picture(self) -> np.ndarray:
        """The full-resolution picture on screen, float32 (H, W, C), row 0 at the top."""
        while self.render_step(force_full=True) or (self.full and self.full[1] < self.fb_size()[1]):
            pass
        fw, fh = self.fb_size()
        raw = self.targets["full"][1].read(components=4, dtype="f4")
        return np.frombuffer(raw, np.float32).reshape(fh, fw, 4)[:, :, :self.state.net.channels].copy()

    def handle_requests(self):
        from .export import atomic_path

        for req in self.state.requests:
            if req == "quit":
                import glfw
                glfw.set_window_should_close(self.window, True)
            elif req == "screenshot":
                path = self._unique("glnn", ".png")
                with atomic_path(path) as tmp:
                    to_image(self.picture()).save(tmp, format="PNG")
                self.log(f"screenshot: {path}")
            elif req == "screenshot_4x":
                fw, fh = self.fb_size()
                path = self._unique("glnn-4x", ".png")
                self.log(f"rendering {4 * fw}x{4 * fh} ...")
                from .render import render_view

                pic = render_view(self.state.net, self.state.view(4 * fw, 4 * fh),
                                  "gl" if self.backend == "gl" else "cpu")
                with atomic_path(path) as tmp:
                    to_image(pic).save(tmp, format="PNG")
                self.log(f"screenshot: {path}")
            elif req == "save_network":
                path = self._unique("glnn", ".npz")
                fw, fh = self.fb_size()
                self.state.net.save(path, self.state.view(fw, fh))
                self.log(f"network: {path}")
        self.state.requests.clear()

    def _apply_fullscreen(self):
        import glfw

        is_full = glfw.get_window_monitor(self.window) is not None
        if self.state.fullscreen == is_full:
            return
        if self.state.fullscreen:
            monitor = glfw.get_primary_monitor()
            mode = glfw.get_video_mode(monitor) if monitor else None
            if not mode:
                self.state.fullscreen = False
                return
            self.windowed_pos = glfw.get_window_pos(self.window) + glfw.get_window_size(self.window)
            glfw.set_window_monitor(self.window, monitor, 0, 0, mode.size.width, mode.size.height, mode.refresh_rate)
        else:
            x, y, w, h = self.windowed_pos or (50, 50) + tuple(self.size)
            glfw.set_window_monitor(self.window, None, x, y, w, h, 0)

    # ------------------------------------------------------------------- loop
    def run(self) -> int:
        import glfw

        self.open()
        last = self.clock()
        title = None
        try:
            while not glfw.window_should_close(self.window):
                busy = self.state.playing or self.dragging is not None or (self.full and self.full[1] < self.fb_size()[1])
                if busy or self.pending:
                    glfw.poll_events()
                else:
                    glfw.wait_events_timeout(0.1)
                now = self.clock()
                for act in self.pending:
                    controls.apply(self.state, act)
                self.pending.clear()
                if self.state.playing:
                    self.state.time += now - last
                last = now
                self._apply_fullscreen()
                self.handle_requests()
                t = "glnn: " + controls.status_line(self.state)
                if t != title:
                    glfw.set_window_title(self.window, t)
                    title = t
                self.render_step()
                self.draw_screen()
        finally:
            glfw.destroy_window(self.window)
            glfw.terminate()
        return 0


def _matching_view(state: ViewerState, fw: int, fh: int, dw: int, dh: int):
    """A dw x dh draft of the fw x fh window: its pixels fw / dw times bigger, the same centre."""
    extent = state.extent * (fw / dw) * min(dw, dh) / min(fw, fh)
    return state.view(dw, dh).replace(extent=extent)
