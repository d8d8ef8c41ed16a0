"""docs/contract.md, read by someone without glnn: a saved network's picture in a few lines of numpy, the inputs
(features, then z_j) and each layer's activation (one, or one per unit) from the file's spec alone."""
import json

import numpy as np

ACTS = {"tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "relu": lambda v: np.maximum(v, 0),
        "leaky_relu": lambda v: np.where(v > 0, v, 0.1 * v), "sin": np.sin, "gaussian": lambda v: np.exp(-v * v),
        "softsign": lambda v: v / (1 + abs(v)), "identity": lambda v: v}
FEATURES = {"x": lambda x, y: x, "y": lambda x, y: y, "r": lambda x, y: np.sqrt(x * x + y * y),
            "bias": lambda x, y: np.ones_like(x), "ax": lambda x, y: np.abs(x), "ay": lambda x, y: np.abs(y)}


def independent(path, W, H):
    """The W x H picture of the saved network at `path`, float64 (H, W, C); knows nothing of glnn."""
    z = np.load(path)
    spec = json.loads(str(z["spec"]))
    s = 2 * spec["extent"] / min(W, H)
    r, c = np.mgrid[0:H, 0:W]
    x = spec["center"][0] + (c + 0.5 - W / 2) * s
    y = spec["center"][1] + (H / 2 - r - 0.5) * s
    zt = np.array(spec["z_amplitudes"]) * np.sin(np.array(spec["z_frequencies"]) * spec["time"] + np.array(spec["z_phases"]))
    names = spec.get("input_names", ["x", "y"])   # written before input features: x, y
    features = [FEATURES[n](x, y) for n in names if not n.startswith("z")]
    v = np.concatenate([np.stack(features, -1), np.broadcast_to(zt.astype(np.float32), (H, W, len(zt)))], -1)
    for i, a in enumerate(spec.get("layer_activations", [str(a) for a in z["activations"]])):
        pre = v @ z[f"W{i}"].T.astype(np.float64) + z[f"b{i}"]
        v = ACTS[a](pre) if isinstance(a, str) else np.stack([ACTS[u](pre[..., j]) for j, u in enumerate(a)], -1)
    return v
