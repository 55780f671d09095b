"""The pipeline: two or more articles in, a :class:`~stance.result.Comparison` out.

load → clean → sentences → parties → stance → alignment → framing → aggregate. Each stage
lives in its own module; this one only wires them (:mod:`stance.assemble` joins their
outputs into the result). :func:`analyse` is the general case; :func:`compare` is a
convenience for texts held in strings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from stance import alignment, assemble, framing, judgment
from stance.assemble import sentence_scores
from stance.errors import StanceError
from stance.inputs import Document, finish
from stance.language import require_english
from stance.nli import load
from stance.parties import FoundMention, FoundParty, PartySpec, find_parties
from stance.result import Article, Comparison, Mention, rank_key
from stance.scoring import Target, score
from stance.sentences import ParsedArticle, parse
from stance.voice import voice_of

__all__ = ["analyse", "compare", "mention_target", "score_mentions", "sentence_scores"]

#: Called as ``progress(stage, done, total)`` before each stage and once at the end.
Progress = Callable[[str, int, int], None]
STAGES = ("parse", "parties", "stance", "judgment", "alignment", "framing", "aggregate")


def analyse(
    documents: Sequence[Document],
    *,
    parties: Sequence[PartySpec | str] = (),
    only_given: bool = False,
    model: str | None = None,
    timings: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Compare how two or more articles treat the parties they name.

    ``parties`` adds parties or fixes their aliases (a :class:`PartySpec` or its text form
    ``"Name=Alias,Alias"``); with ``only_given`` no other party is reported. ``model`` is
    a local NLI model directory or a Hugging Face id (default: the embedded model).
    ``timings``, when given, receives seconds per stage (model loads included on first
    use), for ``make bench``; ``progress`` hears of each stage as it starts.
    """
    specs = [p if isinstance(p, PartySpec) else PartySpec.parse(p) for p in parties]
    # Documents built by API callers, not read by stance.inputs: the same control-character
    # and length rules as for files, so every output is safe whatever the caller passed.
    documents = [d if d.language else finish(d) for d in documents]
    languages = _check_documents(documents)
    if only_given and not specs:
        raise StanceError("only_given needs at least one given party")
    clock = _Clock(timings, progress)
    with clock("parse"):
        articles = [parse(d.text, d.label, d.source) for d in documents]
    for art in articles:
        if not any(s.dropped is None for s in art.sentences):
            raise StanceError(f"{art.path or art.label}: no reporting text left after removing boilerplate")
    with clock("parties"):
        found = find_parties(articles, specs, only_given)
    _check_parties(articles, found, specs, only_given)
    with clock("stance"):
        nli = load(model)
        mentions = score_mentions(nli, articles, found)
    with clock("judgment"):
        by_party = {p.name: ms for p, ms in zip(found, mentions, strict=True)}
        per_article = [judgment.judge_all(nli, a, by_party) for a in articles]
        judgments = [
            {a.label: js[p.name] for a, js in zip(articles, per_article, strict=True) if p.name in js} for p in found
        ]
    with clock("alignment"):
        pairs = alignment.align_many([_kept_texts(a) for a in articles])
    with clock("framing"):
        descriptors = framing.descriptors(articles, found)
    with clock("aggregate"):
        labels = [a.label for a in articles]
        result_parties = [
            assemble.party(p, ms, js, ds, labels)
            for p, ms, js, ds in zip(found, mentions, judgments, descriptors, strict=True)
        ]
        aligned = assemble.alignment(articles, pairs, result_parties)
    clock.done()
    return Comparison(
        articles=[
            Article(a.label, a.path, a.sentences, d.title, d.date, d.site, lang)
            for a, d, lang in zip(articles, documents, languages, strict=True)
        ],
        parties=sorted(result_parties, key=rank_key),
        alignment=aligned,
        model=shown_path(nli.name),
        compute_path=nli.compute_path,
    )


def shown_path(name: str) -> str:
    """A model's name as reports show it: a local directory relative to the working
    directory or to the package's root, never an absolute path of this machine."""
    path = Path(name)
    if not path.is_absolute():
        return name
    for root in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if path.is_relative_to(root):
            return str(path.relative_to(root))
    return path.name


