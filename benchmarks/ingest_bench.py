"""(a) end-to-end ingest vs bare ``nlp.pipe`` on PolNeAR texts, with a stage breakdown and a
profile; (b) the speed-up of ``--workers 2`` over one process."""
from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import tempfile
import time
from pathlib import Path

from .common import Report

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "polnear" / "train.jsonl"
SECTION = "ingest"
STAGES = ("spacy", "paragraphs", "attributions", "builder", "resolve", "build", "store", "refresh")


def sample_file(folder: str, n: int) -> tuple[str, str]:
    """A JSONL file of ``n`` PolNeAR train articles (file order), else of generated text."""
    path = os.path.join(folder, "sample.jsonl")
    if CORPUS.is_file():
        source = f"PolNeAR train ({CORPUS}), first {n} articles"
        with open(CORPUS, encoding="utf-8") as fh, open(path, "w", encoding="utf-8") as out:
            for i, line in enumerate(fh):
                if i >= n:
                    break
                r = json.loads(line)
                out.write(json.dumps({"id": r["doc_id"], "title": r.get("title") or r["doc_id"], "text": r["text"],
                                      "publisher": r.get("publisher"), "date": r.get("publication_date")}) + "\n")
    else:
        from .memchild import small_articles

        source = f"generated text ({n} articles; PolNeAR not found at {CORPUS})"
        with open(path, "w", encoding="utf-8") as out:
            for rec in small_articles(n, sentences=40):
                out.write(json.dumps(rec) + "\n")
    return path, source


def stage_pass(bare, articles, batch_size: int, folder: str | None = None) -> dict[str, float]:
    """Bare ``nlp.pipe`` (timed on its own) followed, per document, by each stage of ingest
    timed separately: our line-break rule (``fck_paragraphs``, which ingest runs inside the
    pipeline before the parser; timed here on a tokenized copy), attributions, builder, resolve,
    build, store write; then the
    summary refresh that ends a batch (kg.materialise), once. The store is a fresh on-disk one
    in ``folder`` (as ``ingest_pass`` writes; Oxigraph's queries and writes cost several times
    more on disk than in memory), else in memory. The garbage collector is set as ingest sets it
    for a batch (``kg.ingest.frozen_for_batch``), so that the spaCy time is comparable."""
    from kg.ingest import frozen_for_batch
    from kg.materialise import refresh
    from kg.resolve import IdentityIndex
    from kg.store import Store

    t = dict.fromkeys(STAGES, 0.0)
    t["spacy_cpu"] = 0.0
    index, store = IdentityIndex(), Store(tempfile.mkdtemp(prefix="stages-", dir=folder) if folder else None)
    docs = bare.pipe(((a.body, a) for a in articles), as_tuples=True, batch_size=batch_size)
    with frozen_for_batch():
        _stage_loop(docs, bare, index, store, t)
    clock = time.perf_counter
    t0 = clock()
    store.flush()                        # as ingest does before its refresh: part of the writes
    t1 = clock()
    refresh(store)
    t["store"] += t1 - t0
    t["refresh"] += clock() - t1
    return t


def _stage_loop(docs, bare, index, store, t: dict[str, float]) -> None:
    """The per-document part of :func:`stage_pass`: adds each stage's seconds to ``t``."""
    from kg.build import build_graph
    from kg.extract.attributions import AttributionFinder
    from kg.extract.builder import ArticleBuilder
    from kg.extract.components import paragraph_boundaries
    from kg.ingest import EXTRACTOR_VERSION
    from kg.resolve import resolve

    clock, cpu = time.perf_counter, time.process_time
    while True:
        c0 = cpu()
        t0 = clock()
        item = next(docs, None)
        t1 = clock()
        t["spacy_cpu"] += cpu() - c0
        t["spacy"] += t1 - t0
        if item is None:
            break
        doc, art = item
        tokens = bare.make_doc(art.body)
        t1a = clock()
        paragraph_boundaries(tokens)
        t["paragraphs"] += clock() - t1a
        t1 = clock()
        doc._.attributions = AttributionFinder(doc).find()
        t2 = clock()
        ex = ArticleBuilder(art, doc).run()
        t3 = clock()
        res = resolve(ex, index)
        t4 = clock()
        graph, triples, shared = build_graph(res, extractor_version=EXTRACTOR_VERSION)
        t5 = clock()
        store.replace_graph(str(graph), triples, shared)
        t6 = clock()
        for k, a, b in (("attributions", t1, t2), ("builder", t2, t3), ("resolve", t3, t4), ("build", t4, t5),
                        ("store", t5, t6)):
            t[k] += b - a


