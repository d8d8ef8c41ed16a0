#version 300 es
// The live page's and the notebook widget's fragment shader (WebGL2, GLSL ES 3.00), assembled by
// glnn/webgl.py: the network is generated (web_network.glsl), the activations and the colour stage
// are glnn's own (activations.glsl, colour.glsl). The weights are data: an RGBA32F texture.
precision highp float;
precision highp int;
precision highp sampler2D;

uniform sampler2D u_weights;   // glnn/gl/packing.py's pack_weights(), WEIGHT_TEX_WIDTH texels a row
uniform vec2 u_center;         // the view's centre in the input plane
uniform float u_extent;        // half the shorter side of the picture in the input plane
uniform vec2 u_size;           // the picture in pixels (the canvas)
uniform float u_step;          // picture pixels per fragment a side: 1, or more for a draft while dragging
uniform float u_time;          // t of the extra inputs

vec4 glnn_fetch(int t) {
    return texelFetch(u_weights, ivec2(t % WEIGHT_TEX_WIDTH, t / WEIGHT_TEX_WIDTH), 0);
}

#include "activations.glsl"
#include "colour.glsl"
#include "web_network.glsl"

out vec4 frag;

void main() {
    // gl_FragCoord is a pixel centre, its origin the bottom-left corner: glnn_plane's convention
    vec2 xy = glnn_plane(gl_FragCoord.xy * u_step, u_size, u_center, u_extent);
    frag = vec4(display_colour(glnn_network(xy, u_time), COLOUR_MODE), 1.0);
}
