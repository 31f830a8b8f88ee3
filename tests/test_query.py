"""User SPARQL guards, row cap, bindings and result formatting (kg.query) on a small store."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.query import QueryResult, check_read_only, format_result, run_user_query, stats
from kg.store import Store

EX = "https://example.org/test/"
SAYS = URIRef(EX + "says")


@pytest.fixture
def store() -> Store:
    s = Store()
    s.replace_graph(EX + "graph/a", [(URIRef(EX + f"p{i}"), SAYS, Literal(f"statement {i}")) for i in range(5)])
    return s


@pytest.mark.parametrize("sparql", [
    "INSERT DATA { <https://example.org/a> <https://example.org/b> 'c' }",
    "insert data { <https://example.org/a> <https://example.org/b> 'c' }",
    "PREFIX ex: <https://example.org/>\nINSERT DATA { ex:a ex:b ex:c }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "WITH <https://example.org/g> DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
    "LOAD <https://example.org/data.ttl>",
    "LOAD <https://example.org/data.ttl> INTO GRAPH <https://example.org/g>",
    "DROP ALL",
    "DROP GRAPH <https://example.org/g>",
    "CLEAR DEFAULT",
    "# a harmless SELECT\nDROP ALL",
], ids=lambda s: s.split("\n")[-1][:30])
def test_check_read_only_refuses_updates(sparql):
    with pytest.raises(QueryError, match="not allowed"):
        check_read_only(sparql)


@pytest.mark.parametrize("sparql", [
    "SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }",
    "select * where { service <https://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE SILENT <https://example.org/sparql> { ?s ?q ?r } }",
])
def test_check_read_only_refuses_service(sparql):
    with pytest.raises(QueryError, match="SERVICE is not allowed"):
        check_read_only(sparql)


@pytest.mark.parametrize("sparql", [
    "SELECT ?s WHERE { ?s ?p \"INSERT DATA { <a> <b> <c> }\" }",
    "SELECT ?s WHERE { ?s ?p 'DROP ALL' }",
    'SELECT ?s WHERE { ?s ?p """DELETE WHERE { ?s ?p ?o } ; LOAD <x>""" }',
    "SELECT ?s WHERE { ?s ?p ?o FILTER(CONTAINS(?o, \"SERVICE\")) }",
    "# INSERT DATA is only mentioned in this comment\nSELECT ?s WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s <https://example.org/INSERT> ?o }",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <https://example.org/a>",
])
def test_check_read_only_allows_queries_that_only_mention_update_words(sparql):
    check_read_only(sparql)   # raises on failure


def test_run_user_query_refuses_update_and_leaves_the_store_unchanged(store):
    before = len(store)
    with pytest.raises(QueryError):
        run_user_query(store, "DROP ALL")
    with pytest.raises(QueryError):
        run_user_query(store, "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(store) == before == 5


def test_select_with_insert_in_a_literal_runs(store):
    res = run_user_query(store, "SELECT ?s WHERE { ?s ?p ?o FILTER(?o != \"INSERT DATA\") }")
    assert res.kind == "select"
    assert len(res.rows) == 5


def test_row_cap_truncates_select(store):
    res = run_user_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o", limit=2)
    assert res.truncated is True
    assert res.rows == ((EX + "p0", "statement 0"), (EX + "p1", "statement 1"))


def test_row_cap_not_reached_is_not_truncated(store):
    res = run_user_query(store, "SELECT ?s WHERE { ?s ?p ?o }", limit=5)
    assert res.truncated is False
    assert len(res.rows) == 5


def test_row_cap_truncates_construct(store):
    res = run_user_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=3)
    assert res.kind == "graph"
    assert res.truncated is True
    assert len(res.triples) == 3


def test_ask_gives_a_boolean(store):
    assert run_user_query(store, "ASK { ?s ?p \"statement 3\" }").boolean is True
    assert run_user_query(store, "ASK { ?s ?p \"statement 9\" }").boolean is False


def test_bindings_bind_iris_and_plain_literals(store):
    res = run_user_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": "statement 2"})
    assert res.rows == ((EX + "p2", "statement 2"),)
    res = run_user_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"s": f"<{EX}p4>"})
    assert res.rows == ((EX + "p4", "statement 4"),)
    res = run_user_query(store, "SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"o": '"} ; DROP ALL ; {'})
    assert res.rows == ()
    assert len(store) == 5


def test_syntax_error_is_a_query_error(store):
    with pytest.raises(QueryError):
        run_user_query(store, "SELECT ?s WHERE { ?s ?p }")


SAMPLE = QueryResult("select", ("name", "count", "note"),
                     (("Sarah Whitfield", 3, None), ("Harbor Council, Ltd", 12, "said \"no\"\nthen left")))


def test_format_table_aligns_columns_and_counts_rows():
    out = format_result(SAMPLE, "table")
    lines = out.rstrip("\n").split("\n")
    assert lines[0].split() == ["name", "count", "note"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].startswith("Sarah Whitfield")
    assert lines[3].index("12") == lines[0].index("count")     # columns line up
    assert "then left" in lines[3]                              # newlines in cells flattened
    assert lines[-1] == "(2 rows)"


def test_format_table_says_when_truncated():
    res = QueryResult("select", ("x",), ((1,),), truncated=True)
    assert format_result(res, "table").rstrip().endswith("(1 rows, truncated)")


def test_format_csv_round_trips_through_the_csv_module():
    rows = list(csv.reader(io.StringIO(format_result(SAMPLE, "csv"))))
    assert rows == [["name", "count", "note"], ["Sarah Whitfield", "3", ""],
                    ["Harbor Council, Ltd", "12", "said \"no\"\nthen left"]]


def test_format_json_has_columns_rows_and_truncation():
    data = json.loads(format_result(SAMPLE, "json"))
    assert data == {"columns": ["name", "count", "note"],
                    "rows": [["Sarah Whitfield", 3, None], ["Harbor Council, Ltd", 12, "said \"no\"\nthen left"]],
                    "truncated": False}


def test_format_ask_result():
    assert format_result(QueryResult("ask", boolean=True), "table") == "true\n"
    assert json.loads(format_result(QueryResult("ask", boolean=False), "json")) is False


def test_stats_counts_an_empty_store():
    assert stats(Store()) == {"articles": 0, "entities": 0, "claims": 0, "stances": 0, "triples": 0}


def test_stats_counts_triples(store):
    assert stats(store)["triples"] == 5


def test_curation_filters_are_left_out_only_where_no_correction_could_match():
    """Every canned query without its curation filters gives the same rows on a store with no
    corrections; once the store holds one, the filters are back."""
    from kg import curate
    from kg.query import CURATION_FILTER_RE, QUERIES, canned, canned_for

    from test_curate import NORTH, SOUTH, article, entity, ingest_records

    store = Store()
    ingest_records(store, article("north.txt", "North Post", NORTH), article("south.txt", "South Herald", SOUTH))
    key = lambda r: repr(sorted(r.items()))       # noqa: E731
    names = sorted(p.stem for p in QUERIES.glob("*.rq"))
    stripped = [n for n in names if CURATION_FILTER_RE.search(canned(n))]
    assert len(stripped) >= 10, stripped
    for name in names:
        text = canned_for(store, name)
        assert "supersededBy ?_cur }" not in text, name
        assert sorted(store.select(text), key=key) == sorted(store.select(canned(name)), key=key), name
    curate.merge_entities(store, entity(store, "A. Lopez"), entity(store, "Ana Lopez"), by="ed")
    assert all(canned_for(store, n) == canned(n) for n in names)
