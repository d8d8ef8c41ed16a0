"""The file format of a saved network lives in glnn/io/saved_network.py and still reads and writes through
Network's methods (the model imports no file format: tests/unit/test_rooms.py); the API's names stay functions."""
from pathlib import Path

import numpy as np

import glnn
from glnn.io import saved_network

def test_saved_network_round_trip_through_the_api(tmp_path):
    net = glnn.Network(seed=5, depth=3, width=7, inputs=3)
    view = glnn.View(20, 10, (0.5, -0.5), 2.0, 1.5)
    net.save(tmp_path / "n.npz", view)
    back, fields = saved_network.load_with_view(tmp_path / "n.npz")
    assert back == net and glnn.Network.load(tmp_path / "n.npz") == net
    assert fields == {"center": [0.5, -0.5], "extent": 2.0, "time": 1.5}
    for a, b in zip(back.layers, net.layers):
        assert np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b)
    assert saved_network.to_bytes(net)[:2] == b"PK"


def test_a_pickled_network_leaves_its_drawn_weights_behind():
    import pickle

    net = glnn.Network(seed=2, depth=4, width=30)
    net.layers   # drawn and cached
    sent = pickle.dumps(net)
    assert len(sent) < 1000
    back = pickle.loads(sent)
    assert back == net and all(np.array_equal(a.W, b.W) for a, b in zip(back.layers, net.layers))


def test_the_api_names_stay_functions_after_every_module_loads():
    """glnn's rendering names load on first use; no submodule's import may shadow one (glnn.render is the
    function, whatever was imported before)."""
    import importlib
    import types

    root = Path(glnn.__file__).parent
    for path in sorted(root.rglob("*.py")):   # every module of every room
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] != "__main__" and parts[-2:] != ("app", "window"):   # glfw's import runs a subprocess
            importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    for name in glnn.__all__:
        assert not isinstance(getattr(glnn, name), types.ModuleType), name
    assert callable(glnn.render) and callable(glnn.show)
