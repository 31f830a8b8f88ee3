"""Entities of one article: named-entity mentions grouped under canonical names, plus the
holders that attributions name (spokespeople, documents, pronouns, unnamed sources)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from spacy.attrs import ENT_TYPE, IDX, LEMMA, LENGTH, LIKE_NUM, LOWER, POS, SPACY
from spacy.strings import get_string_id
from spacy.symbols import NOUN
from spacy.tokens import Doc, Token

from ..records import Entity, Span
from . import lexicon as lx
from .offsets import expand_char_span


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


_POSSESSIVE = re.compile(r"'s$")
_SPACES = re.compile(r"\s+")
_THE = re.compile(r"^the ")


@lru_cache(maxsize=1 << 12)
def _norm(name: str) -> str:
    """A name as entities are keyed by: lower-case, no possessive 's, single spaces, no leading
    "the ". Memoised: an article adds its names once per mention (and the same names recur from
    article to article)."""
    name = name.lower().replace("\u2019", "'")
    name = _POSSESSIVE.sub("", name)
    return _THE.sub("", _SPACES.sub(" ", name)).strip(" .,")


def _ids(words) -> np.ndarray:
    """spaCy's string ids of ``words`` (what ``Doc.to_array`` holds for LOWER or LEMMA)."""
    return np.array(sorted({get_string_id(w) for w in words}), dtype=np.uint64)


_ORG_NAME_IDS = _ids(lx.ORG_NAMES)
_THE_ID = get_string_id("the")
_TITLE_NOUNS = lx.SPOKES_NOUNS | {"ambassador"}


class Columns:
    """The few token attributes the entity and claim rules read, taken from a Doc once as arrays.

    Walking a Doc (``for tok in doc``, ``doc[i]``) builds a Python Token object per step; the
    rules below look at every token but act on a handful, so they pick those from the arrays and
    make Tokens only for them. ``text`` must be the Doc's text (``doc.text`` is rebuilt from the
    tokens on every access, so a caller that already holds it passes it in).

    ``lower``, ``pos``, ``lemma``, ``ent_type`` and ``like_num`` are arrays (string ids, and 0/1
    for ``like_num``) for rules that test every token at once; ``start``, ``end`` (character
    offsets) and ``space`` (1 when the token's ``whitespace_`` is " ") are lists, read a token
    at a time. ``tiled``: each token starts where the previous one and its space ended (as in
    every Doc spaCy makes), so the text of a run of tokens is one slice of ``text``.
    """

    __slots__ = ("lower", "pos", "lemma", "ent_type", "like_num", "start", "end", "space", "tiled", "text",
                 "strings")

    def __init__(self, doc: Doc, text: str | None = None):
        arr = doc.to_array([LOWER, POS, LEMMA, ENT_TYPE, LIKE_NUM, IDX, LENGTH, SPACY])
        self.lower, self.pos, self.lemma, self.ent_type, self.like_num = (arr[:, 0], arr[:, 1], arr[:, 2],
                                                                          arr[:, 3], arr[:, 4])
        idx, length, space = arr[:, 5], arr[:, 6], arr[:, 7]
        self.start = idx.tolist()
        self.end = (idx + length).tolist()
        self.space = space.tolist()
        self.tiled = bool(not len(idx) or (idx[0] == 0 and np.array_equal(idx[1:], (idx + length + space)[:-1])))
        self.text = doc.text if text is None else text
        self.strings = doc.vocab.strings

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``."""
        return self.text[self.start[start]:self.end[end - 1]]

    def word(self, i: int) -> str:
        """``doc[i].text``."""
        return self.text[self.start[i]:self.end[i]]

    def text_with_ws(self, start: int, end: int) -> str:
        """``"".join(t.text_with_ws for t in doc[start:end])``."""
        if self.tiled:
            return self.text[self.start[start]:self.end[end - 1] + self.space[end - 1]]
        return "".join(self.word(i) + " " * self.space[i] for i in range(start, end))

    def lower_of(self, i: int) -> str:
        return self.strings[int(self.lower[i])]

    def token_range(self, start_char: int, end_char: int) -> range:
        """The tokens of ``doc.char_span(start_char, end_char, alignment_mode="expand")``, none
        when that is None."""
        span = expand_char_span(self.start, self.end, self.space, start_char, end_char)
        return range(*span) if span is not None else range(0)


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
    if label == "PERSON" and (not text[0].isupper() or any(map(str.isdigit, text))):
        return True
    return False


def collect_entities(doc: Doc, table: EntityTable, text: str | None = None, cols: Columns | None = None) -> None:
    """Add NER mentions (persons grouped by surname), organisations named by rule.
    ``text`` is ``doc.text`` when the caller has it, ``cols`` the Doc's Columns."""
    if cols is None:
        cols = Columns(doc, text)
    persons: list[tuple[int, int]] = []
    others: list[tuple[tuple[int, int], str]] = []
    for ent in doc.ents:
        label = ent.label_
        etype = lx.NER_TYPES.get(label)
        if etype is None:
            continue
        rng = _clean_ent(ent)
        if rng is None:
            continue
        name = cols.span_text(*rng)
        if _is_bad_name(name, label):
            continue
        low = name.lower()
        if low in lx.ORG_NAMES:
            etype = "Organization"
        if low in lx.NOT_NAMES or cols.lower_of(rng[0]) in lx.NOT_NAMES:
            continue
        if etype == "Person" or _titled(doc, cols, rng):
            persons.append(rng)
        else:
            others.append((rng, etype))
    surnames = {cols.span_text(a, b) for a, b in persons} | {cols.span_text(b - 1, b) for a, b in persons}
    for rng, etype in others:
        name = cols.span_text(*rng)
        if name in surnames and etype in ("Organization", "Place"):
            persons.append(rng)      # "Trump" tagged ORG once, PERSON elsewhere
        else:
            _add_span(table, cols, rng, etype, name)
    _group_persons(cols, table, sorted(persons))
    _rule_orgs(doc, cols, table)
    _definite_mentions(cols, table)


