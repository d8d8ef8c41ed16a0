"""The GL backend (`--backend gl`): evaluates a network per pixel in GLSL on one moderngl context.

It picks a kernel per network (glnn/gl/kernels.py): the preferred fused kernel
(the engine's measured choice on a GPU, given as a callable so the choice stays
the engine's), else the first that can draw it; or the kernel passed in. It
tiles pictures larger than one pass (up to 16384x16384) and reads them back.
Weights are data, so a new seed, scale, view or time never recompiles.
Drawing only queues work on the GPU: the caller decides when to wait for it
(finish(); a readback waits by itself), so nothing stalls per tile.
"""
from __future__ import annotations

from typing import Callable, List, Optional, Tuple, Union

import numpy as np

from ..errors import GlnnError
from ..model.network import Network
from ..model.view import View
from ..backends.base import Backend, checked_rect, output_array
from .kernels import KERNELS, Kernel, path_of
from .resources import Device

READBACK_TILE = 2048
KernelChoice = Union[None, str, Kernel]


class GLBackend(Backend):
    name = "gl"
    description = "GLSL shaders through moderngl (a GPU, or software GL)"

    @classmethod
    def create(cls, engine) -> "GLBackend":
        """On the engine's context (GLUnavailable without one), preferring the fused kernel it measured."""
        return cls(engine.context, preferred_fused=engine.fused_kernel)

    def __init__(self, ctx, preferred_fused: Callable[[], Optional[str]] = lambda: None):
        self.device = Device(ctx)
        self.ctx = ctx
        self._preferred = preferred_fused

    def label(self, net: Network) -> str:
        return f"gl ({self.kernel(net).name} kernel)"

    @property
    def caps(self):
        return self.device.caps

    @property
    def compiles(self) -> int:
        return self.device.programs.compiles

    # ---------------------------------------------------------------- kernels
    def kernels_for(self, net: Network) -> List[Kernel]:
        """The kernels that can draw `net` here, the fused ones first when its architecture allows them."""
        return [k for k in KERNELS.values() if k.refuse(net, self.device) is None]

    def kernel(self, net: Network, choice: KernelChoice = None) -> Kernel:
        """The kernel for `net`: `choice` (a Kernel, or a name) if it can draw it, else ValueError; by default the
        preferred fused kernel where it can draw `net`, else the first that can (gemm before layered)."""
        if isinstance(choice, Kernel):
            kernel = choice
        elif choice is not None:
            if choice not in KERNELS:
                raise ValueError(f"unknown GL kernel {choice!r} (choose from {', '.join(KERNELS)})")
            kernel = KERNELS[choice]
        else:
            usable = self.kernels_for(net)
            if not usable:   # one line for the user, never an IndexError
                raise GlnnError(f"no GL kernel can draw this {net.depth} x {net.width} network: "
                                + "; ".join(k.refuse(net, self.device) for k in KERNELS.values())
                                + " (try --backend numpy)")
            if path_of(net) == "fused":
                preferred = self._preferred() or ("compute" if self.caps.compute else "fragment")
                return next((k for k in usable if k.name == preferred), usable[0])
            return usable[0]
        reason = kernel.refuse(net, self.device)
        if reason:
            raise ValueError(reason)
        return kernel

    # --------------------------------------------------------------- drawing
    def draw(self, net: Network, view: View, fbo, rect: Tuple[int, int, int, int], dst: Tuple[int, int] = (0, 0),
             kernel: KernelChoice = None) -> None:
        """Draw picture pixels rect = (c0, r0, w, h) into `fbo` (RGBA32F) at pixel `dst`, GL row r = picture row r.
        Queued, not waited for (finish())."""
        self.kernel(net, kernel).draw(self.device, net, view, fbo, rect, dst)

    def frame(self, net: Network, view: View, kernel: KernelChoice = None):
        """Draw the whole picture into a GPU texture: a frame as the window shows it, with no readback. Returns
        the texture (RGBA32F, GL row r = picture row r). Queued: a caller timing frames calls finish() after."""
        fbo = self.device.resources.target("frame", (view.width, view.height))
        self.draw(net, view, fbo, (0, 0, view.width, view.height), kernel=kernel)
        return fbo.color_attachments[0]

    def finish(self) -> None:
        """Wait until the GPU has done everything drawn so far (for timing: frame(), draw())."""
        self.ctx.finish()

    def render(self, net, view, rect=None, out=None, kernel: KernelChoice = None):
        c0, r0, W, H = rect = checked_rect(view, rect)
        out = output_array(net, rect, out)
        chosen = self.kernel(net, kernel)
        tile = READBACK_TILE
        fbo = self.device.resources.target("tile", (min(tile, W), min(tile, H)))
        for r in range(0, H, tile):
            for c in range(0, W, tile):
                w, h = min(tile, W - c), min(tile, H - r)
                chosen.draw(self.device, net, view, fbo, (c0 + c, r0 + r, w, h), (0, 0))
                raw = fbo.read(viewport=(0, 0, w, h), components=4, dtype="f4")   # waits for the draw
                out[r:r + h, c:c + w] = np.frombuffer(raw, np.float32).reshape(h, w, 4)[:, :, :net.channels]
        return out

    def close(self) -> None:
        self.device.release()
