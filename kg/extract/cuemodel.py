"""A learned judge of candidate attributions.

The rules in :mod:`.attributions` propose candidates generously: every verb with a subject and
something it governs (a clause, a quotation, an object), "according to", claim nouns. Whether
a candidate really is an attribution depends on the verb ("said" nearly always, "want" often,
"make" rarely), on who its subject is (people and organisations speak; "the bill" does not),
and on what it governs (a that-clause, a quotation, an infinitive), and on how these combine.
A model over such features decides: logistic weights plus a hidden ReLU layer (several models
trained with different seeds, their logits averaged, stored as one). Its weights are learned
from PolNeAR train by ``scripts/train_cue_model.py`` and stored as feature names and numbers
only (no text of the corpus) in ``data/cue_model.json``. Without that file the finder falls back to the cue lexicon alone.
"""
from __future__ import annotations

import base64
import json
import math
from bisect import bisect_left
from functools import lru_cache
from itertools import repeat
from operator import add
from pathlib import Path

from . import lexicon as lx
from .offsets import expand_char_span

MODEL_PATH = Path(__file__).with_name("data") / "cue_model.json"
PRONOUN_CLASSES = {"i": "1", "we": "1", "you": "2", "he": "3p", "she": "3p", "they": "3pl",
                   "it": "3n", "who": "rel", "which": "rel", "that": "rel"}
QUOTE_CHARS = "\u201c\u201d\""
# Auxiliaries that make a cue a modal one ("would say", "could claim").
MODALS = lx.VOLITIONAL_MODALS | {"could", "might", "may", "can"}


class CueModel:
    """A logistic model over string features ("wide" weights), optionally with one hidden layer
    over the same features ("deep": each feature adds a vector, the sum goes through a ReLU),
    which lets the model learn combinations ("said" with a quotation, "want" with a person).

    probability(feats) = sigmoid(bias + sum(weights[f]) + w2 . relu(b1 + sum(E[f])))

    The weights are read once, when the model is made (into the arrays logits() works with).
    """

    def __init__(self, weights: dict[str, float], bias: float, threshold: float,
                 hidden: dict | None = None):
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.hidden = None
        # For logits(): every feature the model knows gets a number, its wide weight is
        # wide[number] and its row of E is E[number]; the last number stands for an unknown
        # feature (weight 0.0 as in weights.get(f, 0.0), a row of -0.0: x + -0.0 == x for
        # every float x, -0.0 included, so adding it changes no sum).
        known = list(weights)
        if hidden:
            known += [f for f in hidden["features"] if f not in weights]
        self._number = {f: i for i, f in enumerate(known)}
        self._unknown = len(known)
        self._wide = [weights.get(f, 0.0) for f in known] + [0.0]
        if hidden:
            import numpy as np
            E = hidden["E"]
            if isinstance(E, dict):   # packed: see pack()
                E = np.frombuffer(base64.b64decode(E["float16"]), dtype="<f2").reshape(E["shape"])
            E = np.asarray(E, dtype=np.float64)
            rows = np.full((len(known) + 1, E.shape[1]), -0.0)
            for i, f in enumerate(hidden["features"]):
                rows[self._number[f]] = E[i]
            self.hidden = (rows, np.asarray(hidden["b1"], dtype=np.float64), np.asarray(hidden["w2"], dtype=np.float64))

    def logits(self, feature_lists: list[list[str]]) -> list[float]:
        """The model's log-odds for each feature list; the hidden layer is computed for all of
        them at once (a few array operations per Doc instead of some per candidate)."""
        unknown = repeat(self._unknown)   # map(number.get, feats, unknown): number.get(f, unknown) for each f
        numbers = [list(map(self._number.get, feats, unknown)) for feats in feature_lists]
        wide = self._wide.__getitem__
        z = [self.bias + sum(map(wide, row)) for row in numbers]   # = the sum of weights.get(f, 0.0)
        if self.hidden is None or not feature_lists:
            return z
        import numpy as np
        E, b1, w2 = self.hidden
        # Each candidate's rows of E are summed in the order of its features, for all candidates
        # at once: one step per feature position, the shorter lists padded with the -0.0 row.
        # (The same additions in the same order as summing per candidate: the same floats.)
        width = max(map(len, numbers))
        for row in numbers:
            row += repeat(self._unknown, width - len(row))
        columns = np.array(numbers, dtype=np.int64).T
        summed = np.full((len(numbers), E.shape[1]), -0.0)
        for column in columns:
            summed += E.take(column, axis=0)
        deep = np.maximum(b1 + summed, 0.0) @ w2
        return [zi + float(d) for zi, d in zip(z, deep)]

    def score(self, feats: list[str]) -> float:
        return self.logits([feats])[0]

    def probabilities(self, feature_lists: list[list[str]]) -> list[float]:
        return [_sigmoid(z) for z in self.logits(feature_lists)]

    def probability(self, feats: list[str]) -> float:
        return _sigmoid(self.score(feats))

    def accepts(self, feats: list[str]) -> bool:
        return self.probability(feats) >= self.threshold

    @classmethod
    def from_file(cls, path: Path) -> "CueModel":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], float(data["bias"]), float(data["threshold"]), data.get("hidden"))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def pack(rows: list[list[float]]) -> dict:
    """A matrix as little-endian float16 in base64 (a quarter of its size as JSON numbers)."""
    import numpy as np
    arr = np.asarray(rows, dtype="<f2")
    return {"shape": list(arr.shape), "float16": base64.b64encode(arr.tobytes()).decode("ascii")}


