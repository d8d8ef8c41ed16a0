"""The window's render scheduler with a fake clock: a draft after a change, full rows once the user pauses."""
from glnn.app.scheduler import DRAFT_BUDGET_S, FIRST_DRAFT, SETTLE_S, Scheduler


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_draft_then_settle_then_bands():
    clock = Clock()
    s = Scheduler(clock)
    step = s.next_step("a", (400, 300), "gl", 1000)
    assert step.kind == "draft" and step.size == (400 // FIRST_DRAFT, 300 // FIRST_DRAFT + 1)
    assert s.finished(step, "gl", 1000, seconds=0.01, compiled=False) and s.shown == "draft"
    assert s.next_step("a", (400, 300), "gl", 1000) is None          # the user may still be moving
    clock.t += SETTLE_S
    rows = []
    while s.refining:
        band = s.next_step("a", (400, 300), "gl", 1000)
        assert band.kind == "band" and band.first == sum(rows)
        rows.append(band.rows)
        s.finished(band, "gl", 1000, seconds=band.rows * 400 * 1000 * 1e-9, compiled=False)
    assert sum(rows) == 300 and len(rows) > 1 and s.shown == "full"
    assert s.next_step("a", (400, 300), "gl", 1000) is None


def test_fast_networks_skip_the_draft_and_speeds_are_learned():
    clock = Clock()
    s = Scheduler(clock)
    s.finished(s.next_step("a", (100, 100), "cpu", 10), "cpu", 10, seconds=1e-6, compiled=False)
    assert s.seconds_per_pixel("cpu", 10) * 100 * 100 < DRAFT_BUDGET_S
    step = s.next_step("b", (100, 100), "cpu", 10)
    assert step.kind == "band" and step.rows == 100                   # fits the budget: straight to full


def test_compiles_are_not_speeds_and_force_full():
    s = Scheduler(Clock())
    step = s.next_step("a", (64, 64), "gl", 100)
    s.finished(step, "gl", 100, seconds=5.0, compiled=True)
    assert s.seconds_per_pixel("gl", 100) is None
    band = s.next_step("a", (64, 64), "gl", 100, force_full=True)
    assert band.kind == "band" and band.rows == 64 and band.first == 0
