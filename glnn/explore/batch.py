"""Batch work: the same tasks in this process, in local worker processes, or on a Dask cluster, results in order.

`Executor.map(fn, tasks)` yields fn(task) for each task in order while at most `window` tasks are in flight, so
results stream to their writer in bounded memory. Workers are processes (one BLAS thread and one CPU-backend
thread each, their own engine and GL context), from concurrent.futures or Dask distributed: no scheduler of our
own. A local worker that dies (killed, out of memory) breaks concurrent.futures' pool: the unfinished tasks run
again in a new pool, up to RETRIES times. Dask reschedules a dead worker's tasks itself. Tasks are pure: the
same task gives the same bytes anywhere on the same backend, so the output equals a serial run's.
"""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import itertools
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, Optional

import numpy as np

from ..backends.cpu import find_openblas, usable_cpus
from ..errors import GlnnError
from ..rendering.pipeline import pixels
from ..io.recipe import Recipe

RETRIES = 3
CONNECT_TIMEOUT_S = 5
HANDSHAKE_TIMEOUT_S = 4   # a scheduler's first words (speaks_dask): with Python's start, exit 2 within 10 s
WORKER_ENV = {"GLNN_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
INSTALL_DASK = "pip install 'glnn[dask]'"


# ------------------------------------------------------------------ tasks
def render_cell(task: Recipe) -> np.ndarray:
    """A task is a recipe (its backend chosen; picklable: a network drawn from its seed travels as its
    hyperparameters). The cell's 8-bit picture, (h, w, 3) or (h, w) for gray: what glnn render writes for it.
    The network is drawn into a copy: the task (held by its caller, a sheet's every cell) keeps no weights."""
    return pixels(dataclasses.replace(task, network=dataclasses.replace(task.network)))


def _init_worker() -> None:
    """A worker's start: one BLAS thread (numpy is loaded by now, so its OpenBLAS is told directly: a pool spawns
    its processes lazily, after the parent's environment is back as it was)."""
    os.environ.update(WORKER_ENV)
    blas = find_openblas()
    if blas:
        blas[1](1)


# ------------------------------------------------------------------ executors
class Executor:
    """In this process (workers=1)."""
    name = "serial"

    def map(self, fn: Callable, tasks: Iterable) -> Iterator:
        for t in tasks:
            yield fn(t)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class LocalProcesses(Executor):
    """`workers` local processes (spawned: each makes its own GL context)."""
    name = "processes"

    def __init__(self, workers: int, window: Optional[int] = None):
        self.workers = workers
        self.window = window or 4 * workers
        self.restarts = 0
        self._pool: Optional[ProcessPoolExecutor] = None

    def _new_pool(self) -> ProcessPoolExecutor:
        saved = {k: os.environ.get(k) for k in WORKER_ENV}
        os.environ.update(WORKER_ENV)   # the children start with one BLAS thread
        try:
            return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_init_worker)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def map(self, fn, tasks):
        todo = collections.deque(enumerate(tasks))
        flight: "collections.OrderedDict[int, object]" = collections.OrderedDict()
        pending = {}
        next_out = 0
        while todo or flight:
            if self._pool is None:
                self._pool = self._new_pool()
            try:
                while todo and len(flight) < self.window:
                    i, t = todo.popleft()
                    pending[i] = t
                    flight[i] = self._pool.submit(fn, t)
                i, fut = next(iter(flight.items()))
                result = fut.result()
            except BrokenProcessPool:
                self.restarts += 1
                if self.restarts > RETRIES:
                    raise GlnnError(f"local workers died {self.restarts} times; giving up") from None
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                # every task taken and not yet delivered runs again, in order, in a new pool: also the one whose
                # submit() found the pool broken (taken off the queue, never in flight)
                todo.extendleft(sorted(pending.items(), reverse=True))
                pending.clear()
                flight.clear()
                continue
            del flight[i]
            del pending[i]
            if i != next_out:   # never an incomplete or reordered result (not an assert: python -O drops those)
                raise GlnnError(f"local workers returned task {i} where task {next_out} was due")
            next_out += 1
            yield result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


