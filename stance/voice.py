"""Voice stage: is a mention in the outlet's own words, or in words it reports?

"Pompeo said the US opposes Haftar's offensive" is the outlet reporting Pompeo's stance,
not taking one; comparing outlets on their own framing means keeping the two apart. A
span is *quoted* when it lies inside quotation marks (which may run over several
sentences of a paragraph), inside the complement of a reporting verb ("X said (that) ...",
"..., a statement said") or in a clause attributed with "according to"; the speaker is
the reporting verb's subject, with "he"/"she" traced back to the nearest person named.

A party can also be the object of someone else's attitude without any quotation: "the
senator denounced X", "critics accused X of ...". Such a sentence relays the subject's
stance, not the outlet's; when a named source (or a pronoun for one) is the subject of a
verb of judging or addressing, the rest of its clause is reported too, with that subject
as speaker. The party in the subject's own position is untouched: it holds that attitude.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from stance.parties import name_span
from stance.sentences import ParsedArticle, quote_ranges

#: Verbs of saying and believing whose complement clause is someone else's claim.
REPORTING_VERBS = frozenset(
    "say tell add state stress claim announce insist note warn write declare explain argue assert allege "
    "report confirm deny acknowledge admit reiterate emphasize emphasise suggest maintain contend tweet "
    "believe think predict vow pledge complain accuse charge reply respond told testify estimate conclude "
    "find recall indicate observe remark caution concede".split()
)
#: Verbs whose subject passes judgment on (or makes a demand of) their object.
ATTITUDE_VERBS = frozenset(
    "criticize criticise attack blast condemn denounce accuse blame praise commend applaud hail defend mock "
    "ridicule rebuke scold berate fault challenge dismiss reject endorse oppose thank congratulate urge "
    "lambaste assail chastise insult threaten sue chide decry disparage belittle deride scorn taunt "
    "lampoon admonish reprimand censure vilify demonize demonise smear fire impeach".split()
)
_SOURCE_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_SOURCE_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_PRONOUNS = frozenset({"he", "she", "him", "her"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
#: How many sentences back "he said" may look for the person it means.
_SPEAKER_REACH = 2


@dataclass(frozen=True)
class _Region:
    """Characters of a sentence (offsets into its text) that report ``speaker``'s words."""

    start: int
    end: int
    speaker: str | None


_cache: dict[int, tuple[ParsedArticle, dict[int, list[_Region]]]] = {}


def voice_of(article: ParsedArticle, sentence: int, start: int, end: int) -> tuple[str, str | None]:
    """("quoted", speaker) when ``sentence``'s text[start:end] is reported speech, else ("own", None).

    Quotation marks win over reporting clauses, and the innermost reporting clause wins
    over outer ones. The speaker is None when no attribution is found.
    """
    cached = _cache.get(id(article))
    if cached is None or cached[0] is not article:
        if len(_cache) > 32:
            _cache.clear()
        cached = (article, _regions(article))
        _cache[id(article)] = cached
    inside = [r for r in cached[1].get(sentence, []) if r.start <= start and end <= r.end]
    if not inside:
        return "own", None
    return "quoted", inside[0].speaker


def _regions(article: ParsedArticle) -> dict[int, list[_Region]]:
    """Reported regions of every sentence: quotes first, then clauses from small to large."""
    by_doc: dict[int, list[tuple[int, Span]]] = {}
    for sid in sorted(article.spans):
        by_doc.setdefault(id(article.spans[sid].doc), []).append((sid, article.spans[sid]))
    regions: dict[int, list[_Region]] = {}
    for sentences in by_doc.values():
        doc = sentences[0][1].doc
        quotes = quote_ranges(doc.text)
        for sid, sent in sentences:
            found = [
                _Region(
                    max(qs, sent.start_char) - sent.start_char,
                    min(qe, sent.end_char) - sent.start_char,
                    _quote_speaker(article, sentences, sid, (qs, qe), quotes),
                )
                for qs, qe in quotes
                if qs < sent.end_char and sent.start_char < qe
            ]
            clauses = [
                _Region(s - sent.start_char, e - sent.start_char, speaker)
                for s, e, speaker in _reported_clauses(article, sid, sent, quotes)
            ]
            regions[sid] = found + sorted(clauses, key=lambda r: r.end - r.start)
    return regions


def _outside(token: Token, quotes: list[tuple[int, int]]) -> bool:
    return not any(s <= token.idx < e for s, e in quotes)


