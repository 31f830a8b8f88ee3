"""Adapter from ``kg.analysis`` (optional, written separately) to tables and chart choices.

Sections use kg.analysis as written (``contested_claims(store)``, ``centrality`` of the
``stance_graph``, ``alignment_communities`` of the ``alignment_graph``, ``outlet_agreement``).
Should those names change, each section falls back to the first function found under a few
likely names, called with the store or a NetworkX projection, and whatever comes back
(DataFrame, dict keyed by node, list of dicts/dataclasses/tuples, node sets, a weighted graph)
becomes a DataFrame with readable labels next to IRIs. A failing section shows its error;
the others still render.
"""
from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

SECTIONS = {
    "contested": ("contested_claims", "most_contested", "contested"),
    "centrality": ("central_actors", "centrality", "actor_centrality", "pagerank"),
    "communities": ("communities", "detect_communities", "community_partition"),
    "agreement": ("outlet_agreement", "agreement"),
}
GRAPH_BUILDERS = ("to_networkx", "project", "projection", "build_graph")
STORE_PARAMS = ("store", "kg_store", "s")


def run_analysis(module, store, labels: Mapping[str, str]) -> dict[str, pd.DataFrame | str]:
    """Every section: DataFrame, or a message saying what is missing or what failed."""
    graph = _Lazy(getattr(module, "stance_graph", None), store)
    return {section: run_section(module, store, section, labels, graph.get) for section in SECTIONS}


def run_section(module, store, section: str, labels: Mapping[str, str],
                stance_graph: Callable[[], object] | None = None) -> pd.DataFrame | str:
    """One section; ``stance_graph()`` returns kg.analysis's stance projection (shared, cached)."""
    stance_graph = stance_graph or _Lazy(getattr(module, "stance_graph", None), store).get
    known = _known_api(module, store, stance_graph)
    if section in known:
        fn, call = known[section]
    else:
        names = SECTIONS[section]
        fn = next((getattr(module, n) for n in names if callable(getattr(module, n, None))), None)
        if fn is None:
            return f"kg.analysis has no {' / '.join(n + '()' for n in names)} yet"

        def call():
            return label(to_frame(_call(fn, store, _Lazy(_builder(module), store)), section), labels)
    try:
        return call()
    except Exception as exc:  # shown on the page, next to the other sections
        return f"kg.analysis.{getattr(fn, '__name__', section)}() failed: {type(exc).__name__}: {exc}"


def _known_api(module, store, stance_graph: Callable[[], object]) -> dict[str, tuple[Callable, Callable]]:
    """Calls for kg.analysis as written (stance_graph, centrality, alignment_communities …)."""
    has = {n for n in ("contested_claims", "stance_graph", "centrality", "alignment_graph",
                       "alignment_communities", "outlet_agreement") if callable(getattr(module, n, None))}
    known: dict[str, tuple[Callable, Callable]] = {}
    if "contested_claims" in has:
        known["contested"] = (module.contested_claims, lambda: _contested(module, store))
    if {"stance_graph", "centrality"} <= has:
        known["centrality"] = (module.centrality, lambda: _actor_centrality(module, stance_graph()))
    if {"stance_graph", "alignment_graph", "alignment_communities"} <= has:
        known["communities"] = (module.alignment_communities, lambda: _communities(module, stance_graph()))
    if "outlet_agreement" in has:
        known["agreement"] = (module.outlet_agreement, lambda: _agreement(module, store))
    return known


def _contested(module, store) -> pd.DataFrame:
    df = to_frame(module.contested_claims(store, top=50))
    if df.empty:
        return df
    order = ["text", "score", "controversy", "supporters", "opposers", "neutrals", "outlets", "claim"]
    return df[[c for c in order if c in df.columns] + [c for c in df.columns if c not in order]]


def _agreement(module, store) -> pd.DataFrame:
    df = to_frame(module.outlet_agreement(store))
    if df.empty:
        return df
    df = df.rename(columns={"label_a": "outlet A", "label_b": "outlet B"})
    order = ["outlet A", "outlet B", "score", "shared_claims", "compared", "agreed"]
    return df[[c for c in order if c in df.columns] + [c for c in df.columns if c not in order]]


def _actor_centrality(module, G) -> pd.DataFrame:
    ranks = module.centrality(G, kind="pagerank")
    degree = module.centrality(G, kind="degree")
    rows = [{"actor": d.get("label") or n, "type": d.get("type", ""), "pagerank": ranks.get(n, 0.0),
             "degree": degree.get(n, 0.0), "claims": len(set(G.successors(n))), "node": n}
            for n, d in G.nodes(data=True) if d.get("kind") == "actor"]
    df = pd.DataFrame(rows)
    return df.sort_values("pagerank", ascending=False) if not df.empty else df


def _communities(module, G) -> pd.DataFrame:
    parts = module.alignment_communities(module.alignment_graph(G))
    df = pd.DataFrame([{"community": c, "actor": G.nodes[n].get("label", n) if n in G else n, "node": n}
                       for n, c in parts.items()])
    if df.empty:
        return df
    sizes = df.groupby("community")["node"].transform("size")
    return df[sizes > 1].sort_values(["community", "actor"])      # singletons say nothing


