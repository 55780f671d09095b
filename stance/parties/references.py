"""References: pronouns and epithets ("he", "the strongman") that stand for a person party.

Deliberately conservative: an unresolved pronoun costs one data point, a wrong one puts
the outlet's words about someone else on the party's account.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from stance.parties.entities import Finder, Party, Ref
from stance.parties.gender import PRONOUN_GENDER, agrees, title_gender
from stance.parties.titles import ROLE_NOUNS, ROLE_SUFFIX, STATUS_NOUNS, TITLE_ABBREVIATIONS

_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
_REFLEXIVES = frozenset({"himself", "herself"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})


def resolve_references(finder: Finder, parties: list[Party]) -> None:
    """Add pronouns and epithets ("the strongman") that have one clear person referent,
    then "I"/"me"/"my" inside a quotation attributed to one person party."""
    owner = {id(ref): p for p, party in enumerate(parties) for ref in party.refs()}
    people = [ref for party in parties if party.entity_type == "PERSON" for ref in party.refs()]
    titled = _titled_roles(finder, parties)
    key_of = {id(group): key for key, group in finder.groups.items()}
    genders = [finder.gender([key_of[id(g)] for g in party.groups if id(g) in key_of]) for party in parties]
    offices = {p for ps in titled.values() for p in ps}
    fits = _Fit(titled, genders, offices)
    for a, article in enumerate(finder.articles):
        history: list[tuple[int, Ref, int]] = []  # (position of sentence, ref, party)
        for pos, sid in enumerate(sorted(article.spans)):
            here = [ref for ref in people if (ref.article, ref.sentence) == (a, sid)]
            names = sorted(here, key=lambda ref: ref.span.start)
            for token in article.spans[sid]:
                while names and names[0].span.start <= token.i:
                    ref = names.pop(0)
                    history.append((pos, ref, owner[id(ref)]))
                found = _reference(finder, token, pos, history, fits)
                if found is None:
                    continue
                span, kind, p = found
                ref = finder.ref(a, sid, span, kind)
                parties[p].groups[0].refs.append(ref)
                history.append((pos, ref, p))
            history.extend((pos, ref, owner[id(ref)]) for ref in names)
    _first_person(finder, parties)


@dataclass(frozen=True)
class _Fit:
    """What the articles say about each party, for agreement: the role nouns written as its
    titles, its gender, and which parties hold any title (office-holders)."""

    titled: dict[str, set[int]]
    genders: list[str | None]
    offices: set[int]

    def allows(self, token: Token, kind: str, p: int) -> bool:
        """Whether ``token`` (a pronoun or an epithet's noun) can stand for party ``p``.

        Gender must agree ("she" is not a man; "the chairwoman" is not either). A role noun
        the articles use as a title stands only for the parties holding it. A role noun
        that is neither a title here nor one of the leadership nouns (a noun matched only
        by its "-man" ending, a legal status, or a plain "the man") never goes to an
        office-holder: nearness alone does not make a president the subject of a crime
        report, and outlets do not call a senator "the man" they describe.
        """
        if kind == "pronoun":
            return agrees(PRONOUN_GENDER.get(token.lower_), self.genders[p])
        lemma = token.lemma_.lower()
        if not agrees(title_gender(lemma), self.genders[p]):
            return False
        holders = self.titled.get(lemma)
        if holders is not None:
            return p in holders
        if (
            lemma in STATUS_NOUNS
            or lemma in _PLAIN_PERSON
            or (lemma not in ROLE_NOUNS and ROLE_SUFFIX.fullmatch(lemma))
        ):
            return p not in self.offices
        return True


def _reference(
    finder: Finder, token: Token, pos: int, history: list[tuple[int, Ref, int]], fits: _Fit
) -> tuple[Span, str, int] | None:
    """The person party ``token`` refers back to, as (span, kind, party index), or None.

    Candidates are person mentions in the same quotation context (both outside quotes,
    or in the same quote), searched in the same sentence, then one (pronoun) or two
    (epithet) sentences back; the nearest sentence with any candidate decides. An
    object pronoun or an epithet never points at the subject of its own clause ("Trump
    spoke with the strongman and praised him"). A title noun ("the president") that the
    articles give one party only stands for that party anywhere after its first
    mention: outlets write "President Obama" once and "the president" from then on.
    Candidates must fit (see :meth:`_Fit.allows`): a "she" skips the men nearby.
    """
    if token.lower_ in _PRONOUNS and token.tag_ in ("PRP", "PRP$"):
        span, kind, reach = token.doc[token.i : token.i + 1], "pronoun", 1
    else:
        epithet = _epithet(token)
        if epithet is None:
            return None
        span, kind, reach = epithet, "epithet", 2
    quote = finder.quote_of(token)
    excluded: set[int] = set()
    objective = token.tag_ == "PRP" and token.dep_ in ("dobj", "pobj", "dative")
    if kind == "epithet" or (objective and token.lower_ not in _REFLEXIVES):
        excluded = _clause_subjects(token)
    allowed = fits.titled.get(token.lemma_.lower()) if kind == "epithet" else None
    for back in range(reach + 1):
        candidates = [
            (ref, p)
            for at, ref, p in history
            if at == pos - back
            and ref.quote == quote
            and not (ref.span.doc is token.doc and excluded & {t.i for t in ref.span})
            and fits.allows(token, kind, p)
        ]
        if not candidates:
            continue
        if token.lower_ in _REFLEXIVES:
            subjects = _clause_subjects(token)
            bound = {p for ref, p in candidates if subjects & {t.i for t in ref.span}}
            if len(bound) == 1:
                return span, kind, bound.pop()
        choice = _choose(candidates, prefer_subject=kind == "pronoun")
        return None if choice is None else (span, kind, choice)
    if allowed is not None and len(allowed) == 1:
        (only,) = allowed
        if any(p == only and at <= pos for at, _, p in history):
            return span, kind, only
    return None


def _titled_roles(finder: Finder, parties: list[Party]) -> dict[str, set[int]]:
    """Role noun -> parties written with it as a title, so "the president" can only be
    someone called "President ..." when the articles call anyone that. Abbreviated titles
    count as the noun ("Gov." holds "governor")."""
    roles: dict[str, set[int]] = {}
    for p, party in enumerate(parties):
        for ref in party.refs():
            title = finder.title_of(ref)
            if title:
                word = title.split()[-1].rstrip(".")
                roles.setdefault(TITLE_ABBREVIATIONS.get(word, word), set()).add(p)
    return roles


#: Nouns that only say "a person": outlets use them for someone they describe, not an office-holder.
_PLAIN_PERSON = frozenset({"man", "woman"})

#: First-person pronouns: inside a quotation, the quoted speaker.
_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})


def _first_person(finder: Finder, parties: list[Party]) -> None:
    """ "I"/"me"/"my" inside a quotation count as its speaker when one person party is the
    subject of a reporting verb ("..., she said") in a sentence the quotation touches, or
    in the sentence right after or before it."""
    from stance.voice import REPORTING_VERBS  # voice reads names through this package

    speakers: dict[tuple[int, int], set[int]] = {}
    for p, party in enumerate(parties):
        if party.entity_type != "PERSON":
            continue
        for ref in party.refs():
            root = ref.span.root
            if (
                ref.quote is not None
                or root.dep_ not in _SUBJECT_DEPS
                or root.head.lemma_.lower() not in REPORTING_VERBS
            ):
                continue
            for quote in _quotes_near(finder, ref):
                speakers.setdefault(quote, set()).add(p)
    for a, article in enumerate(finder.articles):
        for sid, sent in article.spans.items():
            for token in sent:
                if token.lower_ not in _FIRST_PERSON or token.tag_ not in ("PRP", "PRP$"):
                    continue
                who = speakers.get(finder.quote_of(token) or (0, -1), set())
                if len(who) == 1:
                    (p,) = who
                    parties[p].groups[0].refs.append(finder.ref(a, sid, token.doc[token.i : token.i + 1], "pronoun"))


def _quotes_near(finder: Finder, ref: Ref) -> list[tuple[int, int]]:
    """Quotations (as quote ids) in the mention's sentence, else in the next or previous one."""
    sent = ref.span.sent
    doc = ref.span.doc
    sentences = list(doc.sents)
    at = next(i for i, s in enumerate(sentences) if s.start == sent.start)
    for i in (at, at + 1, at - 1):
        if 0 <= i < len(sentences):
            found = {q for t in sentences[i] if (q := finder.quote_of(t)) is not None}
            if found:
                return sorted(found)
    return []


def _epithet(token: Token) -> Span | None:
    """ "the strongman": a definite, singular role noun that is not a name, not part of a
    name ("the president Donald Trump"), not followed by "of" (the leader *of* X is someone
    else) and not an appositive (framing reads those as descriptors)."""
    if token.tag_ != "NN" or token.ent_type_ or token.dep_ in ("compound", "appos", "attr"):
        return None
    lemma = token.lemma_.lower()
    if lemma not in ROLE_NOUNS and lemma not in STATUS_NOUNS and not ROLE_SUFFIX.fullmatch(lemma):
        return None
    if any(child.ent_type_ == "ORDINAL" or child.tag_ == "CD" for child in token.lefts):
        return None  # "the first president" is someone in a list, not the one named nearby
    det = [child for child in token.lefts if child.dep_ == "det"]
    if not det or det[0].lower_ != "the":
        return None
    if any(c.dep_ == "appos" or (c.dep_ == "prep" and c.lower_ == "of") for c in token.rights):
        return None
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is not None and following.pos_ == "PROPN":
        return None
    return token.doc[det[0].i : token.i + 1]


def _clause_subjects(token: Token) -> set[int]:
    """Token indices of the subject(s) of the clause ``token`` sits in, following
    coordinated and controlled verbs up ("X spoke ... and praised him": X), and a relative
    pronoun to the noun it stands for ("Haftar, who casts himself": Haftar)."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return set()
    verbs = [verb]
    while verb.dep_ in ("conj", "xcomp") and verb.head != verb and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head
        verbs.append(verb)
    found: set[int] = set()
    for verb in verbs:
        subjects = [child for child in verb.children if child.dep_ in _SUBJECT_DEPS] or _linear_subject(verb)
        for subject in subjects:
            if subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                subject = verb.head
            found.add(subject.i)
            found.update(c.i for c in subject.children if c.dep_ in ("compound", "flat", "appos"))
    return found


def _linear_subject(verb: Token) -> list[Token]:
    """The noun phrase right before a verb the parser left without a subject (a common
    slip of small models after "as ..."), skipping the phrase's own relative clause."""
    k = verb.left_edge.i - 1
    if k < verb.sent.start:
        return []
    node = verb.doc[k]
    while node.head != node and node.head.i < verb.left_edge.i and node.head.right_edge.i <= k:
        node = node.head
    while node.dep_ in ("prep", "mark", "punct"):
        objects = [child for child in node.children if child.dep_ == "pobj"]
        if not objects:
            return []
        node = objects[0]
    return [node] if node.pos_ in ("PROPN", "NOUN", "PRON") else []


def _choose(candidates: list[tuple[Ref, int]], prefer_subject: bool) -> int | None:
    """The one party among ``candidates``; for a pronoun, else the one that is a subject."""
    parties = {p for _, p in candidates}
    if len(parties) == 1:
        return parties.pop()
    if not prefer_subject:
        return None
    subjects = {p for ref, p in candidates if _is_subject(ref.span.root)}
    return subjects.pop() if len(subjects) == 1 else None


def _is_subject(token: Token) -> bool:
    return token.dep_ in _SUBJECT_DEPS or (token.dep_ == "appos" and token.head.dep_ in _SUBJECT_DEPS)