def _reporting(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in REPORTING_VERBS


def _quote_speaker(
    article: ParsedArticle,
    sentences: list[tuple[int, Span]],
    sid: int,
    quote: tuple[int, int],
    quotes: list[tuple[int, int]],
) -> str | None:
    """Who a quotation is attributed to: a reporting verb outside quotes in a sentence the
    quote touches, else in the sentence right after or before it in the paragraph."""
    ids = [s for s, _ in sentences]
    touching = [i for i, (_, sent) in enumerate(sentences) if sent.start_char < quote[1] and quote[0] < sent.end_char]
    order = touching + [touching[-1] + 1, touching[0] - 1] if touching else []
    for i in order:
        if 0 <= i < len(sentences):
            for token in sentences[i][1]:
                if _reporting(token) and _outside(token, quotes):
                    return _speaker(article, ids[i], token)
    return None


def _reported_clauses(
    article: ParsedArticle, sid: int, sent: Span, quotes: list[tuple[int, int]]
) -> list[tuple[int, int, str | None]]:
    """(start, end, speaker) in document characters for each clause reported in ``sent``."""
    found = []
    for token in sent:
        if token.lower_ == "according" and any(child.lower_ == "to" for child in token.children):
            source = [obj for child in token.children for obj in child.children if obj.dep_ == "pobj"]
            clause = token.head
            if source and clause is not token:
                # the clause around "according to Y", without the attribution itself
                speaker = _noun_phrase(source[0])
                found.append((clause.left_edge.idx, token.left_edge.idx, speaker))
                found.append((_end(token.right_edge), _end(clause.right_edge), speaker))
            continue
        if _attitude(token) and _outside(token, quotes):
            subject = next(c for c in token.children if c.dep_ == "nsubj")
            start = subject.right_edge.i + 1
            if start <= token.right_edge.i:
                found.append((sent.doc[start].idx, _end(token.right_edge), _speaker(article, sid, token)))
            continue
        if not _reporting(token) or not _outside(token, quotes):
            continue
        complements = [child for child in token.children if child.dep_ in ("ccomp", "parataxis")]
        speaker = _speaker(article, sid, token)
        for clause in complements:
            found.append((clause.left_edge.idx, _end(clause.right_edge), speaker))
        if not complements:
            # "..., Secretary of State Mike Pompeo said on Sunday." parsed without a ccomp:
            # whatever comes before the subject and its comma is what was said.
            subject = next((c for c in token.lefts if c.dep_ in _SUBJECTS), None)
            before = subject.left_edge.i - 1 if subject is not None else -1
            if before > sent.start and sent.doc[before].text == ",":
                found.append((sent.start_char, sent.doc[before].idx, speaker))
    return found


def _attitude(token: Token) -> bool:
    """A verb of judging whose subject is a named source or a pronoun for one."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in ATTITUDE_VERBS:
        return False
    subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
    return subject is not None and (subject.ent_type_ in _SOURCE_ENTITIES or subject.lower_ in _SOURCE_PRONOUNS)


def _end(token: Token) -> int:
    return token.idx + len(token.text)


def _speaker(article: ParsedArticle, sid: int, verb: Token) -> str | None:
    """The subject of a reporting verb as a name or noun phrase: "by X" when the verb is
    passive, and when it has no subject that of the verb governing it ("Haftar was quoted
    as telling ...": Haftar)."""
    node = verb
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "csubj")), None)
        if subject is None and node is verb:
            subject = _agent(node)
        if subject is None:
            subject = next((c for c in node.children if c.dep_ == "nsubjpass"), None)
        if subject is not None:
            if subject.lower_ in _RELATIVE_PRONOUNS and node.dep_ == "relcl":
                subject = node.head
            if subject.lower_ in _PRONOUNS:
                return _antecedent(article, sid, subject)
            return _noun_phrase(subject)
        if node.head == node:
            return None
        node = node.head
    return None


def _agent(verb: Token) -> Token | None:
    """X in "... by X": the agent of a passive verb, or the author of "a report by X"."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _noun_phrase(token: Token) -> str:
    """A speaker's name: the entity it is (or one in apposition, or the "by X" of "a report
    by X"), else the noun phrase up to its head ("a statement", "the ministry")."""
    author = _agent(token) if token.pos_ == "NOUN" else None
    appositions = [t for t in token.subtree if t.dep_ == "appos"]
    for candidate in [token, *appositions, *([author] if author is not None else [])]:
        if candidate.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            ent = next(e for e in candidate.doc.ents if e.start <= candidate.i < e.end)
            span = name_span(ent)
            if span is not None:
                return span.text
    return token.doc[token.left_edge.i : token.i + 1].text


def _antecedent(article: ParsedArticle, sid: int, pronoun: Token) -> str | None:
    """The person a "he said" means: the nearest person named outside quotes before it in
    the sentence, else in the sentences before, preferring the one that is a subject."""
    earlier = sorted(s for s in article.spans if s < sid)[-_SPEAKER_REACH:]
    for back in [sid, *reversed(earlier)]:
        span = article.spans[back]
        doc: Doc = span.doc
        quotes = quote_ranges(doc.text)
        people = [
            ent
            for ent in span.ents
            if ent.label_ == "PERSON" and _outside(ent[0], quotes) and (back != sid or ent.end <= pronoun.i)
        ]
        if not people:
            continue
        subjects = [ent for ent in people if ent.root.dep_ in _SUBJECTS or ent.root.dep_ == "appos"]
        chosen = (subjects or people)[-1]
        named = name_span(chosen)
        return named.text if named is not None else chosen.text
    return None
