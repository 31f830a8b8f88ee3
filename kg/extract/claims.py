"""Claims: an attribution's content turned into a concise, positive proposition.

"it did not receive the letter" becomes "the ministry received the letter" with the stance
flipped to a denial; "that ..." and quotation marks are dropped; pronoun subjects take the
holder's name. Numbers, times, entities and the main predicate feed claim identity.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
from spacy.strings import get_string_id
from spacy.symbols import ADJ, NOUN, NUM, PROPN, VERB
from spacy.tokens import Doc, Token

from . import lexicon as lx
from .entities import Columns

NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
NUMBER_WORDS.update({"twice": "2", "once": "1", "thrice": "3", "dozen": "12"})
LEAD = re.compile(r"^(that|whether|if)\s+", re.I)
# "and" or "but" opening a content ("“…,” she said, “and the barges …”") joins it to what came
# before; it is no part of the proposition
CONJUNCTION_LEAD = re.compile(r"^(?:and|but)\s+", re.I)
SPACES = re.compile(r"\s+")
QUOTES = "\"\u201c\u201d\u2018\u2019'"
# the parts of speech whose lemmas feed claim identity, and the number words, as string ids
_CONTENT_POS_IDS = np.array(sorted([NOUN, VERB, ADJ, PROPN, NUM]), dtype=np.uint64)
_DATE_TIME_IDS = np.array(sorted({get_string_id("DATE"), get_string_id("TIME")}), dtype=np.uint64)
_NUMBER_WORD_IDS = np.array(sorted({get_string_id(w) for w in NUMBER_WORDS}), dtype=np.uint64)
# every text ``word in QUOTES`` holds for (any run of its characters), as string ids
_QUOTE_IDS = np.array(sorted({get_string_id(QUOTES[a:b]) for a in range(len(QUOTES))
                              for b in range(a + 1, len(QUOTES) + 1)}), dtype=np.uint64)


@dataclass
class ClaimText:
    text: str
    negated: bool
    predicate: str
    numbers: tuple[str, ...]
    times: tuple[str, ...]
    lemmas: tuple[str, ...]


def _negation(root: Token, children: list[Token] | None = None) -> list[Token]:
    """Negation tokens of a clause root, unless a volitional modal makes it a promise.
    ``children`` is ``list(root.children)`` when the caller has it."""
    if children is None:
        children = list(root.children)
    negs = [c for c in children if c.dep_ == "neg" and c.lower_.replace("\u2019", "'") in lx.NEGATIONS | {"n't"}]
    if not negs:
        return []
    if any(c.dep_ == "aux" and c.lower_.replace("\u2019", "'") in lx.VOLITIONAL_MODALS for c in children):
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


class ClaimColumns:
    """A Doc's tokens as the claim rules read them: by index, from the Doc's :class:`Columns`.

    Read through spaCy Tokens a content costs ~3 µs a token (a new Token per ``doc[i]``, a new
    string per ``.text`` or ``.pos_``). Here a content's words and spaces are slices of the
    text; the tokens the rules single out (quotation marks, and those that can give a claim
    numbers, times or content words) are found for the whole Doc at once with array
    operations, a few per content; Tokens are made only for those, and for a content's root
    and its dependents.
    """

    def __init__(self, doc: Doc, cols: Columns | None = None, text: str | None = None):
        self.doc = doc
        self.cols = cols = cols if cols is not None else Columns(doc, text)
        # Sorted token indices. A quotation mark's lower-case form is itself (it has no letters).
        self.quotes = np.flatnonzero(_member(cols.lower, _QUOTE_IDS)).tolist()
        # a superset of the tokens _numbers and _times take
        self.numeric = np.flatnonzero(cols.like_num.astype(bool) | _member(cols.lower, _NUMBER_WORD_IDS)).tolist()
        self.dated = np.flatnonzero(_member(cols.ent_type, _DATE_TIME_IDS)).tolist()
        # the tokens whose part of speech lets their lemma into a claim's lemmas
        self.content = np.flatnonzero(_member(cols.pos, _CONTENT_POS_IDS)).tolist()

    def tokens(self, idx) -> list[Token]:
        """The Tokens at the indices ``idx``, for the rules that read a few tokens closely."""
        doc = self.doc
        return [doc[i] for i in idx]


def _member(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """``np.isin(values, ids)`` for a short sorted array ``ids``: one bisection per value (isin
    compares every value with each id in turn, several times slower here)."""
    at = np.searchsorted(ids, values)
    at[at == len(ids)] = 0
    return ids[at] == values


def _within(candidates: list[int], rng: range) -> list[int]:
    """The sorted ``candidates`` inside ``rng``."""
    return candidates[bisect_left(candidates, rng.start):bisect_left(candidates, rng.stop)]


def claim_text(cc: ClaimColumns, content: range, *, subject_name: str | None = None,
               we_name: str | None = None, subject_type: str = "",
               leave_out: frozenset[int] = frozenset()) -> ClaimText:
    """Concise positive claim from the tokens ``content`` of ``cc``'s Doc (an attribution's
    content, or a whole Doc), the stance flip reported in ``negated``; the tokens in
    ``leave_out`` (an attribution set into its own content: "Survival, Mr. Ames says, depends
    on …") are no part of the text or its features."""
    doc, cols = cc.doc, cc.cols
    # quotation marks and ``leave_out``: left out of the text and the features
    quotes = set(_within(cc.quotes, content)) | leave_out
    root = _root(doc, content, quotes)
    replace: dict[int, str] = {}
    drop: set[int] = set()
    negated = False
    # the root's dependents, made once (each pass over ``root.children`` makes new Tokens)
    children = list(root.children) if root is not None else []
    if root is not None:
        negs = _negation(root, children)
        if negs:
            negated = True
            drop.update(n.i for n in negs)
            do_aux = [c for c in children if c.dep_ == "aux" and c.lemma_ == "do"]
            for aux in do_aux:
                drop.add(aux.i)
                replace[root.i] = _past(root) if aux.tag_ == "VBD" else (_third(root) if aux.tag_ == "VBZ" else root.lemma_)
            for aux in children:
                if aux.dep_ == "aux" and aux.lower_ in ("ca", "can"):
                    replace[aux.i] = "can"
        for c in children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON":
                low = c.lower_
                if subject_name and subject_type in PRONOUN_FITS.get(low, ()):
                    replace[c.i] = subject_name
                elif low == "we" and we_name:
                    replace[c.i] = we_name
    text = _join(cols, content, quotes | drop, replace).strip()
    text = CONJUNCTION_LEAD.sub("", text.strip(" ,;:-\u2014" + QUOTES))
    text = LEAD.sub("", text).strip(" ,;:-\u2014" + QUOTES)
    text = SPACES.sub(" ", text).rstrip(".,;: ")
    if text and text[0].islower() and not text.startswith(("iPhone", "e")):
        text = text[0].upper() + text[1:]
    predicate = ""
    if root is not None:
        predicate = root.lemma_.lower()
        if predicate == "be":
            attr = next((c for c in children if c.dep_ in ("attr", "acomp")), None)
            predicate = attr.lemma_.lower() if attr is not None else predicate
    numbers = cc.tokens(i for i in _within(cc.numeric, content) if i not in quotes)
    times = cc.tokens(i for i in _within(cc.dated, content) if i not in quotes)
    words = cc.tokens(i for i in _within(cc.content, content) if i not in quotes)
    return ClaimText(text=text, negated=negated, predicate=predicate, numbers=_numbers(numbers), times=_times(times),
                     lemmas=tuple(sorted({t.lemma_.lower() for t in words if not t.is_stop and t.is_alpha})))


def _root(doc: Doc, content: range, quotes: set[int]) -> Token | None:
    """The first token of ``content`` (quotation marks aside) that is no punctuation and whose
    head is outside the content, or a quotation mark, or itself."""
    for i in content:
        if i in quotes:
            continue
        t = doc[i]
        head = t.head.i
        if (head not in content or head in quotes or head == i) and not t.is_punct:
            return t
    return None


def _join(cols: Columns, content: range, skip: set[int], replace: dict[int, str]) -> str:
    """The words of ``content`` each with its space, the tokens in ``skip`` left out (keeping a
    space where the text had one and the part before did not end with one) and those in
    ``replace`` replaced: token by token, or a slice of the text for each run of tokens kept
    as they are."""
    parts: list[str] = []
    last_space = False          # whether the last part ends with a space (no parts yet: no)
    pos = content.start         # the first token not yet written
    for i in sorted(skip.union(replace)):
        if i < content.start or i >= content.stop:
            continue
        if pos < i:
            parts.append(cols.text_with_ws(pos, i))
            last_space = parts[-1].endswith(" ")
        if i in skip:
            if cols.space[i] and parts and not last_space:
                parts.append(" ")
                last_space = True
        else:
            parts.append(replace[i] + " " * cols.space[i])
            last_space = parts[-1].endswith(" ")
        pos = i + 1
    if pos < content.stop:
        parts.append(cols.text_with_ws(pos, content.stop))
    return "".join(parts)


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
    """A short answer ("That is not true") matching ``patterns``. Split at most ``max_words``
    times, a text of W words gives min(W, max_words + 1) parts: the length test reads only the
    first words of a long content."""
    return len(text.split(None, max_words)) <= max_words and lx.matches_any(patterns, text)


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


def is_anaphoric_at(cc: ClaimColumns, idx: range) -> bool:
    """:func:`is_anaphoric` of the tokens ``idx``, making Tokens only for a short content: one
    of more than six words (most are) is no anaphor."""
    words = 0
    for i in idx:
        if not cc.doc[i].is_punct:
            words += 1
            if words > 6:
                return False
    return is_anaphoric(cc.tokens(idx))
