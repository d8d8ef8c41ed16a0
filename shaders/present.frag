#version 330
// Copies the window's painted picture (8-bit colours, already in screen layout) onto the window, pixel for pixel.
uniform sampler2D u_picture;
out vec4 frag;

void main() {
    frag = vec4(texelFetch(u_picture, ivec2(gl_FragCoord.xy), 0).rgb, 1.0);
}
