"""Plain-text articles: the seed layout (web page copied as text) and bare text files.

Seed layout, every part but the title and body optional::

    close                      <- web furniture, dropped
    Title line
    Title line                 <- repeated title, dropped
    By [Agency](#)             <- byline: markdown links stripped, names -> authors
    October 09, 2024           <- date -> ISO
    Name / AGENCY              <- photo credit -> credits
    Body paragraphs ...
    Related article: [...](#)  <- furniture, dropped
    Leave a Reply ...          <- comment box: dropped with everything after it
    Original url:
    <https://...>              <- -> url

A bare text file has a short first line (at most 200 characters, not ending in a full stop) as
headline and the rest as body; otherwise the whole text is the body and its first sentence
(cut to 80 characters) the headline. Paragraphs are joined with one blank line; text inside a
paragraph is kept verbatim, bar trailing spaces: extraction spans index ``body``.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from kg.errors import SourceError
from kg.records import Article
from kg.sources.common import headline_from_text, normalise_newlines, parse_date

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 200
PLAIN_HEADLINE_CHARS = 80
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BYLINE = re.compile(r"^by\s+(?P<names>\S.*)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*", re.IGNORECASE)
_CREDIT_WORDS = re.compile(r"\b(?:photo|photograph|getty|ap photo|image|credit|shutterstock)\b",
                           re.IGNORECASE)
_FOOTER_URL = re.compile(r"^original\s+url\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_CUT_MARKERS = re.compile(r"^(?:leave a reply|leave a comment|your email address will not be"
                          r" published)", re.IGNORECASE)
_DROP_LINE = re.compile(r"^(?:close|related articles?\s*:.*)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
_PERIOD_END = re.compile(r"(?<!\.)\.[\"'\u201d\u2019)\]]*$")


@dataclass
class _Header:
    """Fields read from the lines above the body."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    credits: list[str] = field(default_factory=list)
    found: bool = False  # whether any header line beyond the title was seen


def parse_txt(path: str, text: str, article_id: str) -> Article:
    """Turn the text of a .txt file into an :class:`Article`; raise SourceError if unusable."""
    lines = [line.rstrip() for line in normalise_newlines(text).split("\n")]
    url = _footer_url(lines)
    lines = _cut_furniture(lines)
    start = _first_content(lines)
    if start is None:
        raise SourceError(path, "no article body")
    first = lines[start].strip()
    header = _Header(title=first)
    rest = _read_header(lines[start + 1:], header)
    if len(first) > MAX_TITLE_CHARS or (not header.found and _PERIOD_END.search(first)):
        # The first line reads as a sentence, not a headline: the whole text is the body.
        return _whole_text(path, lines[start:], article_id, url)
    body = _paragraphs(line for line in rest if line.strip() != first)
    if not body:
        raise SourceError(path, "no article body")
    return Article(id=article_id, headline=_strip_links(first), body=body, url=url,
                   date=header.date, authors=tuple(header.authors), source_path=path,
                   credits=tuple(header.credits))


def _whole_text(path: str, lines: list[str], article_id: str, url: str | None) -> Article:
    """All of ``lines`` as the body, the headline made from its first sentence."""
    body = _paragraphs(lines)
    if not body:
        raise SourceError(path, "no article body")
    return Article(id=article_id, headline=headline_from_text(body, PLAIN_HEADLINE_CHARS),
                   body=body, url=url, source_path=path)


def _footer_url(lines: list[str]) -> str | None:
    """The URL after an ``Original url:`` footer (same or next non-empty line), if any."""
    for i, line in enumerate(lines):
        match = _FOOTER_URL.match(line.strip())
        if not match:
            continue
        candidates = [match["rest"]] + [rest for rest in lines[i + 1:] if rest.strip()][:1]
        for candidate in candidates:
            candidate = candidate.strip().strip("<>").strip()
            if re.match(r"^https?://\S+$", candidate):
                return candidate
        log.debug("'Original url:' footer without a URL")
        return None
    return None


def _cut_furniture(lines: list[str]) -> list[str]:
    """Drop the footer, the comment box and everything after, and furniture lines."""
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        if _FOOTER_URL.match(stripped) or _CUT_MARKERS.match(stripped):
            break
        if not _DROP_LINE.match(stripped):
            kept.append(line)
    return kept


def _first_content(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def _read_header(lines: list[str], header: _Header) -> list[str]:
    """Consume header lines (repeated title, byline, date, credit) and return the rest."""
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped and not _header_line(stripped, header):
            break
        i += 1
    return lines[i:]


def _header_line(line: str, header: _Header) -> bool:
    """Record ``line`` in ``header`` if it is a header line; False if the body starts here."""
    if line == header.title:
        header.found = True
        return True
    plain = _strip_links(line)
    byline = _BYLINE.match(plain)
    if byline and not header.authors and len(plain) <= 120 and not _SENTENCE_END.search(plain):
        header.authors = [name for name in _NAME_SPLIT.split(byline["names"]) if name]
        header.found = True
        return True
    date = parse_date(plain) if header.date is None else None
    if date:
        header.date, header.found = date, True
        return True
    if _is_credit(plain):
        header.credits.append(plain)
        header.found = True
        return True
    return False


def _is_credit(line: str) -> bool:
    """A short photo-credit line such as ``Name / AGENCY`` or ``Photo: Name``."""
    if len(line) > 100 or _SENTENCE_END.search(line):
        return False
    return " / " in line or bool(_CREDIT_WORDS.search(line))


def _strip_links(line: str) -> str:
    """``[AFP](#)`` -> ``AFP``; images and other markdown links likewise keep their text."""
    return _MD_LINK.sub(lambda m: m.group(1), line).strip()


def _paragraphs(lines) -> str:
    """Group lines into paragraphs at blank lines and join them with one blank line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)
