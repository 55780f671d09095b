"""Execution engines: where the per-event work of a study runs.

An engine maps a module-level, picklable function over tasks and yields results as they
finish, in any order; the study store makes the outcome independent of that order. Each
engine is one module in this package, imported only when chosen, so the local default
never imports Ray or starts processes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

from stance.errors import StanceError

T = TypeVar("T")
R = TypeVar("R")

#: Engine name -> module in this package that defines ``make(workers, address) -> Engine``.
ENGINES = {"local": "local", "workers": "workers", "ray": "ray"}


class Engine(Protocol):
    """Runs ``fn`` on every task; yields each result once, as soon as it is ready.

    ``fn`` must be a module-level function and tasks and results picklable, so that an
    engine may run them in other processes or on other machines. A worker loads the models
    once (``stance.nli.load`` caches per process) and keeps them for the tasks it gets.
    """

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None:
        """Release processes or cluster connections; the local engine has none."""
        ...


def get(name: str = "local", *, workers: int | None = None, address: str | None = None) -> Engine:
    """The engine called ``name``, built for ``workers`` processes / a Ray ``address``."""
    if name not in ENGINES:
        raise StanceError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")
    try:
        module = importlib.import_module(f"{__name__}.{ENGINES[name]}")
    except ImportError as exc:
        raise StanceError(f"engine {name!r} is not available here ({exc})") from exc
    return module.make(workers=workers, address=address)
