#version 330
// Draws a text panel (an RGBA texture rasterised by Pillow) over the picture.
uniform sampler2D u_text;
uniform vec4 u_rect;            // x, y, w, h in framebuffer pixels, y from the top
uniform vec2 u_viewport;
out vec4 frag;

void main() {
    vec2 p = vec2(gl_FragCoord.x, u_viewport.y - gl_FragCoord.y) - u_rect.xy;
    if (any(lessThan(p, vec2(0.0))) || any(greaterThanEqual(p, u_rect.zw))) discard;
    frag = texelFetch(u_text, ivec2(p), 0);
}
