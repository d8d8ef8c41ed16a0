"""The GL backend: everything that talks to OpenGL (moderngl) lives in this package.

context.py (making a context, what it can do), shader_source.py (GLSL files and
the generated includes), programs.py (compiled programs, cached by source and
defines; binding points), resources.py (textures, framebuffers, buffers, packed
weights), packing.py (weight layouts), kernels.py (one class per kernel),
backend.py (the Backend: kernel choice, tiling, readback), display.py (the live
window's picture targets, colour stage and text panels). No module outside this
package makes a GL call (tests/unit/test_gl_layer.py).
"""
