"""Cached loaders: the store (read-only, ``st.cache_resource``) and query results
(``st.cache_data`` keyed on the store's version). Pages call these and render.

The store folder is opened read-only once per content fingerprint of the folder (file names,
sizes and times): a read-only Oxigraph store is a snapshot, so a ``kg ingest`` run elsewhere
shows up on the next rerun, as does an upload on the Ingest page (which also clears the caches).
SPARQL lives in ``kg/queries/dash-*.rq``; IRIs are bound through a one-value VALUES block that
rdflib serialises (``kg.viz.select_values``), never pasted into the text.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import streamlit as st

from kg.config import store_location
from kg.errors import StoreError
from kg.records import POLARITY

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DIRS = (REPO / "kg" / "queries", REPO / "examples" / "queries")
EXPORT_EXT = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "ntriples": "nt", "jsonld": "jsonld",
              "rdfxml": "rdf", "graphml": "graphml", "gexf": "gexf", "csv": "zip", "json": "json",
              "html": "html"}


# -- the store ------------------------------------------------------------------------------
def location() -> str:
    """Store folder from ``KG_STORE`` (default ``./kg-store``), made absolute."""
    loc = store_location()
    return loc if "://" in loc else str(Path(loc).expanduser().resolve())


def _fingerprint(loc: str) -> str:
    try:
        with os.scandir(loc) as it:
            entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in it
                             if not e.name.startswith("LOG"))
    except OSError:
        return "unreadable"
    return hashlib.sha1(repr(entries).encode()).hexdigest()[:16]


@st.cache_resource(max_entries=1, show_spinner="Opening the store…")
def _open_read_only(loc: str, fingerprint: str):
    from kg.store import open_store

    store = open_store(loc, read_only=True)
    return store, f"{store.version}#{fingerprint}"


def handle():
    """``(store, version)``; ``(None, "")`` when the store folder does not exist yet.

    Raises :class:`~kg.errors.StoreError` when the folder cannot be opened as a store.
    """
    loc = location()
    if "://" not in loc and (not Path(loc).is_dir() or not any(Path(loc).iterdir())):
        return None, ""                   # nothing ingested yet (an empty folder is no store either)
    return _open_read_only(loc, _fingerprint(loc))


def store():
    return handle()[0]


def clear_caches() -> None:
    """Forget every cached result and the read-only store (reopened on the next call)."""
    st.cache_data.clear()
    _open_read_only.clear()
    gc.collect()


@contextlib.contextmanager
def writable_store() -> Iterator:
    """The store opened for writing (one writer at a time); caches are cleared afterwards."""
    from kg.store import open_store

    lock = _write_lock()
    if not lock.acquire(timeout=1):
        raise StoreError("another upload is being ingested in this dashboard; try again when it is done")
    try:
        _open_read_only.clear()           # drop our own read-only snapshot before writing
        gc.collect()
        writer = open_store(location(), read_only=False)
        try:
            yield writer
        finally:
            writer.flush()
            del writer
            gc.collect()
    finally:
        lock.release()
        clear_caches()


@st.cache_resource(show_spinner=False)
def _write_lock():
    import threading

    return threading.Lock()


@st.cache_resource(show_spinner="Loading the spaCy model…")
def nlp():
    from kg.extract import load_pipeline

    return load_pipeline()


# -- cached query results ---------------------------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=512)
def _rows(_store, version: str, name: str, iris: tuple[tuple[str, str], ...]) -> list[dict]:
    """(No default for ``iris``: streamlit keys the cache on the arguments as passed.)"""
    from kg.materialise import run_canned   # unbound: the summary when current (fast at any size)
    from kg.query import canned
    from kg.viz import select_values

    if not iris:
        return run_canned(_store, name)
    return select_values(_store, canned(name), **dict(iris))   # fast on big stores (see select_values)


def rows(name: str, **iris: str) -> list[dict]:
    """Rows of ``kg/queries/<name>.rq`` with variables bound to IRIs (cached per version)."""
    s, v = handle()
    return [] if s is None else _rows(s, v, name, tuple(sorted(iris.items())))


def _outlets(df: pd.DataFrame) -> pd.DataFrame:
    from kg.viz import row_outlet

    if not df.empty:
        df["outlet"] = [row_outlet(r) for r in df.to_dict("records")]
    return df


def counts() -> dict[str, int]:
    s, v = handle()
    return _counts(s, v) if s is not None else {}


@st.cache_data(show_spinner=False, max_entries=8)
def _counts(_store, version: str) -> dict[str, int]:
    from kg.materialise import stats

    return stats(_store)


def frame(name: str, **iris: str) -> pd.DataFrame:
    """A canned query's rows as a DataFrame, with an ``outlet`` column where articles appear."""
    df = pd.DataFrame(rows(name, **iris))
    if {"articleId", "headline"} & set(df.columns):
        df = _outlets(df)
    if "stanceType" in df.columns:
        df["polarity"] = df["stanceType"].map(POLARITY)
    return df


