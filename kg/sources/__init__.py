"""Source readers: files and folders in, :class:`~kg.records.Article` records out.

:func:`read_articles` is the entry point. It never raises for bad input: each unreadable file
or record is *yielded* as a :class:`~kg.errors.SourceError`, so one bad file does not stop a
batch. Folders are walked recursively in sorted order, hidden entries skipped, symlinked
folders not followed (so link loops are harmless).

``Article.id`` is the record's own id for JSON; otherwise the file's path relative to the folder
given (``story/outlet.txt``), or its name when the file itself was given; a JSON list or JSONL
record without an id gets ``<relpath>#<n>``.

ClaimReview files (JSON-LD, Fact Check Tools JSON, HTML with ClaimReview markup) are yielded
as one :class:`~kg.records.ReviewDocument` each (id as above), see kg/sources/claimreview.py.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePath

from kg.errors import SourceError
from kg.records import Article, ReviewDocument
from kg.sources.claimreview import read_html, read_json
from kg.sources.common import load_text
from kg.sources.jsonfile import parse_jsonl
from kg.sources.txt import parse_txt

__all__ = ["DEFAULT_MAX_BYTES", "SUFFIXES", "iter_files", "read_articles", "read_file"]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20_000_000
Result = Article | ReviewDocument | SourceError
Reader = Callable[[str, str, str], Iterator[Result]]


def _single(parse: Callable[[str, str, str], Article]) -> Reader:
    def read(path: str, text: str, article_id: str) -> Iterator[Result]:
        yield parse(path, text, article_id)
    return read


_READERS: dict[str, Reader] = {
    ".txt": _single(parse_txt),
    ".html": read_html,        # ClaimReview JSON-LD in the page -> a ReviewDocument, text -> Article
    ".htm": read_html,
    ".json": read_json,        # ClaimReview / Fact Check Tools JSON -> ReviewDocument, else articles
    ".jsonld": read_json,
    ".jsonl": parse_jsonl,
}
SUFFIXES = tuple(_READERS)


def read_articles(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Result]:
    """Yield an Article for each article in ``paths`` (files or folders), a SourceError per problem."""
    if isinstance(paths, (str, PurePath, os.PathLike)):
        paths = [paths]
    for given in paths:
        path = os.fspath(given)
        if os.path.isdir(path):
            yield from _read_folder(path, max_bytes)
        elif not os.path.exists(path):
            yield SourceError(path, "no such file or directory")
        else:
            yield from read_file(path, max_bytes=max_bytes)


def read_file(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None, *,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Result]:
    """Yield the article(s) of one file; ids are relative to ``root``, else the file's name."""
    path = os.fspath(path)
    suffix = PurePath(path).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        yield SourceError(path, f"unsupported file type '{suffix or '(none)'}'"
                                f" (expected one of {', '.join(SUFFIXES)})")
        return
    article_id = _relative_id(path, root)
    try:
        text = load_text(path, max_bytes)
        yield from reader(path, text, article_id)
    except SourceError as exc:
        log.info("skipped %s", exc)
        yield exc
    except Exception as exc:  # a reader bug must not end the batch; it is logged in full
        log.exception("unexpected error reading %s", path)
        yield SourceError(path, f"unexpected error: {type(exc).__name__}: {exc}")


def iter_files(root: str | os.PathLike[str]) -> Iterator[str | SourceError]:
    """Supported files under ``root`` (sorted, recursive, no hidden entries), or an error
    for each folder that cannot be listed."""
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield SourceError(os.fspath(root), f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from iter_files(entry.path)
        elif entry.is_symlink() and _is_dir(entry):
            log.debug("not following symlinked folder %s", entry.path)
        elif PurePath(entry.name).suffix.lower() in _READERS:
            yield entry.path


def _is_dir(entry: os.DirEntry) -> bool:
    """``entry.is_dir()``, False when the link cannot be followed (a loop raises ELOOP; the
    file is then reported by :func:`read_file`, whose ``stat`` fails the same way)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _read_folder(root: str, max_bytes: int) -> Iterator[Result]:
    found = False
    for path in iter_files(root):
        found = True
        if isinstance(path, SourceError):
            yield path
        else:
            yield from read_file(path, root, max_bytes=max_bytes)
    if not found:
        log.warning("no .txt, .html, .htm, .json, .jsonld or .jsonl files under %s", root)


def _relative_id(path: str, root: str | os.PathLike[str] | None) -> str:
    if root is None:
        return PurePath(path).name
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return PurePath(path).name
