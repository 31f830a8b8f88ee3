"""The store: memory and disk, idempotent replacement, re-ingest, bindings, one writer."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from rdflib import Literal, URIRef

from kg.errors import StoreError
from kg.ingest import ingest
from kg.store import MEMORY, Store

EX = "https://example.org/test/"
GRAPH_A = EX + "graph/a"
TRIPLES_A = [(URIRef(EX + "a"), URIRef(EX + "says"), Literal("the depot was sold")),
             (URIRef(EX + "a"), URIRef(EX + "count"), Literal(3))]
SHARED = [(URIRef(EX + "whitfield"), URIRef(EX + "name"), Literal("Sarah Whitfield"))]
EVIL = '"} ; DROP ALL ; {'

STANCES_OF = """SELECT ?type ?id WHERE { ?a schema:identifier ?id . ?s prov:wasDerivedFrom ?a ;
                                         fck:stanceType ?type } ORDER BY ?type"""


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path):
    return Store() if request.param == "memory" else Store(tmp_path / "store")


def test_memory_store_is_the_default():
    assert Store().location == MEMORY
    assert len(Store()) == 0


def test_replace_graph_writes_the_named_graph_and_the_shared_graph(store):
    store.replace_graph(GRAPH_A, TRIPLES_A, SHARED)
    assert GRAPH_A in store.named_graphs()
    assert len(store) == 3
    rows = store.select("SELECT ?o WHERE { GRAPH ?g { ?s <https://example.org/test/says> ?o } }")
    assert rows == [{"o": "the depot was sold"}]


def test_replace_graph_is_idempotent(store):
    store.replace_graph(GRAPH_A, TRIPLES_A, SHARED)
    before = len(store)
    store.replace_graph(GRAPH_A, TRIPLES_A, SHARED)
    store.replace_graph(GRAPH_A, TRIPLES_A, SHARED)
    assert len(store) == before == 3


def test_replace_graph_drops_triples_no_longer_given(store):
    store.replace_graph(GRAPH_A, TRIPLES_A)
    store.replace_graph(GRAPH_A, TRIPLES_A[:1])
    assert len(store) == 1


def test_replace_graph_leaves_other_graphs_alone(store):
    store.replace_graph(GRAPH_A, TRIPLES_A)
    store.replace_graph(EX + "graph/b", [(URIRef(EX + "b"), URIRef(EX + "says"), Literal("no"))])
    store.replace_graph(GRAPH_A, [])
    assert len(store) == 1
    rows = store.select("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert rows == [{"g": EX + "graph/b", "o": "no"}]


def test_disk_store_keeps_its_content_after_reopening(tmp_path):
    s = Store(tmp_path / "store")
    s.replace_graph(GRAPH_A, TRIPLES_A, SHARED)
    s.flush()
    del s
    again = Store(tmp_path / "store", read_only=True)
    assert len(again) == 3


def test_binding_with_sparql_syntax_is_a_plain_literal_and_changes_nothing(store):
    store.replace_graph(GRAPH_A, [(URIRef(EX + "a"), URIRef(EX + "says"), Literal(EVIL))], SHARED)
    before = len(store)
    rows = store.select("SELECT ?s ?o WHERE { ?s <https://example.org/test/says> ?o }", {"o": EVIL})
    assert rows == [{"s": EX + "a", "o": EVIL}]          # matched as the literal it is
    assert store.select("SELECT ?s ?o WHERE { ?s <https://example.org/test/says> ?o }",
                        {"o": "something else"}) == []
    assert store.article_hash(EVIL) is None
    assert len(store) == before
    assert GRAPH_A in store.named_graphs()


def test_a_literal_with_quotes_and_braces_round_trips_through_replace_graph(store):
    tricky = 'He said "no" } ; DROP ALL ; { \\ and left'
    store.replace_graph(GRAPH_A, [(URIRef(EX + "a"), URIRef(EX + "says"), Literal(tricky))])
    rows = store.select("SELECT ?o WHERE { ?s <https://example.org/test/says> ?o }")
    assert rows == [{"o": tricky}]


def test_unknown_export_format_is_a_store_error(store):
    import io

    with pytest.raises(StoreError, match="unknown RDF format 'yaml'"):
        store.dump(io.BytesIO(), "yaml")


def test_second_writer_in_the_same_process_gets_a_clear_store_error(tmp_path):
    first = Store(tmp_path / "store")
    with pytest.raises(StoreError) as err:
        Store(tmp_path / "store")
    message = str(err.value)
    assert str(tmp_path / "store") in message
    assert "another process is writing" in message
    assert len(first) == 0


def test_second_writer_in_another_process_gets_a_clear_store_error(tmp_path):
    location = tmp_path / "store"
    holder = Store(location)
    code = textwrap.dedent(f"""
        import sys
        from kg.errors import StoreError
        from kg.store import Store
        try:
            Store({str(location)!r})
        except StoreError as exc:
            print(exc)
            sys.exit(3)
        sys.exit(0)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "another process is writing" in proc.stdout
    assert len(holder) == 0


