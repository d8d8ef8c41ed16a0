"""The breeder's lineage (docs/lineage.md): steps as data, their JSON and text forms, limits, the replay, and the
files that carry it (recipes, grid sheets' cells, saved networks, the command line)."""
import json

import numpy as np
import pytest

from cli_checks import one_line_error
from glnn.cli import main
from glnn.errors import GlnnError
from glnn.io import saved_network
from glnn.io.recipe import Recipe, read_recipe
from glnn.model import lineage as L
from glnn.model.network import Network
from glnn.model.view import View


def same_layers(a, b):
    return all(np.array_equal(x.W, y.W) and np.array_equal(x.b, y.b) and x.activation == y.activation
               for x, y in zip(a.layers, b.layers))


def test_a_child_at_strength_f_is_the_morph_and_strength_1_the_new_seed():
    n = Network(seed=5, depth=5, width=12, inputs=4, activation="mix")
    assert same_layers(n.child(77, 0.6), n.morph(77, 0.6))
    assert all(np.array_equal(a, b) for a, b in zip(n.child(77, 0.6).time_params(), n.morph(77, 0.6).time_params()))
    assert same_layers(n.child(77, 1.0), Network(seed=77, depth=5, width=12, inputs=4, activation="mix"))
    # a morph as a parent is converted: its child is the lineage [m B f, m ...]
    assert n.morph(77, 0.6).child(3, 0.3) == n.child(77, 0.6).child(3, 0.3)


def test_identity_and_replace():
    n = Network(seed=1, depth=4, width=8)
    c = n.child(9, 0.3)
    assert c != n and c == Network(seed=1, depth=4, width=8, lineage="m:9:0.3") and hash(c) == hash(c.replace())
    assert c.replace(scale=1.2).lineage == c.lineage          # rescaled: still that child
    assert c.replace(depth=5).lineage == ()                    # another network: drawn from its seed
    assert "lineage=(Mutate(seed=9, strength=0.3),)" in repr(c)
    with pytest.raises(GlnnError, match="morph_of or a lineage"):
        Network(morph_of=(3, 0.5), lineage="m:1:0.5")


def test_crossover_takes_units_or_layers_from_the_other_parent():
    a, b = Network(seed=1, depth=6, width=16, activation="mix-units"), Network(seed=2, depth=6, width=16,
                                                                                activation="mix-units")
    x = a.cross(b, 4, "unit")
    for i, (la, lb, lx) in enumerate(zip(a.layers, b.layers, x.layers)):
        out = la.W.shape[0]
        take = np.random.Generator(np.random.PCG64(np.random.SeedSequence([4, 6, i, out]))).integers(2, size=out)
        for j in range(out):
            src = lb if take[j] else la
            assert np.array_equal(lx.W[j], src.W[j]) and lx.b[j] == src.b[j]
            if i < 5:
                assert lx.activation[j] == src.activation[j]   # per-unit activations follow the unit
    y = a.cross(b, 4, "layer")
    for i, (la, lb, ly) in enumerate(zip(a.layers, b.layers, y.layers)):
        take = int(np.random.Generator(np.random.PCG64(np.random.SeedSequence([4, 6, i]))).integers(2))
        assert np.array_equal(ly.W, (lb if take else la).W)
    with pytest.raises(GlnnError, match="same hyperparameters"):
        a.cross(Network(seed=2, depth=5, width=16, activation="mix-units"), 1)


def test_json_and_text_round_trip_and_the_spec_example():
    text = "m:31:0.3~m:907:0.3~x:4:unit:12(m:5:0.3)"
    steps = L.parse(text)
    assert L.to_text(steps) == text
    assert L.to_json(steps) == [["m", 31, 0.3], ["m", 907, 0.3], ["x", 4, "unit", {"seed": 12, "lineage": [["m", 5, 0.3]]}]]
    assert L.parse(L.to_json(steps)) == steps == L.parse(json.loads(json.dumps(L.to_json(steps))))
    assert L.to_text(L.parse("m:1:1")) == "m:1:1.0"


@pytest.mark.parametrize("bad, message", [
    ("m:1:0", "(0, 1]"), ("m:1:1.5", "(0, 1]"), ("m:1:nan", "(0, 1]"), ("m:1:inf", "(0, 1]"), ("q:1:2", "unknown"),
    ("m:1", "m:SEED:S"), ("x:1:foo:2", "layer or unit"), ("m:-1:0.3", "seed"), ("m:9223372036854775808:0.5", "seed"),
    ("x:1:unit:2(", "empty"), ("x:1:unit:2(m:1:0.5", "')'"), ("m:1:0.5(m:1:0.5)", "'('"),
    ([["m", 1.5, 0.3]], "seed"), ([["m", True, 0.3]], "seed"), ([["m", 1, float("nan")]], "(0, 1]"),
    ([["x", 1, "unit"]], "crossover"), ([["z", 1, 2]], "unknown"), ({"m": 1}, "list"),
    ("~".join(["m:1:0.5"] * 1001), "1000"),
])
def test_hostile_steps_are_one_clear_error(bad, message):
    with pytest.raises(GlnnError, match=None) as e:
        L.parse(bad)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_limits_nesting_and_work_are_checked_before_any_work():
    deep = "m:1:0.5"
    for _ in range(8):
        deep = f"x:1:unit:2({deep})"
    with pytest.raises(GlnnError, match="nested more than 8"):
        L.parse(deep)
    L.parse(deep[len("x:1:unit:2("):-1])   # 8 deep: fine
    with pytest.raises(GlnnError, match="unit draws"):
        Network(depth=64, width=512, lineage="~".join(["m:1:0.5"] * 20))


