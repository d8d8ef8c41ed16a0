"""A saved network's weights (or a picture's embedded ones) are what grid cells and animation frames draw, not
the weights its seed would give; what would change the network is refused with --network (the file fixes it)."""
import numpy as np
from PIL import Image

from cli_checks import one_line_error
from glnn import Network, View
from glnn.io import saved_network
from glnn.backends.cpu import CPUBackend
from glnn.io.recipe import read_recipe


def flipped(path):
    """A saved network whose weights are not its seed's: the seed's, negated."""
    net = Network(seed=4, depth=4, width=6)
    arrays = saved_network._arrays(net)
    for k in list(arrays):
        if k.startswith("W"):
            arrays[k] = -arrays[k]
    np.savez(path, **arrays)
    return saved_network.load(path)


def pixels(path):
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def test_grid_cells_draw_the_files_weights(cli, tmp_path):
    net = flipped(tmp_path / "f.npz")
    assert not np.array_equal(net.layers[0].W, Network(seed=4, depth=4, width=6).layers[0].W)
    status, _, err = cli("grid", "--network", "f.npz", "--vary", "extent=1,2", "--size", "24x24", "--backend", "cpu",
                         "--workers", "1", "-q", "--out", "g.png")
    assert status == 0, err
    sheet = read_recipe(tmp_path / "g.png", 2)
    assert sheet.network.loaded_layers is not None and sheet.view.extent == 2.0
    assert all(np.array_equal(a.W, b.W) for a, b in zip(sheet.network.layers, net.layers))
    # the cell's pixels are the file's network's
    x, y, w, h = sheet_rect(tmp_path / "g.png", 2)
    want = CPUBackend().render(net, View(24, 24, extent=2.0))
    cell = pixels(tmp_path / "g.png")[y:y + h, x:x + w]
    assert np.abs(cell - np.rint(np.clip(want, 0, 1) * 255)).max() <= 1
    # and --from the cell is the file's network again
    status, _, err = cli("render", "--from", "g.png", "--cell", "1", "--backend", "cpu", "-q", "--out", "c.png")
    assert status == 0 and read_recipe(tmp_path / "c.png").network.loaded_layers is not None, err


def sheet_rect(path, cell):
    from glnn.io.metadata import read_recipe_json
    return read_recipe_json(str(path))["cells"][cell - 1]["rect"]


def test_from_a_picture_with_weights_a_varied_hyperparameter_is_drawn_from_its_seed(cli, tmp_path):
    flipped(tmp_path / "f.npz")
    assert cli("render", "--network", "f.npz", "--size", "16x16", "--backend", "cpu", "-q", "--out", "p.png")[0] == 0
    status, _, err = cli("grid", "--from", "p.png", "--vary", "depth=3,4", "--size", "16x16", "--backend", "cpu",
                         "--workers", "1", "-q", "--out", "g.png")
    assert status == 0, err
    for cell in (1, 2):   # both drawn from the seed, as render --from with --depth draws them
        r = read_recipe(tmp_path / "g.png", cell)
        assert r.network.loaded_layers is None and r.network.depth == 2 + cell


def test_network_file_refuses_what_would_change_the_network(cli, tmp_path):
    flipped(tmp_path / "f.npz")
    for argv in (["grid", "--network", "f.npz", "--vary", "seed=1:2", "--out", "g.png"],
                 ["animate", "--network", "f.npz", "--sweep", "scale:0.4:0.8", "--frames", "2", "--out", "a.gif"],
                 ["animate", "--network", "f.npz", "--sweep", "bias-scale:0:1", "--frames", "2", "--out", "a.gif"]):
        line = one_line_error(*cli(*argv)[::2])
        assert "--network" in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.npz"]
