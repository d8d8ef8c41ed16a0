"""One GPU layer: no module outside glnn/gl/ talks to OpenGL. Read from the source (ast), no GL needed.

Outside glnn/gl/ a module may hold a context or a framebuffer and pass it on (the engine keeps the window's
context, the viewer hands a display target to a backend), but it never imports a GL binding, never imports the
modules that make GL objects (glnn.gl.programs, glnn.gl.resources), never reaches into a context (`ctx.x`,
`engine.context.x`), and never uses a name that only a GL object has (`.texture(`, `.color_attachments`,
`.bind_to_image`, `.memory_barrier`, `BLEND` ...), nor a method of a name GL handles go by (`fbo.read()`,
`tex.use()`, `screen.clear()`). The checker is itself checked on the code this rule replaced.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import List

from source_imports import imported

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "glnn"
GL_PACKAGE = PACKAGE / "gl"

GL_BINDINGS = {"moderngl", "glcontext", "OpenGL", "pyglet.gl", "moderngl_window"}
GL_OBJECT_MODULES = {"glnn.gl.programs", "glnn.gl.resources"}
CONTEXT_NAMES = {"ctx", "context", "_ctx", "_context"}
# What GL handles are called here (glnn/gl/ and the tests): outside glnn/gl/ such a name is only passed on
HANDLE_NAMES = {"fbo", "tex", "texture", "screen", "framebuffer", "prog", "program", "vao", "shader", "sampler"}
# Attributes that only moderngl's context and objects have (none of glnn's own classes outside glnn/gl/ uses
# these names; `finish`, `render`, `release`, `read`, `write`, `use` are left out for that reason, and caught
# when called on a context or on a handle's name).
GL_ONLY = {
    # a context making objects
    "texture", "texture_array", "texture3d", "texture_cube", "depth_texture", "external_texture", "framebuffer",
    "simple_framebuffer", "renderbuffer", "depth_renderbuffer", "buffer", "program", "compute_shader",
    "vertex_array", "simple_vertex_array", "sampler", "query", "scope", "create_context",
    "create_standalone_context",
    # a context's state and synchronisation
    "memory_barrier", "enable", "enable_only", "disable", "blend_func", "blend_equation", "depth_func",
    "copy_buffer", "copy_framebuffer", "detect_framebuffer", "clear_samplers", "screen", "fbo", "front_face",
    "cull_face", "wireframe", "polygon_offset", "version_code", "gc_mode",
    # objects
    "color_attachments", "depth_attachment", "bind_to_image", "bind_to_storage_buffer", "bind_to_uniform_block",
    "build_mipmaps", "viewport", "scissor", "swizzle", "repeat_x", "repeat_y", "anisotropy", "compare_func",
    "read_into", "write_chunks", "orphan", "glo", "mglo", "draw_fullscreen",
    # constants
    "BLEND", "DEPTH_TEST", "CULL_FACE", "PROGRAM_POINT_SIZE", "NEAREST", "LINEAR", "LINEAR_MIPMAP_LINEAR",
    "TRIANGLES", "TRIANGLE_STRIP", "POINTS", "LINES", "SRC_ALPHA", "ONE_MINUS_SRC_ALPHA", "ONE", "ZERO",
}


def _package_of(path: Path) -> str:
    """The package a file's relative imports start from: glnn/gl/x.py and glnn/gl/__init__.py -> glnn.gl."""
    return ".".join(path.relative_to(ROOT).parent.parts)


