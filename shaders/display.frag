#version 330
// Shows a picture texture (raw network outputs, image row 0 stored at texture row 0) in the window,
// flipped so row 0 is at the top, through the colour stage (colour.glsl, generated from glnn/model/colour.py).
#include "colour.glsl"
uniform sampler2D u_picture;
uniform vec2 u_viewport;        // window framebuffer size in pixels
uniform int u_colour;           // COLOUR_* mode
out vec4 frag;

void main() {
    vec2 uv = vec2(gl_FragCoord.x / u_viewport.x, 1.0 - gl_FragCoord.y / u_viewport.y);
    frag = vec4(display_colour(texture(u_picture, uv), u_colour), 1.0);
}
