"""Analysis: projections and metrics on a small hand-built store, answers worked out by hand.

The store (see STORY): six claims, eight holders, four articles from four outlets.

=====  ==========================================  =====================================
claim  sides (holder: net sign of its stances)      S / O / neutral -> balance, score
=====  ==========================================  =====================================
C1     W +, K -, P - (art1 Denies + art2 Questions)  1 / 2 / 0 -> 2/3, 2/3 ln 4 = 0.9242
C2     W +, K +, A +, T - (twice), N 0               3 / 1 / 1 -> 1/2, 1/2 ln 5 = 0.8047
C3     A +, B +                                      2 / 0 / 0 -> 0
C4     A +, B +, K -, T -                            2 / 2 / 0 -> 1, ln 5 = 1.6094
C5     N 0                                           0 / 0 / 1 -> 0
C6     X +                                           1 / 0 / 0 -> 0
=====  ==========================================  =====================================
"""
from __future__ import annotations

import doctest
import math
import os
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Literal, Namespace, URIRef

from kg import analysis as an
from kg import iris
from kg.namespaces import FCK, KGID, OA, PROV, RDF, RDFS
from kg import namespaces as ns
from kg.query import format_result
from kg.store import Store

SCHEMA = Namespace(str(ns.SCHEMA))  # a plain Namespace: pytest trips over rdflib's closed SDO
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

PEOPLE = {"W": ("Bob Woodward", "Person"), "K": ("Kremlin", "Organization"), "P": ("Dmitry Peskov", "Person"),
          "T": ("Donald Trump", "Person"), "N": ("Fact Desk", "Organization"), "A": ("Alice Adams", "Person"),
          "B": ("Bob Brown", "Person"), "X": ("Xavier Xu", "Person")}
CLAIMS = {f"C{i}": f"claim number {i}" for i in range(1, 7)}
# article: (publisher, url, claims appearing without a stance, stances (holder, claim, type))
STORY = {
    "art1": ("Moscow Times", None, ["C3"], [("W", "C1", "Asserts"), ("K", "C1", "Denies"),
                                            ("P", "C1", "Denies"), ("W", "C2", "Asserts")]),
    "art2": ("NBC News", None, [], [("P", "C1", "Questions"), ("K", "C2", "Confirms"), ("N", "C2", "Questions"),
                                    ("T", "C2", "Denies"), ("W", "C2", "Asserts")]),
    "art3": (None, "https://www.example.org/story", [], [
        ("A", "C2", "Asserts"), ("T", "C2", "Denies"), ("A", "C3", "Asserts"), ("B", "C3", "Asserts"),
        ("A", "C4", "Asserts"), ("B", "C4", "Asserts"), ("K", "C4", "Denies"), ("T", "C4", "Disputes")]),
    "art4": (None, None, [], [("N", "C5", "Questions"), ("X", "C6", "Asserts")]),
}


def E(key: str) -> str:
    return str(KGID[f"entity/{key}"])


def C(key: str) -> str:
    return str(KGID[f"claim/{key}"])


def A(key: str) -> str:
    return str(KGID[f"article/{key}"])


def sentence(holder: str, kind: str, claim: str) -> str:
    return f"{PEOPLE[holder][0]} {kind.lower()} {CLAIMS[claim]}."


def _shared() -> list[tuple]:
    t = []
    for key, (name, cls) in PEOPLE.items():
        t += [(URIRef(E(key)), RDF.type, SCHEMA[cls]), (URIRef(E(key)), RDFS.label, Literal(name))]
    for key, text in CLAIMS.items():
        t += [(URIRef(C(key)), RDF.type, SCHEMA.Claim), (URIRef(C(key)), SCHEMA.text, Literal(text))]
    return t + [(URIRef(E("P")), SCHEMA.memberOf, URIRef(E("K")))]


