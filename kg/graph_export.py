"""Graph files: the fact-check graph as GraphML, GEXF, CSV or node-link JSON.

The exported graph (:func:`to_networkx`) is one directed multigraph with four kinds of node
(``kind``: actor, claim, article, outlet; plus ``label`` and ``type``) and four relations:

- ``stance``: actor -> claim, one edge per stance, with ``sign``, ``stance_type``,
  ``polarity``, ``article``, ``outlet`` and ``evidence`` (the sentence);
- ``reports``: article -> claim (``schema:appearance``);
- ``publishes``: outlet -> article (publisher, else URL host, else the article itself);
- ``memberOf``: actor -> organisation.

Every node and every edge carries every attribute (empty string or 0 when it does not apply),
as plain scalars, so GraphML and GEXF keep them and NetworkX reads them back unchanged.
CSV is one zip file holding ``nodes.csv`` (id + node attributes) and ``edges.csv``
(source, target, key + edge attributes).
"""
from __future__ import annotations

import csv
import io
import json
import logging
import re
import zipfile
from pathlib import Path

import networkx as nx

from . import analysis
from .errors import ExportError
from .export import check_target
from .materialise import run_canned   # the whole-store queries from the summary when current
from .store import Store

log = logging.getLogger(__name__)

GRAPH_FORMATS = ("graphml", "gexf", "csv", "json")
NODE_ATTRS = {"kind": "", "label": "", "type": ""}
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EDGE_ATTRS = {"relation": "", "sign": 0, "stance_type": "", "polarity": "", "article": "", "outlet": "",
              "evidence": ""}


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """The whole fact-check graph (stances, appearances, publishers, affiliations)."""
    G = analysis.stance_graph(store)
    G.graph["name"] = "factcheck"
    for _, _, d in G.edges(data=True):
        d["relation"] = "stance"
    _add_articles(store, G)
    for r in run_canned(store, "analysis-members"):
        _node(G, r["entity"], "actor", r["label"] or r["entity"], "Thing")
        _node(G, r["org"], "actor", r["orgLabel"] or r["org"], "Organization")
        G.add_edge(r["entity"], r["org"], key="memberOf", relation="memberOf")
    _fill(G)
    return G


def _node(G: nx.Graph, node: str, kind: str, label: str, type_: str) -> None:
    if node not in G:
        G.add_node(node, kind=kind, label=label, type=type_)


def _add_articles(store: Store, G: nx.MultiDiGraph) -> None:
    outlets = analysis.article_outlets(store)
    for r in run_canned(store, "analysis-articles"):
        a = r["article"]
        _node(G, a, "article", r["headline"] or r["id"] or a, "NewsArticle")
        o, label = outlets[a]
        if o != a:
            _node(G, o, "outlet", label, "Organization")
            G.add_edge(o, a, key="publishes", relation="publishes", outlet=label)
    for r in run_canned(store, "analysis-appearances"):
        _node(G, r["claim"], "claim", r["text"] or "", "Claim")
        G.add_edge(r["article"], r["claim"], key="reports", relation="reports", article=r["article"])


def _fill(G: nx.Graph) -> None:
    """Give every node and edge every attribute as a plain scalar: no None, and no character
    that XML 1.0 forbids (article text is untrusted; GraphML and GEXF are XML)."""
    for _, d in G.nodes(data=True):
        d.update({k: _scalar(d.get(k), v) for k, v in NODE_ATTRS.items()})
    for *_, d in G.edges(data=True):
        d.update({k: _scalar(d.get(k), v) for k, v in EDGE_ATTRS.items()})


def _scalar(value: object, default: object) -> object:
    if value is None:
        return default
    return XML_INVALID.sub("", value) if isinstance(value, str) else value


def export_graph(store: Store, fmt: str, path: str | Path) -> tuple[int, int]:
    """Write :func:`to_networkx` of ``store`` to ``path`` as ``fmt`` (graphml, gexf, csv
    — a zip of nodes.csv and edges.csv — or json, node-link). Returns (nodes, edges)."""
    if fmt not in GRAPH_FORMATS:
        raise ExportError(f"unknown graph format {fmt!r}; expected one of {', '.join(GRAPH_FORMATS)}")
    out = check_target(path)
    G = to_networkx(store)
    {"graphml": nx.write_graphml, "gexf": nx.write_gexf, "csv": _write_csv, "json": _write_json}[fmt](G, out)
    log.info("wrote %s: %d nodes, %d edges", out, G.number_of_nodes(), G.number_of_edges())
    return G.number_of_nodes(), G.number_of_edges()


def _csv_text(header: list[str], rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _write_csv(G: nx.MultiDiGraph, out: Path) -> None:
    nodes = _csv_text(["id", *NODE_ATTRS], ([n, *(d[k] for k in NODE_ATTRS)] for n, d in G.nodes(data=True)))
    edges = _csv_text(["source", "target", "key", *EDGE_ATTRS],
                      ([u, v, k, *(d[a] for a in EDGE_ATTRS)] for u, v, k, d in G.edges(keys=True, data=True)))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("nodes.csv", nodes)
        z.writestr("edges.csv", edges)


def _write_json(G: nx.MultiDiGraph, out: Path) -> None:
    data = nx.node_link_data(G, edges="edges")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_graph(fmt: str, path: str | Path) -> nx.MultiDiGraph:
    """Read back a file written by :func:`export_graph` (for tests and round trips)."""
    path = Path(path)
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    if fmt == "csv":
        return _read_csv(path)
    raise ExportError(f"unknown graph format {fmt!r}; expected one of {', '.join(GRAPH_FORMATS)}")


def _read_csv(path: Path) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    with zipfile.ZipFile(path) as z:
        for r in csv.DictReader(io.StringIO(z.read("nodes.csv").decode("utf-8"))):
            G.add_node(r.pop("id"), **r)
        for r in csv.DictReader(io.StringIO(z.read("edges.csv").decode("utf-8"))):
            G.add_edge(r.pop("source"), r.pop("target"), key=r.pop("key"), **dict(r, sign=int(r["sign"])))
    return G
