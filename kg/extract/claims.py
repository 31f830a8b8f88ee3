"""Claims: an attribution's content turned into a concise, positive proposition.

"it did not receive the letter" becomes "the ministry received the letter" with the stance
flipped to a denial; "that ..." and quotation marks are dropped; pronoun subjects take the
holder's name. Numbers, times, entities and the main predicate feed claim identity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from . import lexicon as lx

NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
NUMBER_WORDS.update({"twice": "2", "once": "1", "thrice": "3", "dozen": "12"})
LEAD = re.compile(r"^(that|whether|if)\s+", re.I)
SPACES = re.compile(r"\s+")
QUOTES = "\"\u201c\u201d\u2018\u2019'"


@dataclass
class ClaimText:
    text: str
    negated: bool
    predicate: str
    numbers: tuple[str, ...]
    times: tuple[str, ...]
    lemmas: tuple[str, ...]


def _root(tokens: list[Token]) -> Token | None:
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            if not t.is_punct:
                return t
    return None


def _negation(root: Token) -> list[Token]:
    """Negation tokens of a clause root, unless a volitional modal makes it a promise."""
    negs = [c for c in root.children if c.dep_ == "neg" and c.lower_.replace("\u2019", "'") in lx.NEGATIONS | {"n't"}]
    if not negs:
        return []
    if any(c.dep_ == "aux" and c.lower_.replace("\u2019", "'") in lx.VOLITIONAL_MODALS for c in root.children):
        return []
    return negs


def _past(verb: Token) -> str:
    lemma = verb.lemma_.lower()
    if lemma in lx.IRREGULAR_PAST:
        return lx.IRREGULAR_PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ied"
    return lemma + "ed"


def _third(verb: Token) -> str:
    lemma = verb.lemma_.lower()
    if lemma == "have":
        return "has"
    if re.search(r"(s|sh|ch|x|z|o)$", lemma):
        return lemma + "es"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ies"
    return lemma + "s"


PRONOUN_FITS = {"he": ("Person",), "she": ("Person",), "it": ("Organization", "CreativeWork", "UnnamedSource"),
                "they": ("Organization", "UnnamedSource")}


def build_claim_text(tokens: list[Token], *, subject_name: str | None = None,
                     we_name: str | None = None, subject_type: str = "") -> ClaimText:
    """Concise positive claim from content tokens (stance flip reported in ``negated``)."""
    words = [(t, t.text) for t in tokens]     # Token.text makes a new string on each access
    toks = [t for t, word in words if word not in QUOTES]
    root = _root(toks)
    replace: dict[int, str] = {}
    drop: set[int] = set()
    negated = False
    if root is not None:
        negs = _negation(root)
        if negs:
            negated = True
            drop.update(n.i for n in negs)
            do_aux = [c for c in root.children if c.dep_ == "aux" and c.lemma_ == "do"]
            for aux in do_aux:
                drop.add(aux.i)
                replace[root.i] = _past(root) if aux.tag_ == "VBD" else (_third(root) if aux.tag_ == "VBZ" else root.lemma_)
            for aux in root.children:
                if aux.dep_ == "aux" and aux.lower_ in ("ca", "can"):
                    replace[aux.i] = "can"
        for c in root.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON":
                low = c.lower_
                if subject_name and subject_type in PRONOUN_FITS.get(low, ()):
                    replace[c.i] = subject_name
                elif low == "we" and we_name:
                    replace[c.i] = we_name
    parts = []
    for t, word in words:
        if word in QUOTES or t.i in drop:
            if t.whitespace_ and parts and not parts[-1].endswith(" "):
                parts.append(" ")
            continue
        parts.append((replace.get(t.i, word) if replace else word) + t.whitespace_)
    text = "".join(parts).strip()
    text = LEAD.sub("", text).strip(" ,;:-\u2014" + QUOTES)
    text = SPACES.sub(" ", text).rstrip(".,;: ")
    if text and text[0].islower() and not text.startswith(("iPhone", "e")):
        text = text[0].upper() + text[1:]
    predicate = ""
    if root is not None:
        predicate = root.lemma_.lower()
        if predicate == "be":
            attr = next((c for c in root.children if c.dep_ in ("attr", "acomp")), None)
            predicate = attr.lemma_.lower() if attr is not None else predicate
    return ClaimText(text=text, negated=negated, predicate=predicate,
                     numbers=_numbers(toks), times=_times(toks),
                     lemmas=tuple(sorted({t.lemma_.lower() for t in toks if t.pos_ in ("NOUN", "VERB", "ADJ", "PROPN", "NUM")
                                          and not t.is_stop and t.is_alpha})))


def _numbers(toks: list[Token]) -> tuple[str, ...]:
    out = []
    for t in toks:
        low = t.lower_
        if low in NUMBER_WORDS:
            out.append(NUMBER_WORDS[low])
        elif t.like_num and t.ent_type_ not in ("DATE", "TIME"):
            out.append(re.sub(r"[,\s]", "", low))
    return tuple(sorted(set(out)))


def _times(toks: list[Token]) -> tuple[str, ...]:
    out = [t.lower_ for t in toks if t.ent_type_ in ("DATE", "TIME") and (t.like_num or t.is_alpha)
           and t.lower_ not in ("the", "of", "a", "since", "in", "on")]
    return tuple(sorted(set(out)))


def is_reply(text: str, patterns: list[str], max_words: int = 20) -> bool:
    return len(text.split()) <= max_words and lx.matches_any(patterns, text)


def is_anaphoric(tokens: list[Token]) -> bool:
    words = [t for t in tokens if not t.is_punct]
    if not words or len(words) > 6:
        return False
    heads = [t for t in words if t.head not in words or t.head.i == t.i]
    head = heads[0] if heads else words[0]
    if head.lower_ in ("this", "that", "it", "these", "those"):
        return True
    if head.lemma_.lower() in lx.ANAPHORA and any(c.lower_ in ("the", "this", "that", "these", "those") or c.dep_ == "poss"
                                                  for c in head.children):
        return True
    return head.pos_ == "VERB" and head.lemma_ in ("comment", "respond", "say", "confirm", "discuss") and len(words) <= 4


def doc_tokens(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []
