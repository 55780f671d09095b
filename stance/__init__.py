"""stance: how news outlets treat the same parties, measured with a zero-shot NLI model.

``stance.compare(text_a, text_b, ...)`` returns a :class:`stance.result.Comparison`;
``stance.score_article(text, parties, ...)`` scores one article. Both are imported on
first use, so ``import stance`` (and ``stance --help``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["compare", "score_article"]

if TYPE_CHECKING:
    from stance.annotate import score_article
    from stance.pipeline import compare


def __getattr__(name: str) -> Any:
    if name == "compare":
        from stance.pipeline import compare

        return compare
    if name == "score_article":
        from stance.annotate import score_article

        return score_article
    raise AttributeError(f"module 'stance' has no attribute {name!r}")
