"""Framing stage: the words each outlet uses to label a party.

Stance scores say *how* an outlet leans; descriptors show *with what words*: one calls
Haftar "the strongman", the other "a foe of Islamist extremism"; one writes "Turkish-backed
Government of National Accord", the other "UN-recognized GNA". They are read off the
parse around each mention with general syntax rules (titles before a name, appositives,
relative clauses and their "as ..." complements, modifiers of the name's noun phrase,
predicate nominals, resolved epithets), never from word lists about particular parties.
How an outlet describes what a party does and says is framing too ("X lashed out", "his
rambling remarks"): the verb the party is the subject of, with its particle, adverbs,
negation and the modifiers of its object, and the clauses sharing that subject ("...,
angrily denying") are of kind ``action``; the modifiers of the party's own words or deeds,
what a copula says they are and what they do ("his remarks were misleading") are ``words``;
what others call it ("called X reckless") is a ``predicate``; and what is done to it (the
verb it is the object of: "bitterly criticised X") is ``treatment``. The party's role is
read the same way whether a name, a pronoun or a resolved epithet names it. Negation is
kept: "did not resign" is not "resign", "is not ready" is not "ready".
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
_CLAUSE_DEPS = frozenset({"relcl", "appos", "acl", "punct", "cc", "conj", "ccomp", "advcl"})


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
    # Whatever names the party (its name, a pronoun, a resolved epithet), what it does, what
    # is said of it and what is done to it are read off its role in the clause.
    head = _referent(span.root)
    found = _predicates(head, sid) + _actions(head, sid) + _labels(head, sid) + _treatment(head, sid)
    if mention.kind == "epithet":
        words = span[1:] if span[0].lower_ in _ARTICLES else span
        return [Descriptor(words.text, "epithet", sid), *found] if len(words) else found
    if mention.kind == "pronoun":
        return found
    title = _title(span)
    if title:
        found.insert(0, Descriptor(title, "title", sid))
    return found + _appositives(span, sid) + _relatives(span.root, sid) + _modifiers(span, sid)


def _referent(head: Token) -> Token:
    """The token that stands for the party in its clause: the name itself, or the noun it is
    in apposition to ("the committee chair, Jane Roe, was outvoted": the subject is
    "chair"), so the party's role in the sentence is read off the right word."""
    if head.dep_ == "appos" and head.head.pos_ == "NOUN" and head.head.dep_ != "appos":
        return head.head
    return head


def _title(span: Span) -> str | None:
    """ "Secretary of State" in "US Secretary of State Mike Pompeo"."""
    before = span.doc.text[max(0, span.start_char - 60) : span.start_char]
    match = TITLE_BEFORE.search(before)
    return match.group(1) if match else None


def _phrase(token: Token, skip: Span | None = None) -> str:
    """The noun phrase headed by ``token``, without clauses, appositives, leading article
    or the mention itself: "a foe of Islamist extremism" -> "foe of Islamist extremism"."""
    start, end = _phrase_bounds(token, skip)
    return token.doc[start : end + 1].text


def _phrase_bounds(token: Token, skip: Span | None = None) -> tuple[int, int]:
    """First and last token of :func:`_phrase`."""
    left_out = {t.i for child in token.children if child.dep_ in _CLAUSE_DEPS for t in child.subtree}
    if skip is not None:
        left_out.update(range(skip.start, skip.end))
    inside = {t.i for t in token.subtree} - left_out
    start = end = token.i
    while start - 1 in inside:
        start -= 1
    doc = token.doc
    # A comma or bracket after the head starts an aside or a new clause, not more label.
    while end + 1 in inside and not (doc[end + 1].is_punct and doc[end + 1].text not in _HYPHENS):
        end += 1
    while start < end and (doc[start].lower_ in _ARTICLES or doc[start].is_punct):
        start += 1
    while end > start and doc[end].is_punct:
        end -= 1
    return start, end


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
        if not any(ch.isalpha() for ch in word) or all(_is_name(t) for t in tokens if t.is_alpha):
            continue
        if all(t.tag_ in _NOT_LABELS for t in tokens):
            continue
        found.append(Descriptor(word, "modifier", sid))
    return found


def _is_name(token: Token) -> bool:
    """A word of another name ("Obama" in "the Obama administration") or a nationality; an
    adjective the tagger put inside an entity (a capitalised first word) is still a label."""
    return bool(token.ent_type_) and (token.pos_ == "PROPN" or token.ent_type_ == "NORP")


