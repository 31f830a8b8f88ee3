"""(g) memory: ``python -m benchmarks.memchild N`` ingests N small generated articles into a
fresh on-disk store and prints its peak RSS as JSON (run in a subprocess per N, so that each
figure is the peak of one ingest alone)."""
from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator

from .synth import CUES, FIRST, LAST, OBJECTS, ORG_KIND, PLACES, VERBS


def small_articles(n: int, *, sentences: int = 2, seed: int = 11) -> Iterator[dict]:
    """``n`` short news items ("X said that Y sold Z ...") as JSONL records."""
    rnd = random.Random(seed)
    people = [f"{f} {ln}" for f in FIRST[:30] for ln in LAST[:40]]
    orgs = [f"the {p} {k}" for p in PLACES[:8] for k in ORG_KIND]
    for i in range(n):
        parts = []
        for _ in range(sentences):
            who = rnd.choice(people)
            cue = rnd.choice(CUES[rnd.choice(("Asserts", "Asserts", "Denies", "Confirms"))])
            if " " in cue:
                cue = "said"
            subj = rnd.choice(people + orgs)
            _, past = rnd.choice(VERBS)
            parts.append(f"{who} {cue} that {subj} {past} {rnd.choice(OBJECTS)} in {rnd.choice(PLACES)}.")
        yield {"id": f"small/{i:06d}", "title": f"Report {i} from {rnd.choice(PLACES)}",
               "text": " ".join(parts), "publisher": f"Outlet {i % 25}", "date": f"2024-{1 + i % 12:02d}-15"}


def main(argv: list[str]) -> int:
    import gc

    from kg.extract import load_pipeline
    from kg.ingest import ingest
    from kg.store import Store

    from .common import PeakSampler, peak_rss_mb, rss_mb

    n = int(argv[0])
    with tempfile.TemporaryDirectory(prefix="kg-bench-mem-") as tmp:
        path = f"{tmp}/articles.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for rec in small_articles(n):
                fh.write(json.dumps(rec) + "\n")
        nlp = load_pipeline()
        list(nlp.pipe(["Warm up: the minister said the port was sold."]))
        gc.collect()
        base = rss_mb()
        samples: list[float] = []
        done = [0]

        def progress(_id: str) -> None:
            done[0] += 1
            if done[0] % max(1, n // 10) == 0:
                samples.append(round(rss_mb(), 1))

        store = Store(f"{tmp}/store")
        marks: dict[str, float] = {}
        t0 = time.perf_counter()
        with PeakSampler() as sampler:
            _mark_refresh(sampler, marks)
            rep = ingest([path], store, nlp=nlp, progress=progress)
        dt = time.perf_counter() - t0
        quads = len(store)
        del store
        gc.collect()
        print(json.dumps({"articles": rep.articles, "failures": len(rep.failures), "seconds": round(dt, 1),
                          "rss_after_model_mb": round(base, 1), "rss_end_mb": round(rss_mb(), 1),
                          "peak_during_ingest_mb": round(marks.get("loop_peak", sampler.peak), 1),
                          "peak_during_refresh_mb": round(marks.get("refresh_peak", 0.0), 1),
                          "refresh_seconds": round(marks.get("refresh_seconds", 0.0), 1),
                          "peak_rss_process_mb": round(peak_rss_mb(), 1), "rss_every_tenth": samples,
                          "quads": quads}))
    return 0


def _mark_refresh(sampler, marks: dict[str, float]) -> None:
    """Split the peak: the ingest loop (extraction and writes) vs the summary refresh that ends
    the batch (whole-store queries, kg.materialise), so that each is reported on its own."""
    import kg.ingest

    from .common import rss_mb

    refresh = kg.ingest._refresh_summary

    def marked(store, upkeep=None) -> None:
        marks["loop_peak"] = max(sampler.peak, rss_mb())
        sampler.peak = rss_mb()
        t0 = time.perf_counter()
        refresh(store, upkeep)
        marks["refresh_seconds"] = time.perf_counter() - t0
        marks["refresh_peak"] = max(sampler.peak, rss_mb())

    kg.ingest._refresh_summary = marked


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
