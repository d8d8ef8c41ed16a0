"""Local workers that die: every task is delivered once, in order, whichever call finds the pool broken (a
stand-in pool: the unit tier starts no process; tests/system/test_grid.py kills a real worker)."""
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from glnn.explore.batch import RETRIES, LocalProcesses
from glnn.errors import GlnnError


class BreakingPool:
    """Runs tasks at once; `breaks` says which submit() calls (counted over every pool) raise, as a pool whose
    worker died does; in_result: which results raise instead."""

    def __init__(self, log, breaks=(), in_result=()):
        self.log, self.breaks, self.in_result = log, breaks, in_result

    def submit(self, fn, task):
        self.log.append(task)
        n = len(self.log)
        if n in self.breaks:
            raise BrokenProcessPool("a worker died")
        fut = Future()
        if n in self.in_result:
            fut.set_exception(BrokenProcessPool("a worker died"))
        else:
            fut.set_result(fn(task))
        return fut

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def run(monkeypatch, tasks, window, **breaking):
    log = []
    ex = LocalProcesses(2, window=window)
    monkeypatch.setattr(ex, "_new_pool", lambda: BreakingPool(log, **breaking))
    with ex:
        return list(ex.map(lambda t: t * 10, tasks)), ex.restarts


@pytest.mark.parametrize("breaks", [(1,), (2,), (3,), (5,), (2, 4)])
@pytest.mark.parametrize("window", [1, 2, 3])
def test_a_task_whose_submit_finds_the_pool_broken_runs_again(monkeypatch, breaks, window):
    results, restarts = run(monkeypatch, range(6), window, breaks=breaks)
    assert results == [t * 10 for t in range(6)] and restarts == len(breaks)


@pytest.mark.parametrize("window", [1, 3])
def test_a_result_that_finds_the_pool_broken_runs_again(monkeypatch, window):
    results, restarts = run(monkeypatch, range(5), window, in_result=(2,))
    assert results == [t * 10 for t in range(5)] and restarts == 1


def test_workers_that_keep_dying_end_in_one_error(monkeypatch):
    with pytest.raises(GlnnError, match="died"):
        run(monkeypatch, range(3), 2, breaks=tuple(range(1, 3 * (RETRIES + 2))))
