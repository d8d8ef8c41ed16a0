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
import multiprocessing.connection
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
# after a SIGKILL the tracker cleans up the pool's semaphores and warns of them: expected, so not said
TRACKER_QUIET = "ignore:resource_tracker:UserWarning"


# ------------------------------------------------------------------ tasks
def render_cell(task: Recipe) -> np.ndarray:
    """A task is a recipe (its backend chosen; picklable: a network drawn from its seed travels as its
    hyperparameters). The cell's 8-bit picture, (h, w, 3) or (h, w) for gray: what glnn render writes for it.
    The network is drawn into a copy: the task (held by its caller, a sheet's every cell) keeps no weights."""
    return pixels(dataclasses.replace(task, network=dataclasses.replace(task.network)))


def _init_worker() -> None:
    """A worker's start: one BLAS thread (numpy is loaded by now, so its OpenBLAS is told directly: a pool spawns
    its processes lazily, after the parent's environment is back as it was), and a watch on its parent.
    SIGTERM sent to the whole process group (kill -- -PGID, a service manager) is the parent's to handle, as
    Ctrl-C is: it stops the pool, and each worker leaves between tasks. A worker killed while it sends a result
    leaves half a message in the pool's pipe, and the pool's shutdown then waits for the rest for ever."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})   # blocked from its start (_sigterm_blocked)
    os.environ.update(WORKER_ENV)
    blas = find_openblas()
    if blas:
        blas[1](1)
    _exit_with_parent()


def _exit_with_parent() -> None:
    """A worker whose parent is gone (SIGKILL, out of memory) exits at once: a pool's worker otherwise waits on its
    task queue for ever (each holds that queue's write end too, so it never sees an end of file). A spawned child
    has its parent's sentinel, a pipe only the parent writes to: it reads as ended the moment the parent dies."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch():
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)   # nothing to flush: the results had nowhere to go

    threading.Thread(target=watch, name="glnn-parent-watch", daemon=True).start()


# ------------------------------------------------------------------ executors
class Executor:
    """In this process (workers=1)."""
    name = "serial"

    @property
    def label(self) -> str:
        """What the summary line says of the executor (a Dask cluster's dashboard with it)."""
        return self.name

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
        # the children start with one BLAS thread; multiprocessing's resource tracker (started here, with the
        # pool's first lock) outlives a killed glnn and would print a warning with a file path into its terminal
        env = dict(WORKER_ENV, PYTHONWARNINGS=",".join(filter(None, (
            TRACKER_QUIET, os.environ.get("PYTHONWARNINGS")))))
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
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
                with _sigterm_blocked():   # a submit may start a worker: it starts with SIGTERM held
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
def _sigterm_blocked():
    """Processes started in this block start with SIGTERM blocked (a signal mask survives exec), until their
    _init_worker ignores it: a process group's SIGTERM during a worker's start (a second or two) must not kill it.
    This thread holds a SIGTERM meanwhile; Python still runs this process's handler (another thread takes it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


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
        self.dashboard: Optional[str] = None   # a local cluster's dashboard (bokeh installed): its address
        try:
            if address.startswith("local:"):
                try:
                    n = int(address.split(":", 1)[1])
                except ValueError:
                    n = 0
                if not 1 <= n <= 256:
                    raise GlnnError(f"--dask {address!r}: local:N with N workers from 1 to 256")
                # the scheduler always serves HTTP (its health routes, and the dashboard when bokeh is
                # installed): on a free port of 127.0.0.1, never 8787 (another cluster's: distributed warned)
                with _children_ignore_sigint():
                    self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                                silence_logs=logging.ERROR, env=dict(WORKER_ENV))
                self.client = Client(self.cluster)
                self.dashboard = _dashboard_link(self.client)
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

    @property
    def label(self) -> str:
        return f"dask, dashboard {self.dashboard}" if self.dashboard else "dask"

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


def _dashboard_link(client) -> Optional[str]:
    """The local cluster's dashboard address, or None without bokeh (its HTTP server then serves no dashboard)."""
    try:
        import distributed.dashboard.scheduler  # noqa: F401  (bokeh)
    except ImportError:
        return None
    try:
        return client.dashboard_link
    except Exception:   # no dashboard service after all
        return None


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
