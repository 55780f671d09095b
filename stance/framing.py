"""Framing stage: the words each outlet uses to label a party.

Stance scores say *how* an outlet leans; descriptors show *with what words*: one calls
Haftar "the strongman", the other "a foe of Islamist extremism"; one writes "Turkish-backed
Government of National Accord", the other "UN-recognized GNA". They are read off the
parse around each mention with general syntax rules (titles before a name, appositives,
relative clauses and their "as ..." complements, modifiers of the name's noun phrase,
predicate nominals, resolved epithets), never from word lists about particular parties.
How an outlet describes what a party does and says is framing too ("X lashed out", "his
rambling remarks"): the verb the party is the subject of, with its particle, adverbs,
negation and the modifiers of its object, and the modifiers of the party's own words or
deeds ("his ... speech") are descriptors of kind ``action`` and ``words``. Negation is kept:
"did not resign" is not "resign".
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from stance.parties import TITLE_ANYWHERE, TITLE_BEFORE, FoundMention, FoundParty
from stance.result import Descriptor
from stance.sentences import ParsedArticle

_ARTICLES = frozenset({"a", "an", "the"})
_HYPHENS = frozenset({"-", "‐", "‑"})
#: Tags of words that quantify or point rather than label: "more", "most", "two", "his".
_NOT_LABELS = frozenset({"DT", "PDT", "WDT", "PRP$", "CD", "JJR", "JJS", "RBR", "RBS"})
#: Longer descriptors are clauses; only short noun phrases get their last word singularised.
_SINGULAR_MAX_WORDS = 4
_COPULAS = frozenset({"be", "become", "remain"})
_REFLEXIVES = frozenset({"himself", "herself", "itself", "themselves"})
_CLAUSE_DEPS = frozenset({"relcl", "appos", "acl", "punct", "cc", "conj"})


def descriptors(articles: list[ParsedArticle], parties: list[FoundParty]) -> list[dict[str, list[Descriptor]]]:
    """For each party (same order), article label -> the descriptors that article uses."""
    result = []
    for party in parties:
        found: dict[str, list[Descriptor]] = {article.label: [] for article in articles}
        for mention in party.mentions:
            article = articles[mention.article]
            if mention.sentence not in article.spans:
                continue
            for descriptor in _of_mention(article, mention):
                if descriptor not in found[article.label]:
                    found[article.label].append(descriptor)
        result.append(found)
    return result


def only_in(descriptors: dict[str, list[Descriptor]]) -> dict[str, list[str]]:
    """Article label -> descriptors no other article uses, first use first.

    Outlets are compared in the form :func:`normalise` gives, but each is shown as the
    outlet first wrote it ("UN-recognized", not "un-recognized").
    """
    used = {label: {normalise(d.text): d.text for d in reversed(ds)} for label, ds in descriptors.items()}
    return {
        label: [
            used[label][key]
            for key in dict.fromkeys(normalise(d.text) for d in descriptors[label])
            if not any(key in other for o, other in used.items() if o != label)
        ]
        for label in descriptors
    }


def normalise(text: str) -> str:
    """Lower case, no quotation marks, plain hyphens, no leading article, last word singular:
    the form two outlets' descriptors are compared in ("Islamist militants" = "islamist militant")."""
    text = re.sub(r"[\"“”«»]", " ", text.replace("’", "'").replace("‘", "'"))
    text = re.sub(r"\s*[‐‑‒–—-]\s*", "-", text.lower())
    words = text.split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    if 0 < len(words) <= _SINGULAR_MAX_WORDS:
        words[-1] = _singular(words[-1])
    return " ".join(words)


def _singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def _of_mention(article: ParsedArticle, mention: FoundMention) -> list[Descriptor]:
    sent = article.spans[mention.sentence]
    span = sent.doc.char_span(sent.start_char + mention.start, sent.start_char + mention.end, alignment_mode="expand")
    if span is None:
        return []
    sid = mention.sentence
    if mention.kind == "epithet":
        words = span[1:] if span[0].lower_ in _ARTICLES else span
        return [Descriptor(words.text, "epithet", sid)] if len(words) else []
    found = _predicates(span.root, sid) + _actions(span.root, sid)
    if mention.kind == "pronoun":
        return found
    title = _title(span)
    if title:
        found.insert(0, Descriptor(title, "title", sid))
    return found + _appositives(span, sid) + _relatives(span.root, sid) + _modifiers(span, sid)


