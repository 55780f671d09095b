"""stance: how news outlets treat the same parties, measured with a zero-shot NLI model.

``stance.compare(text_a, text_b, ...)`` and ``stance.analyse(documents, ...)`` return a
:class:`stance.result.Comparison`; ``stance.score_article(text, parties, ...)`` scores one
article. They are imported on first use, so ``import stance`` (and ``stance --help``)
stays fast.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# torch's OpenMP threads spin between operations by default. When another process holds a
# core, spinning threads wait on each other: next to one busy neighbour a cold `stance
# compare` took 12.7 s instead of 7.0 s with passive waiting, and on an idle machine both
# took 5.2 s (2-core development machine, medians of 5). It must be set before torch is
# imported, which happens lazily after `import stance`, so the CLI and API users alike get
# it; a value the user set wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from stance import thinc_without_torch  # noqa: E402
from stance.errors import StanceError  # noqa: E402

# spaCy's thinc would import torch for layers stance never runs; see the module.
thinc_without_torch.install()

__version__ = "0.1.0"
__all__ = ["Document", "PartySpec", "StanceError", "analyse", "compare", "score_article", "study"]

if TYPE_CHECKING:
    from stance.annotate import score_article
    from stance.inputs import Document
    from stance.parties import PartySpec
    from stance.pipeline import analyse, compare
    from stance.studies import study

_LAZY = {
    "analyse": "stance.pipeline",
    "compare": "stance.pipeline",
    "score_article": "stance.annotate",
    "PartySpec": "stance.parties",
    "Document": "stance.inputs",
    "study": "stance.studies",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'stance' has no attribute {name!r}")
