// The GLSL ES 3.00 (WebGL2) prelude of the web exports (glnn/web/webgl.py), included first by shaders/web_*.frag:
// what desktop GLSL 3.30+ gives without asking, so the desktop kernels' common.glsl and network.glsl
// compile unchanged in a browser. ES has no default float precision in fragment shaders, and mediump
// would not be the desktop's float32.
precision highp float;
precision highp int;
precision highp sampler2D;
