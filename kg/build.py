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
# Terms used for every stance and span, looked up once (a Namespace attribute is a method call).
_SPAN_PROPS = (("cue", FCK.cueSpan), ("content", FCK.contentSpan), ("source", FCK.sourceSpan),
               ("sentence", FCK.sentenceSpan))
_TYPE, _TEXT_SPAN, _START, _END, _EXACT = RDF.type, FCK.TextSpan, OA.start, OA.end, OA.exact
_STANCE, _HOLDER, _CLAIM, _STYPE, _DERIVED = FCK.Stance, FCK.holder, FCK.claim, FCK.stanceType, PROV.wasDerivedFrom
_STANCE_TYPES: dict[str, URIRef] = {}
_OFFSETS: dict[int, Literal] = {}      # offset -> its xsd:nonNegativeInteger literal
_NNI = XSD.nonNegativeInteger
_MAX_MEMO = 1 << 16                    # offsets below this are memoised (bounded: 64k literals at most)


def _offset(n: int) -> Literal:
    """``Literal(n, datatype=xsd:nonNegativeInteger)``, memoised for the offsets of ordinary
    articles: building an rdflib Literal parses its value, a third of build_graph's time."""
    lit = _OFFSETS.get(n)
    if lit is None:
        lit = Literal(n, datatype=_NNI)
        if n < _MAX_MEMO:
            _OFFSETS[n] = lit
    return lit


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
    stype = _STANCE_TYPES.get(s.stance_type)
    if stype is None:
        stype = _STANCE_TYPES[s.stance_type] = FCK[s.stance_type]
    g += [(st, _TYPE, _STANCE), (st, _HOLDER, URIRef(res.entity_iris[s.holder])),
          (st, _CLAIM, URIRef(res.claim_iris[s.claim])), (st, _STYPE, stype), (st, _DERIVED, a)]
    for (role, prop), span in zip(_SPAN_PROPS, (s.cue, s.content, s.source, s.sentence)):
        if span is not None:
            _span(URIRef(iris.span_iri(st, role)), prop, span, st, g)


def _span(node: URIRef, prop: URIRef, span: Span, st: URIRef, g: list[Triple]) -> None:
    g += [(st, prop, node), (node, _TYPE, _TEXT_SPAN), (node, _START, _offset(span.start)),
          (node, _END, _offset(span.end)), (node, _EXACT, Literal(span.text))]
