"""ClaimReview readers: fact-checkers' verdicts in, :class:`~kg.records.ReviewDocument` out.

Three shapes are recognised:

* schema.org ClaimReview JSON-LD (``.json``/``.jsonld``): one object, a list, or ``@graph``;
  ClaimReview nodes are found anywhere in the document, ``{"@id": …}`` references resolved
  inside it;
* the JSON of Google's Fact Check Tools claim search (``{"claims": [{…, "claimReview": […]}]}``);
* HTML pages carrying ClaimReview JSON-LD in ``<script type="application/ld+json">`` (pulled
  out by extruct). Such a page is usually a fact-checker's article: its text is ALSO read as an
  article when there is any (a page with reviews and no text is not an error).

Nothing is fetched. ``@context`` may be schema.org (``http``/``https``, with or without the
trailing slash, ``{"@vocab": …}``, prefixes bound to it, or a list of those) or absent; its terms
are mapped here, offline. Any other context is refused by name.

Each review is checked on its own: a missing rating, a label the verdict table does not know
(without numbers), a bad date… is a :class:`~kg.errors.SourceError` naming ``file#record`` and
the problem, and the other reviews of the file are read. JSON that is neither shape goes to the
article reader.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from kg.errors import SourceError
from kg.ratings import RatingProblem, verdict_of
from kg.records import Agent, Article, Rating, Review, ReviewDocument
from kg.sources.common import normalise_date
from kg.sources.html import parse_html
from kg.sources.jsonfile import parse_json

Result = Article | ReviewDocument | SourceError
SCHEMA_IRIS = ("https://schema.org/", "http://schema.org/")
SCHEMA_CONTEXTS = {"https://schema.org", "http://schema.org", "https://schema.org/", "http://schema.org/",
                   "https://schema.org/docs/jsonldcontext.json", "http://schema.org/docs/jsonldcontext.json"}
AGENT_TYPES = {
    "Person": "Person", "Organization": "Organization", "NewsMediaOrganization": "Organization",
    "GovernmentOrganization": "Organization", "Corporation": "Organization", "NGO": "Organization",
    "PoliticalParty": "Organization", "EducationalOrganization": "Organization", "Place": "Place",
    "Country": "Place", "City": "Place", "State": "Place", "AdministrativeArea": "Place",
    "CreativeWork": "CreativeWork", "Book": "CreativeWork", "WebPage": "CreativeWork", "WebSite": "CreativeWork",
    "SocialMediaPosting": "CreativeWork", "Article": "CreativeWork", "NewsArticle": "CreativeWork",
    "VideoObject": "CreativeWork", "ImageObject": "CreativeWork",
}
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_HTTP = re.compile(r"^https?://[^\s/]+\S*$", re.I)


# -- readers (the kg.sources reader signature: path, text, id) ---------------------------------
def read_json(path: str, text: str, doc_id: str) -> Iterator[Result]:
    """A .json/.jsonld file: its reviews when it holds ClaimReview or Fact Check Tools JSON, else
    its articles (kg.sources.jsonfile)."""
    if "ClaimReview" not in text and "claimReview" not in text:
        yield from parse_json(path, text, doc_id)
        return
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        yield from parse_json(path, text, doc_id)   # reports the JSON error (or reads JSON Lines)
        return
    if not is_review_data(data):
        yield from parse_json(path, text, doc_id)
        return
    yield from _document(path, doc_id, data)


def read_html(path: str, text: str, doc_id: str) -> Iterator[Result]:
    """An HTML page: its ClaimReview JSON-LD (if any) as reviews, and its text as an article."""
    found = False
    if "ClaimReview" in text:
        try:
            items = jsonld_items(text)
        except Exception as exc:  # noqa: BLE001 - lxml/jstyleson raise many kinds on broken markup
            yield SourceError(path, f"unreadable JSON-LD in a <script> block: {type(exc).__name__}: {exc}")
            items = []
        if is_review_data(items):
            found = True
            yield from _document(path, doc_id, items)
    try:
        yield parse_html(path, text, doc_id)
    except SourceError as exc:
        if not (found and exc.problem == "no article text found"):
            raise


def jsonld_items(html: str) -> list:
    """The JSON-LD objects of an HTML page (extruct; parses markup only, fetches nothing)."""
    from extruct.jsonld import JsonLdExtractor   # deferred: importing kg stays cheap

    return JsonLdExtractor().extract(html)


def is_review_data(data: Any) -> bool:
    """Fact Check Tools JSON, or JSON(-LD) with a ClaimReview node anywhere in it."""
    if isinstance(data, dict) and isinstance(data.get("claims"), list) and any(
            isinstance(c, dict) and "claimReview" in c for c in data["claims"]):
        return True
    return any(_loosely_typed(n, "ClaimReview") for n in _walk(data))


def _loosely_typed(node: dict, name: str) -> bool:
    """Whether a node's @type ends in ``name`` (any prefix or IRI: the strict reading comes later)."""
    t = node.get("@type", node.get("type"))
    return any(isinstance(v, str) and re.split(r"[:/#]", v)[-1] == name for v in (t if isinstance(t, list) else [t]))