def _title(span: Span) -> str | None:
    """ "Secretary of State" in "US Secretary of State Mike Pompeo"."""
    before = span.doc.text[max(0, span.start_char - 60) : span.start_char]
    match = TITLE_BEFORE.search(before)
    return match.group(1) if match else None


def _phrase(token: Token, skip: Span | None = None) -> str:
    """The noun phrase headed by ``token``, without clauses, appositives, leading article
    or the mention itself: "a foe of Islamist extremism" -> "foe of Islamist extremism"."""
    left_out = {t.i for child in token.children if child.dep_ in _CLAUSE_DEPS for t in child.subtree}
    if skip is not None:
        left_out.update(range(skip.start, skip.end))
    inside = {t.i for t in token.subtree} - left_out
    start = end = token.i
    while start - 1 in inside:
        start -= 1
    while end + 1 in inside:
        end += 1
    doc = token.doc
    while start < end and (doc[start].lower_ in _ARTICLES or doc[start].is_punct):
        start += 1
    while end > start and doc[end].is_punct:
        end -= 1
    return doc[start : end + 1].text


def _appositives(span: Span, sid: int) -> list[Descriptor]:
    """ "Aguila Saleh, Libya's parliament speaker" and "the envoy, Ghassan Salame": the noun
    phrase in apposition either way (ages and other numbers are not labels); and "Haftar,
    who casts himself as a foe of ...", "calls himself a ...", "known as ...": what the
    party is cast as."""
    head = span.root
    found = []
    nouns = [child for child in head.children if child.dep_ == "appos"]
    if head.dep_ == "appos":
        noun = head.head
        # "the envoy to Libya, Ghassan Salame": small parsers attach the name to the
        # nearest noun (Libya); climb back to the noun that heads the phrase.
        while noun.ent_type_ and noun.dep_ == "pobj" and noun.head.head.pos_ == "NOUN":
            noun = noun.head.head
        nouns.append(noun)
    for noun in nouns:
        if noun.pos_ in ("NOUN", "ADJ") and not noun.ent_type_ and not _inside(noun, span):
            found.append(Descriptor(_phrase(noun, span), "appositive", sid))
    for verb in _verbs_of(head):
        passive = any(child.dep_ == "nsubjpass" for child in verb.children) or verb.dep_ == "acl"
        reflexive = any(child.lower_ in _REFLEXIVES and child.dep_ == "dobj" for child in verb.children)
        if not (passive or reflexive):
            continue
        for prep in verb.children:
            if reflexive and prep.dep_ == "oprd" and prep.pos_ == "NOUN":
                found.append(Descriptor(_phrase(prep), "appositive", sid))
            if prep.dep_ == "prep" and prep.lower_ == "as":
                objects = [obj for obj in prep.children if obj.dep_ == "pobj"]
                found.extend(Descriptor(_phrase(obj), "appositive", sid) for obj in objects)
    return found


def _verbs_of(head: Token) -> list[Token]:
    """Verbs the party is the subject of: its own clause, a relative clause about it
    ("who casts himself"), or a participle attached to it ("known as")."""
    verbs = [child for child in head.children if child.dep_ in ("relcl", "acl")]
    if head.dep_ in ("nsubj", "nsubjpass"):
        verbs.append(head.head)
    return verbs


def _inside(token: Token, span: Span) -> bool:
    return span.start <= token.i < span.end


def _relatives(head: Token, sid: int) -> list[Descriptor]:
    """ "who casts himself as a foe of Islamist extremism": a relative clause about the party."""
    found = []
    for clause in head.children:
        if clause.dep_ == "relcl" and clause.left_edge.lower_ in ("who", "which", "that", "whose", "whom"):
            doc = clause.doc
            start, end = clause.left_edge.i, clause.right_edge.i
            while end > start and doc[end].is_punct:
                end -= 1
            found.append(Descriptor(doc[start : end + 1].text, "relative", sid))
    return found


