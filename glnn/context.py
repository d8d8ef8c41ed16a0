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
    attempts = [{"backend": "egl"}, {}] if sys.platform.startswith("linux") else [{}]
    reasons = []
    for kwargs in attempts:
        try:
            _offscreen = moderngl.create_standalone_context(require=330, **kwargs)
            return _offscreen
        except Exception as e:
            reasons.append(f"{kwargs.get('backend', 'default')}: {str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__}")
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
