"""Compiled GL programs: described by their source files and defines, cached by that description.

A ProgramDesc (the files of each stage + the #defines) is the cache key: two
kernels that ask for the same source and defines share one program, and
nothing else can make them differ. Binding points are declared once, in
BINDINGS: every program gets them as #defines (shaders write
`layout(binding = SSBO_ROWS)`), and samplers are pointed at their texture
units from the same table. Setting a uniform the source does not declare warns
with UndeclaredUniform (the tests turn it into an error), so a typo never
passes for a uniform the compiler optimised out.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Optional, Tuple

import numpy as np

from .packing import WEIGHT_TEX_WIDTH
from .shader_source import ShaderError, ShaderSource

# Texture units (samplers), image units and storage-buffer binding points: the one table both sides use.
BINDINGS: Dict[str, int] = {
    "TEX_WEIGHTS": 0,      # sampler u_weights: the weights as RGBA32F texels (fused.frag, fused.comp, layer.frag)
    "TEX_PREV": 1,         # sampler u_prev: the previous layer's atlas (layer.frag)
    "TEX_PICTURE": 2,      # sampler u_picture: the picture shown in the window (display.frag)
    "TEX_TEXT": 3,         # sampler u_text: a text panel (overlay.frag)
    "IMG_OUT": 2,          # image u_out: where compute kernels store the picture
    "SSBO_STATE_IN": 0,    # the matrix path's states (gemm.comp, gemm_io.comp)
    "SSBO_STATE_OUT": 1,
    "SSBO_WEIGHTS": 2,     # the matrix path's weights (gemm.comp)
    "SSBO_ROWS": 3,        # the shared kernel's weights (fused_shared.comp)
}
# Defined in every program: the binding points and the weight texture's width (packing.py).
LAYOUT_DEFINES = dict(BINDINGS, WEIGHT_TEX_WIDTH=WEIGHT_TEX_WIDTH)
SAMPLERS = {"u_weights": "TEX_WEIGHTS", "u_prev": "TEX_PREV", "u_picture": "TEX_PICTURE", "u_text": "TEX_TEXT"}


class UndeclaredUniform(UserWarning):
    """A uniform was set that the program's source does not declare (a typo, or a stale name)."""


@dataclass(frozen=True)
class ProgramDesc:
    """What a program is made of: one compute file, or a vertex and a fragment file; and its defines."""
    files: Tuple[str, ...]
    defines: Tuple[Tuple[str, object], ...] = ()

    @classmethod
    def compute(cls, name: str, **defines) -> "ProgramDesc":
        return cls((name,), tuple(sorted(defines.items())))

    @classmethod
    def fullscreen(cls, fragment: str, **defines) -> "ProgramDesc":
        return cls(("fullscreen.vert", fragment), tuple(sorted(defines.items())))

    @property
    def is_compute(self) -> bool:
        return len(self.files) == 1


class Program:
    """A compiled program and the uniforms its source declares."""

    def __init__(self, ctx, desc: ProgramDesc):
        self.ctx, self.desc = ctx, desc
        defines = dict(LAYOUT_DEFINES, **dict(desc.defines))
        sources = [ShaderSource(name, defines) for name in desc.files]
        try:
            if desc.is_compute:
                self.gl = ctx.compute_shader(sources[0].source)
            else:
                self.gl = ctx.program(vertex_shader=sources[0].source, fragment_shader=sources[1].source)
        except Exception as e:
            log = str(e)
            stage = sources[0] if len(sources) > 1 and "vertex_shader" in log and "fragment_shader" not in log \
                else sources[-1]
            raise ShaderError(stage.explain(log)) from None
        self.declared: FrozenSet[str] = frozenset().union(*(s.declared_uniforms() for s in sources))
        for uniform, unit in SAMPLERS.items():
            if uniform in self.gl:
                self.gl[uniform].value = BINDINGS[unit]
        self._vao = None

    def __setitem__(self, name: str, value) -> None:
        """Set a uniform. One the compiler removed is skipped; one the source never declared warns.

        A numpy array sets a uniform array; a compiler may have kept only its first
        elements (array_length says how many), so only those are written.
        """
        if name not in self.declared:
            warnings.warn(f"{'/'.join(self.desc.files)} declares no uniform {name!r}", UndeclaredUniform, stacklevel=2)
            return
        if name not in self.gl:
            return
        u = self.gl[name]
        if isinstance(value, np.ndarray):
            data = value.tobytes()
            u.write(data[:len(data) // value.shape[0] * u.array_length])
        else:
            u.value = value

    def set(self, **values) -> None:
        for name, value in values.items():
            self[name] = value

    def run(self, x: int, y: int = 1) -> None:
        self.gl.run(x, y)

    def draw_fullscreen(self) -> None:
        """One triangle over the viewport (fullscreen.vert needs no vertex data)."""
        if self._vao is None:
            self._vao = self.ctx.vertex_array(self.gl, [])
        self._vao.render(mode=self.ctx.TRIANGLES, vertices=3)

    def release(self) -> None:
        if self._vao is not None:
            self._vao.release()
        self.gl.release()


class ProgramCache:
    """Programs by description: compiled once, then reused (a new seed, scale or view never recompiles)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self._programs: Dict[ProgramDesc, Program] = {}
        self.compiles = 0

    def get(self, desc: ProgramDesc) -> Program:
        prog = self._programs.get(desc)
        if prog is None:
            prog = self._programs[desc] = Program(self.ctx, desc)
            self.compiles += 1
        return prog

    def forget(self, descs: Optional[Iterable[ProgramDesc]] = None) -> None:
        """Release cached programs (all, or these): the next use compiles again (`glnn bench` times compiles)."""
        for desc in list(self._programs) if descs is None else descs:
            prog = self._programs.pop(desc, None)
            if prog is not None:
                prog.release()

    def __len__(self) -> int:
        return len(self._programs)

    def release(self) -> None:
        self.forget()
