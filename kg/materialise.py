"""Materialised results of the whole-store canned queries: the summary graph.

The dashboard's list views and counts, the analysis projection and ``kg stats`` run queries that
read every stance, claim or article (1-12 s each on a 1M-triple store on disk). ``refresh`` runs
each of them (``MATERIALISED``, the canned ``kg/queries/*.rq`` themselves, so whatever they apply,
e.g. curation, the summary agrees) and stores its rows in the store's summary graph
(:data:`kg.store.SUMMARY_GRAPH`); ``rows`` / ``run_canned`` / ``stats`` read them back in a few
milliseconds and fall back to the live query when there is no summary for a query.

Freshness: every write through :class:`kg.store.Store` drops the summary graph, ``replace_graph``
and ``remove_graph`` in the same transaction, ``update`` and ``bulk_load`` just before they
write; so a summary that exists was computed from the data as they are; a query whose ``.rq`` text changed since (its
hash differs) is not served either. ``kg ingest`` refreshes at the end of each batch, kg.curate
after each correction; a store written before the summary existed simply has none (live queries).
Writers that bypass :class:`~kg.store.Store` (another program on the same folder) are not seen.

Layout of the summary graph (internal; left out of ``len``, ``named_graphs`` and every export)::

    <summary> kgs:generation "uuid" ; kgs:refreshed "…"^^xsd:dateTime ; kgs:layout 3 .
    <summary/dash-claims> kgs:query "dash-claims" ; kgs:queryHash "…" ; kgs:rowCount 9206 ;
        kgs:seconds 2.31 ; kgs:columns "[\"claim\",…]" ; kgs:chunks "3f2a… 9c01… …" .
    <summary/chunk/3f2a…> kgs:rows "[[…],[…],…]" .

The rows (the Python values ``Store.select`` gives) are JSON, cut into chunks of about 128 rows
where a row's checksum says so (content-defined: an inserted or changed row changes one or two
chunks, not every later one) and named by their content. Why not one triple per row: reading
9k row triples back from disk took 0.33 s, 30k 1.4-2.9 s; a few hundred chunk literals take
milliseconds. Why chunks: Oxigraph never deletes a string it has stored, so every literal a
refresh writes stays on disk; an unchanged chunk is the same string again and costs nothing, so
what a refresh leaves behind is the chunks that changed (BENCHMARKS.md).
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import time
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import KGID
from .query import canned, stats_of
from .query import run_canned as run_live
from .store import SUMMARY_GRAPH, Store, _py

log = logging.getLogger(__name__)

# The whole-store queries read by the dashboard (lists, counts, graph view), kg stats, kg.analysis
# (projection, contested claims, outlet agreement) and the graph exports. Bound queries (one
# claim, one entity …) are fast as they are and stay live.
MATERIALISED = ("stats", "dash-claims", "dash-actors", "dash-articles", "dash-affiliations", "dash-graph-edges",
                "analysis-stances", "analysis-articles", "analysis-claim-sides", "analysis-appearances",
                "analysis-members")
LAYOUT = 3
KGS = str(KGID["summary#"])
P = {k: KGS + k for k in ("generation", "refreshed", "layout", "query", "queryHash", "rowCount", "seconds", "columns",
                          "chunks", "rows")}


@dataclass(frozen=True)
class QueryStatus:
    rows: int
    seconds: float           # time the live query took at refresh
    current: bool            # the .rq text is the one the rows were computed with


@dataclass(frozen=True)
class Summary:
    """What the summary graph holds: empty ``generation`` when there is none (stale or never made)."""
    generation: str = ""
    refreshed: str = ""
    queries: dict[str, QueryStatus] = field(default_factory=dict)

    @property
    def fresh(self) -> bool:
        return bool(self.generation) and all(q.current for q in self.queries.values())


def supported(store) -> bool:
    """Only the embedded store keeps a summary (a remote SPARQL store answers live)."""
    return isinstance(store, Store)


def entry(name: str) -> str:
    """IRI of one query's entry in the summary graph."""
    return f"{SUMMARY_GRAPH}/{name}"


