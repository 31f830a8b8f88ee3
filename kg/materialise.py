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
from bisect import insort
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import FCK, KGID, PROV, RDF, SCHEMA
from .query import canned, canned_for, stats_of
from .query import run_canned as run_live
from .store import SUMMARY_GRAPH, SUMMARY_NS, Store, _py, _tokens, _union_operands, sparql_term

log = logging.getLogger(__name__)

# The whole-store queries read by the dashboard (lists, counts, graph view), kg stats, kg.analysis
# (projection, contested claims, outlet agreement) and the graph exports. Bound queries (one
# claim, one entity …) are fast as they are and stay live.
MATERIALISED = ("stats", "dash-claims", "dash-actors", "dash-articles", "dash-affiliations", "dash-graph-edges",
                "analysis-stances", "analysis-articles", "analysis-claim-sides", "analysis-appearances",
                "analysis-members")
LAYOUT = 4               # 4: each row a JSON object (3: arrays, turned into dicts in Python)
KGS = SUMMARY_NS
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
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode   # one encoder (json.dumps makes one per call)
MAX_CHUNK_ROWS = 1024


def refresh(store, *, force: bool = False) -> Summary:
    """Bring the summary up to date: run every query of ``MATERIALISED`` that has no current
    rows (all of them after a write; none when the summary is fresh, unless ``force``) and
    replace the summary graph in one transaction. A no-op on stores that keep no summary.
    Called by ``kg ingest`` at the end of each batch and by kg.curate after each correction."""
    if not supported(store):
        return Summary()
    before = status(store)
    if _complete(before) and not force:
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


def _complete(summary: Summary) -> bool:
    """Is ``summary`` fresh and does it hold every query of ``MATERIALISED``?"""
    return summary.fresh and set(summary.queries) == set(MATERIALISED)


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
    res = store.query(canned_for(store, name))
    columns = [v.value for v in res.variables]
    counted = [0]

    def texts():
        for solution in res:            # a solution iterates its values in the order of the columns
            counted[0] += 1
            yield _json(dict(zip(columns, map(_py, solution))))

    ids, chunks = _chunks(texts())
    return json.dumps(columns, ensure_ascii=False), ids, chunks, counted[0], time.perf_counter() - t0


