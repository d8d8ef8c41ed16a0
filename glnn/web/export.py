"""`glnn export`: a network to play with outside Python: a live web page (.html) or a Shadertoy shader (.glsl).

Both compile the desktop kernels' GLSL through glnn/web/webgl.py (shaders/web_*.frag); the page also carries
the front end, glnn/web/glnn_view.js (which the notebook widget runs too).
"""
from __future__ import annotations

from ..errors import GlnnError
from ..io.files import atomic_path
from .bundle import bundle, web_asset
from ..io.recipe import Recipe
from .webgl import page_html, shadertoy_source

FORMATS = (".html", ".glsl")


def page(recipe: Recipe) -> str:
    """The self-contained live page for a recipe's network and view."""
    return page_html(recipe, bundle("glnn_view.js"), web_asset("page.html"))


def export(recipe: Recipe, path: str) -> str:
    """Write the page or the Shadertoy shader (by the extension); the text is made before the file is touched."""
    ext = str(path).lower().rsplit(".", 1)[-1] if "." in str(path) else ""
    if "." + ext not in FORMATS:
        raise GlnnError(f"{path!r}: glnn export writes {' or '.join(FORMATS)} (a live web page or a Shadertoy shader)")
    text = page(recipe) if ext == "html" else shadertoy_source(recipe)
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
    return text
