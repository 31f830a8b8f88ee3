"""Train the candidate-attribution judge (kg/extract/cuemodel.py) on PolNeAR train.

    python scripts/train_cue_model.py ../shared/corpus/polnear/train.jsonl [--docs train.spacy]

Every candidate the open rule finder proposes on a training article is labelled positive when
its cue and its content both overlap one gold attribution (at least half of the shorter span,
edges trimmed, as the shared scorer counts it). The model is logistic (AdaGrad, L2) or, with
``--hidden N``, wide and deep: the same logistic weights plus one ReLU layer of N units over the
same features (Adam on mini-batches). The decision threshold is the one with the best F1 over
all articles, each scored by a model trained without it (``--folds`` K-fold), counting every
gold attribution (also those no candidate reaches) in the recall. The model is then refitted on
all articles. Only feature names and numbers are written (no corpus text).

The shipped model: ``--hidden 32 --ensemble 3 --epochs 2 --min-count 20 --l2 1e-4 --seed 1``
(5-fold F1 0.758 on PolNeAR train; the plain logistic model with ``--min-count 5``: 0.734).
``--docs`` reuses a spaCy DocBin of the same articles parsed by ``kg.extract.load_pipeline``.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.extract import cuemodel  # noqa: E402
from kg.extract.attributions import AttributionFinder  # noqa: E402

TRIM = " \t\r\n\"'\u201c\u201d\u2018\u2019.,;:"


def trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in TRIM:
        s += 1
    while e > s and text[e - 1] in TRIM:
        e -= 1
    return s, e


def overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    a = [x for x in a if x[1] > x[0]]
    b = [x for x in b if x[1] > x[0]]
    if not a or not b:
        return False
    inter = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    shorter = min(sum(e - s for s, e in a), sum(e - s for s, e in b))
    return inter > 0 and 2 * inter >= shorter


def gold_of(rec: dict) -> list[tuple[list, list]]:
    text = rec["text"]
    out = []
    for att in rec["attributions"]:
        cue = [trimmed(text, p["start"], p["end"]) for p in att.get("cue") or []]
        content = [trimmed(text, p["start"], p["end"]) for p in att.get("content") or []]
        if cue and content:
            out.append((cue, content))
    return out


def examples(docs, records):
    """(features, label) per candidate, grouped per article, and the gold count per article."""
    per_doc = []
    for doc, rec in zip(docs, records):
        gold = gold_of(rec)
        finder = AttributionFinder(doc, model=None, open_candidates=True)
        rows = []
        cands = finder.candidates()
        for f in cands:
            cue = [trimmed(doc.text, *f.cue)]
            content = [trimmed(doc.text, *f.content)]
            label = any(overlap(cue, g[0]) and overlap(content, g[1]) for g in gold)
            rows.append((finder.features(f, cands), label))
        per_doc.append((rows, len(gold)))
    return per_doc


def feature_counts(rows) -> Counter:
    """In how many candidates each feature occurs."""
    return Counter(f for feats, _ in rows for f in feats)


def fit(rows, epochs: int = 8, rate: float = 0.3, l2: float = 1e-4, seed: int = 13, min_count: int = 1):
    """Logistic regression by AdaGrad over binary features; returns ({feature: weight}, bias).
    Features seen in fewer than ``min_count`` candidates get no weight (rare words and names
    would otherwise be learned by heart)."""
    counts = feature_counts(rows)
    index: dict[str, int] = {}
    data = [([index.setdefault(f, len(index)) for f in feats if counts[f] >= min_count], 1.0 if label else 0.0)
            for feats, label in rows]
    w = [0.0] * len(index)
    g2 = [1e-8] * len(index)
    bias, bias_g2 = 0.0, 1e-8
    rng = random.Random(seed)
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            feats, y = data[i]
            z = bias + sum(w[f] for f in feats)
            grad = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
            for f in feats:
                g = grad + l2 * w[f]
                g2[f] += g * g
                w[f] -= rate * g / math.sqrt(g2[f])
            bias_g2 += grad * grad
            bias -= rate * grad / math.sqrt(bias_g2)
    return {f: w[i] for f, i in index.items()}, bias


def fit_deep(rows, hidden: int = 32, epochs: int = 2, rate: float = 0.01, l2: float = 1e-5,
             seed: int = 13, min_count: int = 1, batch: int = 64):
    """Wide-and-deep model by Adam on mini-batches: the logistic weights plus one ReLU layer of
    ``hidden`` units over the same binary features. Returns (weights, bias, hidden-layer dict)
    in the form :class:`kg.extract.cuemodel.CueModel` takes."""
    import numpy as np

    names = sorted(f for f, c in feature_counts(rows).items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    enc = [[index[f] for f in dict.fromkeys(feats) if f in index] for feats, _ in rows]
    y = np.array([1.0 if label else 0.0 for _, label in rows])
    rng = np.random.default_rng(seed)
    n = len(names)
    params = {"E": rng.normal(0.0, 0.1, (n, hidden)), "b1": np.zeros(hidden),
              "w2": rng.normal(0.0, 0.1, hidden), "wl": np.zeros(n), "b2": np.zeros(1)}
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(rows))
        for s in range(0, len(order), batch):
            ids = order[s:s + batch]
            lens = np.array([len(enc[i]) for i in ids])
            flat = np.array([f for i in ids for f in enc[i]], dtype=np.int64)
            owner = np.repeat(np.arange(len(ids)), lens)
            a = np.tile(params["b1"], (len(ids), 1))
            np.add.at(a, owner, params["E"][flat])
            h = np.maximum(a, 0.0)
            wide = np.bincount(owner, weights=params["wl"][flat], minlength=len(ids))
            z = np.clip(h @ params["w2"] + params["b2"][0] + wide, -30, 30)
            g = (1.0 / (1.0 + np.exp(-z)) - y[ids]) / len(ids)
            dh = np.outer(g, params["w2"]) * (a > 0)
            grads = {"w2": h.T @ g, "b2": np.array([g.sum()]), "b1": dh.sum(axis=0),
                     "E": np.zeros_like(params["E"]), "wl": np.zeros_like(params["wl"])}
            np.add.at(grads["E"], flat, dh[owner])
            np.add.at(grads["wl"], flat, g[owner])
            touched = np.unique(flat)
            step += 1
            for k, grad in grads.items():
                p, (m, v) = params[k], moments[k]
                sel = touched if k in ("E", "wl") else slice(None)
                gk = grad[sel] + l2 * p[sel]
                m[sel] = 0.9 * m[sel] + 0.1 * gk
                v[sel] = 0.999 * v[sel] + 0.001 * gk * gk
                p[sel] -= rate * (m[sel] / (1 - 0.9 ** step)) / (np.sqrt(v[sel] / (1 - 0.999 ** step)) + 1e-8)
    weights = {f: float(params["wl"][i]) for f, i in index.items()}
    layer = {"features": names, "E": params["E"].tolist(), "b1": params["b1"].tolist(),
             "w2": params["w2"].tolist()}
    return weights, float(params["b2"][0]), layer


def merge(models):
    """Several wide-and-deep models as one whose logit is the mean of theirs: the hidden layers
    side by side (output weights divided by their number), the wide weights and biases averaged."""
    if len(models) == 1:
        return models[0]
    k = len(models)
    names = sorted({f for _, _, layer in models for f in layer["features"]})
    rows = {f: [] for f in names}
    for _, _, layer in models:
        at = {f: i for i, f in enumerate(layer["features"])}
        zero = [0.0] * len(layer["b1"])
        for f in names:
            rows[f] += layer["E"][at[f]] if f in at else zero
    weights: dict[str, float] = {}
    for w, _, _ in models:
        for f, v in w.items():
            weights[f] = weights.get(f, 0.0) + v / k
    layer = {"features": names, "E": [rows[f] for f in names],
             "b1": [x for _, _, lay in models for x in lay["b1"]],
             "w2": [x / k for _, _, lay in models for x in lay["w2"]]}
    return weights, sum(b for _, b, _ in models) / k, layer


def best_threshold(scored: list[tuple[float, bool]], n_gold: int) -> tuple[float, float]:
    """The probability threshold with the best F1, and that F1, for (probability, label) pairs;
    ``n_gold`` counts every gold attribution (also those no candidate reaches) in the recall."""
    scored = sorted(scored, reverse=True)
    best = (0.0, 0.5)
    tp = 0
    for k, (p, y) in enumerate(scored, 1):
        tp += y
        f1 = 2 * tp / (k + n_gold)
        if f1 > best[0]:
            best = (f1, p)
    return best[1], best[0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train")
    ap.add_argument("--docs", help="spaCy DocBin of the same articles, parsed by load_pipeline")
    ap.add_argument("-o", "--out", default=str(cuemodel.MODEL_PATH))
    ap.add_argument("--min-count", type=int, default=5, help="features seen fewer times get no weight")
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--cache", help="pickle of the labelled candidates (made on first use)")
    ap.add_argument("--hidden", type=int, default=0,
                    help="units of a hidden layer (0: a plain logistic model by AdaGrad)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--folds", type=int, default=5, help="folds for choosing the threshold")
    ap.add_argument("--ensemble", type=int, default=1,
                    help="with --hidden: average the logits of this many models (other seeds)")
    args = ap.parse_args(argv)
    opts = dict(min_count=args.min_count, l2=args.l2, epochs=args.epochs, seed=args.seed)
    if args.hidden:
        opts["hidden"] = args.hidden

    def train(rows):
        if args.hidden:
            return merge([fit_deep(rows, **{**opts, "seed": args.seed + m}) for m in range(args.ensemble)])
        return (*fit(rows, **opts), None)
    records = [json.loads(line) for line in open(args.train, encoding="utf-8") if line.strip()]
    if args.cache and Path(args.cache).exists():
        import pickle
        per_doc = pickle.loads(Path(args.cache).read_bytes())
    else:
        from kg.extract import load_pipeline
        nlp = load_pipeline()
        if args.docs:
            from spacy.tokens import DocBin
            docs = list(DocBin().from_disk(args.docs).get_docs(nlp.vocab))
        else:
            nlp.remove_pipe("fck_attributions")
            docs = nlp.pipe((r["text"] for r in records), batch_size=16)
        per_doc = examples(docs, records)
        if args.cache:
            import pickle
            Path(args.cache).write_bytes(pickle.dumps(per_doc))
    # The threshold: the best F1 over every article's candidates, each scored by a model that
    # did not see that article (K-fold), one threshold for all folds.
    scored, n_gold, reach = [], 0, 0
    for k in range(args.folds):
        held = per_doc[k::args.folds]
        w, b, layer = train([r for i, d in enumerate(per_doc) if i % args.folds != k for r in d[0]])
        fold_model = cuemodel.CueModel(w, b, 0.5, layer)
        pairs = [r for rows, _ in held for r in rows]
        scored += zip(fold_model.probabilities([f for f, _ in pairs]), (y for _, y in pairs))
        n_gold += sum(n for _, n in held)
        reach += sum(y for rows, _ in held for _, y in rows)
    threshold, f1 = best_threshold(scored, n_gold)
    print(f"{args.folds}-fold: {n_gold} gold, {reach} candidates matching, "
          f"best F1 {f1:.3f} at threshold {threshold:.3f}")
    w, b, layer = train([r for rows, _ in per_doc for r in rows])
    out = {"about": "factcheck-kg candidate-attribution judge, learned from PolNeAR train by "
                    "scripts/train_cue_model.py; feature names and weights only",
           "candidates": sum(len(rows) for rows, _ in per_doc),
           "options": {**opts, "ensemble": args.ensemble} if args.hidden else opts,
           "bias": round(b, 4), "threshold": round(threshold, 4),
           "weights": {k: round(v, 4) for k, v in sorted(w.items()) if abs(v) >= 0.005}}
    if layer is not None:
        out["hidden"] = {"features": layer["features"], "b1": [round(x, 4) for x in layer["b1"]],
                         "w2": [round(x, 4) for x in layer["w2"]], "E": cuemodel.pack(layer["E"])}
    Path(args.out).write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(out['weights'])} weights -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
