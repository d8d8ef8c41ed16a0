#version 300 es
// The live page's and the notebook widget's fragment shader (WebGL2, GLSL ES 3.00), assembled by
// glnn/web/webgl.py: the desktop kernels' network (common.glsl, network.glsl) and glnn's activations and
// colour stage, through the ES prelude. The weights are data: an RGBA32F texture (common.glsl's fetch);
// the layers, the extra inputs' A, w, p and the colour mode are defines.
#include "prelude_es.glsl"
#include "activations.glsl"
#include "colour.glsl"
#include "common.glsl"
#include "web_saturation.glsl"
#include "network.glsl"
#include "web_unit.glsl"

uniform vec2 u_view_center;    // the view's centre in the input plane
uniform float u_view_extent;   // half the shorter side of the picture in the input plane
uniform vec2 u_canvas;         // the picture in pixels (the canvas)
uniform float u_step;          // picture pixels per fragment a side: 1, or more for a draft while dragging
uniform float u_time;          // t of the extra inputs

out vec4 frag;

void main() {
    set_view(u_view_center, u_view_extent, u_canvas, u_time);
    // a draft's fragment stands for u_step x u_step picture pixels, sampled at its centre
#if defined(PROBE_SATURATION)
    // the playground's probes: one value, shown through the probe's colour map
    frag = vec4(display_colour(vec4(saturated_fraction(canvas_xy(gl_FragCoord.xy * u_step))), COLOUR_MODE), 1.0);
#elif defined(PROBE_UNIT)
    frag = vec4(display_colour(vec4(unit_gray(canvas_xy(gl_FragCoord.xy * u_step), PROBE_INDEX)), COLOUR_MODE), 1.0);
#elif defined(PROBE_UNITS)
    frag = vec4(display_colour(vec4(units_sheet(gl_FragCoord.xy * u_step)), COLOUR_MODE), 1.0);
#else
    frag = vec4(display_colour(evaluate_network(canvas_xy(gl_FragCoord.xy * u_step)), COLOUR_MODE), 1.0);
#endif
}
