"""The default engine: every task in this process, one after another."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from stance.errors import StanceError

T = TypeVar("T")
R = TypeVar("R")


class LocalEngine:
    """Runs tasks in order in the calling process; models load once and stay loaded."""

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        """Nothing to release."""


def make(workers: int | None = None, address: str | None = None) -> LocalEngine:
    if address is not None:
        raise StanceError("--address is for --engine ray")
    if workers not in (None, 1):
        raise StanceError("the local engine runs one process; use --engine workers --workers N")
    return LocalEngine()
