"""GL objects that outlive one draw: render targets, storage buffers and the uploaded weights.

Everything is held by name and released when it is replaced (a new size, a
larger buffer) or when the owner closes, so resizing a window or rendering
pictures of many sizes never leaks GPU memory: `live()` counts what is held.
Weights are uploaded once per network (they are keyed by the network's layers)
and rewritten in place when the size allows.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple


from ..model.network import Network
from .context import Caps
from .packing import WEIGHT_TEX_WIDTH, pack_weights
from .programs import BINDINGS, ProgramCache


class Resources:
    def __init__(self, ctx):
        self.ctx = ctx
        self._targets: Dict[str, Tuple[Tuple[int, int], object]] = {}   # name -> (size, framebuffer)
        self._buffers: Dict[str, object] = {}
        self._packed: Dict[str, Tuple[object, List[int]]] = {}           # buffer name -> (layers, offsets)
        self._weights: Optional[Tuple[object, object, List[int]]] = None  # (layers, texture, offsets)
        self.created = self.released = 0   # GL objects made and released here: live() is the difference

    def _made(self, obj):
        self.created += 1
        return obj

    def _free(self, obj) -> None:
        obj.release()
        self.released += 1

    # ---------------------------------------------------------------- targets
    def target(self, name: str, size: Tuple[int, int], linear: bool = False, dtype: str = "f4"):
        """An RGBA texture (RGBA32F; dtype "f1": RGBA8) + framebuffer of exactly `size`, kept under `name` (the old
        one released)."""
        held = self._targets.get(name)
        if held is not None and held[0] == size:
            return held[1]
        if held is not None:
            self._release_target(held[1])
        tex = self._made(self.ctx.texture(size, 4, dtype=dtype))
        f = self.ctx.LINEAR if linear else self.ctx.NEAREST
        tex.filter = (f, f)
        tex.repeat_x = tex.repeat_y = False
        fbo = self._made(self.ctx.framebuffer(color_attachments=[tex]))
        self._targets[name] = (size, fbo)
        return fbo

    def held(self, name: str):
        """The framebuffer held under `name`, or None."""
        held = self._targets.get(name)
        return None if held is None else held[1]

    def _release_target(self, fbo) -> None:
        textures = fbo.color_attachments
        park(self.ctx)
        self._free(fbo)
        for t in textures:
            self._free(t)

    # ---------------------------------------------------------------- buffers
    def buffer(self, name: str, nbytes: int):
        """A storage buffer of at least nbytes kept under `name` (grown, never shrunk)."""
        buf = self._buffers.get(name)
        if buf is None or buf.size < nbytes:
            if buf is not None:
                self._free(buf)
            buf = self._buffers[name] = self._made(self.ctx.buffer(reserve=max(nbytes, 16)))
        return buf

    def packed(self, name: str, net: Network, pack: Callable, binding: str) -> List[int]:
        """Storage buffer `name` holding pack(net)'s array, bound at BINDINGS[binding]; rewritten only when the
        network's layers change. Returns each layer's first index in it."""
        cached = self._packed.get(name)
        if cached is None or cached[0] is not net.layers:
            data, offsets = pack(net)[:2]
            self.buffer(name, data.nbytes).write(data.tobytes())
            cached = self._packed[name] = (net.layers, offsets)   # holding the layers keeps `is` meaningful
        self._buffers[name].bind_to_storage_buffer(BINDINGS[binding])
        return cached[1]

    def weights_texture(self, net: Network) -> List[int]:
        """The weights as an RGBA32F texture (packing.pack_weights), bound to TEX_WEIGHTS; each layer's first texel."""
        if self._weights is None or self._weights[0] is not net.layers:
            texels, offsets = pack_weights(net)
            rows = texels.shape[0]
            tex = self._weights[1] if self._weights is not None else None
            if tex is not None and tex.size == (WEIGHT_TEX_WIDTH, rows):
                tex.write(texels.tobytes())
            else:
                if tex is not None:
                    self._free(tex)
                tex = self._made(self.ctx.texture((WEIGHT_TEX_WIDTH, rows), 4, texels.tobytes(), dtype="f4"))
                tex.filter = (self.ctx.NEAREST, self.ctx.NEAREST)
            self._weights = (net.layers, tex, offsets)
        self._weights[1].use(BINDINGS["TEX_WEIGHTS"])
        return self._weights[2]

    # ------------------------------------------------------------ accounting
    def live(self) -> int:
        """GL objects made here and not yet released (a framebuffer and its texture count as two)."""
        return self.created - self.released

    def release(self) -> None:
        for _, fbo in self._targets.values():
            self._release_target(fbo)
        self._targets.clear()
        for buf in self._buffers.values():
            self._free(buf)
        self._buffers.clear()
        self._packed.clear()
        if self._weights is not None:
            self._free(self._weights[1])
            self._weights = None


PARKING = "glnn.parking_framebuffer"


def park(ctx) -> None:
    """Bind a 1x1 framebuffer that lives as long as the context (kept in ctx.extra), before a framebuffer is
    released: moderngl re-binds the framebuffer it last bound when it makes the next one, and binding a
    deleted one is GL_INVALID_OPERATION (and a headless context has no default framebuffer to fall back to)."""
    if not isinstance(ctx.extra, dict):
        ctx.extra = {}
    fbo = ctx.extra.get(PARKING)
    if fbo is None:
        fbo = ctx.extra[PARKING] = ctx.framebuffer(color_attachments=[ctx.texture((1, 1), 4)])
    fbo.use()


class Device:
    """One GL context and what is built on it: its capabilities, the program cache and the resources.
    The kernels draw with it; glnn/gl/backend.py owns it."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.caps = Caps.of(ctx)
        self.programs = ProgramCache(ctx)
        self.resources = Resources(ctx)

    def release(self) -> None:
        self.programs.release()
        self.resources.release()
