"""The unit of work of a study: one event's articles through the ``compare`` pipeline.

:func:`run_event` is module-level and takes and returns plain picklable data, so an engine
can run it in this process, in worker processes or as a Ray task. It never raises for a
bad article: an unreadable article, or an event the pipeline refuses (no party, one
article left), becomes rows of the ``errors`` table, so every article of the corpus ends
up either in ``articles`` or in ``errors``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from stance.errors import StanceError
from stance.studies.corpus import Entry, Event


@dataclass(frozen=True)
class EventTask:
    event: Event
    #: ``--party`` values as given ("Name=Alias,…"), applied to every event.
    parties: tuple[str, ...] = ()
    only_given: bool = False
    model: str | None = None
    #: The store key: a hash of the event's inputs, the options and the model.
    key: str = ""


@dataclass(frozen=True)
class PartyRecord:
    """A party as one event found it, for the corpus-wide merge of parties."""

    name: str
    aliases: tuple[str, ...]
    entity_type: str
    #: Sentences naming the party in this event, to weigh it when names are merged.
    sentences: int


@dataclass
class EventOutput:
    """Everything a study keeps of one event: table rows (party names as the event found
    them; the study renames them to corpus-wide names), its parties and its HTML page."""

    event: str
    key: str
    rows: dict[str, list[dict]] = field(default_factory=dict)
    parties: list[PartyRecord] = field(default_factory=list)
    html: str | None = None
    model: str | None = None
    seconds: float = 0.0

    @property
    def n_articles(self) -> int:
        return len(self.rows.get("articles", []))

    @property
    def n_errors(self) -> int:
        return len(self.rows.get("errors", []))


def run_event(task: EventTask) -> EventOutput:
    """Read the event's articles, analyse them together, and turn the result into rows."""
    start = time.perf_counter()
    out = EventOutput(event=task.event.name, key=task.key, rows={name: [] for name in TABLE_ROWS})
    documents, kept, seen = [], [], {}
    for entry in task.event.entries:
        try:
            doc = _document(entry)
        except StanceError as exc:
            out.rows["errors"].append(_error(entry, "input", str(exc)))
            continue
        # Wire copy run unchanged by two outlets is common; the pipeline refuses to compare
        # a text with itself, so the later copy is set aside and the event goes on.
        same = seen.setdefault(" ".join(doc.text.split()), entry.outlet)
        if same != entry.outlet:
            out.rows["errors"].append(_error(entry, "input", f"the same text as {same}'s article in this event"))
            continue
        documents.append(doc)
        kept.append(entry)
    if len(documents) < 2:
        for entry in kept:
            out.rows["errors"].append(_error(entry, "event", "no other readable article of this event to compare with"))
    else:
        try:
            from stance.parties import PartySpec
            from stance.pipeline import analyse

            result = analyse(
                documents,
                parties=[PartySpec.parse(p) for p in task.parties],
                only_given=task.only_given,
                model=task.model,
            )
        except StanceError as exc:
            out.rows["errors"].extend(_error(entry, "analyse", str(exc)) for entry in kept)
        else:
            _rows(out, task.event.name, kept, documents, result)
            from stance.render import html

            out.html = html.render(result)
            out.model = result.model
    out.seconds = time.perf_counter() - start
    return out


def _document(entry: Entry):
    """The entry as a :class:`stance.inputs.Document` labelled with its outlet."""
    from stance import inputs
    from stance.language import require_english

    if entry.problem:
        raise StanceError(entry.problem)
    if entry.kind == "text":
        doc = inputs.finish(inputs.Document(text=entry.source, label=entry.outlet))
    else:
        doc = inputs.read(entry.source)
    where = entry.source if entry.kind != "text" else f"{entry.event}/{entry.outlet}"
    if not doc.text.strip():
        raise StanceError(f"{where}: no article text")
    # Refused here rather than by the pipeline, so that one foreign article is one error
    # row and the event's other articles are still compared.
    require_english(doc.text, where)
    return replace(doc, label=entry.outlet, title=entry.title or doc.title, date=entry.date or doc.date)


def _error(entry: Entry, stage: str, message: str) -> dict:
    source = None if entry.kind == "text" else entry.source
    return {
        "event": entry.event,
        "outlet": entry.outlet,
        "article_id": entry.id,
        "source": source,
        "stage": stage,
        "message": message,
    }


