"""Entities of one article: named-entity mentions grouped under canonical names, plus the
holders that attributions name (spokespeople, documents, pronouns, unnamed sources)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..records import Entity, Span
from . import lexicon as lx


@dataclass
class EntityTable:
    """Mutable, per-article entity registry keyed by canonical name and type."""

    entities: dict[str, dict] = field(default_factory=dict)       # key -> fields
    by_name: dict[tuple[str, str], str] = field(default_factory=dict)
    mention_at: dict[int, str] = field(default_factory=dict)       # token index -> key
    order: list[tuple[int, str]] = field(default_factory=list)     # (char offset, key)

    def add(self, name: str, etype: str, span: Span | None = None, role: str = "subject",
            tokens: range | None = None) -> str:
        k = (etype, _norm(name))
        key = self.by_name.get(k)
        if key is None:
            key = f"e{len(self.entities) + 1}"
            self.by_name[k] = key
            self.entities[key] = {"name": name, "type": etype, "aliases": set(), "mentions": [],
                                  "role": role, "affiliation": None}
        ent = self.entities[key]
        if role == "subject" and ent["role"] != "subject":
            ent["role"] = "subject"
        if span is not None:
            ent["mentions"].append(span)
            self.order.append((span.start, key))
            if span.text != ent["name"]:
                ent["aliases"].add(span.text)
        for i in tokens or ():
            self.mention_at[i] = key
        return key

    def records(self) -> tuple[Entity, ...]:
        return tuple(Entity(key=k, name=e["name"], type=e["type"],
                            aliases=tuple(sorted(a for a in e["aliases"] if _norm(a) != _norm(e["name"]))),
                            mentions=tuple(e["mentions"]), role=e["role"], affiliation=e["affiliation"])
                     for k, e in self.entities.items())

    def last_before(self, offset: int, types: tuple[str, ...]) -> str | None:
        best = None
        for start, key in self.order:
            if start < offset and self.entities[key]["type"] in types:
                if best is None or start > best[0]:
                    best = (start, key)
        return best[1] if best else None

    def last_offset(self, key: str, before: int) -> int:
        """Offset of the last mention of ``key`` before ``before`` (-1 when none)."""
        return max((start for start, k in self.order if k == key and start < before), default=-1)

    def most_mentioned(self, etype: str) -> str | None:
        cands = [(len(e["mentions"]), k) for k, e in self.entities.items()
                 if e["type"] == etype and e["role"] == "subject"]
        return max(cands)[1] if cands and max(cands)[0] >= 2 else None


def _norm(name: str) -> str:
    name = name.lower().replace("\u2019", "'")
    name = re.sub(r"'s$", "", name)
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", name)).strip(" .,")


def _clean_ent(span) -> tuple[int, int] | None:
    """Trim determiners, possessives and titles from an entity span; None when nothing is left."""
    toks = list(span)
    while toks and (toks[0].lower_ in ("the", "a", "an") or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].lower_ in ("'s", "\u2019s", "'") or toks[-1].is_punct):
        toks = toks[:-1]
    if span.label_ == "PERSON":
        while len(toks) > 1 and toks[0].lower_.rstrip(".") in lx.TITLES:
            toks = toks[1:]
    if not toks or not any(t.is_alpha for t in toks):
        return None
    return toks[0].i, toks[-1].i + 1


def _is_bad_name(text: str, label: str) -> bool:
    if len(text) < 2 or text.isdigit() or "\n" in text:
        return True
    if label == "PERSON" and (not text[0].isupper() or any(ch.isdigit() for ch in text)):
        return True
    return False


def collect_entities(doc: Doc, table: EntityTable) -> None:
    """Add NER mentions (persons grouped by surname), organisations named by rule."""
    persons: list[tuple[int, int]] = []
    others: list[tuple[tuple[int, int], str]] = []
    for ent in doc.ents:
        etype = lx.NER_TYPES.get(ent.label_)
        if etype is None:
            continue
        rng = _clean_ent(ent)
        if rng is None:
            continue
        span = doc[rng[0]:rng[1]]
        if _is_bad_name(span.text, ent.label_):
            continue
        if span.text.lower() in lx.ORG_NAMES:
            etype = "Organization"
        if span.text.lower() in lx.NOT_NAMES or span[0].lower_ in lx.NOT_NAMES:
            continue
        if etype == "Person" or _titled(span):
            persons.append(rng)
        else:
            others.append((rng, etype))
    surnames = {doc[a:b].text for a, b in persons} | {doc[b - 1].text for a, b in persons}
    for rng, etype in others:
        text = doc[rng[0]:rng[1]].text
        if text in surnames and etype in ("Organization", "Place"):
            persons.append(rng)      # "Trump" tagged ORG once, PERSON elsewhere
        else:
            _add_span(table, doc, rng, etype, text)
    _group_persons(doc, table, sorted(persons))
    _rule_orgs(doc, table)
    _definite_mentions(doc, table)


def _definite_mentions(doc: Doc, table: EntityTable) -> None:
    """"the authority" after "Calderwick Harbor Authority": a definite description naming the
    head word of an organisation already mentioned is a mention of it."""
    heads: dict[str, str] = {}
    for key, e in table.entities.items():
        words = e["name"].split()
        if e["type"] == "Organization" and len(words) >= 2 and e["role"] == "subject":
            heads.setdefault(words[-1].lower(), key)
    for tok in doc:
        if tok.i in table.mention_at or tok.pos_ != "NOUN" or tok.i == 0:
            continue
        key = heads.get(tok.lower_)
        if key is None or doc[tok.i - 1].lower_ != "the":
            continue
        first = min(s.start for s in table.entities[key]["mentions"]) if table.entities[key]["mentions"] else 0
        if tok.idx > first:
            table.mention_at[tok.i] = key
            table.order.append((tok.idx, key))


def _titled(span) -> bool:
    """A proper name right after a role noun is a person ("Ambassador ... Vasily Nebenzia")."""
    first = span[0]
    if first.i == 0 or len(span) > 3:
        return False
    prev = span.doc[first.i - 1]
    return prev.lower_ in lx.SPOKES_NOUNS | {"ambassador"} and span.root.dep_ != "compound" and prev.dep_ == "compound"


def _add_span(table: EntityTable, doc: Doc, rng: tuple[int, int], etype: str, name: str) -> str:
    span = doc[rng[0]:rng[1]]
    return table.add(name, etype, Span(span.start_char, span.end_char, span.text),
                     tokens=range(rng[0], rng[1]))


def _rule_orgs(doc: Doc, table: EntityTable) -> None:
    """"the Kremlin", "the Russian embassy": organisations the statistical NER misses."""
    for tok in doc:
        if tok.i in table.mention_at:
            continue
        low = tok.lower_
        if low in lx.ORG_NAMES and tok.text[0].isupper():
            _add_span(table, doc, (tok.i, tok.i + 1), "Organization", tok.text)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.ORG_HEADS:
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i
                    and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.pos_ == "PROPN")]
            if mods and not any(c.i in table.mention_at and table.entities[table.mention_at[c.i]]["type"] == "Person" for c in mods):
                start = min(m.i for m in mods)
                name = doc[start:tok.i + 1].text
                name = name[0].upper() + name[1:]
                key = table.add(name, "Organization", Span(doc[start].idx, tok.idx + len(tok.text), doc[start:tok.i + 1].text),
                                tokens=range(start, tok.i + 1))
                for i in range(start, tok.i + 1):
                    table.mention_at[i] = key


def _group_persons(doc: Doc, table: EntityTable, persons: list[tuple[int, int]]) -> None:
    """Short forms join the longest full name that ends with them (Peskov -> Dmitry Peskov)."""
    names = [(rng, doc[rng[0]:rng[1]].text) for rng in persons]
    full = sorted({n for _, n in names}, key=lambda n: -len(n.split()))
    for rng, name in names:
        canon = name
        toks = name.split()
        for cand in full:
            ct = cand.split()
            if len(ct) > len(toks) and (ct[-len(toks):] == toks or (len(toks) == 1 and toks[0] in ct)):
                canon = cand
                break
        _add_span(table, doc, rng, "Person", canon)


def entity_in(table: EntityTable, tokens: list[Token]) -> list[str]:
    keys: list[str] = []
    for t in tokens:
        k = table.mention_at.get(t.i)
        if k is not None and k not in keys:
            keys.append(k)
    return keys
