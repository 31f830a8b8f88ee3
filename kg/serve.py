"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the local store (stdlib HTTP server).

``GET/POST /sparql`` (alias ``/query``) answers queries with content negotiation (SPARQL results
JSON/XML/CSV/TSV; Turtle, N-Triples, JSON-LD, N-Quads, TriG, RDF/XML for CONSTRUCT/DESCRIBE);
``default-graph-uri``/``named-graph-uri`` pick graphs (default: the union of all graphs);
``GET /store?graph=IRI`` returns one named graph (Graph Store Protocol, read only). Update, LOAD
and SERVICE are refused (403), each query has a time limit (503 after it; the engine cannot be
interrupted, so the worker is abandoned and at most ``max_running`` queries run at once) and a row
cap (``X-KG-Truncated: true``). The store is opened read-only (a snapshot) and reopened when the
folder changes, checked every ``refresh`` seconds: articles committed by ``kg ingest`` in another
process show up within seconds, and whole (each article is one transaction).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .errors import QueryError, StoreError
from .namespaces import PREFIXES
from .query import check_read_only
from .store import Store

log = logging.getLogger(__name__)

RESULTS = {"application/sparql-results+json": "JSON", "application/json": "JSON",
           "application/sparql-results+xml": "XML", "application/xml": "XML", "text/csv": "CSV",
           "text/tab-separated-values": "TSV"}
GRAPHS = {"text/turtle": "TURTLE", "application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES",
          "application/ld+json": "JSON_LD", "application/n-quads": "N_QUADS", "application/trig": "TRIG",
          "application/rdf+xml": "RDF_XML"}
SHORT = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
         "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
         "ntriples": "application/n-triples", "nt": "application/n-triples", "jsonld": "application/ld+json",
         "nquads": "application/n-quads", "trig": "application/trig", "rdfxml": "application/rdf+xml"}
MAX_BODY = 1 << 20


class HTTPError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Snapshot:
    """The store opened read-only, reopened when the folder's files change (at most every
    ``refresh`` seconds); requests in flight keep the snapshot they started with."""

    def __init__(self, location: str, refresh: float = 2.0):
        if location.startswith(("http://", "https://")) or location == ":memory:":
            raise StoreError(f"kg serve needs a local store folder, not {location!r} "
                             "(a remote server is already a SPARQL endpoint)")
        if not Path(location).is_dir():
            raise StoreError(f"no store at {location}: run `python -m kg ingest … --store {location}` first")
        self.location, self.refresh = location, refresh
        self._lock = threading.Lock()
        self._print = self._fingerprint()
        self._store = Store(location, read_only=True)
        self._checked = time.monotonic()

    def _fingerprint(self) -> str:
        with os.scandir(self.location) as it:
            entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in it
                             if not e.name.startswith("LOG"))
        return hashlib.sha1(repr(entries).encode()).hexdigest()

    def get(self):
        """The current pyoxigraph store."""
        with self._lock:
            if time.monotonic() - self._checked >= self.refresh:
                self._checked = time.monotonic()
                try:
                    fp = self._fingerprint()
                    if fp != self._print:
                        self._store, self._print = Store(self.location, read_only=True), fp
                        log.info("store changed; reopened %s", self.location)
                except (OSError, StoreError) as exc:   # mid-compaction: keep the old snapshot
                    log.warning("could not reopen %s, serving the previous snapshot: %s", self.location, exc)
            return self._store._store


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, snapshot: Snapshot, *, timeout: float, limit: int, cors: str | None,
                 max_running: int = 4):
        super().__init__(address, Handler)
        self.snapshot, self.query_timeout, self.limit, self.cors = snapshot, timeout, limit, cors
        self.running = threading.BoundedSemaphore(max_running)


def make_server(location: str, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
                limit: int = 10000, cors: str | None = None, refresh: float = 2.0,
                max_running: int = 4) -> SparqlServer:
    """A server ready for ``serve_forever()`` (``port=0`` picks a free port: ``server_address``)."""
    return SparqlServer((host, port), Snapshot(location, refresh), timeout=timeout, limit=limit, cors=cors,
                        max_running=max_running)


