#version 300 es
// Template of glnn's Shadertoy export (glnn/web/webgl.py writes it without its first line and line markers;
// Shadertoy declares iResolution, iTime and iMouse): the desktop kernels' network (common.glsl,
// network.glsl) through the ES prelude. The weights are one constant array, with the fetch() that reads
// it (web_weights.glsl, generated); the layers, the inputs' A, w, p and the view are defines.
#include "prelude_es.glsl"
#include "activations.glsl"
#include "colour.glsl"
#include "web_weights.glsl"
#include "common.glsl"
#include "network.glsl"

// fragCoord: a pixel centre, the origin at the bottom-left corner (as glnn render's pixels).
// Drag with the mouse to pan (the picture returns when released); the extra inputs follow iTime.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    set_view(VIEW_CENTER, VIEW_EXTENT, iResolution.xy, VIEW_TIME + iTime);
    if (iMouse.z > 0.0) u_center -= (iMouse.xy - abs(iMouse.zw)) * u_pixel;
    fragColor = vec4(display_colour(evaluate_network(canvas_xy(fragCoord)), COLOUR_MODE), 1.0);
}