def articles() -> pd.DataFrame:
    return frame("dash-articles")


def claims() -> pd.DataFrame:
    """Claims with supporters/opponents/neutrals; ``contested`` = holders on the weaker side."""
    df = frame("dash-claims")
    if not df.empty:
        df["contested"] = df[["supporters", "opponents"]].min(axis=1)
    return df


def actors() -> pd.DataFrame:
    return frame("dash-actors")


def stances(**iri: str) -> pd.DataFrame:
    """The stances on one ``claim=``, of one ``holder=`` or in one ``article=``, with evidence."""
    (var, value), = iri.items()
    s, v = handle()
    df = pd.DataFrame(_stances(s, v, var, value) if s is not None else [])
    if not df.empty:
        df = _outlets(df)
        df["polarity"] = df["stanceType"].map(POLARITY)
    return df


@st.cache_data(show_spinner=False, max_entries=256)
def _stances(_store, version: str, var: str, iri: str) -> list[dict]:
    from kg.viz import stances_with_evidence

    return stances_with_evidence(_store, **{var: iri})


def facts(kind: str, iri: str) -> pd.DataFrame:
    """Field/value rows of ``dash-claim`` (kind ``claim``) or ``dash-entity`` (``entity``)."""
    return frame(f"dash-{kind}", **{kind: iri})


def verdicts(claim: str) -> pd.DataFrame:
    """Fact-checkers' reviews of one claim (``claim-reviews.rq``): publisher, their label and
    numbers, our verdict, date, URL, title, claimant; newest first."""
    df = pd.DataFrame(rows("claim-reviews", claim=claim))
    return df.sort_values("date", ascending=False, na_position="last", key=lambda s: s.astype(str)) \
        if not df.empty else df


def article(iri: str) -> dict:
    found = rows("dash-article", article=iri)
    return found[0] if found else {}


def labels() -> dict[str, str]:
    """IRI -> readable name for actors, claims and articles (for analysis tables)."""
    out: dict[str, str] = {}
    for df, key, col in ((actors(), "entity", "name"), (claims(), "claim", "claimText"),
                         (articles(), "article", "headline")):
        if not df.empty:
            out.update({k: v for k, v in zip(df[key], df[col]) if isinstance(v, str)})
    return out


# -- curation (kg/curate.py): the one kind of write besides uploads ---------------------------
def corrections(include_undone: bool = False) -> pd.DataFrame:
    """The corrections (newest first): id, status, action, summary, by, at, why, …"""
    s, v = handle()
    return pd.DataFrame(_corrections(s, v, include_undone) if s is not None else [])


@st.cache_data(show_spinner=False, max_entries=8)
def _corrections(_store, version: str, include_undone: bool) -> list[dict]:
    import dataclasses

    from kg.curate import list_corrections

    return [dataclasses.asdict(c) for c in list_corrections(_store, include_undone=include_undone)]


def related_claims(claim: str) -> pd.DataFrame:
    """Claims a curator related to ``claim`` (``dash-claim-relations``)."""
    return frame("dash-claim-relations", claim=claim)


