"""The summary graph (kg.materialise): what it serves equals the live queries after ingest,
re-ingest of a changed article and removal; any write makes it stale; exports leave it out."""
from __future__ import annotations

import io
import shutil

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from kg import materialise as mat
from kg.export import RDF_FORMATS, export
from kg.ingest import ingest
from kg.query import run_canned as run_live
from kg.query import stats as live_stats
from kg.store import SUMMARY_GRAPH, Store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
EX = "https://example.org/test/"
ARTICLE = "merrow-bay/northshore-post.txt"


def assert_summary_is_live(store: Store) -> None:
    """Every materialised query: the rows the summary serves are the rows the query gives now."""
    for name in mat.MATERIALISED:
        cached = mat.cached_rows(store, name)
        assert cached is not None, f"{name}: no rows in the summary"
        assert cached == run_live(store, name), f"{name}: summary differs from the live query"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, examples_dir):
    folder = tmp_path_factory.mktemp("articles") / "articles"
    shutil.copytree(examples_dir, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory, corpus, nlp) -> Store:
    """The eight sample articles ingested into an on-disk store (as ``kg ingest`` does)."""
    s = Store(tmp_path_factory.mktemp("store") / "kg-store")
    report = ingest([str(corpus)], s, nlp=nlp)
    assert report.ok and report.articles == 8, report
    return s


@pytest.mark.model
def test_ingest_leaves_a_summary_equal_to_every_live_query(store):
    summary = mat.status(store)
    assert summary.fresh and set(summary.queries) == set(mat.MATERIALISED)
    assert summary.queries["dash-claims"].rows == len(run_live(store, "dash-claims")) > 10
    assert_summary_is_live(store)
    assert mat.stats(store) == live_stats(store)


@pytest.mark.model
def test_unchanged_batch_keeps_the_same_summary(store, corpus, nlp):
    before = mat.status(store).generation
    report = ingest([str(corpus)], store, nlp=nlp)
    assert report.articles == 0 and report.unchanged == 8
    assert mat.status(store).generation == before


@pytest.mark.model
def test_reingest_of_a_changed_article_keeps_counts_right(store, corpus, nlp):
    path = corpus / ARTICLE
    text = path.read_text(encoding="utf-8")
    old = {r["claim"]: r for r in mat.rows(store, "dash-claims")}
    path.write_text(text.replace("denied", "confirmed") + "\nHarbor Authority spokeswoman Lena Ortiz said "
                    "that the ministry received the letter.\n", encoding="utf-8")
    try:
        report = ingest([str(corpus)], store, nlp=nlp)
        assert report.articles == 1 and report.unchanged == 7
        assert mat.status(store).fresh
        assert_summary_is_live(store)
        new = {r["claim"]: r for r in mat.rows(store, "dash-claims")}
        assert new != old                         # the summary followed the change
    finally:
        path.write_text(text, encoding="utf-8")
        ingest([str(corpus)], store, nlp=nlp)
    assert {r["claim"]: r for r in mat.rows(store, "dash-claims")} == old


@pytest.mark.model
def test_removing_an_article_makes_the_summary_stale_until_refreshed(tmp_path, corpus, nlp):
    s = Store(tmp_path / "kg-store")
    ingest([str(corpus / "merrow-bay")], s, nlp=nlp)
    served = mat.rows(s, "dash-articles")
    graph = s.select("SELECT ?g WHERE { GRAPH ?g { ?a schema:identifier ?id } } ORDER BY ?g LIMIT 1")[0]["g"]
    s.remove_graph(graph)
    assert not mat.status(s).fresh
    assert mat.cached_rows(s, "dash-articles") is None           # stale: not served
    assert len(mat.rows(s, "dash-articles")) == len(served) - 1  # the live query instead
    summary = mat.refresh(s)
    assert summary.fresh
    assert_summary_is_live(s)