def _article(key: str, publisher: str | None, url: str | None, bare: list[str], stances: list) -> tuple[list, list]:
    a = URIRef(A(key))
    g = [(a, RDF.type, SCHEMA.NewsArticle), (a, SCHEMA.identifier, Literal(f"story/{key}.txt")),
         (a, SCHEMA.headline, Literal(f"Headline {key}"))]
    shared = []
    if publisher:
        pub = URIRef(iris.entity_iri("Organization", publisher))
        g.append((a, SCHEMA.publisher, pub))
        shared += [(pub, RDF.type, SCHEMA.Organization), (pub, RDFS.label, Literal(publisher))]
    if url:
        g.append((a, SCHEMA.url, URIRef(url)))
    g += [(URIRef(C(c)), SCHEMA.appearance, a) for c in bare + [c for _, c, _ in stances]]
    g += [(a, SCHEMA.mentions, URIRef(E(h))) for h in {h for h, _, _ in stances}]
    for i, (h, c, kind) in enumerate(stances):
        s, span = URIRef(f"{a}/stance/{i}"), URIRef(f"{a}/stance/{i}/sentence")
        g += [(s, RDF.type, FCK.Stance), (s, FCK.holder, URIRef(E(h))), (s, FCK.claim, URIRef(C(c))),
              (s, FCK.stanceType, FCK[kind]), (s, PROV.wasDerivedFrom, a), (s, FCK.sentenceSpan, span),
              (span, OA.exact, Literal(sentence(h, kind, c)))]
    return g, shared


def build_store() -> Store:
    store = Store(":memory:")
    store.replace_graph(str(KGID["graph/shared-seed"]), [], _shared())
    for key, (publisher, url, bare, stances) in STORY.items():
        g, shared = _article(key, publisher, url, bare, stances)
        store.replace_graph(iris.article_graph_iri(key), g, shared)
    return store


@pytest.fixture(scope="module")
def store() -> Store:
    return build_store()


@pytest.fixture(scope="module")
def stances(store: Store) -> nx.MultiDiGraph:
    return an.stance_graph(store)


# -- projections -------------------------------------------------------------------------------
def test_stance_graph_has_one_signed_edge_per_stance(stances):
    assert stances.number_of_nodes() == 8 + 6
    assert stances.number_of_edges() == 19
    assert stances.nodes[E("P")] == {"kind": "actor", "label": "Dmitry Peskov", "type": "Person"}
    assert stances.nodes[C("C1")] == {"kind": "claim", "label": "claim number 1", "type": "Claim"}
    edges = sorted(stances.get_edge_data(E("P"), C("C1")).values(), key=lambda d: d["article"])
    assert [(d["stance_type"], d["sign"], d["polarity"], d["outlet"]) for d in edges] == [
        ("Denies", -1, "oppose", "Moscow Times"), ("Questions", 0, "neutral", "NBC News")]
    assert edges[0]["evidence"] == "Dmitry Peskov denies claim number 1."
    assert edges[0]["article"] == A("art1")


def test_outlet_falls_back_to_url_host_then_identifier(stances):
    assert stances.get_edge_data(E("A"), C("C4"))[f"{A('art3')}/stance/4"]["outlet"] == "example.org"
    assert next(iter(stances.get_edge_data(E("X"), C("C6")).values()))["outlet"] == "story/art4.txt"


def test_alignment_graph_signs(stances):
    G = an.alignment_graph(stances)
    assert set(G) == {E(k) for k in PEOPLE}
    assert G.number_of_edges() == 11
    expect = {("K", "P"): (1, 0, 1), ("W", "A"): (1, 0, 1), ("A", "B"): (2, 0, 1), ("W", "P"): (0, 1, -1),
              ("A", "T"): (0, 2, -1), ("W", "K"): (1, 1, 0), ("K", "T"): (1, 1, 0), ("B", "K"): (0, 1, -1)}
    for (u, v), (agree, oppose, sign) in expect.items():
        d = G.edges[E(u), E(v)]
        assert (d["agree"], d["oppose"], d["sign"], d["weight"]) == (agree, oppose, sign, agree + oppose), (u, v)
    assert G.degree(E("N")) == 0  # neutral only: no alignment


def test_alignment_graph_from_store_equals_from_stance_graph(store, stances):
    assert nx.utils.edges_equal(an.alignment_graph(store).edges(data=True), an.alignment_graph(stances).edges(data=True))


def test_alignment_communities_split_on_positive_edges(stances):
    comm = an.alignment_communities(an.alignment_graph(stances))
    assert comm[E("W")] == comm[E("A")] == comm[E("B")] == 0
    assert comm[E("K")] == comm[E("P")] == 1
    assert len({comm[E(k)] for k in "TNX"}) == 3 and not {comm[E(k)] for k in "TNX"} & {0, 1}
    assert comm == an.alignment_communities(an.alignment_graph(stances))  # seeded: stable


