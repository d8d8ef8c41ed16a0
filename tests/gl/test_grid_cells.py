"""A grid cell is the engine's render of that cell's network; bad grid flags are one line and exit status 2 (in
this process: the grid command makes its engine, GL context included, before it checks --workers and --dask)."""
import numpy as np

from cli_checks import one_line_error
from glnn import Network, View
from glnn.explore.batch import render_cell


def test_render_cell_is_the_engine_render(engine):
    from glnn.model import colour
    from glnn.io.recipe import Recipe
    net = Network(seed=3, depth=4, width=6, channels=1)
    pic = render_cell(Recipe(net, View(20, 10), "gray", "cpu"))   # a batch task is a recipe
    assert np.array_equal(pic, colour.to_uint8(engine.render(net, View(20, 10), "cpu"), "gray")[:, :, 0])


def test_grid_bad_flags(cli, tmp_path):
    for args, message in [(["--vary", "seed=1:2", "--workers", "0"], "--workers must be at least 1"),
                          (["--vary", "nope=1:2"], "unknown name"), (["--vary", "seed=1:2", "--out", "g.jpg"],
                                                                     "unknown format"),
                          (["--vary", "seed=1:2", "--workers", "2", "--dask", "local:2"], "cannot be combined"),
                          (["--vary", "seed=1:2", "--dask", "local:0"], "local:N"),
                          (["--vary", "features=x,y;x,q"], "cell 2 (features x,q): unknown feature 'q'"),
                          (["--vary", "features=x,y;"], "an empty value"),
                          (["--vary", "activation=tanh;tanh,,sin"], "an empty name in the list"),
                          (["--vary", "activation=tanh;mix,relu"], "unknown activation 'mix' in"),
                          (["--vary", "features=x,y;x,y,r", "--inputs", "16"], "cell 2 (features x,y,r): 3 features")]:
        status, _, err = cli("grid", *args)
        one_line_error(status, err, message)
    assert list(tmp_path.iterdir()) == []
