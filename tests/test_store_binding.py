"""Store.query bindings: one-row VALUES blocks of serialised terms (never raw text), placed at
the WHERE pattern and in its UNION branches; the same rows as pyoxigraph substitutions."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import StoreError
from kg.namespaces import sparql_prefixes
from kg.store import Store, bind_values, sparql_term, values_points

EX = "https://example.org/test/"
SAYS = URIRef(EX + "says")
HOSTILE = ['"} ; DROP ALL ; {', "\\u0022 } ; DROP ALL ; { \\u0022", "\\\\u005C\"", "line\nbreak\r\tand tab",
           "<https://example.org/test/a>", "# not a comment", "?o", "Élan ✓ \U0001F600"]


@pytest.fixture
def store() -> Store:
    s = Store()
    s.replace_graph(EX + "g", [(URIRef(EX + f"p{i}"), SAYS, Literal(text)) for i, text in enumerate(HOSTILE)]
                    + [(URIRef(EX + "p0"), URIRef(EX + "n"), Literal(7))])
    return s


@pytest.mark.parametrize("text", HOSTILE)
def test_a_bound_literal_matches_exactly_itself_and_changes_nothing(store, text):
    before = len(store)
    rows = store.select("SELECT ?s ?o WHERE { ?s <https://example.org/test/says> ?o }", {"o": text})
    assert rows == [{"s": EX + f"p{HOSTILE.index(text)}", "o": text}]
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal(text)}) == [{"s": rows[0]["s"]}]
    assert len(store) == before


def test_iris_ints_and_rdflib_literals_bind_as_their_terms(store):
    assert store.select("SELECT ?o WHERE { ?s <https://example.org/test/n> ?o }", {"s": URIRef(EX + "p0")}) == [{"o": 7}]
    assert store.select("SELECT ?s WHERE { ?s <https://example.org/test/n> ?o }", {"o": 7}) == [{"s": EX + "p0"}]
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal(HOSTILE[0])}) == [{"s": EX + "p0"}]


@pytest.mark.parametrize("bad", [URIRef(EX + "a> } ; DROP ALL ; { <b"), URIRef("has space"), URIRef(""),
                                 BNode(), ox.BlankNode()])
def test_what_is_no_iri_or_literal_is_refused(store, bad):
    with pytest.raises(StoreError):
        store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": bad})


def test_variable_names_are_checked(store):
    with pytest.raises(StoreError, match="variable name"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o } . ?x": "x"})


def test_literals_are_serialised_with_escapes_only():
    assert sparql_term('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert sparql_term(Literal("x", lang="en-GB")) == '"x"@en-GB'
    assert sparql_term(True) == '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    assert sparql_term(2.5) == '"2.5"'                      # as before: other values are plain strings


UNION_QUERY = """SELECT ?c ?x WHERE {
  { ?c <https://example.org/test/says> ?x } UNION { ?c <https://example.org/test/n> ?x }
  OPTIONAL { ?c <https://example.org/test/missing> ?m }
}"""


def test_union_branches_are_bound_and_give_the_rows_substitution_gives(store):
    text = bind_values(UNION_QUERY, {"c": URIRef(EX + "p0")})
    assert text.count("VALUES ?c") == 3                     # the pattern and both UNION operands
    got = store.select(UNION_QUERY, {"c": URIRef(EX + "p0")})
    res = store._store.query(sparql_prefixes() + UNION_QUERY, use_default_graph_as_union=True,
                             substitutions={ox.Variable("c"): ox.NamedNode(EX + "p0")})
    expected = [{"c": r["c"].value, "x": r["x"].value} for r in res]
    key = lambda r: str(r["x"])                             # noqa: E731
    assert sorted(({**r, "x": str(r["x"])} for r in got), key=key) == sorted(expected, key=key)
    assert len(got) == 2


@pytest.mark.parametrize("sparql, where", [
    ("SELECT ?s WHERE { ?s ?p ?o }", "{ ?s"),
    ("PREFIX x: <http://a.example/#{>\n# a comment with WHERE { in it\nSELECT (\"{\" AS ?b) WHERE { ?s ?p ?o }", "{ ?s"),
    ("ASK { ?s ?p ?o }", "{ ?s"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p 1 }", "{ ?s ?p 1"),
    ("SELECT * { { SELECT ?s { ?s ?p ?o } } UNION { ?s ?q ?o } }", "{ { SELECT"),
])
def test_values_go_after_the_brace_that_opens_the_where_pattern(sparql, where):
    points = values_points(sparql)
    assert points and sparql[points[0] - 1:].startswith(where)
    if "SELECT ?s {" in sparql:                              # a subquery operand is not bound inside
        assert [sparql[p - 1:p + 2] for p in points[1:]] == ["{ ?"]


@pytest.mark.parametrize("sparql", ["CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <https://example.org/test/p0>",
                                    "INSERT DATA { <a:b> <a:c> <a:d> }", "DELETE WHERE { ?s ?p ?o }"])
def test_queries_without_a_where_pattern_fall_back_to_substitutions(sparql):
    assert values_points(sparql) is None


def test_construct_short_form_still_binds(store):
    for iri in (URIRef(EX + "p0"), ox.NamedNode(EX + "p0")):      # rdflib and pyoxigraph terms alike
        res = store.query("CONSTRUCT WHERE { ?s <https://example.org/test/n> ?o }", {"s": iri})
        assert [(t.subject.value, t.object.value) for t in res] == [(EX + "p0", "7")]
