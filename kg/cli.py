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
    p.add_argument("--no-summary", action="store_true",
                   help="skip refreshing the dashboard summary at the end (quicker on a big store; "
                        "readers run live queries until `kg stats --refresh`)")
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
    p.add_argument("--claim", action="append", default=[], metavar="IRI",
                   help="claimreview format: only this claim's reviews (repeatable; default every reviewed claim)")
    _store_arg(p)
    p = sub.add_parser("stats", help="counts of articles, entities, claims, stances")
    p.add_argument("--refresh", action="store_true",
                   help="first bring the materialised summary (kg.materialise) up to date")
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
    _curate_parser(sub)
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
    report = ingest(args.paths, store, n_process=args.workers, summary=not args.no_summary,
                    progress=(lambda _id: bar.update(1)) if bar else None)
    from .curate import after_ingest

    after_ingest(store)       # a remote store has no write hook: bring the curated view up to date
    if bar:
        bar.close()
    for path, problem in report.failures:
        print(f"FAILED {path}: {problem}", file=sys.stderr)
    print(f"ingested {report.articles} articles ({report.unchanged} unchanged) in {time.perf_counter() - t0:.1f}s: "
          f"{report.entities} entities, {report.claims} claims, {report.stances} stances, "
          + (f"{report.reviews} reviews, " if getattr(report, "reviews", 0) else "")
          + f"{len(report.failures)} failures")
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
    if args.format == "claimreview":
        from .claimreview import export_claimreviews

        n = export_claimreviews(store, args.output, [c.strip().strip("<>") for c in args.claim])
        print(f"wrote {args.output} (ClaimReview JSON-LD, {n} reviews)")
        return 0
    if args.claim:
        print("error: --claim applies to --format claimreview only", file=sys.stderr)
        return 2
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
        from .materialise import refresh

        an.write_analysis(store)
        refresh(store)        # the write dropped the materialised summary (kg.materialise)
    if args.format == "json":
        print(json.dumps({
            "contested_claims": [dataclasses.asdict(r) for r in contested],
            "central_actors": [{"iri": n, "label": G.nodes[n].get("label"), "pagerank": v} for n, v in actors],
            "communities": {n: c for n, c in communities.items()},
            "claim_relations": [dataclasses.asdict(r) for r in an.claim_relations(store)]}, indent=2, default=str))
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
    relations = an.claim_relations(store)
    if relations:
        print("\nClaim relations (curated)")
        for r in relations:
            print(f"  “{r.source_text}” {r.relation} “{r.target_text}”")
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
    from .materialise import refresh, stats
    from .store import open_store

    store = open_store(args.store, read_only=not args.refresh and _exists(args.store))
    if args.refresh:
        refresh(store)
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


# -- curate: corrections that survive re-ingest (kg/curate.py) -----------------------------------
CURATE_ACTIONS = {  # action: (help, positional arguments)
    "merge-claims": ("merge claim A into claim B (B stays)", ["A", "B"]),
    "split-claim": ("move some stances of a claim to a new claim (--text)", ["CLAIM", "STANCE+"]),
    "retype-stance": ("give a stance another type (--type)", ["STANCE"]),
    "set-holder": ("say which entity holds a stance", ["STANCE", "ENTITY"]),
    "reject-stance": ("mark a stance as wrong", ["STANCE"]),
    "merge-entities": ("merge entity A into entity B (B stays)", ["A", "B"]),
    "relate": ("A contradicts|supports|refines B", ["A", "RELATION", "B"]),
    "list": ("list the corrections and whether they still apply", []),
    "undo": ("undo a correction (by its id from `list`)", ["ID"]),
    "refresh": ("recompute the curated view (after writing to a remote store)", []),
}


def _curate_parser(sub) -> None:
    p = sub.add_parser("curate", help="correct the graph by hand: merge, split, retype, reject, relate, undo")
    acts = p.add_subparsers(dest="action", required=True)
    for name, (text, args) in CURATE_ACTIONS.items():
        a = acts.add_parser(name, help=text)
        for arg in args:
            a.add_argument(arg.rstrip("+").lower(), nargs="+" if arg.endswith("+") else None, metavar=arg.rstrip("+"))
        if name not in ("list", "refresh"):
            a.add_argument("--by", default=None, help="who makes the correction (default: $KG_CURATOR or your user name)")
        if name not in ("list", "refresh", "undo"):
            a.add_argument("--why", default="", help="why (kept with the correction)")
        if name == "split-claim":
            a.add_argument("--text", required=True, help="the text of the new claim")
        if name == "retype-stance":
            a.add_argument("--type", required=True, dest="stance_type", help="Asserts, Confirms, Denies, Disputes or Questions")
        if name == "list":
            a.add_argument("--all", action="store_true", help="also the undone corrections")
            a.add_argument("--format", choices=["table", "json"], default="table")
        _store_arg(a)


def _curator(value: str | None) -> str:
    import getpass
    import os

    if value:
        return value
    try:
        return os.environ.get("KG_CURATOR") or getpass.getuser()
    except (OSError, KeyError):
        return ""


def cmd_curate(args) -> int:
    from . import curate
    from .store import open_store

    act = args.action
    store = open_store(args.store, read_only=act == "list" and _exists(args.store))
    if act == "list":
        rows = curate.list_corrections(store, include_undone=args.all)
        if args.format == "json":
            import dataclasses

            print(json.dumps([dataclasses.asdict(r) for r in rows], indent=2, ensure_ascii=False))
            return 0
        for r in rows:
            print(f"{r.id}  {r.status:<17}  {r.action:<15}  {r.at[:19]}  {r.by}: {r.summary}"
                  + (f"  (why: {r.why})" if r.why else ""))
        print(f"({len(rows)} corrections)")
        return 0
    if act == "refresh":
        print(f"curated view recomputed: {curate.refresh(store)} active corrections")
        return 0
    by = _curator(args.by)
    if act == "undo":
        rec = curate.undo(store, args.id, by=by)
        print(f"undid {rec.id}: {curate.summary(store, rec)}")
        return 0
    calls = {
        "merge-claims": lambda: curate.merge_claims(store, args.a, args.b, by=by, why=args.why),
        "split-claim": lambda: curate.split_claim(store, args.claim, args.stance, text=args.text, by=by, why=args.why),
        "retype-stance": lambda: curate.retype_stance(store, args.stance, args.stance_type, by=by, why=args.why),
        "set-holder": lambda: curate.set_holder(store, args.stance, args.entity, by=by, why=args.why),
        "reject-stance": lambda: curate.reject_stance(store, args.stance, by=by, why=args.why),
        "merge-entities": lambda: curate.merge_entities(store, args.a, args.b, by=by, why=args.why),
        "relate": lambda: curate.relate_claims(store, args.a, args.relation, args.b, by=by, why=args.why),
    }
    rec = calls[act]()
    print(f"{rec.id}  {curate.summary(store, rec)}")
    return 0


COMMANDS = {"ingest": cmd_ingest, "query": cmd_query, "export": cmd_export, "stats": cmd_stats,
            "validate": cmd_validate, "analyze": cmd_analyze, "path": cmd_path, "dashboard": cmd_dashboard,
            "serve": cmd_serve, "curate": cmd_curate}
