// The playground's saturation probe (glnn playground; glnn/rendering/probes.py saturation() is the definition): the
// fraction of hidden units outside their near-linear part at this pixel. Included before network.glsl: its
// HIDDEN_HOOK tests each hidden pre-activation as network.glsl's hidden_state() makes it; saturated_fraction()
// (web_unit.glsl, after network.glsl) runs the hidden layers and returns the count's fraction.
// LINEAR_PARTS (vec4 per activation id, written by glnn/web/playground.js from glnn/web/playground.py's table,
// which is checked against probes.linear_part): (kind, lo, hi, period); kind 1: linear past the kink lo; kind 0:
// linear where lo <= |x| <= hi, x taken modulo the period about 0 when there is one.
#ifdef PROBE_SATURATION
const vec4 LINEAR_PART[] = LINEAR_PARTS;

float saturated4(vec4 pre, ivec4 acts, int first) {
    float n = 0.0;
    for (int c = 0; c < 4; ++c) {
        if (first + c >= WIDTH) break;
        vec4 r = LINEAR_PART[acts[c]];   // each unit's activation (they differ in a per-unit layer)
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

float saturated_count;   // this pixel's saturated hidden units so far (saturated_fraction() in web_unit.glsl)
#define HIDDEN_HOOK(pre, acts, first) saturated_count += saturated4(pre, acts, first)
#endif
