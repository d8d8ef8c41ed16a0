"""glnn/io/command.py: one writer for every `glnn render`/`glnn animate` command, whose numbers read back exactly.

Every command is parsed back as the CLI parses it (glnn.cli.build_parser, after negative_values: the CLI joins
`--center -1,2` into `--center=-1,2`) and must give exactly the recipe's values; the figures' gallery commands are their pictures' recipes' commands."""
import math
import random
import shlex
import struct

import pytest

from glnn.io import command as commands
from glnn.article import figures
from glnn.model import colour as colours
from glnn.cli import build_parser, negative_values
from glnn.article.figures import BY_NUMBER, RECIPES
from glnn.model.network import HYPERPARAMETERS, Network
from glnn.model.probe import parse_probe
from glnn.io.recipe import Animation, Recipe
from glnn.model.view import View

PARSER = build_parser()


def parse_args(words):
    return PARSER.parse_args(negative_values(list(words)))


def floats(n, seed, lo=None, hi=None):
    """n random finite floats: every bit pattern (lo/hi: kept within), then plain, tiny and huge ones."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        f = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if rng.random() < 0.5:
            f = rng.choice([rng.uniform(-10, 10), 10 ** rng.uniform(-12, 25), round(rng.uniform(-99, 99), 3)])
        if math.isfinite(f) and (lo is None or lo <= f <= hi):
            out.append(f)
    return out


def parsed(line: str) -> Recipe:
    """The recipe a command line stands for, read with the CLI's parser (the defaults the command leaves out
    filled in as glnn render fills them)."""
    words = shlex.split(line)
    assert words[0] == "glnn"
    a = parse_args(words[1:])
    net = Network(**{h.name: getattr(a, h.name) for h in HYPERPARAMETERS if getattr(a, h.name) is not None})
    size = a.size or (1024, 1024)
    view = View(size[0], size[1], a.center or (0.0, 0.0), 1.0 if a.extent is None else a.extent,
                0.0 if a.time is None else a.time)
    probe = getattr(a, "probe", None)
    colour = a.color or (parse_probe(probe, net).colour if probe else colours.mode_for(net.channels).name)
    animation = None
    if words[1] == "animate":
        animation = Animation(tuple(a.sweep), a.frames, a.fps, a.ease or "linear", a.pingpong)
    return Recipe(net, view, colour, a.backend or "auto", animation=animation, supersample=a.supersample or 1,
                  probe=probe)


def same(a: Recipe, b: Recipe) -> bool:
    """Equal, floats bit for bit (repr), not just ==."""
    return a == b and repr(a.network) == repr(b.network) and repr(a.view) == repr(b.view)


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize("value,text", [
    (1.0, "1.0"), (0.1, "0.1"), (0.1 + 0.2, "0.30000000000000004"), (-2.5, "-2.5"), (100.0, "100.0"),
    (1e-6, "0.000001"), (1.5e-7, "1.5e-7"), (1e-7, "1e-7"), (1e20, "100000000000000000000.0"), (1e21, "1e+21"),
    (2.5e22, "2.5e+22"), (-0.0, "-0.0"), (0.0, "0.0"), (5e-324, "5e-324"), (0.5452538663326288, "0.5452538663326288"),
    (7, "7"), (0, "0"), (True, None)])
def test_numbers_are_written_once_one_way(value, text):
    """Shortest digits that round-trip, laid out as JavaScript's String(number) (the page writes them so)."""
    if text is None:
        with pytest.raises(TypeError):
            commands.number(value)
        return
    assert commands.number(value) == text


def test_every_float_reads_back_exactly():
    for f in floats(20000, 1):
        text = commands.number(f)
        back = float(text)
        assert back == f and math.copysign(1, back) == math.copysign(1, f), (f, text)


def test_every_float_reads_back_through_the_cli_parser():
    for x, y, e in zip(floats(1500, 2), floats(1500, 3), floats(1500, 4)):
        a = parse_args(["render", "--center", commands.pair((x, y)), "--extent", commands.number(e),
                               "--time", commands.number(-e), "--scale", commands.number(abs(x))])
        assert (a.center, a.extent, a.time, a.scale) == ((x, y), e, -e, abs(x))


def test_numpy_numbers_are_their_exact_value():
    np = pytest.importorskip("numpy")
    assert float(commands.number(np.float32(0.1))) == float(np.float32(0.1))
    assert commands.number(np.int64(12)) == "12" and commands.number(np.float64(0.25)) == "0.25"


# ------------------------------------------------------------------ recipes
FEATURES = ["x", "y", "r", "bias", "ax", "ay"]


