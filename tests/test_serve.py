"""`kg serve`: the read-only SPARQL 1.1 Protocol endpoint, hit with a real HTTP client."""
from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.cli import parser
from kg.serve import make_server
from kg.store import Store

REPO = Path(__file__).resolve().parents[1]
EX = "https://example.org/serve/"
ARTICLE = "https://w3id.org/factcheck-kg/id/article/"
HEADLINES = {"a1": 'Mayor "denies" the café\nclaim', "a2": "Ministry confirms letter", "a3": "Firm disputes report"}
FILLER = 1200                       # triples in a filler graph: a 3-way cross join is ~1.7e9 rows
SCHEMA = "https://schema.org/"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ARTICLES_Q = "SELECT ?a ?h WHERE { ?a a schema:NewsArticle ; schema:headline ?h } ORDER BY ?a"
HEAVY_Q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def article(key: str, headline: str) -> list[tuple]:
    a = URIRef(ARTICLE + key)
    return [(a, RDF_TYPE, URIRef(SCHEMA + "NewsArticle")), (a, URIRef(SCHEMA + "headline"), Literal(headline)),
            (a, URIRef(SCHEMA + "identifier"), Literal(key + ".txt"))]


def make_store(path: Path) -> Path:
    store = Store(path)
    for key, headline in HEADLINES.items():
        store.replace_graph(ARTICLE + key + "/graph", article(key, headline))
    store.replace_graph(EX + "filler", [(URIRef(f"{EX}item{i}"), URIRef(EX + "value"), Literal(i))
                                        for i in range(FILLER)])
    store.flush()
    del store
    return path


class Served:
    """`python -m kg serve` in a subprocess on a free port."""

    def __init__(self, store: Path, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0",
                                      *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        if "SPARQL endpoint:" not in line:
            self.stop()
            pytest.fail(f"kg serve did not start: {line}{self.proc.stdout.read()[-2000:]}")
        self.url = line.split()[2]
        self.client = httpx.Client(timeout=30)

    def get(self, query: str, accept: str = "application/sparql-results+json", **params) -> httpx.Response:
        return self.client.get(self.url, params={"query": query, **params}, headers={"Accept": accept})

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait(10)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return make_store(tmp_path_factory.mktemp("serve") / "store")


@pytest.fixture(scope="module")
def srv(store_dir):
    s = Served(store_dir, "--limit", "50")
    yield s
    s.stop()


@pytest.fixture()
def in_process(store_dir):
    """Start make_server(...) in a thread; returns a function taking make_server's keywords."""
    servers = []

    def start(**kw):
        server = make_server(str(store_dir), port=0, **kw)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def rows_of(resp: httpx.Response) -> list[tuple[str, str]]:
    ctype = resp.headers["content-type"].split(";")[0]
    if ctype == "text/csv":
        return [tuple(r) for r in list(csv.reader(io.StringIO(resp.text)))[1:]]
    fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV}[ctype]
    return [(r["a"].value, r["h"].value) for r in ox.parse_query_results(resp.content, format=fmt)]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_select_in_each_results_format(srv, accept):
    resp = srv.get(ARTICLES_Q, accept)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith(accept)
    expected = [(ARTICLE + k, h) for k, h in sorted(HEADLINES.items())]
    assert rows_of(resp) == expected
    assert "X-KG-Truncated" not in resp.headers


def test_post_query_body_form_and_format_parameter(srv):
    body = srv.client.post(srv.url, content=ARTICLES_Q, headers={"Content-Type": "application/sparql-query"})
    form = srv.client.post(srv.url, data={"query": ARTICLES_Q})
    fmt = srv.client.get(srv.url, params={"query": ARTICLES_Q, "format": "tsv"})
    assert body.status_code == form.status_code == fmt.status_code == 200
    assert rows_of(body) == rows_of(form) == rows_of(fmt) and len(rows_of(body)) == 3
    assert fmt.headers["content-type"].startswith("text/tab-separated-values")