def run_query(server: SparqlServer, sparql: str, default: list[str], named: list[str]):
    """Evaluate in a worker thread; returns ("ask", bool) | ("select", vars, rows, truncated) |
    ("graph", triples, truncated). Raises HTTPError (403 refused, 400 bad query, 503 time/busy)."""
    import pyoxigraph as ox

    try:
        check_read_only(sparql)
    except QueryError as exc:
        raise HTTPError(403, str(exc)) from None
    kw: dict = {"prefixes": PREFIXES}
    try:
        if default:
            kw["default_graph"] = [ox.NamedNode(g) for g in default]
        else:
            kw["use_default_graph_as_union"] = True
        if named:
            kw["named_graphs"] = [ox.NamedNode(g) for g in named]
    except ValueError as exc:
        raise HTTPError(400, f"bad graph IRI: {exc}") from None
    if not server.running.acquire(timeout=server.query_timeout):
        raise HTTPError(503, "server busy: too many queries still running; try again later")
    deadline = time.monotonic() + server.query_timeout
    box: dict = {}

    def work():
        try:
            res = server.snapshot.get().query(sparql, **kw)
            if isinstance(res, ox.QueryBoolean):
                box["r"] = ("ask", bool(res))
                return
            items, cut = [], False
            for item in res:
                if len(items) >= server.limit:
                    cut = True
                    break
                if time.monotonic() > deadline:
                    return
                items.append(item)
            box["r"] = (("select", [v.value for v in res.variables], items, cut)
                        if isinstance(res, ox.QuerySolutions) else ("graph", items, cut))
        except (SyntaxError, ValueError) as exc:
            box["e"] = HTTPError(400, f"bad query: {exc}")
        except Exception as exc:  # noqa: BLE001 - reported to the client below
            box["e"] = HTTPError(500, f"query failed: {exc}")
        finally:
            server.running.release()

    t = threading.Thread(target=work, daemon=True, name="sparql-query")
    t.start()
    t.join(server.query_timeout)
    if "e" in box:
        raise box["e"]
    if "r" not in box:
        raise HTTPError(503, f"query ran past the time limit of {server.query_timeout:g} s and was abandoned")
    return box["r"]


def negotiate(accept: str, offered: dict[str, str], fmt: str | None) -> str:
    """The media type to answer with (``format=`` wins over the Accept header); 406 when none fits."""
    if fmt:
        media = SHORT.get(fmt.lower(), fmt.lower())
        if media in offered:
            return media
        raise HTTPError(406, f"format {fmt!r} not available here; use one of {', '.join(sorted(offered))}")
    prefs = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and _isnum(p[2:])), 1.0)
        prefs.append((-q, i, media.lower()))
    for q, _, media in sorted(prefs):
        if q == 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return next(iter(offered))
    raise HTTPError(406, f"cannot answer with {accept!r}; use one of {', '.join(sorted(offered))}")


