#version 330
// The whole network per pixel (shaders/network.glsl), as a fragment shader: GL 3.3.
// Specialised by DEPTH, WIDTH, INPUTS (and WEIGHT_TEX_WIDTH); the weights, the
// activations, the view and the time are uniforms, so they change without a recompile.
#include "activations.glsl"
#include "common.glsl"
#include "network.glsl"

uniform vec2 u_origin;         // picture pixel (c, r) drawn at framebuffer pixel (0, 0)

out vec4 frag;

void main() {
    vec2 cr = u_origin + gl_FragCoord.xy - 0.5;
    frag = evaluate_network(plane_xy(cr.x, cr.y));
}
