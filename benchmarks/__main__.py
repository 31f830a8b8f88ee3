"""``python -m benchmarks`` (``make bench``): every figure of issue 7 with its target, in one run.

Sections: (a) ingest vs bare spaCy and (b) --workers 2 [ingest]; (g) memory of ingesting 1,000
vs 3,000 small articles, run in subprocesses while the synthetic corpus is generated [memory];
(c) the store at 1M triples: load, size, memory, the materialised summary, query latency [store]; (d) exports
[export]; (f) dashboard pages and the pyvis page [dashboard]; (e) analysis at 10k and 100k
stances [analysis]. ``--only`` picks sections; the defaults finish in about 7-10 minutes on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import FAILED, Report, machine

SECTIONS = ("ingest", "memory", "store", "export", "dashboard", "analysis", "write")
ROOT = Path(__file__).resolve().parents[1]


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    ap.add_argument("--articles", type=int, default=64, help="PolNeAR articles for (a)/(b) (default 64)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds over them for (a)/(b) (default 3)")
    ap.add_argument("--chunk", type=int, default=32, help="articles per interleaved chunk (default 32: two batches)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--profile-articles", type=int, default=20, help="articles profiled with cProfile (0: none)")
    ap.add_argument("--quads", type=int, default=1_000_000, help="store size for (c)(d)(f) (default 1M)")
    ap.add_argument("--big", type=int, default=0, help="also load this many quads (e.g. 5000000) for load/size/queries")
    ap.add_argument("--stances", default="10000,100000", help="analysis sizes in stances (default 10000,100000)")
    ap.add_argument("--memory", default="1000,3000", help="article counts for the memory runs")
    ap.add_argument("--resolve-scaling", type=int, default=600,
                    help="articles resolved with one index to show how resolve's cost grows (0: skip)")
    ap.add_argument("--out", help="also write the printed report to this file")
    ap.add_argument("--json", help="write every figure as JSON to this file")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    only = set(args.only.split(","))
    report = Report()
    t_start = time.perf_counter()
    info = machine()
    report.say("factcheck-kg benchmark (python -m benchmarks)")
    report.say(f"  machine: {info['nproc']} CPUs ({info.get('cpu', '?')}), RAM {info['ram']}, Python {info['python']}, "
               f"{info['platform']}")
    report.say(f"  spaCy {info['spacy']} (model {info['model']} {info['model_version']}), pyoxigraph {info['pyoxigraph']}, "
               f"rdflib {info['rdflib']}, networkx {info['networkx']}, streamlit {info['streamlit']}, pyvis {info['pyvis']}")
    report.say(f"  load average at start: {info['load_avg']} (other processes on the machine skew absolute figures; "
               "ratios are measured side by side)")

    if "ingest" in only:
        from . import ingest_bench

        ingest_bench.run(report, articles=args.articles, rounds=args.rounds, workers=args.workers,
                         batch_size=args.batch_size, chunk=args.chunk, profile_articles=args.profile_articles)

    stances = [int(x) for x in args.stances.split(",") if x] if "analysis" in only else []
    need_store = bool({"store", "export", "dashboard", "write"} & only)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        marks, parts_for = _marks(stances, args.quads if need_store else 0, args.big if need_store else 0)
        gen = None
        if marks:
            scaling = ["--scaling", str(args.resolve_scaling)] if args.resolve_scaling else []
            gen = subprocess.Popen([sys.executable, "-m", "benchmarks.synth", folder, *scaling, *marks],
                                   stdout=subprocess.PIPE, text=True, cwd=ROOT, env=_env())
        if "memory" in only:
            _memory(report, [int(x) for x in args.memory.split(",") if x], concurrent=gen is not None)
        if gen is not None:
            _generated(report, gen)
        parts = lambda key: [os.path.join(folder, f"part-{k}.nq") for k in range(parts_for[key] + 1)]  # noqa: E731
        if need_store:
            _store(report, only, parts("quads"), folder, args)
        if args.big and need_store:
            _big(report, parts("big"), folder, args.big)
        if stances:
            from . import store_bench

            report.section("(e) analysis: projection and metrics (live queries on in-memory stores)")
            for n in stances:
                t0 = time.perf_counter()
                store = store_bench.memory_store(parts(f"stances={n}"))
                dt = time.perf_counter() - t0
                report.add("store", f"bulk load into an in-memory store ({len(store):,} quads)", len(store) / dt,
                           "triples/s", note=f"{dt:.1f} s; the analysis store for {n:,} stances")
                store_bench.analysis(report, store, "analysis", f"{n // 1000}k stances")
                del store
    import resource

    cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    report.say("")
    report.say(f"  total time {time.perf_counter() - t_start:,.0f} s wall, {cpu:,.0f} s CPU (this process and its "
               f"children); load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report.summary()
    if args.out:
        Path(args.out).write_text("\n".join(report.lines) + "\n", encoding="utf-8")
    if args.json:
        report.dump_json(args.json)
    return 0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def _marks(stances: list[int], quads: int, big: int) -> tuple[list[str], dict[str, int]]:
    """Marks of one growing corpus, in order; and for each figure, the last part it needs."""
    wanted = [(f"stances={n}", "stances", n) for n in stances]
    if quads:
        wanted.append(("quads", "quads", quads))
    if big:
        wanted.append(("big", "quads", big))
    # order by the approximate size in quads (about 30 quads per stance in this corpus)
    wanted.sort(key=lambda w: w[2] * (30 if w[1] == "stances" else 1))
    marks = [f"{kind}={n}" for _, kind, n in wanted]
    return marks, {key: k for k, (key, _, _) in enumerate(wanted)}


def _memory(report: Report, counts: list[int], *, concurrent: bool) -> None:
    report.section("(g) memory: peak RSS of ingesting small articles (one subprocess each; the loop, then the "
                   "summary refresh that ends the batch)")
    if concurrent:
        report.say("  (run while the synthetic corpus is generated: only memory is measured here, not time)")
    procs = {n: subprocess.Popen([sys.executable, "-m", "benchmarks.memchild", str(n)], stdout=subprocess.PIPE,
                                 text=True, cwd=ROOT, env=_env()) for n in counts}
    results = {}
    for n, p in procs.items():
        out, _ = p.communicate()
        try:
            results[n] = json.loads(out.strip().splitlines()[-1])
        except (IndexError, ValueError):
            report.add("memory", f"ingest {n:,} articles", FAILED, note=f"exit {p.returncode}")
    for n, r in results.items():
        report.add("memory", f"peak RSS while ingesting {n:,} small articles", r["peak_during_ingest_mb"], "MB",
                   note=f"after model load {r['rss_after_model_mb']:.0f} MB, process peak incl. model load "
                        f"{r['peak_rss_process_mb']:.0f} MB; RSS every 10%: "
                        f"{', '.join(f'{x:.0f}' for x in r['rss_every_tenth'])}; {r['articles']} ok, "
                        f"{r['failures']} failed, {r['quads']:,} quads")
        if r.get("peak_during_refresh_mb"):
            report.add("memory", "  then the summary refresh ending that batch", r["peak_during_refresh_mb"], "MB",
                       note=f"peak RSS, {r['refresh_seconds']:.1f} s: whole-store queries (Oxigraph working memory and "
                            "RocksDB block cache), what any reader of the whole store pays")
    if len(results) >= 2:
        lo, hi = min(results), max(results)
        growth = results[hi]["peak_during_ingest_mb"] / results[lo]["peak_during_ingest_mb"] - 1
        report.add("memory", f"peak RSS growth {lo:,} -> {hi:,} articles", 100 * growth, "%",
                   target="flat (<= 10 %)", met=growth <= 0.10)


def _generated(report: Report, gen: subprocess.Popen) -> None:
    report.section("synthetic corpus (Extraction records -> resolve -> build_graph -> N-Quads)")
    out, _ = gen.communicate()
    if gen.returncode:
        raise SystemExit(f"corpus generation failed (exit {gen.returncode})")
    last = None
    for line in out.strip().splitlines():
        r = json.loads(line)
        if "scaling" in r:
            sc = r["scaling"]
            report.add("resolve", f"resolve per article, first {sc['articles'] // 5} of {sc['articles']}",
                       sc["first_ms"], "ms", note="real kg.resolve, one growing IdentityIndex")
            report.add("resolve", f"resolve per article, last {sc['articles'] // 5} of {sc['articles']}",
                       sc["last_ms"], "ms", target="flat (<= 2x the first)", met=sc["last_ms"] <= 2 * sc["first_ms"],
                       note=f"{sc['claims_indexed']:,} claims indexed; each new claim is compared with the latest "
                            "500 of its predicate class (bounded: grows until those windows fill) and with those "
                            "with its predicate about its entities")
            continue
        last = r
        report.say(f"  up to {r['mark']}: {r['articles']:,} articles, {r['stances']:,} stances, {r['quads']:,} quads "
                   f"written ({r['seconds']:.0f} s cumulative)")
    if last:
        report.add("store", "generation through resolve + build_graph", last["quads"] / max(last["seconds"], 1e-9),
                   "quads/s", note="real code, kg.iris.normalise memoised in that process; ran concurrently with (g)")


def _store(report: Report, only: set[str], parts: list[str], folder: str, args) -> None:
    from . import dashboard_bench, store_bench

    report.section(f"(c) store at {args.quads:,} quads: load, size, memory")
    loc = store_bench.store_section(report, parts, folder, label=_size(args.quads))
    report.section(f"(c) materialised summary at {args.quads:,} quads (kg.materialise.refresh, as at the end "
                   "of every ingest batch and after each correction)")
    store = store_bench.open_store(loc)
    store_bench.refresh(report, store, "summary")
    if "store" in only:
        report.section(f"(c) canned queries at {args.quads:,} quads (every kg/queries/*.rq, read as their callers "
                       "read it)")
        store_bench.run_queries(report, store, "queries")
    del store
    if "export" in only:
        report.section(f"(d) export at {args.quads:,} quads")
        store = store_bench.open_store(loc)
        store_bench.exports(report, store, "export", folder)
        del store
    import gc

    gc.collect()
    if "dashboard" in only:
        report.section(f"(f) dashboard pages at {args.quads:,} quads")
        dashboard_bench.run(report, loc)
    if "write" in only:
        report.section(f"(c) transactional writes at {args.quads:,} quads")
        store = store_bench.open_store(loc)
        store_bench.write_rate(report, store, "store")
        del store
        gc.collect()


def _size(n: int) -> str:
    return f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n / 1e3:g}k"


def _big(report: Report, parts: list[str], folder: str, size: int) -> None:
    from . import store_bench

    report.section(f"(c) store at {size:,} quads")
    loc = store_bench.store_section(report, parts, folder, label=_size(size))
    store = store_bench.open_store(loc)
    store_bench.refresh(report, store, "summary-big")
    store_bench.run_queries(report, store, "queries-big", runs=3, budget=3.0)


if __name__ == "__main__":
    sys.exit(main())
