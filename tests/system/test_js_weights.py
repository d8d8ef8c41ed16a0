"""glnn/web/glnn_random.js draws glnn's weights bit for bit: numpy's SeedSequence, PCG64, uniform, standard_normal
and integers replayed in JavaScript (node, one process for all cases), compared with numpy byte for byte."""
import json
import math
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from glnn import Network
from glnn.model import activations, architecture, inits
from glnn.web.tables import web_tables

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "js_weights_driver.mjs")
NODE = shutil.which("node")

pytestmark = pytest.mark.needs("node")   # tests/conftest.py: skips where missing, fails under CI=true

SPECIAL_SEEDS = [0, 1, 2, 2**32 - 1, 2**32, 2**32 + 1, 2**53, 2**53 + 1, 2**63 - 1]
MIN_CASES = 1000


def _stream(*keys):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(list(keys))))


def network_cases():
    """Deterministic networks: every init, every activation and mix, seeds at the word boundaries and near 2^63,
    inputs 2..16, depth 1..7, mostly small widths plus a few wide ones (512)."""
    r = np.random.default_rng(20261201)
    acts = [a for a in activations.HIDDEN_CHOICES if a != activations.MIX_UNITS]   # the JS draws mix-units: branch web
    cases = []

    def seed():
        pick = r.integers(4)
        if pick == 0:
            return SPECIAL_SEEDS[r.integers(len(SPECIAL_SEEDS))]
        if pick == 1:
            return 2**63 - 1 - int(r.integers(0, 2**40))
        if pick == 2:
            return int(r.integers(0, 2**63 - 1, endpoint=True))
        return int(r.integers(0, 1000))

    def amount():
        return [0.0, 1, 0.8, 1e6, 1e-6, float(r.uniform(0, 3)), float(r.uniform(0, 3))][r.integers(7)]

    for s in SPECIAL_SEEDS:   # each special seed with every init, mixed activations, all extra inputs
        for init in inits.NAMES:
            cases.append(dict(seed=s, depth=4, width=9, channels=3, inputs=16, activation="mix", init=init))
    for init in inits.NAMES:   # the wide ones: 512 x 512 hidden layers
        cases.append(dict(seed=seed(), depth=3, width=512, channels=3, inputs=int(r.integers(2, 17)),
                          activation=acts[r.integers(len(acts))], init=init, scale=amount(), gain=amount()))
    cases.append(dict(seed=2**63 - 1, depth=2, width=512, channels=1, inputs=16, activation="mix"))
    while len(cases) < MIN_CASES + 50:
        c = dict(seed=seed(), depth=int(r.integers(1, 8)), width=int(r.integers(1, 25)),
                 channels=[1, 3][r.integers(2)], inputs=int(r.integers(2, 17)),
                 activation=acts[r.integers(len(acts))],
                 output_activation=list(activations.NAMES)[r.integers(len(activations.NAMES))])
        if r.integers(3):   # else the activation's defaults
            c.update(init=list(inits.NAMES)[r.integers(len(inits.NAMES))], scale=amount(), gain=amount(),
                     bias_scale=[None, amount()][r.integers(2)])
        cases.append(c)
    cases += architecture_cases(r, seed, amount)
    return [Network(**c) for c in cases]


def architecture_cases(r, seed, amount):
    """The network as data: input features (the first layer's fan-in and stream key), activation lists and
    mix-units (each hidden unit's activation drawn from [seed, 5, layer, width]), widths past 32 and 64 so the
    unit draws cross PCG64's buffered halves."""
    names = [f.name for f in architecture.TABLE]
    acts = list(activations.NAMES)
    out = []
    for width in (1, 2, 3, 7, 33, 64, 65, 512):   # mix-units at the word boundaries of its draws
        out.append(dict(seed=seed(), depth=4, width=width, channels=3, inputs=2, activation="mix-units"))
    out.append(dict(seed=2**63 - 1, depth=3, width=512, inputs=3, features="x,y,r,bias,ax,ay", activation="mix-units"))
    while len(out) < 220:
        k = int(r.integers(1, len(names) + 1))
        features = ",".join(r.permutation(names)[:k])
        inputs = int(r.integers(2, min(16, 2 + 16 - k) + 1))
        pick = r.integers(3)
        activation = "mix-units" if pick == 0 else ",".join(acts[i] for i in r.integers(len(acts), size=int(r.integers(1, 5))))
        c = dict(seed=seed(), depth=int(r.integers(1, 8)), width=int(r.integers(1, 40)), channels=[1, 3][r.integers(2)],
                 inputs=inputs, features=features, activation=activation,
                 output_activation=acts[r.integers(len(acts))])
        if r.integers(2):
            c.update(init=list(inits.NAMES)[r.integers(len(inits.NAMES))], scale=amount(), gain=amount())
        out.append(c)
    return out


def spec(net):
    """What the page would give glnnNetwork: the resolved hyperparameters (the seed as a string: above 2^53)."""
    h = net.hyperparameters()
    return {**h, "seed": str(net.seed)}