def encode(found: list[dict]) -> tuple[str, list[str], list[str]]:
    """Rows (dicts of str/int/float/None, all with the same keys) as ``(columns JSON, chunk
    ids, chunk JSON texts)``: a chunk ends after a row whose CRC-32 is 0 modulo
    :data:`CHUNK_ROWS` (or at :data:`MAX_CHUNK_ROWS` rows); its id is a hash of its text."""
    columns = list(found[0]) if found else []
    ids, texts = _chunks(_json({c: r.get(c) for c in columns}) for r in found)
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
    """Rows back from :func:`encode`'s chunk texts (``columns`` is kept for the readers of an
    empty result). Each row is a JSON object, which the parser turns into a dict itself (orjson
    when installed: the 30k stance rows of a 1M-triple store in ~60 ms instead of ~125 ms with
    arrays and ``dict(zip(...))``). The garbage collector is paused meanwhile: tens of thousands
    of new dicts and strings would otherwise set off full collections of a big process (the
    dashboard's, with the spaCy model loaded)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        rows: list = []
        for text in texts:
            rows.extend(_loads(text))
        return rows
    finally:
        if enabled:
            gc.enable()


try:
    from orjson import loads as _loads
except ImportError:              # same rows, about twice slower
    _loads = json.loads


# -- incremental upkeep after a correction ------------------------------------------------------
# A correction (kg.curate) changes only the curation graphs: the correction record and the
# overlay. Every row it can change is found from the overlay triples it adds or removes (the
# "diff"): the rows keyed by a node of the diff, or by a node one or two links away along what
# the query reads (a stance's claim, holder and article; a claim's articles and their publisher).
# Those rows are computed again by the canned query itself, bound to those keys; the others stay.
# Paths that need no lookup of their own: a merged publisher, mentioned entity or claim (the
# overlay maps the article's triple onto the survivor, so the article is a node of the diff) and
# a new name or text (only a split's new claim gets one, and its stances are in the diff).
KEYS = {   # query -> (kind of node its rows are keyed by, the key columns = query variables)
    "analysis-stances": ("stance", ("stance",)), "dash-graph-edges": ("stance", ("stance",)),
    "dash-claims": ("claim", ("claim",)), "analysis-claim-sides": ("claim", ("claim",)),
    "analysis-appearances": ("claim", ("claim",)), "dash-actors": ("entity", ("entity",)),
    "dash-articles": ("article", ("article",)), "analysis-articles": ("article", ("article",)),
    "dash-affiliations": ("entity", ("member", "org")), "analysis-members": ("entity", ("entity", "org")),
}
_NS_ID = str(KGID)
_F, _S, _PROV = str(FCK), str(SCHEMA), str(PROV)


class Upkeep:
    """Keeps the summary current across writes whose every changed row it can find.

    ``Upkeep(store, diff, graphs)`` before the write (``diff``: the (s, p, o) triples the write
    adds or removes, IRIs as str; ``graphs``: the graphs it writes), then the write with the
    summary kept (``store.update(…, keep_summary=True)``, ``store.replace_graph(…,
    keep_summary=True)``), then :meth:`finish`, which patches the rows and writes them back; when
    the summary was not current before the write, :meth:`finish` is a full :func:`refresh`.

    Two kinds of write qualify: a correction (kg.curate: only the curation graphs change) and
    an ingest (kg.ingest: article graphs are replaced and the shared graph grows; every row that
    changes is keyed by a node of the new or old article graph or of its shared triples, or,
    with corrections in the store, of the old or new overlay the write recomputes). Several writes are one upkeep: :meth:`add` each before it
    is written. :meth:`estimate` says what the patch would cost; :meth:`abandon` gives it up for
    a full refresh (a big batch: one query per changed key costs more than every query once)."""

    def __init__(self, store, diff: Iterable[tuple] = (), graphs: Iterable[str] = ()):
        self.store = store
        self.status = status(store)
        self.current = _complete(self.status)
        self.nodes: set[str] = set()
        self.published: set[str] = set()     # articles whose publisher changed
        self.graphs: list[str] = []
        self.before: dict[str, int] = {}
        self.queries = 0                      # bound queries the patch will run (for the estimate)
        self.add(diff, graphs)

    def add(self, diff: Iterable[tuple], graphs: Iterable[str]) -> None:
        """One more write to patch for: call it before that write (the counts of its nodes and
        graphs are read now, to adjust ``stats`` by the difference). Text spans are no keys."""
        if not self.current:
            return
        diff = list(diff)
        spans = {t[0] for t in diff if t[1] == _TYPE and t[2] == _SPAN}
        nodes = {term for t in diff for term in (t[0], t[2])
                 if type(term) is str and term.startswith(_NS_ID)} - spans - self.nodes
        graphs = sorted(set(graphs) - set(self.graphs))
        for k, v in _partial_stats(self.store, nodes, graphs).items():
            self.before[k] = self.before.get(k, 0) + v
        self.nodes |= nodes
        self.graphs += graphs
        self.published |= {t[0] for t in diff if t[1] == _S + "publisher"}
        kinds = {t[0]: _KIND_OF.get(t[2]) for t in diff if t[1] == _TYPE and t[0] in nodes}
        self.queries += sum(_QUERIES_PER_KIND.get(kinds.get(n) or "entity", 0) for n in nodes)

    def estimate(self) -> float:
        """Seconds the patch would take, roughly: :data:`PATCH_QUERY_SECONDS` per bound query,
        plus decoding and encoding every query's rows (in proportion to the time the queries
        took at the last refresh)."""
        return self.queries * PATCH_QUERY_SECONDS + PATCH_FIXED_SHARE * self.full_seconds()

    def full_seconds(self) -> float:
        """What the last full refresh's queries took, all together."""
        return sum(q.seconds for q in self.status.queries.values())

    def abandon(self) -> None:
        """Give the patch up: :meth:`finish` refreshes the whole summary (writes made since may
        drop it)."""
        self.current = False

    def finish(self) -> Summary:
        """Patch the summary after the write (or refresh it whole when it was not current)."""
        if not self.current:
            return refresh(self.store)
        t0 = time.perf_counter()
        kept = {name: _kept(self.store, name) for name in MATERIALISED}
        if any(k is None for k in kept.values()):
            return refresh(self.store)
        keys = self._affected()
        out: dict[str, tuple[str, list[str], list[str], int]] = {}
        for name, (kind, columns) in KEYS.items():
            cols, ids, texts = kept[name]
            old, origin = _decode_chunks(cols, texts)
            rows = _patched(self.store, name, old, kind, columns, keys[kind])
            out[name] = (cols, ids, texts, len(old)) if rows is old else (cols, *_reencode(rows, origin, ids, texts), len(rows))
        stats_rows = self._stats(decode(kept["stats"][0], kept["stats"][2]))
        out["stats"] = (kept["stats"][0], *encode(stats_rows)[1:], len(stats_rows))
        self._write(kept, out)
        log.info("summary patched in %.2f s (keys: %s)", time.perf_counter() - t0,
                 ", ".join(f"{len(v)} {k}" for k, v in keys.items()))
        return status(self.store)

    def _affected(self) -> dict[str, set[str]]:
        """Keys of the rows that may have changed, by kind: the nodes of the diff, and the
        claims, holders and articles of its stances (a superseded stance is in the diff, its
        claim and holder are not), and the claims that appear in an article whose publisher
        changed (outlet counts)."""
        link, nodes = self.store.linked, self.nodes
        claims, entities, articles = set(nodes), set(nodes), set(nodes)
        for n in nodes:
            claims.update(link(_F + "claim", subject=n))
            entities.update(link(_F + "holder", subject=n))
            articles.update(link(_PROV + "wasDerivedFrom", subject=n))
        for n in self.published:
            claims.update(link(_S + "appearance", object=n))
        return {"stance": nodes, "claim": claims, "entity": entities, "article": articles}

    def _stats(self, old: list[dict]) -> list[dict]:
        after = _partial_stats(self.store, self.nodes, self.graphs)
        return [{k: v + after.get(k, 0) - self.before.get(k, 0) for k, v in old[0].items()}] if old else old

    def _write(self, kept: dict, out: dict[str, tuple[str, list[str], list[str], int]]) -> None:
        """Entries of every query (hash and generation back), new chunks in, unused chunks out."""
        before = {c for k in kept.values() for c in k[1]}
        triples, chunks, remove = [], {}, [entry(n) for n in MATERIALISED]
        for name in MATERIALISED:
            columns, ids, texts, n = out[name]
            chunks.update(zip(ids, texts))
            triples += _entry_triples(name, columns, ids, n, self.status.queries[name].seconds)
        head = URIRef(SUMMARY_GRAPH)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        remove.append(SUMMARY_GRAPH)
        triples += [(head, URIRef(P["generation"]), Literal(uuid.uuid4().hex)),
                    (head, URIRef(P["refreshed"]), Literal(now.isoformat(), datatype=XSD.dateTime)),
                    (head, URIRef(P["layout"]), Literal(LAYOUT))]
        triples += [(URIRef(chunk(c)), URIRef(P["rows"]), Literal(t)) for c, t in chunks.items() if c not in before]
        remove += [chunk(c) for c in before - set(chunks)]
        self.store.patch_summary(remove, triples)
        self.store.flush()


