"""Plain, frozen data types passed between the pipeline stages.

No spaCy objects and no rdflib terms appear here: the extraction stage produces these
records, the build stage turns them into RDF.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = ("Person", "Organization", "Place", "CreativeWork", "UnnamedSource")
STANCE_TYPES = ("Asserts", "Confirms", "Denies", "Disputes", "Questions")
POLARITY = {"Asserts": "support", "Confirms": "support", "Denies": "oppose",
            "Disputes": "oppose", "Questions": "neutral"}


@dataclass(frozen=True)
class Span:
    """Characters ``body[start:end]`` of an article body (Unicode code points)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """One news article as read from a source; ``body`` is the cleaned article text."""

    id: str
    headline: str
    body: str
    url: str | None = None
    date: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    source_path: str | None = None
    credits: tuple[str, ...] = ()   # photo credits and agencies from the header


@dataclass(frozen=True)
class Entity:
    """A person, organisation, place or work named in one article.

    ``key`` is local to the article; resolve.py maps it to a graph-wide identity.
    ``type`` is one of ENTITY_TYPES; ``UnnamedSource`` covers "a source", "officials".
    """

    key: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()
    role: str = "subject"            # subject | byline | credit
    affiliation: str | None = None   # key of the organisation this entity speaks for


@dataclass(frozen=True)
class Claim:
    """A proposition reported in an article, stated positively.

    ``about`` holds keys of the entities the claim is about; ``predicate`` the lemma of its
    main verb; ``numbers`` and ``times`` normalised quantities and time expressions. These
    feed claim identity across articles (resolve.py).
    """

    key: str
    text: str
    span: Span
    about: tuple[str, ...] = ()
    predicate: str = ""
    numbers: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stance:
    """``holder`` takes ``stance_type`` towards ``claim``, read from one sentence."""

    key: str
    holder: str
    claim: str
    stance_type: str
    cue: Span
    content: Span
    source: Span | None = None
    sentence: Span | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything the extraction stage found in one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    stances: tuple[Stance, ...] = ()
    failure: str = ""   # set when extraction failed on this article (nothing else is then set)


VERDICTS = ("True", "MostlyTrue", "Mixed", "MostlyFalse", "False", "Unverifiable")


@dataclass(frozen=True)
class Rating:
    """A fact-checker's rating: ``label``/``value``/``best``/``worst`` exactly as published
    (JSON strings or numbers), and ``verdict``, its place on our scale (one of VERDICTS,
    kg/data/rating_labels.json)."""

    verdict: str
    label: str | None = None
    value: str | int | float | None = None
    best: str | int | float | None = None
    worst: str | int | float | None = None


@dataclass(frozen=True)
class Agent:
    """Someone named in a review (its author, the claimant); ``type`` one of ENTITY_TYPES, or
    "" when the document does not say."""

    name: str
    type: str = ""
    url: str | None = None


@dataclass(frozen=True)
class Review:
    """One schema:ClaimReview: who rated which claim how, when, where (``where`` names the
    file and record it was read from)."""

    claim_text: str
    rating: Rating
    author: Agent
    url: str | None = None
    date: str | None = None
    headline: str | None = None
    claimant: Agent | None = None
    appearances: tuple[str, ...] = ()
    language: str | None = None
    where: str = ""


@dataclass(frozen=True)
class ReviewDocument:
    """The reviews read from one file (one named graph; re-importing the file replaces it)."""

    id: str
    reviews: tuple[Review, ...]
    source_path: str | None = None


@dataclass
class IngestReport:
    """Outcome of an ingest run (mutable: filled in as the batch goes)."""

    articles: int = 0
    unchanged: int = 0
    entities: int = 0
    claims: int = 0
    stances: int = 0
    reviews: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures
