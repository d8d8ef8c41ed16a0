"""The GL backend: evaluates a network per pixel in GLSL (moderngl).

Two paths, chosen per architecture:
- fused (shaders/network.glsl): the whole network per pixel, hidden state in
  registers. For narrow networks. It runs as a fragment shader (fused.frag,
  GL 3.3) or, where GL 4.3 is there, as a compute shader (fused.comp: on
  compute GPUs fragment shaders use a small part of the chip, MEASURED.md).
- layered: layer by layer over a tile of pixels. For wide networks, and
  wherever the fused loops would run into llvmpipe's silent 65,535-iteration
  loop cap (MEASURED.md). On GL 4.3 each layer is a tiled matrix product in a
  compute shader (gemm.comp, shared memory, state in storage buffers); on GL
  3.3 one fragment draw per layer (layer.frag, state in RGBA32F atlases).
Weights are data (a texture), so a new seed, scale, view or time never
recompiles; programs are cached per architecture. Both paths need GL 3.3 only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from . import activations
from .network import Network
from .shader_source import ShaderError, ShaderSource
from .view import View

WEIGHT_TEX_WIDTH = 1024
# llvmpipe stops a loop after 65,535 iterations in one invocation, counted over
# all entries of that loop. The fused path's inner loop runs sum(n_out4 * n_in4)
# times per pixel; keep well clear of the cap.
FUSED_MAX_INNER_TRIPS = 32768
FUSED_MAX_WIDTH = 64
FUSED_TILE = 2048                 # pixels per side of one fused draw
LAYERED_ATLAS_BYTES = 64 << 20    # per atlas (two are used)
GEMM_TILE_BYTES = 64 << 20        # per state buffer of the matrix path (two are used)
MAX_GROUPS_X = 65535              # GL guarantees this many workgroups per dispatch dimension
SHARED_LOCAL = 64                 # invocations per workgroup of the shared kernel
KERNELS = ("shared", "compute", "fragment", "gemm", "layered")


def _groups(n: int) -> int:
    return (n + 3) // 4


def _layer_texels(net: Network, blocks) -> Tuple[List[np.ndarray], List[int]]:
    """Each layer as texels: blocks(Wp) for W zero-padded to whole groups of 4 both ways, then one
    bias texel per output group; and each layer's first texel. Padded units never reach a real output."""
    chunks, offsets, at = [], [], 0
    for layer in net.layers:
        out, inn = layer.W.shape
        Wp = np.zeros((_groups(out) * 4, _groups(inn) * 4), np.float32)
        Wp[:out, :inn] = layer.W
        bp = np.zeros(_groups(out) * 4, np.float32)
        bp[:out] = layer.b
        texels = np.concatenate([blocks(Wp), bp.reshape(-1, 4)])
        offsets.append(at)
        chunks.append(texels)
        at += texels.shape[0]
    return chunks, offsets


def pack_weights(net: Network) -> Tuple[np.ndarray, List[int]]:
    """The network's weights as RGBA32F texels (rows, WEIGHT_TEX_WIDTH, 4) and each layer's first texel.

    Layer block (o, j) holds 4 texels, the columns of the mat4 mapping inputs
    4j..4j+3 to outputs 4o..4o+3; then one bias texel per output group.
    """
    def mat4_columns(Wp):
        o4, i4 = Wp.shape[0] // 4, Wp.shape[1] // 4
        # blocks[o, j, k, :] = W[4o:4o+4, 4j+k]  (column k of block (o, j))
        return Wp.reshape(o4, 4, i4, 4).transpose(0, 2, 3, 1).reshape(-1, 4)

    chunks, offsets = _layer_texels(net, mat4_columns)
    data = np.concatenate(chunks)
    rows = max(1, math.ceil(len(data) / WEIGHT_TEX_WIDTH))
    full = np.zeros((rows * WEIGHT_TEX_WIDTH, 4), np.float32)
    full[:len(data)] = data
    return full.reshape(rows, WEIGHT_TEX_WIDTH, 4), offsets


def pack_rows(net: Network) -> Tuple[np.ndarray, List[int], int]:
    """The weights for the shared-memory kernel (fused_shared.comp): texels (n, 4), each layer's first texel,
    and the largest layer's texel count.

    A layer is its rows, one per output, of ceil(in / 4) texels (inputs 4j..4j+3), the rows
    padded with zero rows to a multiple of 4 (the readout's padding rows are computed), then
    ceil(out / 4) bias texels.
    """
    chunks, offsets = _layer_texels(net, lambda Wp: Wp.reshape(-1, 4))
    return np.concatenate(chunks), offsets, max(c.shape[0] for c in chunks)


def pack_gemm(net: Network) -> Tuple[np.ndarray, List[int]]:
    """The weights for the matrix kernel (gemm.comp) as floats: per layer W transposed (in rows of out),
    then the biases; and each layer's first float."""
    flat = np.concatenate([np.concatenate([l.W.T.ravel(), l.b]) for l in net.layers]).astype(np.float32)
    offsets = np.cumsum([0] + [l.W.size + l.b.size for l in net.layers])[:-1]
    return flat, [int(o) for o in offsets]


def shared_texels(net: Network) -> int:
    """The shared kernel's staging array: the largest layer in pack_rows() texels."""
    return max(_groups(out) * 4 * _groups(inn) + _groups(out) for out, inn in net.layer_shapes())


def shared_pixels_per_invocation(width: int) -> int:
    """Pixels per invocation of the shared kernel: as many as the registers hold (2 x PPT x width state floats)."""
    return 4 if width <= 16 else 2 if width <= 32 else 1


def shared_inner_trips(net: Network) -> int:
    """Iterations of the shared kernel's innermost loop per invocation, if the compiler does not unroll it
    (at the most pixels per invocation that its width gets)."""
    ppt = shared_pixels_per_invocation(net.width)
    return ppt * sum(out * _groups(inn) for out, inn in net.layer_shapes())


def fused_inner_trips(net: Network) -> int:
    """Iterations of the fused path's busiest loop per pixel (the hidden-to-hidden inner loop), bounded above."""
    return sum(_groups(out) * _groups(inn) for out, inn in net.layer_shapes())


def choose_path(net: Network) -> str:
    if net.width <= FUSED_MAX_WIDTH and fused_inner_trips(net) <= FUSED_MAX_INNER_TRIPS:
        return "fused"
    return "layered"


def set_uniform(program, name: str, value) -> None:
    """Set a uniform if the compiler kept it (removed uniforms are absent from the program).

    A numpy array sets a uniform array; a compiler may have kept only its first
    elements (array_length says how many), so only those are written.
    """
    if name not in program:
        return
    u = program[name]
    if isinstance(value, np.ndarray):
        data = value.tobytes()
        u.write(data[:len(data) // value.shape[0] * u.array_length])
    else:
        u.value = value


def input_groups(net: Network, time: float) -> np.ndarray:
    """u_in: the input vector as (4, 4) float32 groups, x and y slots 0 (filled per pixel)."""
    v = np.zeros(16, np.float32)
    v[2:net.inputs] = net.extra_inputs(time)
    return v.reshape(4, 4)


@dataclass
class _Weights:
    texture: object
    offsets: List[int]


class GLRenderer:
    """Renders networks with one moderngl context (offscreen EGL, or a window's)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self._programs: Dict[tuple, object] = {}
        self._vao: Dict[int, object] = {}
        self._weights_key = None
        self._weights: Optional[_Weights] = None
        self._targets: Dict[tuple, object] = {}
        self._home_fbo = None
        # storage buffer name -> (the layers packed into it, their first index per layer); holding
        # the layers also keeps their id() unique
        self._packed: Dict[str, tuple] = {}
        self.compiles = 0          # programs compiled so far (the window's HUD shows it)
        self.last_compiled = False
        # the fused path as a compute shader where GL 4.3 allows (set False to force fragments)
        self.use_compute = ctx.version_code >= 430
        # the kernel for 'fused' networks; None: compute where GL 4.3 allows, else fragment
        # (render.auto_choice() sets it to the one it measured fastest on this machine)
        self.fused_kernel: Optional[str] = None
        # the shared kernel's shape: pixels per invocation (None: by width) and invocations per
        # workgroup; `glnn bench --shared-variants` times the alternatives
        self.shared_ppt: Optional[int] = None
        self.shared_local = SHARED_LOCAL
        # the driver's tanh() instead of glnn's NaN-free formula (timed by the bench, never the default)
        self.builtin_tanh = False
        # unrolled inner loops: registers on GPUs, but seconds of compiling on software GL
        renderer = str(ctx.info.get("GL_RENDERER", "")).lower()
        self.unroll = not any(name in renderer for name in ("llvmpipe", "softpipe", "swrast", "software"))

    # --------------------------------------------------------------- programs
    def _program(self, key: tuple, frag: str, defines: dict):
        key = key + (self.builtin_tanh,)
        prog = self._programs.get(key)
        self.last_compiled = prog is None
        if prog is None:
            defines = dict(defines, WEIGHT_TEX_WIDTH=WEIGHT_TEX_WIDTH, TANH_BUILTIN=int(self.builtin_tanh))
            fs = ShaderSource(frag, defines)
            vs = None if frag.endswith(".comp") else ShaderSource("fullscreen.vert")
            try:
                if vs is None:
                    prog = self.ctx.compute_shader(fs.source)
                else:
                    prog = self.ctx.program(vertex_shader=vs.source, fragment_shader=fs.source)
            except Exception as e:
                log = str(e)
                stage = vs if vs is not None and "vertex_shader" in log and "fragment_shader" not in log else fs
                raise ShaderError(stage.explain(log)) from None
            set_uniform(prog, "u_weights", 0)
            set_uniform(prog, "u_prev", 1)
            self._programs[key] = prog
            self.compiles += 1
        return prog

    def forget_programs(self, kernel: str) -> None:
        """Drop the cached programs of one kernel (`glnn bench` times real compiles)."""
        names = (kernel, "gemm_io") if kernel == "gemm" else (kernel,)
        for key in [k for k in self._programs if k[0] in names]:
            prog = self._programs.pop(key)
            vao = self._vao.pop(id(prog), None)
            if vao is not None:
                vao.release()
            prog.release()

    def _vertex_array(self, prog):
        vao = self._vao.get(id(prog))
        if vao is None:
            vao = self._vao[id(prog)] = self.ctx.vertex_array(prog, [])
        return vao

    def kernels(self, net: Network) -> List[str]:
        """The kernels that can draw `net` here, the fused ones first when its architecture allows them."""
        fused = ["shared", "compute", "fragment"] if self.use_compute else ["fragment"]
        layered = ["gemm", "layered"] if self.use_compute else ["layered"]
        if choose_path(net) != "fused":
            return layered
        if "shared" in fused and not self.unroll and shared_inner_trips(net) > FUSED_MAX_INNER_TRIPS:
            fused.remove("shared")   # its rolled loops would run into llvmpipe's loop cap
        return fused + layered

    def resolve_path(self, net: Network, path: Optional[str] = None) -> str:
        """The kernel: 'shared', 'compute' or 'fragment' (the fused path), 'gemm' or 'layered'.

        `path` may name a kernel, or 'fused' (self.fused_kernel where it can draw `net`, else
        the best fused kernel that can), or 'layered' (gemm where GL 4.3 allows).
        """
        path = path or choose_path(net)
        if path == "fused":
            usable = self.kernels(net)
            preferred = self.fused_kernel or ("compute" if self.use_compute else "fragment")
            return preferred if preferred in usable else usable[0]
        if path == "layered" and self.use_compute:
            return "gemm"
        if path not in KERNELS:
            raise ValueError(f"unknown GL path {path!r}")
        if path in ("shared", "compute", "gemm") and not self.use_compute:
            raise ValueError(f"the {path!r} kernel needs OpenGL 4.3 (this context has {self.ctx.version_code})")
        if path == "shared" and path not in self.kernels(net):
            raise ValueError(f"the 'shared' kernel cannot draw a {net.depth} x {net.width} network here")
        return path

    def shared_shape(self, net: Network) -> Tuple[int, int]:
        """(pixels per invocation, invocations per workgroup) of the shared kernel for `net`."""
        ppt = self.shared_ppt or shared_pixels_per_invocation(net.width)
        if not self.unroll:   # rolled loops on software GL: stay within the trip count checked in kernels()
            ppt = min(ppt, shared_pixels_per_invocation(net.width))
        return ppt, self.shared_local

    def program_for(self, net: Network, path: str):
        path = self.resolve_path(net, path)
        if path in ("fragment", "compute"):
            key = (path, net.depth, net.width, net.inputs, self.unroll)
            source = "fused.comp" if path == "compute" else "fused.frag"
            return self._program(key, source, {"DEPTH": net.depth, "WIDTH": net.width, "INPUTS": net.inputs,
                                               "UNROLL": int(self.unroll)})
        if path == "shared":
            ppt, local = self.shared_shape(net)
            key = (path, net.depth, net.width, net.inputs, ppt, local)
            return self._program(key, "fused_shared.comp", {
                "DEPTH": net.depth, "WIDTH": net.width, "INPUTS": net.inputs, "PPT": ppt,
                "LOCAL": local, "SMEM_TEXELS": shared_texels(net)})
        if path == "gemm":
            return self._program(("gemm",), "gemm.comp", {})
        return self._program(("layered",), "layer.frag", {})

    # ---------------------------------------------------------------- weights
    def _upload(self, net: Network) -> _Weights:
        key = id(net.layers)
        if self._weights is not None and self._weights_key == key:
            return self._weights
        texels, offsets = pack_weights(net)
        rows = texels.shape[0]
        if self._weights is not None and self._weights.texture.size == (WEIGHT_TEX_WIDTH, rows):
            tex = self._weights.texture
            tex.write(texels.tobytes())
        else:
            if self._weights is not None:
                self._weights.texture.release()
            tex = self.ctx.texture((WEIGHT_TEX_WIDTH, rows), 4, texels.tobytes(), dtype="f4")
            tex.filter = (self.ctx.NEAREST, self.ctx.NEAREST)
        self._weights = _Weights(tex, offsets)
        self._weights_key = key
        self._weights_net = net  # keep the layers alive so id() stays unique
        return self._weights

    # ---------------------------------------------------------------- targets
    def _target(self, name: str, size: Tuple[int, int]):
        """A cached RGBA32F texture + framebuffer of exactly `size`."""
        key = (name, size)
        fb = self._targets.get(key)
        if fb is None:
            for k in [k for k in self._targets if k[0] == name]:
                old = self._targets.pop(k)
                textures = old.color_attachments
                # moderngl 5.x can leave GL_INVALID_OPERATION when a framebuffer is released while
                # another target is bound; park the binding on a 1x1 framebuffer first.
                self._home().use()
                old.release()
                for a in textures:
                    a.release()
            tex = self.ctx.texture(size, 4, dtype="f4")
            tex.filter = (self.ctx.NEAREST, self.ctx.NEAREST)
            fb = self._targets[key] = self.ctx.framebuffer(color_attachments=[tex])
        return fb

    def _home(self):
        if self._home_fbo is None:
            self._home_fbo = self.ctx.framebuffer(color_attachments=[self.ctx.texture((1, 1), 4)])
        return self._home_fbo

    # ------------------------------------------------------------------ drawing
    def _common_uniforms(self, prog, net: Network, view: View) -> None:
        set_uniform(prog, "u_depth", net.depth)
        set_uniform(prog, "u_in4", _groups(net.inputs))
        set_uniform(prog, "u_hid4", _groups(net.width))
        set_uniform(prog, "u_center", view.center)
        set_uniform(prog, "u_pixel", view.pixel_size)
        set_uniform(prog, "u_size", (float(view.width), float(view.height)))
        set_uniform(prog, "u_in", input_groups(net, view.time))

    def draw(self, net: Network, view: View, fbo, rect: Tuple[int, int, int, int],
             dst: Tuple[int, int] = (0, 0), path: Optional[str] = None) -> None:
        """Draw picture pixels rect = (c0, r0, w, h) into `fbo` at pixel `dst` (image row r at GL row r)."""
        path = self.resolve_path(net, path)
        prog = self.program_for(net, path)
        self._common_uniforms(prog, net, view)
        if path == "gemm":  # weights in a storage buffer, not the texture
            self._draw_gemm(prog, net, view, fbo, rect, dst)
            return
        if path == "shared":
            offsets = self._packed_weights("rows", net, pack_rows, 3)
        else:
            weights = self._upload(net)
            weights.texture.use(0)
            offsets = weights.offsets
            if path == "layered":
                self._draw_layered(prog, net, weights, fbo, rect, dst)
                return
        # the fused kernels: the whole network per pixel, in tiles of at most FUSED_TILE
        c0, r0, w, h = rect
        set_uniform(prog, "u_offset", np.array(offsets, np.int32))
        set_uniform(prog, "u_act", np.array([activations.IDS[l.activation] for l in net.layers], np.int32))
        # picture pixel of framebuffer/image pixel (0, 0): gl_FragCoord counts from the corner, whatever the viewport
        set_uniform(prog, "u_origin", (float(c0 - dst[0]), float(r0 - dst[1])))
        if path != "fragment":
            set_uniform(prog, "u_out", 2)
            fbo.color_attachments[0].bind_to_image(2, read=False, write=True)
        ppt, local = self.shared_shape(net)
        per_group = ppt * local
        for ty in range(0, h, FUSED_TILE):
            for tx in range(0, w, FUSED_TILE):
                tw, th = min(FUSED_TILE, w - tx), min(FUSED_TILE, h - ty)
                if path == "fragment":
                    fbo.use()
                    fbo.viewport = (dst[0] + tx, dst[1] + ty, tw, th)
                    self._vertex_array(prog).render(mode=self.ctx.TRIANGLES, vertices=3)
                else:
                    set_uniform(prog, "u_dst", (dst[0] + tx, dst[1] + ty))
                    set_uniform(prog, "u_count", (tw, th))
                    if path == "shared":
                        groups = (tw * th + per_group - 1) // per_group
                        gx = min(groups, MAX_GROUPS_X)
                        prog.run(gx, (groups + gx - 1) // gx)
                    else:
                        prog.run((tw + 7) // 8, (th + 7) // 8)
                self.ctx.finish()
        if path != "fragment":
            # make the image writes visible to reads, blits and texture fetches
            self.ctx.memory_barrier()

    def _packed_weights(self, name: str, net: Network, pack, binding: int) -> List[int]:
        """Storage buffer `name` holding pack(net)'s array, bound at `binding`; rewritten only when the
        network's layers change. Returns each layer's first index in it."""
        cached = self._packed.get(name)
        if cached is None or cached[0] is not net.layers:
            data, offsets = pack(net)[:2]
            self._buffer(name, data.nbytes).write(data.tobytes())
            cached = self._packed[name] = (net.layers, offsets)
        self._targets[("buffer", name)].bind_to_storage_buffer(binding)
        return cached[1]

    def _buffer(self, name: str, nbytes: int):
        """A cached storage buffer of at least nbytes (grown, never shrunk)."""
        buf = self._targets.get(("buffer", name))
        if buf is None or buf.size < nbytes:
            if buf is not None:
                buf.release()
            buf = self._targets[("buffer", name)] = self.ctx.buffer(reserve=max(nbytes, 16))
        return buf

    def _draw_gemm(self, prog, net, view, fbo, rect, dst) -> None:
        io = self._program(("gemm_io",), "gemm_io.comp", {})
        self._common_uniforms(io, net, view)
        offsets = self._packed_weights("weights", net, pack_gemm, 2)
        widest = max(net.width, net.inputs, net.channels)
        c0, r0, w, h = rect
        tw = min(w, 256)
        # rows per tile: the states within budget, and at most 2^20 pixels (dispatch sizes stay under 65,535)
        th = max(1, min(h, GEMM_TILE_BYTES // (4 * widest * tw), (1 << 20) // tw))
        stride = -(-tw * th // 128) * 128   # state rows padded to whole 128-pixel blocks
        bufs = [self._buffer(f"state{k}", 4 * widest * stride) for k in (0, 1)]
        fbo.color_attachments[0].bind_to_image(2, read=False, write=True)
        set_uniform(io, "u_out", 2)
        for ty in range(0, h, th):
            for tx in range(0, w, tw):
                cw, ch = min(tw, w - tx), min(th, h - ty)
                P = cw * ch
                P_pad = -(-P // 128) * 128
                for name, value in (("u_P", P), ("u_stride", P_pad), ("u_tile_w", cw),
                                    ("u_origin", (float(c0 + tx), float(r0 + ty))),
                                    ("u_dst", (dst[0] + tx, dst[1] + ty))):
                    set_uniform(io, name, value)
                # inputs -> state0
                set_uniform(io, "u_mode", 0)
                set_uniform(io, "u_cols", net.inputs)
                bufs[0].bind_to_storage_buffer(1)
                io.run((P + 63) // 64)
                self.ctx.memory_barrier()
                for i, layer in enumerate(net.layers):
                    src, out = bufs[i % 2], bufs[(i + 1) % 2]
                    src.bind_to_storage_buffer(0)
                    out.bind_to_storage_buffer(1)
                    n, k = layer.W.shape
                    for name, value in (("u_P", P_pad), ("u_K", k), ("u_N", n), ("u_woff", int(offsets[i])),
                                        ("u_act", activations.IDS[layer.activation])):
                        set_uniform(prog, name, value)
                    prog.run(P_pad // 128, (n + 63) // 64)
                    self.ctx.memory_barrier()
                # readout -> picture
                bufs[net.depth % 2].bind_to_storage_buffer(0)
                set_uniform(io, "u_mode", 1)
                set_uniform(io, "u_cols", net.channels)
                io.run((P + 63) // 64)
                self.ctx.memory_barrier()
                self.ctx.finish()

    def _layered_layout(self, net: Network, w: int, h: int) -> Tuple[int, int, int, int]:
        """(tile_w, tile_h, groups_x, groups_y): tiles no bigger than the picture, atlases within budget."""
        groups = max(_groups(net.width), _groups(net.inputs), 1)
        gx = math.ceil(math.sqrt(groups))
        gy = math.ceil(groups / gx)
        side = int(math.sqrt(LAYERED_ATLAS_BYTES / (16 * gx * gy)))
        max_tex = int(self.ctx.info.get("GL_MAX_TEXTURE_SIZE", 8192))
        side = max(16, min(side, 1024, max_tex // max(gx, gy)))
        return min(side, w), min(side, h), gx, gy

    def _draw_layered(self, prog, net, weights, fbo, rect, dst) -> None:
        c0, r0, w, h = rect
        tw, th, gx, gy = self._layered_layout(net, w, h)
        atlases = [self._target(f"atlas{k}", (tw * gx, th * gy)) for k in (0, 1)]
        set_uniform(prog, "u_tile", (tw, th))
        set_uniform(prog, "u_groups_x", gx)
        vao = self._vertex_array(prog)
        for ty in range(0, h, th):
            for tx in range(0, w, tw):
                cw, ch = min(tw, w - tx), min(th, h - ty)
                set_uniform(prog, "u_origin", (float(c0 + tx), float(r0 + ty)))
                for i, layer in enumerate(net.layers):
                    n_out4 = _groups(layer.W.shape[0])
                    set_uniform(prog, "u_offset", weights.offsets[i])
                    set_uniform(prog, "u_n_in4", _groups(layer.W.shape[1]))
                    set_uniform(prog, "u_n_out4", n_out4)
                    set_uniform(prog, "u_act", activations.IDS[layer.activation])
                    set_uniform(prog, "u_first", i == 0)
                    set_uniform(prog, "u_final", i == net.depth - 1)
                    if i > 0:
                        atlases[(i - 1) % 2].color_attachments[0].use(1)
                    if i == net.depth - 1:
                        fbo.use()
                        fbo.viewport = (dst[0] + tx, dst[1] + ty, cw, ch)
                        set_uniform(prog, "u_dst", (dst[0] + tx, dst[1] + ty))
                    else:
                        target = atlases[i % 2]
                        target.use()
                        # only the rows of group tiles this layer fills
                        target.viewport = (0, 0, tw * gx, th * math.ceil(n_out4 / gx))
                        set_uniform(prog, "u_dst", (0, 0))
                    vao.render(mode=self.ctx.TRIANGLES, vertices=3)
                self.ctx.finish()

    # --------------------------------------------------------------- readback
    def frame(self, net: Network, view: View, path: Optional[str] = None):
        """Draw the whole picture into a GPU texture (RGBA32F, GL row r = picture row r) and wait for it:
        a frame as the window shows it, with no readback. Returns the texture."""
        fbo = self._target("frame", (view.width, view.height))
        self.draw(net, view, fbo, (0, 0, view.width, view.height), path=path)
        self.ctx.finish()
        return fbo.color_attachments[0]

    def render(self, net: Network, view: View, path: Optional[str] = None,
               out: Optional[np.ndarray] = None) -> np.ndarray:
        """The picture as float32 (H, W, C), row 0 at the top."""
        H, W, C = view.height, view.width, net.channels
        if out is None:
            out = np.empty((H, W, C), np.float32)
        tile = FUSED_TILE
        for r0 in range(0, H, tile):
            for c0 in range(0, W, tile):
                w, h = min(tile, W - c0), min(tile, H - r0)
                fbo = self._target("tile", (min(tile, W), min(tile, H)))
                self.draw(net, view, fbo, (c0, r0, w, h), path=path)
                raw = fbo.read(viewport=(0, 0, w, h), components=4, dtype="f4")
                out[r0:r0 + h, c0:c0 + w] = np.frombuffer(raw, np.float32).reshape(h, w, 4)[:, :, :C]
        return out