def _isnum(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _term_json(t) -> dict:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d
    return {"type": "triple", "value": {"subject": _term_json(t.subject), "predicate": _term_json(t.predicate),
                                        "object": _term_json(t.object)}}


def encode(result, media: str) -> bytes:
    """Serialise a ``run_query`` result (kind as first item) in ``media``."""
    import pyoxigraph as ox

    kind = result[0]
    if kind == "graph":
        return ox.serialize(result[1], format=getattr(ox.RdfFormat, GRAPHS[media]), prefixes=PREFIXES) or b""
    if kind == "ask":
        data = json.dumps({"head": {}, "boolean": result[1]})
    else:
        names, rows = result[1], result[2]
        bindings = [{n: _term_json(r[n]) for n in names if r[n] is not None} for r in rows]
        data = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":"))
    if RESULTS[media] == "JSON":
        return data.encode("utf-8")
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=getattr(ox.QueryResultsFormat, RESULTS[media]))


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True        # headers and body are two writes: avoid 40 ms delayed-ACK stalls
    timeout = 60                          # idle keep-alive connections are closed (one thread each)
    server_version = "factcheck-kg"

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, fmt: str, *args) -> None:
        log.info("%s %s", self.address_string(), fmt % args)

    def do_OPTIONS(self) -> None:  # CORS preflight
        self._reply(204, b"", "text/plain", {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                              "Access-Control-Allow-Headers": "Content-Type, Accept"})

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        try:
            url = urlsplit(self.path)
            params = parse_qs(url.query, keep_blank_values=True)
            if url.path in ("/sparql", "/query"):
                self._sparql(method, params)
            elif url.path == "/store" and method == "GET":
                self._graph_store(params)
            elif url.path == "/":
                self._reply(200, b"factcheck-kg read-only SPARQL endpoint: GET or POST /sparql?query=...; "
                                 b"GET /store?graph=IRI\n", "text/plain; charset=utf-8")
            else:
                raise HTTPError(404 if method == "GET" else 405, f"no {method} {url.path} here; use /sparql")
        except HTTPError as exc:
            self._error(exc.status, str(exc))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except (ValueError, OSError, StoreError) as exc:
            log.warning("request %s failed: %s", self.path[:200], exc, exc_info=not isinstance(exc, ValueError))
            self._error(400 if isinstance(exc, ValueError) else 500, f"{type(exc).__name__}: {exc}")

    def _error(self, status: int, message: str) -> None:
        self.close_connection = True           # the request body may be unread
        try:
            self._reply(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")
        except OSError:
            pass

    def _sparql(self, method: str, params: dict[str, list[str]]) -> None:
        if method == "POST":
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            size = int(self.headers.get("Content-Length") or 0)
            if not 0 <= size <= MAX_BODY:
                raise HTTPError(413, f"request body over {MAX_BODY} bytes")
            body = self.rfile.read(size).decode("utf-8", "replace")
            if ctype == "application/sparql-update":
                raise HTTPError(403, "SPARQL Update is not allowed: this endpoint is read-only")
            if ctype == "application/sparql-query":
                params.setdefault("query", []).append(body)
            elif ctype == "application/x-www-form-urlencoded":
                for k, v in parse_qs(body, keep_blank_values=True).items():
                    params.setdefault(k, []).extend(v)
            else:
                raise HTTPError(415, f"unsupported Content-Type {ctype!r}: use application/sparql-query "
                                     "or application/x-www-form-urlencoded")
        if "update" in params:
            raise HTTPError(403, "SPARQL Update is not allowed: this endpoint is read-only")
        if len(params.get("query", [])) != 1:
            raise HTTPError(400, "give exactly one SPARQL query (query= parameter or request body)")
        result = run_query(self.server, params["query"][0], params.get("default-graph-uri", []),
                           params.get("named-graph-uri", []))
        offered = GRAPHS if result[0] == "graph" else RESULTS
        media = negotiate(self.headers.get("Accept", ""), offered, (params.get("format") or [None])[0])
        self._reply(200, encode(result, media), media + "; charset=utf-8",
                    {"X-KG-Truncated": "true"} if result[-1] is True and result[0] != "ask" else None)

    def _graph_store(self, params: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        if "graph" not in params and "default" not in params:
            raise HTTPError(400, "give ?graph=IRI (or ?default for the union of all graphs)")
        store = self.server.snapshot.get()
        if "graph" in params:
            g = ox.NamedNode(params["graph"][0])
            if not store.contains_named_graph(g):
                raise HTTPError(404, f"no graph {g.value}")
            quads = store.quads_for_pattern(None, None, None, g)
        else:
            quads = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        triples, cut = [], False
        for q in quads:
            if len(triples) >= self.server.limit:
                cut = True
                break
            triples.append(ox.Triple(q.subject, q.predicate, q.object))
        media = negotiate(self.headers.get("Accept", ""), GRAPHS, (params.get("format") or [None])[0])
        self._reply(200, encode(("graph", triples, cut), media), media + "; charset=utf-8",
                    {"X-KG-Truncated": "true"} if cut else None)

    def _reply(self, status: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Access-Control-Expose-Headers", "X-KG-Truncated")
            self.send_header("Vary", "Origin")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")   # tell the client not to reuse this socket
        self.end_headers()
        self.wfile.write(body)