def test_comention_graph_counts_articles(store):
    G = an.comention_graph(store)
    assert G.edges[E("K"), E("P")]["weight"] == 2
    assert G.edges[E("K"), E("T")]["weight"] == 2
    assert G.edges[E("N"), E("X")]["weight"] == 1
    assert not G.has_edge(E("X"), E("W"))


def test_outlet_claim_graph(store):
    G = an.outlet_claim_graph(store)
    o1, o2 = iris.entity_iri("Organization", "Moscow Times"), iris.entity_iri("Organization", "NBC News")
    assert G.number_of_nodes() == 4 + 6 and G.number_of_edges() == 10
    assert G.nodes[o1] == {"kind": "outlet", "label": "Moscow Times", "type": "Organization"}
    d = G.edges[o1, C("C1")]
    assert (d["articles"], d["support"], d["oppose"], d["neutral"], d["sign"]) == (1, 1, 2, 0, -1)
    assert G.edges[o1, C("C3")]["sign"] == 0  # reported without a stance
    assert (G.edges[o2, C("C2")]["support"], G.edges[o2, C("C2")]["neutral"]) == (2, 1)


# -- metrics -----------------------------------------------------------------------------------
def test_docstring_examples_run():
    result = doctest.testmod(an)
    assert result.attempted >= 6 and result.failed == 0


def test_controversy_scores(stances):
    got = an.controversy(stances)
    assert got[C("C1")] == pytest.approx(2 / 3 * math.log(4))
    assert got[C("C2")] == pytest.approx(0.5 * math.log(5))
    assert got[C("C4")] == pytest.approx(math.log(5))
    assert got[C("C3")] == got[C("C5")] == got[C("C6")] == 0
    balance = an.controversy(stances, weighted=False)
    assert balance[C("C1")] == pytest.approx(2 / 3) and balance[C("C4")] == 1.0


def test_contested_claims_ranking_and_sides(store):
    got = an.contested_claims(store, top=10)
    assert [r.claim for r in got] == [C("C4"), C("C1"), C("C2")]
    assert [round(r.score, 4) for r in got] == [1.6094, 0.9242, 0.8047]
    c2 = got[2]
    assert c2.text == "claim number 2" and c2.controversy == 0.5
    assert [a.label for a in c2.supporters] == ["Alice Adams", "Bob Woodward", "Kremlin"]
    assert [a.label for a in c2.opposers] == ["Donald Trump"]
    assert [(a.iri, a.label) for a in c2.neutrals] == [(E("N"), "Fact Desk")]
    assert c2.outlets == ("Moscow Times", "NBC News", "example.org")
    assert [r.claim for r in an.contested_claims(store, top=2)] == [C("C4"), C("C1")]


def test_contested_claims_agree_with_controversy(store, stances):
    scores = an.controversy(stances)
    for r in an.contested_claims(store):
        assert r.score == pytest.approx(scores[r.claim])


def test_contested_claims_as_table(store):
    text = format_result(an.to_result(an.contested_claims(store, top=1)), "csv")
    assert text.splitlines()[0] == "claim,text,score,controversy,supporters,opposers,neutrals,outlets"
    assert "Alice Adams; Bob Brown" in text


def test_centrality_kinds(stances):
    degree = an.centrality(stances, kind="degree")
    assert degree[E("K")] == pytest.approx(3 / 13)  # C1, C2, C4 of 13 other nodes
    assert sum(an.centrality(stances).values()) == pytest.approx(1.0)
    exact = an.centrality(stances, kind="betweenness")
    # N is the only way from C5 to the 10 other nodes of its component; normalised by 2/(13*12)
    assert exact[E("N")] == pytest.approx(10 * 2 / (13 * 12))
    assert exact[E("P")] == exact[E("X")] == exact[C("C6")] == 0
    sampled = an.centrality(stances, kind="betweenness", k=5)
    assert sampled == an.centrality(stances, kind="betweenness", k=5)  # fixed seed
    assert an.centrality(stances, kind="betweenness", k=100) == exact
    with pytest.raises(an.AnalysisError, match="closeness"):
        an.centrality(stances, kind="closeness")


