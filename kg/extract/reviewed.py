"""Reviewed claims: the claims of a ClaimReview document parsed like an article's claims.

A fact-checker's ``claimReviewed`` text gets the features claim identity needs (the entities it
is about, its predicate, numbers, times and content words; kg/resolve.py), so that it joins
the node of the same claim reported in the news. The review's author and claimant become
entities; a claimant whose type the document does not give is typed by NER on its name
(unknown: an unnamed source, such as "social media posts").

A negated claim ("X did not send Y") keeps its wording, and its predicate is marked ``not-…``:
unlike an article's denial there is no stance to flip, so it stays a claim of its own rather
than joining "X sent Y" with an inverted verdict.
"""
from __future__ import annotations

from ..records import Article, Claim, Entity, Extraction, ReviewDocument, Span
from . import lexicon as lx
from .claims import QUOTES, ClaimColumns, _negation, claim_text
from .entities import EntityTable, collect_entities


def review_extraction(document: ReviewDocument, nlp) -> Extraction:
    """Entities (``r<n>.author``, ``r<n>.claimant``, ``r<n>.<entity>``) and claims (``c<n>``)
    of the reviews of ``document``, n counting its reviews from 1."""
    texts = [r.claim_text.strip().strip(QUOTES).strip() or r.claim_text for r in document.reviews]
    untyped = sorted({r.claimant.name for r in document.reviews if r.claimant and not r.claimant.type})
    docs = list(nlp.pipe(texts + untyped))
    claimant_types = {name: _type_of(doc) for name, doc in zip(untyped, docs[len(texts):])}
    entities: list[Entity] = []
    claims: list[Claim] = []
    for n, (review, text, doc) in enumerate(zip(document.reviews, texts, docs), start=1):
        table = EntityTable()
        collect_entities(doc, table)
        keys = {k: f"r{n}.{k}" for k in table.entities}
        entities += [Entity(keys[e.key], e.name, e.type, e.aliases) for e in table.records()]
        entities.append(Entity(f"r{n}.author", review.author.name, review.author.type or "Organization",
                               role="byline"))
        if review.claimant is not None:
            kind = review.claimant.type or claimant_types.get(review.claimant.name, "UnnamedSource")
            entities.append(Entity(f"r{n}.claimant", review.claimant.name, kind))
        ct = claim_text(ClaimColumns(doc), range(len(doc)))
        predicate, negated = _predicate(doc)
        about = tuple(dict.fromkeys(keys[k] for t in doc if (k := table.mention_at.get(t.i))
                                    and table.entities[k]["type"] != "UnnamedSource"))
        claims.append(Claim(key=f"c{n}", text=text, span=Span(0, len(text), text), about=about,
                            predicate=("not-" if negated else "") + predicate,
                            numbers=ct.numbers, times=ct.times, lemmas=ct.lemmas))
    article = Article(id=f"claimreview:{document.id}", headline="", body="", source_path=document.source_path)
    return Extraction(article, tuple(entities), tuple(claims))


def _predicate(doc) -> tuple[str, bool]:
    """The lemma of the main verb of the claim's longest sentence (for "be", of its attribute), and
    whether that verb is negated. (claim_text looks for the root of an article's content,
    whose head lies outside it; a whole sentence's root is its own head.)"""
    sents = list(doc.sents)
    if not sents:
        return "", False
    root = max(sents, key=len).root
    predicate = root.lemma_.lower()
    if predicate == "be":
        attr = next((c for c in root.children if c.dep_ in ("attr", "acomp")), None)
        predicate = attr.lemma_.lower() if attr is not None else predicate
    return predicate, bool(_negation(root))


def _type_of(doc) -> str:
    """The entity type NER gives a name that is one entity, else "UnnamedSource"."""
    ents = [e for e in doc.ents if lx.NER_TYPES.get(e.label_)]
    if len(ents) == 1 and len(ents[0]) >= len([t for t in doc if not t.is_punct]) - 1:
        return lx.NER_TYPES[ents[0].label_]
    return "UnnamedSource"