def _definite_mentions(cols: Columns, table: EntityTable) -> None:
    """"the authority" after "Calderwick Harbor Authority": a definite description naming the
    head word of an organisation already mentioned is a mention of it."""
    heads: dict[str, str] = {}
    for key, e in table.entities.items():
        words = e["name"].split()
        if e["type"] == "Organization" and len(words) >= 2 and e["role"] == "subject":
            heads.setdefault(words[-1].lower(), key)
    if not heads:
        return
    by_id = {get_string_id(w): key for w, key in heads.items()}
    found = (cols.pos == NOUN) & np.isin(cols.lower, _ids(heads))
    for i in np.flatnonzero(found).tolist():      # nouns spelt like a head word, in text order
        if i == 0 or i in table.mention_at or cols.lower[i - 1] != _THE_ID:
            continue
        key = by_id[int(cols.lower[i])]
        first = min(s.start for s in table.entities[key]["mentions"]) if table.entities[key]["mentions"] else 0
        if cols.start[i] > first:
            table.mention_at[i] = key
            table.order.append((cols.start[i], key))


def _titled(doc: Doc, cols: Columns, rng: tuple[int, int]) -> bool:
    """A proper name right after a role noun is a person ("Ambassador ... Vasily Nebenzia")."""
    start, end = rng
    if start == 0 or end - start > 3 or cols.lower_of(start - 1) not in _TITLE_NOUNS:
        return False
    return doc[start:end].root.dep_ != "compound" and doc[start - 1].dep_ == "compound"


def _add_span(table: EntityTable, cols: Columns, rng: tuple[int, int], etype: str, name: str) -> str:
    start, end = rng
    return table.add(name, etype, Span(cols.start[start], cols.end[end - 1], cols.span_text(start, end)),
                     tokens=range(start, end))


def _rule_orgs(doc: Doc, cols: Columns, table: EntityTable) -> None:
    """"the Kremlin", "the Russian embassy": organisations the statistical NER misses."""
    for i in _org_candidates(cols).tolist():
        if i in table.mention_at:
            continue
        tok = doc[i]
        low = tok.lower_
        if low in lx.ORG_NAMES and tok.text[0].isupper():
            _add_span(table, cols, (tok.i, tok.i + 1), "Organization", tok.text)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.ORG_HEADS:
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i
                    and (c.ent_type_ in ("NORP", "GPE", "ORG") or c.pos_ == "PROPN")]
            if mods and not any(c.i in table.mention_at and table.entities[table.mention_at[c.i]]["type"] == "Person" for c in mods):
                start = min(m.i for m in mods)
                name = cols.span_text(start, tok.i + 1)
                name = name[0].upper() + name[1:]
                key = table.add(name, "Organization", Span(cols.start[start], cols.end[tok.i], cols.span_text(start, tok.i + 1)),
                                tokens=range(start, tok.i + 1))
                for j in range(start, tok.i + 1):
                    table.mention_at[j] = key


def _org_candidates(cols: Columns) -> np.ndarray:
    """Indices of the tokens ``_rule_orgs`` can act on, in order: an organisation's name
    (any case), or a noun whose lemma, lower-cased, is an organisation head word."""
    found = np.isin(cols.lower, _ORG_NAME_IDS)
    nouns = cols.pos == NOUN
    if nouns.any():
        lemmas = np.unique(cols.lemma[nouns]).tolist()
        heads = [h for h in lemmas if cols.strings[h].lower() in lx.ORG_HEADS]
        if heads:
            found |= nouns & np.isin(cols.lemma, np.array(heads, dtype=np.uint64))
    return np.flatnonzero(found)


def _group_persons(cols: Columns, table: EntityTable, persons: list[tuple[int, int]]) -> None:
    """Short forms join the longest full name that ends with them (Peskov -> Dmitry Peskov)."""
    names = [(rng, cols.span_text(*rng)) for rng in persons]
    first = {n: k for k, (_, n) in reversed(list(enumerate(names)))}   # name -> its first mention
    # longest first, then the earlier mentioned ("Clinton" joins whichever Clinton came first);
    # never set order, which changes from run to run with Python's string hashing
    full = [(n, n.split()) for n in sorted(first, key=lambda n: (-len(n.split()), first[n]))]
    canon_of: dict[str, str] = {}
    for rng, name in names:
        canon = canon_of.get(name)
        if canon is None:
            canon = canon_of[name] = _longer_form(name, full)
        _add_span(table, cols, rng, "Person", canon)


def _longer_form(name: str, full: list[tuple[str, list[str]]]) -> str:
    """The first (longest) of ``full`` that ends with ``name`` or contains it as one word."""
    toks = name.split()
    for cand, ct in full:
        if len(ct) > len(toks) and (ct[-len(toks):] == toks or (len(toks) == 1 and toks[0] in ct)):
            return cand
    return name


def entity_in(table: EntityTable, tokens: list[Token]) -> list[str]:
    keys: list[str] = []
    for t in tokens:
        k = table.mention_at.get(t.i)
        if k is not None and k not in keys:
            keys.append(k)
    return keys