def test_reader_can_open_a_store_after_the_writer_closed_it(tmp_path):
    writer = Store(tmp_path / "store")
    writer.replace_graph(GRAPH_A, TRIPLES_A)
    writer.flush()
    del writer
    reader = Store(tmp_path / "store", read_only=True)
    assert len(reader) == 2


def test_read_only_open_failure_from_pyoxigraph_is_a_store_error(tmp_path, monkeypatch):
    import pyoxigraph

    class RacingStore:
        @staticmethod
        def read_only(path):
            raise RuntimeError(f"Corruption: IO error: No such file or directory: {path}/000025.sst")

    (tmp_path / "store").mkdir()
    monkeypatch.setattr(pyoxigraph, "Store", RacingStore)
    with pytest.raises(StoreError, match="store"):
        Store(tmp_path / "store", read_only=True)


# -- re-ingest (needs the model) ----------------------------------------------------------------

ARTICLE_V1 = """Council Denies Selling the Old Depot

The Harbor Council denied that it sold the old depot to Brackwell Systems.

Sarah Whitfield said that the council sold the old depot to Brackwell Systems in May.
"""
ARTICLE_V2 = """Council Confirms Selling the Old Depot

The Harbor Council confirmed that it sold the old depot to Brackwell Systems.
"""


@pytest.mark.model
def test_reingesting_an_unchanged_article_reports_unchanged_and_keeps_the_quad_count(nlp, tmp_path):
    folder = tmp_path / "in" / "story"
    folder.mkdir(parents=True)
    (folder / "gazette.txt").write_text(ARTICLE_V1, encoding="utf-8")
    store = Store(tmp_path / "store")
    first = ingest([tmp_path / "in"], store, nlp=nlp)
    assert (first.articles, first.unchanged, first.failures) == (1, 0, [])
    assert first.stances >= 2
    quads = len(store)
    second = ingest([tmp_path / "in"], store, nlp=nlp)
    assert (second.articles, second.unchanged, second.failures) == (0, 1, [])
    assert len(store) == quads


@pytest.mark.model
def test_changed_article_replaces_its_graph_and_old_stances_are_gone(nlp, tmp_path):
    path = tmp_path / "gazette.txt"
    path.write_text(ARTICLE_V1, encoding="utf-8")
    store = Store()
    ingest([path], store, nlp=nlp)
    before = [r["type"].rsplit("#", 1)[-1] for r in store.select(STANCES_OF, {"id": "gazette.txt"})]
    assert "Denies" in before and "Asserts" in before, before

    path.write_text(ARTICLE_V2, encoding="utf-8")
    report = ingest([path], store, nlp=nlp)
    assert (report.articles, report.unchanged) == (1, 0)
    after = [r["type"].rsplit("#", 1)[-1] for r in store.select(STANCES_OF, {"id": "gazette.txt"})]
    assert after == ["Confirms"]
    assert len(store.select("SELECT ?a WHERE { ?a a schema:NewsArticle }")) == 1
    headlines = store.select("SELECT ?h WHERE { ?a schema:headline ?h }")
    assert headlines == [{"h": "Council Confirms Selling the Old Depot"}]


def test_span_offsets_read_back_as_non_negative_integers(store):
    """Oxigraph canonicalises xsd:nonNegativeInteger to xsd:integer; the value must survive."""
    from kg.namespaces import OA, XSD

    span = URIRef(EX + "span")
    store.replace_graph(GRAPH_A, [(span, OA.start, Literal(4, datatype=XSD.nonNegativeInteger))])
    (row,) = list(store.query("SELECT ?o WHERE { ?s oa:start ?o }"))
    assert row["o"].datatype.value in (str(XSD.integer), str(XSD.nonNegativeInteger))
    assert store.select("SELECT ?o WHERE { ?s oa:start ?o }") == [{"o": 4}]