#: The per-event tables, in the order they are written.
TABLE_ROWS = ("articles", "mentions", "article_parties", "descriptors", "errors")


def _rows(out: EventOutput, event: str, entries: list[Entry], documents, result) -> None:
    """Flatten a :class:`~stance.result.Comparison` into the per-event table rows."""
    # By position: the pipeline keeps the documents' order, and may have made a label safe to print.
    ids = {a.label: e.id for a, e in zip(result.articles, entries, strict=True)}
    kinds = {a.label: e.kind for a, e in zip(result.articles, entries, strict=True)}
    for article, doc in zip(result.articles, documents, strict=True):
        kept = [s for s in article.sentences if s.dropped is None]
        named = [p for p in result.parties if article.label in p.stance]
        out.rows["articles"].append(
            {
                "event": event,
                "outlet": article.label,
                "article_id": ids[article.label],
                "kind": kinds[article.label],
                "source": article.path,
                "title": article.title,
                "date": article.date,
                "site": article.site,
                "language": article.language,
                "n_sentences": len(kept),
                "n_dropped": len(article.sentences) - len(kept),
                "n_words": len(doc.text.split()),
                "n_parties": len(named),
                "n_mentions": sum(1 for p in named for m in p.mentions if m.article == article.label),
            }
        )
    texts = {a.label: {s.id: s.text for s in a.sentences} for a in result.articles}
    for party in result.parties:
        out.parties.append(
            PartyRecord(
                name=party.name,
                aliases=tuple(party.aliases),
                entity_type=party.entity_type,
                sentences=sum(s.n for s in party.stance.values()),
            )
        )
        for m in party.mentions:
            out.rows["mentions"].append(
                {
                    "event": event,
                    "outlet": m.article,
                    "article_id": ids[m.article],
                    "party": party.name,
                    "sentence": m.sentence,
                    "sentence_text": texts[m.article][m.sentence],
                    "start": m.start,
                    "end": m.end,
                    "mention": m.text,
                    "kind": m.kind,
                    "voice": m.voice,
                    "speaker": m.speaker,
                    "p_negative": m.probs.get("negative"),
                    "p_neutral": m.probs.get("neutral"),
                    "p_positive": m.probs.get("positive"),
                    "score": m.score,
                }
            )
        for label, summary in party.stance.items():
            out.rows["article_parties"].append(_article_party(event, ids[label], label, party, summary))
        for label, descriptors in party.descriptors.items():
            only = set(party.descriptors_only.get(label, []))
            for d in descriptors:
                out.rows["descriptors"].append(
                    {
                        "event": event,
                        "outlet": label,
                        "article_id": ids[label],
                        "party": party.name,
                        "descriptor": d.text,
                        "kind": d.kind,
                        "sentence": d.sentence,
                        "only_this_outlet": d.text in only,
                    }
                )


def _article_party(event: str, article_id: str, label: str, party, summary) -> dict:
    voices = party.stance_by_voice.get(label, {})
    judgment = party.judgment.get(label)
    versus = party.versus_others.get(label)
    mentions = [m for m in party.mentions if m.article == label]
    return {
        "event": event,
        "outlet": label,
        "article_id": article_id,
        "party": party.name,
        "entity_type": party.entity_type,
        "n_sentences": summary.n,
        "n_mentions": len(mentions),
        "mean": summary.mean,
        "low": summary.low,
        "high": summary.high,
        "mean_own": voices["own"].mean if "own" in voices else None,
        "n_own": voices["own"].n if "own" in voices else 0,
        "mean_quoted": voices["quoted"].mean if "quoted" in voices else None,
        "n_quoted": voices["quoted"].n if "quoted" in voices else 0,
        "judgment": judgment.label if judgment else None,
        "judgment_negative": judgment.probs.get("negative") if judgment else None,
        "judgment_neutral": judgment.probs.get("neutral") if judgment else None,
        "judgment_positive": judgment.probs.get("positive") if judgment else None,
        "judgment_evidence": list(judgment.evidence) if judgment else None,
        "vs_others_mean": versus.mean if versus else None,
        "vs_others_low": versus.low if versus else None,
        "vs_others_high": versus.high if versus else None,
        "vs_others_verdict": versus.verdict if versus else None,
    }
