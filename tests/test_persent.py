"""PerSenT evaluation: loading and refusing files, repairing the released text, and the article-level
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
FLOOR = 0.33
PARAGRAPH_FLOOR = 0.25
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


def test_restore_text_undoes_the_stripping() -> None:
    assert (
        persent.restore_text("In 2006  Ann Lee paid $1 500  then left.", "Bo Ray")
        == "In 2006, Ann Lee paid $1,500, then left."
    )
    assert persent.restore_text('"I agree " Lee said.', "Bo Ray") == '"I agree," Lee said.'
    assert persent.restore_text("One sentence.  Another.", "Bo Ray") == "One sentence. Another."


def test_restore_text_tells_padded_mentions_from_commas() -> None:
    # the release pads the target's mentions (pronouns too) with a space on each side
    assert persent.restore_text("Later  Lee  sold  his  shares.", "Ann Lee") == "Later Lee sold his shares."
    assert persent.restore_text("Ann Lee   the founder  left.", "Ann Lee") == "Ann Lee, the founder, left."
    assert persent.restore_text("from  Lee ’ old mark", "Ann Lee") == "from Lee' old mark"


def test_restore_text_repairs_utf8_read_as_latin1() -> None:
    garbled = "Lee’s firm".encode().decode("latin-1")
    assert persent.restore_text(garbled, "Ann Lee") == "Lee's firm"


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
    # measured 2026-11-22: documents 0.43 (4 negatives only, so noisy), paragraphs 0.36 (with
    # the first interim aggregator); the floors sit below with room for that noise
    assert result.f1_macro >= FLOOR
    assert result.paragraph_n > 200
    assert result.paragraph_f1_macro >= PARAGRAPH_FLOOR
    data = result.to_dict()
    assert {"dataset", "n", "f1_macro", "accuracy", "unfound", "paragraph_f1_macro"} <= set(data)


def test_shipped_judge_file_loads_offline_and_orders_articles() -> None:
    from stance.judgment import JUDGE_FILE, Aggregator, ParagraphView, SentenceView, judge_views

    model = Aggregator.read(JUDGE_FILE)

    def article(probs: tuple[float, float, float]) -> float:
        views = [SentenceView(k, probs, own=True, subject=k == 0, lead=k < 2) for k in range(4)]
        paragraphs = [ParagraphView(k, probs, lead=k < 2) for k in range(3)]
        judged = judge_views(views, paragraphs, 12, model)
        assert sum(judged.probs.values()) == pytest.approx(1.0)
        assert judged.evidence and set(judged.evidence) <= set(range(4))
        return judged.probs["positive"] - judged.probs["negative"]

    assert article((0.8, 0.15, 0.05)) < article((0.1, 0.8, 0.1)) < article((0.05, 0.15, 0.8))
