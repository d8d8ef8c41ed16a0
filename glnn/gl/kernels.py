"""The GL kernels: one class per way of evaluating a network on the GPU.

Each kernel knows its shader source and defines (a ProgramDesc, so its programs
are cached by exactly what they are built from), whether it can draw a network
on a context (refuse() gives the reason it cannot), and how to draw. Tuning
knobs (tile sizes, workgroup sizes, the shared kernel's shape) are fields: a
tuned kernel is a new object passed explicitly, never a setting changed on a
shared one. Workgroup and block sizes are written here only: the compute
shaders get them as defines (LOCAL, LOCAL_X, BM, ...) and write no size of
their own. Drawing queues work and never waits for it (the caller decides:
GLBackend.finish(), or a readback).

Two paths, chosen per architecture by path_of():
- fused: the whole network per pixel, hidden state in registers, for widths up
  to 64: `shared` (GL 4.3, built for GPUs), `compute` (GL 4.3) and `fragment`
  (GL 3.3 core).
- layered: layer by layer over a tile of pixels, one program for every
  architecture: `gemm` (GL 4.3, tiled matrix products) and `layered` (GL 3.3,
  one fragment draw per layer). For wide networks, and wherever the fused loops
  would pass llvmpipe's silent 65,535-iteration loop cap.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Dict, List, Optional, Tuple

import numpy as np

from ..model import activations
from ..model.network import Network
from ..model.view import View
from .packing import groups, input_groups, pack_gemm, pack_rows, per_unit, shared_texels
from .programs import BINDINGS, Program, ProgramDesc
from .resources import Device

# llvmpipe stops a loop after 65,535 iterations in one invocation, counted over all entries of that
# loop. The fused path's inner loop runs sum(n_out4 * n_in4) times per pixel; keep well clear of it.
FUSED_MAX_INNER_TRIPS = 32768
FUSED_MAX_WIDTH = 64
MAX_GROUPS = 65535     # GL guarantees this many workgroups per dispatch dimension

Rect = Tuple[int, int, int, int]


def fused_inner_trips(net: Network) -> int:
    """Iterations of the fused path's busiest loop per pixel (the hidden-to-hidden inner loop), bounded above."""
    return sum(groups(out) * groups(inn) for out, inn in net.layer_shapes())


def path_of(net: Network) -> str:
    """'fused' (the whole network per pixel) or 'layered' (layer by layer) for this architecture."""
    if net.width <= FUSED_MAX_WIDTH and fused_inner_trips(net) <= FUSED_MAX_INNER_TRIPS:
        return "fused"
    return "layered"


def view_uniforms(prog: Program, net: Network, view: View) -> None:
    """common.glsl's uniforms: the pixel convention and the input vector."""
    prog.set(u_center=view.center, u_pixel=view.pixel_size, u_size=(float(view.width), float(view.height)),
             u_in=input_groups(net, view.time))


def input_defines(net: Network) -> Dict[str, str]:
    """PIXEL_INPUTS for common.glsl's input_group(): the per-pixel features' GLSL (glnn/model/architecture.py);
    none for x, y, whose code common.glsl has (so those programs, and their cache keys, stay as they were)."""
    code = net.architecture.pixel_inputs_glsl()
    return {} if code is None else {"PIXEL_INPUTS": code}


def unit_defines(net: Network) -> Dict[str, int]:
    """UNIT_ACTS for a network with a layer of one activation per unit (its ids in the weights: glnn/gl/packing.py);
    none otherwise (so those programs, and their cache keys, stay as they were)."""
    return {"UNIT_ACTS": 1} if per_unit(net) else {}


def activation_ids(net: Network) -> np.ndarray:
    """u_act: each layer's activation id, ACT_UNITS for a per-unit layer."""
    return np.array([activations.layer_id(l.activation) for l in net.layers], np.int32)


@dataclass(frozen=True)
class Kernel:
    name: ClassVar[str] = ""
    path: ClassVar[str] = ""               # "fused" or "layered"
    needs_compute: ClassVar[bool] = False  # GL 4.3
    description: ClassVar[str] = ""

    def refuse(self, net: Network, device: Device) -> Optional[str]:
        """Why this kernel cannot draw `net` on this context, or None when it can."""
        if self.needs_compute and not device.caps.compute:
            return f"the {self.name!r} kernel needs OpenGL 4.3 (this context has {device.ctx.version_code})"
        if self.path == "fused" and path_of(net) != "fused":
            return f"the {self.name!r} kernel cannot draw a {net.depth} x {net.width} network (too wide)"
        return None

    def programs(self, net: Network, device: Device) -> List[ProgramDesc]:
        """The programs this kernel draws `net` with (what they are built from: the cache keys)."""
        raise NotImplementedError

    def draw(self, device: Device, net: Network, view: View, fbo, rect: Rect, dst: Tuple[int, int]) -> None:
        """Draw picture pixels rect = (c0, r0, w, h) into `fbo` at pixel `dst` (image row r at GL row r)."""
        raise NotImplementedError


