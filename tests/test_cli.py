"""Every command meets bad input with one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

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
    lines = result.stderr.rstrip("\n").splitlines()  # a blank line before the message counts
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


def test_eval_newsmtsc_rejects_a_target_outside_its_sentence(tmp_path):
    row = json.loads((FIXTURES / "newsmtsc_dev_rw_sample.jsonl").read_text().splitlines()[0])
    row["targets"][0]["from"], row["targets"][0]["to"] = 500, 505
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row) + "\n")
    _assert_one_line_error(runner.invoke(app, ["eval", "newsmtsc", str(bad)]), "outside its sentence")


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
    needle = "too long" if case == "huge" else needle  # read as compare reads an article
    _assert_one_line_error(runner.invoke(app, ["score", str(path), "--party", "Haftar"]), needle)


@pytest.mark.parametrize("case", ["missing", "directory", "empty", "binary", "non-utf8", "huge"])
def test_compare_rejects_bad_files(tmp_path, seeds, case):
    path, needle = _bad_files(tmp_path)[case]
    needle = "too long" if case == "huge" else needle  # compare's inputs are limited in characters
    good = str(next(iter(seeds.values())))
    _assert_one_line_error(runner.invoke(app, ["compare", good, str(path)]), needle)


def test_compare_rejects_a_single_article_in_one_line(seeds):
    result = runner.invoke(app, ["compare", str(next(iter(seeds.values())))])
    assert result.exit_code == 2  # a usage error, as click gives for an unknown option
    assert result.stderr.rstrip("\n").splitlines() == ["stance: error: give at least two articles to compare"]


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
    _assert_one_line_error(runner.invoke(app, ["compare", str(a), str(b)]), "no party is named in two")


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


def test_score_rejects_an_empty_label(seeds):
    args = ["score", str(seeds["cgtn-2019"]), "--party", "Haftar", "--label", " "]
    _assert_one_line_error(runner.invoke(app, args), "--label needs words")


def test_score_reads_a_web_page_as_compare_does():
    page = Path(__file__).parent / "fixtures" / "pages" / "harbor-daily.html"
    result = runner.invoke(app, ["score", str(page), "--party", "Ana Ruiz", "--json"])
    assert result.exit_code == 0, result.stderr
    mentions = json.loads(result.stdout)["mentions"]
    assert mentions and not any("<" in m["sentence_text"] for m in mentions)


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
    assert "Not found in any article: Nobody Atall" in result.stdout


# --- issue 10: hostile text, data loss, early checks, API and conventions ----------------

#: Rich markup and bracketed editorial notes, as articles and users write them.
MARKUP_PARAGRAPH = "\n\nKhalifa Haftar called the claim [sic] [bold]false[/bold] and [/] closed the [he] file.\n"


@pytest.fixture(scope="module")
def markup_run(tmp_path_factory, seeds):
    """One real run over a seed with markup in its text, a label made of markup and a
    given party that no article names."""
    folder = tmp_path_factory.mktemp("markup")
    hostile = folder / "hostile.txt"
    hostile.write_text(seeds["alarabiya-2020"].read_text(encoding="utf-8") + MARKUP_PARAGRAPH, encoding="utf-8")
    args = ["compare", str(hostile), str(seeds["cgtn-2019"]), "--label-a", "[red]x[/red]", "--details"]
    result = runner.invoke(app, [*args, "--party", "Nobody Atall"], env={"COLUMNS": "400"})
    return result


def test_article_text_and_labels_are_printed_exactly_never_as_markup(markup_run):
    assert markup_run.exit_code == 0, markup_run.stderr + repr(markup_run.exception)
    out = markup_run.stdout
    assert "the claim [sic] [bold]false[/bold] and [/] closed the [he] file." in out
    assert "[red]x[/red]" in out


def test_a_given_party_found_nowhere_is_named_as_such(markup_run):
    assert "Not found in any article: Nobody Atall" in markup_run.stdout


def test_a_party_in_one_sentence_shows_no_interval_in_the_terminal(markup_run):
    from rich.console import Console

    from stance.aggregate import difference, summarise
    from stance.render import terminal
    from stance.result import Alignment, Article, Comparison, Party, Sentence

    assert "[-1.00, +1.00]" not in markup_run.stdout  # a real run never shows the whole-range interval
    once, thrice = [0.5], [-0.2, 0.1, 0.0]
    stance = {"A": summarise(once), "B": summarise(thrice)}
    pair = difference("A", once, "B", thrice, "Once")
    party = Party("Once", [], "", stance, {}, {}, [pair], {"A": pair, "B": pair}, {}, {}, [])
    articles = [Article(label, None, [Sentence(0, "x")]) for label in ("A", "B")]
    result = Comparison(articles, [party], Alignment([], {"A": [], "B": []}, 0.6), "m")
    console = Console(record=True, width=200)
    terminal.render(result, console=console)
    out = console.export_text()
    assert "+0.50 (1 sentence, no interval)" in out and "(a single sentence: no interval)" in out
    assert "[-1.00, +1.00]" not in out and "[-2.00, +2.00]" not in out
    assert "too few sentences to tell" in out


def test_only_given_parties_found_nowhere_are_named_in_the_error(seeds):
    args = ["compare", str(seeds["alarabiya-2020"]), str(seeds["cgtn-2019"]), "--only-given"]
    result = runner.invoke(app, [*args, "--party", "Nobody Atall"])
    _assert_one_line_error(result, "none of the given parties (Nobody Atall)")
    assert "Name a party" not in result.stderr


def test_html_naming_an_input_is_refused_and_the_input_kept(tmp_path, seeds):
    victim = tmp_path / "victim.txt"
    victim.write_text(seeds["cgtn-2019"].read_text(encoding="utf-8"), encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(victim)
    before = victim.read_bytes()
    for target in (victim, link, tmp_path / "." / "victim.txt"):
        result = runner.invoke(app, ["compare", str(victim), str(seeds["alarabiya-2020"]), "--html", str(target)])
        _assert_one_line_error(result, "input")
        assert victim.read_bytes() == before


_EARLY = """
import json, sys
sys.argv = ["stance", *json.loads(sys.argv[1])]
code = 0
try:
    from stance.cli import main
    main()
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in ("torch", "spacy", "transformers") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}))
"""


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("html-directory", "directory"),
        ("html-missing-folder", "does not exist"),
        ("open-without-html", "--open needs --html"),
        ("missing-input", "no such file"),
        ("only-given-alone", "--only-given needs"),
        ("two-stdin", "standard input"),
        ("party-two-equals", "contains '='"),
        ("party-no-name", "has no name"),
    ],
)
def test_arguments_and_inputs_are_checked_before_any_model_is_imported(tmp_path, seeds, case, needle):
    good = [str(seeds["alarabiya-2020"]), str(seeds["cgtn-2019"])]
    args = {
        "html-directory": [*good, "--html", str(tmp_path)],
        "html-missing-folder": [*good, "--html", str(tmp_path / "no" / "report.html")],
        "open-without-html": [*good, "--open"],
        "missing-input": [good[0], str(tmp_path / "nope.txt")],
        "only-given-alone": [*good, "--only-given"],
        "two-stdin": ["-", "-"],
        "party-two-equals": [*good, "--party", "X=Y=Z"],
        "party-no-name": [*good, "--party", "=Haftar"],
    }[case]
    proc = subprocess.run(
        [sys.executable, "-c", _EARLY, json.dumps(["compare", *args])], capture_output=True, text=True, timeout=120
    )
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report == {"code": 1, "heavy": []}, (report, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stance: error:") and needle in lines[0], proc.stderr


def test_one_input_may_come_from_standard_input(seeds):
    text = seeds["alarabiya-2020"].read_text(encoding="utf-8")
    result = runner.invoke(app, ["compare", "-", str(seeds["cgtn-2019"]), "--json"], input=text)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["articles"][0]["path"] == "-" and data["articles"][0]["language"] == "en"


def test_version_help_metavars_and_usage_exit_code():
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("stance ")
    text = runner.invoke(app, ["compare", "--help"], env={"COLUMNS": "200"}).stdout
    assert "--html FILE" in text and "--party TEXT" in text and "SOURCE" in text
    for command in (["compare"], ["score"], ["eval", "newsmtsc"], ["eval", "basil"]):
        shown = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).stdout
        assert not re.search(r"<[a-z_\[\]]+>", shown), shown  # no Python type names such as <str>, <list[str]>
    assert runner.invoke(app, ["compare", "--no-such-option"]).exit_code == 2
    assert runner.invoke(app, ["compare", "only-one.txt"]).exit_code == 2


def test_an_internal_error_is_one_line_with_exit_code_70(monkeypatch, capsys, seeds):
    import stance.pipeline
    from stance import cli

    def broken(*_args, **_kwargs):
        raise RuntimeError("something the library did not expect\nsecond line")

    monkeypatch.setattr(stance.pipeline, "analyse", broken)
    monkeypatch.setattr(sys, "argv", ["stance", "compare", str(seeds["alarabiya-2020"]), str(seeds["cgtn-2019"])])
    monkeypatch.delenv("STANCE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == cli.EXIT_INTERNAL == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("stance: internal error: RuntimeError: something"), err


# --- the Python API ----------------------------------------------------------------------


def test_api_takes_party_strings_and_exports_its_types(seeds):
    import stance
    from stance import PartySpec, StanceError

    a, b = (seeds[n].read_text(encoding="utf-8") for n in ("alarabiya-2020", "cgtn-2019"))
    result = stance.compare(a, b, parties=["Khalifa Haftar=Haftar"], only_given=True)
    assert [p.name for p in result.parties] == ["Khalifa Haftar"]
    assert PartySpec.parse("Khalifa Haftar=Haftar").aliases == ("Haftar",)
    assert issubclass(StanceError, Exception)
    line = repr(result)
    assert "\n" not in line and len(line) < 300 and "2 articles" in line
    assert json.loads(result.to_json())["parties"][0]["name"] == "Khalifa Haftar"


def test_api_errors_never_speak_of_command_line_flags(seeds):
    import stance

    a, b = (seeds[n].read_text(encoding="utf-8") for n in ("alarabiya-2020", "cgtn-2019"))
    calls = [
        lambda: stance.compare(a, a),
        lambda: stance.compare(a, b, only_given=True),
        lambda: stance.compare(a, b, labels=["same", "same"]),
        lambda: stance.analyse([]),
        lambda: stance.compare(
            "Angela Merkel met officials in Berlin on Monday to discuss prices.",
            "Shares of Toyota rose in Tokyo after the carmaker reported strong sales.",
        ),
    ]
    for call in calls:
        with pytest.raises(stance.StanceError) as info:
            call()
        assert "--" not in str(info.value), str(info.value)


def test_the_api_sets_passive_openmp_waiting_before_torch_loads():
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    code = "import os, sys, stance; print(os.environ.get('OMP_WAIT_POLICY'), 'torch' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.stdout.split() == ["PASSIVE", "False"], proc.stderr


def test_a_run_on_a_terminal_shows_its_stages_on_stderr(seeds):
    import pty
    import threading

    leader, follower = pty.openpty()
    args = [sys.executable, "-m", "stance", "compare", str(seeds["alarabiya-2020"]), str(seeds["cgtn-2019"])]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    shown = bytearray()

    def drain() -> None:  # read as it is written, so the child never blocks on a full terminal
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    stdout, _ = proc.communicate(timeout=600)
    reader.join(timeout=60)
    os.close(leader)
    assert proc.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert all(stage in text for stage in ("parse", "stance", "alignment")), text[-500:]
    assert b"parse" not in stdout.split(b"\n")[0]  # the bar stays off stdout


def test_score_prints_a_custom_label_as_written(seeds):
    label = "[bold]supports[/bold] a ceasefire [sic]"
    args = ["score", str(seeds["cgtn-2019"]), "--party", "Khalifa Haftar=Haftar", "--label", label]
    result = runner.invoke(app, args, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    assert label in result.stdout


def test_control_characters_in_a_label_never_reach_the_terminal(seeds):
    label = "E\x1b[2Jsc\x1b]0;title\x07"
    result = runner.invoke(app, ["compare", str(seeds["alarabiya-2020"]), str(seeds["cgtn-2019"]), "--label", label])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "E\u241b[2Jsc" in result.stdout  # shown, as article text is
