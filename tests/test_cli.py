"""Every command meets bad input with one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES
from typer.testing import CliRunner

from stance.cli import app

runner = CliRunner()


def _bad_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le président Macron a critiqué la décision.".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    return {
        "missing": (tmp_path / "nope.txt", "no such file"),
        "directory": (tmp_path, "directory"),
        "empty": (empty, "empty"),
        "binary": (binary, "binary"),
        "non-utf8": (latin, "UTF-8"),
        "huge": (huge, "too large"),
    }


def _assert_one_line_error(result, needle: str) -> None:
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("stance: error:") and needle.lower() in lines[0].lower(), lines[0]


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "non-utf8", "huge"])
def test_eval_newsmtsc_rejects_bad_files(tmp_path, case):
    path, needle = _bad_files(tmp_path)[case]
    _assert_one_line_error(runner.invoke(app, ["eval", "newsmtsc", str(path)]), needle)


def test_eval_newsmtsc_rejects_a_malformed_json_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = (FIXTURES / "newsmtsc_dev_rw_sample.jsonl").read_text().splitlines()[0]
    bad.write_text(good + "\n{not json\n")
    _assert_one_line_error(runner.invoke(app, ["eval", "newsmtsc", str(bad)]), "not NewsMTSC")


def test_eval_newsmtsc_json_has_the_documented_keys(tmp_path):
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join((FIXTURES / "newsmtsc_dev_rw_sample.jsonl").read_text().splitlines()[:12]) + "\n")
    result = runner.invoke(app, ["eval", "newsmtsc", str(small), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["dataset"].startswith("newsmtsc")
    assert data["n"] >= 12
    assert 0.0 <= data["f1_macro"] <= 1.0 and 0.0 <= data["accuracy"] <= 1.0


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "non-utf8", "huge"])
def test_score_rejects_bad_files(tmp_path, case):
    path, needle = _bad_files(tmp_path)[case]
    _assert_one_line_error(runner.invoke(app, ["score", str(path), "--party", "Haftar"]), needle)


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "non-utf8", "huge"])
def test_compare_rejects_bad_files(tmp_path, seeds, case):
    path, needle = _bad_files(tmp_path)[case]
    good = str(next(iter(seeds.values())))
    _assert_one_line_error(runner.invoke(app, ["compare", good, str(path)]), needle)


def test_compare_rejects_the_same_file_twice(seeds):
    good = str(next(iter(seeds.values())))
    _assert_one_line_error(runner.invoke(app, ["compare", good, good]), "twice")


def test_compare_rejects_the_same_text_in_two_files(tmp_path, seeds):
    text = next(iter(seeds.values())).read_text()
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.txt").write_text(text + "\n")
    _assert_one_line_error(
        runner.invoke(app, ["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]), "same text"
    )


def test_compare_with_no_party_in_common_says_so(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Angela Merkel met French officials in Berlin on Monday to discuss energy prices.\n")
    b.write_text("Shares of Toyota rose in Tokyo after the carmaker reported strong quarterly sales.\n")
    _assert_one_line_error(runner.invoke(app, ["compare", str(a), str(b)]), "no party is named in both")


def test_score_prints_each_mention_with_its_stance(seeds):
    path = seeds["cgtn-2019"]
    result = runner.invoke(
        app, ["score", str(path), "--party", "Khalifa Haftar=Haftar", "--json", "--label", "supports a ceasefire"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["parties"] == ["Khalifa Haftar"]
    assert len(data["mentions"]) >= 3
    for m in data["mentions"]:
        assert m["sentence_text"][m["start"] : m["end"]] == m["text"]
        assert m["party"] == "Khalifa Haftar" and m["voice"] in {"own", "quoted"}
        assert -1.0 <= m["score"] <= 1.0
        assert set(m["labels"]) == {"supports a ceasefire"}


def test_a_real_process_prints_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "stance", "compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


def test_eval_basil_runs_the_real_pipeline_and_reports_the_documented_keys():
    result = runner.invoke(app, ["eval", "basil", str(FIXTURES / "basil"), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["dataset"] == "basil" and data["n_articles"] == 6
    assert data["n_pairs"] > 0 and 0.0 <= data["pairwise_accuracy"] <= 1.0
    assert 0.0 <= data["article_f1_macro"] <= 1.0 and 0.0 <= data["descriptor_recall"] <= 1.0
    # Every main entity of the fixture is found in every article (name variants included).
    assert data["entities_unmentioned"] == 0


def test_eval_basil_rejects_a_folder_that_is_not_basil(tmp_path):
    _assert_one_line_error(runner.invoke(app, ["eval", "basil", str(tmp_path)]), "basil")


def test_same_file_name_in_two_folders_gets_folder_labels(tmp_path, seeds):
    for outlet, seed in (("one", "alarabiya-2020"), ("two", "cgtn-2019")):
        (tmp_path / outlet).mkdir()
        (tmp_path / outlet / "story.txt").write_text(seeds[seed].read_text())
    result = runner.invoke(
        app, ["compare", str(tmp_path / "one" / "story.txt"), str(tmp_path / "two" / "story.txt"), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert [a["label"] for a in json.loads(result.stdout)["articles"]] == ["one/story", "two/story"]


def test_compare_says_when_neither_outlet_names_a_given_party(seeds):
    args = ["compare", str(seeds["alarabiya-2020"]), str(seeds["cgtn-2019"]), "--only-given"]
    result = runner.invoke(
        app, [*args, "--party", "Khalifa Haftar=Haftar", "--party", "Nobody Atall"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.stderr
    assert "named by neither" in result.stdout
