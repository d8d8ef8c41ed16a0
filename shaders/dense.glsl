// One dense layer for PPT pixels: a template, included inside a function of fused_shared.comp
// with these defined (it #undef-s them at its end, ready for the next use):
//   DENSE_SRC  vec4[PPT][ceil(DENSE_IN / 4)]    the layer's inputs in groups of 4
//   DENSE_DST  vec4[PPT][ceil(DENSE_OUT / 4)]   its sums, before the activation
//   DENSE_OUT, DENSE_IN                         its shape
// The weights are in s_w, laid out by glnn/gl/packing.py's pack_rows(): rows of ceil(DENSE_IN / 4)
// texels (inputs 4j..4j+3 of one output), the rows padded to a multiple of 4, then the bias texels.
// Only real weights are multiplied (a 30 x 30 layer costs 900 multiply-adds, not 32 x 32), and
// every weight read from shared memory serves PPT pixels. Padded lanes of DENSE_DST are not written.
{
    const int ROW4 = (DENSE_IN + 3) / 4;
    const int TAIL = DENSE_IN % 4;
    const int BIAS = (DENSE_OUT + 3) / 4 * 4 * ROW4;
    for (int o = 0; o < DENSE_OUT; ++o) {
        float acc[PPT];
        float bias = s_w[BIAS + o / 4][o % 4];
        for (int k = 0; k < PPT; ++k) acc[k] = bias;
        for (int j = 0; j < DENSE_IN / 4; ++j) {
            vec4 w = s_w[o * ROW4 + j];
            for (int k = 0; k < PPT; ++k) {
                vec4 v = DENSE_SRC[k][j];
                acc[k] = fma(w.w, v.w, fma(w.z, v.z, fma(w.y, v.y, fma(w.x, v.x, acc[k]))));
            }
        }
        if (TAIL > 0) {
            vec4 w = s_w[o * ROW4 + ROW4 - 1];
            for (int k = 0; k < PPT; ++k) {
                vec4 v = DENSE_SRC[k][ROW4 - 1];
                acc[k] = fma(w.x, v.x, acc[k]);
                if (TAIL > 1) acc[k] = fma(w.y, v.y, acc[k]);
                if (TAIL > 2) acc[k] = fma(w.z, v.z, acc[k]);
            }
        }
        for (int k = 0; k < PPT; ++k) DENSE_DST[k][o / 4][o % 4] = acc[k];
    }
}
#undef DENSE_SRC
#undef DENSE_DST
#undef DENSE_OUT
#undef DENSE_IN
