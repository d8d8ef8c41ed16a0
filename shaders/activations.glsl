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

// tanh as 1 - 2 / (1 + e^2x): an exp, a reciprocal and two adds per lane (the hottest code
// after the multiply-adds). Large |x| is safe: e^2x = inf gives 1, e^2x = 0 gives -1, where
// some drivers' tanh() computes inf / inf = NaN. Near 0 the absolute error stays about 1e-7.
// TANH_BUILTIN 1 (glnn bench --shared-variants only) uses the driver's tanh() instead, which
// may be one instruction on some GPUs and NaN at saturation on others.
vec4 act_tanh(vec4 x) {
#if defined(TANH_BUILTIN) && TANH_BUILTIN
    return tanh(x);
#else
    return 1.0 - 2.0 / (1.0 + exp(2.0 * x));
#endif
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