def small_store(location=None) -> Store:
    """A store written without ingest: two article-like graphs, a blank node, a default-graph
    triple and literals with quotes, line breaks and a language tag."""
    s = Store(location)
    s.replace_graph(EX + "graph/a", [(URIRef(EX + "a"), URIRef("https://schema.org/headline"), Literal('He said "no"\nthen left')),
                                     (URIRef(EX + "a"), URIRef(EX + "n"), Literal(3)),
                                     (URIRef(EX + "a"), URIRef(EX + "span"), BNode("b1"))],
                    [(URIRef(EX + "e"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Élan", lang="fr"))])
    s.replace_graph(EX + "graph/b", [(URIRef(EX + "b"), URIRef("https://schema.org/headline"), Literal("Second"))],
                    [(URIRef(EX + "e"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Élan", lang="fr"))])
    s.update(f"INSERT DATA {{ <{EX}d> <{EX}p> \"in the default graph\" }}")
    return s


def test_store_without_summary_answers_live():
    s = small_store()
    assert mat.status(s) == mat.Summary() and not mat.status(s).fresh
    for name in mat.MATERIALISED:
        assert mat.cached_rows(s, name) is None
        assert mat.rows(s, name) == run_live(s, name)
    assert mat.stats(s) == live_stats(s)


@pytest.mark.parametrize("write", ["replace_graph", "remove_graph", "update", "bulk_load"])
def test_every_write_through_the_store_drops_the_summary(tmp_path, write):
    s = small_store()
    assert mat.refresh(s).fresh and mat.cached_rows(s, "stats") is not None
    if write == "replace_graph":
        s.replace_graph(EX + "graph/b", [])
    elif write == "remove_graph":
        s.remove_graph(EX + "graph/b")
    elif write == "update":
        s.update(f"INSERT DATA {{ GRAPH <{EX}graph/c> {{ <{EX}c> <{EX}p> 1 }} }}")
    else:
        path = tmp_path / "more.nq"
        path.write_text(f"<{EX}c> <{EX}p> \"x\" <{EX}graph/c> .\n", encoding="utf-8")
        s.bulk_load(str(path), "nquads")
    assert mat.status(s) == mat.Summary()
    assert mat.cached_rows(s, "stats") is None
    assert mat.stats(s) == live_stats(s)


def test_refresh_when_fresh_changes_nothing_and_force_recomputes():
    s = small_store()
    first = mat.refresh(s)
    assert mat.refresh(s).generation == first.generation
    assert mat.refresh(s, force=True).generation != first.generation


def test_a_query_whose_text_changed_is_not_served_from_the_summary(monkeypatch):
    s = small_store()
    mat.refresh(s)
    assert mat.cached_rows(s, "stats") is not None
    real = mat.query_hash
    monkeypatch.setattr(mat, "query_hash", lambda name: "edited" if name == "stats" else real(name))
    assert mat.cached_rows(s, "stats") is None and mat.cached_rows(s, "dash-claims") is not None
    assert not mat.status(s).fresh and not mat.status(s).queries["stats"].current
    assert mat.refresh(s).fresh                              # recomputes what is out of date


def test_stores_that_keep_no_summary_are_left_alone():
    assert mat.refresh(object()) == mat.Summary()
    assert mat.cached_rows(object(), "stats") is None


def test_rows_round_trip_through_the_encoding():
    rows = [{"a": "x \"quoted\"\nline", "n": 3, "f": 0.1 + 0.2, "none": None, "u": "Élan – ✓"}, {"a": "", "n": -1,
            "f": 1e-300, "none": None, "u": "\x00"}]
    columns, _, texts = mat.encode(rows)
    assert mat.decode(columns, texts) == rows
    assert mat.decode(*mat.encode([])[::2]) == []


def test_a_changed_or_inserted_row_changes_only_the_chunks_around_it():
    rows = [{"claim": f"https://example.org/c/{i}", "stances": i % 7, "text": f"claim number {i}"} for i in range(5000)]
    _, ids, texts = mat.encode(rows)
    assert 10 < len(ids) < 200 and mat.decode(mat.encode(rows)[0], texts) == rows
    changed = [dict(r) for r in rows]
    changed[2500]["stances"] = 99
    changed.insert(1000, {"claim": "https://example.org/c/new", "stances": 1, "text": "a new claim"})
    _, new_ids, _ = mat.encode(changed)
    assert len(set(new_ids) - set(ids)) <= 4            # the rest are the same strings: stored once


# -- the summary is internal: never exported, not counted -----------------------------------------
def _canonical(data: bytes, fmt: str) -> set[str]:
    """Quads (triples: no graph) as N-Quads-like lines; every blank node written as _:b."""
    ds = Dataset()
    ds.parse(data=data.decode("utf-8"), format=fmt)
    term = lambda t: "_:b" if isinstance(t, BNode) else t.n3()    # noqa: E731
    return {" ".join(term(t) for t in (s, p, o)) + ("" if str(g) == "urn:x-rdflib:default" else f" {term(g)}")
            for s, p, o, g in ds.quads((None, None, None, None))}


def references(s: Store) -> tuple[set[str], set[str]]:
    """What the export code gave before this change, on a store without summary: pyoxigraph's
    whole-store dump (quad formats) and a CONSTRUCT over the named graphs (triple formats)."""
    quads, triples = io.BytesIO(), io.BytesIO()
    s._store.dump(quads, format=ox.RdfFormat.N_QUADS)
    s._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }").serialize(
        triples, format=ox.RdfFormat.N_TRIPLES)
    return _canonical(quads.getvalue(), "nquads"), _canonical(triples.getvalue(), "nt")


PARSE_AS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.mark.parametrize("on_disk", [False, True])
def test_exports_leave_the_summary_out_and_keep_every_other_quad(tmp_path, on_disk):
    s = small_store(tmp_path / "kg-store" if on_disk else None)
    quads, triples = references(s)
    assert len(quads) == 6 and len(triples) == 5        # the default-graph triple is no union triple
    assert mat.refresh(s).fresh
    assert SUMMARY_GRAPH not in s.named_graphs() and len(s) == len(quads)
    assert not any(q.graph_name == ox.NamedNode(SUMMARY_GRAPH) for q in s.quads())
    for fmt in RDF_FORMATS:
        out = tmp_path / f"graph.{fmt}"
        assert export(s, fmt, out) == len(quads)
        data = out.read_bytes()
        assert b"summary" not in data, fmt
        assert _canonical(data, PARSE_AS[fmt]) == (quads if fmt in ("nquads", "trig", "jsonld") else triples), fmt
    lines = (tmp_path / "graph.ntriples").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == 5          # the union's triples once each, as before


@pytest.mark.model
def test_ingest_without_summary_leaves_readers_on_the_live_queries(tmp_path, corpus, nlp):
    s = Store(tmp_path / "kg-store")
    report = ingest([str(corpus)], s, nlp=nlp, summary=False)
    assert report.ok and report.articles == 8, report
    assert not mat.status(s).fresh and mat.cached_rows(s, "dash-claims") is None
    assert mat.stats(s) == live_stats(s) and mat.rows(s, "dash-claims") == run_live(s, "dash-claims")
    mat.refresh(s)                       # what `kg stats --refresh` does
    assert_summary_is_live(s)
