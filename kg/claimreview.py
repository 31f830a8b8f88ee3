"""Fact-checkers' verdicts: ClaimReview documents into the graph, and back out as JSON-LD.

Import (``import_reviews``, called by kg.ingest after the articles of a batch): each review
document is resolved with the same identity index as articles (kg/extract/reviewed.py gives
its claims the features; kg/resolve.py joins them to known claims), built into quads here and
written into its own named graph, ``id/graph/<uuid5(graph|claimreview|<file id>)>``, in one
transaction: re-importing the file replaces exactly that graph.

Per review, in the document's graph::

    ?review a schema:ClaimReview ; schema:itemReviewed ?claim ; schema:claimReviewed "wording" ;
        schema:author ?checker ; schema:publisher ?checker (an organisation) ;
        schema:datePublished ; schema:url ; schema:headline ; schema:inLanguage ;
        prov:hadPrimarySource <where the claim appeared> ; schema:reviewRating ?rating .
    ?rating a schema:Rating ; schema:alternateName "label" ; schema:ratingValue ; schema:bestRating ;
        schema:worstRating (all as published) ; fck:verdict fck:RatingMostlyFalse (our scale) .
    ?stance a fck:Stance ; fck:holder ?claimant ; fck:claim ?claim ; fck:stanceType fck:Asserts ;
        prov:wasDerivedFrom ?review .      (when the review names the claimant)

Export (``export_claimreviews``): the reviews of chosen claims (default: every reviewed claim)
as schema.org ClaimReview JSON-LD, ready to paste into a page; it reads back to the same reviews.
"""
from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef

from . import iris
from .build import DATE_RE, SCHEMA_TYPE, Triple
from .errors import ExportError, KGError
from .namespaces import FCK, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from .records import IngestReport, Review, ReviewDocument
from .resolve import IdentityIndex, Resolution, resolve
from .store import Store

CONTEXT = "https://schema.org"
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$")
KNOWN_TYPES = ("Person", "Organization", "Place", "CreativeWork")


# -- IRIs -------------------------------------------------------------------------------------------
def review_iri(review: Review) -> str:
    """By its URL; a review without one by its author, claim wording and date."""
    if review.url:
        return iris.mint("review", review.url)
    return iris.mint("review", iris.normalise(review.author.name), iris.normalise(review.claim_text),
                     review.date or "")


def review_graph_iri(document_id: str) -> str:
    return iris.mint("graph", "claimreview", document_id)


# -- import ---------------------------------------------------------------------------------------
def import_reviews(documents: Iterable[ReviewDocument], store: Store, index: IdentityIndex, nlp,
                   report: IngestReport) -> None:
    """Resolve, build and store each review document (one transaction each); failures go to
    ``report`` by file and the batch goes on."""
    from .extract.reviewed import review_extraction

    for doc in documents:
        try:
            ex = review_extraction(doc, nlp)
            ex = dataclasses.replace(ex, entities=tuple(_known_type(e, index) for e in ex.entities))
            res = resolve(ex, index)
            graph, triples, shared = build_review_graph(doc, res, index)
            store.replace_graph(graph, triples, shared)
        except KGError as exc:
            report.failures.append((doc.source_path or doc.id, str(exc)))
            continue
        report.reviews += len(doc.reviews)


def _known_type(entity, index: IdentityIndex):
    """A claimant the document did not type, typed as the graph already knows that name."""
    if not entity.key.endswith(".claimant") or entity.type != "UnnamedSource":
        return entity
    norm = iris.normalise(entity.name)
    kind = next((t for t in KNOWN_TYPES if (t, norm) in index.entities), None)
    return dataclasses.replace(entity, type=kind) if kind else entity


def build_review_graph(doc: ReviewDocument, res: Resolution,
                       index: IdentityIndex | None = None) -> tuple[str, list[Triple], list[Triple]]:
    """(graph IRI, the document's triples, shared triples: labels of new entities and claims)."""
    g: list[Triple] = []
    shared: list[Triple] = []
    ents = {e.key: e for e in res.extraction.entities}
    for e in res.extraction.entities:
        if res.entity_iris[e.key] in res.new_entities:
            node = URIRef(res.entity_iris[e.key])
            shared += [(node, RDF.type, SCHEMA_TYPE[e.type]), (node, RDFS.label, Literal(e.name))]
    shared = list(dict.fromkeys(shared))
    written: set[str] = set()
    for n, review in enumerate(doc.reviews, start=1):
        c = res.extraction.claims[n - 1]
        claim = URIRef(res.claim_iris[c.key])
        if res.claim_iris[c.key] in res.new_claims and res.claim_iris[c.key] not in written:
            written.add(res.claim_iris[c.key])
            shared += _new_claim(claim, c, res)
        elif index is None or getattr(index.by_text.get(iris.normalise(c.text)), "iri", None) != str(claim):
            g.append((claim, SKOS.altLabel, Literal(c.text)))
        r = URIRef(review_iri(review))
        author = URIRef(res.entity_iris[f"r{n}.author"])
        _review(r, review, claim, author, ents[f"r{n}.author"].type, g)
        if f"r{n}.claimant" in res.entity_iris:
            _claimant(r, URIRef(res.entity_iris[f"r{n}.claimant"]), claim, g)
    return review_graph_iri(doc.id), list(dict.fromkeys(g)), shared


