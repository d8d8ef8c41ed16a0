#version 430
// The whole network per pixel as a compute shader (GL 4.3), built for GPUs: PPT pixels per
// invocation, hidden state in registers, and each layer's weights staged in shared memory by the
// whole workgroup before it is used. All invocations then read the same weight at the same time
// (a broadcast), and each weight read serves PPT pixels: the texture kernel (fused.comp) fetches a
// texel per 4 multiply-adds of one pixel instead. The weights are still data (a storage buffer),
// so a new seed or scale never recompiles.
// Needs DEPTH, WIDTH, INPUTS, PPT (pixels per invocation), LOCAL (invocations per workgroup) and
// SMEM_TEXELS (the largest layer's texels, see glnn/gl/packing.py's pack_rows()). With UNIT_ACTS a layer whose
// id is ACT_UNITS has activation texels after its bias texels (its units grouped by activation), staged with it.
#if !defined(LOCAL) || !defined(PPT)
#error fused_shared.comp needs LOCAL and PPT defined (glnn/gl/kernels.py SharedKernel)
#endif
layout(local_size_x = LOCAL) in;
#pragma optionNV(unroll all)
#include "activations.glsl"
#include "common.glsl"

#define IN4 ((INPUTS + 3) / 4)
#define HID4 ((WIDTH + 3) / 4)

layout(std430, binding = SSBO_ROWS) readonly buffer Rows { vec4 w_rows[]; };
layout(rgba32f, binding = IMG_OUT) writeonly uniform image2D u_out;
uniform vec2 u_origin;         // picture pixel (c, r) written at image pixel (0, 0)
uniform ivec2 u_dst;           // first image pixel of this dispatch
uniform ivec2 u_count;         // pixels in this dispatch (a u_count.x wide rectangle)
uniform int u_offset[DEPTH];   // first texel of each layer in w_rows
uniform int u_act[DEPTH];      // activation id of each layer
uniform int u_depth;           // = DEPTH; a uniform bound keeps drivers from unrolling the layer loop

shared vec4 s_w[SMEM_TEXELS];

#ifdef UNIT_ACTS
// the staged layer's activation `act` of output group g; ids: its first activation texel in s_w (ACT_UNITS)
#define ACTIVATE(x, act, ids, g) ((act) == ACT_UNITS ? activate_units(x, s_w[(ids) + (g)]) : activate(x, act))
// texels of layer l's activation texels of n groups, staged after its bias texels
#define ACT_TEXELS(l, n) (u_act[l] == ACT_UNITS ? (n) : 0)
#else
#define ACTIVATE(x, act, ids, g) activate(x, act)
#define ACT_TEXELS(l, n) 0
#endif

// Copy `texels` texels of layer `layer` into s_w, once every invocation is done with the last layer.
void stage(int layer, int texels) {
    memoryBarrierShared();
    barrier();
    int off = u_offset[layer];
    for (int i = int(gl_LocalInvocationIndex); i < texels; i += LOCAL) s_w[i] = w_rows[off + i];
    memoryBarrierShared();
    barrier();
}

void main() {
    // pixel k of this invocation: consecutive invocations take consecutive pixels (coalesced stores)
    int n = u_count.x * u_count.y;
    int group = int(gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x);   // 2D dispatch past 65,535 groups
    int first = group * PPT * LOCAL + int(gl_LocalInvocationIndex);
    ivec2 q[PPT];
    vec4 x[PPT][IN4];
    for (int k = 0; k < PPT; ++k) {
        int i = min(first + k * LOCAL, n - 1);   // spare invocations repeat the last pixel; all reach the barriers
        q[k] = u_dst + ivec2(i % u_count.x, i / u_count.x);
        vec2 cr = u_origin + vec2(q[k]);
        vec2 xy = plane_xy(cr.x, cr.y);
        for (int j = 0; j < IN4; ++j) x[k][j] = input_group(j, xy);
    }
    vec4 y[PPT][1];
#if DEPTH == 1
    stage(0, 4 * IN4 + 1 + ACT_TEXELS(0, 1));
#define DENSE_SRC x
#define DENSE_DST y
#define DENSE_OUT 4
#define DENSE_IN INPUTS
#include "dense.glsl"
#else
    vec4 a[PPT][HID4];
    vec4 b[PPT][HID4];
    for (int k = 0; k < PPT; ++k)
        for (int g = 0; g < HID4; ++g) b[k][g] = vec4(0.0);   // padded lanes: defined, never multiplied
    // layer 1: inputs -> hidden
    stage(0, 4 * HID4 * IN4 + HID4 + ACT_TEXELS(0, HID4));
#define DENSE_SRC x
#define DENSE_DST b
#define DENSE_OUT WIDTH
#define DENSE_IN INPUTS
#include "dense.glsl"
    for (int k = 0; k < PPT; ++k)
        for (int g = 0; g < HID4; ++g) a[k][g] = ACTIVATE(b[k][g], u_act[0], 4 * HID4 * IN4 + HID4, g);
    // hidden -> hidden (not compiled without hidden-to-hidden layers: s_w is then smaller than such a
    // layer, and NVIDIA rejects the constant indexes past its end even in code that never runs)
#if DEPTH > 2
    for (int l = 1; l < u_depth - 1; ++l) {
        stage(l, 4 * HID4 * HID4 + HID4 + ACT_TEXELS(l, HID4));
#define DENSE_SRC a
#define DENSE_DST b
#define DENSE_OUT WIDTH
#define DENSE_IN WIDTH
#include "dense.glsl"
        int act = u_act[l];
        for (int k = 0; k < PPT; ++k)
            for (int g = 0; g < HID4; ++g) a[k][g] = ACTIVATE(b[k][g], act, 4 * HID4 * HID4 + HID4, g);
    }
#endif
    // the readout (padded to 4 rows of zeros)
    stage(DEPTH - 1, 4 * HID4 + 1 + ACT_TEXELS(DEPTH - 1, 1));
#define DENSE_SRC a
#define DENSE_DST y
#define DENSE_OUT 4
#define DENSE_IN WIDTH
#include "dense.glsl"
#endif
#if defined(UNIT_ACTS) && DEPTH == 1
    const int READOUT_IDS = 4 * IN4 + 1;   // the readout's activation texel in s_w
#elif defined(UNIT_ACTS)
    const int READOUT_IDS = 4 * HID4 + 1;
#endif
    for (int k = 0; k < PPT; ++k) {
        if (first + k * LOCAL < n) imageStore(u_out, q[k], ACTIVATE(y[k][0], u_act[DEPTH - 1], READOUT_IDS, 0));
    }
}
