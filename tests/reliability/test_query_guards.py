"""User SPARQL through ``python -m kg query``: read-only unless ``--allow-update``; SERVICE refused
always (a query must never make us fetch a URL, even when updates are allowed); bound values are
never formatted into the query text; every query has a time limit and a row cap.

Decision (documented in README "Limits and safety"): SERVICE is refused even with
``--allow-update``; LOAD is an update and is allowed only with ``--allow-update``."""
from __future__ import annotations

import http.server
import json
import threading
import time

import pytest
from rdflib import Literal, URIRef

from kg.cli import main
from kg.store import Store

from .conftest import quads, run_kg, show

EX = "https://example.org/"
N_ARTICLES = 40


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """A small on-disk store made without the NLP model: 40 'articles' of 8 triples each."""
    location = tmp_path_factory.mktemp("guards") / "store"
    store = Store(location)
    schema = "https://schema.org/"
    for i in range(N_ARTICLES):
        a = URIRef(f"{EX}a/{i}")
        triples = [(a, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(f"{schema}NewsArticle")),
                   (a, URIRef(f"{schema}headline"), Literal(f"Headline {i}")),
                   (a, URIRef(f"{schema}identifier"), Literal(f"id-{i}"))]
        triples += [(a, URIRef(f"{EX}p{j}"), Literal(f"value {i}/{j}")) for j in range(5)]
        store.replace_graph(f"{EX}g/{i}", triples)
    store.flush()
    del store
    return location


@pytest.fixture(scope="module")
def server():
    """A local HTTP server that records every request made to it (nothing may reach it)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(f"{self.command} {self.path}")
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", hits
    httpd.shutdown()
    httpd.server_close()


def cli(capsys, *args) -> tuple[int, str, str]:
    """``kg ARGS`` in this process (fast; a raised exception would fail the test like a traceback)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


UPDATES = [
    "INSERT DATA { GRAPH <https://example.org/g/x> { <https://example.org/x> <https://example.org/p> 1 } }",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "DELETE { GRAPH ?g { ?s ?p ?o } } INSERT { GRAPH ?g { ?s ?p 1 } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "CLEAR ALL",
    "DROP ALL",
    "DROP GRAPH <https://example.org/g/1>",
    "CREATE GRAPH <https://example.org/g/new>",
    "LOAD <{server}/data.ttl>",
    "LOAD SILENT <{server}/data.ttl> INTO GRAPH <https://example.org/g/1>",
    "ADD <https://example.org/g/1> TO <https://example.org/g/2>",
    "COPY <https://example.org/g/1> TO <https://example.org/g/2>",
    "MOVE <https://example.org/g/1> TO <https://example.org/g/2>",
    "PREFIX ex: <https://example.org/>\n# a comment\ndrop   all",
]


@pytest.mark.parametrize("update", UPDATES)
def test_query_refuses_updates_without_allow_update(capsys, store_path, server, update):
    url, hits = server
    before = quads(store_path)
    code, out, err = cli(capsys, "query", update.replace("{server}", url), "--store", store_path)
    assert code == 2 and err.startswith("error:"), (code, out, err)
    assert "not allowed" in err, err
    assert quads(store_path) == before
    assert hits == [], f"the store fetched {hits}"


SERVICES = [
    "SELECT * WHERE { SERVICE <{server}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <{server}/sparql> { ?s ?p ?o } }",
    "select * where { service<{server}/sparql>{ ?s ?p ?o } }",
    "PREFIX r: <{server}/>\nSELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?e { <{server}/sparql> } SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE # hidden?\n <{server}/sparql> { ?s ?p ?o } } } }",
    # a ' inside an IRI (legal) once made the guard's lexer read the SERVICE clause as a string
    "SELECT * WHERE { { ?s ?p <https://example.org/x'> } UNION { SERVICE <{server}/a> { ?a ?b ?c } }"
    " UNION { ?s ?p <https://example.org/y'> } }",
    "INSERT { GRAPH <https://example.org/g/s> { ?s ?p ?o } } WHERE { SERVICE <{server}/sparql> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("allow_update", [False, True], ids=["read-only", "allow-update"])
@pytest.mark.parametrize("sparql", SERVICES)
def test_service_is_refused_always_and_nothing_is_fetched(capsys, tmp_path, store_path, server, sparql,
                                                           allow_update):
    url, hits = server
    location = store_path
    if allow_update:                      # a private copy: an allowed update must not touch the shared one
        import shutil

        location = tmp_path / "copy"
        shutil.copytree(store_path, location, ignore=shutil.ignore_patterns("LOCK"))
    before = quads(location)
    args = ["query", sparql.replace("{server}", url), "--store", location] + (["--allow-update"] if allow_update else [])
    code, out, err = cli(capsys, *args)
    assert code == 2 and "SERVICE is not allowed" in err, (code, out, err)
    assert hits == [], f"the store fetched {hits}"
    assert quads(location) == before


def test_bound_values_are_never_formatted_into_the_query(store_path):
    before = quads(store_path)
    query = "SELECT ?h ?id WHERE { ?a schema:headline ?h ; schema:identifier ?id }"
    injected = 'nope" } UNION { ?a schema:headline ?h } #'
    proc = run_kg("query", query, "--bind", f"id={injected}", "--format", "json", "--store", store_path)
    assert proc.returncode == 0, show(proc)
    assert json.loads(proc.stdout)["rows"] == [], "the bound value changed the query"
    proc = run_kg("query", "SELECT ?x WHERE { ?a schema:headline ?x }", "--bind", 'x="} ; DROP ALL ; {',
                  "--format", "json", "--store", store_path)
    assert proc.returncode == 0, show(proc)
    assert json.loads(proc.stdout)["rows"] == []
    proc = run_kg("query", query, "--bind", "id=id-3", "--format", "json", "--store", store_path)
    assert json.loads(proc.stdout)["rows"] == [["Headline 3", "id-3"]], show(proc)   # the binding does work
    assert quads(store_path) == before


def test_a_heavy_query_stops_at_its_time_limit_with_a_clear_message(store_path):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    start = time.monotonic()
    proc = run_kg("query", heavy, "--timeout", "0.5", "--store", store_path, timeout=60)
    elapsed = time.monotonic() - start
    assert proc.returncode == 2, show(proc)
    assert "time limit" in proc.stderr and "Traceback" not in proc.stderr, show(proc)
    assert elapsed < 30, f"the CLI took {elapsed:.1f} s to give up"


def test_results_are_capped_at_the_row_limit(capsys, store_path):
    code, out, err = cli(capsys, "query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--limit", "5", "--format", "json",
                         "--store", store_path)
    assert code == 0, err
    data = json.loads(out)
    assert len(data["rows"]) == 5 and data["truncated"] is True
    code, out, err = cli(capsys, "query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "--limit", "7",
                         "--format", "json", "--store", store_path)
    assert code == 0 and len(json.loads(out)["rows"]) == 7


def test_allow_update_does_run_updates(capsys, tmp_path, store_path):
    import shutil

    location = tmp_path / "copy"
    shutil.copytree(store_path, location, ignore=shutil.ignore_patterns("LOCK"))
    before = quads(location)
    code, out, err = cli(capsys, "query", UPDATES[0], "--allow-update", "--store", location)
    assert code == 0, err
    assert len(quads(location)) == len(before) + 1
    code, out, err = cli(capsys, "query", "DROP GRAPH <https://example.org/nothing-here>", "--allow-update",
                         "--store", location)
    assert code == 2 and err.startswith("error:") and "update failed" in err.lower(), (code, err)
