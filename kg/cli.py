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
    p = sub.add_parser("analyze", help="contested claims, central actors, alignment communities")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--write", action="store_true", help="also write scores to the analysis graph")
    _store_arg(p)
    p = sub.add_parser("path", help="how two entities are connected, with evidence")
    p.add_argument("a")
    p.add_argument("b")
    _store_arg(p)
    p = sub.add_parser("serve", help="read-only SPARQL endpoint (SPARQL 1.1 Protocol) on 127.0.0.1")
    p.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per query (default 10)")
    p.add_argument("--limit", type=int, default=10000, help="row cap per result (default 10000)")
    p.add_argument("--cors", metavar="ORIGIN", help="allow browser pages from ORIGIN (off by default)")
    p.add_argument("--refresh", type=float, default=2.0, help="seconds between checks for new data (default 2)")
    _store_arg(p)
    p = sub.add_parser("dashboard", help="open the Streamlit dashboard on 127.0.0.1")
    p.add_argument("--port", type=int, default=8501)
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
    if args.format in GRAPH_FORMATS:
        from .graph_export import export_graph

        nodes, edges = export_graph(store, args.format, args.output)
        print(f"wrote {args.output} ({args.format}, {nodes} nodes, {edges} edges)")
        return 0
    if args.format == "html":
        from .export import check_target
        from .viz import store_html

        check_target(args.output).write_text(store_html(store), encoding="utf-8")
        print(f"wrote {args.output} (standalone HTML graph)")
        return 0
    n = export(store, args.format, args.output)
    print(f"wrote {args.output} ({args.format}, {n} quads in store)")
    return 0


GRAPH_FORMATS = ("graphml", "gexf", "csv", "json")


def cmd_analyze(args) -> int:
    import dataclasses

    from . import analysis as an
    from .query import format_result
    from .store import open_store

    store = open_store(args.store, read_only=not args.write and _exists(args.store))
    contested = an.contested_claims(store, top=args.top)
    G = an.stance_graph(store)
    central = sorted(an.centrality(G).items(), key=lambda kv: -kv[1])
    actors = [(n, v) for n, v in central if G.nodes[n].get("kind") == "actor"][:args.top]
    communities = an.alignment_communities(an.alignment_graph(G))
    if args.write:
        an.write_analysis(store)
    if args.format == "json":
        print(json.dumps({
            "contested_claims": [dataclasses.asdict(r) for r in contested],
            "central_actors": [{"iri": n, "label": G.nodes[n].get("label"), "pagerank": v} for n, v in actors],
            "communities": {n: c for n, c in communities.items()}}, indent=2, default=str))
        return 0
    print("Contested claims")
    sys.stdout.write(format_result(an.to_result(contested), args.format))
    print("\nCentral actors (PageRank)")
    for n, v in actors:
        print(f"  {v:.4f}  {G.nodes[n].get('label', n)}")
    print("\nAlignment communities")
    groups: dict[int, list[str]] = {}
    for n, c in communities.items():
        groups.setdefault(c, []).append(str(G.nodes[n].get("label", n)) if n in G else n)
    for c, members in sorted(groups.items()):
        print(f"  {c}: {', '.join(sorted(members))}")
    return 0


def cmd_path(args) -> int:
    from . import analysis as an
    from .store import open_store

    store = open_store(args.store, read_only=_exists(args.store))
    try:
        steps = an.explanation_path(store, args.a, args.b)
    except an.AnalysisError as exc:
        print(f"no path: {exc}", file=sys.stderr)
        return 1
    for step in steps:
        print(f"{step.source_label} -> {step.target_label}")
        for ev in step.evidence:
            print(f"    {ev.stance_type} ({ev.outlet}): {ev.sentence}")
    return 0


def cmd_dashboard(args) -> int:
    from dashboards.launch import run_dashboard

    return run_dashboard(args.store, args.port)


def cmd_serve(args) -> int:
    from .config import store_location
    from .serve import make_server

    server = make_server(store_location(args.store), host=args.host, port=args.port, timeout=args.timeout,
                         limit=args.limit, cors=args.cors, refresh=args.refresh)
    host, port = server.server_address[:2]
    print(f"SPARQL endpoint: http://{host}:{port}/sparql (read-only; Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
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
        print(f"{v.focus_node} {v.path or ''}: {v.message}")
    print(f"{len(result.violations)} violations")
    return 1


COMMANDS = {"ingest": cmd_ingest, "query": cmd_query, "export": cmd_export, "stats": cmd_stats,
            "validate": cmd_validate, "analyze": cmd_analyze, "path": cmd_path, "dashboard": cmd_dashboard,
            "serve": cmd_serve}
