"""Graph files: GraphML, GEXF, CSV (zip) and node-link JSON, read back with NetworkX."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter

import networkx as nx
import pytest
from rdflib import Literal, Namespace, URIRef

from kg import graph_export as ge
from kg import iris
from kg import namespaces as ns
from kg.errors import ExportError
from kg.namespaces import FCK, KGID, OA, PROV, RDF, RDFS
from kg.store import Store

SCHEMA = Namespace(str(ns.SCHEMA))  # a plain Namespace: pytest trips over rdflib's closed SDO
ALICE, BOB, ACME = (str(KGID[f"entity/{k}"]) for k in ("alice", "bob", "acme"))
C1, C2, C3 = (str(KGID[f"claim/{k}"]) for k in ("c1", "c2", "c3"))
ART1, ART2 = str(KGID["article/a1"]), str(KGID["article/a2"])
DAILY = iris.entity_iri("Organization", "Daily News")
TRICKY = 'Alice said <b>"no" & never</b>\x0b.'  # markup to escape, and a character XML forbids


def _stance(article: str, i: int, holder: str, claim: str, kind: str, text: str) -> list[tuple]:
    s, span = URIRef(f"{article}/s{i}"), URIRef(f"{article}/s{i}/sentence")
    return [(s, RDF.type, FCK.Stance), (s, FCK.holder, URIRef(holder)), (s, FCK.claim, URIRef(claim)),
            (s, FCK.stanceType, FCK[kind]), (s, PROV.wasDerivedFrom, URIRef(article)),
            (s, FCK.sentenceSpan, span), (span, OA.exact, Literal(text))]


def _article(a: str, *extra: tuple) -> list[tuple]:
    a_ = URIRef(a)
    return [(a_, RDF.type, SCHEMA.NewsArticle), (a_, SCHEMA.identifier, Literal(a.rsplit("/", 1)[1])),
            (a_, SCHEMA.headline, Literal(f"About {a[-2:]}")), *extra]


@pytest.fixture(scope="module")
def store() -> Store:
    shared = [(URIRef(e), RDF.type, SCHEMA[t]) for e, t in ((ALICE, "Person"), (BOB, "Person"), (ACME, "Organization"))]
    shared += [(URIRef(e), RDFS.label, Literal(n)) for e, n in ((ALICE, "Alice"), (BOB, "Bob"), (ACME, "Acme"))]
    shared += [(URIRef(c), RDF.type, SCHEMA.Claim) for c in (C1, C2, C3)]
    shared += [(URIRef(c), SCHEMA.text, Literal(f"claim {c[-1]}")) for c in (C1, C2, C3)]
    shared += [(URIRef(DAILY), RDF.type, SCHEMA.Organization), (URIRef(DAILY), RDFS.label, Literal("Daily News"))]
    a1 = _article(ART1, (URIRef(ART1), SCHEMA.publisher, URIRef(DAILY)), (URIRef(C1), SCHEMA.appearance, URIRef(ART1)),
                  (URIRef(BOB), SCHEMA.memberOf, URIRef(ACME)))
    a1 += _stance(ART1, 0, ALICE, C1, "Denies", TRICKY) + _stance(ART1, 1, BOB, C1, "Asserts", "Bob said so.")
    a1 += _stance(ART1, 2, BOB, C1, "Confirms", "Bob confirmed it.")
    a2 = _article(ART2, (URIRef(ART2), SCHEMA.url, URIRef("https://news.example.com/x")),
                  (URIRef(C2), SCHEMA.appearance, URIRef(ART2)), (URIRef(C3), SCHEMA.appearance, URIRef(ART2)))
    a2 += _stance(ART2, 0, ALICE, C2, "Questions", "Alice asked whether claim 2 holds.")
    s = Store(":memory:")
    s.replace_graph(iris.article_graph_iri("a1"), a1, shared)
    s.replace_graph(iris.article_graph_iri("a2"), a2)
    return s


@pytest.fixture(scope="module")
def graph(store: Store) -> nx.MultiDiGraph:
    return ge.to_networkx(store)


def test_graph_has_every_kind_of_node_and_relation(graph):
    assert Counter(k for _, k in graph.nodes(data="kind")) == {"actor": 3, "claim": 3, "article": 2, "outlet": 2}
    assert Counter(r for *_, r in graph.edges(data="relation")) == {"stance": 4, "reports": 3, "publishes": 2,
                                                                    "memberOf": 1}
    host = iris.entity_iri("Organization", "news.example.com")
    assert graph.nodes[host] == {"kind": "outlet", "label": "news.example.com", "type": "Organization"}
    assert graph.has_edge(host, ART2) and graph.has_edge(DAILY, ART1) and graph.has_edge(BOB, ACME)


def test_every_attribute_is_a_plain_scalar(graph):
    for _, d in graph.nodes(data=True):
        assert set(d) == set(ge.NODE_ATTRS) and all(isinstance(v, str) for v in d.values())
    for *_, d in graph.edges(data=True):
        assert set(d) == set(ge.EDGE_ATTRS) and all(isinstance(v, (str, int)) for v in d.values())


def test_stance_edges_carry_evidence(graph):
    (d,) = graph.get_edge_data(ALICE, C1).values()
    assert (d["stance_type"], d["sign"], d["polarity"], d["outlet"]) == ("Denies", -1, "oppose", "Daily News")
    assert d["evidence"] == TRICKY.replace("\x0b", "")
    assert len(graph.get_edge_data(BOB, C1)) == 2  # two stances, two parallel edges


def _edges(G: nx.MultiDiGraph) -> Counter:
    return Counter((u, v, k, tuple(sorted((a, x) for a, x in d.items() if a != "id")))
                   for u, v, k, d in G.edges(keys=True, data=True))


READERS = {
    "graphml": lambda p: nx.read_graphml(p, force_multigraph=True),
    "gexf": nx.read_gexf,
    "json": lambda p: nx.node_link_graph(json.loads(p.read_text(encoding="utf-8")), edges="edges"),
    "csv": lambda p: ge.read_graph("csv", p),
}


@pytest.mark.parametrize("fmt", ge.GRAPH_FORMATS)
def test_export_reads_back_with_networkx(store, graph, tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    assert ge.export_graph(store, fmt, path) == (10, 10)
    back = READERS[fmt](path)
    assert back.is_directed() and back.is_multigraph()
    assert (back.number_of_nodes(), back.number_of_edges()) == (10, 10)
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert _edges(back) == _edges(graph)


def test_csv_is_a_zip_of_nodes_and_edges(store, tmp_path):
    path = tmp_path / "graph.zip"
    ge.export_graph(store, "csv", path)
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["edges.csv", "nodes.csv"]
        nodes = list(csv.DictReader(io.StringIO(z.read("nodes.csv").decode("utf-8"))))
        edges = list(csv.DictReader(io.StringIO(z.read("edges.csv").decode("utf-8"))))
    assert list(nodes[0]) == ["id", "kind", "label", "type"]
    assert list(edges[0])[:4] == ["source", "target", "key", "relation"]
    assert (len(nodes), len(edges)) == (10, 10)


def test_export_refuses_unknown_format_and_missing_folder(store, tmp_path):
    with pytest.raises(ExportError, match="'dot'.*graphml"):
        ge.export_graph(store, "dot", tmp_path / "g.dot")
    with pytest.raises(ExportError, match="does not exist"):
        ge.export_graph(store, "graphml", tmp_path / "missing" / "g.graphml")