def query_hash(name: str) -> str:
    """Hash of the query's text and of the encoding: rows computed by another text or written
    in another layout are not served."""
    return hashlib.sha1(f"{LAYOUT}\n{canned(name)}".encode("utf-8")).hexdigest()[:16]


# -- reading -----------------------------------------------------------------------------------
def cached_rows(store, name: str) -> list[dict] | None:
    """Rows of canned query ``name`` from the summary, or None when it has none for that query
    (no summary, written since, or the query's text changed)."""
    if name not in MATERIALISED or not supported(store):
        return None
    if store.summary_value(entry(name), P["queryHash"]) != query_hash(name):
        return None
    kept = _kept(store, name)
    return None if kept is None else decode(kept[0], kept[2])


def rows(store, name: str) -> list[dict]:
    """Rows of canned query ``name`` (unbound): from the summary when it has them, else live."""
    cached = cached_rows(store, name)
    return cached if cached is not None else run_live(store, name)


def run_canned(store, name: str, **bindings) -> list[dict]:
    """:func:`kg.query.run_canned` that answers unbound materialised queries from the summary."""
    return rows(store, name) if not bindings else run_live(store, name, **bindings)


def stats(store) -> dict[str, int]:
    """Like :func:`kg.query.stats` (counts of articles, entities, claims, stances, triples)."""
    return stats_of(rows(store, "stats"))


def status(store) -> Summary:
    """Generation, refresh time and per-query row counts of the summary (no rows decoded)."""
    if not supported(store) or store.summary_value(SUMMARY_GRAPH, P["generation"]) is None:
        return Summary()
    queries = {}
    for name in MATERIALISED:
        h = store.summary_value(entry(name), P["queryHash"])
        if h is not None:
            queries[name] = QueryStatus(int(store.summary_value(entry(name), P["rowCount"]) or 0),
                                        float(store.summary_value(entry(name), P["seconds"]) or 0.0),
                                        h == query_hash(name))
    return Summary(str(store.summary_value(SUMMARY_GRAPH, P["generation"])),
                   str(store.summary_value(SUMMARY_GRAPH, P["refreshed"]) or ""), queries)


# -- writing -----------------------------------------------------------------------------------
CHUNK_ROWS = 128          # about this many rows per chunk (content-defined boundaries)
MAX_CHUNK_ROWS = 1024


def refresh(store, *, force: bool = False) -> Summary:
    """Bring the summary up to date: run every query of ``MATERIALISED`` that has no current
    rows (all of them after a write; none when the summary is fresh, unless ``force``) and
    replace the summary graph in one transaction. A no-op on stores that keep no summary.
    Called by ``kg ingest`` at the end of each batch and by kg.curate after each correction."""
    if not supported(store):
        return Summary()
    before = status(store)
    if before.fresh and set(before.queries) == set(MATERIALISED) and not force:
        return before
    t_all = time.perf_counter()
    triples: list[tuple] = []
    chunks: dict[str, str] = {}
    for name in MATERIALISED:
        kept = None if force or not before.queries.get(name, QueryStatus(0, 0, False)).current else _kept(store, name)
        if kept is not None:
            columns, ids, texts = kept
            n, seconds = before.queries[name].rows, before.queries[name].seconds
        else:
            columns, ids, texts, n, seconds = _run_encoded(store, name)
        chunks.update(zip(ids, texts))
        triples += _entry_triples(name, columns, ids, n, seconds)
    generation = uuid.uuid4().hex
    now = datetime.now(timezone.utc).replace(microsecond=0)
    head = URIRef(SUMMARY_GRAPH)
    triples += [(head, URIRef(P["generation"]), Literal(generation)),
                (head, URIRef(P["refreshed"]), Literal(now.isoformat(), datatype=XSD.dateTime)),
                (head, URIRef(P["layout"]), Literal(LAYOUT))]
    triples += [(URIRef(chunk(c)), URIRef(P["rows"]), Literal(text)) for c, text in chunks.items()]
    store.write_summary(triples)
    store.flush()
    log.info("summary refreshed in %.1f s (generation %s)", time.perf_counter() - t_all, generation)
    return status(store)


