// Shared by the network shaders: weight fetches, the pixel convention, the inputs.
//
// Weights live in an RGBA32F texture WEIGHT_TEX_WIDTH texels wide, each layer
// packed by glnn/gl/packing.py's pack_weights(): for output group o (4 outputs)
// and input group j (4 inputs), 4 texels are the columns of the mat4 that maps
// the 4 inputs to the 4 outputs; after all blocks, one bias texel per output group.

uniform sampler2D u_weights;
uniform vec2 u_center;      // (cx, cy)
uniform float u_pixel;      // s = 2 * extent / min(W, H)
uniform vec2 u_size;        // (W, H) of the whole picture
uniform vec4 u_in[4];       // the input vector in groups of 4; x and y slots hold 0

vec4 fetch(int t) {
    return texelFetch(u_weights, ivec2(t % WEIGHT_TEX_WIDTH, t / WEIGHT_TEX_WIDTH), 0);
}

mat4 fetch_block(int t) {
    return mat4(fetch(t), fetch(t + 1), fetch(t + 2), fetch(t + 3));
}

// docs/contract.md (the view): pixel (column c, row r), row 0 at the top, sampled at its centre.
vec2 plane_xy(float c, float r) {
    return u_center + vec2(c + 0.5 - 0.5 * u_size.x, 0.5 * u_size.y - r - 0.5) * u_pixel;
}

vec4 input_group(int j, vec2 xy) {
    vec4 v = u_in[j];
    if (j == 0) v.xy = xy;
    return v;
}