# ------------------------------------------------------------------ fused
@dataclass(frozen=True)
class _Fused(Kernel):
    tile: int = 2048          # pixels per side of one draw
    path: ClassVar[str] = "fused"

    def desc(self, net: Network, device: Device) -> ProgramDesc:
        raise NotImplementedError

    def programs(self, net, device):
        return [self.desc(net, device)]

    def _dispatch(self, device: Device, prog: Program, net: Network, w: int, h: int) -> None:
        """Run compute program `prog` over w x h pixels (compute kernels only)."""
        raise NotImplementedError

    def draw(self, device, net, view, fbo, rect, dst):
        prog = device.programs.get(self.desc(net, device))
        view_uniforms(prog, net, view)
        offsets = self.upload(device, net)
        c0, r0, w, h = rect
        # picture pixel of framebuffer/image pixel (0, 0): gl_FragCoord counts from the corner, whatever the viewport
        prog.set(u_depth=net.depth, u_offset=np.array(offsets, np.int32), u_act=activation_ids(net),
                 u_origin=(float(c0 - dst[0]), float(r0 - dst[1])))
        self.set_shape(prog, net)
        compute = self.needs_compute
        if compute:
            fbo.color_attachments[0].bind_to_image(BINDINGS["IMG_OUT"], read=False, write=True)
        for ty in range(0, h, self.tile):
            for tx in range(0, w, self.tile):
                tw, th = min(self.tile, w - tx), min(self.tile, h - ty)
                if compute:
                    prog.set(u_dst=(dst[0] + tx, dst[1] + ty), u_count=(tw, th))
                    self._dispatch(device, prog, net, tw, th)
                else:
                    fbo.use()
                    fbo.viewport = (dst[0] + tx, dst[1] + ty, tw, th)
                    prog.draw_fullscreen()
        if compute:
            device.ctx.memory_barrier()   # image writes visible to reads, blits and texture fetches

    def upload(self, device: Device, net: Network):
        return device.resources.weights_texture(net)

    def set_shape(self, prog: Program, net: Network) -> None:
        prog.set(u_in4=groups(net.n_inputs), u_hid4=groups(net.width))


@dataclass(frozen=True)
class FragmentKernel(_Fused):
    """fused.frag: the whole network per pixel as a fragment shader (GL 3.3: macOS works)."""
    name: ClassVar[str] = "fragment"
    description: ClassVar[str] = "whole network per pixel, fragment shader, weights in a texture (GL 3.3)"

    def desc(self, net, device):
        return ProgramDesc.fullscreen("fused.frag", DEPTH=net.depth, WIDTH=net.width, INPUTS=net.n_inputs, **input_defines(net),
                                      UNROLL=int(device.caps.unroll), **unit_defines(net))


