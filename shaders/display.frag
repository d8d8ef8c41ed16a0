#version 330
// Shows a picture texture (image row 0 stored at texture row 0) in the window,
// flipped so row 0 is at the top; 1-channel pictures are shown as gray.
uniform sampler2D u_picture;
uniform vec2 u_viewport;        // window framebuffer size in pixels
uniform bool u_gray;
out vec4 frag;

void main() {
    vec2 uv = vec2(gl_FragCoord.x / u_viewport.x, 1.0 - gl_FragCoord.y / u_viewport.y);
    vec4 c = clamp(texture(u_picture, uv), 0.0, 1.0);
    frag = vec4(u_gray ? c.rrr : c.rgb, 1.0);
}
