"""Store: embedded Oxigraph on disk (default) or in memory, behind one small interface.

Each article is written in ONE SPARQL update (drop its named graph, insert the new one and
the shared nodes), which Oxigraph runs as one transaction: readers see whole articles only,
and a crash leaves either the old or the new version. Queries run on Oxigraph's engine with
the union of all graphs as the default graph; bound variables go in as a one-row ``VALUES``
block at the start of the query's pattern (planned with the rest, unlike substitutions).

The summary graph (:data:`SUMMARY_GRAPH`, kept by :mod:`kg.materialise`) is internal: every
write through this class drops it (in the article's transaction, or just before a raw update or
bulk load), so a summary that exists is never stale; ``len``, ``named_graphs``, ``quads`` and
``dump`` leave it out.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Literal, URIRef

from .errors import StoreError
from .namespaces import KGID, PREFIXES, SHARED_GRAPH   # (rdflib is loaded by these already)

log = logging.getLogger(__name__)

MEMORY = ":memory:"
SUMMARY_GRAPH = str(KGID["graph/summary"])       # materialised query results (kg.materialise)
SUMMARY_NS = str(KGID["summary#"])                # its vocabulary
_DROP_SUMMARY = f"DROP SILENT GRAPH <{SUMMARY_GRAPH}>"
_GENERATION = f"{SUMMARY_NS}generation"
# Marks the summary as not current but keeps its rows (kg.materialise patches them afterwards):
# without a query hash no row is served, without a generation the summary is not fresh.
_STALE_SUMMARY = (f"DELETE WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?e <{SUMMARY_NS}queryHash> ?h }} }} ;\n"
                  f"DELETE WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?x <{_GENERATION}> ?g }} }}")


def _escape(text: str) -> str:
    """Text for inside "…" in N-Triples / SPARQL: backslash, double quote and line breaks
    escaped (four str.replace passes: ~9x faster than one str.translate with a table)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _nt(term) -> str:
    """N-Triples form of an rdflib term (valid inside SPARQL INSERT DATA). Literals are always
    written in full ("5"^^xsd:nonNegativeInteger), never in Turtle's shorthand that would
    turn them into xsd:integer. IRIs are checked by one regular expression (what ``n3()``
    checks, at a quarter of its cost: every article write serialises thousands of terms)."""
    if type(term) is URIRef:
        if _IRI_OK.fullmatch(term) is None or not term:
            raise StoreError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"             # (URIRef + str would make a new URIRef)
    if isinstance(term, Literal):
        text = '"' + _escape(str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^<{term.datatype}>"
        return text
    return term.n3()


_IRI_OK = re.compile(r'[^\x00-\x20<>"{}|^`\\]*')
_LANG_OK = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_VAR_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def sparql_term(value) -> str:
    """A bound value as a SPARQL term, serialised the way N-Triples does: rdflib and pyoxigraph
    IRIs (checked: StoreError for anything that is no IRI) and literals (``"`` ``\\`` and line
    breaks escaped, language tag and datatype checked); Python ``bool``/``int`` become typed
    literals, any other value a plain string literal. Never formats text into the query raw."""
    import pyoxigraph as ox

    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return str(value)                      # pyoxigraph writes N-Triples, escaped
    if isinstance(value, URIRef):
        return _iri_term(str(value))
    if isinstance(value, (BNode, ox.BlankNode)):
        raise StoreError("a blank node cannot be bound (bind an IRI or a literal)")
    if isinstance(value, Literal):
        if value.language and not _LANG_OK.fullmatch(value.language):
            raise StoreError(f"not a language tag: {value.language!r}")
        if value.datatype is not None:
            _iri_term(str(value.datatype))
        return _nt(value)
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{XSD_BOOLEAN}>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD_INTEGER}>'
    return '"' + _escape(str(value)) + '"'


def _iri_term(iri: str) -> str:
    if not iri or not _IRI_OK.fullmatch(iri):
        raise StoreError(f"not a valid IRI: {iri!r}")
    return f"<{iri}>"


_TOKEN = re.compile(r'''\s+|\#[^\n]*|<[^\x00-\x20<>"{}|^`\\]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[?$]\w+|(?:[A-Za-z_][\w.-]*)?:[\w.:%\\-]*|[A-Za-z_][\w.-]*|.''', re.S)


_FORMS = ("SELECT", "ASK", "DESCRIBE", "CONSTRUCT")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


