"""The suite's tiers hold: a unit test cannot make a GL context or start a process, and is not marked gl or
system (tests/conftest.py marks by folder)."""
import subprocess

import moderngl
import pytest

import glnn
from glnn.rendering.engine import Engine
from glnn.gl.context import create_offscreen_context

REFUSED = pytest.fail.Exception


def test_unit_tests_cannot_make_a_gl_context():
    for make in (moderngl.create_standalone_context, moderngl.create_context, create_offscreen_context,
                 lambda: Engine().context, lambda: glnn.render(glnn.Network(depth=2, width=3), size=4)):
        with pytest.raises(REFUSED, match="unit test may not make a GL context"):
            make()


def test_unit_tests_cannot_start_a_process():
    with pytest.raises(REFUSED, match="unit test may not start a subprocess"):
        subprocess.run(["true"])


def test_unit_tests_carry_no_tier_marker(request):
    assert request.node.get_closest_marker("gl") is None and request.node.get_closest_marker("system") is None


def test_the_cpu_and_numpy_backends_need_no_context():
    net = glnn.Network(depth=2, width=3)
    assert glnn.render(net, size=(4, 4), backend="cpu").shape == (4, 4, 3)
    assert glnn.render(net, size=(4, 4), backend="numpy").shape == (4, 4, 3)