def random_recipes(n, seed):
    rng = random.Random(seed)
    acts = [a for a in HYPERPARAMETERS if a.name == "activation"][0].choices
    for k in range(n):
        act = rng.choice(acts) if rng.random() < 0.7 else ",".join(rng.choices(acts[:8], k=rng.randint(2, 4)))
        features = "x,y" if rng.random() < 0.5 else ",".join(rng.sample(FEATURES, rng.randint(1, len(FEATURES))))
        hyper = dict(seed=rng.randrange(2 ** 63), depth=rng.randint(2, 9), width=rng.randint(1, 40),
                     activation=act, features=features, channels=rng.choice((1, 3)), inputs=rng.randint(2, 6))
        for name in ("scale", "bias_scale", "gain"):
            if rng.random() < 0.7:
                hyper[name] = rng.choice(floats(1, rng.random(), 0.0, 1e6) + [rng.uniform(0, 3), 1.0, 0.0])
        net = Network(**hyper)
        view = View(rng.randint(1, 4096), rng.randint(1, 4096),
                    tuple(floats(2, rng.random(), -1e6, 1e6)) if rng.random() < 0.8 else (0.0, 0.0),
                    floats(1, rng.random(), 1e-6, 1e6)[0] if rng.random() < 0.8 else 1.0,
                    floats(1, rng.random(), -1e6, 1e6)[0] if rng.random() < 0.5 else 0.0)
        modes = [m.name for m in colours.TABLE if m.inputs == net.channels]
        probe = rng.choice([None, None, "regions", "saturation", f"units:{rng.randint(1, net.depth - 1)}"])
        colour = parse_probe(probe, net).colour if probe else rng.choice(modes)
        yield Recipe(net, view, colour, rng.choice(("auto", "gl", "cpu", "numpy")),
                     supersample=1 if probe else rng.randint(1, 4), probe=probe)


def test_random_recipes_commands_parse_back_to_the_recipe():
    for r in random_recipes(300, 5):
        line = r.command(out="x.png")
        assert line == commands.command(r, "x.png")
        assert same(parsed(line), r), (line, r)


def test_features_are_said_when_not_x_y_and_lists_verbatim():
    def words(**net):
        return shlex.split(Recipe(Network(**net), View(8, 8), "rgb").command())

    assert "--features" not in words() and "--features" not in words(features="x, y")
    for features, activation in (("x,y,r,bias", "tanh,sin,relu"), ("y,x", "mix-units"), ("bias,ax", "sin,sin"),
                                 ("r", "mix")):
        w = words(features=features, activation=activation)
        assert w[w.index("--features") + 1] == features and w[w.index("--activation") + 1] == activation
        assert parsed(" ".join(w)).network == Network(features=features, activation=activation)
    w = words(features="x , y,r", activation="tanh , sin")   # written as the network holds them: canonical
    assert w[w.index("--features") + 1] == "x,y,r" and w[w.index("--activation") + 1] == "tanh,sin"


def test_command_parts_are_the_command():
    r = next(random_recipes(1, 6))
    head, mid, tail = r.command_parts()
    assert r.command() == commands.line(head + mid + tail) and mid[-2] == "--size"


def test_an_animation_leaves_its_swept_parameters_to_the_sweep():
    net = Network(seed=3, scale=0.65, bias_scale=0.65, gain=2.0)
    anim = Animation(("scale:0.4:0.8", "extent:2.0:0.5"), 30, 12.5)
    r = Recipe(net, View(64, 48, (0.5, 0.0), 3.0, 1.25), "rgb", animation=anim)
    line = r.command(out="a.gif")
    head = line.split("--sweep")[0]
    assert "--scale" not in head and "--extent" not in head and "--time 1.25" in head and "--center 0.5,0.0" in head
    # a set bias scale equal to the scale stays: the sweep moves the scale, not it
    assert "--bias-scale 0.65" in head
    back = parsed(line)
    assert back.animation == anim and back.network.replace(scale=0.65) == net.replace() and back.view.time == 1.25


# ------------------------------------------------------------------ the figures
@pytest.mark.parametrize("number", [r.number for r in RECIPES if r.kind != "plot"])
@pytest.mark.parametrize("scale", [0.25, 1.0])
def test_figure_commands_are_their_recipes_commands(number, scale):
    """Each gallery line is the command of the recipe its picture carries (backend auto), and parses back to it."""
    fig = BY_NUMBER[number]
    lines = figures.commands(fig, scale)
    size = figures._scaled(fig.panel, scale)
    if fig.kind == "animation":
        want = [figures.animation_recipe(fig, size)]
    else:
        want = [figures.panel_recipe(spec, size) for spec in fig.panel_specs()]
    assert len(lines) == len(want)
    for line, r in zip(lines, want):
        assert line == r.command(out=shlex.split(line)[-1])
        back = parsed(line)
        if r.animation:   # the sweep sets its parameters: compare the rest
            swept = commands.swept(r.animation.sweeps)
            assert back.animation == r.animation
            assert back.network.replace(**{k: getattr(r.network, k) for k in swept if hasattr(r.network, k)}) == \
                r.network
        else:
            assert same(back, r), line


def test_figure_19s_scales_are_written_exactly():
    """The gallery and the picture's recipe say the same: the scale as the float it is."""
    text = " ".join(figures.commands(BY_NUMBER[19]))
    assert "--scale 0.5452538663326288" in text and "--scale 0.545254 " not in text
    assert figures.panel_recipe(BY_NUMBER[19].panel_specs()[1], (240, 240)).network.scale == 0.5452538663326288
