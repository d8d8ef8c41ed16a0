"""The one HTML page helper: the skeleton, escaping and writing of the pages glnn makes.

The figures' gallery (glnn/article/figures.py) and the grid's page (glnn/explore/grid.py) are page(title, style, body); the
live page and the notebook widget's page (glnn/web/webgl.py filling the template glnn/web/page.html) put the spec
and the front end inside <script> elements with script_json() and script_text(). Pages are self-contained
(no request to any server) and written atomically.

The front end's modules are joined by glnn/web/bundle.py; glnn's tables reach them from glnn/web/tables.py.
"""
from __future__ import annotations

import html
import json
from pathlib import Path, PurePath
from urllib.parse import quote

from .files import atomic_path

def escape(text) -> str:
    """Text (or an attribute value in double or single quotes) safe in HTML."""
    return html.escape(str(text), quote=True)


def href(path) -> str:
    """A relative file path as a link's or an image's URL in HTML: each part URL-encoded (a "#", "?", "%" or space
    in a file name is part of the name, not of the URL), then escaped for the attribute."""
    return escape("/".join(quote(part, safe="") for part in PurePath(path).as_posix().split("/")))


def page(title: str, style: str, body: str) -> str:
    """A whole page: `title` (plain text, escaped here), a style sheet, and the body's HTML as given."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>\n'
            f'<style>\n{style.strip(chr(10))}\n</style></head><body>\n{body.strip(chr(10))}\n</body></html>\n')


def script_json(data) -> str:
    """JSON for the inside of a <script> element: compact, and no "</" that could end the element."""
    return json.dumps(data, separators=(",", ":")).replace("</", "<\\/")


def script_text(source: str) -> str:
    """JavaScript for the inside of a <script> element (no "</script" that would end it early)."""
    return source.replace("</script", "<\\/script")


def write(path, text: str, outputs=None) -> Path:
    """Write a page (UTF-8) atomically, or as one of several `files.Outputs` that land together; returns its path."""
    path = Path(path)
    with atomic_path(path, outputs) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path
