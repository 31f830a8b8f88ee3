"""RemoteStore: the :class:`kg.store.Store` interface over SPARQL 1.1 Protocol + Graph Store Protocol.

Tested against Oxigraph server (docs/remote-stores.md: Fuseki, GraphDB, Virtuoso). Each article is
one ``DROP SILENT GRAPH <g> ; INSERT DATA {…}``; up to ``batch_size`` articles go in one update
request and every read sends pending writes first. Bindings become a trailing ``VALUES`` clause
of escaped N-Triples terms. Credentials (``KG_STORE_USER``/``KG_STORE_PASSWORD`` or
``KG_STORE_TOKEN``) never appear in messages, logs or ``repr``.
"""
from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit, urlunsplit

from .errors import StoreError
from .namespaces import SHARED_GRAPH, sparql_prefixes
from .store import QueryHelpers, _nt

log = logging.getLogger(__name__)

ACCEPT_QUERY = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
                "application/sparql-results+xml;q=0.5")
RDF_MEDIA = {"nquads": "application/n-quads", "trig": "application/trig", "ntriples": "application/n-triples",
             "turtle": "text/turtle", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
             "n3": "text/n3"}
_IRI_OK = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_VAR_OK = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LIVE: weakref.WeakSet = weakref.WeakSet()


def endpoints(url: str) -> tuple[str, str, str]:
    """(query, update, graph store) URLs for ``url`` (``KG_STORE_UPDATE_URL``/``KG_STORE_GSP_URL``
    override the last two). A server root gets Oxigraph's ``/query``, ``/update``, ``/store``; a URL
    ending in ``/query`` or ``/sparql`` is the query endpoint, ``update`` beside it, and the graph
    store its dataset (Fuseki ``/ds/query`` -> ``/ds``); GraphDB/RDF4J ``…/repositories/NAME`` uses
    ``…/statements`` for both."""
    parts = urlsplit(url.rstrip("/"))
    path = parts.path
    base = lambda p: urlunsplit((parts.scheme, parts.netloc, p, "", ""))  # noqa: E731
    if re.search(r"/repositories/[^/]+$", path):        # GraphDB / RDF4J
        return base(path), base(path + "/statements"), base(path + "/statements")
    if path.endswith(("/query", "/sparql")):
        parent = path.rsplit("/", 1)[0]
        return base(path), base(parent + "/update"), base(parent + "/store" if parent == "" else parent)
    return base(path + "/query"), base(path + "/update"), base(path + "/store")


def strip_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``url`` without ``user:password@`` plus the user and password it carried."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), parts.username, parts.password