def _kept(store, name: str) -> tuple[str, list[str], list[str]] | None:
    """The stored columns, chunk ids and chunk texts of a query whose rows are current."""
    node = entry(name)
    columns, ids = store.summary_value(node, P["columns"]), store.summary_value(node, P["chunks"])
    if columns is None or ids is None:
        return None
    texts = [store.summary_value(chunk(c), P["rows"]) for c in ids.split()]
    return None if any(t is None for t in texts) else (columns, ids.split(), texts)


def _entry_triples(name: str, columns: str, ids: list[str], n: int, seconds: float) -> list[tuple]:
    node = URIRef(entry(name))
    return [(node, URIRef(P["query"]), Literal(name)),
            (node, URIRef(P["queryHash"]), Literal(query_hash(name))),
            (node, URIRef(P["rowCount"]), Literal(n)),
            (node, URIRef(P["seconds"]), Literal(round(seconds, 3), datatype=XSD.decimal)),
            (node, URIRef(P["columns"]), Literal(columns)),
            (node, URIRef(P["chunks"]), Literal(" ".join(ids)))]


def chunk(chunk_id: str) -> str:
    """IRI of one chunk of rows."""
    return f"{SUMMARY_GRAPH}/chunk/{chunk_id}"


def _run_encoded(store, name: str) -> tuple[str, list[str], list[str], int, float]:
    """Run one canned query live and encode its rows as they stream in (no list of row dicts:
    the refresh at the end of an ingest keeps its memory small)."""
    t0 = time.perf_counter()
    res = store.query(canned(name))
    columns = [v.value for v in res.variables]
    counted = [0]

    def texts():
        for solution in res:
            counted[0] += 1
            yield json.dumps([_py(solution[c]) for c in columns], ensure_ascii=False, separators=(",", ":"))

    ids, chunks = _chunks(texts())
    return json.dumps(columns, ensure_ascii=False), ids, chunks, counted[0], time.perf_counter() - t0


def encode(found: list[dict]) -> tuple[str, list[str], list[str]]:
    """Rows (dicts of str/int/float/None, all with the same keys) as ``(columns JSON, chunk
    ids, chunk JSON texts)``: a chunk ends after a row whose CRC-32 is 0 modulo
    :data:`CHUNK_ROWS` (or at :data:`MAX_CHUNK_ROWS` rows); its id is a hash of its text."""
    columns = list(found[0]) if found else []
    ids, texts = _chunks(json.dumps([r.get(c) for c in columns], ensure_ascii=False, separators=(",", ":"))
                         for r in found)
    return json.dumps(columns, ensure_ascii=False), ids, texts


def _chunks(rows: Iterable[str]) -> tuple[list[str], list[str]]:
    texts, current = [], []
    for text in rows:
        current.append(text)
        if zlib.crc32(text.encode("utf-8")) % CHUNK_ROWS == 0 or len(current) >= MAX_CHUNK_ROWS:
            texts.append("[" + ",".join(current) + "]")
            current = []
    if current:
        texts.append("[" + ",".join(current) + "]")
    return [hashlib.sha1(t.encode("utf-8")).hexdigest()[:24] for t in texts], texts


def decode(columns: str, texts: list[str]) -> list[dict]:
    """Rows back from :func:`encode`'s columns and chunk texts. The garbage collector is paused
    meanwhile: tens of thousands of new dicts and strings would otherwise set off full
    collections of a big process (the dashboard's, with the spaCy model loaded)."""
    names = json.loads(columns)
    enabled = gc.isenabled()
    gc.disable()
    try:
        values: list = []
        for text in texts:
            values.extend(json.loads(text))
        return list(map(dict, map(zip, repeat(names), values)))
    finally:
        if enabled:
            gc.enable()
