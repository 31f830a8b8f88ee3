"""(c) the store at scale: load rate, size on disk, memory, canned-query latency;
(d) export rates; (e) analysis at 10k and 100k stances."""
from __future__ import annotations

import gc
import os
import time

from .common import PeakSampler, Report, dir_size_mb, median, percentile, repeat, timed

QUERY_TARGET_S = 0.100
# How each bound query is called by its user: the dashboard binds IRIs with a VALUES block
# (kg.viz.select_values); kg.analysis binds ?claim with a substitution (run_canned).
BOUND = {   # query -> the variables its callers bind, one at a time (None: also run unbound)
    "dash-article": ("article",),
    "dash-claim": ("claim",),
    "dash-entity": ("entity",),
    "dash-stance-spans": ("stance",),
    "dash-stances": (None, "claim", "holder", "article"),
    "analysis-claim": ("claim",),
}
SUBSTITUTED = {"analysis-claim"}   # kg.analysis binds with a substitution, the dashboard with VALUES


def load(store, paths: list[str]) -> tuple[float, float]:
    """Bulk-load N-Quads files; returns (seconds, peak RSS increase in MB)."""
    with PeakSampler() as mem:
        t0 = time.perf_counter()
        for p in paths:
            store.bulk_load(p, "nquads")
        store.flush()
        dt = time.perf_counter() - t0
    return dt, mem.peak - mem.start


def representative(store) -> dict[str, str]:
    """The busiest claim and holder and an article with stances (bindings for the bound queries)."""
    claim = store.select("SELECT ?claim (COUNT(?s) AS ?n) WHERE { ?s fck:claim ?claim } "
                         "GROUP BY ?claim ORDER BY DESC(?n) ?claim LIMIT 1")[0]["claim"]
    holder = store.select("SELECT ?holder (COUNT(?s) AS ?n) WHERE { ?s fck:holder ?holder } "
                          "GROUP BY ?holder ORDER BY DESC(?n) ?holder LIMIT 1")[0]["holder"]
    article = store.select("SELECT ?article WHERE { ?s fck:claim <%s> ; prov:wasDerivedFrom ?article } "
                           "ORDER BY ?article LIMIT 1" % claim)[0]["article"]
    stances = [r["s"] for r in store.select("SELECT ?s WHERE { ?s a fck:Stance } LIMIT 200")]
    # stance: the first stance of the busiest claim
    ident = store.select("SELECT ?id WHERE { <%s> schema:identifier ?id }" % article)[0]["id"]
    return {"claim": claim, "holder": holder, "entity": holder, "article": article, "stances": stances,
            "stance": store.select("SELECT ?s WHERE { ?s fck:claim <%s> } ORDER BY ?s LIMIT 1" % claim)[0]["s"],
            "identifier": ident}


def query_cases(store, rep: dict) -> list[tuple[str, object, str]]:
    """(name, callable, used by) for every canned query, bound the way its callers bind it."""
    from rdflib import URIRef

    from kg.query import QUERIES, canned, run_canned
    from kg.viz import select_values, stance_evidence

    cases = []
    for path in sorted(QUERIES.glob("*.rq")):
        name = path.stem
        user = "dashboard" if name.startswith("dash-") or name == "stats" else "analysis (CLI + dashboard)"
        for var in BOUND.get(name, (None,)):
            if var is None:
                cases.append((name, (lambda n=name: run_canned(store, n)), user))
            elif name in SUBSTITUTED:
                cases.append((f"{name} ?{var} (substitution)",
                              (lambda n=name, v=var: run_canned(store, n, **{v: URIRef(rep[v])})),
                              "kg.analysis.contested_claims, once per top claim"))
            else:
                cases.append((f"{name} ?{var} (VALUES)",
                              (lambda n=name, v=var: select_values(store, canned(n), **{v: rep[v]})), user))
    cases.append(("kg.viz.stance_evidence, 200 stances (graph view)",
                  lambda: stance_evidence(store, rep["stances"]), "dashboard graph, per view"))
    cases.append(("Store.article_hash (ingest skip check)", lambda: store.article_hash(rep["identifier"]),
                  "ingest, once per input article"))
    return cases