def compare(
    text_a: str,
    text_b: str,
    *more_texts: str,
    labels: Sequence[str] | None = None,
    label_a: str = "A",
    label_b: str = "B",
    paths: Sequence[str | None] | None = None,
    path_a: str | None = None,
    path_b: str | None = None,
    **options,
) -> Comparison:
    """:func:`analyse` for texts held in strings: ``compare(a, b)`` or ``compare(a, b, c, labels=[…])``.

    Labels default to A, B, C, …; ``options`` are those of :func:`analyse`.
    """
    texts = [text_a, text_b, *more_texts]
    if labels is None:
        labels = [label_a, label_b, *(_letter(i) for i in range(2, len(texts)))]
    if paths is None:
        paths = [path_a, path_b, *([None] * len(more_texts))]
    if len(labels) != len(texts) or len(paths) != len(texts):
        raise StanceError(f"{len(texts)} texts need {len(texts)} labels and paths")
    documents = [Document(t, label, path) for t, label, path in zip(texts, labels, paths, strict=True)]
    return analyse(documents, **options)


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"#{i + 1}"


def _check_documents(documents: Sequence[Document]) -> list[str]:
    """Refuse what cannot be compared, before any model is loaded; gives each article's
    language (the embedded models read English only, so other languages are refused)."""
    if len(documents) < 2:
        raise StanceError("a comparison needs at least two articles")
    seen: dict[str, Document] = {}
    for d in documents:
        if d.label in seen:
            raise StanceError(f"two articles are labelled {d.label!r}; give them different labels")
        seen[d.label] = d
    texts: dict[str, str] = {}
    for d in documents:
        key = " ".join(d.text.split())
        if key in texts:
            raise StanceError(f"{texts[key]} and {d.label} are the same text; compare different articles")
        texts[key] = d.label
    return [require_english(d.text, "standard input" if d.source == "-" else d.source or d.label) for d in documents]


def _check_parties(
    articles: list[ParsedArticle], found: list[FoundParty], specs: Sequence[PartySpec], only_given: bool
) -> None:
    """One line when nothing can be compared: no party at all, or none named by two articles."""
    named = [p for p in found if p.mentions]
    if not named:
        if specs:
            given = ", ".join(s.name for s in specs)[:160]
            raise StanceError(f"none of the given parties ({given}) is named in any article")
        raise StanceError("no parties (people, organisations, countries) found in any article; name the parties")
    if any(len({m.article for m in p.mentions}) >= 2 for p in named):
        return
    lists = []
    for i, art in enumerate(articles):
        names = ", ".join(p.name for p in named if {m.article for m in p.mentions} == {i})[:120]
        lists.append(f"{art.label}: {names or 'none'}")
    raise StanceError(
        f"no party is named in two of the articles ({'; '.join(lists)}); are they about the same event? "
        "Name the parties and their other names to match them"
    )


class _Clock:
    """Adds each stage's wall time to a caller's dict and tells a progress callback."""

    def __init__(self, sink: dict[str, float] | None, progress: Progress | None = None) -> None:
        self.sink = sink
        self.progress = progress
        self.step = 0

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        if self.progress is not None:
            self.progress(stage, self.step, len(STAGES))
        start = time.perf_counter()
        yield
        self.step += 1
        if self.sink is not None:
            self.sink[stage] = self.sink.get(stage, 0.0) + time.perf_counter() - start

    def done(self) -> None:
        if self.progress is not None:
            self.progress("done", len(STAGES), len(STAGES))


def _kept_texts(article: ParsedArticle) -> list[str]:
    return [s.text for s in article.sentences if s.dropped is None]


def score_mentions(nli, articles: list[ParsedArticle], found: list[FoundParty]) -> list[list[Mention]]:
    """Score every mention of every party in one batched model call."""
    flat = [(i, m) for i, p in enumerate(found) for m in p.mentions]
    targets = [mention_target(articles[m.article].sentences[m.sentence].text, m, found[i].name) for i, m in flat]
    stances = score(nli, targets)
    out: list[list[Mention]] = [[] for _ in found]
    for (i, m), st in zip(flat, stances, strict=True):
        art = articles[m.article]
        voice, speaker = voice_of(art, m.sentence, m.start, m.end)
        out[i].append(
            Mention(
                article=art.label,
                sentence=m.sentence,
                start=m.start,
                end=m.end,
                text=m.text,
                kind=m.kind,
                voice=voice,
                speaker=speaker,
                probs=st.probs,
                score=st.score,
            )
        )
    return out


def mention_target(sentence: str, mention: FoundMention | Mention, party: str) -> Target:
    """What the model is asked about one mention: a name as written, a pronoun or epithet
    by the party's name."""
    return Target(sentence, mention.start, mention.end, None if mention.kind == "name" else party)
