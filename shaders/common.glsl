// Shared by the network shaders: weight fetches, the pixel convention, the inputs.
//
// Weights live in an RGBA32F texture WEIGHT_TEX_WIDTH texels wide, each layer
// packed by glnn/gl/packing.py's pack_weights(): for output group o (4 outputs)
// and input group j (4 inputs), 4 texels are the columns of the mat4 that maps
// the 4 inputs to the 4 outputs; after all blocks, one bias texel per output group.
//
// The web exports (glnn/web/webgl.py: shaders/web_page.frag, web_shadertoy.frag) include this file too, through
// prelude_es.glsl. Their Shadertoy shader has its weights as constants: without WEIGHT_TEX_WIDTH, the
// includer defines fetch(). With VIEW_IN_SHADER the view and the inputs are not uniforms but values
// set_view() fills in (Shadertoy has no uniforms of glnn's; the page plays time in the shader).

#ifdef WEIGHT_TEX_WIDTH
uniform sampler2D u_weights;
#endif
#ifdef VIEW_IN_SHADER
vec2 u_center;
float u_pixel;
vec2 u_size;
vec4 u_in[4];
#else
uniform vec2 u_center;      // (cx, cy)
uniform float u_pixel;      // s = 2 * extent / min(W, H)
uniform vec2 u_size;        // (W, H) of the whole picture
uniform vec4 u_in[4];       // the input vector in groups of 4; x and y slots hold 0
#endif

#ifdef WEIGHT_TEX_WIDTH
vec4 fetch(int t) {
    return texelFetch(u_weights, ivec2(t % WEIGHT_TEX_WIDTH, t / WEIGHT_TEX_WIDTH), 0);
}
#endif

mat4 fetch_block(int t) {
    return mat4(fetch(t), fetch(t + 1), fetch(t + 2), fetch(t + 3));
}

// docs/contract.md (the view): pixel (column c, row r), row 0 at the top, sampled at its centre.
vec2 plane_xy(float c, float r) {
    return u_center + vec2(c + 0.5 - 0.5 * u_size.x, 0.5 * u_size.y - r - 0.5) * u_pixel;
}

// The input vector's group j at plane point xy: u_in holds what is the same at every pixel (constant features,
// z_j(t)); PIXEL_INPUTS (glnn/model/architecture.py, generated) sets the per-pixel features' slots of v from xy.
// Without it the features are x, y.
vec4 input_group(int j, vec2 xy) {
    vec4 v = u_in[j];
#ifdef PIXEL_INPUTS
    PIXEL_INPUTS
#else
    if (j == 0) v.xy = xy;
#endif
    return v;
}

#ifdef VIEW_IN_SHADER
// The view of a W x H canvas `size`: centre, extent (the shorter side spans 2 * extent) and time t; the
// extra inputs z_j(t) = A_j sin(w_j t + p_j) (docs/contract.md) in float32 from INPUT_A, INPUT_W, INPUT_P
// (vec4[4] of A, w and p by input slot, zero for x, y and past the inputs: glnn/web/webgl.py defines them).
void set_view(vec2 center, float extent, vec2 size, float t) {
    u_center = center;
    u_pixel = 2.0 * extent / min(size.x, size.y);
    u_size = size;
    vec4 a[4] = INPUT_A;
    vec4 w[4] = INPUT_W;
    vec4 p[4] = INPUT_P;
#ifdef INPUT_C
    vec4 c[4] = INPUT_C;   // constant features (bias): glnn/model/architecture.py
    for (int j = 0; j < 4; ++j) u_in[j] = c[j] + a[j] * sin(w[j] * t + p[j]);
#else
    for (int j = 0; j < 4; ++j) u_in[j] = a[j] * sin(w[j] * t + p[j]);
#endif
}

// A canvas point p (WebGL's gl_FragCoord, Shadertoy's fragCoord: origin at the bottom-left corner, a pixel's
// centre at +0.5) in the input plane: plane_xy's pixel (c, r), row 0 at the top.
vec2 canvas_xy(vec2 p) {
    return plane_xy(p.x - 0.5, u_size.y - p.y - 0.5);
}
#endif
