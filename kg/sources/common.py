"""Helpers shared by the source readers: safe file loading, decoding, dates, headlines.

Every problem with a file is reported as a :class:`~kg.errors.SourceError`; the readers raise
it and :func:`kg.sources.read_articles` turns it into a yielded value so the batch goes on.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import logging
import os
import re
import stat

from kg.errors import SourceError

log = logging.getLogger(__name__)

SNIFF_BYTES = 8192
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_bytes(path: str, max_bytes: int) -> bytes:
    """Return the bytes of ``path``, refusing non-regular and over-large files unread."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SourceError(path, "no such file or directory") from None
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(path, "not a regular file")
    if info.st_size > max_bytes:
        raise SourceError(path, f"file too large ({info.st_size} bytes > limit {max_bytes})")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:  # the file grew after stat()
        raise SourceError(path, f"file too large (more than {max_bytes} bytes > limit {max_bytes})")
    return data


def decode_text(path: str, data: bytes) -> str:
    """Decode ``data`` as UTF-8 (or UTF-16/32 when a BOM says so); refuse binary and empty files.

    The BOM is removed. There is deliberately no Latin-1 fallback: a wrong guess would silently
    corrupt names and quotes, so the file is reported instead.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise SourceError(path, f"not {encoding.upper()} text despite its byte-order mark"
                                        f" (byte 0x{data[len(bom) + exc.start]:02x} at offset"
                                        f" {len(bom) + exc.start})") from None
            return _require_content(path, text)
    if b"\x00" in data[:SNIFF_BYTES]:
        raise SourceError(path, "binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x}"
                                f" at offset {exc.start})") from None
    return _require_content(path, text)


def _require_content(path: str, text: str) -> str:
    if not text.strip():
        raise SourceError(path, "empty file")
    if "\x00" in text[:SNIFF_BYTES]:
        raise SourceError(path, "binary file, not text")
    return text


def load_text(path: str, max_bytes: int) -> str:
    """Read and decode ``path`` (see :func:`read_bytes` and :func:`decode_text`)."""
    return decode_text(path, read_bytes(path, max_bytes))


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR line endings into ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*(?=\s|$)")


def headline_from_text(text: str, limit: int = 100) -> str:
    """A headline made from the first sentence of ``text``, cut at a word within ``limit``."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    match = _SENTENCE_END.search(first)
    if match and match.end() <= limit:
        return first[:match.end()]
    if len(first) <= limit:
        return first
    cut = first[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


_MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
_PREFIX = r"(?:(?:published|updated|posted|last updated)(?:\s+on)?\s*:?\s*)?"
_TIME = (r"(?:\s*(?:[,|\u2022\u00b7\-\u2013\u2014]|\bat\b)?\s*\d{1,2}[:.]\d{2}"
         r"(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,5}|\s*UTC[+-]?\d*)?)?\s*$")
_DATE_PATTERNS = tuple(re.compile(_PREFIX + _WEEKDAY + body + _TIME, re.IGNORECASE) for body in (
    r"(?P<month>[a-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})",
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]{3,9})\.?,?\s+(?P<year>\d{4})",
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})",
))
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                           r"(?:Z|[+-]\d{2}:?\d{2})?$")


def parse_date(line: str) -> str | None:
    """Parse a date line such as ``October 09, 2024`` into ``2024-10-09``, else ``None``."""
    line = line.strip()
    if len(line) > 60:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        month = match["month"]
        month_no = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        if not month_no:
            continue
        try:
            return _dt.date(int(match["year"]), month_no, int(match["day"])).isoformat()
        except ValueError:
            continue
    return None


def normalise_date(value: str) -> str:
    """ISO date for recognised formats; ISO date-times and unrecognised strings are kept."""
    value = value.strip()
    if _ISO_DATETIME.match(value):
        return value
    return parse_date(value) or value
