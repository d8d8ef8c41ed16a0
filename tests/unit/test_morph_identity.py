"""A morphed network is not its source (issue 23: net.morph(9, 0.5) == net was True, hash and repr equal,
though the pictures differ): the morph is part of the identity, and a saved file keeps it."""
import numpy as np
import pytest

from glnn.errors import GlnnError
from glnn.model.network import Network
from glnn.io.saved_network import load, save


def test_a_morph_is_not_equal_to_its_source():
    net = Network(seed=3, depth=4, width=6)
    half = net.morph(9, 0.5)
    assert half != net and hash(half) != hash(net) and repr(half) != repr(net)
    assert half.morph_of == (9, 0.5) and "morph_of=(9, 0.5)" in repr(half)
    assert half != net.replace(seed=9) and half != net.morph(9, 0.25)
    assert half == net.morph(9, 0.5) and hash(half) == hash(net.morph(9, 0.5))
    assert not np.array_equal(half.layers[0].W, net.layers[0].W)


def test_the_ends_are_the_networks_themselves_and_replace_draws_afresh():
    net = Network(seed=3, depth=4, width=6)
    assert net.morph(9, 0.0) is net and net.morph(9, 1.0) == net.replace(seed=9)
    assert net.morph(9, 1.0).morph_of is None
    again = net.morph(9, 0.5).replace(depth=3)
    assert again.morph_of is None and again == net.replace(depth=3)


def test_a_morph_of_a_morph_is_refused():
    with pytest.raises(GlnnError, match="morph"):
        Network(seed=3, depth=3).morph(9, 0.5).morph(4, 0.5)
    with pytest.raises(GlnnError, match="morph_of"):
        Network(morph_of=(9, 1.5))


def test_a_saved_morph_loads_as_the_morph(tmp_path):
    net = Network(seed=3, depth=4, width=6)
    half = net.morph(9, 0.5)
    save(half, tmp_path / "half.npz")
    back = load(tmp_path / "half.npz")
    assert back == half and back != net and back.morph_of == (9, 0.5)
    for a, b in zip(back.layers, half.layers):
        np.testing.assert_array_equal(a.W, b.W)
    save(net, tmp_path / "net.npz")
    assert load(tmp_path / "net.npz").morph_of is None


def test_a_large_morphs_recipe_draws_the_morph_again():
    """Weights too large to embed: the recipe's morph_of makes --from draw the morph (not the source network)."""
    import numpy as np
    import pytest
    from glnn import GlnnError, View
    from glnn.io.recipe import Recipe
    from glnn.io.saved_network import from_recipe

    m = Network(seed=1, depth=40, width=512).morph(2, 0.3)
    data = Recipe(m, View(8, 8), "rgb").to_json()
    assert "weights" not in data and data["morph_of"] == [2, 0.3]
    back = from_recipe(data, "x.png")
    assert back == m and all(np.array_equal(a.W, b.W) for a, b in zip(back.layers, m.layers))
    for bad in ([2], [2, 1.5], ["2", 0.3], [True, 0.3], 5):
        with pytest.raises(GlnnError, match="morph_of"):
            from_recipe(dict(data, morph_of=bad), "x.png")
