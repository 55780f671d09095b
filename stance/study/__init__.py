"""Studies: many events, each told by several outlets, analysed into Parquet tables and a report.

``stance.study(corpus, out)`` (:func:`stance.study.run.study`) reads the corpus
(:mod:`.corpus`), runs each event through the compare pipeline (:mod:`.event`) on an
engine (:mod:`.engines`), keeps finished events (:mod:`.store`), and writes the tables
(:mod:`.tables`) and ``report.html`` (:mod:`.report`).
"""

import sys
import types

from stance.study.run import StudySummary, study

__all__ = ["StudySummary", "study"]


class _CallableModule(types.ModuleType):
    """Once this subpackage is imported, ``stance.study`` names it rather than the function,
    so the package itself is callable: ``stance.study(corpus, out)`` works either way."""

    def __call__(self, *args, **kwargs) -> StudySummary:
        return study(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