def _document(path: str, doc_id: str, data: Any) -> Iterator[Result]:
    good: list[Review] = []
    for item in parse_reviews(data, path):
        if isinstance(item, SourceError):
            yield item          # kg.ingest logs and counts it
        else:
            good.append(item)
    if good:
        yield ReviewDocument(id=doc_id, reviews=tuple(good), source_path=path)


def parse_reviews(data: Any, path: str) -> Iterator[Review | SourceError]:
    """Every review in ``data`` (either shape), or a SourceError for each bad one."""
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        yield from _fact_check_tools(data["claims"], path)
        return
    try:
        ctx = Context().extend(data.get("@context") if isinstance(data, dict) else None)
    except SourceError as exc:
        yield SourceError(path, exc.problem)
        return
    ids = _id_index(data)
    n = 0
    try:
        for node, node_ctx in _review_nodes(data, ctx):
            n += 1
            where = f"{path}#{n}"
            try:
                yield _jsonld_review(node, node_ctx, ids, where)
            except SourceError as exc:
                yield exc
            except RatingProblem as exc:
                yield SourceError(where, str(exc))
    except SourceError as exc:   # a nested @context we cannot read: the rest of the file is skipped
        yield SourceError(f"{path}#{n + 1}", exc.problem)


# -- JSON-LD ------------------------------------------------------------------------------------
class Context:
    """What a JSON-LD context says about names: schema.org as the vocabulary, prefixes bound to
    schema.org, and plain term aliases. Only schema.org contexts are understood (offline)."""

    def __init__(self, prefixes: frozenset[str] = frozenset({"schema"}), terms: dict[str, str] | None = None):
        self.prefixes = prefixes
        self.terms = terms or {}

    def extend(self, context: Any) -> Context:
        if context is None:
            return self
        out = Context(self.prefixes, dict(self.terms))
        for part in context if isinstance(context, list) else [context]:
            if isinstance(part, str):
                if part.strip() not in SCHEMA_CONTEXTS:
                    raise SourceError("", f"unsupported @context {part!r}: only schema.org contexts are read"
                                          " (offline; nothing is fetched)")
            elif isinstance(part, dict):
                out._definitions(part)
            elif part is not None:
                raise SourceError("", f"@context must be a string, an object or a list, not {type(part).__name__}")
        return out

    def _definitions(self, part: dict) -> None:
        vocab = part.get("@vocab")
        if vocab is not None and vocab not in SCHEMA_IRIS:
            raise SourceError("", f"unsupported @vocab {vocab!r}: only schema.org is read")
        prefixes = set(self.prefixes)
        for term, value in part.items():
            target = value.get("@id") if isinstance(value, dict) else value
            if term.startswith("@") or not isinstance(target, str):
                continue
            if target in SCHEMA_IRIS:
                prefixes.add(term)
            else:
                self.terms[term] = target
        self.prefixes = frozenset(prefixes)

    def local(self, name: str) -> str:
        """The schema.org local name of a key or type ("schema:author", full IRIs, aliases)."""
        name = self.terms.get(name, name)
        for iri in SCHEMA_IRIS:
            if name.startswith(iri):
                return name[len(iri):]
        prefix, sep, rest = name.partition(":")
        if sep and prefix in self.prefixes:
            return rest
        return name