@pytest.mark.parametrize("accept,fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                        ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_construct_as_rdf(srv, accept, fmt):
    resp = srv.get("CONSTRUCT { ?a schema:headline ?h } WHERE { ?a schema:headline ?h }", accept)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith(accept)
    got = {(t.subject.value, t.object.value) for t in ox.parse(resp.content, format=fmt)}
    assert got == {(ARTICLE + k, h) for k, h in HEADLINES.items()}


def test_ask_and_negotiation_errors(srv):
    assert srv.get("ASK { ?a a schema:NewsArticle }").json()["boolean"] is True
    assert srv.get("ASK { ?a a schema:Claim }").json()["boolean"] is False
    assert srv.get(ARTICLES_Q, "image/png").status_code == 406
    bad = srv.get("SELEC ?x WHERE {}")
    assert bad.status_code == 400 and "bad query" in bad.text
    assert srv.client.get(srv.url.replace("/sparql", "/nowhere")).status_code == 404


@pytest.mark.parametrize("how", ["sparql-update", "form-query", "form-update", "get-query"])
def test_updates_are_refused(srv, how):
    insert = f"INSERT DATA {{ <{EX}x> <{EX}y> 'z' }}"
    if how == "sparql-update":
        resp = srv.client.post(srv.url, content=insert, headers={"Content-Type": "application/sparql-update"})
    elif how in ("form-query", "form-update"):
        resp = srv.client.post(srv.url, data={how.split("-")[1]: insert})
    else:
        resp = srv.get("DROP ALL")
    assert resp.status_code == 403
    assert "not allowed" in resp.text and "read-only" in resp.text
    assert srv.get(f"ASK {{ <{EX}x> ?p ?o }}").json()["boolean"] is False
    assert srv.get("ASK { ?a a schema:NewsArticle }").json()["boolean"] is True


def test_service_and_load_are_refused(srv):
    resp = srv.get("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert resp.status_code == 403 and "SERVICE is not allowed" in resp.text
    resp = srv.client.post(srv.url, data={"update": "LOAD <http://example.org/data.ttl>"})
    assert resp.status_code == 403


def test_row_cap_truncates_and_says_so(srv):
    resp = srv.get("SELECT ?s WHERE { ?s ?p ?o }")
    assert resp.status_code == 200
    assert resp.headers["X-KG-Truncated"] == "true"
    assert len(resp.json()["results"]["bindings"]) == 50
    graph = srv.get("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert graph.headers["X-KG-Truncated"] == "true" and len(graph.text.splitlines()) == 50


def test_query_over_the_time_limit_is_stopped(store_dir):
    slow = Served(store_dir, "--timeout", "0.2")
    try:
        t0 = time.monotonic()
        resp = slow.get(HEAVY_Q)
        assert resp.status_code == 503
        assert "time limit of 0.2 s" in resp.text
        assert time.monotonic() - t0 < 5
        assert slow.get("ASK { ?a a schema:NewsArticle }").json()["boolean"] is True   # still answering
    finally:
        slow.stop()


def test_named_graphs_are_addressable(srv):
    g = ARTICLE + "a2/graph"
    only = srv.get(ARTICLES_Q, **{"default-graph-uri": g}).json()["results"]["bindings"]
    assert [b["a"]["value"] for b in only] == [ARTICLE + "a2"]
    named = srv.get("SELECT ?g WHERE { GRAPH ?g { ?a a schema:NewsArticle } }", **{"named-graph-uri": g})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [g]
    resp = srv.client.get(srv.url.replace("/sparql", "/store"), params={"graph": g},
                          headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    assert len(list(ox.parse(resp.content, format=ox.RdfFormat.N_TRIPLES))) == 3
    missing = srv.client.get(srv.url.replace("/sparql", "/store"), params={"graph": EX + "none"})
    assert missing.status_code == 404


def test_bound_to_loopback_unless_host_given(srv, in_process):
    assert srv.url.startswith("http://127.0.0.1:")
    assert parser().parse_args(["serve"]).host == "127.0.0.1"
    server = in_process()
    assert server.server_address[0] == "127.0.0.1"
    try:                                   # this machine's outward address, if it has one
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            outward = s.getsockname()[0]
    except OSError:
        outward = "127.0.0.1"
    if not outward.startswith("127."):
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://{outward}:{server.server_address[1]}/sparql", params={"query": "ASK {}"}, timeout=2)


def test_cors_is_off_unless_enabled(srv, in_process):
    assert "access-control-allow-origin" not in srv.get("ASK {}").headers
    server = in_process(cors="https://yasgui.example")
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    resp = httpx.get(url, params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert resp.headers["access-control-allow-origin"] == "https://yasgui.example"
    assert httpx.options(url).status_code == 204


def test_new_articles_appear_within_seconds_and_whole(tmp_path):
    store_dir = make_store(tmp_path / "store")
    srv = Served(store_dir, "--refresh", "0.5")
    try:
        assert srv.get("ASK { ?a a schema:NewsArticle }").json()["boolean"] is True
        writer = Store(store_dir)                    # another writer while the server reads
        news = [(URIRef(f"{EX}fresh{i}"), URIRef(EX + "value"), Literal(i)) for i in range(200)]
        writer.replace_graph(ARTICLE + "a4/graph", article("a4", "Fresh story") + news)
        t0, counts = time.monotonic(), []
        while time.monotonic() - t0 < 10:
            resp = srv.get(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ARTICLE}a4/graph> {{ ?s ?p ?o }} }}")
            counts.append(int(resp.json()["results"]["bindings"][0]["n"]["value"]))
            if counts[-1]:
                break
            time.sleep(0.1)
        assert counts[-1] == 203, f"not visible after 10 s: {counts}"
        assert set(counts) <= {0, 203}               # never half an article
        del writer
    finally:
        srv.stop()


def test_serve_needs_an_existing_local_store(tmp_path):
    out = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", str(tmp_path / "none"), "--port", "0"],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "no store at" in out.stderr
    out = subprocess.run([sys.executable, "-m", "kg", "serve", "--store", "http://127.0.0.1:7878"],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "already a SPARQL endpoint" in out.stderr


def test_json_results_keep_term_kinds(srv):
    resp = srv.get(f"SELECT ?v WHERE {{ <{EX}item7> <{EX}value> ?v }}")
    assert json.loads(resp.text)["results"]["bindings"] == [
        {"v": {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
