"""Who holds a stance: map an attribution's source phrase to an entity of the article.

Named heads are themselves; role nouns take the person or organisation they name
("Kremlin spokesman Dmitry Peskov" -> Peskov, affiliated with the Kremlin; "a Kremlin
spokesman" -> the Kremlin); documents take their title ("the book" -> War); pronouns take
the nearest compatible earlier holder or mention; anything else becomes an unnamed source.
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from ..records import Span
from . import lexicon as lx
from .attributions import noun_phrase_tokens
from .entities import EntityTable

PERSONAL = ("Person",)
PERSON_NOUNS = ("candidate", "nominee", "billionaire", "businessman")   # "the candidate said": the main person
NON_PERSON = ("Organization", "CreativeWork", "UnnamedSource")


def _is_title_noun(word: str) -> bool:
    """A spokesperson's or ambassador's title ("spokesman", "ambassador")."""
    return word in lx.SPOKES_NOUNS or word == "ambassador"


def _np(noun: Token) -> list[Token]:
    return [x for x in noun.subtree if x.i <= noun.i] if noun.pos_ in ("NOUN", "PROPN") else [noun]


class HolderResolver:
    def __init__(self, table: EntityTable, article_id: str):
        self.table = table
        self.article_id = article_id
        self.recent: list[tuple[int, str]] = []   # (char offset, holder key) of earlier stances

    def note(self, offset: int, key: str) -> None:
        self.recent.append((offset, key))

    def resolve(self, head: Token, tokens: list[Token], span: Span) -> str | None:
        t = self.table
        head_i = head.i
        if tokens and all(x.i != head_i for x in tokens):   # "who" naming its antecedent
            tokens = noun_phrase_tokens(head)
        low = head.lower_
        pos = head.pos_
        if low in ("which", "who", "that") and head.i > 0:
            prev = head.doc[head.i - 1]
            while prev.is_punct and prev.i > 0:
                prev = head.doc[prev.i - 1]
            key = t.mention_at.get(prev.i)
            return key if key is not None else self.unnamed(_np(prev))
        if low in ("they", "them", "all", "both") and len(tokens) <= 2:
            return self.pronoun("they", span.start) or self._plural_antecedent(head)
        if pos == "PRON" or low in lx.PRONOUNS:
            if low not in lx.PRONOUNS and len(tokens) > 1:
                return self.unnamed(tokens)   # "those close to him", "some in the party"
            return self.pronoun(low, span.start)
        named = [(k, i) for i in range(len(tokens)) if (k := t.mention_at.get(tokens[i].i))]
        head_key = t.mention_at.get(head_i)
        if _is_title_noun(low) and tokens and tokens[-1].pos_ == "PROPN" and tokens[-1].i > head_i:
            last = tokens[-1]   # "Ambassador to the United Nations Vasily Nebenzia": the name comes last
            lk = t.mention_at.get(last.i)
            if lk is None or t.entities[lk]["type"] in ("Place", "Person"):
                head, head_i, pos = last, last.i, "PROPN"
                head_key = lk
        if (head_key is None or t.entities[head_key]["type"] == "Place") and pos == "PROPN" \
                and any(_is_title_noun(x.lemma_.lower()) for x in tokens if x.i < head_i):
            # "Ambassador … Vasily Nebenzia": a titled name is a person, whatever NER said
            name_toks = [head]
            while len(name_toks) < 4 and name_toks[0].i > 0:
                prev = head.doc[name_toks[0].i - 1]
                pk = t.mention_at.get(prev.i)
                if prev.pos_ != "PROPN" or (pk is not None and t.entities[pk]["type"] == "Organization"):
                    break
                name_toks.insert(0, prev)
            name = " ".join(x.text for x in name_toks)
            head_key = t.add(name, "Person", Span(name_toks[0].idx, head.idx + len(head.text), name),
                             tokens=range(name_toks[0].i, head.i + 1))
        if head_key is not None and t.entities[head_key]["type"] != "Place":
            self._affiliate(head_key, [k for k, _ in named])
            return head_key
        keys = list(dict.fromkeys(k for k, _ in named))
        lemma = head.lemma_.lower()
        if lemma in lx.SOURCE_DOC_NOUNS:
            works = [k for k in keys if t.entities[k]["type"] == "CreativeWork"]
            if works:
                return works[0]
            if head.dep_ != "poss" and any(c.lower_ == "the" for c in head.children):
                prev = t.last_before(span.start, ("CreativeWork",))
                if prev:
                    return prev
        people = [k for k in keys if t.entities[k]["type"] == "Person"]
        orgs = [k for k in keys if t.entities[k]["type"] == "Organization"]
        if lemma in lx.SPOKES_NOUNS:
            if people:
                self._affiliate(people[0], orgs)
                return people[0]
            if orgs and any(c.lower_ in ("a", "an") for c in head.children):
                return orgs[0]
        if pos == "PROPN" and orgs:
            return orgs[0]
        if people and lemma not in lx.UNNAMED_HEADS and pos == "PROPN":
            return people[0]
        if any(c.lower_ == "the" for c in head.children) and lemma in lx.GENERIC_ORG_NOUNS and not keys:
            top = t.most_mentioned("Organization")   # "the company said" in a story about one firm
            if top:
                return top
        if any(c.lower_ == "the" for c in head.children) and (lemma in lx.TITLES or lemma in PERSON_NOUNS):
            top = t.most_mentioned("Person")
            if top:
                return top
        return self.unnamed(tokens)

    def pronoun(self, low: str, offset: int) -> str | None:
        want = {"he": PERSONAL, "she": PERSONAL, "him": PERSONAL, "her": PERSONAL,
                "it": ("Organization", "CreativeWork"), "they": ("Organization", "UnnamedSource"),
                "we": ("Organization",)}.get(low)
        if want is None:
            if low in ("i", "me", "you") and self.recent:
                return self.recent[-1][1]   # first person inside a quote: its speaker
            return None
        for n, (off, key) in enumerate(reversed(self.recent)):
            if low == "they" and n >= 2:
                return None   # plural pronouns only take a holder just named
            if off < offset and self.table.entities[key]["type"] in want:
                if low == "we":
                    return self.table.entities[key]["affiliation"] or key
                if low == "it":   # "The embassy criticised …  It said …": the nearer organisation
                    mentioned = self.table.last_before(offset, want)
                    if mentioned is not None and self.table.last_offset(mentioned, offset) > off:
                        return mentioned
                return key
        return None if low == "they" else self.table.last_before(offset, want)

    def _plural_antecedent(self, head: Token) -> str | None:
        """What a bare "they" (or "all", "both") stands for when no group spoke just before:
        the nearest plural noun phrase of this or the previous sentence, subjects first
        ("Local fishermen met the mayor. They said …" -> local fishermen)."""
        doc = head.doc
        start = head.sent.start
        if start > 0:
            start = doc[start - 1].sent.start
        window = [t for t in doc[start:head.i] if t.tag_ in ("NNS", "NNPS") or (
            t.ent_type_ in ("NORP", "ORG") and t.ent_iob_ == "B")]
        for t in reversed(window):   # subjects only: "not aware of any conversations" is no speaker
            if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ not in lx.PRONOUNS:
                key = self.table.mention_at.get(t.i)
                if key is not None and self.table.entities[key]["type"] in ("Person", "Place"):
                    continue
                return key or self.unnamed(_np(t))
        return None

    def unnamed(self, tokens: list[Token]) -> str | None:
        words = [x for x in tokens if not x.is_punct]
        while words and words[0].lower_ in ("a", "an", "the", "some", "several", "many", "two", "three", "other", "another"):
            words = words[1:]
        if not words:
            return None
        words = words[:8]
        span = words[0].doc[words[0].i:words[-1].i + 1]
        label = re.sub(r"\s+", " ", span.text).strip()
        return self.table.add(label, "UnnamedSource", role="subject")

    def _affiliate(self, person: str, orgs: list[str]) -> None:
        ent = self.table.entities[person]
        for org in orgs:
            if org != person and self.table.entities[org]["type"] == "Organization" and ent["type"] == "Person":
                ent["affiliation"] = ent["affiliation"] or org
