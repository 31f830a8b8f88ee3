"""Identity across articles: one IRI per real-world entity and per claim.

Entities join by type and normalised name; a bare surname joins the one full name that ends
with it (and a full name joins an earlier bare surname). Claims join when they are about the
same entities, with the same kind of predicate, and their numbers and times do not clash;
"met twice in 2023" and "met last week" stay apart, as do the calls and the Covid-tests claims
about the same two people. The index is loaded from the store once and grows as articles
are resolved, so a claim in a new article joins the node an earlier article left.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from . import iris
from .records import Claim, Entity, Extraction

# Predicates that say the same thing (lemma -> class).
PREDICATE_CLASSES = {
    **dict.fromkeys("speak talk call phone converse chat communicate conversation contact".split(), "communicate"),
    **dict.fromkeys("send ship give deliver provide supply transfer".split(), "send"),
    **dict.fromkeys("meet visit".split(), "meet"),
    **dict.fromkeys("sell trade".split(), "sell"),
    **dict.fromkeys("dump discharge release".split(), "dump"),
    **dict.fromkeys("receive get".split(), "receive"),
    **dict.fromkeys("pay".split(), "pay"),
}


PREDICATE_WINDOW = 500   # how many earlier claims with the same predicate a paraphrase is compared with


def predicate_class(lemma: str) -> str:
    return PREDICATE_CLASSES.get(lemma, lemma)


@dataclass
class IndexedClaim:
    iri: str
    about: frozenset[str]
    predicate: str
    numbers: frozenset[str]
    times: frozenset[str]
    lemmas: frozenset[str]
    text: str
    norm: str = ""      # iris.normalise(text), computed once

    def __post_init__(self) -> None:
        if not self.norm:
            self.norm = iris.normalise(self.text)


@dataclass
class IdentityIndex:
    """Known entities and claims (from the store, then from each resolved article)."""

    entities: dict[tuple[str, str], str] = field(default_factory=dict)   # (type, norm name) -> IRI
    surnames: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (type, last token) -> IRIs
    labels: dict[str, str] = field(default_factory=dict)                  # IRI -> label
    claims: list[IndexedClaim] = field(default_factory=list)
    # (entity IRI, predicate class) -> the claims about that entity with that predicate
    by_entity: dict[tuple[str, str], list[IndexedClaim]] = field(default_factory=dict)
    by_text: dict[str, IndexedClaim] = field(default_factory=dict)
    by_predicate: dict[str, list[IndexedClaim]] = field(default_factory=dict)

    def add_entity(self, etype: str, name: str, iri: str) -> None:
        norm = iris.normalise(name)
        self.entities.setdefault((etype, norm), iri)
        self.labels.setdefault(iri, name)
        if etype == "Person" and norm:
            self.surnames.setdefault((etype, norm.split()[-1]), set()).add(iri)

    def add_claim(self, claim: IndexedClaim) -> None:
        self.claims.append(claim)
        self.by_text.setdefault(claim.norm, claim)
        if claim.predicate:
            for e in claim.about:
                self.by_entity.setdefault((e, claim.predicate), []).append(claim)
            self.by_predicate.setdefault(claim.predicate, []).append(claim)

    def candidates(self, claim: IndexedClaim) -> Iterator[IndexedClaim]:
        """The known claims that :func:`same_claim` may join ``claim`` to, in the order they are
        tried: the one with the same text, those about one of its entities, the latest
        PREDICATE_WINDOW with its predicate. Only claims with the same predicate (class) can
        join one with other words, so only those come: a popular entity's other claims are not
        gone through one by one. Lazily, and a claim may come twice (about two of its entities,
        and among the latest): the first that joins ends the search, and a claim that did not
        join does not join the second time either."""
        same = self.by_text.get(claim.norm)
        if same is not None:
            yield same
        if not claim.predicate:
            return
        for e in claim.about:
            yield from self.by_entity.get((e, claim.predicate), ())
        # paraphrases without a shared entity: the most recent claims with the same predicate
        yield from self.by_predicate.get(claim.predicate, ())[-PREDICATE_WINDOW:]


@dataclass(frozen=True)
class Resolution:
    """Graph-wide IRIs for one extraction, and which nodes are new to the store."""

    extraction: Extraction
    entity_iris: dict[str, str]
    claim_iris: dict[str, str]
    new_entities: frozenset[str]     # IRIs first seen here (get rdfs:label)
    new_claims: frozenset[str]       # IRIs first seen here (get schema:text)
    signatures: dict[str, str] = field(default_factory=dict)   # new claim IRI -> signature


def resolve(extraction: Extraction, index: IdentityIndex) -> Resolution:
    """Map an extraction's local keys to graph-wide IRIs, updating ``index``."""
    ent_iris: dict[str, str] = {}
    new_ents: set[str] = set()
    for ent in extraction.entities:
        iri, is_new = _entity_iri(ent, extraction.article.id, index)
        ent_iris[ent.key] = iri
        if is_new:
            new_ents.add(iri)
    claim_iris: dict[str, str] = {}
    new_claims: set[str] = set()
    for claim in extraction.claims:
        iri, is_new = _claim_iri(claim, ent_iris, index)
        claim_iris[claim.key] = iri
        if is_new:
            new_claims.add(iri)
    sigs = {iri: signature(index.by_text[iris.normalise(c.text)]) for c in extraction.claims
            if (iri := claim_iris[c.key]) in new_claims and iris.normalise(c.text) in index.by_text}
    return Resolution(extraction, ent_iris, claim_iris, frozenset(new_ents), frozenset(new_claims), sigs)


