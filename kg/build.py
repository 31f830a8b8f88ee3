"""Build stage: a resolved extraction -> RDF (one named graph per article + shared nodes).

Article graph: the article, its mentions, claim appearances, affiliations and stances with
their Web Annotation spans. Shared graph: entity types and labels, claim texts and the
features claim identity needs (written once, when a node is first seen).
"""
from __future__ import annotations

import hashlib
import re

from rdflib import Literal, URIRef
from rdflib.term import Node

from . import iris
from .namespaces import FCK, OA, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from .records import Article, Span
from .resolve import Resolution

Triple = tuple[Node, Node, Node]
SCHEMA_TYPE = {"Person": SCHEMA.Person, "Organization": SCHEMA.Organization,
               "Place": SCHEMA.Place, "CreativeWork": SCHEMA.CreativeWork,
               "UnnamedSource": FCK.UnnamedSource}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def content_hash(article: Article) -> str:
    """SHA-256 over everything of an article that reaches the graph."""
    h = hashlib.sha256()
    for part in (article.id, article.headline, article.body, article.url or "", article.date or "",
                 article.publisher or "", "\x1f".join(article.authors), "\x1f".join(article.credits)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1e")
    return h.hexdigest()


def build_graph(res: Resolution, *, extractor_version: str = "") -> tuple[URIRef, list[Triple], list[Triple]]:
    """Return (article graph IRI, article triples, shared triples)."""
    ex = res.extraction
    art = ex.article
    a = URIRef(iris.article_iri(art.id))
    g: list[Triple] = []
    shared: list[Triple] = []
    _article(a, art, g, extractor_version)
    for e in ex.entities:
        e_iri = URIRef(res.entity_iris[e.key])
        if e.role == "subject":
            g.append((a, SCHEMA.mentions, e_iri))
        if res.entity_iris[e.key] in res.new_entities:
            shared += [(e_iri, RDF.type, SCHEMA_TYPE[e.type]), (e_iri, RDFS.label, Literal(e.name))]
        for alias in e.aliases:
            if iris.normalise(alias) != iris.normalise(e.name):
                shared.append((e_iri, SKOS.altLabel, Literal(alias)))
        if e.affiliation and e.affiliation in res.entity_iris:
            g.append((e_iri, SCHEMA.memberOf, URIRef(res.entity_iris[e.affiliation])))
        if e.role == "byline":
            g.append((a, SCHEMA.author, e_iri))
    if art.publisher:
        pub = URIRef(iris.entity_iri("Organization", art.publisher))
        g.append((a, SCHEMA.publisher, pub))
        shared += [(pub, RDF.type, SCHEMA.Organization), (pub, RDFS.label, Literal(art.publisher))]
    written: set[str] = set()
    for c in ex.claims:
        c_iri = URIRef(res.claim_iris[c.key])
        g.append((c_iri, SCHEMA.appearance, a))
        if res.claim_iris[c.key] in res.new_claims and res.claim_iris[c.key] not in written:
            written.add(res.claim_iris[c.key])
            shared += [(c_iri, RDF.type, SCHEMA.Claim), (c_iri, SCHEMA.text, Literal(c.text))]
            shared += [(c_iri, SCHEMA.about, URIRef(res.entity_iris[k])) for k in c.about if k in res.entity_iris]
            if c.predicate:
                shared.append((c_iri, FCK.predicate, Literal(c.predicate)))
            sig = res.signatures.get(res.claim_iris[c.key])
            if sig is not None:
                shared.append((c_iri, FCK.signature, Literal(sig)))
        elif iris.normalise(c.text) != "":
            g.append((c_iri, SKOS.altLabel, Literal(c.text)))
    for s in ex.stances:
        _stance(s, a, art.id, res, g)
    return URIRef(iris.article_graph_iri(art.id)), g, shared


def _article(a: URIRef, art: Article, g: list[Triple], version: str) -> None:
    g += [(a, RDF.type, SCHEMA.NewsArticle), (a, SCHEMA.headline, Literal(art.headline)),
          (a, SCHEMA.identifier, Literal(art.id)), (a, SCHEMA.articleBody, Literal(art.body)),
          (a, FCK.contentHash, Literal(content_hash(art)))]
    if art.url:
        g.append((a, SCHEMA.url, URIRef(art.url) if re.match(r"^https?://\S+$", art.url) else Literal(art.url)))
    if art.date:
        g.append((a, SCHEMA.datePublished, Literal(art.date, datatype=XSD.date) if DATE_RE.match(art.date)
                  else Literal(art.date)))
    if art.source_path:
        g.append((a, FCK.sourceFile, Literal(art.source_path)))
    if version:
        g.append((a, FCK.extractorVersion, Literal(version)))


def _stance(s, a: URIRef, article_id: str, res: Resolution, g: list[Triple]) -> None:
    st = URIRef(iris.stance_iri(article_id, s.key))
    g += [(st, RDF.type, FCK.Stance), (st, FCK.holder, URIRef(res.entity_iris[s.holder])),
          (st, FCK.claim, URIRef(res.claim_iris[s.claim])), (st, FCK.stanceType, FCK[s.stance_type]),
          (st, PROV.wasDerivedFrom, a)]
    for role, prop, span in (("cue", FCK.cueSpan, s.cue), ("content", FCK.contentSpan, s.content),
                             ("source", FCK.sourceSpan, s.source), ("sentence", FCK.sentenceSpan, s.sentence)):
        if span is not None:
            _span(URIRef(iris.span_iri(str(st), role)), prop, span, st, g)


def _span(node: URIRef, prop: URIRef, span: Span, st: URIRef, g: list[Triple]) -> None:
    g += [(st, prop, node), (node, RDF.type, FCK.TextSpan),
          (node, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)),
          (node, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)),
          (node, OA.exact, Literal(span.text))]
