// The playground's saturation probe (glnn playground; glnn/probes.py saturation() is the definition): the
// fraction of hidden units outside their near-linear part at this pixel. The same layers as network.glsl's
// evaluate_network(), in the same order, with each hidden pre-activation tested as it is made.
// LINEAR_PARTS (vec4 per activation id, written by glnn/web/playground.js from glnn/playground.py's table,
// which is checked against probes.linear_part): (kind, lo, hi, period); kind 1: linear past the kink lo; kind 0:
// linear where lo <= |x| <= hi, x taken modulo the period about 0 when there is one.
#ifdef PROBE_SATURATION
const vec4 LINEAR_PART[] = LINEAR_PARTS;

float saturated4(vec4 pre, int act, int first) {
    vec4 r = LINEAR_PART[act];
    float n = 0.0;
    for (int c = 0; c < 4; ++c) {
        if (first + c >= WIDTH) break;
        float x = pre[c];
        bool linear;
        if (r.x > 0.5) {
            linear = x > r.y;
        } else {
            float v = r.w > 0.0 ? mod(x + 0.5 * r.w, r.w) - 0.5 * r.w : x;
            linear = abs(v) >= r.y && abs(v) <= r.z;
        }
        if (!linear) n += 1.0;
    }
    return n;
}

float saturated_fraction(vec2 xy) {
    vec4 x[IN4];
    for (int j = 0; j < IN4_N; ++j) x[j] = input_group(j, xy);
    vec4 a[HID4];
    vec4 b[HID4];
    float count = 0.0;
    int t = u_offset[0];
    int act = u_act[0];
    for (int o = 0; o < HID4_N; ++o) {
        vec4 acc = fetch(t + 4 * HID4 * IN4 + o);
        for (int j = 0; j < IN4_N; ++j) acc += fetch_block(t + 4 * (o * IN4 + j)) * x[j];
        count += saturated4(acc, act, 4 * o);
        a[o] = activate(acc, act);
    }
    for (int l = 1; l < u_depth - 1; ++l) {
        t = u_offset[l];
        act = u_act[l];
        for (int o = 0; o < HID4_N; ++o) {
            vec4 acc = fetch(t + 4 * HID4 * HID4 + o);
            for (int j = 0; j < HID4_N; ++j) acc += fetch_block(t + 4 * (o * HID4 + j)) * a[j];
            count += saturated4(acc, act, 4 * o);
            b[o] = activate(acc, act);
        }
        for (int o = 0; o < HID4_N; ++o) a[o] = b[o];
    }
    return count / float((DEPTH - 1) * WIDTH);
}
#endif
