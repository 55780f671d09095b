"""The article-level judgment's inputs: whole paragraphs as the model reads them."""

from __future__ import annotations

from stance.judgment import MAX_PARAGRAPH_CHARS, paragraph_passages, paragraph_views
from stance.result import Mention
from stance.sentences import parse

MARK = ("«", "»")


def _mentions(article, name: str) -> list[Mention]:
    probs = {"negative": 0.1, "neutral": 0.2, "positive": 0.7}
    out = []
    for sid, sent in enumerate(article.sentences):
        start = sent.text.find(name)
        while start >= 0:
            out.append(Mention(article.label, sid, start, start + len(name), name, "name", "own", None, probs, 0.6))
            start = sent.text.find(name, start + 1)
    return out


def test_a_paragraph_is_one_premise_with_every_mention_marked() -> None:
    text = (
        "Harlow wins the vote.\n\n"
        "Council member Dana Harlow won the vote on Monday. Critics said Harlow had bent the rules. "
        "The council meets again in May.\n\n"
        "Nobody else spoke."
    )
    article = parse(text, "a")
    passages = paragraph_passages(article, _mentions(article, "Harlow"), MARK)
    assert [p for p, _ in passages] == [0, 1]
    body = passages[1][1]
    assert body.count("«Harlow»") == 2
    assert body.startswith("Council member Dana «Harlow» won") and body.endswith("again in May.")


def test_a_long_paragraph_is_cut_from_the_sentence_of_its_first_mention() -> None:
    filler = " ".join(f"Sentence number {k} says nothing at all about anyone here." for k in range(30))
    text = f"{filler} Then Harlow spoke to reporters about the plan. {filler}"
    article = parse(text, "a")
    ((_, premise),) = paragraph_passages(article, _mentions(article, "Harlow"), MARK)
    assert premise.startswith("Then «Harlow» spoke")
    assert len(premise) <= MAX_PARAGRAPH_CHARS + 2


def test_paragraph_views_score_each_party_apart(nli) -> None:
    text = (
        "Volunteers praised Maria Lopez for her brave and generous rescue work. "
        "Prosecutors say Tom Baker lied to investigators and stole from the charity."
    )
    article = parse(text, "a")
    views = paragraph_views(
        nli, article, {"Maria Lopez": _mentions(article, "Maria Lopez"), "Tom Baker": _mentions(article, "Tom Baker")}
    )
    (lopez,), (baker,) = views["Maria Lopez"], views["Tom Baker"]
    assert lopez.lead and lopez.score > baker.score


def test_the_paragraph_pass_runs_only_when_the_aggregator_weighs_it(nli) -> None:
    from stance.judgment import aggregator, judge_all
    from stance.nli import NLIModel

    calls = []

    class Counting(NLIModel):
        def logits(self, premises, hypotheses, batch_size=64):
            calls.append(len(premises))
            return super().logits(premises, hypotheses, batch_size)

    article = parse("Volunteers praised Maria Lopez for her brave and generous rescue work.", "a")
    counting = Counting(nli.name, nli.backend, nli.config, nli.compute_path)
    judged = judge_all(counting, article, {"Maria Lopez": _mentions(article, "Maria Lopez")})
    assert set(judged) == {"Maria Lopez"}
    assert len(calls) == (1 if aggregator().uses_paragraphs else 0)
