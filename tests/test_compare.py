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
    paired_a = {p.a_sentence for p in pairs}
    for sid in result.alignment.only_in[A]:
        assert sid not in paired_a
        assert result.article(A).sentences[sid].dropped is None
    kept_b = {s.id for s in result.article(B).sentences if s.dropped is None}
    assert {p.b_sentence for p in pairs} | set(result.alignment.only_in[B]) == kept_b


def test_cli_json_follows_the_documented_schema(seeds):
    out = CliRunner().invoke(app, ["compare", str(seeds[A]), str(seeds[B]), "--json"])
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema_version"] == "2.0"
    from stance.compute import PATHS

    assert data["compute_path"] in PATHS
    assert [a["label"] for a in data["articles"]] == [A, B]
    assert {"id", "text", "dropped"} <= set(data["articles"][0]["sentences"][0])
    party = data["parties"][0]
    assert {"name", "aliases", "stance", "judgment", "pairs", "versus_others", "descriptors", "mentions"} <= set(party)
    assert {"mean", "low", "high", "n"} <= set(next(iter(party["stance"].values())))
    assert {"article", "sentence", "voice", "speaker", "probs", "score"} <= set(party["mentions"][0])
    assert all(isinstance(d, str) for ds in party["descriptors"].values() for d in ds)
    assert {"a", "a_sentence", "b", "b_sentence", "similarity"} <= set(data["alignment"]["pairs"][0])
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
    assert result.parties == ranked, "the API's order is the order every renderer shows"
    assert ranked[: len(solid)] == solid
    sizes = [abs(p.difference.mean) for p in solid]
    assert sizes == sorted(sizes, reverse=True)
    assert all(p.difference is None for p in ranked[len(ranked) - sum(p.difference is None for p in ranked) :])


def test_two_articles_give_one_pair_and_each_outlet_against_the_other(result):
    for party in result.parties:
        if len(party.stance) == 2:
            (pair,) = party.pairs
            assert party.difference == pair and (pair.a, pair.b) == (A, B)
            assert party.versus_others[B].mean == pytest.approx(pair.mean)
            assert party.versus_others[A].mean == pytest.approx(-pair.mean)
            assert (pair.n_a, pair.n_b) == (party.stance[A].n, party.stance[B].n)
        else:
            assert party.pairs == [] and party.versus_others == {} and party.difference is None


def test_every_mentioning_article_judges_the_party_from_its_own_sentences(result):
    for party in result.parties:
        assert set(party.judgment) == set(party.stance)
        for label, j in party.judgment.items():
            assert j.label in {"negative", "neutral", "positive"}
            assert sum(j.probs.values()) == pytest.approx(1.0, abs=1e-4)
            assert set(j.evidence) <= {m.sentence for m in party.mentions if m.article == label}


def test_the_model_is_named_without_an_absolute_local_path(result):
    assert not result.model.startswith("/"), result.model


# --- N articles: three outlets on one BASIL event ----------------------------------------


@pytest.fixture(scope="module")
def three():
    from conftest import FIXTURES

    from stance.inputs import Document
    from stance.pipeline import analyse

    docs = []
    for path in sorted((FIXTURES / "basil" / "articles" / "2014").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        text = raw["title"] + "\n\n" + "\n\n".join(" ".join(p) for p in raw["body-paragraphs"])
        docs.append(Document(text, raw["source"], str(path), title=raw["title"], date=raw["date"]))
    stages = []
    result = analyse(docs, progress=lambda stage, done, total: stages.append((stage, done, total)))
    return docs, result, stages


def test_n_articles_merge_parties_across_all_and_compare_each_with_the_others(three):
    docs, result, _ = three
    labels = [d.label for d in docs]
    assert result.labels == labels and len(labels) == 3
    assert [a.date for a in result.articles] == [d.date for d in docs]
    everywhere = [p for p in result.parties if set(p.stance) == set(labels)]
    assert everywhere, "the three outlets report the same event about the same people"
    for party in result.parties:
        named = [lab for lab in labels if lab in party.stance]
        assert [(d.a, d.b) for d in party.pairs] == [(a, b) for i, a in enumerate(named) for b in named[i + 1 :]]
        assert set(party.versus_others) == (set(named) if len(named) >= 2 else set())
        for label, d in party.versus_others.items():
            others = [m.score for m in party.mentions if m.article != label]
            assert d.a == "others" and d.b == label
            assert d.n_a == sum(party.stance[o].n for o in named if o != label) and others
            if d.verdict:
                assert (d.low > 0 or d.high < 0) and min(d.n_a, d.n_b) >= 2 and "other outlets" in d.verdict
        if len(named) == 3:
            assert party.difference is None


def test_n_way_alignment_lists_only_what_no_other_outlet_reports(three):
    _, result, _ = three
    pairs = result.alignment.pairs
    assert {(p.a, p.b) for p in pairs} <= {(a, b) for i, a in enumerate(result.labels) for b in result.labels[i + 1 :]}
    for art in result.articles:
        matched = {p.a_sentence for p in pairs if p.a == art.label} | {p.b_sentence for p in pairs if p.b == art.label}
        kept = {s.id for s in art.sentences if s.dropped is None}
        assert matched | set(result.alignment.only_in[art.label]) == kept
        assert not matched & set(result.alignment.only_in[art.label])


def test_n_way_descriptors_only_in_are_used_by_no_other_outlet(three):
    _, result, _ = three
    for party in result.parties:
        for label, only in party.descriptors_only.items():
            others = {d.text.casefold() for o, ds in party.descriptors.items() if o != label for d in ds}
            assert not {w.casefold() for w in only} & others


def test_progress_hears_every_stage_in_order(three):
    _, _, stages = three
    assert [s for s, _, _ in stages][-1] == "done"
    assert [d for _, d, _ in stages] == list(range(len(stages)))
    assert len({t for _, _, t in stages}) == 1


def test_n_way_json_round_trips_with_every_pair(three):
    _, result, _ = three
    data = json.loads(result.to_json())
    assert data["schema_version"] == "2.0"
    assert [a["label"] for a in data["articles"]] == result.labels
    for raw, party in zip(data["parties"], result.parties, strict=True):
        assert len(raw["pairs"]) == len(party.pairs)
        assert set(raw["versus_others"]) == set(party.versus_others)


def test_api_text_gets_the_input_rules_controls_made_visible(seeds):
    from stance.pipeline import compare as api_compare

    a = seeds[A].read_text(encoding="utf-8") + "\n\nKhalifa Haftar spoke.\x1b[2J\x1b]0;owned\x07 Then he left.\n"
    result = api_compare(a, seeds[B].read_text(encoding="utf-8"), parties=["Khalifa Haftar=Haftar"], only_given=True)
    texts = [s.text for art in result.articles for s in art.sentences]
    assert not any(ch in t for t in texts for ch in "\x1b\x07")
    assert any("␛[2J" in t for t in texts)
    assert all(art.language == "en" for art in result.articles)
