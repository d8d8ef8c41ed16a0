"""The model layer (network, view, activations, colour) imports no file format; the file format of a saved
network lives in glnn/saved_network.py and still reads and writes through Network's methods."""
import ast
from pathlib import Path

import numpy as np

import glnn
from glnn import saved_network

ROOT = Path(__file__).resolve().parents[2]
MODEL = ("network", "view", "activations", "colour")
FILE_FORMATS = {"metadata", "files", "saved_network", "images", "png_stream", "animation_writer", "recipe"}


def glnn_imports(module: str) -> set:
    tree = ast.parse((ROOT / "glnn" / f"{module}.py").read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("glnn."):
            out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names if a.name.startswith("glnn.")}
    return out


def test_model_layer_imports_no_file_format():
    for module in MODEL:
        assert not glnn_imports(module) & FILE_FORMATS, module


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

    for module in ("render_api", "notebook", "engine", "recipe", "request", "pipeline", "cli"):
        importlib.import_module(f"glnn.{module}")
    for name in glnn.__all__:
        assert not isinstance(getattr(glnn, name), types.ModuleType), name
    assert callable(glnn.render) and callable(glnn.show)
