"""End to end on the seed articles: the real pipeline, the real models.

The seeds are a test, not a specification: these assertions are what a reader of the two
articles would check by hand, and no code names their parties or words.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.pipeline import compare

A, B = "alarabiya-2020", "cgtn-2019"


@pytest.fixture(scope="module")
def result(seeds):
    return compare(seeds[A].read_text(), seeds[B].read_text(), label_a=A, label_b=B)


def _party(result, surname: str):
    matches = [p for p in result.parties if surname in p.name.split()]
    assert len(matches) == 1, [p.name for p in result.parties]
    return matches[0]


def test_one_party_across_both_articles_with_its_name_variants(result):
    haftar = _party(result, "Haftar")
    assert set(haftar.stance) == {A, B}
    assert {m.text for m in haftar.mentions} >= {"Haftar", "Khalifa Haftar"}


def test_each_outlet_labels_the_party_in_its_own_words(result):
    haftar = _party(result, "Haftar")
    assert any("strongman" in d.text for d in haftar.descriptors[A])
    assert any("foe of Islamist extremism" in d.text for d in haftar.descriptors[B])
    assert any("strongman" in d for d in haftar.descriptors_only[A])
    assert not any("strongman" in d for d in haftar.descriptors_only[B])


def test_cgtn_is_more_negative_toward_haftar_than_al_arabiya(result):
    haftar = _party(result, "Haftar")
    assert haftar.stance[B].mean < haftar.stance[A].mean
    assert haftar.difference is not None and haftar.difference.mean < 0


def test_boilerplate_is_dropped_with_a_reason(result):
    dropped = [s for s in result.article(A).sentences if s.dropped]
    assert any(s.text.startswith("Read more") for s in dropped)
    assert any("Last Update" in s.text for s in dropped)
    assert all(s.dropped for s in dropped)


def test_every_number_traces_back_to_readable_sentences(result):
    for party in result.parties:
        for m in party.mentions:
            sentence = result.article(m.article).sentences[m.sentence]
            assert sentence.dropped is None
            assert sentence.text[m.start : m.end] == m.text
            assert m.voice in {"own", "quoted"}
            assert sum(m.probs.values()) == pytest.approx(1.0, abs=1e-4)
        for label, summary in party.stance.items():
            sentences = {m.sentence for m in party.mentions if m.article == label}
            assert summary.n == len(sentences)
            assert summary.low <= summary.mean <= summary.high
        if party.difference and party.difference.verdict:
            assert min(s.n for s in party.stance.values()) >= 2
            assert party.difference.low > 0 or party.difference.high < 0


def test_a_party_one_outlet_never_names_is_absent_not_zero(result):
    one_sided = [p for p in result.parties if len(p.stance) == 1]
    assert one_sided, "the seeds have parties only one outlet names"
    for p in one_sided:
        assert p.difference is None
        (label,) = p.stance
        assert all(m.article == label for m in p.mentions)


def test_alignment_pairs_shared_content_and_lists_the_rest(result):
    pairs = result.alignment.pairs
    assert pairs, "both seeds report the call for an immediate halt to the fighting"
    paired_a = {p.a for p in pairs}
    for sid in result.alignment.only_in[A]:
        assert sid not in paired_a
        assert result.article(A).sentences[sid].dropped is None
    kept_b = {s.id for s in result.article(B).sentences if s.dropped is None}
    assert {p.b for p in pairs} | set(result.alignment.only_in[B]) == kept_b


def test_cli_json_follows_the_documented_schema(seeds):
    out = CliRunner().invoke(app, ["compare", str(seeds[A]), str(seeds[B]), "--json"])
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema_version"] == "1.0"
    assert [a["label"] for a in data["articles"]] == [A, B]
    assert {"id", "text", "dropped"} <= set(data["articles"][0]["sentences"][0])
    party = data["parties"][0]
    assert {"name", "aliases", "stance", "descriptors", "mentions"} <= set(party)
    assert {"mean", "low", "high", "n"} <= set(next(iter(party["stance"].values())))
    assert {"article", "sentence", "voice", "speaker", "probs", "score"} <= set(party["mentions"][0])
    assert all(isinstance(d, str) for ds in party["descriptors"].values() for d in ds)
    assert {"a", "b", "similarity"} <= set(data["alignment"]["pairs"][0])
    assert set(data["alignment"]["only_in"]) == {A, B}


def test_cli_terminal_output_names_parties_and_labels(seeds):
    out = CliRunner().invoke(
        app,
        ["compare", str(seeds[A]), str(seeds[B]), "--label-a", "Outlet One", "--label-b", "Outlet Two", "--details"],
    )
    assert out.exit_code == 0, out.stderr
    assert "Outlet One" in out.stdout and "Haftar" in out.stdout
    assert "strongman" in out.stdout


def test_parties_compared_on_two_sentences_each_come_first_by_difference(result):
    ranked = result.ranked_parties()
    solid = [p for p in ranked if p.difference and min(s.n for s in p.stance.values()) >= 2]
    assert ranked[: len(solid)] == solid
    sizes = [abs(p.difference.mean) for p in solid]
    assert sizes == sorted(sizes, reverse=True)
    assert all(p.difference is None for p in ranked[len(ranked) - sum(p.difference is None for p in ranked) :])
