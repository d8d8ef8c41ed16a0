#version 430
// One layer for a batch of P pixels as a tiled matrix product (the wide-network path on GL 4.3):
//     out[p, n] = act(sum_k in[p, k] * W[n, k] + b[n])
// in: P x K, out: P x N (row-major floats), W: N x K then N biases, from u_woff in the weights buffer.
// A 16 x 16 workgroup computes a 64 x 64 block (pixels x outputs), 4 x 4 per invocation, staging
// 64 x 16 slices of the inputs and of the weights in shared memory.
layout(local_size_x = 16, local_size_y = 16) in;
#include "activations.glsl"

layout(std430, binding = 0) readonly buffer InBuf { float h_in[]; };
layout(std430, binding = 1) writeonly buffer OutBuf { float h_out[]; };
layout(std430, binding = 2) readonly buffer WeightBuf { float w[]; };

uniform int u_P;
uniform int u_K;
uniform int u_N;
uniform int u_woff;
uniform int u_act;

shared float s_in[64][17];
shared float s_w[64][17];

void main() {
    int tx = int(gl_LocalInvocationID.x);
    int ty = int(gl_LocalInvocationID.y);
    int p0 = int(gl_WorkGroupID.x) * 64;
    int n0 = int(gl_WorkGroupID.y) * 64;
    vec4 acc[4] = vec4[4](vec4(0.0), vec4(0.0), vec4(0.0), vec4(0.0));   // acc[i][j]: pixel i, output j
    for (int k0 = 0; k0 < u_K; k0 += 16) {
        for (int i = 0; i < 4; ++i) {
            int idx = ty * 16 + tx + 256 * i;      // 0..1023 over a 64 x 16 slice
            int r = idx / 16;
            int c = idx - 16 * r;
            int k = k0 + c;
            int p = p0 + r;
            int n = n0 + r;
            s_in[r][c] = (p < u_P && k < u_K) ? h_in[p * u_K + k] : 0.0;
            s_w[r][c] = (n < u_N && k < u_K) ? w[u_woff + n * u_K + k] : 0.0;
        }
        barrier();
        for (int c = 0; c < 16; ++c) {
            vec4 b = vec4(s_w[4 * tx][c], s_w[4 * tx + 1][c], s_w[4 * tx + 2][c], s_w[4 * tx + 3][c]);
            acc[0] += s_in[4 * ty][c] * b;
            acc[1] += s_in[4 * ty + 1][c] * b;
            acc[2] += s_in[4 * ty + 2][c] * b;
            acc[3] += s_in[4 * ty + 3][c] * b;
        }
        barrier();
    }
    int nb = n0 + 4 * tx;
    int bias = u_woff + u_N * u_K;
    vec4 b4 = vec4(nb < u_N ? w[bias + nb] : 0.0, nb + 1 < u_N ? w[bias + nb + 1] : 0.0,
                   nb + 2 < u_N ? w[bias + nb + 2] : 0.0, nb + 3 < u_N ? w[bias + nb + 3] : 0.0);
    for (int i = 0; i < 4; ++i) {
        int p = p0 + 4 * ty + i;
        if (p >= u_P) break;
        vec4 v = activate(acc[i] + b4, u_act);
        for (int j = 0; j < 4; ++j) {
            if (nb + j < u_N) h_out[p * u_N + nb + j] = v[j];
        }
    }
}
