#version 300 es
// Template of glnn's Shadertoy export (glnn/webgl.py writes it without its first line and line markers;
// Shadertoy declares iResolution, iTime and iMouse). The weights are constants, one array per layer.
#include "activations.glsl"
#include "colour.glsl"
#include "web_network.glsl"

// fragCoord: a pixel centre, the origin at the bottom-left corner (as glnn render's pixels).
// Drag with the mouse to pan (the picture returns when released); the extra inputs follow iTime.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 size = iResolution.xy;
    float pixel = 2.0 * VIEW_EXTENT / min(size.x, size.y);
    vec2 pan = iMouse.z > 0.0 ? (iMouse.xy - abs(iMouse.zw)) * pixel : vec2(0.0);
    vec2 xy = glnn_plane(fragCoord, size, VIEW_CENTER - pan, VIEW_EXTENT);
    fragColor = vec4(display_colour(glnn_network(xy, VIEW_TIME + iTime), COLOUR_MODE), 1.0);
}