_TYPE = str(RDF.type)


def _partial_stats(store, nodes: set[str], graphs: list[str]) -> dict[str, int]:
    """What ``stats.rq`` counts, over ``nodes`` only (articles; claims and stances, mentioned
    entities that are not superseded), and the quads of ``graphs``: before and after a change
    confined to them, the difference is what the whole counts move by. Index lookups."""
    out = {"articles": 0, "entities": 0, "claims": 0, "stances": 0}
    kinds = {_S + "NewsArticle": "articles", _S + "Claim": "claims", _F + "Stance": "stances"}
    link = store.linked
    for n in nodes:
        visible = not link(_F + "supersededBy", subject=n)
        for t in set(link(_TYPE, subject=n)):
            if t in kinds and (visible or t == _S + "NewsArticle"):
                out[kinds[t]] += 1
        if visible and link(_S + "mentions", object=n):
            out["entities"] += 1
    out["triples"] = sum(store.count_quads(g) for g in graphs)
    return out


def _decode_chunks(columns: str, texts: list[str]) -> tuple[list[dict], dict[int, int]]:
    """:func:`decode`, and the chunk each row came from (by the row's id)."""
    rows: list[dict] = []
    origin: dict[int, int] = {}
    for k, text in enumerate(texts):
        part = decode(columns, [text])
        origin.update(dict.fromkeys(map(id, part), k))
        rows += part
    return rows, origin