@lru_cache(maxsize=1)
def default_model() -> CueModel | None:
    return CueModel.from_file(MODEL_PATH) if MODEL_PATH.exists() else None


def _log_bucket(n: int) -> str:
    return str(min(6, int(math.log2(n + 1))))


_BUCKETS = [_log_bucket(n) for n in range(64)]   # 6 from n = 63 on


def _bucket(n: int) -> str:
    return _BUCKETS[n] if 0 <= n < len(_BUCKETS) else _log_bucket(n)


def _inside_any(spans: list[tuple[int, int]], offset: int) -> bool:
    """Is ``offset`` within one of ``spans`` (in order of their starts, as quote_spans gives
    them)? Those that start after it cannot hold it."""
    for start, end in spans:
        if start > offset:
            return False
        if offset < end:
            return True
    return False


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans, in steps of five (0 when they touch or overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1])) // 5


def _source_kind(head, info: "DocInfo") -> tuple[str, str | None]:
    if head is None:
        return "none", None
    i = head.i
    low = info.lower[i]
    if low in PRONOUN_CLASSES:
        return "pron" + PRONOUN_CLASSES[low], None
    if info.ent_type[i]:
        return "ne-" + info.ent_type[i], None
    lemma = info.lemma[i].lower()
    if lemma in lx.UNNAMED_HEADS or lemma in lx.SPOKES_NOUNS:
        return "unnamed", lemma
    if lemma in lx.SOURCE_DOC_NOUNS:
        return "document", lemma
    return ("propn" if info.pos[i] == "PROPN" else "noun"), lemma


def features(found, doc, quotes: list[tuple[int, int]], text: str, container=None,
             info: "DocInfo | None" = None) -> list[str]:
    """String features of one candidate (a :class:`~kg.extract.attributions.Found`);
    ``quotes`` are the quotation spans of the text in order (quote_spans); ``container`` is the
    lexicon cue whose content holds this candidate's cue, if any ("Bloomberg reports that her
    team avoided …": "avoided" is reported, not an attribution). ``info`` is the Doc's
    :class:`DocInfo` (made here when not given)."""
    info = info if info is not None else DocInfo(doc, text)
    v = found.cue_token.i
    v_pos, v_dep = info.pos[v], info.dep[v]
    lemma = found.cue_lemma
    kind = found.kind
    table = lx.learned_cues().get("nouns" if v_pos == "NOUN" else "verbs", {})
    rate = "unk" if lemma not in table else str(int(table[lemma] * 10))
    skind, slemma = _source_kind(found.source_head, info)
    cs, ce = found.content
    cspan = info.char_span(cs, ce)
    n_content = cspan[1] - cspan[0] if cspan is not None else 0
    first = info.lower[cspan[0]] if n_content else ""
    root = found.content_root.i if found.content_root is not None else None
    v_idx = info.start[v]
    feats = [
        f"L={lemma}", f"R={rate}", f"K={kind}", f"K|R={kind}{rate}", f"K|L={kind}|{lemma}",
        f"S={skind}", f"K|S={kind}|{skind}", f"R|S={rate}|{skind}",
        f"T={info.tag[v]}", f"D={v_dep}", f"K|D={kind}|{v_dep}",
        f"CL={_bucket(n_content)}", f"C0={first}", f"K|C0={kind}|{first}",
        f"POS={v_pos}", f"LEX={lx.is_reporting_verb(lemma)}",
        "SIDE=" + ("after" if cs > v_idx else "before"),
        f"QD|K={_bucket(_gap(found.cue, found.content))}{kind}",
    ]
    if container is not None:
        feats += ["NEST", f"NEST|K={kind}", f"NEST|R={rate}", f"NEST|IN={container.kind}"]
    if slemma is not None:
        feats.append(f"SL={slemma}")
    if found.source is None:
        feats.append(f"NOSRC|K={kind}")
    if root is not None:
        feats += [f"CR={info.pos[root]}|{info.dep[root]}", f"K|CR={kind}|{info.dep[root]}"]
    if v_dep in ("xcomp", "ccomp", "conj", "advcl", "relcl", "acl", "pcomp"):
        feats.append(f"H={info.lemma[info.head[v]].lower()}")
    if found.cue_negated:
        feats.append("NEG")
    for c in info.children[v]:
        dep = info.dep[c]
        if dep == "aux" and info.lower[c] in MODALS:
            feats.append("MOD")
        if dep == "auxpass":
            feats.append("PASS")
        if dep in ("dobj", "dative") and info.pos[c] in ("PROPN", "PRON"):
            feats.append("OBJPERSON")
    if _inside_any(quotes, v_idx):
        feats.append("INQUOTE")
    content = text[cs:ce]
    if any(ch in content for ch in QUOTE_CHARS) or "''" in content:
        feats.append(f"CQ|K={kind}")
    return feats + _context(found, v, root, cspan, skind, info)


