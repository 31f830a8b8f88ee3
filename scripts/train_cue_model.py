"""Train the candidate-attribution judge (kg/extract/cuemodel.py) on PolNeAR train.

    python scripts/train_cue_model.py ../shared/corpus/polnear/train.jsonl [--docs train.spacy]

Every candidate the open rule finder proposes on a training article is labelled positive when
its cue and its content both overlap one gold attribution (at least half of the shorter span,
edges trimmed, as the shared scorer counts it). A logistic model is fitted with AdaGrad and L2;
the decision threshold is the one with the best F1 on a seventh of the articles held out,
counting every gold attribution (also those no candidate reaches) in the recall. The model is
then refitted on all articles. Only feature names and weights are written (no corpus text).
``--docs`` reuses a spaCy DocBin of the same articles parsed by ``kg.extract.load_pipeline``.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
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


def fit(rows, epochs: int = 8, rate: float = 0.3, l2: float = 1e-4, seed: int = 13, min_count: int = 1):
    """Logistic regression by AdaGrad over binary features; returns ({feature: weight}, bias).
    Features seen in fewer than ``min_count`` candidates get no weight (rare words and names
    would otherwise be learned by heart)."""
    counts: dict[str, int] = {}
    for feats, _ in rows:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
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


def best_threshold(model: cuemodel.CueModel, held) -> tuple[float, float]:
    scored = sorted(((model.probability(f), y) for rows, _ in held for f, y in rows), reverse=True)
    n_gold = sum(n for _, n in held)
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
    args = ap.parse_args(argv)
    opts = dict(min_count=args.min_count, l2=args.l2, epochs=args.epochs)
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
    held = per_doc[::7]
    fit_part = [r for i, d in enumerate(per_doc) if i % 7 for r in d[0]]
    w, b = fit(fit_part, **opts)
    threshold, f1 = best_threshold(cuemodel.CueModel(w, b, 0.5), held)
    reach = sum(y for rows, _ in held for _, y in rows)
    print(f"held-out: {sum(n for _, n in held)} gold, {reach} candidates matching, "
          f"best F1 {f1:.3f} at threshold {threshold:.3f}")
    w, b = fit([r for rows, _ in per_doc for r in rows], **opts)
    out = {"about": "factcheck-kg candidate-attribution judge, learned from PolNeAR train by "
                    "scripts/train_cue_model.py; feature names and weights only",
           "candidates": sum(len(rows) for rows, _ in per_doc),
           "options": opts, "bias": round(b, 4), "threshold": round(threshold, 4),
           "weights": {k: round(v, 4) for k, v in sorted(w.items()) if abs(v) >= 0.005}}
    Path(args.out).write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(out['weights'])} weights -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
