"""Build stage: a resolved extraction -> RDF (one named graph per article + shared nodes).

Article graph: the article, its mentions, claim appearances, affiliations and stances with
their Web Annotation spans. Shared graph: entity types and labels, claim texts and the
features claim identity needs (written once, when a node is first seen).
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.term import Node

from . import iris
from .namespaces import FCK, OA, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from .records import Article, Stance
from .resolve import Resolution

Triple = tuple[Node, Node, Node]
SCHEMA_TYPE = {"Person": SCHEMA.Person, "Organization": SCHEMA.Organization,
               "Place": SCHEMA.Place, "CreativeWork": SCHEMA.CreativeWork,
               "UnnamedSource": FCK.UnnamedSource}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Terms looked up once (a Namespace attribute is a method call, and build_graph writes a few
# hundred triples per article).
_SPAN_PROPS = (("cue", FCK.cueSpan), ("content", FCK.contentSpan), ("source", FCK.sourceSpan),
               ("sentence", FCK.sentenceSpan))
_TYPE, _LABEL, _ALT_LABEL = RDF.type, RDFS.label, SKOS.altLabel
_TEXT_SPAN, _START, _END, _EXACT = FCK.TextSpan, OA.start, OA.end, OA.exact
_STANCE, _HOLDER, _CLAIM, _STYPE, _DERIVED = FCK.Stance, FCK.holder, FCK.claim, FCK.stanceType, PROV.wasDerivedFrom
_MENTIONS, _MEMBER_OF, _AUTHOR, _PUBLISHER = SCHEMA.mentions, SCHEMA.memberOf, SCHEMA.author, SCHEMA.publisher
_ORGANIZATION, _CLAIM_TYPE, _TEXT, _ABOUT, _APPEARANCE = (SCHEMA.Organization, SCHEMA.Claim, SCHEMA.text,
                                                          SCHEMA.about, SCHEMA.appearance)
_PREDICATE, _SIGNATURE = FCK.predicate, FCK.signature
_STANCE_TYPES: dict[str, URIRef] = {}
_OFFSETS: dict[int, Literal] = {}      # offset -> its xsd:nonNegativeInteger literal
_NNI = XSD.nonNegativeInteger
_MAX_MEMO = 1 << 16                    # offsets below this are memoised (bounded: 64k literals at most)


def _plain(text: str) -> Literal:
    """``Literal(text)`` for a plain string. ``normalize=False`` skips casting the value back to
    a lexical form, which for a string without datatype is the string itself: the same term,
    a third cheaper."""
    return Literal(text, normalize=False)


@lru_cache(maxsize=1 << 12)
def _recurring(text: str) -> Literal:
    """:func:`_plain` for the short texts that recur, memoised (terms are immutable): the texts
    of a stance's four spans, the most frequent terms of an article's graph, where a cue word,
    a pronoun source or a sentence with several stances comes back (a quarter of span texts
    within an article, a third across articles); names and predicates."""
    return _plain(text)


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
    # one term per entity and claim, shared by the triples (and stances) that name it
    ent_refs = {k: URIRef(iri) for k, iri in res.entity_iris.items()}
    claim_refs = {k: URIRef(iri) for k, iri in res.claim_iris.items()}
    for e in ex.entities:
        e_iri = ent_refs[e.key]
        if e.role == "subject":
            g.append((a, _MENTIONS, e_iri))
        if res.entity_iris[e.key] in res.new_entities:
            shared += [(e_iri, _TYPE, SCHEMA_TYPE[e.type]), (e_iri, _LABEL, _recurring(e.name))]
        for alias in e.aliases:
            if iris.normalise(alias) != iris.normalise(e.name):
                shared.append((e_iri, _ALT_LABEL, _recurring(alias)))
        if e.affiliation and e.affiliation in ent_refs:
            g.append((e_iri, _MEMBER_OF, ent_refs[e.affiliation]))
        if e.role == "byline":
            g.append((a, _AUTHOR, e_iri))
    if art.publisher:
        pub = URIRef(iris.entity_iri("Organization", art.publisher))
        g.append((a, _PUBLISHER, pub))
        shared += [(pub, _TYPE, _ORGANIZATION), (pub, _LABEL, _recurring(art.publisher))]
    written: set[str] = set()
    for c in ex.claims:
        iri = res.claim_iris[c.key]
        c_iri = claim_refs[c.key]
        g.append((c_iri, _APPEARANCE, a))
        if iri in res.new_claims and iri not in written:
            written.add(iri)
            shared += [(c_iri, _TYPE, _CLAIM_TYPE), (c_iri, _TEXT, _plain(c.text))]
            shared += [(c_iri, _ABOUT, ent_refs[k]) for k in c.about if k in ent_refs]
            if c.predicate:
                shared.append((c_iri, _PREDICATE, _recurring(c.predicate)))
            sig = res.signatures.get(iri)
            if sig is not None:
                shared.append((c_iri, _SIGNATURE, _plain(sig)))
        elif iris.normalise(c.text) != "":
            g.append((c_iri, _ALT_LABEL, _plain(c.text)))
    for s in ex.stances:
        _stance(s, a, art.id, ent_refs, claim_refs, g)
    return URIRef(iris.article_graph_iri(art.id)), g, shared


def _article(a: URIRef, art: Article, g: list[Triple], version: str) -> None:
    g += [(a, _TYPE, SCHEMA.NewsArticle), (a, SCHEMA.headline, _plain(art.headline)),
          (a, SCHEMA.identifier, _plain(art.id)), (a, SCHEMA.articleBody, _plain(art.body)),
          (a, FCK.contentHash, _plain(content_hash(art)))]
    if art.url:
        g.append((a, SCHEMA.url, URIRef(art.url) if re.match(r"^https?://\S+$", art.url) else _plain(art.url)))
    if art.date:
        g.append((a, SCHEMA.datePublished, Literal(art.date, datatype=XSD.date) if DATE_RE.match(art.date)
                  else _plain(art.date)))
    if art.source_path:
        g.append((a, FCK.sourceFile, _plain(art.source_path)))
    if version:
        g.append((a, FCK.extractorVersion, _plain(version)))


def _stance(s: Stance, a: URIRef, article_id: str, ent_refs: dict[str, URIRef], claim_refs: dict[str, URIRef],
            g: list[Triple]) -> None:
    st = URIRef(iris.stance_iri(article_id, s.key))
    stype = _STANCE_TYPES.get(s.stance_type)
    if stype is None:
        stype = _STANCE_TYPES[s.stance_type] = FCK[s.stance_type]
    g += [(st, _TYPE, _STANCE), (st, _HOLDER, ent_refs[s.holder]),
          (st, _CLAIM, claim_refs[s.claim]), (st, _STYPE, stype), (st, _DERIVED, a)]
    for (role, prop), span in zip(_SPAN_PROPS, (s.cue, s.content, s.source, s.sentence)):
        if span is not None:
            node = URIRef(iris.span_iri(st, role))
            g += [(st, prop, node), (node, _TYPE, _TEXT_SPAN), (node, _START, _offset(span.start)),
                  (node, _END, _offset(span.end)), (node, _EXACT, _recurring(span.text))]