def curate(action: str, *args, **kwargs):
    """Run ``kg.curate.<action>(store, …)`` on the store opened for writing (one transaction;
    caches are cleared afterwards). Raises kg.curate.CurationError for a correction that names
    nothing or changes nothing."""
    from kg import curate as kc

    if action not in ("merge_claims", "split_claim", "retype_stance", "set_holder", "reject_stance",
                      "merge_entities", "relate_claims", "undo"):
        raise ValueError(f"not a curation action: {action!r}")
    with writable_store() as writer:
        return getattr(kc, action)(writer, *args, **kwargs)


# -- the graph view ---------------------------------------------------------------------------
def graph_view(**options) -> tuple[str, int, int, list[dict]]:
    """``(html, shown, total, nodes)`` of the pyvis page for the given filter options."""
    s, v = handle()
    frozen = tuple(sorted((k, tuple(x) if isinstance(x, list) else x) for k, x in options.items()))
    return _graph_view(s, v, frozen)


@st.cache_data(show_spinner="Laying out the graph…", max_entries=16)
def _graph_view(_store, version: str, options: tuple) -> tuple[str, int, int, list[dict]]:
    from kg.viz import graph_elements, join_names, network_html, stance_evidence

    opts = dict(options)
    affiliations = _rows(_store, version, "dash-affiliations", ()) if opts.pop("show_affiliations", True) else []
    edges = join_names(*(_rows(_store, version, q, ()) for q in ("dash-graph-edges", "dash-actors", "dash-claims",
                                                             "dash-articles")))
    view = graph_elements(edges, affiliations, evidence=lambda ids: stance_evidence(_store, ids), **opts)
    page = network_html(view.nodes, view.edges, height="680px")
    return page, len(view.nodes), view.total_nodes, [{"id": n["id"], "label": n["label"], "kind": n["kind"]}
                                                     for n in view.nodes]


