"""Probes band by band (glnn/rendering/probes.py's ProbeBands): the same pictures as whole, a relu unit's gray levels
corrected at the end when drawn without measuring first (the window), regions refused the moment they pass the
limit, and the window showing a probe in bands with a refusal whole in its HUD."""
import numpy as np
import pytest

from glnn import Engine, Network
from glnn import errors
from glnn.rendering import probes
from glnn.app.controls import ViewerState
from glnn.gl.resources import park
from glnn.rendering.probes import ProbeBands
from glnn.model.probe import parse_probe
from glnn.model.view import View
from glnn.app.viewer import ViewerApp


def banded(probe, net, view, backend, rows, measure=True):
    bands = ProbeBands(probe, net, view, backend)
    if measure:
        bands.measure()
    pic = np.concatenate([bands.rows(r0, min(rows, view.height - r0)) for r0 in range(0, view.height, rows)])
    return pic, bands


@pytest.mark.parametrize("text", ["unit:2:3", "units:2", "saturation", "regions"])
def test_bands_of_any_height_make_the_same_picture(engine, text):
    net = Network(seed=3, depth=4, width=7, activation="relu")
    view = View(61, 47, (0.1, -0.2), 2.0)
    backend = engine.backend("cpu")
    probe = parse_probe(text, net)
    whole = probes.probe_picture(probe, net, view, backend)
    pic, _ = banded(probe, net, view, backend, 5)
    assert pic.shape == whole.shape and np.abs(pic - whole).max() < 1e-5
    if probe.kind in ("unit", "units"):   # the window's way: the largest so far, corrected at the end
        pic, bands = banded(probe, net, view, backend, 5, measure=False)
        bands.renormalise(pic)
        assert np.abs(pic - whole).max() < 1e-4


def test_regions_refuse_at_the_limit_at_once(engine, monkeypatch):
    net = Network(seed=1, depth=6, width=12, activation="relu")
    view = View(64, 64, (0.0, 0.0), 6.0)
    backend = engine.backend("cpu")
    _, n = probes.regions(net, view, backend)
    monkeypatch.setattr(probes, "MAX_REGIONS", n // 2)
    bands = ProbeBands(parse_probe("regions", net), net, view, backend, sample=False)
    with pytest.raises(errors.GlnnError, match="activation patterns, more than") as e:
        for r0 in range(0, 64, 4):
            bands.rows(r0, 4)
    assert r0 < 60 and f"row {r0 + 4} of 64" in str(e.value)
    monkeypatch.setattr(probes, "MAX_REGIONS", 4)            # so few that a 1-in-64 sample has more
    with pytest.raises(errors.GlnnError, match="sample"):
        ProbeBands(parse_probe("regions", net), net, view, backend).rows(0, 4)


def test_the_window_shows_probes_in_bands_and_a_refusal_whole(ctx, tmp_path, monkeypatch):
    engine = Engine(ctx=ctx)
    now = [0.0]
    app = ViewerApp(ViewerState(net=Network(seed=1, depth=6, width=12, activation="relu"), extent=6.0), engine,
                    "cpu", tmp_path, log=lambda m: None, clock=lambda: now[0])
    size = (200, 150)
    screen = ctx.framebuffer(color_attachments=[ctx.texture(size, 4)])
    app.state.probe = "saturation"
    bands = 0
    for _ in range(200):
        app.scheduler._speed[app._kind()] = 1e-8       # this slow: bands of about 50 rows, not all at once
        now[0] += 1.0
        app.frame(now[0], size, screen)
        bands += app.scheduler.refining and app.scheduler.rows_done > 0
        if not app.scheduler.refining:
            break
    assert bands > 1
    monkeypatch.setattr(probes, "MAX_REGIONS", 4)
    app.state.probe = "regions"
    for _ in range(20):
        now[0] += 1.0
        app.frame(now[0], size, screen)
    assert not app.scheduler.refining and app.refused is not None
    assert app.hud_lines()[-1] == app.refused[1] and "more than the 4 a picture" in app.refused[1]
    app.state.probe = None                                # the outputs again: the refusal is no longer shown
    now[0] += 1.0
    app.frame(now[0], size, screen)
    assert app.hud_lines()[-1] != app.refused[1]
    park(ctx)
    texture = screen.color_attachments[0]
    screen.release()
    texture.release()
    app.close()
    engine.close()