class DocInfo:
    """One Doc's tokens as plain Python lists, read once (one ``Doc.to_array``): what the finder
    (:mod:`.attributions`) and the features read for every candidate of the Doc.

    spaCy makes a new Token object on every ``doc[i]``, ``tok.head`` and every step through
    ``tok.children`` or ``tok.subtree``, and that costs more than the work done with it; the
    finder walks the parse here by token index instead and makes Tokens only for what it
    returns. Values are exactly what the Token attributes give (``lower[i] == doc[i].lower_``,
    ``children[i]`` in the order of ``doc[i].children``, ``start``/``end`` the token's
    character offsets ``idx`` and ``idx + len(text)``). Also the named entities (Span.ents
    walks the whole Doc) and counts of number-like and reporting-verb tokens."""

    def __init__(self, doc, text: str | None = None):
        import numpy as np
        from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_PUNCT, IS_SPACE, LEMMA, LENGTH, LIKE_NUM, LOWER, ORTH, POS, \
            SENT_START, SPACY, TAG
        from spacy.parts_of_speech import NAMES as POS_NAMES
        from spacy.symbols import VERB

        self.doc = doc
        n = self.n = len(doc)
        arr = doc.to_array([ORTH, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, IS_PUNCT, IS_SPACE,
                            SPACY, LENGTH, LIKE_NUM, SENT_START, HEAD]).reshape(n, 14)
        string = doc.vocab.strings.__getitem__
        orth, lower, lemma, pos, tag, dep, ent_type, punct, space, space_after = arr[:, :10].T.tolist()
        self.space_after = space_after   # 1 where the token's whitespace_ is " "
        if text is None:   # as Doc.text (which makes a Token per token): each text, then " " * 1 or 0
            text = "".join(map(add, map(string, orth), map(" ".__mul__, space_after)))
        self.text = text
        self.lower = list(map(string, lower))
        self.lemma = list(map(string, lemma))
        self.pos = list(map(POS_NAMES.__getitem__, pos))
        self.tag = list(map(string, tag))
        self.dep = list(map(string, dep))
        self.ent_type = [""] * n   # (most tokens are in no entity)
        for i in np.flatnonzero(arr[:, 6]).tolist():
            self.ent_type[i] = string(ent_type[i])
        self.punct = list(map(bool, punct))
        self.space = list(map(bool, space))

        # Heads are stored relative to the token (negative offsets wrap around in uint64).
        tokens = np.arange(n)
        heads = arr[:, 13].astype(np.int64) + tokens
        self.head = heads.tolist()
        # Children in token order, as Token.children gives them (lefts, then rights): the
        # dependents sorted by head (stably: token order within a head), cut where the head
        # changes. Tuples, and the one empty tuple for every leaf: these are most of the objects
        # made per Doc, and unlike lists, tuples of numbers leave the garbage collector's watch
        # at its first pass instead of moving on to its older generations.
        dependents = np.flatnonzero(heads != tokens)
        by_head = dependents[heads[dependents].argsort(kind="stable")]
        cuts = heads[by_head].searchsorted(np.arange(n + 1)).tolist()
        by_head = tuple(by_head.tolist())
        self.children: list[tuple[int, ...]] = [by_head[a:b] for a, b in zip(cuts, cuts[1:])]
        lefts = dependents[dependents < heads[dependents]]
        self.n_lefts = np.bincount(heads[lefts], minlength=n).tolist()   # children left of the token

        # Character offsets: each token starts where the previous one and its whitespace ended.
        length = arr[:, 10].astype(np.int64)
        widths = length + arr[:, 9].astype(np.int64)
        start = widths.cumsum() - widths
        # Each character of the text in one token or its trailing space; otherwise (not seen in
        # parsed text) read Token.idx.
        tiled = int(widths.sum()) == len(text) and bool(length.all())
        if not tiled:
            start = np.array([t.idx for t in doc], dtype=np.int64)
        self.start = start.tolist()
        self.end = (start + length).tolist()

        if "sents" in doc.user_hooks or not doc.has_annotation("SENT_START"):
            self.sentences = [(s.start, s.end) for s in doc.sents]   # (raises as Doc.sents does)
        else:   # as Doc.sents, from the sentence-start column (has_annotation made a Token per token)
            firsts = [0] + (np.flatnonzero(arr[1:, 12] == 1) + 1).tolist()
            self.sentences = list(zip(firsts, firsts[1:] + [n])) if n else []

        self.ents = [(e.start, e.end, e.label_) for e in doc.ents]   # in order of start
        self.starts = [a for a, _, _ in self.ents]
        # How many tokens before i are number-like / reporting verbs: any() over a range in O(1).
        self._numbers = [0] + (arr[:, 11] != 0).cumsum().tolist()
        reporting = np.zeros(n, dtype=bool)
        for i in np.flatnonzero(arr[:, 3] == VERB).tolist():
            reporting[i] = lx.is_reporting_verb(self.lemma[i])
        self._reporting = [0] + reporting.cumsum().tolist()

    def subtree(self, i: int) -> list[int]:
        """Token indices of ``doc[i].subtree``, in its order (the left children's subtrees, the
        token, the right children's subtrees; token order unless the parse is non-projective)."""
        out = []
        children, n_lefts = self.children, self.n_lefts
        stack = [i]   # tokens to visit, and ~t (negative) where token t itself comes
        while stack:
            t = stack.pop()
            if t < 0:
                out.append(~t)
                continue
            kids = children[t]
            if not kids:
                out.append(t)
                continue
            k = n_lefts[t]
            stack += reversed(kids[k:])
            stack.append(~t)
            stack += reversed(kids[:k])
        return out

    def char_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Token range (start, end) of ``doc.char_span(start, end, alignment_mode="expand")``,
        or None where that is None."""
        return expand_char_span(self.start, self.end, self.space_after, start, end)

    def any_number(self, start: int, end: int) -> bool:
        return self._numbers[end] > self._numbers[start]

    def any_reporting(self, start: int, end: int) -> bool:
        return self._reporting[end] > self._reporting[start]

    def labels_within(self, start: int, end: int) -> set[str]:
        out = set()
        for k in range(bisect_left(self.starts, start), len(self.ents)):
            a, b, label = self.ents[k]
            if a >= end:
                break
            if b <= end:
                out.add(label)
        return out


def _context(found, v: int, root: int | None, cspan: tuple[int, int] | None, skind: str,
             info: DocInfo) -> list[str]:
    """What the cue's neighbourhood says: the words beside it, what its content is (a full
    clause with its own subject, a name, a number), the prepositions it takes."""
    out = []
    lower, space = info.lower, info.space
    out.append("P1=" + (lower[v - 1] if v > 0 and not space[v - 1] else "^"))
    out.append("N1=" + (lower[v + 1] if v + 1 < info.n and not space[v + 1] else "$"))
    if root is not None:
        out += [f"CH={info.lemma[root].lower()}", f"CT={info.tag[root]}", f"K|CT={found.kind}|{info.tag[root]}"]
        if any(info.dep[c] in ("nsubj", "nsubjpass", "expl") for c in info.children[root]):
            out.append(f"CSUBJ|K={found.kind}")
    if cspan is not None and cspan[1] > cspan[0]:
        s, e = cspan
        labels = info.labels_within(s, e)
        for lab in ("PERSON", "ORG", "GPE", "NORP"):
            if lab in labels:
                out.append("CE=" + lab)
        if info.any_number(s, e):
            out.append("CNUM")
        if e - s > 3 and info.any_reporting(s, e):
            out.append("CREP")
    for c in info.children[v]:
        dep = info.dep[c]
        if dep == "prep":
            out.append(f"PREP={lower[c]}")
            out.append(f"L|PREP={found.cue_lemma}|{lower[c]}")
        elif dep in ("dobj", "attr"):
            out.append(f"OBJ={info.lemma[c].lower()}")
        elif dep == "advmod":
            out.append(f"ADV={lower[c]}")
    out.append(f"L|S={found.cue_lemma}|{skind}")
    start = found.sentence[0]   # (Token.sent would search the Doc for the boundaries again)
    out.append("SI=" + ("first" if start == 0 else "early" if start < 400 else "body"))
    return out
