"""spaCy without torch: keep thinc from importing torch where stance does not run it.

thinc, spaCy's machine-learning library, imports torch on its own import whenever torch is
installed, for GPU arrays and PyTorch-wrapped layers. The English pipeline stance runs
(``en_core_web_sm``) is thinc's CPU network and needs neither, yet that import was 2.0 s of
the 3.2 s a cold ``stance compare`` spent importing (2-core development machine, under load),
and it made every path pay for torch, including the ONNX Runtime ones that never use it.

So, in a process that has not imported torch by then, ``import torch`` fails while
``thinc.compat`` (where thinc probes for it) runs, exactly as on a machine without torch;
thinc then takes the code path it takes there. torch itself stays importable afterwards:
the torch NLI paths import it when they load a model, and only thinc's view is affected
(a spaCy pipeline built on PyTorch layers, such as spacy-transformers, would need torch
imported before spaCy).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

#: Where thinc decides whether torch is there.
PROBE = "thinc.compat"


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``thinc.compat`` as usual and wraps its loader; does nothing for other modules."""

    def find_spec(self, fullname: str, path=None, target=None) -> importlib.machinery.ModuleSpec | None:
        if fullname != PROBE:
            return None
        sys.meta_path.remove(self)  # thinc.compat loads once per process
        if "torch" in sys.modules:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _WithoutTorch(spec.loader)
        return spec


class _WithoutTorch(importlib.abc.Loader):
    """Runs a module with ``import torch`` failing, as if torch were not installed."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        sys.modules["torch"] = None  # makes `import torch` raise ImportError
        try:
            self.loader.exec_module(module)
        finally:
            if "torch" in sys.modules and sys.modules["torch"] is None:
                del sys.modules["torch"]

    def __getattr__(self, name: str):
        return getattr(self.loader, name)  # get_source, get_filename … for tracebacks and inspect


def install() -> None:
    """Apply the rule above to the next import of thinc (once; a second call does nothing)."""
    if "thinc.compat" not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