def _reencode(rows: list[dict], origin: dict[int, int], ids: list[str], texts: list[str]) -> tuple[list[str], list[str]]:
    """Chunks of ``rows``: an old chunk whose rows are all still there, in a run, is kept as it
    was (same string, nothing new on disk); the rows between such runs are encoded again."""
    sizes = [0] * len(ids)
    for k in origin.values():
        sizes[k] += 1
    new_ids: list[str] = []
    new_texts: list[str] = []
    pending: list[dict] = []

    def flush() -> None:
        if pending:
            more_ids, more_texts = encode(pending)[1:]
            new_ids.extend(more_ids)
            new_texts.extend(more_texts)
            pending.clear()

    i = 0
    while i < len(rows):
        k = origin.get(id(rows[i]))
        n = sizes[k] if k is not None else 0
        if k is not None and i + n <= len(rows) and all(origin.get(id(r)) == k for r in rows[i:i + n]):
            flush()
            new_ids.append(ids[k])
            new_texts.append(texts[k])
            i += n
        else:
            pending.append(rows[i])
            i += 1
    flush()
    return new_ids, new_texts


def _bound(sparql: str, var: str, values: list[str]) -> str:
    """``sparql`` with ``VALUES ?var { … }`` (IRIs, serialised and checked) at the start of the
    WHERE pattern of the query and of every subquery that projects ``?var`` (and in the UNION
    operands directly inside those): a subquery that groups by ``?var`` then only reads the
    groups of those keys, which gives the same rows for them."""
    block = f"\n  VALUES ?{var} {{ " + " ".join(sparql_term(URIRef(v)) for v in values) + " }\n"
    toks = _tokens(sparql)
    points = []
    for k, (tok, _, _) in enumerate(toks):
        if tok.upper() != "SELECT":
            continue
        j, depth, projected = k + 1, 0, False
        while j < len(toks) and not (toks[j][0] == "{" and depth == 0):
            depth += (toks[j][0] == "(") - (toks[j][0] == ")")
            projected |= depth == 0 and toks[j][0] in (f"?{var}", f"${var}")
            j += 1
        if projected and j < len(toks):
            points += [toks[j][2], *_union_operands(toks, j)]
    for at in sorted(set(points), reverse=True):
        sparql = sparql[:at] + block + sparql[at:]
    return sparql


