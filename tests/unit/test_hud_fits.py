"""The HUD and the help fit small windows: every line shows, wrapped or in a smaller font (no GL: a display that
records what it would draw)."""
from glnn.app import controls, hud
from glnn.app.controls import ViewerState


class Recorder:
    def __init__(self):
        self.drawn, self.keys = {}, {}

    def panel(self, slot, key, image, x, y, size):
        img = image()
        self.drawn[slot] = (x, y) + img.size
        self.keys[slot] = key[0]
        return img.size


def test_hud_and_help_fit_400x300():
    size = (400, 300)
    rec = Recorder()
    lines = [controls.status_line(ViewerState()),
             "cpu: picture 1234 ms (refining 42 %), no recompile   h: help",
             "the view holds at least 14,142 activation patterns, more than the 4,096 a picture can colour apart "
             "(counting stopped at a sample of 1 pixel in 64): zoom in (a smaller --extent), or probe a shallower "
             "or narrower network"]
    w, h = hud.panel(rec, "hud", lines, 8, 8, size)
    assert 8 + w <= size[0] and h < size[1]
    w, h = hud.panel(rec, "hud", lines[:2], 8, 8, size)   # the HUD as usual, and the help under it
    hud.columns(rec, list(controls.HELP), 8, 8 + h + 8, size)
    for slot, (x, y, pw, ph) in rec.drawn.items():
        assert x + pw <= size[0] and y + ph <= size[1] + hud.LINE_HEIGHT, (slot, x, y, pw, ph)
    # every word of the refusal is there, in order
    assert " ".join(l for l in hud.wrapped(lines, 392) if isinstance(l, str)).split() == " ".join(lines).split()


def test_wrapping_keeps_keys_and_long_words():
    out = hud.wrapped([("k", "a description " * 10), "x" * 200], 120, 14)
    assert out[0][0] == "k" and all(l[0] == "" for l in out[1:] if isinstance(l, tuple))
    assert "".join(l for l in out if isinstance(l, str)) == "x" * 200


def test_wrapped_help_keeps_every_key():
    rec = Recorder()
    hud.columns(rec, list(controls.HELP), 8, 150, (400, 300))
    shown = []
    for slot in sorted(rec.drawn):
        shown += [l[0] for l in rec.keys[slot] if l[0]]
    assert shown == [k for k, _ in controls.HELP]
