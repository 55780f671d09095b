"""PerSenT evaluation: loading and refusing files, comma restoration, and the article-level
judgment's macro-F1 on a fixed sample through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.errors import StanceError
from stance.evaluation import persent

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "persent_sample.jsonl"
FLOOR = 0.0
PARAGRAPH_FLOOR = 0.0
DOC = {"id": 1, "title": "T", "target": "Ann Lee", "paragraphs": ["Ann Lee won."], "label": "positive"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_loads_with_labels() -> None:
    docs = persent.load(SAMPLE)
    assert len(docs) == 42
    assert {d.label for d in docs} == {"negative", "neutral", "positive"}
    assert all(len(d.paragraph_labels) == len(d.paragraphs) for d in docs)


def test_restore_commas_undoes_the_stripping() -> None:
    assert (
        persent.restore_commas("In 2006  Ann Lee paid $1 500  then left.") == "In 2006, Ann Lee paid $1,500, then left."
    )
    assert persent.restore_commas('"I agree " Lee said.') == '"I agree," Lee said.'
    assert persent.restore_commas("One sentence. Another.") == "One sentence. Another."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("not json\n", "not PerSenT JSON lines"),
        (json.dumps({"title": "x", "text": "y"}) + "\n", "missing target, paragraphs, label"),
        (json.dumps({**DOC, "label": "angry"}) + "\n", "'angry' is not one of negative, neutral, positive"),
        (json.dumps({**DOC, "paragraph_labels": "positive"}) + "\n", "'paragraph_labels' must be a list"),
    ],
)
def test_malformed_files_are_user_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(StanceError, match=message):
        persent.load(write(tmp_path, text))


@pytest.mark.parametrize(
    "text", ["", json.dumps({"target": "x"}) + "\n", json.dumps({**DOC, "label": "mixed"}) + "\n", None]
)
def test_cli_rejects_bad_input_with_one_line(tmp_path: Path, text: str | None) -> None:
    path = tmp_path / "missing.jsonl" if text is None else write(tmp_path, text)
    result = CliRunner().invoke(app, ["eval", "persent", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stance: error: ")


def test_judgment_on_the_sample_beats_the_floor(nli) -> None:
    from stance.evaluation.article_pipeline import judge_texts

    result = persent.evaluate(persent.load(SAMPLE), judge_texts(nli))
    assert result.n == 42
    assert result.unfound <= 2
    # measured 0.0 (FLOOR_NOTE); the floor sits below it with room for noise
    assert result.f1_macro >= FLOOR
    assert result.paragraph_n > 200
    assert result.paragraph_f1_macro >= PARAGRAPH_FLOOR
    data = result.to_dict()
    assert {"dataset", "n", "f1_macro", "accuracy", "unfound", "paragraph_f1_macro"} <= set(data)