@st.cache_data(show_spinner=False, max_entries=4)
def node_index(version: str) -> pd.DataFrame:
    """Every actor and claim that can be searched for in the graph (id, name, kind)."""
    acts, cls = actors(), claims()
    parts = []
    if not acts.empty:
        parts.append(pd.DataFrame({"id": acts["entity"], "name": acts["name"].fillna(acts["entity"]),
                                   "kind": acts["type"].fillna("UnnamedSource"), "weight": acts["stances"]}))
    if not cls.empty:
        parts.append(pd.DataFrame({"id": cls["claim"], "name": cls["claimText"].fillna(cls["claim"]),
                                   "kind": "Claim", "weight": cls["stances"]}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["id", "name", "kind", "weight"])


# -- analysis (kg.analysis is optional) -----------------------------------------------------
def analysis_module():
    """``(module, None)`` or ``(None, reason)``; reason ``"missing"`` when not written yet."""
    try:
        return importlib.import_module("kg.analysis"), None
    except ModuleNotFoundError as exc:
        if exc.name == "kg.analysis":
            return None, "missing"
        return None, f"kg.analysis needs a module that is not installed: {exc}"
    except Exception as exc:  # a half-written module must not take the dashboard down
        return None, f"kg.analysis failed to import: {exc!r}"


def analysis_section(section: str) -> pd.DataFrame | str | None:
    """One section of kg.analysis (see ``analysis_data.SECTIONS``) as a DataFrame, or a message
    saying what is missing or what failed; None without kg.analysis or a store. Each section is
    cached on its own, so a slow one (minutes at a million triples) does not hold up the rest."""
    module, _ = analysis_module()
    s, v = handle()
    if module is None or s is None:
        return None
    return _analysis_section(s, module, f"{v}|{module.__name__}|{id(module)}", section)


@st.cache_data(show_spinner=False, max_entries=16)
def _analysis_section(_store, _module, key: str, section: str):
    from dashboards.analysis_data import run_section

    return run_section(_module, _store, section, labels(), lambda: _stance_graph(_store, _module, key))


@st.cache_resource(show_spinner=False, max_entries=1)
def _stance_graph(_store, _module, key: str):
    """kg.analysis's stance projection, shared by the sections that need it."""
    return _module.stance_graph(_store)


def _claim_score(s: pd.Series, o: pd.Series):
    """kg.analysis's controversy score: balance 2·min(S, O)/(S + O) times log(1 + S + O)."""
    import numpy as np

    total = s + o
    return (2 * np.minimum(s, o) / total.where(total > 0, 1)) * np.log1p(total)


def contested_claims(limit: int = 10) -> pd.DataFrame:
    """Claims with supporters and opponents, ranked like kg.analysis ranks them, from the
    stance counts (fast at any size; the Analysis page has kg.analysis's own table)."""
    df = claims()
    if df.empty:
        return df
    df = df[(df["supporters"] > 0) & (df["opponents"] > 0)].copy()
    df["score"] = _claim_score(df["supporters"], df["opponents"]).round(3)
    df = df.sort_values(["score", "outlets", "stances"], ascending=False)
    return df[["claimText", "score", "supporters", "opponents", "neutrals", "outlets", "claim"]].head(limit)


def central_actors(limit: int = 10) -> pd.DataFrame:
    """Actors taking stances on the most distinct claims (their degree in the stance graph)."""
    df = actors()
    if df.empty:
        return df
    df = df[df["stances"] > 0].sort_values(["claims", "stances", "articles"], ascending=False)
    return df[["name", "type", "claims", "stances", "support", "oppose", "neutral", "entity"]].head(limit)


# -- SPARQL and export --------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def example_queries() -> list[dict]:
    """Canned and example queries: title, description, text, source file."""
    out = []
    for folder in EXAMPLE_DIRS:
        for path in sorted(folder.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            head = dict(line[2:].split(":", 1) for line in text.splitlines()
                        if line.startswith("# ") and ":" in line and line[2:].split(":", 1)[0] in ("title", "description"))
            out.append({"title": head.get("title", path.stem).strip(), "description": head.get("description", "").strip(),
                        "text": text, "source": str(path.relative_to(REPO))})
    return out


def user_query(text: str, limit: int, timeout: float):
    """``(QueryResult, seconds)`` of a user's read-only SPARQL (QueryError when refused)."""
    s, v = handle()
    if s is None:
        raise StoreError(f"no store at {location()}; ingest articles first")
    return _user_query(s, v, text, limit, timeout)


@st.cache_data(show_spinner="Running the query…", max_entries=16, ttl=900)
def _user_query(_store, version: str, text: str, limit: int, timeout: float):
    from kg.query import run_user_query

    t0 = time.perf_counter()
    result = run_user_query(_store, text, limit=limit, timeout=timeout)
    return result, time.perf_counter() - t0


def export_formats() -> list[str]:
    """Every format offered: kg.export's, plus graph files and the HTML page until it lists them."""
    from kg import export as ex

    formats = list(getattr(ex, "FORMATS", ex.RDF_FORMATS))
    try:
        from kg.graph_export import GRAPH_FORMATS
    except ImportError:
        GRAPH_FORMATS = ()
    return formats + [f for f in (*GRAPH_FORMATS, "html") if f not in formats]


def export_bytes(store, fmt: str) -> bytes:
    """The store in ``fmt``, written by kg.export (or kg.graph_export / kg.viz for formats
    kg.export does not take yet) into a temporary file."""
    from kg import export as ex

    with tempfile.TemporaryDirectory(prefix="kg-export-") as tmp:
        path = Path(tmp) / f"graph.{EXPORT_EXT.get(fmt, fmt)}"
        if fmt in getattr(ex, "FORMATS", ex.RDF_FORMATS):
            ex.export(store, fmt, path)
        elif fmt == "html":
            from kg.viz import store_html

            path.write_text(store_html(store), encoding="utf-8")
        else:
            from kg.graph_export import export_graph

            export_graph(store, fmt, path)
        if path.is_dir():                 # a format written as several files: send them zipped
            return _zip(path)
        return path.read_bytes()


def _zip(folder: Path) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    return buf.getvalue()
