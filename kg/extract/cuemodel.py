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
from pathlib import Path

from . import lexicon as lx

MODEL_PATH = Path(__file__).with_name("data") / "cue_model.json"
PRONOUN_CLASSES = {"i": "1", "we": "1", "you": "2", "he": "3p", "she": "3p", "they": "3pl",
                   "it": "3n", "who": "rel", "which": "rel", "that": "rel"}
QUOTE_CHARS = "\u201c\u201d\""


class CueModel:
    """A logistic model over string features ("wide" weights), optionally with one hidden layer
    over the same features ("deep": each feature adds a vector, the sum goes through a ReLU),
    which lets the model learn combinations ("said" with a quotation, "want" with a person).

    probability(feats) = sigmoid(bias + sum(weights[f]) + w2 . relu(b1 + sum(E[f])))
    """

    def __init__(self, weights: dict[str, float], bias: float, threshold: float,
                 hidden: dict | None = None):
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.hidden = None
        if hidden:
            import numpy as np
            E = hidden["E"]
            if isinstance(E, dict):   # packed: see pack()
                E = np.frombuffer(base64.b64decode(E["float16"]), dtype="<f2").reshape(E["shape"])
            self.hidden = ({f: i for i, f in enumerate(hidden["features"])},
                           np.asarray(E, dtype=np.float64),
                           np.asarray(hidden["b1"], dtype=np.float64),
                           np.asarray(hidden["w2"], dtype=np.float64))

    def logits(self, feature_lists: list[list[str]]) -> list[float]:
        """The model's log-odds for each feature list; the hidden layer is computed for all of
        them at once (one matrix product per Doc instead of one per candidate)."""
        w = self.weights
        z = [self.bias + sum(w.get(f, 0.0) for f in feats) for feats in feature_lists]
        if self.hidden is None or not feature_lists:
            return z
        import numpy as np
        index, E, b1, w2 = self.hidden
        rows = [[index[f] for f in feats if f in index] for feats in feature_lists]
        lens = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        flat = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(lens.sum()))
        a = np.tile(b1, (len(rows), 1))
        if flat.size:
            used = lens > 0
            starts = np.concatenate(([0], np.cumsum(lens)[:-1]))[used]
            a[used] += np.add.reduceat(E[flat], starts, axis=0)
        deep = np.maximum(a, 0.0) @ w2
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


def _bucket(n: int) -> str:
    return str(min(6, int(math.log2(n + 1))))


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans, in steps of five (0 when they touch or overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1])) // 5


def _source_kind(head) -> tuple[str, str | None]:
    if head is None:
        return "none", None
    low = head.lower_
    if low in PRONOUN_CLASSES:
        return "pron" + PRONOUN_CLASSES[low], None
    if head.ent_type_:
        return "ne-" + head.ent_type_, None
    lemma = head.lemma_.lower()
    if lemma in lx.UNNAMED_HEADS or lemma in lx.SPOKES_NOUNS:
        return "unnamed", lemma
    if lemma in lx.SOURCE_DOC_NOUNS:
        return "document", lemma
    return ("propn" if head.pos_ == "PROPN" else "noun"), lemma


