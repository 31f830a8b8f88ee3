"""RemoteStore against a real Oxigraph server: ingest -> query -> export -> analyze give the same
results as the embedded store on the sample articles (same quads, same answers)."""
from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Literal, URIRef

from kg import analysis
from kg.errors import StoreError
from kg.export import export
from kg.ingest import ingest
from kg.query import run_canned, run_user_query, stats
from kg.remote import RemoteStore, endpoints, strip_credentials
from kg.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
QUERIES = REPO / "examples" / "queries"
EVIL = '"} ; DROP ALL ; {'

pytestmark = pytest.mark.model


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(location: Path):
    """Yield the URL of an Oxigraph server process on a free port (killed afterwards)."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is missing: pip install -r requirements.txt (oxigraph==0.5.13)")
    port = free_port()
    log_path = location.with_name(location.name + ".log")    # a file, so a full pipe never blocks it
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                                stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"oxigraph server did not start: {log_path.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from start_oxigraph(tmp_path_factory.mktemp("oxigraph"))


@pytest.fixture()
def fresh_server(tmp_path):
    yield from start_oxigraph(tmp_path / "oxigraph")


@pytest.fixture(scope="module")
def stores(server, nlp):
    """(remote, local) stores holding the sample articles, each ingested the same way."""
    remote, local = RemoteStore(server), Store(":memory:")
    reports = [ingest([str(EXAMPLES)], s, nlp=nlp) for s in (remote, local)]
    assert reports[0].ok and reports[0].articles == reports[1].articles > 0
    return remote, local


def nquads(store) -> set[str]:
    buf = io.BytesIO()
    store.dump(buf, "nquads")
    return {line for line in buf.getvalue().decode("utf-8").splitlines() if line.strip()}


def test_same_quads_after_export(stores):
    remote, local = stores
    quads = nquads(local)
    assert len(quads) > 100
    assert "_:" not in "".join(quads)          # IRIs are deterministic, so plain set equality holds
    assert nquads(remote) == quads
    assert len(remote) == len(local) == len(quads)
    assert sorted(remote.named_graphs()) == sorted(local.named_graphs())


@pytest.mark.parametrize("fmt", ["trig", "turtle", "ntriples", "jsonld"])
def test_export_formats_parse_to_the_same_data(stores, tmp_path, fmt):
    import pyoxigraph as ox

    ox_fmt = {"trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    parsed = []
    for name, store in zip(("remote", "local"), stores):
        out = tmp_path / f"{name}.{fmt}"
        export(store, fmt, out)
        parsed.append({str(q) for q in ox.parse(path=str(out), format=ox_fmt)})
    assert parsed[0] == parsed[1] and parsed[0]


def test_dump_without_a_dataset_get_falls_back_to_select(stores, server):
    remote = RemoteStore(server, gsp_url=server + "/no-such-endpoint")   # like Virtuoso: no quads GET
    assert nquads(remote) == nquads(stores[1])


def test_same_stats_and_canned_queries(stores):
    remote, local = stores
    assert stats(remote) == stats(local)
    assert stats(remote)["articles"] == 8
    for name in ("analysis-claim-sides", "dash-claims", "dash-stances"):
        key = lambda r: sorted(map(str, r.items()))  # noqa: E731
        assert sorted(run_canned(remote, name), key=key) == sorted(run_canned(local, name), key=key), name


@pytest.mark.parametrize("rq", sorted(p.name for p in QUERIES.glob("*.rq")))
def test_same_answers_to_example_queries(stores, rq):
    text = (QUERIES / rq).read_text(encoding="utf-8")
    remote, local = (run_user_query(s, text, limit=100000, timeout=60) for s in stores)
    assert (remote.kind, remote.columns) == (local.kind, local.columns)
    assert sorted(map(_norm, remote.rows)) == sorted(map(_norm, local.rows))


def _norm(row: tuple) -> str:
    """A row with GROUP_CONCAT cells in a fixed order (the engines may concatenate in any order)."""
    return repr(tuple(" | ".join(sorted(v.split(" | "))) if isinstance(v, str) else v for v in row))


def test_bindings_are_values_not_text(stores):
    remote, local = stores
    ids = [r["id"] for r in local.select("SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }")]
    assert ids and all(remote.article_hash(i) == local.article_hash(i) is not None for i in ids)
    before = len(remote)
    assert remote.article_hash(EVIL) is None
    assert remote.select("SELECT ?a ?id WHERE { ?a schema:identifier ?id }", {"id": EVIL + "\n\\"}) == []
    claim = analysis.contested_claims(local, top=1)[0].claim
    assert remote.select("SELECT ?c ?t WHERE { ?c schema:text ?t }", {"c": URIRef(claim)}) == \
        local.select("SELECT ?c ?t WHERE { ?c schema:text ?t }", {"c": URIRef(claim)})
    with pytest.raises(StoreError, match="not a valid IRI"):
        remote.select("SELECT ?c WHERE { ?c ?p ?o }", {"c": URIRef("http://x> } ; DROP ALL ; { <y")})
    with pytest.raises(StoreError, match="variable"):
        remote.select("SELECT ?c WHERE { ?c ?p ?o }", {"c) {} DROP ALL": "x"})
    assert len(remote) == before


def test_same_analysis(stores):
    remote, local = stores
    assert analysis.contested_claims(remote, top=20) == analysis.contested_claims(local, top=20)
    assert analysis.contested_claims(remote)
    assert analysis.outlet_agreement(remote) == analysis.outlet_agreement(local)


def test_reingest_is_idempotent(stores, nlp):
    remote, local = stores
    before = nquads(remote)
    report = ingest([str(EXAMPLES)], remote, nlp=nlp)
    assert (report.articles, report.unchanged) == (0, 8)
    assert nquads(remote) == before == nquads(local)


def test_user_query_guards_apply(stores):
    remote, _ = stores
    res = run_user_query(remote, "SELECT ?s WHERE { ?s ?p ?o }", limit=5)
    assert res.truncated and len(res.rows) == 5
    assert run_user_query(remote, "ASK { ?s a schema:Claim }").boolean is True
    graph = run_user_query(remote, "CONSTRUCT { ?c schema:text ?t } WHERE { ?c schema:text ?t }")
    assert graph.kind == "graph" and graph.triples
    from kg.errors import QueryError

    with pytest.raises(QueryError, match="read-only"):
        run_user_query(remote, "DROP ALL")
    with pytest.raises(QueryError, match="SERVICE"):
        run_user_query(remote, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_batched_writes_replace_and_remove_graphs(server):
    g = "https://example.org/test/graph/"
    store = RemoteStore(server, batch_size=3)
    for i in range(4):
        store.replace_graph(g + str(i), [(URIRef(g + "s"), URIRef(g + "p"), Literal(EVIL + str(i)))])
    assert len(store._pending) == 1              # three went in one request, one waits
    assert store.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(g + "3")}) == \
        [{"o": EVIL + "3"}]                        # a read flushes first
    store.replace_graph(g + "3", [(URIRef(g + "s"), URIRef(g + "p"), Literal(7))])
    store.remove_graph(g + "0")
    store.flush()
    graphs = set(store.named_graphs())
    assert {g + "1", g + "2", g + "3"} <= graphs and g + "0" not in graphs
    assert store.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(g + "3")}) == [{"o": 7}]
    for i in range(1, 4):
        store.remove_graph(g + str(i))
    store.close()


def test_read_only_remote_refuses_writes(server):
    store = open_store(server, read_only=True)
    assert isinstance(store, RemoteStore)
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graph("https://example.org/g", [])


def test_credentials_never_shown(monkeypatch):
    monkeypatch.setenv("KG_STORE_PASSWORD", "s3cret-pw")
    monkeypatch.setenv("KG_STORE_USER", "alice")
    port = free_port()                           # nothing listens there
    store = RemoteStore(f"http://bob:url-pw@127.0.0.1:{port}")
    assert "pw" not in repr(store) and "bob" not in store.location
    with pytest.raises(StoreError) as err:
        store.select("SELECT * WHERE { ?s ?p ?o }")
    assert f"127.0.0.1:{port}/query" in str(err.value)
    assert "s3cret" not in str(err.value) and "url-pw" not in str(err.value) and "alice" not in str(err.value)
    assert strip_credentials("https://u:p@h.example:8443/ds/query") == ("https://h.example:8443/ds/query", "u", "p")


def test_bearer_token_and_basic_auth_are_sent(monkeypatch):
    monkeypatch.setenv("KG_STORE_TOKEN", "tok")
    assert RemoteStore("http://127.0.0.1:1")._client.headers["Authorization"] == "Bearer tok"
    monkeypatch.delenv("KG_STORE_TOKEN")
    monkeypatch.setenv("KG_STORE_USER", "alice")
    monkeypatch.setenv("KG_STORE_PASSWORD", "pw")
    req = RemoteStore("http://127.0.0.1:1")._client.build_request("GET", "http://127.0.0.1:1/query")
    assert "Authorization" not in req.headers    # basic auth is added by the auth flow, per request
    assert RemoteStore("http://127.0.0.1:1")._client.auth is not None


def test_endpoint_layouts():
    assert endpoints("http://127.0.0.1:7878") == ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                                                  "http://127.0.0.1:7878/store")
    assert endpoints("http://h:3030/ds/query") == ("http://h:3030/ds/query", "http://h:3030/ds/update",
                                                   "http://h:3030/ds")
    assert endpoints("http://h:7878/query")[2] == "http://h:7878/store"
    assert endpoints("http://h:7200/repositories/kg") == ("http://h:7200/repositories/kg",
                                                          "http://h:7200/repositories/kg/statements",
                                                          "http://h:7200/repositories/kg/statements")


def test_cli_against_the_server(stores, server, tmp_path):
    env = {**os.environ, "KG_STORE": server}
    out = subprocess.run([sys.executable, "-m", "kg", "stats"], capture_output=True, text=True, env=env,
                         cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert '"articles": 8' in out.stdout
    target = tmp_path / "remote.nq"
    out = subprocess.run([sys.executable, "-m", "kg", "export", "--format", "nquads", "-o", str(target),
                          "--store", server], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert {line for line in target.read_text(encoding="utf-8").splitlines() if line} == nquads(stores[1])


def test_pending_writes_are_sent_at_exit_and_updates_need_permission(fresh_server):
    code = ("from rdflib import URIRef, Literal\nfrom kg.store import open_store\n"
            f"s = open_store({fresh_server!r})\n"
            "s.replace_graph('https://example.org/g', [(URIRef('https://example.org/s'), "
            "URIRef('https://example.org/p'), Literal('written at exit'))])\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    store = RemoteStore(fresh_server)
    assert store.select("SELECT ?o WHERE { ?s <https://example.org/p> ?o }") == [{"o": "written at exit"}]
    from kg.errors import QueryError

    with pytest.raises(QueryError):
        run_user_query(store, "DROP GRAPH <https://example.org/g>")
    run_user_query(store, "DROP GRAPH <https://example.org/g>", allow_update=True)
    assert "https://example.org/g" not in store.named_graphs()