def test_corroboration(store):
    got = an.corroboration(store)
    c1, c2, c3 = got[C("C1")], got[C("C2")], got[C("C3")]
    assert (c1.outlets, c1.shared_holders, c1.agree, c1.conflicts) == (2, 1, False, ("Dmitry Peskov",))
    assert (c2.outlets, c2.shared_holders, c2.agree, c2.conflicts) == (3, 2, True, ())
    assert c2.outlet_labels == ("Moscow Times", "NBC News", "example.org")
    assert (c3.outlets, c3.shared_holders, c3.agree) == (2, 0, None)
    assert got[C("C6")].outlet_labels == ("story/art4.txt",)


def test_outlet_agreement(store):
    got = {(r.label_a, r.label_b): (r.shared_claims, r.compared, r.agreed, r.score) for r in an.outlet_agreement(store)}
    assert got == {("Moscow Times", "NBC News"): (2, 2, 1, 0.5),
                   ("Moscow Times", "example.org"): (2, 0, 0, None),
                   ("NBC News", "example.org"): (1, 1, 1, 1.0)}
    m = an.agreement_matrix(an.outlet_agreement(store))
    assert m["NBC News"]["Moscow Times"] == m["Moscow Times"]["NBC News"] == 0.5


def test_explanation_path_with_evidence(store):
    steps = an.explanation_path(store, "Bob Brown", "the Kremlin's")
    assert [(s.source_label, s.target_label) for s in steps] == [
        ("Bob Brown", "claim number 4"), ("claim number 4", "Kremlin")]
    steps = an.explanation_path(store, E("B"), "dmitry peskov")
    assert [s.target for s in steps] == [C("C4"), E("K"), C("C1"), E("P")]
    assert [e.sentence for e in steps[1].evidence] == ["Kremlin denies claim number 4."]
    last = steps[-1].evidence
    assert [(e.stance_type, e.outlet) for e in last] == [("Denies", "Moscow Times"), ("Questions", "NBC News")]
    assert an.explanation_path(store, "Bob Brown", "Bob Brown") == []


def test_explanation_path_errors(stances):
    with pytest.raises(an.AnalysisError, match="Nobody"):
        an.explanation_path(stances, "Nobody", "Kremlin")
    with pytest.raises(an.AnalysisError, match="no chain"):
        an.explanation_path(stances, "Xavier Xu", "Kremlin")


# -- writing -----------------------------------------------------------------------------------
def _graph_sizes(store: Store) -> dict[str, int]:
    return {r["g"]: r["n"] for r in store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}


def test_write_analysis_replaces_its_own_graph_only():
    store = build_store()
    before = _graph_sizes(store)
    assert an.write_analysis(store) == 6
    assert an.write_analysis(store) == 6
    after = _graph_sizes(store)
    assert after.pop(str(an.ANALYSIS_GRAPH)) == 6
    assert after == before
    rows = store.select("SELECT ?c ?v ?g WHERE { GRAPH ?g { ?c fck:controversy ?v } }", {"g": an.ANALYSIS_GRAPH})
    got = {r["c"]: r["v"] for r in rows}
    assert got == {C("C1"): 0.666667, C("C2"): 0.5, C("C3"): 0.0, C("C4"): 1.0, C("C5"): 0.0, C("C6"): 0.0}


# -- the shared seeds --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_store() -> Store:
    if not SHARED.is_dir():
        if os.environ.get("KG_REQUIRE_SHARED") == "1":
            pytest.fail(f"KG_REQUIRE_SHARED=1 but {SHARED} is missing")
        pytest.skip(f"{SHARED} not present")
    from kg.ingest import ingest

    store = Store(":memory:")
    report = ingest([str(SHARED / "corpus" / "seeds")], store)
    assert report.articles == 2 and not report.failures
    return store


def _labels(actors) -> str:
    return " ".join(a.label for a in actors)


@pytest.mark.shared
@pytest.mark.model
def test_seed_claims_are_contested_with_woodward_against_kremlin(seed_store):
    top = an.contested_claims(seed_store, top=10)
    calls = [r for r in top if "Putin" in r.text and re.search(r"\b(spok|spoke|phone|call|talk)", r.text, re.I)]
    tests = [r for r in top if re.search(r"covid|test", r.text, re.I)]
    assert calls and tests, [r.text for r in top]
    for r in calls[:1] + tests[:1]:
        assert r.supporters and r.opposers
    sides = (_labels(calls[0].supporters), _labels(calls[0].opposers))
    assert any("Woodward" in a and re.search("Kremlin|Peskov", b) for a, b in (sides, sides[::-1])), sides