def _walk(data: Any) -> Iterator[dict]:
    """Every JSON object in ``data``, depth first, in document order."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for k, v in item.items() if k != "@context"]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _review_nodes(data: Any, ctx: Context) -> Iterator[tuple[dict, Context]]:
    """ClaimReview nodes with the context in force at each (nested contexts extend it)."""
    def visit(item: Any, c: Context) -> Iterator[tuple[dict, Context]]:
        if isinstance(item, list):
            for x in item:
                yield from visit(x, c)
        elif isinstance(item, dict):
            if "@context" in item and item is not data:
                c = c.extend(item["@context"])
            if "ClaimReview" in _types(item, c):
                yield item, c
            for k, v in item.items():
                if k != "@context":
                    yield from visit(v, c)
    yield from visit(data, ctx)


def _types(node: dict, ctx: Context) -> set[str]:
    t = node.get("@type", node.get("type"))
    values = t if isinstance(t, list) else [t]
    return {ctx.local(v) for v in values if isinstance(v, str)}


def _id_index(data: Any) -> dict[str, dict]:
    """Nodes with an @id and more than it: what ``{"@id": …}`` references point to."""
    return {n["@id"]: n for n in _walk(data) if isinstance(n.get("@id"), str) and len(n) > 1}


def _get(node: dict, name: str, ctx: Context) -> list:
    """Values of property ``name`` (schema.org local name), as a list."""
    out: list = []
    for key, value in node.items():
        if ctx.local(key) == name:
            out.extend(value if isinstance(value, list) else [value])
    return out


def _deref(value: Any, ids: dict[str, dict]) -> Any:
    if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in ids:
        return ids[value["@id"]]
    return value


def _one(node: dict, name: str, ctx: Context, ids: dict[str, dict]) -> Any:
    values = _get(node, name, ctx)
    return _deref(values[0], ids) if values else None


def _text(value: Any) -> str | None:
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None


def _scalar(value: Any) -> str | int | float | None:
    """A rating number as given (JSON number or string), ``@value`` unwrapped."""
    if isinstance(value, dict) and "@value" in value:
        value = value["@value"]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return value.strip() or None
    return None


def _agent(value: Any, ctx: Context, ids: dict[str, dict]) -> Agent | None:
    value = _deref(value, ids)
    if isinstance(value, str):
        name = _text(value)
        return Agent(name) if name else None
    if not isinstance(value, dict):
        return None
    name = _text(_one(value, "name", ctx, ids)) or _text(_one(value, "alternateName", ctx, ids))
    url = _url(_one(value, "url", ctx, ids)) or _url(value.get("@id"))
    if not name:
        return None
    kind = next((AGENT_TYPES[t] for t in sorted(_types(value, ctx)) if t in AGENT_TYPES), "")
    return Agent(name, kind, url)


def _url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("url", value.get("@id"))
    text = _text(value)
    return text if text and _HTTP.match(text) else None


def _jsonld_review(node: dict, ctx: Context, ids: dict[str, dict], where: str) -> Review:
    item = _one(node, "itemReviewed", ctx, ids)
    item = item if isinstance(item, dict) else {}
    text = (_text(_one(node, "claimReviewed", ctx, ids)) or _text(_one(item, "text", ctx, ids))
            or _text(_one(item, "name", ctx, ids)))
    if not text:
        raise SourceError(where, "no claimReviewed (the text of the claim that was checked)")
    rating_node = _one(node, "reviewRating", ctx, ids)
    if not isinstance(rating_node, dict):
        raise SourceError(where, "no reviewRating (the fact-checker's verdict)")
    label = (_text(_one(rating_node, "alternateName", ctx, ids)) or _text(_one(rating_node, "name", ctx, ids)))
    value = _scalar(_one(rating_node, "ratingValue", ctx, ids))
    best = _scalar(_one(rating_node, "bestRating", ctx, ids))
    worst = _scalar(_one(rating_node, "worstRating", ctx, ids))
    rating = Rating(verdict_of(label, value, best=best, worst=worst), label, value, best, worst)
    author = _agent(_one(node, "author", ctx, ids), ctx, ids) or _agent(_one(node, "publisher", ctx, ids), ctx, ids)
    if author is None:
        raise SourceError(where, "no author (the fact-checker: an object with a name)")
    appearances = [u for key in ("appearance", "firstAppearance")
                   for v in _get(item, key, ctx) if (u := _url(_deref(v, ids)))]
    claimant = next((a for v in _get(item, "author", ctx) if (a := _agent(v, ctx, ids))), None)
    lang = _one(node, "inLanguage", ctx, ids)
    return Review(
        claim_text=text, rating=rating, author=author,
        url=_checked_url(_one(node, "url", ctx, ids), where),
        date=_checked_date(_text(_one(node, "datePublished", ctx, ids)), where, "datePublished"),
        headline=_text(_one(node, "headline", ctx, ids)) or _text(_one(node, "name", ctx, ids)),
        claimant=claimant, appearances=tuple(dict.fromkeys(appearances)),
        language=_text(lang) or (_text(_one(lang, "name", ctx, ids)) if isinstance(lang, dict) else None),
        where=where)


def _checked_url(value: Any, where: str) -> str | None:
    if value is None:
        return None
    url = _url(value)
    if url is None:
        raise SourceError(where, f"url {_text(value) or value!r} is not an absolute http(s) URL")
    return url


def _checked_date(value: str | None, where: str, field: str) -> str | None:
    """An ISO 8601 date or date-time (other common date forms are converted), else an error."""
    if value is None:
        return None
    iso = normalise_date(value)
    m = _ISO_DATE.match(iso)
    try:
        if m is None:
            raise ValueError
        dt.date.fromisoformat(m.group(1))
    except ValueError:
        raise SourceError(where, f"bad {field} {value!r} (expected an ISO 8601 date such as 2024-10-09)") from None
    return iso


# -- Fact Check Tools -----------------------------------------------------------------------------
def _fact_check_tools(claims: list, path: str) -> Iterator[Review | SourceError]:
    for i, claim in enumerate(claims):
        here = f"{path}#claims[{i}]"
        if not isinstance(claim, dict):
            yield SourceError(here, "claim is not a JSON object")
            continue
        reviews = claim.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            yield SourceError(here, "no claimReview list (nothing rated this claim)")
            continue
        for j, review in enumerate(reviews):
            where = f"{here}.claimReview[{j}]"
            try:
                yield _fct_review(claim, review, where)
            except SourceError as exc:
                yield exc
            except RatingProblem as exc:
                yield SourceError(where, str(exc))


def _fct_review(claim: dict, review: Any, where: str) -> Review:
    if not isinstance(review, dict):
        raise SourceError(where, "review is not a JSON object")
    text = _text(claim.get("text"))
    if not text:
        raise SourceError(where, "the claim has no text")
    label = _text(review.get("textualRating"))
    if not label:
        raise SourceError(where, "no textualRating (the fact-checker's verdict)")
    publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
    name, site = _text(publisher.get("name")), _text(publisher.get("site"))
    if not (name or site):
        raise SourceError(where, "no publisher (name or site)")
    site_url = site if site and _HTTP.match(site) else (f"https://{site}" if site and "/" not in site else None)
    claimant = _text(claim.get("claimant"))
    return Review(
        claim_text=text, rating=Rating(verdict_of(label), label), author=Agent(name or site, "Organization", site_url),
        url=_checked_url(review.get("url"), where),
        date=_checked_date(_text(review.get("reviewDate")), where, "reviewDate"),
        headline=_text(review.get("title")), claimant=Agent(claimant) if claimant else None,
        language=_text(review.get("languageCode")), where=where)