def test_a_hundred_generations_fit_a_link():
    net = Network()
    rng = np.random.default_rng(0)
    for g in range(100):
        net = net.child(int(rng.integers(1_000_000)), 0.3) if g % 10 else \
            net.cross(Network(seed=int(rng.integers(1_000_000))).child(int(rng.integers(1_000_000)), 0.3),
                      int(rng.integers(1_000_000)))
    text = L.to_text(net.lineage)
    print(f"100 generations: {len(text)} characters")
    assert len(text) < 2500 and L.parse(text) == net.lineage
    assert len(net.layers) == 12


def test_recipe_and_saved_network_carry_the_lineage(tmp_path):
    c = Network(seed=3, depth=4, width=8, activation="mix-units").child(5, 0.3).cross(Network(seed=6, depth=4, width=8, activation="mix-units"), 7)
    r = Recipe(c, View(8, 8))
    j = r.to_json(weights_budget=0)
    assert j["lineage"] == L.to_json(c.lineage) and "--lineage" in j["command"]
    back = saved_network.from_recipe(j, "x.png")
    assert back == c and same_layers(back, c)
    embedded = saved_network.from_recipe(r.to_json(), "x.png")
    assert embedded.lineage == c.lineage and same_layers(embedded, c)
    c.save(tmp_path / "n.npz")
    loaded = Network.load(tmp_path / "n.npz")
    assert loaded.lineage == c.lineage and same_layers(loaded, c)
    old = Recipe(Network(seed=3, depth=4, width=8).morph(9, 0.4), View(8, 8)).to_json(weights_budget=0)
    assert "lineage" not in old and saved_network.from_recipe(old, "o.png").morph_of == (9, 0.4)


@pytest.mark.parametrize("lineage, message", [
    ("m:1:2", "(0, 1]"), ([["m", 1, 0.3]] * 1001, "1000"), ([["x", 1, "diagonal", {"seed": 2}]], "layer or unit"),
    ("nonsense", "unknown step"),
])
def test_hostile_lineages_in_a_picture_are_one_line_exit_2_no_file(tmp_path, capsys, lineage, message):
    from test_hostile_files import good_recipe, png_with_text
    r = good_recipe()
    r.pop("weights", None)
    r["lineage"] = lineage
    bad = png_with_text(tmp_path / "bad.png", json.dumps(r))
    with pytest.raises(GlnnError, match="bad.png"):
        read_recipe(bad)
    out = tmp_path / "out.png"
    status = main(["render", "--from", str(bad), "--backend", "numpy", "--out", str(out)])
    one_line_error(status, capsys.readouterr().err, message)
    assert not out.exists()


def test_hostile_lineage_flag_and_work(tmp_path, capsys):
    out = tmp_path / "o.png"
    with pytest.raises(SystemExit) as e:   # argparse's own exit
        main(["render", "--lineage", "x:1:unit:2(", "--out", str(out)])
    one_line_error(e.value.code, capsys.readouterr().err, "argument --lineage: an empty list of steps")
    status = main(["render", "--depth", "64", "--width", "512", "--lineage", "~".join(["m:1:0.5"] * 20),
                   "--out", str(out)])
    one_line_error(status, capsys.readouterr().err, "--lineage: 20 steps")
    assert not out.exists()


def test_render_lineage_flag_equals_the_child(tmp_path, capsys):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    assert main(["render", "--depth", "5", "--width", "10", "--lineage", "m:31:0.3~x:4:unit:12(m:5:0.3)",
                 "--size", "24x24", "--backend", "numpy", "--out", str(a)]) == 0
    net = read_recipe(a).network
    assert net == Network(depth=5, width=10).child(31, 0.3).cross(Network(seed=12, depth=5, width=10).child(5, 0.3), 4)
    assert main(["render", "--from", str(a), "--scale", "0.9", "--out", str(b)]) == 0   # rescaled: same child
    assert read_recipe(b).network.lineage == net.lineage
    assert main(["info", str(a)]) == 0
    assert "lineage: 2 generations (1 mutation, 1 crossover; 3 steps in all)" in capsys.readouterr().out