def violations(source: str, package: str) -> List[str]:
    """Every GL call or GL import in `source` (a module of package `package`), as 'line N: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        for name in imported(node, package):
            if name.split(".")[0] in GL_BINDINGS or name in GL_BINDINGS:
                found.append(f"line {node.lineno}: imports the GL binding {name}")
            elif name in GL_OBJECT_MODULES:
                found.append(f"line {node.lineno}: imports {name} (it makes GL objects)")
        if isinstance(node, ast.Attribute):
            if node.attr in GL_ONLY:
                found.append(f"line {node.lineno}: .{node.attr} (a GL object's)")
            receiver = node.value
            if (isinstance(receiver, ast.Name) and receiver.id in CONTEXT_NAMES) or \
                    (isinstance(receiver, ast.Attribute) and receiver.attr in CONTEXT_NAMES):
                found.append(f"line {node.lineno}: reaches into a GL context (.{node.attr})")
            elif isinstance(receiver, ast.Name) and receiver.id in HANDLE_NAMES:
                found.append(f"line {node.lineno}: uses a GL handle ({receiver.id}.{node.attr})")
    return sorted(set(found), key=lambda v: int(v.split()[1].rstrip(":")))


def test_no_gl_outside_glnn_gl():
    outside = [p for p in sorted(PACKAGE.rglob("*.py")) if GL_PACKAGE not in p.parents]
    assert len(outside) > 20 and PACKAGE / "app" / "viewer.py" in outside and PACKAGE / "app" / "hud.py" in outside
    report = {str(p.relative_to(ROOT)): v for p in outside
              if (v := violations(p.read_text(encoding="utf-8"), _package_of(p)))}
    assert not report, "GL outside glnn/gl/:\n" + "\n".join(f"{f}: {'; '.join(v)}" for f, v in report.items())


def test_glnn_gl_is_where_the_gl_is():
    """The checker sees the GL that is there: every GL module of glnn/gl/ but the pure ones trips it."""
    hits = {p.name for p in GL_PACKAGE.glob("*.py") if violations(p.read_text(encoding="utf-8"), _package_of(p))}
    assert {"context.py", "display.py", "kernels.py", "resources.py", "programs.py", "backend.py"} <= hits
    assert not {"packing.py", "shader_source.py"} & hits      # no GL there: webgl.py and the tests use them bare


# The code this rule replaced (glnn/app/hud.py, glnn/app/viewer.py and glnn/app/window.py before glnn/gl/display.py):
OLD_HUD = '''
from .gl.programs import BINDINGS, ProgramCache, ProgramDesc
class Overlay:
    def panel(self, slot, lines, x, y, viewport):
        tex = self.ctx.texture(img.size, 4, img.tobytes())
        self.ctx.enable(self.ctx.BLEND)
        tex.use(BINDINGS["TEX_TEXT"])
        self.program.draw_fullscreen()
'''
OLD_VIEWER = '''
from .gl.resources import Resources
def compute(self):
    self.ctx.finish()
def _write(fbo, pic, dst):
    fbo.color_attachments[0].write(rgba.tobytes(), viewport=(dst[0], dst[1], pic.shape[1], pic.shape[0]))
def draw(self, screen):
    screen.viewport = (0, 0, fw, fh)
'''
OLD_WINDOW = '''
import moderngl
def step(self):
    self.ctx = moderngl.create_context(require=330)
    self.app.frame(self.clock(), self.fb_size(), self.ctx.screen)
'''


def test_the_checker_catches_what_was_there():
    hud = violations(OLD_HUD, "glnn")
    assert any("glnn.gl.programs" in v for v in hud) and any(".texture" in v for v in hud)
    assert any(".BLEND" in v for v in hud) and any(".enable" in v for v in hud)
    assert any(".draw_fullscreen" in v for v in hud)
    viewer = violations(OLD_VIEWER, "glnn")
    assert any("glnn.gl.resources" in v for v in viewer) and any("(.finish)" in v for v in viewer)
    assert any(".color_attachments" in v for v in viewer) and any(".viewport" in v for v in viewer)
    assert any("(screen.use)" in v for v in violations("screen.use()\n", "glnn"))
    assert any("(fbo.read)" in v for v in violations("raw = fbo.read(components=4)\n", "glnn"))
    window = violations(OLD_WINDOW, "glnn")
    assert any("binding moderngl" in v for v in window) and any(".create_context" in v for v in window)
    assert any("(.screen)" in v for v in window)
    # and leaves plain code alone: holding a context, a backend's render, the display's calls
    assert violations("e = Engine(ctx=ctx)\nbackend.render(net, view)\nself.display.finish()\n", "glnn") == []
    # relative imports are resolved from the package, __init__ included
    assert violations("from ..gl.resources import park\n", "glnn.backends")
    assert violations("from .resources import park\n", "glnn.gl")
