#version 330
// The whole network per pixel, the hidden state in registers: for narrow networks.
// Specialised by DEPTH, WIDTH, INPUTS (and WEIGHT_TEX_WIDTH); the weights, the
// activations, the view and the time are uniforms, so they change without a recompile.
#include "activations.glsl"
#include "common.glsl"

#define IN4 ((INPUTS + 3) / 4)
#define HID4 ((WIDTH + 3) / 4)
#define N4 (IN4 > HID4 ? IN4 : HID4)

uniform int u_offset[DEPTH];   // first weight texel of each layer
uniform int u_act[DEPTH];      // activation id of each layer
uniform vec2 u_origin;         // picture pixel (c, r) drawn at framebuffer pixel (0, 0)

out vec4 frag;

void main() {
    vec2 cr = u_origin + gl_FragCoord.xy - 0.5;
    vec2 xy = plane_xy(cr.x, cr.y);
    vec4 s[2 * N4];
    for (int j = 0; j < N4; ++j) {
        s[j] = j < IN4 ? input_group(j, xy) : vec4(0.0);
        s[N4 + j] = vec4(0.0);
    }
    int src = 0;
    int dst = N4;
    int n_in4 = IN4;
    for (int l = 0; l < DEPTH; ++l) {
        int n_out4 = l == DEPTH - 1 ? 1 : HID4;
        int t = u_offset[l];
        int bias = t + 4 * n_out4 * n_in4;
        int act = u_act[l];
        for (int o = 0; o < n_out4; ++o) {
            vec4 acc = fetch(bias + o);
            for (int j = 0; j < n_in4; ++j) {
                acc += fetch_block(t) * s[src + j];
                t += 4;
            }
            s[dst + o] = activate(acc, act);
        }
        int tmp = src;
        src = dst;
        dst = tmp;
        n_in4 = n_out4;
    }
    frag = s[src];
}
