"""A saved network (docs/contract.md, a saved network): the .npz file format, and the weights a picture's
recipe embeds. The model layer (glnn/model/network.py) knows no file format; this module reads and writes it.

    save(net, "net.npz", view);  net, view_fields = load_with_view("net.npz")
    load(path), from_image(picture), from_recipe(recipe_json, name), to_bytes(net)

glnn/__init__.py attaches save, load and from_image to Network (net.save(path), Network.load(path),
Network.from_image(path)): the Python API's spelling.
"""
from __future__ import annotations

import base64
import dataclasses
import io
import json
import math
import os
import zipfile
from typing import Optional

import numpy as np

from ..model import activations, lineage as lineages
from . import metadata, safe_json
from ..errors import GlnnError
from .files import atomic_path, check_output, path_name
from ..model.network import HYPERPARAMETERS, NAMES, Layer, Network, with_legacy
from ..model.view import View

FORMAT_VERSION = 1
PER_UNIT = "per-unit"   # the `activations` entry of a layer whose units each have their own (spec: layer_activations)
# The largest network (64 layers of 512 x 512 float32) is 64 MiB of weights: a saved file that unpacks to more
# is not a glnn network (and might be a zip bomb).
MAX_SAVED_BYTES = 80 << 20


def spec_dict(net: Network) -> dict:
    """The JSON spec of a saved network: every hyperparameter, the z_j parameters and the architecture (the
    input vector's names in order, each layer's activation: a name, or one per unit). bias_scale is null when
    it follows the scale (so that a sweep of the scale moves the biases too, as it did when saved)."""
    A, w, p = net.time_params()
    values = {h.name: None if getattr(net, h.name) is None else h.kind(getattr(net, h.name))
              for h in HYPERPARAMETERS}
    return {"format": "glnn-network", "version": FORMAT_VERSION, **values,
            **({"morph_of": list(net.morph_of)} if net.morph_of else {}),   # Network.morph: part of its identity
            **({"lineage": lineages.to_json(net.lineage)} if net.lineage else {}),   # docs/lineage.md: the same
            "z_amplitudes": A.tolist(), "z_frequencies": w.tolist(), "z_phases": p.tolist(),
            **net.architecture.spec()}


def _arrays(net: Network, view=None) -> dict:
    spec = spec_dict(net)
    if view is not None:
        spec.update(view.spec_dict())
    arrays = {}
    for i, layer in enumerate(net.layers):
        arrays[f"W{i}"] = layer.W
        arrays[f"b{i}"] = layer.b
    arrays["activations"] = np.array([l.activation if isinstance(l.activation, str) else PER_UNIT
                                      for l in net.layers])
    arrays["spec"] = np.array(json.dumps(spec))
    return arrays


def save(net: Network, path, view=None, outputs=None) -> None:
    """Write the network (and optionally its view) as docs/contract.md says (a saved network), atomically;
    GlnnError for a path that is not a writable .npz. `outputs`: glnn/io/files.py's Outputs, to land together with
    the command's other files."""
    check_output(path, (".npz",), "saved network")
    with atomic_path(path, outputs) as tmp:
        with open(tmp, "wb") as f:
            np.savez(f, **_arrays(net, view))


