"""Studies: many events, each told by several outlets, analysed into Parquet tables and a report.

``stance.study(corpus, out)`` (:func:`stance.studies.run.study`) reads the corpus
(:mod:`.corpus`), runs each event through the compare pipeline (:mod:`.event`) on an
engine (:mod:`.engines`), keeps finished events (:mod:`.store`), and writes the tables
(:mod:`.tables`) and ``report.html`` (:mod:`.report`).
"""

from stance.studies.run import StudySummary, study

__all__ = ["StudySummary", "study"]
