"""Export to every RDF format and parse back with rdflib: nothing lost, nothing added."""
from __future__ import annotations

import pytest
from rdflib import Dataset, Graph

from kg.errors import ExportError
from kg.export import RDF_FORMATS, export
from kg.ingest import ingest
from kg.store import SUMMARY_GRAPH, Store

pytestmark = [pytest.mark.model, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

QUAD_FORMATS = {"trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
TRIPLE_FORMATS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def sample_store(nlp, examples_dir) -> Store:
    store = Store()
    report = ingest([examples_dir], store, nlp=nlp)
    assert report.ok and report.articles == 8, report
    return store


def distinct_triples(store: Store) -> int:
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                        f"FILTER(?g != <{SUMMARY_GRAPH}>) }} }}")   # kg.materialise's summary is never exported
    return rows[0]["n"]


def test_every_rdf_format_is_covered():
    assert set(RDF_FORMATS) == set(QUAD_FORMATS) | set(TRIPLE_FORMATS)


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_quad_format_parses_back_to_the_same_number_of_quads(sample_store, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    n = export(sample_store, fmt, out)
    assert n == len(sample_store) > 1000
    ds = Dataset()
    ds.parse(out, format=QUAD_FORMATS[fmt])
    quads = set(ds.quads((None, None, None, None)))
    assert len(quads) == len(sample_store)
    graphs = {str(q[3]) for q in quads}
    assert graphs == set(sample_store.named_graphs())   # nothing lands in the default graph
    assert len(graphs) == 9                              # 8 articles + the shared graph


@pytest.mark.parametrize("fmt", sorted(TRIPLE_FORMATS))
def test_triple_format_parses_back_to_the_distinct_triples_of_the_union(sample_store, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    export(sample_store, fmt, out)
    g = Graph()
    g.parse(out, format=TRIPLE_FORMATS[fmt])
    assert len(g) == distinct_triples(sample_store)
    assert len(g) < len(sample_store)   # some triples (types, labels) are repeated across graphs


def test_exported_text_keeps_unicode_quotes_and_offsets(sample_store, tmp_path):
    out = tmp_path / "graph.nq"
    export(sample_store, "nquads", out)
    text = out.read_text(encoding="utf-8")
    assert "\u201c" in text or "\\u201C" in text
    assert "Harbor Authority" in text


def test_unknown_format_is_refused(sample_store, tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'yaml'"):
        export(sample_store, "yaml", tmp_path / "graph.yaml")


def test_missing_output_folder_is_refused_before_writing(sample_store, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export(sample_store, "trig", tmp_path / "nowhere" / "graph.trig")
