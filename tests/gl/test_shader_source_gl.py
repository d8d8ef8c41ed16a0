"""A real driver's compile error points at the shader file and line."""
import pytest

from glnn.gl.shader_source import ShaderSource


def test_driver_error_points_at_file_and_line(ctx):
    """A real Mesa compile error in an included file comes back as that file's line."""
    files = dict(**{"bad.frag": "#version 330\n#include \"badlib.glsl\"\nout vec4 c;\nvoid main() { c = vec4(h()); }\n",
                           "badlib.glsl": "float h() {\n    return undefined_thing;\n}\n"})
    src = ShaderSource("bad.frag", loader=files.__getitem__)
    vs = "#version 330\nvoid main() { gl_Position = vec4(0.0); }\n"
    with pytest.raises(Exception) as info:
        ctx.program(vertex_shader=vs, fragment_shader=src.source)
    text = src.explain(str(info.value))
    assert text.startswith("shaders/badlib.glsl line 2: error:"), text
    assert "return undefined_thing;" in text
    ctx.error  # clear
