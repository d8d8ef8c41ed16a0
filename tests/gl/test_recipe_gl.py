"""A picture's recipe in this process: embedded weights outlive a change in how weights are drawn, and the recipe
fits in a PNG text chunk."""
import numpy as np

import glnn
import glnn.io.images  # noqa: F401  (glnn.images below: loaded here, not by whichever test ran first)
from glnn import Network, View
from glnn.io import metadata
from glnn.io.recipe import Recipe


def test_embedded_weights_outlive_a_change_in_how_weights_are_drawn(tmp_path, monkeypatch, engine):
    net, view = Network(seed=3, depth=5, width=8), View(16, 12)
    pic = engine.render(net, view, "cpu")
    glnn.io.images.save_picture(pic, tmp_path / "p.png", recipe=Recipe(net, view, "rgb", "cpu").to_json())
    # a "later version" that draws different weights from the same seed
    monkeypatch.setattr(Network, "_unit_draws", lambda self, i, shape: (np.ones(shape), np.ones(shape[0])))
    assert not np.array_equal(Network(seed=3, depth=5, width=8).layers[0].W, net.layers[0].W)
    back = Network.from_image(tmp_path / "p.png")
    for a, b in zip(back.layers, net.layers):
        assert np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b) and a.activation == b.activation
    assert np.array_equal(engine.render(back, view, "cpu"), pic)
    assert glnn.read_recipe(tmp_path / "p.png").command().startswith("glnn render --seed 3 --depth 5 --width 8")


def test_recipe_stays_under_the_png_text_limit(tmp_path, engine):
    """A network too big to embed is stored by its hyperparameters, and the PNG opens in Pillow."""
    net, view = Network(seed=1, depth=12, width=512, init="he"), View(4, 4)
    data = Recipe(net, view, "rgb", "cpu").to_json()
    assert "weights" not in data and len(metadata.dumps(data)) < metadata.PART_CHARS   # one text chunk
    small = Recipe(Network(seed=1, depth=2, width=8), view, "rgb", "cpu").to_json()
    assert "weights" in small