def ingest_pass(path: str, nlp, workers: int, batch_size: int, folder: str) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, report) of one ingest into a fresh disk store."""
    from kg.ingest import ingest
    from kg.store import Store

    loc = tempfile.mkdtemp(prefix=f"w{workers}-", dir=folder)
    store = Store(loc)
    c0 = time.process_time()
    t0 = time.perf_counter()
    rep = ingest([path], store, nlp=nlp, n_process=workers, batch_size=batch_size)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0      # this process only: all of the work when workers == 1
    del store
    return dt, cpu, rep


def profile_summary(path: str, nlp, n: int, batch_size: int, folder: str, top: int = 14) -> list[str]:
    """cProfile of ingest on the first ``n`` articles: time per stage and the top functions."""
    from kg.ingest import ingest
    from kg.store import Store

    small = os.path.join(folder, "profile.jsonl")
    with open(path, encoding="utf-8") as fh, open(small, "w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            if i >= n:
                break
            out.write(line)
    prof = cProfile.Profile()
    prof.enable()
    ingest([small], Store(), nlp=nlp, batch_size=batch_size)
    prof.disable()
    st = pstats.Stats(prof)
    total = st.total_tt
    stages = {
        "kg.extract.components (attribution rules)": ("components.py", "__call__"),
        "kg.extract.components (line-break rule)": ("components.py", "paragraph_boundaries"),
        "kg.extract.builder.ArticleBuilder.run": ("builder.py", "run"),
        "kg.resolve.resolve": ("resolve.py", "resolve"),
        "kg.build.build_graph": ("build.py", "build_graph"),
        "kg.store.Store.replace_graph": ("store.py", "replace_graph"),
        "kg.materialise.refresh (end of batch)": ("materialise.py", "refresh"),
        "kg.ingest._changed (sources + hash lookups)": ("ingest.py", "_changed"),
    }
    cum = dict.fromkeys(stages, 0.0)
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in st.stats.items():
        for label, (suffix, name) in stages.items():
            if file.endswith(suffix) and func == name:
                cum[label] += ct
    cum["spaCy pipeline (the rest)"] = total - sum(cum.values())
    lines = [f"cProfile of `ingest` on {n} articles ({total:.1f} s under the profiler, which inflates "
             "Python code more than spaCy's compiled code); cumulative time per stage:"]
    for label, v in sorted(cum.items(), key=lambda kv: -kv[1]):
        lines.append(f"    {label:<50} {v:7.2f} s  {100 * v / total:5.1f} %")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    body = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(body) if ln.lstrip().startswith("ncalls")), 0)
    lines.append(f"  top {top} functions by own time:")
    for ln in body[start:start + top + 1]:
        ln = ln.replace(str(Path(__file__).resolve().parents[1]) + "/", "").replace(
            str(Path(os.__file__).parent) + "/", "")
        lines.append("    " + ln.replace("site-packages/", "")[:150])
    return lines


def run(report: Report, *, articles: int = 64, rounds: int = 3, workers: int = 2, batch_size: int = 16,
        chunk: int = 32, profile_articles: int = 20) -> None:
    """Modes are interleaved chunk by chunk, in rotating order (bare, x1, xN / x1, xN, bare / …),
    so that load from other processes hits all of them alike; totals are summed per mode."""
    import spacy

    from kg.config import model_name
    from kg.extract import load_pipeline
    from kg.records import Article
    from kg.sources import read_articles

    report.section(f"(a) ingest vs bare nlp.pipe, (b) --workers {workers}")
    with tempfile.TemporaryDirectory(prefix="kg-bench-ingest-") as folder:
        path, source = sample_file(folder, articles)
        arts = [a for a in read_articles([path]) if isinstance(a, Article)]
        words = sum(len(a.body.split()) for a in arts)
        chunks = _chunks(path, folder, chunk)
        report.say(f"  corpus: {source}: {len(arts)} articles, {words:,} words; batch_size={batch_size}; "
                   f"{rounds} round(s) of {len(chunks)} chunks of {chunk} articles, each chunk run by every mode "
                   f"in rotating order (bare nlp.pipe, ingest x1, ingest x{workers}; fresh stores)")
        nlp = load_pipeline()
        bare = spacy.load(model_name())      # the model alone: none of our components
        assert not [p for p in bare.pipe_names if p.startswith("fck_")], bare.pipe_names
        stage_pass(bare, arts[:4], batch_size)                       # warm both pipelines
        list(nlp.pipe((a.body for a in arts[:4]), batch_size=batch_size))
        modes = ("bare", "x1", f"x{workers}")
        total = dict.fromkeys(modes, 0.0)
        cpu = {"bare": 0.0, "x1": 0.0}
        stages = dict.fromkeys(STAGES, 0.0)
        per_round = []
        k = 0
        for r in range(rounds):
            before = dict(total)
            for cpath, carts in chunks:
                order = modes[k % 3:] + modes[:k % 3]
                k += 1
                for mode in order:
                    if mode == "bare":
                        st = stage_pass(bare, carts, batch_size, folder)
                        total["bare"] += st["spacy"]
                        cpu["bare"] += st.pop("spacy_cpu")
                        for key, v in st.items():
                            stages[key] += v
                    else:
                        n = 1 if mode == "x1" else workers
                        dt, used, rep = ingest_pass(cpath, nlp, n, batch_size, folder)
                        total[mode] += dt
                        if mode == "x1":
                            cpu["x1"] += used
                        if rep.failures:
                            report.say(f"  {mode}: {len(rep.failures)} failures, e.g. {rep.failures[0]}")
            got = {m: total[m] - before[m] for m in modes}
            per_round.append(got)
            report.say(f"  round {r + 1}: bare {words / got['bare']:,.0f} w/s, ingest x1 {words / got['x1']:,.0f} w/s "
                       f"(ratio {got['bare'] / got['x1']:.3f}), ingest x{workers} {words / got[modes[2]]:,.0f} w/s "
                       f"(speed-up {got['x1'] / got[modes[2]]:.2f})")
        all_words = words * rounds
        ratio = total["bare"] / total["x1"]
        ratio_cpu = cpu["bare"] / cpu["x1"]
        report.add(SECTION, f"bare nlp.pipe ({model_name()} alone, same texts)", all_words / total["bare"], "words/s",
                   note=f"DESIGN.md: ~6,500 on an idle machine; {all_words / cpu['bare']:,.0f} per CPU second")
        report.add(SECTION, "end-to-end ingest, 1 process", all_words / total["x1"], "words/s",
                   note=f"{all_words / cpu['x1']:,.0f} per CPU second")
        report.add(SECTION, "ingest / bare spaCy ratio, CPU time", ratio_cpu, "x", target=">= 0.8",
                   met=ratio_cpu >= 0.8, note="the work each does; insensitive to other processes")
        report.add(SECTION, "ingest / bare spaCy ratio, wall time", ratio, "x",
                   note="rounds: " + ", ".join(f"{p['bare'] / p['x1']:.3f}" for p in per_round)
                        + " (swings with the load of other processes)")
        report.add(SECTION, f"ingest --workers {workers}", all_words / total[modes[2]], "words/s")
        from .common import parallel_capacity

        capacity = parallel_capacity(workers)
        report.add(SECTION, f"machine: speed-up of {workers} processes on a pure CPU loop", capacity, "x",
                   note="the parallel CPU this machine gave during the run (upper bound for --workers)")
        speedup = total["x1"] / total[modes[2]]
        report.add(SECTION, f"speed-up --workers {workers} vs 1", speedup, "x", target=f"> 1 on {os.cpu_count()} cores",
                   met=speedup > 1.0, note="same graph as 1 worker (tests/test_parallel_ingest.py)")
        whole = sum(stages.values())
        report.say("  stage breakdown (bare nlp.pipe, then each stage of ingest timed on its own; fresh on-disk "
                   "store per chunk, as ingest x1 writes):")
        for key, v in stages.items():
            report.say(f"    {key:<14} {v:7.2f} s  {100 * v / whole:5.1f} %   ({all_words / v:,.0f} words/s alone)")
        report.add(SECTION, "non-NLP stages / total (stage breakdown)", (whole - stages["spacy"]) / whole, "share",
                   note="line-break rule + attribution rules + builder + resolve + build + store + end-of-batch "
                        "refresh; ratio bound = 1 - share")
        if profile_articles:
            for line in profile_summary(path, nlp, profile_articles, batch_size, folder):
                report.say("  " + line)


def _chunks(path: str, folder: str, size: int) -> list[tuple[str, list]]:
    """The sample split into JSONL files of ``size`` articles, with their Article records."""
    from kg.records import Article
    from kg.sources import read_articles

    with open(path, encoding="utf-8") as fh:
        lines = fh.readlines()
    out = []
    for i in range(0, len(lines), size):
        cpath = os.path.join(folder, f"chunk-{i // size}.jsonl")
        with open(cpath, "w", encoding="utf-8") as fh:
            fh.writelines(lines[i:i + size])
        out.append((cpath, [a for a in read_articles([cpath]) if isinstance(a, Article)]))
    return out
