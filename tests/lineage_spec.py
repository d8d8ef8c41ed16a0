"""docs/lineage.md in numpy, written from the spec alone for the tests (tests/system/test_lineage_js.py: the
page's JS replay; test_playground_breed.py: the page's pictures): float64 unit draws combined step by step,
float32 once at the end. Steps in JSON form (seeds as ints or decimal strings)."""
import dataclasses
import math

import numpy as np

from glnn.model.network import Layer, _stream


def units(net):
    """(U, B, acts, A, w, p) of a network drawn from its seed: float64 unit draws, activations, z-params."""
    UB = [net._unit_draws(i, shape) for i, shape in enumerate(net.layer_shapes())]
    A, w, p = net.time_params()
    return [u for u, _ in UB], [b for _, b in UB], list(net.layer_activations()), A, w, p


def replay(net, steps):
    """The units of `net` (drawn from its seed) with `steps` applied in order."""
    U, B, acts, A, w, p = units(net)
    drawn = net.activation in ("mix", "mix-units")
    hidden = net.depth - 1
    for step in steps:
        if step[0] == "m":
            _, seed, S = step
            U2, B2, acts2, A2, w2, p2 = units(net.replace(seed=int(seed)))
            c, s = (0.0, 1.0) if S == 1 else (math.cos(S * math.pi / 2), math.sin(S * math.pi / 2))
            U = [c * u + s * u2 for u, u2 in zip(U, U2)]
            B = [c * b + s * b2 for b, b2 in zip(B, B2)]
            A, p, w = (1 - S) * A + S * A2, (1 - S) * p + S * p2, (w2 if S >= 0.5 else w)
            if drawn and S >= 0.5:
                acts = acts2[:hidden] + acts[hidden:]
        else:
            _, mask, mode, other = step
            U2, B2, acts2, *_ = replay(net.replace(seed=int(other["seed"])), other["lineage"])
            for i, u in enumerate(U):
                out = u.shape[0]
                if mode == "layer":
                    take = np.full(out, _stream(int(mask), 6, i).integers(2))
                else:
                    take = _stream(int(mask), 6, i, out).integers(2, size=out)
                U[i] = np.where(take[:, None] == 1, U2[i], u)
                B[i] = np.where(take == 1, B2[i], B[i])
                if drawn and i < hidden:
                    if isinstance(acts[i], tuple):
                        acts[i] = tuple(b if t == 1 else a for a, b, t in zip(acts[i], acts2[i], take))
                    elif take[0] == 1:
                        acts[i] = acts2[i]
    return U, B, acts, A, w, p


def weights(net, steps):
    """[(W float32, b float32, activation)], (A, w, p) of the network with the lineage, per the spec."""
    U, B, acts, A, w, p = replay(net, steps)
    layers = [((net._weight_multiplier(*shape) * U[i]).astype(np.float32),
               (net.effective_bias_scale * B[i]).astype(np.float32), acts[i])
              for i, shape in enumerate(net.layer_shapes())]
    return layers, (A, w, p)


def bred_network(net, steps):
    """`net` with the lineage's weights, activations and z-params loaded (per the spec), for glnn's renderers."""
    layers, time = weights(net, steps)
    return dataclasses.replace(net, loaded_layers=tuple(Layer(W, b, act) for W, b, act in layers),
                               loaded_time=tuple(tuple(v) for v in time))