def to_bytes(net: Network) -> bytes:
    """The saved-network file (.npz, compressed) as bytes: what a picture's recipe embeds."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **_arrays(net))
    return buf.getvalue()


def load(path) -> Network:
    """The network of a saved .npz (its view: load_with_view)."""
    return load_with_view(path)[0]


def load_as(cls, path) -> Network:
    """Network.load(path): the network of a saved .npz file (its weights; `cls` may be a subclass of Network)."""
    net = load(path)
    return net if type(net) is cls else cls(**{f.name: getattr(net, f.name) for f in dataclasses.fields(net)})


def from_image_as(cls, path, cell: Optional[int] = None) -> Network:
    """Network.from_image(picture, cell=None): the network a glnn picture was made with, from its recipe."""
    net = from_image(path, cell)
    return net if type(net) is cls else cls(**{f.name: getattr(net, f.name) for f in dataclasses.fields(net)})


def _resolved(fields: dict, name: str) -> dict:
    """A file holds resolved numbers: `critical` (glnn/model/theory.py) is a request, resolved when it is made."""
    for k in ("scale", "gain", "bias_scale"):
        if isinstance(fields.get(k), str):
            raise GlnnError(f"{name!r}: its {k} is {fields[k][:40]!r}, not a number (files hold the "
                            "resolved value)")
    return fields


def from_recipe(recipe: dict, name: str) -> Network:
    """The network of a picture's recipe (metadata.read_recipe_json): its embedded weights when it has them,
    else its hyperparameters; every field validated as a flag or a saved file would be."""
    fields = recipe.get("network")
    if not isinstance(fields, dict) or set(fields) - set(NAMES):
        raise GlnnError(f"{name!r}: the recipe's network must be an object of {', '.join(NAMES)}")
    try:
        net = Network(**with_legacy(_resolved(fields, name)))
    except GlnnError as e:
        raise GlnnError(f"{name!r}: recipe: {e}")
    steps = recipe.get("lineage")
    if steps is not None:   # checked (limits included) whether or not the weights are embedded
        if recipe.get("morph_of") is not None:
            raise GlnnError(f"{name!r}: the recipe has morph_of and lineage: one or the other")
        try:
            net = dataclasses.replace(net, lineage=lineages.parse(steps, "the recipe's lineage"))
        except GlnnError as e:
            raise GlnnError(f"{name!r}: {e}")
    weights = recipe.get("weights")
    if weights is not None:
        if not isinstance(weights, str) or len(weights) > metadata.MAX_WEIGHTS_BASE64:
            raise GlnnError(f"{name!r}: the recipe's weights are not a base64 string of at most 1 MB")
        try:
            data = base64.b64decode(weights.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            raise GlnnError(f"{name!r}: the recipe's weights are not valid base64")
        return read_saved(io.BytesIO(data), f"{name} (embedded weights)")[0]
    morph = recipe.get("morph_of")
    if morph is not None:   # weights too large to embed: the morph is drawn again from the two seeds
        if not (isinstance(morph, list) and len(morph) == 2 and isinstance(morph[0], int)
                and not isinstance(morph[0], bool) and 0 <= morph[0] < 2 ** 63
                and isinstance(morph[1], (int, float)) and not isinstance(morph[1], bool) and 0 < morph[1] < 1):
            raise GlnnError(f"{name!r}: the recipe's morph_of must be [other seed, f] with 0 < f < 1")
        return net.morph(morph[0], float(morph[1]))
    return net


def from_image(path, cell: Optional[int] = None) -> Network:
    """The network a glnn picture (PNG, GIF, WebP) was made with, from its recipe (`cell`: of a grid)."""
    name = path_name(path, "picture")
    return from_recipe(metadata.select_cell(metadata.read_recipe_json(name), cell, name), name)


def load_with_view(path):
    """(Network, view fields dict) from a saved .npz; GlnnError on anything wrong with the file."""
    name = path_name(path, "network file")
    if os.path.isdir(name):
        raise GlnnError(f"network file {name!r} is a folder")
    if not os.path.isfile(name):
        raise GlnnError(f"network file {name!r} does not exist")
    return read_saved(name, name)


def read_saved(source, name: str):
    """(Network, view fields dict) from a saved network (a path or a file object); GlnnError naming `name`."""
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise GlnnError(f"{name!r} is not a glnn network file (.npz): {type(e).__name__}: {e}".splitlines()[0])
    if unpacked > MAX_SAVED_BYTES:
        raise GlnnError(f"{name!r} unpacks to {unpacked >> 20} MiB, more than any glnn network")
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        with np.load(source, allow_pickle=False) as z:
            data = {k: z[k] for k in z.files}
    except Exception as e:  # zipfile, pickle, format errors: all mean "not a saved network"
        raise GlnnError(f"{name!r} is not a glnn network file (.npz): {type(e).__name__}: {e}".splitlines()[0])
    try:
        spec = safe_json.loads(str(data["spec"]))
        if not isinstance(spec, dict):
            raise ValueError("spec is not a JSON object")
        fields = with_legacy(_resolved({k: spec[k] for k in NAMES if k in spec}, name))
        missing = [k for k in NAMES if k not in fields]
        if missing:
            raise KeyError(missing[0])
    except (KeyError, ValueError, TypeError) as e:
        raise GlnnError(f"{name!r} is not a glnn network file: bad or missing 'spec' ({e})")
    try:
        net = Network(**fields)
    except TypeError as e:
        raise GlnnError(f"{name!r}: bad network spec: {e}")
    except GlnnError as e:
        raise GlnnError(f"{name!r}: {e}")
    acts = [str(a) for a in np.atleast_1d(data.get("activations", np.array([])))]
    per_unit = spec.get("layer_activations")
    if len(acts) != net.depth:
        raise GlnnError(f"{name!r}: 'activations' has {len(acts)} entries, the spec says depth {net.depth}")
    names = spec.get("input_names")   # written since input features: it must say what `features` says
    if names is not None and names != list(net.architecture.input_names):
        raise GlnnError(f"{name!r}: the spec's input_names {str(names)[:80]} disagree with its features and inputs "
                        f"({', '.join(net.architecture.input_names)})")
    layers = []
    for i, (shape, act) in enumerate(zip(net.layer_shapes(), acts)):
        if f"W{i}" not in data or f"b{i}" not in data:
            raise GlnnError(f"{name!r}: missing W{i} or b{i}")
        W, b = data[f"W{i}"], data[f"b{i}"]
        if W.shape != shape or b.shape != (shape[0],):
            raise GlnnError(f"{name!r}: W{i} has shape {W.shape} and b{i} {b.shape}, expected {shape} and ({shape[0]},)")
        if not (np.issubdtype(W.dtype, np.floating) and np.issubdtype(b.dtype, np.floating)):
            raise GlnnError(f"{name!r}: W{i} and b{i} must be float arrays")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise GlnnError(f"{name!r}: W{i} or b{i} holds NaN or infinity")
        if act == PER_UNIT:   # one activation per unit: named in the spec's layer_activations
            units = per_unit[i] if isinstance(per_unit, list) and len(per_unit) == net.depth else None
            if not (isinstance(units, list) and len(units) == shape[0]
                    and all(isinstance(u, str) and u in activations.NAMES for u in units)):
                raise GlnnError(f"{name!r}: layer {i} has one activation per unit, but the spec's "
                                f"layer_activations[{i}] is not a list of {shape[0]} activation names")
            act = tuple(units)
        elif act not in activations.NAMES:
            raise GlnnError(f"{name!r}: unknown activation {act[:60]!r} in layer {i}")
        elif per_unit is not None and not (isinstance(per_unit, list) and len(per_unit) == net.depth
                                           and per_unit[i] == act):   # written since input features
            raise GlnnError(f"{name!r}: the spec's layer_activations disagree with its 'activations' array "
                            f"(layer {i}: {act})")
        layers.append(Layer(W.astype(np.float32), b.astype(np.float32), act))
    k = net.inputs - 2
    try:
        time = tuple(tuple(float(v) for v in spec[key]) for key in ("z_amplitudes", "z_frequencies", "z_phases"))
    except (KeyError, TypeError, ValueError):
        time = None
    if time is None or any(len(t) != k for t in time) or not all(math.isfinite(v) for t in time for v in t):
        raise GlnnError(f"{name!r}: z_amplitudes, z_frequencies and z_phases must hold {k} numbers each")
    try:
        steps = lineages.parse(spec.get("lineage"), "the spec's lineage")
        net = dataclasses.replace(net, lineage=steps)
    except GlnnError as e:
        raise GlnnError(f"{name!r}: {e}")
    morph = spec.get("morph_of")
    try:
        morph = None if morph is None else (int(morph[0]), float(morph[1]))
        net = dataclasses.replace(net, loaded_layers=tuple(layers), loaded_time=time, morph_of=morph)
    except (TypeError, ValueError, IndexError, KeyError, GlnnError):
        raise GlnnError(f"{name!r}: morph_of must be [seed, f] with 0 < f < 1, not {spec.get('morph_of')!r}")
    view = {k: spec[k] for k in ("center", "extent", "time") if k in spec}
    center = view.get("center", [0.0, 0.0])
    if not (isinstance(center, list) and len(center) == 2):
        raise GlnnError(f"{name!r}: the saved view's center must be two numbers, not {center!r}")
    try:
        View(1, 1, tuple(center), view.get("extent", 1.0), view.get("time", 0.0))   # the view's own checks
    except GlnnError as e:
        raise GlnnError(f"{name!r}: the saved view: {e}")
    return net, view
