// The whole network for one pixel, hidden state in registers: shared by the
// fused fragment shader (fused.frag), its compute twin (fused.comp) and the web exports (web_*.frag).
// Needs DEPTH, WIDTH, INPUTS and UNROLL (1 or 0) defined. With UNROLL the
// loops within a layer have compile-time bounds; the loop over layers never does
// on the desktop. With LAYER_OFFSETS and LAYER_ACTS (comma lists; the web exports, one network
// per shader) the layers' offsets and activations are constants, not uniforms.
// With UNIT_ACTS (a network with a layer of one activation per unit) a layer whose id is ACT_UNITS reads its
// units' ids from its activation texels, after its bias texels (glnn/gl/packing.py); the units are grouped by
// activation there, so nearly every group of 4 takes one activate() call, the same at every pixel.

#define IN4 ((INPUTS + 3) / 4)
#define HID4 ((WIDTH + 3) / 4)

#if UNROLL
// compile-time bounds: drivers unroll the loops and keep a[] and b[] in registers (GPUs)
#define IN4_N IN4
#define HID4_N HID4
#else
// uniform bounds: nothing is unrolled, so software GL (llvmpipe) compiles in milliseconds, not seconds
uniform int u_in4;
uniform int u_hid4;
#define IN4_N u_in4
#define HID4_N u_hid4
#endif

#ifdef LAYER_OFFSETS
// one network per shader (the web exports, glnn/web/webgl.py): the layers are constants
const int u_offset[DEPTH] = int[DEPTH](LAYER_OFFSETS);
const int u_act[DEPTH] = int[DEPTH](LAYER_ACTS);
const int u_depth = DEPTH;
#else
uniform int u_offset[DEPTH];   // first weight texel of each layer
uniform int u_act[DEPTH];      // activation id of each layer
uniform int u_depth;           // = DEPTH; a uniform bound keeps drivers from unrolling the layer loop
                               // (fully unrolled deep networks pass NVIDIA's instruction limit)
#endif

#ifdef UNIT_ACTS
// layer activation `act` of a group of 4 units whose activation texel (used when act is ACT_UNITS) is `ids`
#define ACTIVATE(x, act, ids) ((act) == ACT_UNITS ? activate_units(x, fetch(ids)) : activate(x, act))
#define LANE_ACTS(act, ids) ((act) == ACT_UNITS ? ivec4(fetch(ids)) : ivec4(act))
#else
#define ACTIVATE(x, act, ids) activate(x, act)
#define LANE_ACTS(act, ids) ivec4(act)
#endif

#ifndef HIDDEN_HOOK
// a look at each group of four hidden pre-activations as it is made, with the 4 units' activation ids (an ivec4)
// (the playground's saturation probe, web_saturation.glsl, counts them); nothing by default
#define HIDDEN_HOOK(pre, acts, first)
#endif

#if DEPTH > 1
// a[]: the hidden state after the first `layers` hidden layers (1 to DEPTH - 1) at xy
void hidden_state(vec2 xy, int layers, out vec4 a[HID4]) {
    vec4 x[IN4];
    for (int j = 0; j < IN4_N; ++j) x[j] = input_group(j, xy);
    vec4 b[HID4];
    // layer 1: inputs -> hidden
    int t = u_offset[0];
    int act = u_act[0];
    for (int o = 0; o < HID4_N; ++o) {
        vec4 acc = fetch(t + 4 * HID4 * IN4 + o);
        for (int j = 0; j < IN4_N; ++j) acc += fetch_block(t + 4 * (o * IN4 + j)) * x[j];
        HIDDEN_HOOK(acc, LANE_ACTS(act, t + 4 * HID4 * IN4 + HID4 + o), 4 * o);
        a[o] = ACTIVATE(acc, act, t + 4 * HID4 * IN4 + HID4 + o);
    }
    // hidden -> hidden
    for (int l = 1; l < layers; ++l) {
        t = u_offset[l];
        act = u_act[l];
        for (int o = 0; o < HID4_N; ++o) {
            vec4 acc = fetch(t + 4 * HID4 * HID4 + o);
            for (int j = 0; j < HID4_N; ++j) acc += fetch_block(t + 4 * (o * HID4 + j)) * a[j];
            HIDDEN_HOOK(acc, LANE_ACTS(act, t + 4 * HID4 * HID4 + HID4 + o), 4 * o);
            b[o] = ACTIVATE(acc, act, t + 4 * HID4 * HID4 + HID4 + o);
        }
        for (int o = 0; o < HID4_N; ++o) a[o] = b[o];
    }
}
#endif

vec4 evaluate_network(vec2 xy) {
#if DEPTH == 1
    vec4 x[IN4];
    for (int j = 0; j < IN4_N; ++j) x[j] = input_group(j, xy);
    int t0 = u_offset[0];
    vec4 acc0 = fetch(t0 + 4 * IN4);
    for (int j = 0; j < IN4_N; ++j) acc0 += fetch_block(t0 + 4 * j) * x[j];
    return ACTIVATE(acc0, u_act[0], t0 + 4 * IN4 + 1);
#else
    vec4 a[HID4];
    hidden_state(xy, u_depth - 1, a);
    // the readout: one output group
    int t = u_offset[DEPTH - 1];
    vec4 out_acc = fetch(t + 4 * HID4);
    for (int j = 0; j < HID4_N; ++j) out_acc += fetch_block(t + 4 * j) * a[j];
    return ACTIVATE(out_acc, u_act[DEPTH - 1], t + 4 * HID4 + 1);
#endif
}
