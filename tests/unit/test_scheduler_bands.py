"""The scheduler's bands leave room for the rest of the frame, and a refused picture stops (fake clock)."""
from glnn.app.interaction import BAND_BUDGET_S, BAND_MIN_S
from glnn.app.scheduler import Scheduler


def test_bands_leave_room_for_the_frame_and_grow_under_load():
    s = Scheduler(lambda: 0.0)
    assert s.band_budget == BAND_BUDGET_S
    for _ in range(20):
        s.tell_overhead(0.01)
    assert abs(s.band_budget - (BAND_BUDGET_S - 0.01)) < 1e-3
    for _ in range(20):
        s.tell_overhead(0.06)                       # a loaded machine: drawing takes 60 ms
    assert abs(s.band_budget - 0.12) < 1e-3 and s.band_budget > BAND_MIN_S


def test_abandon_stops_the_bands_and_keeps_the_rows():
    t = [0.0]
    s = Scheduler(lambda: t[0])
    s._speed["k"] = 1e-9
    draft = s.next_step("a", (100, 1000), "k", 1000)
    assert draft.kind == "draft"
    s.finished(draft, "k", 1000, 0.1, False)        # slow: the full picture in several bands
    t[0] += 1.0                                      # the user paused
    step = s.next_step("a", (100, 1000), "k", 1000)
    assert step.kind == "band"
    s.finished(step, "k", 1000, 0.05, False)
    done = s.rows_done
    assert s.refining and 0 < done < 1000
    s.abandon()
    assert not s.refining and s.next_step("a", (100, 1000), "k", 1000) is None and s.rows_done == done
    assert s.next_step("b", (100, 1000), "k", 1000) is not None and s.refining   # a new picture starts over


def test_gl_bands_come_in_pairs_of_rows():
    t = [0.0]
    s = Scheduler(lambda: t[0])
    s._speed["k"] = 1.0                                  # so slow that a band would be one row
    s.finished(s.next_step("a", (100, 9), "k", 1, force_full=True), "k", 1, 900.0, False)
    s.next_step("b", (100, 9), "k", 1)                   # a draft first
    s.shown = "full"
    t[0] += 1.0
    starts = []
    while s.refining:
        band = s.next_step("b", (100, 9), "k", 1, rows_multiple=2)
        starts.append((band.first, band.rows))
        s.finished(band, "k", 1, 100.0 * band.rows, False)
    assert starts == [(0, 2), (2, 2), (4, 2), (6, 2), (8, 1)]
