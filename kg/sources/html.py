"""HTML articles, read with trafilatura (main text and metadata; no hand-written tag stripping).

trafilatura runs fully offline here: it is given the markup, never a URL to fetch.
"""
from __future__ import annotations

import logging
from typing import Any

from kg.errors import SourceError
from kg.records import Article
from kg.sources.common import headline_from_text, normalise_date, normalise_newlines

log = logging.getLogger(__name__)

_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def parse_html(path: str, text: str, article_id: str) -> Article:
    """Extract the article in the HTML ``text``; raise SourceError when there is none."""
    meta = _extract(path, normalise_newlines(text))
    title = _clean(meta.get("title"))
    body = _body(meta.get("text") or "", title)
    if not body:
        raise SourceError(path, "no article text found")
    date = _clean(meta.get("date"))
    return Article(
        id=article_id,
        headline=title or headline_from_text(body),
        body=body,
        url=_clean(meta.get("url")),
        date=normalise_date(date) if date else None,
        publisher=_clean(meta.get("sitename")),
        authors=_authors(meta.get("author")),
        source_path=path,
    )


def _extract(path: str, html: str) -> dict[str, Any]:
    """Run trafilatura; its result as a dict (empty when it found nothing)."""
    import trafilatura  # deferred: importing kg must stay cheap

    try:
        document = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, favor_recall=True,
            date_extraction_params=dict(_DATE_PARAMS))
    except (ValueError, TypeError, AttributeError) as exc:  # lxml/trafilatura on broken markup
        log.warning("trafilatura failed on %s: %s", path, exc)
        raise SourceError(path, f"malformed HTML ({exc})") from None
    if document is None:
        return {}
    if isinstance(document, dict):
        return document
    return document.as_dict()


def _body(text: str, title: str | None) -> str:
    """One paragraph per extracted line, joined by a blank line; a leading title line dropped."""
    lines = [line.rstrip() for line in text.split("\n")]
    paragraphs = [line for line in lines if line.strip()]
    if paragraphs and title and paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _authors(value: Any) -> tuple[str, ...]:
    """trafilatura joins several authors with ``; ``."""
    if not isinstance(value, str):
        return ()
    return tuple(name.strip() for name in value.split(";") if name.strip())


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
