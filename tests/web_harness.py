"""The web exports' GLSL ES run on desktop GL (as GLSL 3.30): the page's and Shadertoy's shaders drawn into a float
target, for the tests that compare them with the reference."""
import base64

import moderngl
import numpy as np

from glnn.model import colour
from glnn.web import webgl
from glnn.gl.resources import park
from glnn.io.recipe import Recipe


def desktop(source: str) -> str:
    assert source.startswith("#version 300 es\n")
    return "#version 330\n" + source[len("#version 300 es\n"):]


def draw_desktop(ctx, fragment: str, size, uniforms, weights=None):
    """Run a fragment shader over a size=(w, h) float target; (h, w, 3) float32, row 0 at the top."""
    w, h = size
    vert = desktop(webgl.ShaderSource("web_fullscreen.vert").source)
    prog = ctx.program(vertex_shader=vert, fragment_shader=fragment)
    fbo = ctx.simple_framebuffer((w, h), components=4, dtype="f4")
    vao = ctx.vertex_array(prog, [])
    tex = None
    try:
        if weights is not None:
            tw, th = weights[1]
            tex = ctx.texture((tw, th), 4, weights[0], dtype="f4")
            tex.filter = (moderngl.NEAREST, moderngl.NEAREST)
            tex.use(0)
            prog["u_weights"] = 0
        for k, v in uniforms.items():
            if k in prog:
                prog[k] = v
        fbo.use()
        fbo.viewport = (0, 0, w, h)
        vao.render(moderngl.TRIANGLES, vertices=3)
        out = np.frombuffer(fbo.read(components=4, dtype="f4"), np.float32).reshape(h, w, 4)
    finally:
        park(ctx)   # never leave a released framebuffer bound
        for obj in (vao, prog, fbo, tex):
            if obj is not None:
                obj.release()
    return out[::-1, :, :3]


def page_desktop(ctx, net, view, mode=None):
    spec = webgl.page_spec(Recipe(net, view, colour.mode_for(net.channels, mode).name))
    weights = base64.b64decode(spec["weights"])
    return draw_desktop(ctx, desktop(spec["fragment"]), view.size, {
        "u_view_center": view.center, "u_view_extent": view.extent, "u_canvas": view.size, "u_step": 1.0,
        "u_time": view.time}, (weights, spec["texture"]))


SHADERTOY_HEADER = ("#version 330\nuniform vec3 iResolution;\nuniform float iTime;\nuniform vec4 iMouse;\n"
                    "uniform int iFrame;\nout vec4 st_out;\n")
SHADERTOY_FOOTER = "\nvoid main() { mainImage(st_out, gl_FragCoord.xy); st_out.a = 1.0; }\n"


def shadertoy_desktop(ctx, net, view, mode=None, itime=0.0, mouse=(0.0, 0.0, 0.0, 0.0)):
    code = webgl.shadertoy_source(Recipe(net, view, colour.mode_for(net.channels, mode).name))
    return draw_desktop(ctx, SHADERTOY_HEADER + code + SHADERTOY_FOOTER, view.size, {
        "iResolution": (float(view.width), float(view.height), 1.0), "iTime": float(itime), "iMouse": mouse})


def per_unit_recipes_without_weights(monkeypatch) -> None:
    """Until saved networks hold per-unit layers (mix-units; the io room's format, branch main 401fbcd), a recipe
    of such a network goes without its weights, as a network too large for them does: the shaders' tests need no
    file. Nothing is changed once saving them works."""
    from glnn import Network
    from glnn.io import recipe, saved_network

    try:
        saved_network.to_bytes(Network(depth=2, width=2, activation="mix-units"))
    except ValueError:
        monkeypatch.setattr(recipe, "_weights_size", lambda net: 1 << 40)
