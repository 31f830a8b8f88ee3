"""Error analysis on PolNeAR: which gold cues our predictions miss, and which predictions are wrong.

    python scripts/attribution_errors.py PRED.jsonl GOLD.jsonl
"""
from __future__ import annotations

import collections
import json
import sys

sys.path.insert(0, "../shared/eval")
from attribution import overlaps, spans_of  # noqa: E402


def main(pred_path: str, gold_path: str) -> None:
    gold = {json.loads(l)["doc_id"]: json.loads(l) for l in open(gold_path, encoding="utf-8") if l.strip()}
    pred = {json.loads(l)["doc_id"]: json.loads(l)["attributions"] for l in open(pred_path, encoding="utf-8") if l.strip()}
    missed = collections.Counter()
    partial = collections.Counter()
    examples = collections.defaultdict(list)
    fp = collections.Counter()
    for doc_id, g in gold.items():
        text = g["text"]
        P = [{k: spans_of(a.get(k), text) for k in ("source", "cue", "content")} for a in pred.get(doc_id, [])]
        for a in g["attributions"]:
            G = {k: spans_of(a.get(k), text) for k in ("source", "cue", "content")}
            if not G["cue"] or not G["content"]:
                continue
            cue = " ".join(text[s:e] for s, e in G["cue"]).lower()
            hit = [p for p in P if overlaps(p["cue"], G["cue"])]
            if not hit:
                missed[cue] += 1
                if len(examples[cue]) < 2:
                    s0 = min(s for s, _ in G["cue"] + G["content"])
                    e0 = max(e for _, e in G["cue"] + G["content"])
                    examples[cue].append(text[max(0, s0 - 60):e0 + 20].replace("\n", " "))
            else:
                p = hit[0]
                bad = [k for k in ("content", "source") if G[k] and not overlaps(p[k], G[k])]
                if bad:
                    partial[(cue, tuple(bad))] += 1
        for p in P:
            if not any(overlaps(p["cue"], spans_of(a["cue"], text)) for a in g["attributions"] if a["cue"]):
                fp[" ".join(text[s:e] for s, e in p["cue"]).lower()] += 1
    print("MISSED cues:", sum(missed.values()))
    for cue, n in missed.most_common(40):
        print(f"  {n:4d} {cue!r}  e.g. {examples[cue][0][:200]!r}")
    print("PARTIAL (cue right, part wrong):", sum(partial.values()))
    for k, n in partial.most_common(15):
        print(f"  {n:4d} {k}")
    print("FALSE cues:", sum(fp.values()))
    for cue, n in fp.most_common(20):
        print(f"  {n:4d} {cue!r}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
