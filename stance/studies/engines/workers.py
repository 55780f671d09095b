"""N processes on this machine, each loading the models once (``stance study --workers N``).

A study is many independent events, each a few seconds of spaCy parsing and model calls,
so the simplest speed-up is one process per core. The processes are spawned, never
forked (forking after torch has started its thread pool can deadlock the child), and not
from a fork server either, which outlives a driver killed with ``kill -9`` and keeps its
children alive. Each process warms the NLI model, spaCy
and the embedder in its initializer and keeps them for every event it gets, and gets its
share of the cores as torch threads (one each with two processes on two cores), since N
processes each running as many threads as there are cores only wait for each other.

Results come back as they finish, in any order; the driver writes each through the study
store at once, so a killed run loses only the events still in flight.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from stance.errors import StanceError

T = TypeVar("T")
R = TypeVar("R")

#: Environment variables that size the thread pools of torch (OpenMP, MKL) and of the
#: Hugging Face tokenizers (Rayon); they must be set before those libraries load.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS")


def cores() -> int:
    """Cores this process may run on (the affinity mask, which containers narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads_per_worker(workers: int, available: int | None = None) -> int:
    """Torch threads for each of ``workers`` processes sharing ``available`` cores."""
    return max(1, (available or cores()) // max(1, workers))


def warm(threads: int, driver: int | None = None) -> None:
    """Size this process's thread pools, then load the models every event needs.

    Runs once per worker before its first task (a process pool initializer, a Ray actor's
    constructor); a pool worker also watches its ``driver`` and exits with it.
    ``stance.nli.load`` and friends cache per process, so the events that follow reuse
    what is loaded here.
    """
    if driver is not None:
        _exit_with(driver)
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false" if threads == 1 else "true")
    # torch reads the variables when it loads; one already loaded is told (ONNX paths never load it).
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
    from stance import alignment, nli, sentences

    nli.load()
    sentences.nlp()
    alignment.load_model()


def _exit_with(driver: int, every: float = 1.0) -> None:
    """Exit once the ``driver`` process is gone (killed with ``kill -9``): a pool worker
    otherwise waits forever on its task queue (whose write end it holds itself), keeping
    its models in memory."""

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(driver, 0)
            except (ProcessLookupError, PermissionError):  # gone, or its pid now someone else's
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-driver", daemon=True).start()


class WorkersEngine:
    """A pool of ``workers`` warmed processes; keeps at most two tasks per process queued."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=warm,
            initargs=(threads_per_worker(workers), os.getpid()),
        )

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        # Bounded submission: the corpus may be large and lazily read, and a task queued in
        # the pool is lost work when the run is killed, so only 2 per process wait there.
        pending: set[Future[R]] = set()
        source = iter(tasks)
        try:
            while True:
                for task in source:
                    pending.add(self._pool.submit(fn, task))
                    if len(pending) >= 2 * self.workers:
                        break
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        except BrokenProcessPool as exc:
            raise StanceError(f"a worker process died ({exc}); rerun the same command to resume") from exc
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        """Stop the worker processes (tasks already running are finished first)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def make(workers: int | None = None, address: str | None = None) -> WorkersEngine:
    if address is not None:
        raise StanceError("--address is for --engine ray")
    if workers is not None and workers < 1:
        raise StanceError(f"--workers must be at least 1, not {workers}")
    return WorkersEngine(workers or cores())