def _modifiers(span: Span, sid: int) -> list[Descriptor]:
    """ "UN-recognized" in "Sarraj's UN-recognized GNA", "Turkish-backed" in "Libya's Turkish-
    backed Government of ...": the words between the article or possessive and the name,
    as written (hyphenated words whole), leaving out titles and other parties' names."""
    head, doc = span.root, span.doc
    start = span.start
    subtree = {t.i for t in head.subtree}
    while start - 1 in subtree and doc[start - 1].dep_ not in ("det", "case", "poss", "nummod"):
        before = doc[start - 1]
        if before.is_punct and (before.whitespace_ or before.text not in _HYPHENS):
            break
        start -= 1
    run = doc[start : span.start]
    if not len(run):
        return []
    text = TITLE_ANYWHERE.sub(lambda m: " " * len(m.group(0)), run.text)
    found = []
    offset = run.start_char
    for match in re.finditer(r"\S+", text):
        word = match.group(0).strip(",")
        tokens = [t for t in run if offset + match.start() <= t.idx < offset + match.end()]
        if not any(ch.isalpha() for ch in word) or all(t.ent_type_ for t in tokens if t.is_alpha):
            continue
        if all(t.tag_ in _NOT_LABELS for t in tokens):
            continue
        found.append(Descriptor(word, "modifier", sid))
    return found


def _predicates(head: Token, sid: int) -> list[Descriptor]:
    """ "X is a former general", "X remains defiant": what a copula says the party is."""
    verb = head.head
    if head.dep_ != "nsubj" or verb.lemma_.lower() not in _COPULAS:
        return []
    return [
        Descriptor(_phrase(child), "predicate", sid)
        for child in verb.children
        if child.dep_ in ("attr", "acomp") and not child.ent_type_
    ]


#: Verbs too light to say anything about how an action is framed.
_LIGHT_VERBS = frozenset("be have do say tell get make go take give come".split())
#: Children of a verb that belong to how its action is described.
_VERB_PARTS = frozenset({"neg", "prt", "advmod", "acomp"})


def _actions(head: Token, sid: int) -> list[Descriptor]:
    """How the party's actions and words are described: "sharply rebuked the board", "did not
    back down" (the verb it is the subject of, and verbs joined to it), "his long, angry
    speech" (a noun it is the possessor of, when that noun has modifiers)."""
    found = []
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ in ("VERB", "AUX"):
        verb = head.head
        verbs = [verb] + [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" and not _has_subject(c)]
        for v in verbs:
            if v.lemma_.lower() not in _LIGHT_VERBS or any(c.dep_ in ("neg", "prt") for c in v.children):
                found.append(Descriptor(_verb_phrase(v), "action", sid))
    if head.dep_ == "poss" and head.head.pos_ == "NOUN":
        noun = head.head
        mods = [c for c in noun.children if c.dep_ == "amod" or (c.dep_ == "conj" and c.pos_ == "ADJ")]
        if mods:
            words = sorted({t.i for m in mods for t in m.subtree} | {noun.i})
            found.append(Descriptor(_tokens_text(noun.doc, words), "words", sid))
    return found


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _verb_phrase(verb: Token) -> str:
    """The verb with its negation, particle and adverbs, and its object when modifiers
    colour it ("delivered a scathing rebuke" -> "delivered scathing rebuke")."""
    keep = {verb.i}
    for child in verb.children:
        if child.dep_ in _VERB_PARTS and not (child.dep_ == "advmod" and child.tag_ in ("WRB",)):
            keep.update(t.i for t in child.subtree if not t.is_punct)
        if child.dep_ == "dobj":
            mods = [c for c in child.children if c.dep_ == "amod"]
            if mods:
                keep.update({child.i} | {t.i for m in mods for t in m.subtree})
    return _tokens_text(verb.doc, sorted(keep)) if max(keep) - min(keep) < _ACTION_MAX_TOKENS else verb.text


#: An action descriptor longer than this many tokens is cut to its verb.
_ACTION_MAX_TOKENS = 8


def _tokens_text(doc, indices: list[int]) -> str:
    """The text from the first to the last token, as written, so it can be found in its sentence."""
    start, end = indices[0], indices[-1]
    return doc[start : end + 1].text.strip("\"“”' ")