class _Lazy:
    """A value computed once, on first use (a projection several sections share)."""

    def __init__(self, builder: Callable | None, store):
        self.builder, self.store, self.value, self.done = builder, store, None, False

    def get(self):
        if not self.done:
            self.value, self.done = (self.builder(self.store) if self.builder else None), True
        return self.value


def _builder(module) -> Callable | None:
    return next((getattr(module, n) for n in GRAPH_BUILDERS if callable(getattr(module, n, None))), None)


def _call(fn: Callable, store, graph: _Lazy):
    try:
        first = next(iter(inspect.signature(fn).parameters), "")
    except (TypeError, ValueError):
        first = ""
    if first in STORE_PARAMS or graph.builder is None:
        return fn(store)
    return fn(graph.get())


def to_frame(result, section: str = "") -> pd.DataFrame:
    """Whatever an analysis function returned, as a DataFrame."""
    if result is None:
        return pd.DataFrame()
    if isinstance(result, pd.DataFrame):
        return result.reset_index(drop=True) if result.index.name is None else result.reset_index()
    if isinstance(result, pd.Series):
        return result.rename("score").rename_axis("node").reset_index()
    if hasattr(result, "edges") and callable(result.edges):      # a (weighted) graph
        return pd.DataFrame([{"a": a, "b": b, **d} for a, b, d in result.edges(data=True)])
    if isinstance(result, Mapping):
        return _from_mapping(result, section)
    if isinstance(result, Iterable) and not isinstance(result, (str, bytes)):
        return _from_items(list(result))
    return pd.DataFrame({"value": [result]})


def _from_mapping(result: Mapping, section: str) -> pd.DataFrame:
    items = list(result.items())
    if not items:
        return pd.DataFrame()
    pair = isinstance(items[0][0], tuple) and len(items[0][0]) == 2    # e.g. (outlet, outlet)
    rows = []
    for k, v in items:
        base = {"a": k[0], "b": k[1]} if pair else {"node": k}
        if isinstance(v, Mapping):
            rows.append({**base, **v})
        elif dataclasses.is_dataclass(v):
            rows.append({**base, **_flat(v)})
        elif isinstance(v, (set, frozenset, list, tuple)) and section == "communities":
            rows += [{"community": k, "node": m} for m in v]
        else:
            rows.append({**base, ("community" if section == "communities" else "score"): v})
    return pd.DataFrame(rows)


def _from_items(items: list) -> pd.DataFrame:
    if not items:
        return pd.DataFrame()
    first = items[0]
    if isinstance(first, Mapping):
        return pd.DataFrame([dict(x) for x in items])
    if dataclasses.is_dataclass(first):
        return pd.DataFrame([_flat(x) for x in items])
    if hasattr(first, "_asdict"):
        return pd.DataFrame([x._asdict() for x in items])
    if isinstance(first, (set, frozenset)) or (isinstance(first, list) and all(isinstance(x, str) for x in first)):
        return pd.DataFrame([{"community": i, "node": m} for i, group in enumerate(items) for m in sorted(group)])
    if isinstance(first, tuple):
        cols = ["node", "score"] if len(first) == 2 else [f"c{i}" for i in range(len(first))]
        return pd.DataFrame([list(x) for x in items], columns=cols)
    return pd.DataFrame({"value": items})


def _flat(record) -> dict:
    """A dataclass as a row: tuples of records (actors) become "; "-joined labels."""
    row = {}
    for f in dataclasses.fields(record):
        v = getattr(record, f.name)
        if isinstance(v, (tuple, list, set, frozenset)):
            v = "; ".join(str(getattr(x, "label", x)) for x in v)
        row[f.name] = v
    return row


def label(df: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Put a readable ``<col>_name`` column before every column of IRIs."""
    for col in list(df.columns):
        values = df[col].dropna()
        if values.empty or not all(isinstance(v, str) and v.startswith(("http://", "https://")) for v in values.head(20)):
            continue
        if f"{col}_name" in df.columns:
            continue
        df.insert(df.columns.get_loc(col), f"{col}_name", [labels.get(v, _tail(v)) for v in df[col]])
    return df


def _tail(iri) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if isinstance(iri, str) else iri


def chart_columns(df: pd.DataFrame) -> tuple[str | None, str | None, str | None]:
    """``(label, second label, number)`` columns to chart (second label for a heatmap)."""
    if df.empty:
        return None, None, None
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    texts = [c for c in df.columns if (pd.api.types.is_string_dtype(df[c]) or pd.api.types.is_object_dtype(df[c]))
             and not _is_iri_column(df[c])]
    words = ("score", "pagerank", "centrality", "rank", "ratio", "contest", "weight", "agree")
    prefer = [c for w in words for c in numeric if w in str(c).lower()]
    number = (prefer or [c for c in numeric if c != "community"] or [None])[0]
    return (texts[0] if texts else None), (texts[1] if len(texts) > 1 else None), number


def _is_iri_column(s: pd.Series) -> bool:
    v = s.dropna().head(20)
    return not v.empty and all(isinstance(x, str) and x.startswith(("http://", "https://")) for x in v)