def run_queries(report: Report, store, section: str, *, runs: int = 5, budget: float = 2.5,
                slow: float = 4.0) -> None:
    rep = representative(store)
    cases = query_cases(store, rep)
    report.say(f"  bindings: the busiest claim and holder, an article of that claim. Each query runs once, then "
               f"again up to {runs} runs in all while under {budget:g} s (a query slower than {slow:g} s runs once); "
               "p50/p95 over those runs (nearest rank, so with few runs p95 is the slowest). Rows are converted "
               "to Python as the callers do.")
    for name, fn, user in cases:
        t_first, rows = timed(fn)
        times = [t_first]
        if t_first < slow:
            times += repeat(fn, runs=runs - 1, budget=budget, warmup=0)
        n = len(rows) if isinstance(rows, list) else 1
        p50, p95 = median(times), percentile(times, 95)
        report.add(section, f"{name} p50", p50 * 1000, "ms", target="<= 100 ms", met=p50 <= QUERY_TARGET_S,
                   note=f"p95 {p95 * 1000:,.0f} ms, {len(times)} runs, {n:,} rows; {user}")


def write_rate(report: Report, store, section: str, articles: int = 100) -> None:
    """Transactional writes (Store.replace_graph, one SPARQL update per article) into the big
    store, and the ingest skip check (article_hash) at that size."""
    from .synth import Corpus, quads

    batch = list(quads(Corpus(seed=99).articles(articles)))
    n = sum(len(t) + len(s) for _, t, s in batch)
    t0 = time.perf_counter()
    for g, t, s in batch:
        store.replace_graph(g, t, s)
    store.flush()
    dt = time.perf_counter() - t0
    report.add(section, f"replace_graph into the store ({articles} articles)", n / dt, "triples/s",
               note=f"{dt / articles * 1000:.1f} ms per article, one transaction each")


def exports(report: Report, store, section: str, folder: str) -> None:
    from kg.export import export
    from kg.graph_export import export_graph

    total = len(store)
    for fmt in ("ntriples", "turtle", "trig", "graphml"):
        path = os.path.join(folder, f"export.{fmt}")
        if fmt == "graphml":
            dt, (nodes, edges) = timed(export_graph, store, fmt, path)
            note = f"{nodes:,} nodes, {edges:,} edges (the network projection)"
        else:
            dt, _ = timed(export, store, fmt, path)
            note = ""
        size = os.path.getsize(path) / 2**20
        target = ">= 100,000 (hundreds of thousands)" if fmt != "graphml" else ""
        rate = total / dt
        report.add(section, f"export {fmt}", rate, "triples/s", target=target,
                   met=(rate >= 100_000) if target else None,
                   note=f"{dt:.1f} s, {size:,.0f} MB{'; ' + note if note else ''}")
        os.remove(path)


def analysis(report: Report, store, section: str, label: str) -> None:
    from kg import analysis as an

    t_proj, G = timed(an.stance_graph, store)
    report.add(section, f"{label}: stance_graph projection", t_proj, "s",
               note=f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    t_con, top = timed(an.contested_claims, store, top=10)
    report.add(section, f"{label}: contested_claims(top=10)", t_con, "s", note=f"{len(top)} claims")
    t_ctr, ctr = timed(an.controversy, G)
    report.add(section, f"{label}: controversy() of every claim (in memory)", t_ctr, "s",
               note=f"{sum(1 for v in ctr.values() if v > 0):,} contested claims")


def open_store(location: str | None):
    from kg.store import Store

    return Store(location) if location else Store()


def store_section(report: Report, parts: list[str], folder: str, *, label: str = "1M") -> str:
    """Load the parts into an on-disk store; report load rate, size and memory; return its path."""
    loc = os.path.join(folder, f"store-{label}")
    store = open_store(loc)
    dt, mem = load(store, parts)
    n = len(store)
    report.add("store", f"bulk load {label} ({n:,} quads)", n / dt, "triples/s",
               note=f"{dt:.1f} s; DESIGN.md measured 300-620k/s here")
    size = dir_size_mb(loc)
    report.add("store", f"on-disk size at {label}", size, "MB", note=f"{size * 2**20 / n:.0f} bytes/quad")
    report.add("store", f"RSS increase while loading {label}", mem, "MB")
    del store
    gc.collect()
    return loc


def memory_store(parts: list[str]):
    store = open_store(None)
    for p in parts:
        store.bulk_load(p, "nquads")
    return store
