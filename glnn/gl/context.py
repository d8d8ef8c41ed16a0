"""OpenGL contexts: making a headless one, taking a window's, and what a context can do (its capabilities,
for `glnn info`)."""
from __future__ import annotations

import sys
from dataclasses import dataclass

import moderngl

from ..errors import GLUnavailable

SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "software")


def create_offscreen_context():
    """A new headless context (EGL on Linux, the platform default elsewhere), GL 4.3 where the driver has it,
    else 3.3 core. Raises GLUnavailable with a one-line reason when none can be made."""
    backends = [{"backend": "egl"}, {}] if sys.platform.startswith("linux") else [{}]
    reasons = []
    for kwargs in backends:
        # ask for 4.3 first: a driver may hand out exactly the version asked for, and 4.3 brings
        # the compute kernels; 3.3 core is what every supported machine has (macOS: 4.1)
        for version in (430, 330):
            try:
                return moderngl.create_standalone_context(require=version, **kwargs)
            except Exception as e:
                first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        reasons.append(f"{kwargs.get('backend', 'default')}: {first}")
    raise GLUnavailable("no OpenGL 3.3 context (" + "; ".join(reasons) + ")")


def create_window_context():
    """The context a window toolkit made current on this thread (GLFW's GL 3.3 core window, glnn/app/window.py)."""
    return moderngl.create_context(require=330)


@dataclass(frozen=True)
class Caps:
    """What a context can do, as the kernels need to know it."""
    compute: bool        # GL 4.3: compute shaders, storage buffers, image stores
    unroll: bool         # a GPU: unrolled loops pay off (software GL would compile for seconds)
    max_texture: int
    renderer: str

    @classmethod
    def of(cls, ctx) -> "Caps":
        renderer = str(ctx.info.get("GL_RENDERER", ""))
        return cls(compute=ctx.version_code >= 430,
                   unroll=not any(name in renderer.lower() for name in SOFTWARE_RENDERERS),
                   max_texture=int(ctx.info.get("GL_MAX_TEXTURE_SIZE", 8192)), renderer=renderer)


def describe(ctx) -> dict:
    info = ctx.info
    keys = ("GL_MAX_TEXTURE_SIZE", "GL_MAX_VIEWPORT_DIMS", "GL_MAX_COLOR_ATTACHMENTS",
            "GL_MAX_FRAGMENT_UNIFORM_COMPONENTS", "GL_MAX_COMPUTE_WORK_GROUP_INVOCATIONS",
            "GL_MAX_SHADER_STORAGE_BLOCK_SIZE")
    return {
        "renderer": info.get("GL_RENDERER"), "vendor": info.get("GL_VENDOR"),
        "version": info.get("GL_VERSION"), "version_code": ctx.version_code,
        "limits": {k: info.get(k) for k in keys if info.get(k) is not None},
    }
