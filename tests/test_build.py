"""The evaluation contract (DESIGN.md): the triples build_graph must produce.

Hand-built records for the exact checks; one model-marked test runs the sample articles
through the whole extraction and checks every evidence span against the body.
"""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from kg.build import build_graph, content_hash
from kg.records import Article, Claim, Entity, Extraction, Span, Stance
from kg.resolve import IdentityIndex, resolve

# Plain Namespaces (rdflib's closed SDO namespace would hide a misspelt term).
SCHEMA = Namespace("https://schema.org/")
FCK = Namespace("https://w3id.org/factcheck-kg/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
STANCE_TYPES = {FCK[t] for t in ("Asserts", "Confirms", "Denies", "Disputes", "Questions")}
ENTITY_CLASSES = {SCHEMA.Person, SCHEMA.Organization, SCHEMA.Place, SCHEMA.CreativeWork}


def span(body: str, text: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Span(start, start + len(text), text)


BODY = ("The Harbor Council on Monday denied that it sold the old depot to Brackwell Systems.\n\n"
        "\u201cWe sold the depot to Brackwell Systems in May,\u201d said Sarah Whitfield, a former clerk.")


def denial_extraction(aid: str = "story/gazette.txt", body: str = BODY) -> Extraction:
    art = Article(id=aid, headline="Council denies depot sale", body=body,
                  url="https://example.org/gazette/depot", date="2026-03-12",
                  publisher="Calder Gazette", authors=("Nadia Ferrante",))
    ents = (Entity("e1", "Harbor Council", "Organization", mentions=(span(body, "Harbor Council"),)),
            Entity("e2", "Brackwell Systems", "Organization",
                   mentions=(span(body, "Brackwell Systems"), span(body, "Brackwell Systems", 1))),
            Entity("e3", "Sarah Whitfield", "Person", mentions=(span(body, "Sarah Whitfield"),)),
            Entity("e4", "Nadia Ferrante", "Person", role="byline"))
    c = Claim("c1", "Harbor Council sold the old depot to Brackwell Systems",
              span(body, "it sold the old depot to Brackwell Systems"), about=("e1", "e2"), predicate="sell",
              lemmas=("brackwell", "council", "depot", "harbor", "old", "sell", "systems"))
    s1 = Stance("s1", "e1", "c1", "Denies", cue=span(body, "denied"),
                content=span(body, "it sold the old depot to Brackwell Systems"),
                source=span(body, "The Harbor Council"), sentence=span(body, body.split("\n\n")[0]))
    quote = "\u201cWe sold the depot to Brackwell Systems in May,\u201d"
    s2 = Stance("s2", "e3", "c1", "Asserts", cue=span(body, "said"), content=span(body, quote),
                source=span(body, "Sarah Whitfield"))
    return Extraction(art, ents, (c,), (s1, s2))


def built(*extractions: Extraction) -> tuple[Graph, list]:
    """Resolve and build the extractions in order into one rdflib Graph (union of all graphs)."""
    index = IdentityIndex()
    g = Graph()
    results = []
    for ex in extractions:
        res = resolve(ex, index)
        graph_iri, triples, shared = build_graph(res, extractor_version="test")
        for t in (*triples, *shared):
            g.add(t)
        results.append((res, graph_iri, triples, shared))
    return g, results


def one(g: Graph, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, f"{s} {p}: expected exactly one value, got {values}"
    return values[0]


def test_article_has_type_headline_identifier_body_and_header_fields():
    g, _ = built(denial_extraction())
    (a,) = g.subjects(RDF.type, SCHEMA.NewsArticle)
    assert one(g, a, SCHEMA.headline) == Literal("Council denies depot sale")
    assert one(g, a, SCHEMA.identifier) == Literal("story/gazette.txt")
    assert str(one(g, a, SCHEMA.articleBody)) == BODY
    assert str(one(g, a, SCHEMA.url)) == "https://example.org/gazette/depot"
    assert str(one(g, a, SCHEMA.datePublished)) == "2026-03-12"
    publisher = one(g, a, SCHEMA.publisher)
    assert str(one(g, publisher, RDFS.label)) == "Calder Gazette"
    author = one(g, a, SCHEMA.author)
    assert str(one(g, author, RDFS.label)) == "Nadia Ferrante"
    assert (author, RDF.type, SCHEMA.Person) in g


def test_byline_author_is_author_but_not_mentioned():
    g, _ = built(denial_extraction())
    (a,) = g.subjects(RDF.type, SCHEMA.NewsArticle)
    author = one(g, a, SCHEMA.author)
    assert (a, SCHEMA.mentions, author) not in g


def test_every_mentioned_entity_has_a_type_and_one_label():
    g, _ = built(denial_extraction())
    (a,) = g.subjects(RDF.type, SCHEMA.NewsArticle)
    mentioned = set(g.objects(a, SCHEMA.mentions))
    labels = {str(one(g, e, RDFS.label)) for e in mentioned}
    assert labels == {"Harbor Council", "Brackwell Systems", "Sarah Whitfield"}
    for e in mentioned:
        assert set(g.objects(e, RDF.type)) & ENTITY_CLASSES, f"{e} has no schema.org entity type"
    whitfield = next(e for e in mentioned if str(g.value(e, RDFS.label)) == "Sarah Whitfield")
    assert (whitfield, RDF.type, SCHEMA.Person) in g


def test_claim_has_type_exactly_one_text_and_its_appearance():
    g, _ = built(denial_extraction())
    (a,) = g.subjects(RDF.type, SCHEMA.NewsArticle)
    (c,) = g.subjects(RDF.type, SCHEMA.Claim)
    assert one(g, c, SCHEMA.text) == Literal("Harbor Council sold the old depot to Brackwell Systems")
    assert list(g.objects(c, SCHEMA.appearance)) == [a]


def test_claim_reported_by_two_articles_is_one_node_with_one_text_and_two_appearances():
    body_b = BODY.replace("Monday", "Tuesday")
    g, _ = built(denial_extraction(), denial_extraction("story/ledger.txt", body_b))
    claims = list(g.subjects(RDF.type, SCHEMA.Claim))
    assert len(claims) == 1
    (c,) = claims
    assert len(list(g.objects(c, SCHEMA.text))) == 1
    assert set(g.objects(c, SCHEMA.appearance)) == set(g.subjects(RDF.type, SCHEMA.NewsArticle))
    assert len(set(g.objects(c, SCHEMA.appearance))) == 2


def test_stance_has_holder_claim_type_and_derivation():
    g, _ = built(denial_extraction())
    (a,) = g.subjects(RDF.type, SCHEMA.NewsArticle)
    (c,) = g.subjects(RDF.type, SCHEMA.Claim)
    stances = list(g.subjects(RDF.type, FCK.Stance))
    assert len(stances) == 2
    by_holder = {str(g.value(one(g, s, FCK.holder), RDFS.label)): s for s in stances}
    assert set(by_holder) == {"Harbor Council", "Sarah Whitfield"}
    assert one(g, by_holder["Harbor Council"], FCK.stanceType) == FCK.Denies
    assert one(g, by_holder["Sarah Whitfield"], FCK.stanceType) == FCK.Asserts
    for s in stances:
        assert one(g, s, FCK.claim) == c
        assert one(g, s, FCK.stanceType) in STANCE_TYPES
        assert one(g, s, PROV.wasDerivedFrom) == a


def _check_spans(g: Graph) -> int:
    """Every stance has source, cue and content spans quoting the body; returns spans checked."""
    checked = 0
    for s in g.subjects(RDF.type, FCK.Stance):
        a = one(g, s, PROV.wasDerivedFrom)
        body = str(one(g, a, SCHEMA.articleBody))
        for prop in (FCK.sourceSpan, FCK.cueSpan, FCK.contentSpan):
            node = one(g, s, prop)
            start, end = int(one(g, node, OA.start)), int(one(g, node, OA.end))
            exact = str(one(g, node, OA.exact))
            assert 0 <= start < end <= len(body), (s, prop, start, end)
            assert body[start:end] == exact, (s, prop, body[start:end], exact)
            checked += 1
    return checked


def test_stance_spans_carry_offsets_and_exact_text_of_the_body():
    g, _ = built(denial_extraction())
    assert _check_spans(g) == 6
    cue_texts = {str(g.value(g.value(s, FCK.cueSpan), OA.exact)) for s in g.subjects(RDF.type, FCK.Stance)}
    assert cue_texts == {"denied", "said"}


def test_article_graph_and_shared_triples_are_separated():
    _, [(_, graph_iri, triples, shared)] = built(denial_extraction())
    assert any(t[1] == RDF.type and t[2] == FCK.Stance for t in triples)
    assert all(not (t[1] == RDF.type and t[2] == FCK.Stance) for t in shared)
    assert any(t[1] == SCHEMA.text for t in shared)
    assert isinstance(graph_iri, URIRef)
    assert all(t[1] != SCHEMA.articleBody for t in shared)


def test_content_hash_changes_with_the_body_only_when_content_changes():
    art = denial_extraction().article
    same = Article(**{**art.__dict__})
    changed = Article(**{**art.__dict__, "body": art.body + " More."})
    assert content_hash(art) == content_hash(same)
    assert content_hash(art) != content_hash(changed)


@pytest.mark.model
def test_sample_articles_meet_the_contract_and_spans_quote_the_body(nlp, examples_dir):
    from kg.extract import extract_many
    from kg.sources import read_articles

    articles = [a for a in read_articles([examples_dir]) if isinstance(a, Article)]
    assert len(articles) == 8
    g, _ = built(*extract_many(articles, nlp))
    assert len(set(g.subjects(RDF.type, SCHEMA.NewsArticle))) == 8
    assert _check_spans(g) >= 3 * 40, "the samples should give dozens of stances"
    for c in g.subjects(RDF.type, SCHEMA.Claim):
        assert len(list(g.objects(c, SCHEMA.text))) == 1, c
        assert list(g.objects(c, SCHEMA.appearance)), c
        assert len(str(g.value(c, SCHEMA.text)).split()) <= 60
    for s in g.subjects(RDF.type, FCK.Stance):
        holder = one(g, s, FCK.holder)
        assert g.value(holder, RDFS.label) is not None, holder
