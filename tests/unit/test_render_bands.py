"""glnn render writes fixed bands where no bar is watched: the same command gives the same floats whatever the
machine's load (paced bands follow the clock, and the cpu backend's chunks follow the bands)."""
from glnn.rendering import pipeline


def test_render_without_a_bar_is_not_paced(cli, monkeypatch):
    seen = []
    write = pipeline.write
    monkeypatch.setattr(pipeline, "write", lambda recipe, out, engine, progress=None, **kw:
                        seen.append(progress) or write(recipe, out, engine, progress, **kw))
    status, _, err = cli("render", "--size", "8x6", "--backend", "cpu", "--out", "a.npy")
    assert status == 0, err
    assert seen == [None]   # captured output is no terminal: no bar, so no pacing
