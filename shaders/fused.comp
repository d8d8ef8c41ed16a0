#version 430
// The whole network per pixel (shaders/network.glsl), as a compute shader: GL 4.3.
// On compute GPUs this runs on the whole chip, where fragment shaders may run on a small part of it.
// LOCAL_X x LOCAL_Y pixels per workgroup: defines from glnn/gl/kernels.py's ComputeKernel.
#if !defined(LOCAL_X) || !defined(LOCAL_Y)
#error fused.comp needs LOCAL_X and LOCAL_Y defined (glnn/gl/kernels.py ComputeKernel.local_size)
#endif
layout(local_size_x = LOCAL_X, local_size_y = LOCAL_Y) in;
#include "activations.glsl"
#include "common.glsl"
#include "network.glsl"

layout(rgba32f, binding = IMG_OUT) writeonly uniform image2D u_out;
uniform vec2 u_origin;         // picture pixel (c, r) written at image pixel (0, 0)
uniform ivec2 u_dst;           // first image pixel of this dispatch
uniform ivec2 u_count;         // pixels in this dispatch

void main() {
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    if (any(greaterThanEqual(p, u_count))) return;
    ivec2 q = u_dst + p;
    vec2 cr = u_origin + vec2(q);
    imageStore(u_out, q, evaluate_network(plane_xy(cr.x, cr.y)));
}