def _predicates(head: Token, sid: int, kind: str = "predicate") -> list[Descriptor]:
    """ "X is a former general", "X remains defiant", "X is not ready": what a copula says the
    party (or, with ``kind`` "words", its words or deeds) is, negation kept."""
    verb = head.head
    if head.dep_ != "nsubj" or verb.lemma_.lower() not in _COPULAS:
        return []
    found = []
    for child in verb.children:
        if child.dep_ in ("attr", "acomp") and not child.ent_type_:
            start, end = _phrase_bounds(child)
            negation = [c for c in verb.children if c.dep_ == "neg" and c.i < child.i]
            if negation:
                start = _negation_start(negation[0])
            found.append(Descriptor(_tokens_text(verb.doc, [start, end]), kind, sid))
    return found


def _is_copula(verb: Token) -> bool:
    """A copula with its complement: what it says is a predicate, not an action."""
    return verb.lemma_.lower() in _COPULAS and any(c.dep_ in ("attr", "acomp") for c in verb.children)


def _negation_start(neg: Token) -> int:
    """Where a negation's text starts: at "not", or at the auxiliary "n't" is glued to."""
    return neg.i - 1 if neg.i > 0 and not neg.doc[neg.i - 1].whitespace_ else neg.i


#: Verbs too light to say anything about how an action is framed, with the verbs of saying
#: that only attribute words to a speaker. Those that judge the words ("claimed",
#: "insisted", "admitted") are framing and stay. Dropping the attributing ones removed 57
#: of BASIL's 3,361 descriptors and none of the 73 that cover an annotated span.
_LIGHT_VERBS = frozenset(
    "be have do say tell get make go take give come "
    "add state stress note write explain report reiterate emphasize emphasise remark indicate observe quote".split()
)
#: Children of a verb that belong to how its action is described.
_VERB_PARTS = frozenset({"neg", "prt", "advmod", "acomp"})
#: Clauses whose unstated subject is the subject of the verb they hang on: "X left,
#: angrily denying ...", "X refused to apologize", "X ended by attacking ...".
_OPEN_CLAUSES = frozenset({"conj", "advcl", "xcomp"})
#: How many verbs one subject mention contributes at most (its verb and the open clauses).
_MAX_VERBS = 4


def _actions(head: Token, sid: int) -> list[Descriptor]:
    """How the party's actions and words are described: "sharply rebuked the board", "did not
    back down" (the verb it is the subject of, and the clauses that share that subject:
    "..., angrily denying"), and how its own words and deeds are described ("his long,
    angry speech", "his remarks were plainly misleading")."""
    found = []
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ in ("VERB", "AUX"):
        covered: set[int] = set()
        for verb in _subject_verbs(head.head):
            light = verb.lemma_.lower() in _LIGHT_VERBS and not any(c.dep_ in ("neg", "prt") for c in verb.children)
            if verb.i in covered or light or _is_copula(verb):
                continue
            keep = _verb_tokens(verb)
            covered.update(range(min(keep), max(keep) + 1))
            found.append(Descriptor(_tokens_text(verb.doc, sorted(keep)), "action", sid))
    if head.dep_ == "poss" and head.head.pos_ == "NOUN":
        found.extend(_deeds(head.head, sid))
    return found


def _subject_verbs(verb: Token) -> list[Token]:
    """The verb and the verbs whose unstated subject is its subject: joined verbs, adverbial
    and open clauses ("angrily denying", "refused to apologize"), and "after/by -ing"
    clauses; not when the verb has an object that would be the clause's subject ("urged
    them to leave")."""
    verbs = [verb]
    for current in verbs:
        if len(verbs) >= _MAX_VERBS:
            break
        has_object = any(c.dep_ in ("dobj", "dative") for c in current.children)
        for child in current.children:
            candidates = [child]
            if child.dep_ == "prep":
                candidates = [g for g in child.children if g.dep_ == "pcomp"]
            elif child.dep_ not in _OPEN_CLAUSES or (child.dep_ == "xcomp" and has_object):
                continue
            verbs.extend(c for c in candidates if c.pos_ == "VERB" and not _has_subject(c) and c not in verbs)
    return verbs[:_MAX_VERBS]


def _deeds(noun: Token, sid: int) -> list[Descriptor]:
    """How a party's own words or deeds (a noun it is the possessor of) are described: their
    modifiers ("his long and angry speech", "her often tense ties"), what a copula says
    they are ("his remarks were plainly misleading") and what they do ("his campaign
    seized on ...")."""
    found = []
    mods = [c for c in noun.children if c.dep_ in ("amod", "advmod", "nmod") or (c.dep_ == "conj" and c.pos_ == "ADJ")]
    if mods:
        words = sorted({t.i for m in mods for t in m.subtree} | {noun.i})
        if words[-1] - words[0] < _ACTION_MAX_TOKENS:
            found.append(Descriptor(_tokens_text(noun.doc, words), "words", sid))
    found.extend(_predicates(noun, sid, "words"))
    verb = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass") and verb.pos_ == "VERB" and verb.lemma_.lower() not in _LIGHT_VERBS:
        found.append(Descriptor(_verb_phrase(verb), "words", sid))
    return found


