// The playground's unit probe (glnn playground; glnn/probes.py's `unit:K:J` is the definition): the value of
// unit J of hidden layer K as a gray level, over its activation's range (the playground draws bounded
// activations only: an unbounded one is scaled by the largest value in view, which one pixel cannot know).
// The same layers as network.glsl's evaluate_network(), in the same order, stopped after layer K.
// PROBE_LAYER (K, from 1), PROBE_INDEX (J - 1) and PROBE_BOUNDS (vec2: the range) come from glnn/web/playground.js.
#ifdef PROBE_UNIT
float unit_gray(vec2 xy) {
    vec4 x[IN4];
    for (int j = 0; j < IN4_N; ++j) x[j] = input_group(j, xy);
    vec4 a[HID4];
    vec4 b[HID4];
    int t = u_offset[0];
    int act = u_act[0];
    for (int o = 0; o < HID4_N; ++o) {
        vec4 acc = fetch(t + 4 * HID4 * IN4 + o);
        for (int j = 0; j < IN4_N; ++j) acc += fetch_block(t + 4 * (o * IN4 + j)) * x[j];
        a[o] = activate(acc, act);
    }
    for (int l = 1; l < PROBE_LAYER; ++l) {
        t = u_offset[l];
        act = u_act[l];
        for (int o = 0; o < HID4_N; ++o) {
            vec4 acc = fetch(t + 4 * HID4 * HID4 + o);
            for (int j = 0; j < HID4_N; ++j) acc += fetch_block(t + 4 * (o * HID4 + j)) * a[j];
            b[o] = activate(acc, act);
        }
        for (int o = 0; o < HID4_N; ++o) a[o] = b[o];
    }
    vec2 r = PROBE_BOUNDS;
    return clamp((a[PROBE_INDEX / 4][PROBE_INDEX % 4] - r.x) / (r.y - r.x), 0.0, 1.0);
}
#endif
