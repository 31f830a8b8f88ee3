"""Adapter from ``kg.analysis`` (optional, written separately) to tables and chart choices.

The dashboard does not fix kg.analysis's API: for each section it takes the first function
that exists under a few likely names, passes it the NetworkX projection (from
``to_networkx``) or, when its first parameter is called ``store``, the store itself, and turns
whatever comes back (DataFrame, dict keyed by node, list of dicts/dataclasses/tuples, list of
node sets, a graph with weighted edges) into a DataFrame with readable labels next to IRIs.
A section that fails shows its error; the others still render.
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
    """Section -> DataFrame, or a message saying what is missing or what failed."""
    graph = _Lazy(_builder(module), store)
    out: dict[str, pd.DataFrame | str] = {}
    for section, names in SECTIONS.items():
        fn = next((getattr(module, n) for n in names if callable(getattr(module, n, None))), None)
        if fn is None:
            out[section] = f"kg.analysis has no {' / '.join(n + '()' for n in names)} yet"
            continue
        try:
            out[section] = label(to_frame(_call(fn, store, graph), section), labels)
        except Exception as exc:  # shown on the page, next to the other sections
            out[section] = f"kg.analysis.{fn.__name__}() failed: {type(exc).__name__}: {exc}"
    return out


class _Lazy:
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
            rows.append({**base, **dataclasses.asdict(v)})
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
        return pd.DataFrame([dataclasses.asdict(x) for x in items])
    if hasattr(first, "_asdict"):
        return pd.DataFrame([x._asdict() for x in items])
    if isinstance(first, (set, frozenset)) or (isinstance(first, list) and all(isinstance(x, str) for x in first)):
        return pd.DataFrame([{"community": i, "node": m} for i, group in enumerate(items) for m in sorted(group)])
    if isinstance(first, tuple):
        cols = ["node", "score"] if len(first) == 2 else [f"c{i}" for i in range(len(first))]
        return pd.DataFrame([list(x) for x in items], columns=cols)
    return pd.DataFrame({"value": items})


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
    texts = [c for c in df.columns if df[c].dtype == object and not _is_iri_column(df[c])]
    prefer = [c for c in numeric if any(w in c.lower() for w in ("score", "centrality", "rank", "agree", "ratio",
                                                                  "contest", "weight"))]
    number = (prefer or [c for c in numeric if c != "community"] or [None])[0]
    return (texts[0] if texts else None), (texts[1] if len(texts) > 1 else None), number


def _is_iri_column(s: pd.Series) -> bool:
    v = s.dropna().head(20)
    return not v.empty and all(isinstance(x, str) and x.startswith(("http://", "https://")) for x in v)
