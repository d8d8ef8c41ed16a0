"""OpenGL contexts: a headless one for offscreen work, and what `glnn info` reports."""
from __future__ import annotations

import sys
from typing import Optional

from .errors import GLUnavailable

_offscreen = None
_failure: Optional[str] = None


def offscreen_context():
    """The process's shared headless context (EGL on Linux, the platform default elsewhere).

    Raises GLUnavailable, with a one-line reason, when none can be made.
    """
    global _offscreen, _failure
    if _offscreen is not None:
        return _offscreen
    if _failure is not None:
        raise GLUnavailable(_failure)
    try:
        import moderngl
    except Exception as e:  # pragma: no cover - moderngl is a dependency
        _failure = f"moderngl cannot be imported: {e}"
        raise GLUnavailable(_failure)
    backends = [{"backend": "egl"}, {}] if sys.platform.startswith("linux") else [{}]
    reasons = []
    for kwargs in backends:
        # ask for 4.3 first: a driver may hand out exactly the version asked for, and 4.3 brings
        # the compute kernels; 3.3 core is what every supported machine has (macOS: 4.1)
        for version in (430, 330):
            try:
                _offscreen = moderngl.create_standalone_context(require=version, **kwargs)
                return _offscreen
            except Exception as e:
                first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        reasons.append(f"{kwargs.get('backend', 'default')}: {first}")
    _failure = "no OpenGL 3.3 context (" + "; ".join(reasons) + ")"
    raise GLUnavailable(_failure)


def check_error(ctx, what: str) -> None:
    err = ctx.error
    if err != "GL_NO_ERROR":
        raise RuntimeError(f"OpenGL error after {what}: {err}")


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
