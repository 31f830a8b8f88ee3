"""Load test for `kg serve` (a benchmark, not a test): bounded concurrent queries on 127.0.0.1.

Starts ``python -m kg serve`` on a free port over a store (``--store``; by default a temporary
store built from examples/articles, which loads the spaCy model), sends ``--threads`` ×
``--requests`` queries (a mix of dashboard-style lookups and aggregates, one keep-alive
connection per thread) for at most ``--max-seconds``, and reports throughput and p50/p99 latency.

    .venv/bin/python benchmarks/load_serve.py [--store DIR] [--threads 4] [--requests 200]
"""
from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
log = logging.getLogger("load_serve")

QUERIES = [
    ("lookup", "SELECT ?a ?h WHERE { ?a a schema:NewsArticle ; schema:headline ?h } LIMIT 20"),
    ("stances", "SELECT ?s ?holder ?type WHERE { ?s a fck:Stance ; fck:holder ?holder ; fck:stanceType ?type } "
                "LIMIT 100"),
    ("ask", "ASK { ?c a schema:Claim }"),
    ("stats", (REPO / "kg" / "queries" / "stats.rq").read_text(encoding="utf-8")),
    ("contested", (REPO / "examples" / "queries" / "contested-claims.rq").read_text(encoding="utf-8")),
]


def build_store(path: Path) -> None:
    from kg.ingest import ingest
    from kg.store import Store

    log.info("building a sample store in %s (loads the spaCy model)", path)
    store = Store(path)
    report = ingest([str(REPO / "examples" / "articles")], store)
    store.flush()
    log.info("ingested %d articles", report.articles)


def start_server(store: Path, timeout: float) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0",
                             "--timeout", str(timeout)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if "SPARQL endpoint:" not in line:
        proc.kill()
        raise SystemExit(f"kg serve did not start: {line!r}")
    return proc, line.split()[2]


def worker(url: str, n: int, offset: int, deadline: float, out: list, errors: list) -> None:
    with httpx.Client(timeout=30, headers={"Accept": "application/sparql-results+json"}) as client:
        for i in range(n):
            if time.monotonic() > deadline:
                return
            name, query = QUERIES[(i + offset) % len(QUERIES)]
            t0 = time.perf_counter()
            try:
                resp = client.post(url, data={"query": query})
                ok = resp.status_code == 200
            except httpx.HTTPError as exc:
                ok, resp = False, exc
            dt = time.perf_counter() - t0
            (out if ok else errors).append((name, dt if ok else resp))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, help="existing store folder (default: build one from the examples)")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--requests", type=int, default=200, help="requests per thread")
    ap.add_argument("--max-seconds", type=float, default=60.0)
    ap.add_argument("--timeout", type=float, default=10.0, help="server per-query time limit")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "store"
            build_store(store)
        proc, url = start_server(store, args.timeout)
        try:
            httpx.post(url, data={"query": "ASK {}"}, timeout=30)                # warm-up
            ok: list = []
            errors: list = []
            deadline = time.monotonic() + args.max_seconds
            threads = [threading.Thread(target=worker, args=(url, args.requests, k, deadline, ok, errors))
                       for k in range(args.threads)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(10)
    lat = [dt for _, dt in ok]
    if not lat:
        log.error("no successful requests; errors: %s", errors[:5])
        return 1
    log.info("kg serve load: %d threads x %d requests (%d ok, %d errors) in %.2f s",
             args.threads, args.requests, len(ok), len(errors), wall)
    log.info("throughput  %.1f queries/s", len(ok) / wall)
    log.info("latency     p50 %.1f ms   p99 %.1f ms   mean %.1f ms   max %.1f ms",
             pct(lat, 50) * 1e3, pct(lat, 99) * 1e3, statistics.mean(lat) * 1e3, max(lat) * 1e3)
    for name, _ in QUERIES:
        mine = [dt for n, dt in ok if n == name]
        if mine:
            log.info("  %-10s n=%-4d p50 %6.1f ms  p99 %6.1f ms", name, len(mine), pct(mine, 50) * 1e3,
                     pct(mine, 99) * 1e3)
    for name, err in errors[:5]:
        log.warning("error (%s): %s", name, err)
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