def _tokens(sparql: str) -> list[tuple[str, int, int]]:
    """Significant tokens (text, start, end): blanks and comments left out; IRIs, strings,
    variables and prefixed names whole, so that braces inside them are not counted."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sparql)
            if not m.group().isspace() and not m.group().startswith("#")]


@lru_cache(maxsize=256)
def values_points(sparql: str) -> tuple[int, ...] | None:
    """Where ``VALUES`` blocks go: just after the ``{`` that opens the query's WHERE pattern,
    and after the ``{`` of each operand of a UNION directly inside it (Oxigraph does not push a
    join into a UNION: bound there, one claim's detail takes 25 ms instead of 0.7 s at 1M
    triples). None for updates, ``CONSTRUCT WHERE`` short forms and ``DESCRIBE`` without a
    pattern (the caller then falls back to substitutions)."""
    toks = _tokens(sparql)
    form = next((k for k, t in enumerate(toks) if t[0].upper() in _FORMS + _UPDATES or t[0] == "{"), None)
    if form is None or toks[form][0].upper() not in _FORMS:
        return None
    k, paren, template = form + 1, 0, toks[form][0].upper() == "CONSTRUCT"
    if template and k < len(toks) and toks[k][0].upper() == "WHERE":
        return None                                   # CONSTRUCT WHERE { triples }: no VALUES inside
    while k < len(toks):
        tok = toks[k][0]
        paren += (tok == "(") - (tok == ")")
        if tok == "{" and paren == 0 and not template:
            break
        if template and tok == "}" and paren == 0:
            template = False                          # end of the CONSTRUCT template
        k += 1
    else:
        return None
    return (toks[k][2], *_union_operands(toks, k))


def _union_operands(toks: list[tuple[str, int, int]], open_at: int) -> list[int]:
    """Ends of the ``{`` of the groups directly inside the group opened at ``toks[open_at]``
    that are operands of a UNION (subqueries left out: a VALUES block cannot precede SELECT)."""
    depth, groups, opened = 0, [], 0
    for k in range(open_at, len(toks)):
        tok = toks[k][0]
        if tok == "{":
            depth += 1
            if depth == 2:
                opened = k
        elif tok == "}":
            if depth == 2:
                groups.append((opened, k))
            depth -= 1
            if depth == 0:
                break
    word = lambda k: toks[k][0].upper() if 0 <= k < len(toks) else ""    # noqa: E731
    return [toks[o][2] for o, c in groups
            if "UNION" in (word(o - 1), word(c + 1)) and word(o + 1) != "SELECT"]


def bind_values(sparql: str, bindings: Mapping[str, object]) -> str | None:
    """``sparql`` with one ``VALUES ?var { term }`` block per binding at each point of
    :func:`values_points` (one value per block: Oxigraph plans those first; several values in
    one block plan badly), or None when the query has no WHERE pattern to bind in."""
    for name in bindings:
        if not _VAR_OK.fullmatch(name):
            raise StoreError(f"bad SPARQL variable name {name!r}")
    points = values_points(sparql)
    if not points:
        return None
    blocks = "\n  " + " ".join(f"VALUES ?{k} {{ {sparql_term(v)} }}" for k, v in bindings.items()) + "\n"
    for at in sorted(points, reverse=True):
        sparql = sparql[:at] + blocks + sparql[at:]
    return sparql


class QueryHelpers:
    """Reads shared by every store kind, built on its ``query``."""

    def select(self, sparql: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, object]]:
        """SELECT rows as dicts of Python values (str/int/float; IRIs as str)."""
        res = self.query(sparql, bindings)
        names = [v.value for v in res.variables]
        return [dict(zip(names, map(_py, row))) for row in res]

    def article_hash(self, identifier: str) -> str | None:
        rows = self.select("SELECT ?h ?id WHERE { ?a schema:identifier ?id ; fck:contentHash ?h } LIMIT 1",
                           {"id": identifier})
        return rows[0]["h"] if rows else None


class Store(QueryHelpers):
    """A triple store holding one named graph per article plus a shared graph."""

    def __init__(self, location: str | os.PathLike | None = None, *, read_only: bool = False):
        import pyoxigraph as ox

        self._ox = ox
        self.location = str(location) if location is not None else MEMORY
        try:
            if self.location == MEMORY:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(self.location)
            else:
                Path(self.location).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(self.location)
        except (OSError, RuntimeError) as exc:   # pyoxigraph raises RuntimeError on some RocksDB races
            msg = str(exc)
            if "lock" in msg.lower():
                msg = f"another process is writing to the store at {self.location} (wait for it to finish)"
            raise StoreError(f"cannot open store {self.location}: {msg}") from exc
        self._version = 0

    # -- writing ---------------------------------------------------------------------------
    def replace_graph(self, graph: str, triples: Iterable[tuple], shared: Iterable[tuple] = (), *,
                      keep_summary: bool = False) -> None:
        """Atomically replace named graph ``graph`` and add ``shared`` triples to the shared graph.
        When the store holds corrections (kg.curate), the graph's curation overlay is recomputed
        in the same transaction, so corrections survive a re-ingest. The summary is dropped in
        the same transaction; with ``keep_summary`` (kg.ingest, which then patches it:
        :class:`kg.materialise.Upkeep`) its rows stay but are marked not current."""
        from .curate import article_write_update

        triples, shared = list(triples), list(shared)
        overlay = article_write_update(self, graph, triples, shared)
        g, sg, eol = _iri_term(graph), f"<{SHARED_GRAPH}>", " .\n"

        def lines(ts: list[tuple], end: str) -> str:
            return "".join([f"{_nt(s)} {_nt(p)} {_nt(o)}{end}" for s, p, o in ts])

        summary = self.has_graph(SUMMARY_GRAPH)
        if summary and keep_summary and self.summary_value(SUMMARY_GRAPH, _GENERATION) is None:
            summary = False                  # already marked not current: nothing to drop or mark
        try:
            if not overlay and not self.has_graph(graph) and not summary:
                # A new graph and nothing to drop or recompute: one N-Quads load, as atomic as
                # the update below and a third cheaper (no SPARQL parsing).
                data = lines(triples, f" {g}{eol}") + lines(shared, f" {sg}{eol}")
                self._store.load(data.encode("utf-8"), format=self._ox.RdfFormat.N_QUADS)
            else:
                drop = _STALE_SUMMARY if keep_summary else _DROP_SUMMARY
                update = (f"{drop} ;\nDROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} "
                          f"{{\n{lines(triples, eol)}}}\nGRAPH {sg} {{\n{lines(shared, eol)}}} }}")
                self._store.update(update + (" ;\n" + overlay if overlay else ""))
        except (OSError, SyntaxError, ValueError) as exc:     # (UnicodeEncodeError is a ValueError)
            raise StoreError(f"could not write graph {graph}: {exc}") from exc
        self._version += 1

    def has_graph(self, graph: str) -> bool:
        """Does the store hold a quad in named graph ``graph``? (an index lookup)"""
        return next(self._store.quads_for_pattern(None, None, None, self._ox.NamedNode(graph)), None) is not None

    def has_predicate(self, predicate: str) -> bool:
        """Does any graph hold a triple with ``predicate``? (an index lookup)"""
        return next(self._store.quads_for_pattern(None, self._ox.NamedNode(predicate), None, None), None) is not None

    def graph_triples(self, graph: str) -> list[tuple]:
        """The triples of named graph ``graph``: IRIs as str, literals and blank nodes as
        pyoxigraph terms (an index scan of that graph only)."""
        named = self._ox.NamedNode

        def term(t):
            return t.value if type(t) is named else t

        return [(term(q.subject), term(q.predicate), term(q.object))
                for q in self._store.quads_for_pattern(None, None, None, named(graph))]

    def update(self, sparql: str, *, keep_summary: bool = False) -> None:
        """Run a SPARQL Update as given (only for callers that allowed updates explicitly). The
        summary graph is dropped first (a failed update then only costs a refresh). With
        ``keep_summary`` (kg.curate, which then patches it: :func:`kg.materialise.Upkeep`) its
        rows stay but are marked not current in the update's own transaction."""
        try:
            if keep_summary:
                self._store.update(f"{_STALE_SUMMARY} ;\n{sparql}")
            else:
                self._store.update(_DROP_SUMMARY)
                self._store.update(sparql)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise StoreError(f"update failed: {exc}") from exc
        self._version += 1

    def remove_graph(self, graph: str) -> None:
        self._store.update(f"{_DROP_SUMMARY} ;\nDROP SILENT GRAPH {_iri_term(graph)}")
        self._version += 1

    def bulk_load(self, path: str, fmt: str) -> None:
        """Load an RDF file (TriG/N-Quads/…) without a transaction (for big, fresh loads)."""
        self._store.update(_DROP_SUMMARY)
        self._store.bulk_load(path=path, format=self._format(fmt))
        self._version += 1

    def write_summary(self, triples: Iterable[tuple]) -> None:
        """Atomically replace the summary graph with ``triples`` (rdflib or pyoxigraph terms)."""
        body = "\n".join(" ".join(map(sparql_term, t)) + " ." for t in triples)
        try:
            self._store.update(f"{_DROP_SUMMARY} ;\nINSERT DATA {{ GRAPH <{SUMMARY_GRAPH}> {{\n{body}\n}} }}")
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"could not write the summary graph: {exc}") from exc
        self._version += 1

    def patch_summary(self, remove_subjects: Iterable[str], add: Iterable[tuple]) -> None:
        """In one transaction: delete every summary triple of ``remove_subjects``, then add
        ``add`` (rdflib or pyoxigraph terms) to the summary graph."""
        g = _iri_term(SUMMARY_GRAPH)
        parts = [f"DELETE WHERE {{ GRAPH {g} {{ {_iri_term(s)} ?p ?o }} }}" for s in remove_subjects]
        body = "\n".join(" ".join(map(sparql_term, t)) + " ." for t in add)
        if body:
            parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
        if not parts:
            return
        try:
            self._store.update(" ;\n".join(parts))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"could not write the summary graph: {exc}") from exc
        self._version += 1

    def count_quads(self, graph: str) -> int:
        """Quads in named graph ``graph`` (an index scan of that graph only, counted by the
        query engine: 30x faster than making a Python object of each quad)."""
        res = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_iri_term(graph)} {{ ?s ?p ?o }} }}")
        return int(next(iter(res))[0].value)

    def linked(self, predicate: str, *, subject: str | None = None, object: str | None = None) -> list[str]:
        """IRIs at the other end of ``predicate`` from ``subject`` (objects) or to ``object``
        (subjects), in any graph: index lookups, no SPARQL (kg.materialise's upkeep)."""
        ox = self._ox
        s = ox.NamedNode(subject) if subject is not None else None
        o = ox.NamedNode(object) if object is not None else None
        quads = self._store.quads_for_pattern(s, ox.NamedNode(predicate), o, None)
        ends = (q.object for q in quads) if subject is not None else (q.subject for q in quads)
        return [t.value for t in ends if type(t) is ox.NamedNode]

    def summary_value(self, subject: str, predicate: str):
        """The object of ``<subject> <predicate> ?o`` in the summary graph as a Python value
        (str/int/float), or None (an index lookup, no SPARQL)."""
        ox = self._ox
        for q in self._store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None,
                                               ox.NamedNode(SUMMARY_GRAPH)):
            return _py(q.object)
        return None

    def flush(self) -> None:
        if self.location != MEMORY:
            self._store.flush()

    def quads(self):
        """Every quad but the summary graph's, as pyoxigraph Quads (for exports that filter
        them, kg.curate)."""
        summary = self._ox.NamedNode(SUMMARY_GRAPH)
        return (q for q in self._store if q.graph_name != summary)

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None):
        """Run SPARQL with the union of all graphs as default graph; ``bindings`` maps variable
        names to rdflib terms or plain values, bound by a one-row ``VALUES`` block of serialised
        terms at the start of the WHERE pattern (:func:`bind_values`; queries without such a
        pattern get pyoxigraph substitutions, which are applied after planning and so slower).
        Text without PREFIX lines gets the project's prefixes (PREFIXES) as parser defaults, which
        is a third faster for small queries than parsing ten PREFIX lines each time."""
        text = sparql
        prefixes = None if "PREFIX" in sparql.upper()[:2000] else PREFIXES
        subs = None
        if bindings:
            bound = bind_values(text, bindings)
            if bound is None:
                subs = {self._ox.Variable(k): self._term(v) for k, v in bindings.items()}
            else:
                text = bound
        try:
            return self._store.query(text, use_default_graph_as_union=True, substitutions=subs, prefixes=prefixes)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        except RuntimeError as exc:
            raise StoreError(f"query failed: {exc} (bound variables must appear in the SELECT clause)") from exc

    def named_graphs(self) -> list[str]:
        return [g.value for g in self._store.named_graphs() if g.value != SUMMARY_GRAPH]

    def __len__(self) -> int:
        """Quads in the store, the summary graph left out."""
        return len(self._store) - self._summary_size()

    def _summary_size(self) -> int:
        res = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?s ?p ?o }} }}")
        return int(next(iter(res))["n"].value)

    @property
    def version(self) -> str:
        """Changes whenever this process writes (cache key for dashboards)."""
        return f"{self.location}:{self._version}:{len(self._store)}"

    # -- export ----------------------------------------------------------------------------
    def dump(self, out, fmt: str) -> None:
        """Write the store, the summary graph left out: quad formats with their graphs, triple
        formats as the distinct triples of the union of the named graphs. ``out`` is a binary
        file object or a path (faster for triple formats: no Python between writer and file).

        N-Quads and TriG are written graph by graph (``dump(from_graph=…)``): the graph name is
        then not decoded once per quad, which on disk is ~15 % of the time (BENCHMARKS.md)."""
        ox, f = self._ox, self._format(fmt)
        if f in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            if isinstance(out, (str, os.PathLike)):
                with open(out, "wb") as fh:
                    self._dump_by_graph(fh, f)
            else:
                self._dump_by_graph(out, f)
        elif f.supports_datasets:
            ox.serialize(self.quads(), out, format=f)
        else:
            res = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
                                    f"FILTER(?g != <{SUMMARY_GRAPH}>) }}")
            res.serialize(out, format=f)

    def _dump_by_graph(self, out, f) -> None:
        import io

        ox = self._ox
        graphs = [g for g in self._store.named_graphs() if g.value != SUMMARY_GRAPH]
        if next(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is not None:
            graphs.insert(0, ox.DefaultGraph())
        for g in graphs:
            buf = io.BytesIO()
            named = not isinstance(g, ox.DefaultGraph)
            if f == ox.RdfFormat.N_QUADS:        # N-Triples lines end in " .\n" (line breaks in literals are escaped)
                self._store.dump(buf, format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                data = buf.getvalue()
                out.write(data.replace(b" .\n", f" {g} .\n".encode()) if named else data)
            else:
                self._store.dump(buf, format=ox.RdfFormat.TURTLE, from_graph=g)
                if buf.tell():
                    out.write((f"{g} {{\n" if named else "{\n").encode() + buf.getvalue() + b"}\n")

    def _format(self, fmt: str):
        ox = self._ox
        table = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
                 "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
                 "jsonld": ox.RdfFormat.JSON_LD, "n3": ox.RdfFormat.N3}
        if fmt not in table:
            raise StoreError(f"unknown RDF format {fmt!r}; expected one of {', '.join(table)}")
        return table[fmt]

    def _term(self, v):
        ox = self._ox
        if isinstance(v, (ox.NamedNode, ox.Literal)):      # as sparql_term: pyoxigraph terms as they are
            return v
        if isinstance(v, URIRef):
            return ox.NamedNode(str(v))
        if isinstance(v, Literal):
            if v.language:
                return ox.Literal(str(v), language=v.language)
            return ox.Literal(str(v), datatype=ox.NamedNode(str(v.datatype))) if v.datatype else ox.Literal(str(v))
        if isinstance(v, bool):
            return ox.Literal("true" if v else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
        if isinstance(v, int):
            return ox.Literal(str(v), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        return ox.Literal(str(v))


_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {**{_XSD + k: int for k in ("integer", "nonNegativeInteger", "int", "long")},
            **{_XSD + k: float for k in ("decimal", "double", "float")}}
_OX_LITERAL = None


def _py(term):
    """A pyoxigraph term as a Python value: numbers of the XSD integer and decimal types as
    int/float, any other literal as its lexical form, IRIs and blank nodes as their string."""
    global _OX_LITERAL
    if term is None:
        return None
    if _OX_LITERAL is None:
        import pyoxigraph as ox

        _OX_LITERAL = ox.Literal
    if type(term) is _OX_LITERAL:
        convert = _NUMERIC.get(term.datatype.value)
        return term.value if convert is None else convert(term.value)
    return term.value


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``location`` (``:memory:`` for a throw-away in-memory store, an
    ``http(s)://`` URL for a SPARQL 1.1 server: :class:`kg.remote.RemoteStore`)."""
    from .config import store_location

    loc = store_location(location)
    if loc.startswith(("http://", "https://")):
        from .remote import RemoteStore

        return RemoteStore(loc, read_only=read_only)   # type: ignore[return-value]  (same interface)
    return Store(loc, read_only=read_only)
