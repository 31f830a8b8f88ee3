"""Command line: python -m kg ingest|query|export|stats|validate … (thin: parse, call, print)."""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from .errors import KGError


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", help="store folder (default: $KG_STORE or ./kg-store)")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg", description="factcheck-kg: news articles -> fact-check knowledge graph")
    ap.add_argument("-v", "--verbose", action="store_true")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ingest", help="read articles (.txt .html .json .jsonl, folders) into the store")
    p.add_argument("paths", nargs="+")
    p.add_argument("--workers", type=int, default=1, help="spaCy processes (default 1)")
    p.add_argument("--no-progress", action="store_true")
    _store_arg(p)
    p = sub.add_parser("query", help="run SPARQL (text or @file.rq)")
    p.add_argument("sparql")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--bind", action="append", default=[], metavar="VAR=VALUE",
                   help="bind a variable (IRIs as <…>, else a string literal)")
    p.add_argument("--allow-update", action="store_true", help="allow SPARQL Update (off by default)")
    p.add_argument("--limit", type=int, default=10000, help="row cap (default 10000)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
    _store_arg(p)
    p = sub.add_parser("export", help="write the graph to a file")
    p.add_argument("--format", required=True)
    p.add_argument("-o", "--output", required=True)
    _store_arg(p)
    p = sub.add_parser("stats", help="counts of articles, entities, claims, stances")
    _store_arg(p)
    p = sub.add_parser("validate", help="check the graph against the SHACL shapes")
    _store_arg(p)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.cmd](args)
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def cmd_ingest(args) -> int:
    from .ingest import ingest
    from .store import open_store

    store = open_store(args.store)
    bar = None
    if not args.no_progress and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=" articles", file=sys.stderr)
    t0 = time.perf_counter()
    report = ingest(args.paths, store, n_process=args.workers,
                    progress=(lambda _id: bar.update(1)) if bar else None)
    if bar:
        bar.close()
    for path, problem in report.failures:
        print(f"FAILED {path}: {problem}", file=sys.stderr)
    print(f"ingested {report.articles} articles ({report.unchanged} unchanged) in {time.perf_counter() - t0:.1f}s: "
          f"{report.entities} entities, {report.claims} claims, {report.stances} stances, "
          f"{len(report.failures)} failures")
    return 0 if report.ok else 1


def cmd_query(args) -> int:
    from .query import format_result, run_user_query
    from .store import open_store

    text = args.sparql
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as fh:
            text = fh.read()
    bindings = dict(b.split("=", 1) for b in args.bind)
    store = open_store(args.store, read_only=not args.allow_update and _exists(args.store))
    result = run_user_query(store, text, bindings=bindings, allow_update=args.allow_update,
                            limit=args.limit, timeout=args.timeout)
    sys.stdout.write(format_result(result, args.format))
    return 0


def _exists(location: str | None) -> bool:
    from pathlib import Path

    from .config import store_location

    return Path(store_location(location)).exists()


def cmd_export(args) -> int:
    from .export import export
    from .store import open_store

    store = open_store(args.store, read_only=_exists(args.store))
    n = export(store, args.format, args.output)
    print(f"wrote {args.output} ({args.format}, {n} triples in store)")
    return 0


def cmd_stats(args) -> int:
    from .query import stats
    from .store import open_store

    store = open_store(args.store, read_only=_exists(args.store))
    print(json.dumps(stats(store), indent=2))
    return 0


def cmd_validate(args) -> int:
    from rdflib import Dataset

    from .store import open_store
    from .validate import validate_graph

    store = open_store(args.store, read_only=_exists(args.store))
    import io

    buf = io.BytesIO()
    store.dump(buf, "nquads")
    ds = Dataset()
    ds.parse(data=buf.getvalue().decode("utf-8"), format="nquads")
    result = validate_graph(ds)
    if result.conforms:
        print("conforms")
        return 0
    for v in result.violations:
        print(f"{v.focus} {v.path or ''}: {v.message}")
    print(f"{len(result.violations)} violations")
    return 1


COMMANDS = {"ingest": cmd_ingest, "query": cmd_query, "export": cmd_export, "stats": cmd_stats,
            "validate": cmd_validate}