def stream_cases():
    """Raw streams: (keys, operations); integer ranges through each of numpy's bounded paths (32-bit Lemire,
    rng = 2^32 - 1, 64-bit Lemire, the full int64 range, a single value), with odd counts between other draws
    so PCG64's buffered half of a uint64 carries over."""
    big = 2**63 - 1
    return [
        ([0], [("uint64", 1000), ("random", 5000)]),
        ([1, 2], [("uniform", -1.0, 1.0, 5000), ("integers", 0, 7, 2001), ("random", 3), ("integers", 1, 3, 999)]),
        ([big, 1, 5, 512, 512], [("standard_normal", 200000)]),
        ([2**32, 3, 14], [("uniform", 0.5, 1.0, 14), ("integers", 1, 3, 14), ("uniform", 0.0, 2.0 * math.pi, 14)]),
        ([2**32 - 1, 4, 0], [("integers", 0, 7, None), ("integers", 0, 7, 1), ("integers", 0, 2**32, 501),
                             ("integers", 0, 2**32 + 1, 500), ("integers", -5, 2**62, 501),
                             ("integers", -(2**63), big, 500), ("integers", 10, 11, 7), ("integers", 0, 1000, 301),
                             ("standard_normal", 101), ("integers", 0, 3, 3)]),
        ([12345678901234567890 % 2**63, 0, 0, 0, 0, 0], [("standard_normal", 50000), ("uniform", -3.0, 7.5, 999)]),
    ]


def numpy_streams():
    floats, ints = [], []
    for keys, ops in stream_cases():
        rng = _stream(*keys)
        results = []
        for kind, *args in ops:
            if kind == "random":
                floats.append(rng.random(args[0]))
            elif kind == "uniform":
                floats.append(rng.uniform(args[0], args[1], args[2]))
            elif kind == "standard_normal":
                floats.append(rng.standard_normal(args[0]))
            elif kind == "integers":
                v = rng.integers(args[0], args[1], args[2])
                results.append([str(int(x)) for x in np.atleast_1d(v)] if args[2] is not None else str(int(v)))
            elif kind == "uint64":
                results.append([str(int(x)) for x in rng.bit_generator.random_raw(args[0])])
        ints.append(results)
    return floats, ints


def js_op(kind, *args):
    """An operation for the driver: integer bounds as strings (JSON numbers above 2^53 are not exact)."""
    return [kind, str(args[0]), str(args[1]), args[2]] if kind == "integers" else [kind, *args]


def run_driver(tmp_path, networks):
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps({"tables": web_tables(), "networks": [spec(n) for n in networks],
                                 "streams": [{"keys": [str(k) for k in keys], "ops": [js_op(*op) for op in ops]}
                                             for keys, ops in stream_cases()]}))
    out_bin, out_json = tmp_path / "out.bin", tmp_path / "out.json"
    subprocess.run([NODE or "node", DRIVER, str(cases), str(out_bin), str(out_json)], check=True, timeout=120)
    return out_bin.read_bytes(), json.loads(out_json.read_text())


def network_bytes(net):
    parts = []
    for layer in net.layers:
        assert layer.W.dtype == np.float32 and layer.b.dtype == np.float32
        parts += [layer.W.tobytes(), layer.b.tobytes()]
    parts += [np.asarray(v, dtype=np.float64).tobytes() for v in net.time_params()]
    return b"".join(parts)


def test_js_weights_bit_exact(tmp_path):
    networks = network_cases()
    assert len(networks) >= MIN_CASES
    got, meta = run_driver(tmp_path, networks)

    # the networks: every float32 of W and b, and A, w, p, byte for byte
    bad, pos, floats = [], 0, 0
    for i, net in enumerate(networks):
        want = network_bytes(net)
        if got[pos:pos + len(want)] != want:
            bad.append(i)
        pos += len(want)
        floats += sum(l.W.size + l.b.size for l in net.layers)
        js = meta["networks"][i]
        assert js["activations"] == [l.activation if isinstance(l.activation, str) else list(l.activation)
                                     for l in net.layers], (i, net)
        assert [tuple(s) for s in js["shapes"]] == [l.shape for l in net.layers], (i, net)
    assert not bad, f"{len(bad)} of {len(networks)} networks differ, first {networks[bad[0]]!r}"
    assert floats > 1_000_000   # the wide cases are there
    assert {n.init for n in networks} == set(inits.NAMES)
    assert sum(n.activation == "mix" for n in networks) > 50
    assert {n.inputs for n in networks} == set(range(2, 17))
    assert {0, 1, 2**32 - 1, 2**32, 2**63 - 1} <= {n.seed for n in networks}
    # the network as data: features (fan-in), activation lists, mix-units
    assert sum(n.activation == "mix-units" for n in networks) > 50
    assert sum("," in n.activation for n in networks) > 50
    assert set(",".join(n.features for n in networks).split(",")) == {f.name for f in architecture.TABLE}
    assert max(n.n_inputs for n in networks) == 16 and sum(n.features != "x,y" for n in networks) > 150

    # the raw streams: doubles byte for byte, integers exactly
    stream_floats, stream_ints = numpy_streams()
    want = b"".join(f.tobytes() for f in stream_floats)
    tail = got[pos:]
    assert len(tail) == len(want)
    off = 0
    for f in stream_floats:
        n = f.nbytes
        mismatch = np.flatnonzero(np.frombuffer(tail[off:off + n], np.uint64) != f.view(np.uint64))
        assert mismatch.size == 0, f"{mismatch.size} of {f.size} stream doubles differ, first at {mismatch[0]}"
        off += n
    assert meta["streams"] == stream_ints
    # the normals reached the ziggurat's tail (log1p) and wedges (exp)
    normals = np.concatenate([f for f in stream_floats if f.size in (200000, 50000)])
    assert np.sum(np.abs(normals) > 3.6541528853610088) > 20
    print(f"\n{len(networks)} networks, {floats} float32 weights, {normals.size} normals; "
          f"node: {meta['seconds']}", file=sys.stderr)