def _patched(store, name: str, old: list[dict], kind: str, columns: tuple[str, ...], keys: set[str]) -> list[dict]:
    """``old`` rows of ``name`` with the rows of ``keys`` computed again (the query bound to
    each key that had rows or is a node of that ``kind`` now), in the order of the query's
    ORDER BY (which names its key columns last, so that it is total). ``old`` itself when
    nothing changed."""
    if not keys:
        return old
    hit = [any(r[c] in keys for c in columns) for r in old]
    gone = [r for r, h in zip(old, hit) if h]
    had = {r[c] for r in gone for c in columns}
    fresh: list[dict] = []
    text = canned_for(store, name)
    for c in columns:
        for k in sorted(keys):
            if k in had or _is_a(store, k, kind):
                fresh += store.select(_bound(text, c, [k]))   # one key per query: several plan badly
    if len(columns) > 1:                # (DISTINCT rows) a row found through either key once
        fresh = list({tuple(r.values()): r for r in fresh}.values())
    if gone == fresh:
        return old
    stay = [r for r, h in zip(old, hit) if not h]
    order = _order_by(text)
    if order is None:                   # no order: the rows that stay keep theirs, the new come last
        return stay + fresh
    sort_key = _sort_key(order)
    before, after = [sort_key(r) for r in gone], [sort_key(r) for r in fresh]
    if len(set(before)) == len(before) and set(before) == set(after) and len(after) == len(before):
        by_key = dict(zip(after, fresh))                          # same places: rows replaced in place
        return [by_key[sort_key(r)] if h else r for r, h in zip(old, hit)]
    for r in fresh:
        insort(stay, r, key=sort_key)
    return stay


_KIND_TYPES = {"stance": {_F + "Stance"}, "claim": {_S + "Claim"}, "article": {_S + "NewsArticle"},
               "entity": {_S + "Person", _S + "Organization", _S + "Place", _S + "CreativeWork", _F + "UnnamedSource"}}
_SPAN = _F + "TextSpan"
# Bound queries per changed key of each kind (KEYS: one per query and key column), and what one
# costs on disk: 0.2-2.9 ms each, measured on a 1M-triple store (BENCHMARKS.md).
_QUERIES_PER_KIND = {kind: sum(len(cols) for k, cols in KEYS.values() if k == kind) for kind in _KIND_TYPES}
_KIND_OF = {t: kind for kind, types in _KIND_TYPES.items() for t in types}
PATCH_QUERY_SECONDS = 0.002
PATCH_FIXED_SHARE = 0.05     # decoding and re-encoding the kept rows, as a share of a full refresh


def _is_a(store, node: str, kind: str) -> bool:
    return not _KIND_TYPES[kind].isdisjoint(store.linked(_TYPE, subject=node))


def _order_by(sparql: str) -> list[tuple[str, bool]] | None:
    """The ``ORDER BY`` of a query as [(variable, descending)], None when it has none; only
    plain variables, ``ASC(?v)`` and ``DESC(?v)`` (what the canned queries use)."""
    toks = [t for t, _, _ in _tokens(sparql)]
    at = next((k for k in range(len(toks) - 1) if toks[k].upper() == "ORDER" and toks[k + 1].upper() == "BY"), None)
    if at is None:
        return None
    out, k = [], at + 2
    while k < len(toks):
        t = toks[k].upper()
        if t in ("ASC", "DESC") and k + 3 < len(toks) and toks[k + 1] == "(" and toks[k + 3] == ")":
            out.append((toks[k + 2][1:], t == "DESC"))
            k += 4
        elif toks[k][:1] in "?$":
            out.append((toks[k][1:], False))
            k += 1
        else:
            break
    return out


class _Desc:
    """Reverses the order of a value (for DESC keys in one sort key)."""
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        return other.v < self.v

    def __eq__(self, other):
        return self.v == other.v

    def __hash__(self):
        return hash(self.v)


def _sparql_order(v):
    """SPARQL's order of the values Store.select gives: unbound first, then numbers, then
    strings (by code point)."""
    if v is None:
        return (0, 0)
    if isinstance(v, (int, float)):
        return (1, v)
    return (2, v)


def _sort_key(order: list[tuple[str, bool]]):
    def key(row: dict) -> tuple:
        return tuple(_Desc(_sparql_order(row[v])) if desc else _sparql_order(row[v]) for v, desc in order)
    return key
