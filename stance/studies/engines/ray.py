"""A study on a Ray cluster (``stance study … --engine ray [--address ADDR]``).

Each Ray actor is one warmed worker: its constructor loads the NLI model, spaCy and the
embedder once (:func:`stance.studies.engines.workers.warm`), and it then runs the study's
per-event function for every event it is sent. Plain actors rather than Ray Data's
``map_batches``: an event is seconds of work and a study at most some thousands of them,
so Ray Data's block scheduling buys nothing, costs seconds of start-up per run, and would
move the writing of results away from the driver, where the study store needs it for
resumability. The driver keeps two events per actor in flight (one running, one queued
so the actor never idles), takes results as they finish, and writes each through the
store at once; a killed driver loses only the events in flight.

Without ``--address`` a local Ray instance is started for the run (as many actors as
cores); with it, the driver joins that cluster and places one actor per CPU it offers.
Every node needs the same Python, torch and ``stance`` installed (see the README's
"Scaling out"). Ray is imported only here, so the local engine never loads it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from stance.errors import StanceError
from stance.studies.engines.workers import warm

T = TypeVar("T")
R = TypeVar("R")

#: Restarts of a lost actor, and reruns of an event whose actor was lost, before the run stops.
RETRIES = 2


class _Worker:
    """One Ray actor: loads the models once, then runs whatever per-event function it gets."""

    def __init__(self, threads: int) -> None:
        warm(threads)

    def run(self, fn: Callable[[T], R], task: T) -> R:
        return fn(task)


class RayEngine:
    """``actors`` warmed actors of one CPU each (at most one per CPU of the cluster), on the
    cluster at ``address`` or on a local instance started for the run."""

    def __init__(self, actors: int | None, address: str | None) -> None:
        import ray

        self._ray = ray
        options: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": True}
        if address is None:
            options |= {"num_cpus": actors, "include_dashboard": False}
        try:
            ray.init(address=address, **options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise StanceError(f"cannot start or reach Ray at {address or 'localhost'}: {exc}") from exc
        cpus = int(ray.cluster_resources().get("CPU", 0))
        # Never more actors than CPUs: an actor that cannot be placed would hold its events forever.
        count = min(actors or cpus, cpus)
        if count < 1:
            ray.shutdown()
            raise StanceError(f"the Ray cluster at {address or 'localhost'} offers no CPU for actors")
        # A node lost mid-run restarts its actors elsewhere and reruns their events: an
        # event only becomes a result when the driver stores it, so a rerun is harmless.
        actor = ray.remote(num_cpus=1, max_restarts=RETRIES, max_task_retries=RETRIES)(_Worker)
        self.actors = [actor.remote(1) for _ in range(count)]

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        ray = self._ray
        source = iter(tasks)
        owner: dict[Any, Any] = {}  # in-flight result ref -> the actor running it

        def feed(actor: Any) -> None:
            for task in source:
                owner[actor.run.remote(fn, task)] = actor
                return

        for _ in range(2):
            for actor in self.actors:
                feed(actor)
        try:
            while owner:
                [ref], _ = ray.wait(list(owner), num_returns=1)
                actor = owner.pop(ref)
                try:
                    result = ray.get(ref)
                except ray.exceptions.RayActorError as exc:
                    raise StanceError(f"a Ray worker died {RETRIES + 1} times ({exc}); rerun to resume") from exc
                feed(actor)
                yield result
        finally:
            for ref in owner:
                ray.cancel(ref)

    def close(self) -> None:
        """Stop the actors and disconnect (a local instance started for the run stops with it)."""
        for actor in self.actors:
            self._ray.kill(actor)
        self._ray.shutdown()


def make(workers: int | None = None, address: str | None = None) -> RayEngine:
    try:
        import ray  # noqa: F401
    except ImportError as exc:
        raise StanceError("--engine ray needs Ray: pip install 'stance[ray]'") from exc
    if workers is not None and workers < 1:
        raise StanceError(f"--workers must be at least 1, not {workers}")
    return RayEngine(workers, address)
