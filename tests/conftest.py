"""Shared fixtures: real models, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Labelled data beside the checkout (CI has it); tests that need more than the fixtures skip without it.
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def nli():
    from stance.nli import load

    return load()


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    return {p.stem: p for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def parsed_seeds(seeds):
    """The seeds cleaned and parsed, CGTN first (the order the stage tests expect)."""
    from stance.sentences import parse

    return [
        parse(seeds[name].read_text(encoding="utf-8"), label, None)
        for name, label in (("cgtn-2019", "cgtn"), ("alarabiya-2020", "alarabiya"))
    ]
