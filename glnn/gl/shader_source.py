"""Shader source files: load, specialise with #defines, resolve #includes, map driver errors.

Like moderngl-window's ShaderSource, but:
- a define whose value is 0 (or False) is kept as `#define NAME 0`;
- every file gets its own block of line numbers: line n of the k-th file is
  announced as line k * LINE_BLOCK + n with `#line`, so a driver's line number
  alone says which file and line (source-string numbers would be neater, but
  Mesa reports 0 for some errors in included files);
- every error names the file (shaders/x.glsl) and line.
`#version 300 es` (WebGL2's GLSL ES, the web exports: glnn/web/webgl.py) is accepted too.
Two includes are generated from Python tables, not read from files:
`activations.glsl` (glnn/model/activations.py) and `colour.glsl` (glnn/model/colour.py).
No GL here: this module is unit-tested on its own.
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Mapping, Optional

from ..model import activations, colour

GENERATED: Dict[str, Callable[[], str]] = {"activations.glsl": activations.glsl_source,
                                           "colour.glsl": colour.glsl_source}
MAX_INCLUDE_DEPTH = 8
LINE_BLOCK = 10000   # no shader file is this long
_INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"\s*$')
_VERSION = re.compile(r"^\s*#\s*version\s+(\d+)(\s+\w+)?\s*$")
_MESA = re.compile(r"^\s*(\d+):(\d+)\((\d+)\):\s*(?:preprocessor\s+)?(error|warning)\s*:?\s*(.*)$")
_UNIFORM = re.compile(r"^\s*(?:layout\s*\([^)]*\)\s*)?(?:(?:readonly|writeonly|highp|mediump|lowp)\s+)*"
                      r"uniform\s+\w+\s+(\w+)", re.M)
_NVIDIA = re.compile(r"^\s*(\d+)\((\d+)\)\s*:\s*(error|warning)\s*(\w*)\s*:?\s*(.*)$")


class ShaderError(RuntimeError):
    """A shader failed to load or compile; the message names file and line."""


def shader_dir() -> Path:
    """The folder of GLSL files: glnn/shaders in an installed wheel, shaders/ in a source checkout."""
    packaged = resources.files("glnn") / "shaders"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent.parent / "shaders"


def read_shader(name: str) -> str:
    """A shader file's text (or a generated include's)."""
    if name in GENERATED:
        return GENERATED[name]()
    path = shader_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise ShaderError(f"shaders/{name}: cannot read: {e.strerror or e}") from None


class ShaderSource:
    """One shader stage's source, assembled from shaders/`name` and its includes."""

    def __init__(self, name: str, defines: Optional[Mapping[str, object]] = None,
                 loader: Callable[[str], str] = read_shader):
        self.name = name
        self.defines: Dict[str, object] = dict(defines or {})
        self._loader = loader
        self.files: List[str] = []          # source-string number -> file name
        self._lines: Dict[int, List[str]] = {}
        self.source = self._assemble()

    def _assemble(self) -> str:
        text = self._load(self.name, None)
        lines = text.splitlines()
        if not lines or not _VERSION.match(lines[0]):
            raise ShaderError(f"shaders/{self.name} line 1: the first line must be #version (found "
                              f"{lines[0].strip()!r})" if lines else f"shaders/{self.name}: empty file")
        m = _VERSION.match(lines[0])
        version, profile = int(m.group(1)), (m.group(2) or "").strip()
        self.es = profile == "es"
        if self.es and version != 300:
            raise ShaderError(f"shaders/{self.name} line 1: GLSL ES {version}: the web exports use 300 es (WebGL2)")
        if not self.es and version < 330:
            raise ShaderError(f"shaders/{self.name} line 1: #version {version} is below 330")
        out = [lines[0]]
        for key, value in self.defines.items():
            if not re.fullmatch(r"[A-Za-z_]\w*", key):
                raise ShaderError(f"shaders/{self.name}: bad define name {key!r}")
            out.append(f"#define {key}" if value is None else f"#define {key} {_define_value(value)}")
        out.append("#line 2")
        out.extend(self._expand(lines[1:], 0, 2, depth=0))
        return "\n".join(out) + "\n"

    def _load(self, name: str, parent: Optional[str]) -> str:
        try:
            text = self._loader(name)
        except ShaderError as e:
            raise ShaderError(f"{e} (included from shaders/{parent})" if parent else str(e)) from None
        self.files.append(name)
        self._lines[len(self.files) - 1] = text.splitlines()
        return text

    def _expand(self, lines: List[str], file_no: int, first_line: int, depth: int) -> List[str]:
        out = []
        for n, line in enumerate(lines, start=first_line):
            m = _INCLUDE.match(line)
            if not m:
                if _VERSION.match(line):
                    raise ShaderError(f"shaders/{self.files[file_no]} line {n}: #version must be the first line only")
                out.append(line)
                continue
            if depth >= MAX_INCLUDE_DEPTH:
                raise ShaderError(f"shaders/{self.files[file_no]} line {n}: #include nested deeper than "
                                  f"{MAX_INCLUDE_DEPTH} (an include cycle?)")
            text = self._load(m.group(1), self.files[file_no])
            child = len(self.files) - 1
            out.append(f"#line {child * LINE_BLOCK + 1}")
            out.extend(self._expand(text.splitlines(), child, 1, depth + 1))
            out.append(f"#line {file_no * LINE_BLOCK + n + 1}")
        return out

    def declared_uniforms(self) -> FrozenSet[str]:
        """Names of the uniforms this source declares (whatever the compiler keeps)."""
        return frozenset(_UNIFORM.findall(self.source))

    def line_text(self, file_no: int, line: int) -> Optional[str]:
        lines = self._lines.get(file_no, [])
        return lines[line - 1] if 1 <= line <= len(lines) else None

    def explain(self, log: str) -> str:
        """Turn a driver's compile log into 'shaders/x.glsl line N: message' lines, with the line's text."""
        out = []
        for raw in log.splitlines():
            m = _MESA.match(raw)
            if m:
                number, kind, msg = int(m.group(2)), m.group(4), m.group(5)
            else:
                m = _NVIDIA.match(raw)
                if not m:
                    continue
                number, kind = int(m.group(2)), m.group(3)
                msg = (m.group(4) + ": " if m.group(4) else "") + m.group(5)
            file_no, line = divmod(number, LINE_BLOCK)
            fname = self.files[file_no] if 0 <= file_no < len(self.files) else f"<source {file_no}>"
            out.append(f"shaders/{fname} line {line}: {kind}: {msg.strip()}")
            text = self.line_text(file_no, line)
            if text is not None:
                out.append(f"    {text.strip()}")
        return "\n".join(out) if out else f"shaders/{self.name}: " + log.strip()


def _define_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
