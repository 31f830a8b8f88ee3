"""Queries: canned .rq files (run with bindings) and guarded user SPARQL.

User SPARQL is read-only unless explicitly allowed: Update, LOAD and SERVICE are refused,
every result is capped at ``limit`` rows and the query stops after ``timeout`` seconds.
SERVICE is refused even when updates are allowed (it would make the store fetch URLs).
"""
from __future__ import annotations

import csv
import io
import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import QueryError
from .store import Store, _py

QUERIES = Path(__file__).with_name("queries")
UPDATE_RE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b\s*(DATA|WHERE|\{|<|GRAPH|SILENT|ALL|DEFAULT|NAMED)?", re.I)
SERVICE_RE = re.compile(r"\bSERVICE\b", re.I)
# SERVICE and its endpoint, looked for in the RAW text (strings and IRIs included): a guard whose
# lexer once disagrees with the parser's (a ' inside an IRI) must not hide a SERVICE clause.
SERVICE_CLAUSE_RE = re.compile(r"\bSERVICE(?:\s|#[^\n]*)*(?:SILENT\b(?:\s|#[^\n]*)*)?(?:<|[?$]|[^\s{}()<>\"']*:)", re.I)


@dataclass(frozen=True)
class QueryResult:
    kind: str                      # select | ask | graph
    columns: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    truncated: bool = False
    boolean: bool | None = None
    triples: tuple[tuple, ...] = ()


def _strip(sparql: str) -> str:
    """Query text without comments and string literals (for the guards)."""
    text = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', sparql)
    text = re.sub(r"<[^<>\s]*>", "<>", text)
    return re.sub(r"#[^\n]*", "", text)


def check_read_only(sparql: str) -> None:
    """Refuse SPARQL Update, LOAD and SERVICE (a server must never fetch URLs for a user)."""
    bare = _strip(sparql)
    if SERVICE_RE.search(bare) or SERVICE_CLAUSE_RE.search(sparql):
        raise QueryError("SERVICE is not allowed: queries may not make the server fetch other endpoints")
    m = UPDATE_RE.search(bare)
    if m and m.group(1).upper() in ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY") \
            and not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", bare[:m.start()], re.I):
        raise QueryError(f"SPARQL Update ({m.group(1).upper()}) is not allowed: the store is read-only here")


def run_user_query(store: Store, sparql: str, *, bindings: dict[str, str] | None = None,
                   allow_update: bool = False, limit: int = 10000, timeout: float = 30.0) -> QueryResult:
    """Run a user's SPARQL with the guards; ``bindings`` values: ``<iri>`` or plain strings."""
    from rdflib import Literal, URIRef

    terms = {k: (URIRef(v[1:-1]) if v.startswith("<") and v.endswith(">") else Literal(v))
             for k, v in (bindings or {}).items()}
    if SERVICE_RE.search(_strip(sparql)) or SERVICE_CLAUSE_RE.search(sparql):  # even with allow_update
        raise QueryError("SERVICE is not allowed: queries may not make the server fetch other endpoints")
    if allow_update and UPDATE_RE.search(_strip(sparql)) and not re.search(r"^\s*(PREFIX[^\n]*\n\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", _strip(sparql), re.I):
        try:
            store.update(sparql)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"SPARQL Update failed: {exc}") from exc
        return QueryResult(kind="ask", boolean=True)
    check_read_only(sparql)
    return _with_timeout(lambda: _collect(store.query(sparql, terms), limit), timeout)


def _collect(res, limit: int) -> QueryResult:
    import pyoxigraph as ox

    if isinstance(res, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        cols = tuple(v.value for v in res.variables)
        rows = []
        for i, row in enumerate(res):
            if i >= limit:
                return QueryResult("select", cols, tuple(rows), truncated=True)
            rows.append(tuple(_py(row[c]) for c in cols))
        return QueryResult("select", cols, tuple(rows))
    triples = []
    for i, t in enumerate(res):
        if i >= limit:
            return QueryResult("graph", ("subject", "predicate", "object"), tuple(triples), truncated=True,
                               triples=tuple(triples))
        triples.append((t.subject.value, t.predicate.value, t.object.value))
    return QueryResult("graph", ("subject", "predicate", "object"), tuple(triples), triples=tuple(triples))


def _with_timeout(fn, timeout: float) -> QueryResult:
    """Run ``fn`` in a worker thread; give up after ``timeout`` seconds (the thread is abandoned)."""
    box: dict = {}

    def work():
        try:
            box["r"] = fn()
        except Exception as exc:  # handed to the caller below
            box["e"] = exc

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise QueryError(f"query ran past its time limit of {timeout:g} s")
    if "e" in box:
        exc = box["e"]
        raise exc if isinstance(exc, QueryError) else QueryError(str(exc))
    return box["r"]


def format_result(res: QueryResult, fmt: str = "table") -> str:
    if res.kind == "ask":
        return ("true" if res.boolean else "false") + "\n"
    if fmt == "json":
        return json.dumps({"columns": list(res.columns), "rows": [list(r) for r in res.rows],
                           "truncated": res.truncated}, indent=2, default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(res.columns)
        w.writerows(["" if v is None else v for v in r] for r in res.rows)
        return buf.getvalue()
    cells = [[("" if v is None else str(v)).replace("\n", " ")[:80] for v in r] for r in res.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(res.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(res.columns, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in cells]
    lines.append(f"({len(res.rows)} rows{', truncated' if res.truncated else ''})")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=None)
def canned(name: str) -> str:
    """Text of ``kg/queries/<name>.rq``."""
    path = QUERIES / f"{name}.rq"
    if not path.exists():
        raise QueryError(f"no canned query {name!r} in {QUERIES}")
    return path.read_text(encoding="utf-8")


# The curation filters of the canned queries (kg/curate.py: a superseded node, a claim withdrawn
# from an article). Each costs one index lookup per row, and a store without corrections holds
# no triple they could match, so there they are left out: the same rows, 20 % less time for the
# refresh of a summary, 6x less for dash-articles.
CURATION_FILTER_RE = re.compile(r"[ \t]*FILTER NOT EXISTS \{ \?\w+ fck:(?:supersededBy|withdrawnFrom) \?\w+ \}")


@lru_cache(maxsize=None)
def without_curation(name: str) -> str:
    """Canned query ``name`` without its curation filters."""
    return CURATION_FILTER_RE.sub("", canned(name))


def canned_for(store, name: str) -> str:
    """Canned query ``name`` as it runs on ``store``: without its curation filters when the
    store (an embedded one; a remote store is not asked) holds no triple they test. A correction
    made between this check and the query is seen by the next query."""
    from .namespaces import FCK

    if isinstance(store, Store) and not any(store.has_predicate(str(FCK[p])) for p in ("supersededBy", "withdrawnFrom")):
        return without_curation(name)
    return canned(name)


def run_canned(store: Store, name: str, **bindings) -> list[dict]:
    return store.select(canned_for(store, name), bindings)


def stats(store: Store) -> dict[str, int]:
    return stats_of(run_canned(store, "stats"))


def stats_of(rows: list[dict]) -> dict[str, int]:
    """The counts of a ``stats.rq`` result (empty when it has no row)."""
    return {k: int(v or 0) for k, v in rows[0].items()} if rows else {}
