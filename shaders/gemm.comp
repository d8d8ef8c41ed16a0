#version 430
// One layer for a tile of pixels as a matrix product (the wide-network path on GL 4.3):
//     out[n][p] = act(b[n] + sum_k W[n][k] * in[k][p])
// The states are feature-major: in is K rows of u_P pixels, out N rows (u_P a multiple of BM),
// so every load and store of a row is contiguous. The weights, from u_woff in the weights buffer:
// W transposed (K rows of N), then the N biases; with UNIT_ACTS, a layer whose u_act is ACT_UNITS then has N
// floats, each output row's activation id (glnn/gl/packing.py's pack_gemm: rows grouped by activation).
// A workgroup of LOCAL = (BM / 8) x (BN / 8) invocations computes BM pixels x BN outputs, 8 x 8 per
// invocation, staging BK-deep slices of both operands in shared memory: each step reads 4 vec4s for
// 64 multiply-adds. BM, BN, BK and LOCAL are defines set by glnn/gl/kernels.py's GemmKernel (the one
// place they are written): BM and BN multiples of 8, and 16 * BK a multiple of both, so that every
// invocation stages the same number of vec4s of each operand.
#if !defined(BM) || !defined(BN) || !defined(BK) || !defined(LOCAL)
#error gemm.comp needs BM, BN, BK and LOCAL defined (glnn/gl/kernels.py GemmKernel.block)
#elif LOCAL != (BM / 8) * (BN / 8) || BM % 8 != 0 || BN % 8 != 0 || (16 * BK) % BM != 0 || (16 * BK) % BN != 0
#error gemm.comp needs LOCAL = (BM / 8) * (BN / 8), BM and BN multiples of 8 and dividing 16 * BK
#endif
layout(local_size_x = LOCAL) in;
// every loop below has constant bounds: unrolled, acc[] and the vec4 components are indexed by
// constants and stay in registers (a dynamic index puts them in local memory, many times slower)
#pragma optionNV(unroll all)
#include "activations.glsl"

layout(std430, binding = SSBO_STATE_IN) readonly buffer InBuf { vec4 h_in[]; };
layout(std430, binding = SSBO_STATE_OUT) writeonly buffer OutBuf { vec4 h_out[]; };
layout(std430, binding = SSBO_WEIGHTS) readonly buffer WeightBuf { float w[]; };

uniform int u_P;      // pixels per row of the states (a multiple of BM)
uniform int u_K;
uniform int u_N;
uniform int u_woff;
uniform int u_act;

shared vec4 s_in[BK][BM / 4];
shared vec4 s_w[BK][BN / 4];

void main() {
    int t = int(gl_LocalInvocationIndex);
    const int TX = BN / 8;   // invocations across the outputs: each takes 2 groups of 4, TX groups apart
    const int TY = BM / 8;   // invocations across the pixels: each takes 2 groups of 4, TY groups apart
    int tx = t % TX;   // outputs 4tx..4tx+3 and BN/2+4tx..BN/2+4tx+3 of the block
    int ty = t / TX;   // pixels 4ty..4ty+3 and BM/2+4ty..BM/2+4ty+3 of the block
    int p4 = int(gl_WorkGroupID.x) * (BM / 4);
    int n0 = int(gl_WorkGroupID.y) * BN;
    int P4 = u_P / 4;
    vec4 acc[16];      // acc[2j + h]: output j of this invocation (j < 4: 4tx + j, else BN/2 - 4 + 4tx + j), pixel half h
    for (int i = 0; i < 16; ++i) acc[i] = vec4(0.0);
    for (int k0 = 0; k0 < u_K; k0 += BK) {
        for (int i = 0; i < BK * BM / 4 / LOCAL; ++i) {     // BK x BM inputs
            int idx = t + LOCAL * i;
            int r = idx / (BM / 4);
            int c = idx % (BM / 4);
            s_in[r][c] = k0 + r < u_K ? h_in[(k0 + r) * P4 + p4 + c] : vec4(0.0);
        }
        for (int i = 0; i < BK * BN / 4 / LOCAL; ++i) {     // BK x BN weights, zero past K and N
            int idx = t + LOCAL * i;
            int r = idx / (BN / 4);
            int n = n0 + 4 * (idx % (BN / 4));
            vec4 v = vec4(0.0);
            if (k0 + r < u_K) {
                int base = u_woff + (k0 + r) * u_N + n;
                for (int e = 0; e < 4; ++e) {
                    if (n + e < u_N) v[e] = w[base + e];
                }
            }
            s_w[r][idx % (BN / 4)] = v;
        }
        memoryBarrierShared();
        barrier();
        for (int kk = 0; kk < BK; ++kk) {
            vec4 a0 = s_in[kk][ty];
            vec4 a1 = s_in[kk][ty + TY];
            vec4 b0 = s_w[kk][tx];
            vec4 b1 = s_w[kk][tx + TX];
#define GEMM_STEP(j, s) acc[2 * j] = fma(vec4(s), a0, acc[2 * j]); acc[2 * j + 1] = fma(vec4(s), a1, acc[2 * j + 1]);
            GEMM_STEP(0, b0.x) GEMM_STEP(1, b0.y) GEMM_STEP(2, b0.z) GEMM_STEP(3, b0.w)
            GEMM_STEP(4, b1.x) GEMM_STEP(5, b1.y) GEMM_STEP(6, b1.z) GEMM_STEP(7, b1.w)
        }
        memoryBarrierShared();
        barrier();
    }
    int bias = u_woff + u_K * u_N;
    for (int j = 0; j < 8; ++j) {
        int n = n0 + (j < 4 ? 4 * tx + j : BN / 2 - 4 + 4 * tx + j);
        if (n < u_N) {
            float b = w[bias + n];
#ifdef UNIT_ACTS
            int act = u_act == ACT_UNITS ? int(w[bias + u_N + n]) : u_act;
#else
            int act = u_act;
#endif
            h_out[n * P4 + p4 + ty] = activate(acc[2 * j] + b, act);
            h_out[n * P4 + p4 + ty + TY] = activate(acc[2 * j + 1] + b, act);
        }
    }
}