@contextlib.contextmanager
def _children_ignore_sigint():
    """Processes started in this block ignore SIGINT (an ignored signal stays ignored across exec, and Python then
    installs no KeyboardInterrupt handler): Ctrl-C reaches the whole process group, and a local Dask worker would
    print its own traceback; this process stops them itself (DaskCluster.close). A Ctrl-C during the block (the
    workers' start, a second or two) is ignored. (A worker Dask restarts later does not ignore it.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class DaskCluster(Executor):
    """A Dask distributed scheduler at `address` (tcp://HOST:PORT), or `local:N`: a local cluster of N workers."""
    name = "dask"

    def __init__(self, address: str, window: Optional[int] = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise GlnnError(f"--dask needs Dask distributed: {INSTALL_DASK}") from None
        self.cluster = None
        try:
            if address.startswith("local:"):
                try:
                    n = int(address.split(":", 1)[1])
                except ValueError:
                    n = 0
                if not 1 <= n <= 256:
                    raise GlnnError(f"--dask {address!r}: local:N with N workers from 1 to 256")
                with _children_ignore_sigint():
                    self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                dashboard_address=None, silence_logs=logging.ERROR,
                                                env=dict(WORKER_ENV))
                self.client = Client(self.cluster)
            else:
                # the client's own error lines (a lost scheduler logs tracebacks) would repeat ours
                logging.getLogger("distributed").setLevel(logging.CRITICAL)
                speaks_dask(address)   # Client's own timeout misses a server that accepts and never answers
                self.client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
        except GlnnError:
            raise
        except Exception as e:   # OSError, TimeoutError, ValueError for a bad address, ...
            self.close()
            raise GlnnError(f"--dask {address!r}: cannot reach the scheduler ({type(e).__name__}: "
                            f"{str(e).splitlines()[0][:160] if str(e) else 'no answer'})") from None
        workers = len(self.client.scheduler_info().get("workers", {})) or 1
        self.window = window or 4 * workers

    def map(self, fn, tasks):
        todo = iter(tasks)
        flight = collections.deque(self.client.submit(fn, t, pure=False) for t in itertools.islice(todo, self.window))
        while flight:
            try:
                result = flight.popleft().result()
            except GlnnError:
                raise
            except Exception as e:   # the scheduler lost, a task cancelled: one line, exit 2
                if not type(e).__module__.startswith("distributed"):
                    raise
                raise GlnnError(f"--dask: the cluster failed ({type(e).__name__}: "
                                f"{str(e).splitlines()[0][:160] if str(e) else 'no reason given'})") from None
            flight.extend(self.client.submit(fn, t, pure=False) for t in itertools.islice(todo, 1))
            yield result

    def close(self) -> None:
        # the workers' heartbeats may log a traceback while a cluster shuts down (on Ctrl-C): that is no news
        for name in ("distributed", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def speaks_dask(address: str, timeout: float = HANDSHAKE_TIMEOUT_S) -> None:
    """Check that a tcp:// address (or HOST:PORT) is a Dask scheduler, within `timeout` seconds: a scheduler
    speaks first (its handshake, after a length prefix of 8 bytes, little-endian). A server that accepts and stays silent
    (or an HTTP server, which waits for a request) is an OSError saying so. Other protocols (tls://, ...) are
    left to Dask."""
    if "://" in address and not address.startswith("tcp://"):
        return
    hostport = address.split("://", 1)[-1].rstrip("/")
    host, _, port = hostport.rpartition(":")
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise OSError(f"expected tcp://HOST:PORT, not {address!r}")
    host = host.strip("[]")
    deadline = time.monotonic() + timeout
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        head = b""
        while len(head) < 8:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                part = s.recv(8 - len(head))
            except socket.timeout:
                break
            if not part:
                break
            head += part
    if len(head) < 8:
        raise OSError(f"it accepted the connection but said nothing Dask says within {timeout:g} s "
                      "(not a Dask scheduler?)")
    length = int.from_bytes(head, "little")
    if not 1 <= length <= 1 << 20:
        raise OSError("it does not speak Dask's protocol (not a Dask scheduler?)")


SMALL_JOB = 8   # tasks: fewer stay in this process unless --workers asks (starting workers costs a second)


def executor(workers: Optional[int] = None, dask: Optional[str] = None, tasks: Optional[int] = None,
             log: Optional[Callable[[str], None]] = None) -> Executor:
    """What --workers and --dask ask for: Dask when given, else `workers` local processes (default: every core,
    but a job of under SMALL_JOB tasks stays in this process; 1: this process). More workers than cores (each
    holds a GL context and a network: about 40 MB) are capped at the cores, and `log` (default: standard error)
    says so in one line."""
    if workers is not None and workers < 1:
        raise GlnnError(f"--workers must be at least 1, not {workers}")
    cores = usable_cpus()
    if workers is not None and workers > cores and not dask:
        (log or (lambda m: print(m, file=sys.stderr)))(
            f"glnn: --workers {workers:,}: this machine has {cores} core{'s' if cores != 1 else ''}; using {cores}")
        workers = cores
    if dask:
        if workers is not None:
            raise GlnnError("--workers and --dask cannot be combined (the cluster has its own workers)")
        return DaskCluster(dask)
    n = workers if workers is not None else 1 if tasks is not None and tasks < SMALL_JOB else usable_cpus()
    return Executor() if n == 1 else LocalProcesses(n)