def _labels(head: Token, sid: int) -> list[Descriptor]:
    """What others call the party, as an object complement: "called X reckless", "attacked X
    as a snob", "X was called a liar" (the "as" of a passive is an appositive)."""
    verb = head.head
    # Small parsers sometimes label the name itself a complement too ("called X reckless").
    if head.dep_ not in ("dobj", "nsubjpass", "oprd") or verb.pos_ != "VERB" or head.lower_ in _REFLEXIVES:
        return []
    found = [
        Descriptor(_phrase(c), "predicate", sid)
        for c in verb.children
        if c.dep_ == "oprd" and c.i > head.i and not c.ent_type_
    ]
    if head.dep_ == "dobj":
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "as" and prep.i > head.i:
                found.extend(
                    Descriptor(_phrase(obj), "predicate", sid)
                    for obj in prep.children
                    if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "ADJ") and not obj.ent_type_
                )
    return found


def _treatment(head: Token, sid: int) -> list[Descriptor]:
    """What is done to the party, or to its words or deeds, as the verb's object: "bitterly
    criticised X", "welcomed X's decision", "ousted X"."""
    if head.dep_ == "poss" and head.head.pos_ == "NOUN":
        if head.tag_ == "PRP$":  # "shook his head", "defended her plan": the subject's own
            return []
        head = head.head
    verb = head.head
    if head.dep_ != "dobj" or verb.pos_ != "VERB" or verb.lemma_.lower() in _LIGHT_VERBS or head.lower_ in _REFLEXIVES:
        return []
    return [Descriptor(_verb_phrase(verb, objects=False), "treatment", sid)]


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children)


def _verb_phrase(verb: Token, objects: bool = True) -> str:
    """The text of :func:`_verb_tokens`, as written."""
    return _tokens_text(verb.doc, sorted(_verb_tokens(verb, objects)))


def _verb_tokens(verb: Token, objects: bool = True) -> set[int]:
    """The verb with its negation, particle and adverbs, the verb of an open clause it
    governs ("refused to apologize"), and (with ``objects``) its object when modifiers colour
    it ("delivered a scathing rebuke" -> "delivered scathing rebuke"). A part that would
    stretch the phrase beyond a few words is left out, not the whole."""
    parts = []
    has_object = any(c.dep_ in ("dobj", "dative") for c in verb.children)
    for child in verb.children:
        if child.dep_ in _VERB_PARTS and not (child.dep_ == "advmod" and child.tag_ == "WRB"):
            parts.append({t.i for t in child.subtree if not t.is_punct})
            if child.dep_ == "neg":
                parts[-1].add(_negation_start(child))
        if objects and child.dep_ == "dobj":
            mods = [c for c in child.children if c.dep_ == "amod"]
            if mods:
                parts.append({child.i} | {t.i for m in mods for t in m.subtree})
        if (
            child.dep_ == "xcomp"
            and child.pos_ == "VERB"
            and child.i > verb.i
            and not _has_subject(child)
            and not has_object
        ):
            parts.append(_verb_tokens(child, objects))
    keep = {verb.i}
    for part in sorted(parts, key=lambda p: min(abs(i - verb.i) for i in p)):
        joined = keep | part
        if max(joined) - min(joined) < _ACTION_MAX_TOKENS and not _breaks(verb.doc, joined):
            keep = joined
    return keep


def _breaks(doc, joined: set[int]) -> bool:
    """Whether the words between the kept ones hold a comma or a subject: a sentence adverb
    ("Instead, he ...") is not part of how the action is described."""
    gap = set(range(min(joined), max(joined) + 1)) - joined
    return any(
        (doc[i].is_punct and doc[i].text not in _HYPHENS) or doc[i].dep_ in ("nsubj", "nsubjpass", "expl") for i in gap
    )


#: A part of an action descriptor that would stretch it over this many tokens is left out.
_ACTION_MAX_TOKENS = 8


def _tokens_text(doc, indices: list[int]) -> str:
    """The text from the first to the last token, as written, so it can be found in its sentence."""
    start, end = indices[0], indices[-1]
    return doc[start : end + 1].text.strip("\"“”' ")