def _new_claim(claim: URIRef, c, res: Resolution) -> list[Triple]:
    out = [(claim, RDF.type, SCHEMA.Claim), (claim, SCHEMA.text, Literal(c.text))]
    out += [(claim, SCHEMA.about, URIRef(res.entity_iris[k])) for k in c.about if k in res.entity_iris]
    if c.predicate:
        out.append((claim, FCK.predicate, Literal(c.predicate)))
    sig = res.signatures.get(str(claim))
    if sig is not None:
        out.append((claim, FCK.signature, Literal(sig)))
    return out


def _review(r: URIRef, review: Review, claim: URIRef, author: URIRef, author_type: str, g: list[Triple]) -> None:
    g += [(r, RDF.type, SCHEMA.ClaimReview), (r, SCHEMA.itemReviewed, claim),
          (r, SCHEMA.claimReviewed, Literal(review.claim_text)), (r, SCHEMA.author, author)]
    if author_type == "Organization":
        g.append((r, SCHEMA.publisher, author))
    if review.author.url:
        g.append((author, SCHEMA.url, URIRef(review.author.url)))
    if review.date:
        g.append((r, SCHEMA.datePublished, _date(review.date)))
    if review.url:
        g.append((r, SCHEMA.url, URIRef(review.url)))
    for prop, value in ((SCHEMA.headline, review.headline), (SCHEMA.inLanguage, review.language)):
        if value:
            g.append((r, prop, Literal(value)))
    g += [(r, PROV.hadPrimarySource, URIRef(u)) for u in review.appearances]
    rating = URIRef(f"{r}/rating")
    g += [(r, SCHEMA.reviewRating, rating), (rating, RDF.type, SCHEMA.Rating),
          (rating, FCK.verdict, FCK["Rating" + review.rating.verdict])]
    if review.rating.label:
        g.append((rating, SCHEMA.alternateName, Literal(review.rating.label)))
    for prop, value in ((SCHEMA.ratingValue, review.rating.value), (SCHEMA.bestRating, review.rating.best),
                        (SCHEMA.worstRating, review.rating.worst)):
        if value is not None:
            g.append((rating, prop, _number(value)))


def _claimant(r: URIRef, holder: URIRef, claim: URIRef, g: list[Triple]) -> None:
    st = URIRef(iris.mint("stance", str(r), "claimant"))
    g += [(st, RDF.type, FCK.Stance), (st, FCK.holder, holder), (st, FCK.claim, claim),
          (st, FCK.stanceType, FCK.Asserts), (st, PROV.wasDerivedFrom, r)]


def _date(value: str) -> Literal:
    if DATE_RE.match(value):
        return Literal(value, datatype=XSD.date)
    if _DATETIME.match(value):
        return Literal(value, datatype=XSD.dateTime)
    return Literal(value)


def _number(value) -> Literal:
    """A rating number as published: JSON integers as xsd:integer, other JSON numbers as
    xsd:decimal, text (and NaN or infinity, which xsd:decimal lacks) as text."""
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float) and math.isfinite(value):
        return Literal(Decimal(repr(value)), datatype=XSD.decimal)
    return Literal(str(value))


# -- reading back -----------------------------------------------------------------------------
def review_rows(store, claim: str | None = None) -> list[dict]:
    """Rows of ``queries/claim-reviews.rq``, every review or those of one claim IRI."""
    from .query import canned
    from .viz import select_values

    if claim is None:
        return store.select(canned("claim-reviews"))
    try:
        return select_values(store, canned("claim-reviews"), claim=claim)
    except ValueError as exc:
        raise ExportError(str(exc)) from None


def to_jsonld(row: dict) -> dict:
    """One review row as a schema.org ClaimReview object (publisher's rating as published)."""
    item: dict = {"@type": "Claim"}
    if row.get("claimantName"):
        kind = row.get("claimantType")
        item["author"] = {"@type": kind if kind in KNOWN_TYPES else "Thing", "name": row["claimantName"]}
    if row.get("appearances"):
        item["appearance"] = [{"@type": "CreativeWork", "url": u} for u in row["appearances"].split()]
    author = {"@type": row.get("authorType") or "Organization", "name": row.get("authorName") or ""}
    if row.get("authorUrl"):
        author["url"] = row["authorUrl"]
    rating: dict = {"@type": "Rating"}
    for key, field in (("ratingValue", "value"), ("bestRating", "best"), ("worstRating", "worst"),
                       ("alternateName", "label")):
        if row.get(field) is not None:
            rating[key] = row[field]
    out = {"@context": CONTEXT, "@type": "ClaimReview"}
    for key, field in (("url", "url"), ("datePublished", "date"), ("headline", "title"),
                       ("inLanguage", "language")):
        if row.get(field):
            out[key] = row[field]
    out.update({"claimReviewed": row.get("claimReviewed") or row.get("claimText") or "",
                "itemReviewed": item, "author": author, "reviewRating": rating})
    return out


def export_claimreviews(store, output: str | Path, claims: Iterable[str] = ()) -> int:
    """Write the reviews of ``claims`` (IRIs; default every reviewed claim) as ClaimReview
    JSON-LD to ``output`` (one object, or a list when there are several); returns how many."""
    from .export import check_target

    out = check_target(output)
    chosen = list(dict.fromkeys(claims))
    rows: list[dict] = []
    for claim in chosen:
        found = review_rows(store, claim)
        if not found:
            raise ExportError(f"no ClaimReview rates claim {claim}")
        rows += found
    if not chosen:
        rows = review_rows(store)
    if not rows:
        raise ExportError("the store holds no ClaimReview to export (ingest ClaimReview files first)")
    objects = [to_jsonld(r) for r in rows]
    out.write_text(json.dumps(objects[0] if len(objects) == 1 else objects, indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    return len(objects)