class RemoteStore(QueryHelpers):
    """A store on a SPARQL 1.1 server, with the same interface as :class:`kg.store.Store`."""

    def __init__(self, url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                 timeout: float = 60.0, read_only: bool = False, batch_size: int | None = None,
                 union_param: str | None = None):
        import httpx

        clean, user, password = strip_credentials(url)
        q, u, g = endpoints(clean)
        self.location = clean
        self.query_url = q
        self.update_url = strip_credentials(update_url or os.environ.get("KG_STORE_UPDATE_URL") or u)[0]
        self.gsp_url = strip_credentials(gsp_url or os.environ.get("KG_STORE_GSP_URL") or g)[0]
        self.read_only = read_only
        self.batch_size = max(1, batch_size or int(os.environ.get("KG_STORE_BATCH") or 16))
        env_union = os.environ.get("KG_STORE_UNION_PARAM")
        self.union_param = union_param if union_param is not None else (
            env_union if env_union is not None else "union-default-graph")
        user = os.environ.get("KG_STORE_USER") or user
        password = os.environ.get("KG_STORE_PASSWORD") or password or ""
        token = os.environ.get("KG_STORE_TOKEN")
        headers = {"User-Agent": "factcheck-kg"}
        auth = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif user:
            digest = os.environ.get("KG_STORE_AUTH", "basic").lower() == "digest"   # Virtuoso's /sparql-auth
            auth = httpx.DigestAuth(user, password) if digest else httpx.BasicAuth(user, password)
        self._httpx = httpx
        self._client = httpx.Client(timeout=timeout, headers=headers, auth=auth, follow_redirects=False)
        self._pending: list[str] = []
        self._pending_bytes = self._version = 0
        self._lock = threading.RLock()
        self._store = self    # kg.query.run_user_query(allow_update=True) calls store._store.update()
        _LIVE.add(self)

    def __repr__(self) -> str:
        return f"RemoteStore({self.location!r})"      # credentials never shown

    # -- HTTP --------------------------------------------------------------------------------
    def _send(self, method: str, url: str, *, what: str, **kw):
        try:
            resp = self._client.request(method, url, **kw)
        except self._httpx.HTTPError as exc:
            raise StoreError(f"{what}: cannot reach {url}: {type(exc).__name__}: {exc}") from None
        if resp.status_code >= 400:
            detail = resp.text.strip()[:500] or resp.reason_phrase
            if resp.status_code in (401, 403):
                detail += " (check KG_STORE_USER/KG_STORE_PASSWORD or KG_STORE_TOKEN)"
            raise StoreError(f"{what}: {url} answered HTTP {resp.status_code}: {detail}")
        return resp

    def _post_update(self, text: str) -> None:
        self._send("POST", self.update_url, what="SPARQL update", content=text.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    # -- writing -----------------------------------------------------------------------------
    def replace_graph(self, graph: str, triples: Iterable[tuple], shared: Iterable[tuple] = (), *,
                      keep_summary: bool = False) -> None:
        """Replace named graph ``graph`` and add ``shared`` triples to the shared graph (atomic per
        article; sent with up to ``batch_size`` other articles in one request). A remote store
        keeps no summary (kg.materialise), so ``keep_summary`` changes nothing here."""
        body = "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in triples)
        shared_body = "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in shared)
        g = _iri(graph)
        self._queue(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}}\n"
                    f"GRAPH <{SHARED_GRAPH}> {{\n{shared_body}\n}} }}", graph)

    def remove_graph(self, graph: str) -> None:
        self._queue(f"DROP SILENT GRAPH {_iri(graph)}", graph)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update as is (after any pending writes)."""
        self._check_writable()
        self.flush()
        self._post_update(sparql)
        self._version += 1

    def bulk_load(self, path: str, fmt: str) -> None:
        """POST an RDF file to the graph store (quads formats keep their graphs)."""
        self._check_writable()
        self.flush()
        with open(path, "rb") as fh:
            self._send("POST", self.gsp_url, what=f"loading {path}", content=fh,
                       headers={"Content-Type": _media(fmt)})
        self._version += 1

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.location} was opened read-only")

    def _queue(self, op: str, graph: str) -> None:
        self._check_writable()
        with self._lock:
            self._pending.append(op)
            self._pending_bytes += len(op)
            if len(self._pending) >= self.batch_size or self._pending_bytes > 4_000_000:
                self.flush()
        log.debug("queued graph %s", graph)

    def flush(self) -> None:
        """Send pending writes. If a batch fails, each article is retried alone so that one bad
        article costs only itself; the error then names the graphs that were not written."""
        with self._lock:
            ops, self._pending, self._pending_bytes = self._pending, [], 0
            if not ops:
                return
            try:
                self._post_update(" ;\n".join(ops))
            except StoreError as exc:
                if len(ops) == 1:
                    raise
                log.warning("batch of %d articles failed (%s); retrying one by one", len(ops), exc)
                failed = []
                for op in ops:
                    try:
                        self._post_update(op)
                    except StoreError as one:
                        failed.append(f"{op.split(None, 4)[3]}: {one}")
                if failed:
                    raise StoreError("could not write " + "; ".join(failed)) from None
            self._version += 1

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._client.close()

    # -- reading -----------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, *, union: bool = True):
        """Run SPARQL on the server; returns pyoxigraph QuerySolutions / QueryBoolean / QueryTriples
        like :meth:`kg.store.Store.query`. ``bindings`` become a trailing ``VALUES`` clause."""
        import pyoxigraph as ox

        self.flush()
        text = sparql if "PREFIX" in sparql.upper()[:2000] else sparql_prefixes() + sparql
        if bindings:
            bad = [n for n in bindings if not _VAR_OK.fullmatch(n)]
            if bad:
                raise StoreError(f"bad SPARQL variable name {bad[0]!r}")
            text += (f"\nVALUES ({' '.join('?' + n for n in bindings)}) "
                     f"{{ ({' '.join(_value(v) for v in bindings.values())}) }}")
        params = {self.union_param: ""} if union and self.union_param else None
        resp = self._send("POST", self.query_url, what="SPARQL query", params=params,
                          content=text.encode("utf-8"),
                          headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                   "Accept": ACCEPT_QUERY})
        media = resp.headers.get("content-type", "").split(";")[0].strip()
        try:
            rf = ox.QueryResultsFormat.from_media_type(media)
            if rf is not None:
                return ox.parse_query_results(resp.content, format=rf)
            fmt = ox.RdfFormat.from_media_type(media)
            if fmt is None:
                raise StoreError(f"SPARQL query: {self.query_url} answered with unexpected type {media!r}")
            tmp = ox.Store()
            tmp.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(resp.content, format=fmt))
            return tmp.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"SPARQL query: unreadable answer from {self.query_url}: {exc}") from exc

    def named_graphs(self) -> list[str]:
        return [r["g"] for r in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")]

    def __len__(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                         union=False)
        return int(next(iter(res))["n"].value)

    @property
    def version(self) -> str:
        return f"{self.location}:{self._version}:{len(self)}"

    # -- export ------------------------------------------------------------------------------
    def dump(self, out, fmt: str) -> None:
        """Write the store: dataset formats (N-Quads, TriG, JSON-LD) from the graph store's
        ``GET`` with ``Accept: application/n-quads`` (else, for servers without it, from a
        ``SELECT ?s ?p ?o ?g``), triple formats as the union of all graphs (CONSTRUCT); converted
        locally by pyoxigraph when another format is asked for."""
        import pyoxigraph as ox

        media = _media(fmt)
        target = ox.RdfFormat.from_media_type(media)
        self.flush()
        with tempfile.SpooledTemporaryFile(max_size=32 << 20) as spool:
            if not target.supports_datasets:
                src = self._fetch(spool, "POST", self.query_url, "application/n-triples",
                                  b"CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
                items = lambda: ox.parse(spool, format=ox.RdfFormat.from_media_type(src))  # noqa: E731
            else:
                try:
                    src = self._fetch(spool, "GET", self.gsp_url, "application/n-quads")
                except StoreError as exc:
                    src = ""
                    log.info("no dataset GET at %s (%s); dumping with SELECT", self.gsp_url, exc)
                if src == "application/n-quads":
                    items = lambda: ox.parse(spool, format=ox.RdfFormat.N_QUADS)  # noqa: E731
                else:
                    spool.seek(0)
                    spool.truncate()
                    self._fetch(spool, "POST", self.query_url, "application/sparql-results+json",
                                b"SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
                    src = "select"
                    items = lambda: (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in  # noqa: E731
                                     ox.parse_query_results(spool, format=ox.QueryResultsFormat.JSON))
            spool.seek(0)
            if src == media:
                shutil.copyfileobj(spool, out)
            else:
                ox.serialize(items(), out, format=target)

    def _fetch(self, spool, method: str, url: str, accept: str, query: bytes | None = None) -> str:
        """Stream a response body into ``spool``; returns its media type."""
        headers = {"Accept": accept}
        if query is not None:
            headers["Content-Type"] = "application/sparql-query"
        try:
            with self._client.stream(method, url, content=query, headers=headers) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    raise StoreError(f"dump: {url} answered HTTP {resp.status_code}: {resp.text.strip()[:500]}")
                for chunk in resp.iter_bytes():
                    spool.write(chunk)
                return resp.headers.get("content-type", "").split(";")[0].strip()
        except self._httpx.HTTPError as exc:
            raise StoreError(f"dump: cannot reach {url}: {type(exc).__name__}: {exc}") from None


def _media(fmt: str) -> str:
    if fmt not in RDF_MEDIA:
        raise StoreError(f"unknown RDF format {fmt!r}; expected one of {', '.join(RDF_MEDIA)}")
    return RDF_MEDIA[fmt]


def _iri(value: str) -> str:
    if not _IRI_OK.fullmatch(value):
        raise StoreError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def _value(v: object) -> str:
    """A binding as an escaped N-Triples term (IRIs checked; text always a quoted literal)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(v, BNode):
        raise StoreError("blank nodes cannot be bound on a remote store")
    if isinstance(v, URIRef):
        return _iri(str(v))
    if isinstance(v, Literal):
        if v.datatype is not None:
            _iri(str(v.datatype))
        return _nt(v)
    if isinstance(v, (bool, int, float)):
        return _nt(Literal(v))
    return _nt(Literal(str(v)))


@atexit.register
def _flush_all() -> None:
    """Last-chance flush of pending batched writes at interpreter exit (callers should flush)."""
    for store in list(_LIVE):
        try:
            store.flush()
        except Exception as exc:  # noqa: BLE001 - nothing else can be done at exit
            log.error("pending writes to %s were lost: %s", store.location, exc)
