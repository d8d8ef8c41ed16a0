"""glnn render's progress moves at least every second: bands are paced by the time the last one took (an injected
clock and a fake slow backend: no GL)."""
import numpy as np

from glnn import Network, View
from glnn.rendering import pipeline
from glnn.rendering.progress import paced
from glnn.io.recipe import Recipe


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class SlowBackend:
    """Zeros, each pixel charged to the fake clock."""
    name = "cpu"

    def __init__(self, clock, cost):
        self.clock, self.cost = clock, cost

    def render(self, net, view, rect=None, out=None):
        self.clock.t += self.cost * rect[2] * rect[3]
        return np.zeros((rect[3], rect[2], net.channels), np.float32)


def test_paced_bands_of_a_slow_picture_report_every_second():
    clock = Clock()
    net, view = Network(seed=1, depth=2, width=4), View(2048, 2048)
    backend = SlowBackend(clock, 34.0 / (2048 * 2048))          # a 34 s picture
    seen = []
    rows = 0
    for band in pipeline.bands(Recipe(net, view), backend, lambda done: seen.append((clock.t, done)), clock=clock):
        rows += band.shape[0]
    assert rows == 2048 and seen[-1] == (clock.t, 2048)
    times = [0.0] + [t for t, _ in seen]
    assert max(b - a for a, b in zip(times, times[1:])) <= 1.0
    assert len(seen) < 200                                       # not row by row


def test_fast_pictures_grow_to_the_largest_band():
    clock = Clock()
    sizes = []
    for r0, n in paced(10000, 500, clock=clock):
        sizes.append(n)
        clock.t += 1e-6 * n
    assert sum(sizes) == 10000 and sizes[0] == 8 and max(sizes) == 500
