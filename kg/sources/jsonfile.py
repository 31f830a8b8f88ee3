"""JSON and JSON Lines articles: one article per object.

A .json file holds one object or a list of objects; a .jsonl file one object per line. Bodies
are kept VERBATIM (no newline or whitespace changes): annotated corpora such as PolNeAR give
character offsets into the original text. Accepted field names, first match wins:

==========  ===============================================
id          id, doc_id, identifier
headline    headline, title, name
body        text, body, articleBody, content
url         url
date        datePublished, date, publication_date, published
publisher   publisher (string, or object with "name")
authors     author, authors (string, list of strings, or objects with "name")
==========  ===============================================
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from kg.errors import SourceError
from kg.records import Article
from kg.sources.common import headline_from_text, normalise_date

log = logging.getLogger(__name__)

ID_FIELDS = ("id", "doc_id", "identifier")
HEADLINE_FIELDS = ("headline", "title", "name")
BODY_FIELDS = ("text", "body", "articleBody", "content")
DATE_FIELDS = ("datePublished", "date", "publication_date", "published")
AUTHOR_FIELDS = ("author", "authors")


def parse_json(path: str, text: str, rel_id: str) -> Iterator[Article | SourceError]:
    """Articles of a .json file: one object, or a list of objects (ids ``rel_id#n``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            log.info("%s holds several JSON values: reading it as JSON Lines", path)
            yield from parse_jsonl(path, text, rel_id)
            return
        raise SourceError(path, f"invalid JSON: {exc.msg} at line {exc.lineno}"
                                f" column {exc.colno}") from None
    except RecursionError:
        raise SourceError(path, "invalid JSON: nested too deeply") from None
    if isinstance(data, dict):
        yield _record_or_error(path, data, rel_id)
    elif isinstance(data, list):
        if not data:
            raise SourceError(path, "empty JSON list: no articles")
        for n, record in enumerate(data, start=1):
            yield _record_or_error(f"{path}#{n}", record, f"{rel_id}#{n}", source_path=path)
    else:
        raise SourceError(path, "JSON must be an object or a list of objects,"
                                f" not {_json_type(data)}")


def parse_jsonl(path: str, text: str, rel_id: str) -> Iterator[Article | SourceError]:
    """Articles of a JSON Lines file; a broken line is reported as ``file:line`` and skipped."""
    record_no = 0
    # split on "\n" only: str.splitlines() would also break at U+2028 inside JSON strings
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        record_no += 1
        where = f"{path}:{line_no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SourceError(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield SourceError(where, "invalid JSON: nested too deeply")
            continue
        yield _record_or_error(where, record, f"{rel_id}#{record_no}", source_path=path)


def _record_or_error(where: str, record: Any, fallback_id: str,
                     source_path: str | None = None) -> Article | SourceError:
    try:
        return record_to_article(record, fallback_id, where, source_path or where)
    except SourceError as exc:
        return exc


def record_to_article(record: Any, fallback_id: str, where: str, source_path: str) -> Article:
    """Map one JSON object to an :class:`Article`; ``where`` names it in errors."""
    if not isinstance(record, dict):
        raise SourceError(where, f"record is {_json_type(record)}, not a JSON object")
    body = _first(record, BODY_FIELDS)
    if not isinstance(body, str) or not body.strip():
        raise SourceError(where, "no article body (expected a non-empty string in one of"
                                 f" {', '.join(BODY_FIELDS)})")
    headline = _text(_first(record, HEADLINE_FIELDS)) or headline_from_text(body)
    date = _text(_first(record, DATE_FIELDS))
    article = Article(
        id=_identifier(record, where) or fallback_id,
        headline=headline,
        body=body,
        url=_text(record.get("url")),
        date=normalise_date(date) if date else None,
        publisher=_name(record.get("publisher")),
        authors=_authors(_first(record, AUTHOR_FIELDS)),
        source_path=source_path,
    )
    _require_valid_unicode(where, article)
    return article


def _require_valid_unicode(where: str, article: Article) -> None:
    """Refuse lone surrogates (JSON escapes such as ``\\ud800``): no store can write them."""
    for name in ("id", "body", "headline", "url", "date", "publisher", "authors"):
        value = getattr(article, name)
        for text in value if isinstance(value, tuple) else (value,):
            try:
                (text or "").encode("utf-8")
            except UnicodeEncodeError as exc:
                raise SourceError(where, f"invalid Unicode in {name}: lone surrogate"
                                         f" U+{ord(text[exc.start]):04X}") from None


def _first(record: dict[str, Any], fields: tuple[str, ...]) -> Any:
    """Value of the first of ``fields`` present with a non-null value."""
    for name in fields:
        if record.get(name) is not None:
            return record[name]
    return None


def _identifier(record: dict[str, Any], where: str) -> str | None:
    value = _first(record, ID_FIELDS)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SourceError(where, f"id must be a string or an integer, not {_json_type(value)}")
    return str(value).strip() or None


def _text(value: Any) -> str | None:
    """A one-line string value with its whitespace runs collapsed, or None."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None


def _name(value: Any) -> str | None:
    """A name given as a string or as an object with a ``name``."""
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _authors(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    names = (_name(item) for item in values)
    return tuple(dict.fromkeys(name for name in names if name))


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
