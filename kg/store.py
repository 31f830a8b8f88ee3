"""Store: embedded Oxigraph on disk (default) or in memory, behind one small interface.

Each article is written in ONE SPARQL update (drop its named graph, insert the new one and
the shared nodes), which Oxigraph runs as one transaction: readers see whole articles only,
and a crash leaves either the old or the new version. Queries run on Oxigraph's engine with
the union of all graphs as the default graph.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import StoreError
from .namespaces import SHARED_GRAPH, sparql_prefixes

log = logging.getLogger(__name__)

MEMORY = ":memory:"


_ESC = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term) -> str:
    """N-Triples form of an rdflib term (valid inside SPARQL INSERT DATA). Literals are always
    written in full ("5"^^xsd:nonNegativeInteger), never in Turtle's shorthand that would
    turn them into xsd:integer."""
    from rdflib import Literal

    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESC) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^<{term.datatype}>"
        return text
    return term.n3()


class QueryHelpers:
    """Reads shared by every store kind, built on its ``query``."""

    def select(self, sparql: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, object]]:
        """SELECT rows as dicts of Python values (str/int/float; IRIs as str)."""
        res = self.query(sparql, bindings)
        names = [v.value for v in res.variables]
        return [{n: _py(row[n]) for n in names} for row in res]

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
    def replace_graph(self, graph: str, triples: Iterable[tuple], shared: Iterable[tuple] = ()) -> None:
        """Atomically replace named graph ``graph`` and add ``shared`` triples to the shared graph."""
        body = "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in triples)
        shared_body = "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in shared)
        update = (f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}}\n"
                  f"GRAPH <{SHARED_GRAPH}> {{\n{shared_body}\n}} }}")
        try:
            self._store.update(update)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"could not write graph {graph}: {exc}") from exc
        self._version += 1

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update as given (only for callers that allowed updates explicitly)."""
        try:
            self._store.update(sparql)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise StoreError(f"update failed: {exc}") from exc
        self._version += 1

    def remove_graph(self, graph: str) -> None:
        self._store.update(f"DROP SILENT GRAPH <{graph}>")
        self._version += 1

    def bulk_load(self, path: str, fmt: str) -> None:
        """Load an RDF file (TriG/N-Quads/…) without a transaction (for big, fresh loads)."""
        self._store.bulk_load(path=path, format=self._format(fmt))
        self._version += 1

    def flush(self) -> None:
        if self.location != MEMORY:
            self._store.flush()

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None):
        """Run SPARQL with the union of all graphs as default graph; ``bindings`` maps variable
        names to rdflib terms or plain values (bound as substitutions, never formatted in)."""
        subs = {self._ox.Variable(k): self._term(v) for k, v in (bindings or {}).items()}
        text = sparql if "PREFIX" in sparql.upper()[:2000] else sparql_prefixes() + sparql
        try:
            return self._store.query(text, use_default_graph_as_union=True, substitutions=subs or None)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        except RuntimeError as exc:
            raise StoreError(f"query failed: {exc} (bound variables must appear in the SELECT clause)") from exc

    def named_graphs(self) -> list[str]:
        return [g.value for g in self._store.named_graphs()]

    def __len__(self) -> int:
        return len(self._store)

    @property
    def version(self) -> str:
        """Changes whenever this process writes (cache key for dashboards)."""
        return f"{self.location}:{self._version}:{len(self._store)}"

    # -- export ----------------------------------------------------------------------------
    def dump(self, out, fmt: str) -> None:
        """Write the store: quads formats whole, triple formats as the union of all graphs."""
        f = self._format(fmt)
        if f.supports_datasets:
            self._store.dump(out, format=f)
        else:
            res = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            res.serialize(out, format=f)

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
        from rdflib import Literal, URIRef

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


def _py(term):
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else ""
        if dt.endswith(("#integer", "#nonNegativeInteger", "#int", "#long")):
            return int(term.value)
        if dt.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        return term.value
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
