#version 430
// The ends of the matrix path (gemm.comp): write a tile's inputs (x, y, z_j) as INPUTS rows of
// u_stride floats (u_mode 0), or store the readout's C rows into the picture image (u_mode 1).
#ifndef LOCAL
#error gemm_io.comp needs LOCAL defined (glnn/gl/kernels.py GemmKernel.io_local)
#endif
layout(local_size_x = LOCAL) in;   // LOCAL: a define from glnn/gl/kernels.py's GemmKernel
#include "common.glsl"

layout(std430, binding = SSBO_STATE_OUT) writeonly buffer OutBuf { float h_out[]; };
layout(std430, binding = SSBO_STATE_IN) readonly buffer InBuf { float h_in[]; };
layout(rgba32f, binding = IMG_OUT) writeonly uniform image2D u_out;

uniform int u_mode;
uniform int u_P;          // pixels in the tile
uniform int u_stride;     // floats per row of the states (u_P rounded up to gemm.comp's BM)
uniform int u_cols;       // channels (mode 1) or inputs (mode 0)
uniform int u_tile_w;     // pixels per tile row
uniform vec2 u_origin;    // picture pixel (c, r) of the tile's pixel 0
uniform ivec2 u_dst;      // image pixel of the tile's pixel 0

void main() {
    int p = int(gl_GlobalInvocationID.x);
    if (p >= u_P) return;
    ivec2 local = ivec2(p % u_tile_w, p / u_tile_w);
    if (u_mode == 0) {
        vec2 cr = u_origin + vec2(local);
        vec2 xy = plane_xy(cr.x, cr.y);
        for (int k = 0; k < u_cols; ++k) {
            h_out[k * u_stride + p] = input_group(k / 4, xy)[k % 4];
        }
    } else {
        vec4 v = vec4(0.0);
        for (int k = 0; k < u_cols; ++k) v[k] = h_in[k * u_stride + p];
        imageStore(u_out, u_dst + local, v);
    }
}
