"""Uploads: browser files -> a private temporary folder under safe names -> ingest, file by file.

The name a browser sends is never used as a path: only its last component survives, reduced
to letters, digits, spaces and ``._-()``, with a known suffix; clashes get a counter.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KGError

ALLOWED = (".txt", ".html", ".htm", ".json", ".jsonld", ".jsonl")
MAX_FILE_MB = 20
MAX_FILES = 100


@dataclass
class FileResult:
    """What happened to one uploaded file."""

    upload: str                   # the name the browser sent (shown, never used as a path)
    saved_as: str = ""
    articles: int = 0
    unchanged: int = 0
    entities: int = 0
    claims: int = 0
    stances: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.errors:
            return "partly ingested" if self.articles else "failed"
        return "unchanged" if self.unchanged and not self.articles else "ingested"


def safe_name(name: str, taken: set[str]) -> str:
    """A file name that is safe to create inside our own folder, unique among ``taken``.

    >>> safe_name("../../etc/passwd.txt", set())
    'passwd.txt'
    >>> safe_name("C:\\\\x\\\\.hidden report?.HTML", {"hidden report.html"})
    'hidden report-2.html'
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name or ""))[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = ext, ""
    stem = re.sub(r"[^\w .()\-]+", "_", stem, flags=re.UNICODE)
    stem = re.sub(r"\s+", " ", stem).strip(" ._")[:100] or "upload"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())
    candidate, n = f"{stem}.{ext}" if ext else stem, 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
    taken.add(candidate)
    return candidate


def save(uploads: Iterable[tuple[str, bytes]], folder: Path) -> tuple[list[tuple[FileResult, Path]], list[FileResult]]:
    """Write acceptable uploads into ``folder``; return (saved, rejected) results."""
    saved, rejected, taken = [], [], set()
    for name, content in uploads:
        result = FileResult(upload=name)
        suffix = Path(safe_name(name, set())).suffix.lower()
        if suffix not in ALLOWED:
            result.errors.append(f"unsupported file type '{suffix or '(none)'}' (expected one of {', '.join(ALLOWED)})")
        elif len(content) > MAX_FILE_MB * 1_000_000:
            result.errors.append(f"file too large ({len(content):,} bytes > limit {MAX_FILE_MB} MB)")
        if result.errors:
            rejected.append(result)
            continue
        result.saved_as = safe_name(name, taken)
        path = folder / result.saved_as
        path.write_bytes(content)
        saved.append((result, path))
    return saved, rejected


def ingest_saved(saved: list[tuple[FileResult, Path]], store, nlp,
                 progress: Callable[[int, int, str], None] | None = None) -> list[FileResult]:
    """Ingest each saved file into ``store``; per-file counts and errors (the batch goes on)."""
    from kg.ingest import ingest

    total = len(saved)
    for i, (result, path) in enumerate(saved):
        if progress:
            progress(i, total, result.saved_as)
        try:
            report = ingest([str(path)], store, nlp=nlp,
                            progress=(lambda item, i=i: progress(i, total, str(item))) if progress else None)
        except KGError as exc:
            result.errors.append(str(exc).replace(str(path.parent) + "/", ""))
            continue
        result.articles, result.unchanged = report.articles, report.unchanged
        result.entities, result.claims, result.stances = report.entities, report.claims, report.stances
        result.errors += [problem for _, problem in report.failures]
    if progress:
        progress(total, total, "done")
    return [r for r, _ in saved]