def _entity_iri(ent: Entity, article_id: str, index: IdentityIndex) -> tuple[str, bool]:
    if ent.type == "UnnamedSource":
        return iris.mint("entity", "UnnamedSource", article_id, iris.normalise(ent.name)), True
    norm = iris.normalise(ent.name)
    found = index.entities.get((ent.type, norm))
    if found is None and ent.type == "Person" and norm:
        tokens = norm.split()
        cands = index.surnames.get(("Person", tokens[-1]), set())
        if len(tokens) == 1 and len(cands) == 1:
            found = next(iter(cands))
        elif len(tokens) > 1:
            bare = index.entities.get(("Person", tokens[-1]))
            if bare is not None:
                found = bare
    if found is not None:
        index.add_entity(ent.type, ent.name, found)
        return found, False
    iri = iris.entity_iri(ent.type, ent.name)
    is_new = iri not in index.labels
    index.add_entity(ent.type, ent.name, iri)
    return iri, is_new


def _claim_iri(claim: Claim, ent_iris: dict[str, str], index: IdentityIndex) -> tuple[str, bool]:
    cand = IndexedClaim(
        iri="", about=frozenset(ent_iris[k] for k in claim.about if k in ent_iris),
        predicate=predicate_class(claim.predicate), numbers=frozenset(claim.numbers),
        times=frozenset(claim.times), lemmas=frozenset(claim.lemmas), text=claim.text)
    for known in index.candidates(cand):
        if same_claim(cand, known):
            return known.iri, False
    iri = iris.claim_iri(cand.norm)
    cand.iri = iri
    index.add_claim(cand)
    return iri, True


def same_claim(a: IndexedClaim, b: IndexedClaim) -> bool:
    """Do two claims state the same proposition? (entities, predicate, numbers, times, words)

    The cheap tests come first: a claim is compared with the earlier ones with its predicate
    about its entities and with the latest PREDICATE_WINDOW with its predicate
    (IdentityIndex.candidates), and most of them fail on the numbers or times."""
    if a.norm == b.norm:
        return True
    if not a.predicate or a.predicate != b.predicate:
        return False
    if a.numbers and b.numbers and a.numbers.isdisjoint(b.numbers):
        return False
    if a.times and b.times and a.times.isdisjoint(b.times):
        return False
    common = len(a.lemmas & b.lemmas)
    overlap = common / max(1, len(a.lemmas) + len(b.lemmas) - common)   # |a & b| / |a | b|
    shared = a.about & b.about
    if not shared:
        # no entity in common (one wording names them, the other says "the authority"):
        # only a close paraphrase with the same predicate joins
        need = 3 if (not a.about or not b.about) else 4
        return overlap >= 0.5 and common >= need
    if len(shared) < min(2, len(a.about), len(b.about)):
        return False
    return overlap >= (0.1 if len(shared) >= 2 else 0.3)


def signature(claim: IndexedClaim) -> str:
    """Claim features as one string, stored with the claim so later runs can rebuild the index."""
    return "|".join([claim.predicate, ",".join(sorted(claim.numbers)), ",".join(sorted(claim.times)),
                     ",".join(sorted(claim.lemmas))])


def parse_signature(iri: str, text: str, about: frozenset[str], sig: str) -> IndexedClaim:
    parts = (sig.split("|") + ["", "", "", ""])[:4]
    split = lambda s: frozenset(x for x in s.split(",") if x)  # noqa: E731
    return IndexedClaim(iri, about, parts[0], split(parts[1]), split(parts[2]), split(parts[3]), text)