@dataclass(frozen=True)
class ComputeKernel(_Fused):
    """fused.comp: the same code as a compute shader (compute GPUs run fragment shaders on part of the chip)."""
    local_size: Tuple[int, int] = (8, 8)   # pixels per workgroup (x, y): fused.comp's LOCAL_X, LOCAL_Y
    name: ClassVar[str] = "compute"
    needs_compute: ClassVar[bool] = True
    description: ClassVar[str] = "whole network per pixel, compute shader, weights in a texture (GL 4.3)"

    def desc(self, net, device):
        return ProgramDesc.compute("fused.comp", DEPTH=net.depth, WIDTH=net.width, INPUTS=net.n_inputs, **input_defines(net),
                                   UNROLL=int(device.caps.unroll), LOCAL_X=self.local_size[0],
                                   LOCAL_Y=self.local_size[1], **unit_defines(net))

    def _dispatch(self, device, prog, net, w, h):
        lx, ly = self.local_size
        prog.run((w + lx - 1) // lx, (h + ly - 1) // ly)


def shared_pixels_per_invocation(width: int) -> int:
    """Pixels per invocation of the shared kernel: as many as the registers hold (2 x PPT x width state floats)."""
    return 4 if width <= 16 else 2 if width <= 32 else 1


@dataclass(frozen=True)
class SharedKernel(_Fused):
    """fused_shared.comp: each layer's weights staged in shared memory, several pixels per invocation."""
    ppt: Optional[int] = None       # pixels per invocation (None: by width)
    local: int = 64                 # invocations per workgroup
    builtin_tanh: bool = False      # the driver's tanh() instead of glnn's NaN-free formula (bench only)
    max_groups: int = MAX_GROUPS
    name: ClassVar[str] = "shared"
    needs_compute: ClassVar[bool] = True
    description: ClassVar[str] = "whole network per pixel, weights staged in shared memory (GL 4.3, for GPUs)"

    def refuse(self, net, device):
        reason = super().refuse(net, device)
        if reason is None and not device.caps.unroll and self.inner_trips(net) > FUSED_MAX_INNER_TRIPS:
            reason = f"the 'shared' kernel's rolled loops would pass llvmpipe's loop cap at {net.depth} x {net.width}"
        return reason

    def inner_trips(self, net: Network) -> int:
        """Iterations of the innermost loop per invocation, if the compiler does not unroll it."""
        ppt = shared_pixels_per_invocation(net.width)
        return ppt * sum(out * groups(inn) for out, inn in net.layer_shapes())

    def shape(self, net: Network, device: Device) -> Tuple[int, int]:
        """(pixels per invocation, invocations per workgroup) for `net`."""
        ppt = self.ppt or shared_pixels_per_invocation(net.width)
        if not device.caps.unroll:   # rolled loops on software GL: stay within the trip count refuse() checked
            ppt = min(ppt, shared_pixels_per_invocation(net.width))
        return ppt, self.local

    def desc(self, net, device):
        ppt, local = self.shape(net, device)
        return ProgramDesc.compute("fused_shared.comp", DEPTH=net.depth, WIDTH=net.width, INPUTS=net.n_inputs, **input_defines(net),
                                   PPT=ppt, LOCAL=local, SMEM_TEXELS=shared_texels(net),
                                   TANH_BUILTIN=int(self.builtin_tanh), **unit_defines(net))

    def upload(self, device, net):
        return device.resources.packed("rows", net, pack_rows, "SSBO_ROWS")

    def set_shape(self, prog, net):
        pass

    def _dispatch(self, device, prog, net, w, h):
        ppt, local = self.shape(net, device)
        per_group = ppt * local
        n = (w * h + per_group - 1) // per_group
        gx = min(n, self.max_groups)
        prog.run(gx, (n + gx - 1) // gx)


# ---------------------------------------------------------------- layered
@dataclass(frozen=True)
class GemmKernel(Kernel):
    """gemm.comp: each layer a tiled matrix product over a tile of pixels; gemm_io.comp writes the inputs
    and stores the readout."""
    tile_bytes: int = 64 << 20      # per state buffer (two are used)
    block: Tuple[int, int, int] = (128, 64, 16)   # gemm.comp's (BM, BN, BK): pixels x outputs per workgroup, and
                                                  # the depth of a staged slice (see gemm.comp for the rules)
    io_local: int = 64              # gemm_io.comp's invocations per workgroup
    name: ClassVar[str] = "gemm"
    path: ClassVar[str] = "layered"
    needs_compute: ClassVar[bool] = True
    description: ClassVar[str] = "layer by layer as tiled matrix products in shared memory (GL 4.3, wide networks)"

    @property
    def local(self) -> int:
        """gemm.comp's invocations per workgroup: 8 x 8 (pixels x outputs) each."""
        bm, bn, _ = self.block
        return (bm // 8) * (bn // 8)

    def programs(self, net, device):
        bm, bn, bk = self.block
        return [ProgramDesc.compute("gemm.comp", BM=bm, BN=bn, BK=bk, LOCAL=self.local, **unit_defines(net)),
                ProgramDesc.compute("gemm_io.comp", LOCAL=self.io_local, **input_defines(net))]

    def draw(self, device, net, view, fbo, rect, dst):
        ctx, res = device.ctx, device.resources
        prog, io = (device.programs.get(d) for d in self.programs(net, device))
        view_uniforms(io, net, view)
        offsets = res.packed("weights", net, pack_gemm, "SSBO_WEIGHTS")
        widest = max(net.width, net.n_inputs, net.channels)
        c0, r0, w, h = rect
        tw = min(w, 256)
        bm, bn, _ = self.block
        # rows per tile: the states within budget, and at most 2^20 pixels, fewer where that many would need more
        # than MAX_GROUPS workgroups in one dispatch
        most = min(1 << 20, MAX_GROUPS * min(bm, self.io_local))
        th = max(1, min(h, self.tile_bytes // (4 * widest * tw), most // tw))
        stride = -(-tw * th // bm) * bm   # state rows padded to whole blocks of BM pixels
        bufs = [res.buffer(f"state{k}", 4 * widest * stride) for k in (0, 1)]
        fbo.color_attachments[0].bind_to_image(BINDINGS["IMG_OUT"], read=False, write=True)
        for ty in range(0, h, th):
            for tx in range(0, w, tw):
                cw, ch = min(tw, w - tx), min(th, h - ty)
                P = cw * ch
                P_pad = -(-P // bm) * bm
                io.set(u_P=P, u_stride=P_pad, u_tile_w=cw, u_origin=(float(c0 + tx), float(r0 + ty)),
                       u_dst=(dst[0] + tx, dst[1] + ty))
                # inputs -> state0
                io.set(u_mode=0, u_cols=net.n_inputs)
                bufs[0].bind_to_storage_buffer(BINDINGS["SSBO_STATE_OUT"])
                io.run(-(-P // self.io_local))
                ctx.memory_barrier()
                for i, layer in enumerate(net.layers):
                    bufs[i % 2].bind_to_storage_buffer(BINDINGS["SSBO_STATE_IN"])
                    bufs[(i + 1) % 2].bind_to_storage_buffer(BINDINGS["SSBO_STATE_OUT"])
                    n, k = layer.W.shape
                    prog.set(u_P=P_pad, u_K=k, u_N=n, u_woff=int(offsets[i]),
                             u_act=activations.layer_id(layer.activation))
                    prog.run(P_pad // bm, (n + bn - 1) // bn)
                    ctx.memory_barrier()
                # readout -> picture
                bufs[net.depth % 2].bind_to_storage_buffer(BINDINGS["SSBO_STATE_IN"])
                io.set(u_mode=1, u_cols=net.channels)
                io.run(-(-P // self.io_local))
                ctx.memory_barrier()


@dataclass(frozen=True)
class LayeredKernel(Kernel):
    """layer.frag: one fragment draw per layer, the state of a tile of pixels in RGBA32F atlases (GL 3.3)."""
    atlas_bytes: int = 64 << 20     # per atlas (two are used)
    name: ClassVar[str] = "layered"
    path: ClassVar[str] = "layered"
    description: ClassVar[str] = "layer by layer, one fragment draw per layer into float atlases (GL 3.3)"

    def layout(self, net: Network, w: int, h: int, max_texture: int) -> Tuple[int, int, int, int]:
        """(tile_w, tile_h, groups_x, groups_y): tiles no bigger than the picture, atlases within budget."""
        n = max(groups(net.width), groups(net.n_inputs), 1)
        gx = math.ceil(math.sqrt(n))
        gy = math.ceil(n / gx)
        side = int(math.sqrt(self.atlas_bytes / (16 * gx * gy)))
        side = max(16, min(side, 1024, max_texture // max(gx, gy)))
        return min(side, w), min(side, h), gx, gy

    def programs(self, net, device):
        return [ProgramDesc.fullscreen("layer.frag", **input_defines(net), **unit_defines(net))]

    def draw(self, device, net, view, fbo, rect, dst):
        prog = device.programs.get(self.programs(net, device)[0])
        view_uniforms(prog, net, view)
        offsets = device.resources.weights_texture(net)
        c0, r0, w, h = rect
        tw, th, gx, gy = self.layout(net, w, h, device.caps.max_texture)
        atlases = [device.resources.target(f"atlas{k}", (tw * gx, th * gy)) for k in (0, 1)]
        prog.set(u_tile=(tw, th), u_groups_x=gx)
        for ty in range(0, h, th):
            for tx in range(0, w, tw):
                cw, ch = min(tw, w - tx), min(th, h - ty)
                prog["u_origin"] = (float(c0 + tx), float(r0 + ty))
                for i, layer in enumerate(net.layers):
                    n_out4 = groups(layer.W.shape[0])
                    prog.set(u_offset=offsets[i], u_n_in4=groups(layer.W.shape[1]), u_n_out4=n_out4,
                             u_act=activations.layer_id(layer.activation), u_first=i == 0,
                             u_final=i == net.depth - 1)
                    if i > 0:
                        atlases[(i - 1) % 2].color_attachments[0].use(BINDINGS["TEX_PREV"])
                    if i == net.depth - 1:
                        fbo.use()
                        fbo.viewport = (dst[0] + tx, dst[1] + ty, cw, ch)
                        prog["u_dst"] = (dst[0] + tx, dst[1] + ty)
                    else:
                        target = atlases[i % 2]
                        target.use()
                        # only the rows of group tiles this layer fills
                        target.viewport = (0, 0, tw * gx, th * math.ceil(n_out4 / gx))
                        prog["u_dst"] = (0, 0)
                    prog.draw_fullscreen()


# The kernels, in order of preference within each path (the registry: a new kernel is a class above and a
# line here).
KERNELS: Dict[str, Kernel] = {k.name: k for k in (SharedKernel(), ComputeKernel(), FragmentKernel(),
                                                  GemmKernel(), LayeredKernel())}
NAMES = tuple(KERNELS)