def features(found, doc, quotes: list[tuple[int, int]], text: str, container=None,
             info: "DocInfo | None" = None) -> list[str]:
    """String features of one candidate (a :class:`~kg.extract.attributions.Found`);
    ``container`` is the lexicon cue whose content holds this candidate's cue, if any
    ("Bloomberg reports that her team avoided …": "avoided" is reported, not an attribution)."""
    v = found.cue_token
    lemma = found.cue_lemma
    kind = found.kind
    pos = "nouns" if v.pos_ == "NOUN" else "verbs"
    table = lx.learned_cues().get(pos, {})
    rate = "unk" if lemma not in table else str(int(table[lemma] * 10))
    skind, slemma = _source_kind(found.source_head)
    cs, ce = found.content
    cspan = doc.char_span(cs, ce, alignment_mode="expand")
    n_content = len(cspan) if cspan is not None else 0
    first = cspan[0].lower_ if n_content else ""
    root = found.content_root
    in_quote = any(qs <= v.idx < qe for qs, qe in quotes)
    feats = [
        "L=" + lemma, "R=" + rate, "K=" + kind, "K|R=" + kind + rate, "K|L=" + kind + "|" + lemma,
        "S=" + skind, "K|S=" + kind + "|" + skind, "R|S=" + rate + "|" + skind,
        "T=" + v.tag_, "D=" + v.dep_, "K|D=" + kind + "|" + v.dep_,
        "CL=" + _bucket(n_content), "C0=" + first, "K|C0=" + kind + "|" + first,
        "POS=" + v.pos_, "LEX=" + str(lx.is_reporting_verb(lemma)),
        "SIDE=" + ("after" if cs > v.idx else "before"),
        "QD|K=" + _bucket(_gap(found.cue, found.content)) + kind,
    ]
    if container is not None:
        feats += ["NEST", "NEST|K=" + kind, "NEST|R=" + rate, "NEST|IN=" + container.kind]
    if slemma is not None:
        feats.append("SL=" + slemma)
    if found.source is None:
        feats.append("NOSRC|K=" + kind)
    if root is not None:
        feats += ["CR=" + root.pos_ + "|" + root.dep_, "K|CR=" + kind + "|" + root.dep_]
    if v.dep_ in ("xcomp", "ccomp", "conj", "advcl", "relcl", "acl", "pcomp"):
        feats.append("H=" + v.head.lemma_.lower())
    if found.cue_negated:
        feats.append("NEG")
    for c in v.children:
        if c.dep_ == "aux" and c.lower_ in lx.VOLITIONAL_MODALS | {"could", "might", "may", "can"}:
            feats.append("MOD")
        if c.dep_ == "auxpass":
            feats.append("PASS")
        if c.dep_ in ("dobj", "dative") and c.pos_ in ("PROPN", "PRON"):
            feats.append("OBJPERSON")
    if in_quote:
        feats.append("INQUOTE")
    if any(ch in text[cs:ce] for ch in QUOTE_CHARS) or "''" in text[cs:ce]:
        feats.append("CQ|K=" + kind)
    return feats + _context(found, v, root, cspan, doc, skind, info)


class DocInfo:
    """What the features read for every candidate of one Doc, computed once per Doc: its named
    entities (Span.ents walks the whole Doc) and per-token flags as arrays."""

    def __init__(self, doc):
        import numpy as np
        from spacy.attrs import LEMMA, LIKE_NUM, POS
        from spacy.symbols import VERB

        self.ents = [(e.start, e.end, e.label_) for e in doc.ents]   # in order of start
        self.starts = [a for a, _, _ in self.ents]
        arr = doc.to_array([LIKE_NUM, POS, LEMMA])
        self.number = arr[:, 0].astype(bool) if len(doc) else np.zeros(0, dtype=bool)
        strings = doc.vocab.strings
        self.reporting = np.zeros(len(doc), dtype=bool)
        for i in np.flatnonzero(arr[:, 1] == VERB) if len(doc) else ():
            self.reporting[i] = lx.is_reporting_verb(strings[int(arr[i, 2])])

    def labels_within(self, start: int, end: int) -> set[str]:
        out = set()
        for k in range(bisect_left(self.starts, start), len(self.ents)):
            a, b, label = self.ents[k]
            if a >= end:
                break
            if b <= end:
                out.add(label)
        return out


def _context(found, v, root, cspan, doc, skind, info=None) -> list[str]:
    """What the cue's neighbourhood says: the words beside it, what its content is (a full
    clause with its own subject, a name, a number), the prepositions it takes."""
    out = []
    prev = doc[v.i - 1] if v.i > 0 else None
    nxt = doc[v.i + 1] if v.i + 1 < len(doc) else None
    out.append("P1=" + (prev.lower_ if prev is not None and not prev.is_space else "^"))
    out.append("N1=" + (nxt.lower_ if nxt is not None and not nxt.is_space else "$"))
    if root is not None:
        out += ["CH=" + root.lemma_.lower(), "CT=" + root.tag_, "K|CT=" + found.kind + "|" + root.tag_]
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children):
            out.append("CSUBJ|K=" + found.kind)
    if cspan is not None and len(cspan):
        info = info if info is not None else DocInfo(doc)
        s, e = cspan.start, cspan.end
        labels = info.labels_within(s, e)
        for lab in ("PERSON", "ORG", "GPE", "NORP"):
            if lab in labels:
                out.append("CE=" + lab)
        if info.number[s:e].any():
            out.append("CNUM")
        if e - s > 3 and info.reporting[s:e].any():
            out.append("CREP")
    for c in v.children:
        if c.dep_ == "prep":
            out.append("PREP=" + c.lower_)
            out.append("L|PREP=" + found.cue_lemma + "|" + c.lower_)
        elif c.dep_ in ("dobj", "attr"):
            out.append("OBJ=" + c.lemma_.lower())
        elif c.dep_ == "advmod":
            out.append("ADV=" + c.lower_)
    out.append("L|S=" + found.cue_lemma + "|" + skind)
    start = found.sentence[0]   # (Token.sent would search the Doc for the boundaries again)
    out.append("SI=" + ("first" if start == 0 else "early" if start < 400 else "body"))
    return out

