"""shaders loader: defines, includes, #line, errors with file names (no GL; a real compile error: tests/gl)."""
import pytest

from glnn.gl.shader_source import MAX_INCLUDE_DEPTH, ShaderError, ShaderSource, read_shader, shader_dir

FILES = {
    "main.frag": "#version 330\nuniform float a;\n#include \"lib.glsl\"\nvoid main() {}\n",
    "lib.glsl": "// lib\nfloat f() { return 1.0; }\n#include \"inner.glsl\"\n",
    "inner.glsl": "float g() { return 2.0; }\n",
    "loop.frag": "#version 330\n#include \"cycle.glsl\"\n",
    "cycle.glsl": "// again\n#include \"cycle.glsl\"\n",
    "noversion.frag": "void main() {}\n",
    "old.frag": "#version 120\nvoid main() {}\n",
    "missing.frag": "#version 330\n#include \"nope.glsl\"\n",
}


def loader(name):
    if name not in FILES:
        raise ShaderError(f"shaders/{name}: cannot read: no such file")
    return FILES[name]


def test_defines_keep_zero_and_follow_version():
    s = ShaderSource("main.frag", {"DEPTH": 0, "ON": True, "OFF": False, "FLAG": None, "W": 30}, loader=loader)
    lines = s.source.splitlines()
    assert lines[0] == "#version 330"
    assert "#define DEPTH 0" in lines and "#define OFF 0" in lines and "#define ON 1" in lines
    assert "#define FLAG" in lines and "#define W 30" in lines
    assert lines[6] == "#line 2" and lines[7] == "uniform float a;"


def test_includes_get_their_own_source_numbers_and_lines():
    s = ShaderSource("main.frag", loader=loader)
    assert s.files == ["main.frag", "lib.glsl", "inner.glsl"]
    src = s.source
    assert "#line 10001\n// lib" in src
    assert "#line 20001\nfloat g()" in src
    assert "#line 10004" in src          # back in lib.glsl after inner.glsl (its line 3)
    assert "#line 4\nvoid main() {}" in src


def test_include_cycle_is_stopped_with_file_and_line():
    with pytest.raises(ShaderError, match=r"shaders/cycle.glsl line 2: #include nested deeper than %d" % MAX_INCLUDE_DEPTH):
        ShaderSource("loop.frag", loader=loader)


@pytest.mark.parametrize("name,pattern", [
    ("noversion.frag", r"shaders/noversion.frag line 1: the first line must be #version"),
    ("old.frag", r"shaders/old.frag line 1: #version 120 is below 330"),
    ("missing.frag", r"shaders/nope.glsl: cannot read.*\(included from shaders/missing.frag\)"),
])
def test_errors_name_the_file(name, pattern):
    with pytest.raises(ShaderError, match=pattern):
        ShaderSource(name, loader=loader)


def test_bad_define_name():
    with pytest.raises(ShaderError, match=r"shaders/main.frag: bad define name"):
        ShaderSource("main.frag", {"1BAD": 1}, loader=loader)


def test_explain_mesa_and_nvidia_logs():
    s = ShaderSource("main.frag", loader=loader)
    mesa = "0:2(7): error: syntax error, unexpected IDENTIFIER\n0:10002(1): warning: unused"
    text = s.explain(mesa)
    assert "shaders/main.frag line 2: error: syntax error, unexpected IDENTIFIER\n    uniform float a;" in text
    assert "shaders/lib.glsl line 2: warning: unused\n    float f() { return 1.0; }" in text
    nv = '0(20001) : error C1008: undefined variable "q"'
    assert s.explain(nv).startswith('shaders/inner.glsl line 1: error: C1008: undefined variable "q"')


def test_real_shader_files_load():
    assert (shader_dir() / "fused.frag").is_file()
    s = ShaderSource("fused.frag", {"DEPTH": 3, "WIDTH": 5, "INPUTS": 2, "WEIGHT_TEX_WIDTH": 1024, "UNROLL": 0})
    assert s.files == ["fused.frag", "activations.glsl", "common.glsl", "network.glsl"]
    assert "#define DEPTH 3" in s.source and "#define UNROLL 0" in s.source
    assert read_shader("activations.glsl").startswith("//")
