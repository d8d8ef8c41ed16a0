// Activation functions, by id. The ids are glnn/activations.py's NAMES order.
#define ACT_IDENTITY 0
#define ACT_TANH 1
#define ACT_SIGMOID 2
#define ACT_RELU 3
#define ACT_LEAKY_RELU 4
#define ACT_SIN 5
#define ACT_GAUSSIAN 6
#define ACT_SOFTSIGN 7
#define LEAKY_SLOPE 0.1

// tanh written with exp(-2|x|), which never overflows (some drivers' tanh
// returns NaN for large arguments).
vec4 act_tanh(vec4 x) {
    vec4 e = exp(-2.0 * abs(x));
    return sign(x) * (1.0 - e) / (1.0 + e);
}

vec4 activate(vec4 x, int act) {
    if (act == ACT_TANH) return act_tanh(x);
    if (act == ACT_SIGMOID) return 1.0 / (1.0 + exp(-x));
    if (act == ACT_RELU) return max(x, 0.0);
    if (act == ACT_LEAKY_RELU) return mix(LEAKY_SLOPE * x, x, step(0.0, x));
    if (act == ACT_SIN) return sin(x);
    if (act == ACT_GAUSSIAN) return exp(-x * x);
    if (act == ACT_SOFTSIGN) return x / (1.0 + abs(x));
    return x;
}
