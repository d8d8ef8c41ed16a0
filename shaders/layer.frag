#version 330
// One layer over a tile of pixels: for wide networks (and any network whose
// per-pixel loops would pass llvmpipe's 65,535-iteration cap). The state of a
// tile lives in an RGBA32F atlas: output group o of pixel p is at
// (o % u_groups_x, o / u_groups_x) * u_tile + p. No defines but the texture
// width: one program serves every architecture (with UNIT_ACTS: every network with a per-unit layer, whose
// activation texels follow its bias texels, glnn/gl/packing.py).
#include "activations.glsl"
#include "common.glsl"

uniform sampler2D u_prev;      // the previous layer's atlas (unused when u_first)
uniform ivec2 u_tile;          // tile size in pixels
uniform int u_groups_x;        // groups per atlas row
uniform int u_offset;          // this layer's first weight texel
uniform int u_n_in4;
uniform int u_n_out4;
uniform int u_act;
uniform bool u_first;          // inputs come from the pixel's coordinates
uniform bool u_final;          // write the readout into the destination, not an atlas
uniform ivec2 u_dst;           // framebuffer pixel of the tile's pixel (0, 0) when u_final
uniform vec2 u_origin;         // picture pixel (c, r) of the tile's pixel (0, 0)

out vec4 frag;

void main() {
    ivec2 pos = ivec2(gl_FragCoord.xy);
    int o = 0;
    ivec2 p = pos - u_dst;
    if (!u_final) {
        ivec2 g = pos / u_tile;
        p = pos - g * u_tile;
        o = g.x + g.y * u_groups_x;
        if (o >= u_n_out4) {
            frag = vec4(0.0);
            return;
        }
    }
    int t = u_offset + 4 * o * u_n_in4;
    vec4 acc = fetch(u_offset + 4 * u_n_out4 * u_n_in4 + o);
    if (u_first) {
        vec2 cr = u_origin + vec2(p);
        vec2 xy = plane_xy(cr.x, cr.y);
        for (int j = 0; j < u_n_in4; ++j) {
            acc += fetch_block(t) * input_group(j, xy);
            t += 4;
        }
    } else {
        for (int j = 0; j < u_n_in4; ++j) {
            ivec2 q = ivec2(j % u_groups_x, j / u_groups_x) * u_tile + p;
            acc += fetch_block(t) * texelFetch(u_prev, q, 0);
            t += 4;
        }
    }
#ifdef UNIT_ACTS
    if (u_act == ACT_UNITS) {
        frag = activate_units(acc, fetch(u_offset + 4 * u_n_out4 * u_n_in4 + u_n_out4 + o));
        return;
    }
#endif
    frag = activate(acc, u_act);
}
