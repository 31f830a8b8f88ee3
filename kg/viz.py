"""Graph view: stance rows -> nodes and edges -> one standalone, offline pyvis HTML page.

``graph_elements`` turns stance rows (``queries/dash-graph-edges.rq`` with names joined in by
``join_names``, or ``dash-stances.rq``) and ``dash-affiliations.rq`` rows into actor and claim
nodes joined by stance edges, filtered and capped to the most relevant nodes; the evidence of
the shown edges only is fetched afterwards (``stance_evidence``). ``network_html`` renders any
nodes and edges with pyvis: vis-network is inlined, every CDN or ``node_modules`` reference of
pyvis's template is removed (the page requests nothing), every label and tooltip is
HTML-escaped, and physics stops once the layout has stabilised. ``highlight_html`` marks spans
of an untrusted text (escape first, then wrap in tags). ``store_html`` is the whole store as
such a page (for ``kg export --format html``).
"""
from __future__ import annotations

import heapq
import html
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .records import POLARITY, STANCE_TYPES

KIND_COLOURS = {"Person": "#4e79a7", "Organization": "#f28e2b", "Place": "#76b7b2",
                "CreativeWork": "#b07aa1", "UnnamedSource": "#bab0ac", "Claim": "#edc948"}
POLARITY_COLOURS = {"support": "#2ca02c", "oppose": "#d62728", "neutral": "#7f7f7f",
                    "affiliation": "#b8b8b8"}
TAGS = ("mark", "b", "i")            # the only markup tooltips and highlights may contain
MAX_EVIDENCE = 4                     # evidence sentences per edge tooltip
Segments = Sequence[tuple[str, str | tuple[str, ...] | None]]
Title = str | Segments


@dataclass
class GraphView:
    """Nodes and edges ready for :func:`network_html`, with what the cap left out."""

    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    total_nodes: int = 0              # nodes that passed the filters, before the cap


# -- text helpers ----------------------------------------------------------------------------
def outlet_label(publisher: str | None, url: str | None, article_id: str | None) -> str:
    """Outlet name: the publisher, else the URL's host, else the article file's stem.

    Reserved example domains (RFC 2606) name no outlet, so they fall through to the file stem:
    >>> outlet_label(None, "https://example.org/x/1", "merrow-bay/northshore-post.txt")
    'northshore-post'
    """
    publisher, url, article_id = (v if isinstance(v, str) else None for v in (publisher, url, article_id))
    if publisher:
        return publisher
    host = (urlsplit(url).hostname or "") if url and "://" in url else ""
    host = host.removeprefix("www.")
    if host and not re.search(r"(^|\.)example\.(org|com|net)$", host):
        return host
    stem = (article_id or "").rsplit("/", 1)[-1].split("#")[0]
    return stem.rsplit(".", 1)[0] if "." in stem else (stem or "unknown outlet")


def row_outlet(r: Mapping) -> str:
    """Outlet of a query row with ``outletName`` or ``publisherName``, ``url``, ``articleId``."""
    name = r.get("outletName")
    return name if isinstance(name, str) and name else outlet_label(r.get("publisherName"), r.get("url"),
                                                                    r.get("articleId"))


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _segments(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[str, tuple[str, ...]]]:
    """Split ``text`` at span borders; each piece carries the tags of the spans covering it."""
    cuts = {0, len(text)}
    good = [(max(0, s), min(len(text), e), t) for s, e, t in spans if t in TAGS and s is not None
            and e is not None and 0 <= s < e]
    for s, e, _ in good:
        cuts.update((s, e))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out = []
    for a, b in zip(points, points[1:]):
        tags = tuple(t for t in TAGS if any(s <= a and b <= e for s, e, tt in good if tt == t))
        out.append((text[a:b], tags))
    return out


def _render(segments: Iterable[tuple[str, str | tuple[str, ...] | None]]) -> str:
    parts = []
    for text, tags in segments:
        tags = (tags,) if isinstance(tags, str) else tuple(tags or ())
        tags = tuple(t for t in tags if t in TAGS)
        piece = html.escape(text).replace("\n", "<br>")
        parts.append("".join(f"<{t}>" for t in tags) + piece + "".join(f"</{t}>" for t in reversed(tags)))
    page = "".join(parts)
    for t in TAGS:                        # one <mark> around a sentence, even with a <b> cue inside
        page = page.replace(f"</{t}><{t}>", "")
    return page


def highlight_html(text: str, spans: Iterable[tuple[int, int, str]] = ()) -> str:
    """``text`` HTML-escaped, with each ``(start, end, tag)`` span wrapped in ``<tag>``.

    >>> highlight_html("a <b> c", [(2, 5, "mark")])
    'a <mark>&lt;b&gt;</mark> c'
    """
    return _render(_segments(text or "", spans))


def title_html(title: Title | None) -> str:
    """A tooltip as safe HTML: plain text is escaped; segments are escaped and wrapped."""
    if title is None:
        return ""
    if isinstance(title, str):
        return _render([(title, None)])
    return _render(title)


# -- graph from stance rows -----------------------------------------------------------------
def graph_elements(stances: Iterable[Mapping], affiliations: Iterable[Mapping] = (), *,
                   articles: Iterable[str] | None = None, outlets: Iterable[str] | None = None,
                   entity_types: Iterable[str] | None = None, stance_types: Iterable[str] | None = None,
                   min_degree: int = 0, focus: str | None = None, depth: int = 1, max_nodes: int = 300,
                   evidence: Callable[[list[str]], Iterable[Mapping]] | None = None) -> GraphView:
    """Actors and claims joined by stance edges (one edge per holder, claim and polarity).

    Filters left as ``None`` keep everything. Relevance is distance from ``focus`` first, then
    degree, contested claims first among equals; the view grows from the most relevant node
    through its best neighbours (so it stays connected) until ``max_nodes``.
    Rows without their evidence sentence get it from ``evidence(stance IRIs)``, asked only for
    the edges shown (see :func:`stance_evidence`).
    """
    keep = _row_filter(articles, outlets, entity_types, stance_types)
    groups: dict[tuple[str, str, str], list[Mapping]] = defaultdict(list)
    nodes: dict[str, dict] = {}
    seen: set[str] = set()
    for r in stances:
        r = {**r, "outletName": row_outlet(r)}
        if r.get("stance") in seen or not keep(r):
            continue
        seen.add(r.get("stance"))
        groups[(r["holder"], r["claim"], POLARITY.get(r["stanceType"], "neutral"))].append(r)
        nodes.setdefault(r["holder"], {"id": r["holder"], "kind": r.get("holderType") or "UnnamedSource",
                                       "name": r.get("holderName") or r["holder"]})
        nodes.setdefault(r["claim"], {"id": r["claim"], "kind": "Claim", "name": r.get("claimText") or r["claim"]})
    edges = [{"from": h, "to": c, "polarity": pol, "rows": rows} for (h, c, pol), rows in groups.items()]
    types = set(entity_types) if entity_types is not None else None
    for a in affiliations:
        if a["member"] in nodes and (types is None or "Organization" in types):
            nodes.setdefault(a["org"], {"id": a["org"], "kind": "Organization", "name": a.get("orgName") or a["org"]})
            edges.append(_affiliation_edge(a))
    view = _select(nodes, edges, min_degree=min_degree, focus=focus, depth=depth, max_nodes=max_nodes)
    _add_evidence(view.edges, evidence)
    return view


def _add_evidence(edges: list[dict], evidence) -> None:
    """Titles for the shown stance edges, with up to MAX_EVIDENCE evidence sentences each."""
    wanted = [r["stance"] for e in edges for r in e.get("rows", ())[:MAX_EVIDENCE] if not r.get("sentence")]
    found = {r["stance"]: r for r in evidence(wanted)} if evidence and wanted else {}
    for e in edges:
        if "rows" in e:
            rows = e.pop("rows")
            shown = [{**r, **{k: v for k, v in found.get(r["stance"], {}).items() if v is not None}}
                     for r in rows[:MAX_EVIDENCE]]
            e.update(_stance_edge(e["from"], e["to"], e["polarity"], shown, len(rows)))


def join_names(edges: Iterable[Mapping], actors: Iterable[Mapping], claims: Iterable[Mapping],
               articles: Iterable[Mapping]) -> list[dict]:
    """Rows of ``dash-graph-edges`` with the holder's name and type, the claim's text and the
    article's id, headline, date, URL and publisher, from ``dash-actors``, ``dash-claims`` and
    ``dash-articles`` rows."""
    who = {a["entity"]: (a.get("name"), a.get("type")) for a in actors}
    what = {c["claim"]: c.get("claimText") for c in claims}
    where = {a["article"]: {k: a.get(k) for k in ("articleId", "headline", "date", "url", "publisherName")}
             for a in articles}
    out = []
    for e in edges:
        name, kind = who.get(e["holder"], (None, None))
        out.append({**e, "holderName": name, "holderType": kind, "claimText": what.get(e["claim"]),
                    **where.get(e["article"], {})})
    return out


def stance_evidence(store, stances: Iterable[str]) -> list[dict]:
    """Evidence of each stance: ``cue``, ``content``, ``sentence`` and their ``…Start``/``…End``."""
    from .query import canned

    query, out = canned("dash-stance-spans"), []
    for iri in stances:
        row: dict = {"stance": iri}
        for r in select_values(store, query, stance=iri):
            row.update({r["role"]: r["exact"], f"{r['role']}Start": r["start"], f"{r['role']}End": r["end"]})
        out.append(row)
    return out


def stances_with_evidence(store, **iri: str) -> list[dict]:
    """``dash-stances`` rows for one bound IRI (``claim=…``, ``holder=…``, ``article=…``) with
    their evidence, in article and sentence order."""
    from .query import canned

    rows = select_values(store, canned("dash-stances"), **iri)
    spans = {e["stance"]: e for e in stance_evidence(store, [r["stance"] for r in rows])}
    out = [{**r, **spans.get(r["stance"], {})} for r in rows]
    return sorted(out, key=lambda r: (str(r.get("date") or ""), str(r.get("articleId") or ""),
                                      r.get("sentenceStart") if isinstance(r.get("sentenceStart"), int) else -1))


def select_values(store, sparql: str, **values: str) -> list[dict]:
    """``store.select`` with each variable bound to one IRI by a ``VALUES`` block.

    pyoxigraph 0.5 applies query substitutions after planning, so a query bound that way still
    reads every stance (0.5–5 s at 1M triples); a one-value VALUES block is planned first
    (about 5 ms). Several values in one block plan badly again, hence one IRI per variable.
    Each IRI is serialised by rdflib (``URIRef.n3``), which refuses anything that is not an IRI.
    """
    from rdflib import URIRef

    from .store import bind_values

    terms = {}
    for var, iri in values.items():
        if not re.fullmatch(r"[A-Za-z_]\w*", var) or not isinstance(iri, str):
            raise ValueError(f"bind one IRI to a plain variable name, not {var!r}={iri!r}")
        try:
            URIRef(iri).n3()
        except Exception as exc:          # rdflib raises a bare Exception for a non-IRI
            raise ValueError(f"not an IRI: {iri!r}") from exc
        terms[var] = URIRef(iri)
    bound = bind_values(sparql, terms)    # at the WHERE pattern and in its UNION branches (kg.store)
    if bound is None:
        raise ValueError("query has no WHERE { … } to bind values in")
    return store.select(bound)


def _row_filter(articles, outlets, entity_types, stance_types):
    sets = [(k, set(v)) for k, v in (("article", articles), ("outletName", outlets),
                                     ("holderType", entity_types), ("stanceType", stance_types)) if v is not None]
    return lambda r: all((r.get(k) or ("UnnamedSource" if k == "holderType" else "")) in s for k, s in sets)


def _stance_edge(holder: str, claim: str, polarity: str, rows: list[Mapping], total: int) -> dict:
    types = sorted({r["stanceType"] for r in rows}, key=STANCE_TYPES.index)
    first = rows[0]
    seg: list = [(first.get("holderName") or holder, "b"), (f" {'/'.join(t.lower() for t in types)} ", None),
                 (f"“{first.get('claimText') or claim}”", "i")]
    for r in rows:
        seg.append((f"\n\n{r.get('outletName') or ''}{', ' + str(r['date']) if r.get('date') else ''} "
                    f"({r['stanceType'].lower()}):\n", None))
        seg += evidence_segments(r)
    if total > len(rows):
        seg.append((f"\n\n… and {total - len(rows)} more", None))
    return {"from": holder, "to": claim, "polarity": polarity, "width": 1 + math.log2(total) * 1.5,
            "title": seg, "stances": total}


def evidence_segments(r: Mapping) -> list[tuple[str, tuple[str, ...]]]:
    """The evidence sentence of a stance row with its cue in bold and its content marked."""
    sentence = r.get("sentence") or r.get("content") or ""
    base = r.get("sentenceStart") if r.get("sentence") else r.get("contentStart")
    spans = []
    if isinstance(base, int):
        for s, e, tag in (("cueStart", "cueEnd", "b"), ("contentStart", "contentEnd", "mark")):
            if isinstance(r.get(s), int) and isinstance(r.get(e), int):
                spans.append((r[s] - base, r[e] - base, tag))
    return _segments(sentence, spans)


def _affiliation_edge(a: Mapping) -> dict:
    return {"from": a["member"], "to": a["org"], "polarity": "affiliation",
            "title": [(a.get("memberName") or a["member"], "b"), (" member of ", None),
                      (a.get("orgName") or a["org"], "b")]}


def _select(nodes: dict[str, dict], edges: list[dict], *, min_degree: int, focus: str | None,
            depth: int, max_nodes: int) -> GraphView:
    degree: dict[str, int] = defaultdict(int)
    sides: dict[str, set[str]] = defaultdict(set)
    adj: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        degree[e["from"]] += 1
        degree[e["to"]] += 1
        adj[e["from"]].add(e["to"])
        adj[e["to"]].add(e["from"])
        sides[e["to"]].add(e["polarity"])
    alive = {n for n in nodes if degree[n] >= min_degree or n == focus}
    dist = _distances(focus, adj, depth) if focus in nodes else None
    if dist is not None:
        alive &= set(dist)
    contested = {n for n, s in sides.items() if {"support", "oppose"} <= s}
    rank = {n: ((dist or {}).get(n, 0), -degree[n], n not in contested, n) for n in alive}
    order = _grow(sorted(alive, key=rank.__getitem__), rank, adj, max(1, max_nodes))
    chosen = set(order)
    view = GraphView(total_nodes=len(alive))
    view.nodes = [_node(nodes[n], degree[n], n in contested, n == focus) for n in order]
    view.edges = [e for e in edges if e["from"] in chosen and e["to"] in chosen]
    return view


def _grow(ranked: list[str], rank: Mapping[str, tuple], adj: Mapping[str, set[str]], cap: int) -> list[str]:
    """Up to ``cap`` nodes, best first, each next one a neighbour of those taken when possible:
    the view shows the neighbourhoods of the most relevant nodes, not their scattered copies."""
    taken: list[str] = []
    seen: set[str] = set()
    heap: list[tuple] = []
    seeds = iter(ranked)
    while len(taken) < cap:
        if not heap:
            seed = next((n for n in seeds if n not in seen), None)
            if seed is None:
                break
            heap.append((rank[seed], seed))
        _, n = heapq.heappop(heap)
        if n in seen:
            continue
        seen.add(n)
        taken.append(n)
        for m in adj.get(n, ()):
            if m in rank and m not in seen:
                heapq.heappush(heap, (rank[m], m))
    return taken


def _distances(focus: str, adj: Mapping[str, set[str]], depth: int) -> dict[str, int]:
    dist, frontier = {focus: 0}, [focus]
    for d in range(1, max(1, depth) + 1):
        frontier = [m for n in frontier for m in adj.get(n, ()) if m not in dist]
        for m in frontier:
            dist.setdefault(m, d)
    return dist


def _node(n: dict, degree: int, contested: bool, focused: bool) -> dict:
    kind = n["kind"]
    note = f"\n{degree} stance{'s' if degree != 1 else ''}" + (" · contested" if contested else "")
    return {"id": n["id"], "label": shorten(n["name"], 48 if kind == "Claim" else 32), "kind": kind,
            "title": [(n["name"], "b"), (f"\n{kind}{note}", None)],
            "size": 10 + 4 * math.sqrt(degree), "borderWidth": 4 if contested or focused else 1}


# -- HTML -----------------------------------------------------------------------------------
OPTIONS = {
    "physics": {"enabled": True, "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.3},
                "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25, "fit": True}},
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
    "edges": {"smooth": {"type": "continuous"}},
    "nodes": {"font": {"size": 13}},
}
_JS_PREPARE = """<script type="text/javascript">
function fckText(s) { var t = document.createElement("textarea"); t.innerHTML = s; return t.value; }
function fckPrepare(items) {
  for (var i = 0; i < items.length; i++) {
    var it = items[i];
    if (typeof it.label === "string") { it.label = fckText(it.label); }
    if (typeof it.fckTitle === "string" && it.fckTitle) {
      var d = document.createElement("div"); d.className = "fck-tip"; d.innerHTML = it.fckTitle; it.title = d;
    }
  }
  return items;
}
</script>
"""
_JS_AFTER = """
                  network.once("stabilizationIterationsDone", function () {
                      network.setOptions({physics: {enabled: false}});
                  });
                  network.on("click", function (p) {
                      var panel = document.getElementById("fck-details");
                      var item = p.nodes.length ? nodes.get(p.nodes[0]) : (p.edges.length ? edges.get(p.edges[0]) : null);
                      panel.innerHTML = item && item.fckTitle ? item.fckTitle : panel.getAttribute("data-hint");
                  });
"""
_CSS = """<style>
body { font-family: system-ui, sans-serif; margin: 0; }
.fck-tip { max-width: 460px; white-space: normal; font-size: 13px; line-height: 1.35; }
.fck-legend { font-size: 13px; padding: 4px 6px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
.fck-legend span.sw { display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-right: 4px; vertical-align: -1px; }
.fck-legend span.ln { display: inline-block; width: 22px; height: 0; border-top: 3px solid; margin-right: 4px; vertical-align: 3px; }
#fck-details { clear: both; font-size: 13px; padding: 6px; border-top: 1px solid #ddd; min-height: 2em; }
mark { background: #ffe58a; }
</style>
"""
_REMOTE = [
    re.compile(r"<!--.*?node_modules.*?-->", re.S),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"'](?:https?:)?//[^>]*>", re.S | re.I),
    re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"'](?:https?:)?//[^>]*>\s*</script>", re.S | re.I),
    re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.S),
]


def network_html(nodes: Iterable[Mapping], edges: Iterable[Mapping], *, height: str = "700px",
                 title: str = "factcheck-kg graph", legend: bool = True) -> str:
    """A standalone HTML page drawing ``nodes`` and ``edges`` (no request beyond the page itself).

    Nodes: ``id``, ``label``, optional ``kind`` (colour), ``title`` (plain text or segments),
    ``size``, ``borderWidth``. Edges: ``from``, ``to``, optional ``polarity`` (support | oppose |
    neutral | affiliation), ``title``, ``width``, ``label``.
    """
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    net.nodes = [_vis_node(n) for n in nodes]
    net.edges = [_vis_edge(i, e) for i, e in enumerate(edges)]
    net.options = OPTIONS
    page = net.generate_html(notebook=False)
    return _finish(page, net.nodes, title=title, legend=legend)


def _vis_node(n: Mapping) -> dict:
    kind = n.get("kind") or "Claim"
    out = {"id": str(n["id"]), "label": html.escape(str(n.get("label", n["id"]))),
           "fckTitle": title_html(n.get("title")), "color": KIND_COLOURS.get(kind, "#9c9c9c"),
           "shape": "diamond" if kind == "Claim" else "dot", "size": float(n.get("size", 12)),
           "borderWidth": n.get("borderWidth", 1)}
    return out


def _vis_edge(i: int, e: Mapping) -> dict:
    pol = e.get("polarity") or "neutral"
    out = {"id": f"e{i}", "from": str(e["from"]), "to": str(e["to"]), "fckTitle": title_html(e.get("title")),
           "color": POLARITY_COLOURS.get(pol, "#7f7f7f"), "width": float(e.get("width", 1)),
           "arrows": "" if pol == "affiliation" else "to", "dashes": pol in ("neutral", "affiliation")}
    if e.get("label"):
        out["label"] = html.escape(str(e["label"]))
    return out


def _finish(page: str, vis_nodes: list[dict], *, title: str, legend: bool) -> str:
    for pattern in _REMOTE:
        page = pattern.sub("", page)
    prepared, n = re.subn(r"(\b(?:nodes|edges) = new vis\.DataSet\()(.*)(\);)", r"\1fckPrepare(\2)\3", page)
    if n != 2 or "network = new vis.Network(container, data, options);" not in prepared:
        raise RuntimeError("pyvis template changed: cannot install the graph page's safe tooltips")
    page = prepared.replace("network = new vis.Network(container, data, options);",
                            "network = new vis.Network(container, data, options);" + _JS_AFTER, 1)
    head = f"<title>{html.escape(title)}</title>\n{_CSS}{_JS_PREPARE}"
    page = page.replace("<head>", "<head>\n" + head, 1).replace("<html>", '<!DOCTYPE html>\n<html lang="en">', 1)
    hint = "Click a node or an edge to see its evidence here."
    top = _legend_html({n.get("color") for n in vis_nodes}) if legend else ""
    page = page.replace('<div class="card" style="width: 100%">', top + '<div class="card" style="width: 100%">', 1)
    details = f'<div id="fck-details" data-hint="{html.escape(hint)}">{html.escape(hint)}</div>'
    return page.replace("</body>", details + "\n</body>", 1)


def _legend_html(colours: set) -> str:
    kinds = [k for k, c in KIND_COLOURS.items() if c in colours] or list(KIND_COLOURS)
    items = [f'<span><span class="sw" style="background:{KIND_COLOURS[k]}"></span>{html.escape(k)}</span>'
             for k in kinds]
    for pol, text in (("support", "supports (asserts, confirms)"), ("oppose", "opposes (denies, disputes)"),
                      ("neutral", "neutral (questions)"), ("affiliation", "member of")):
        style = "dashed" if pol in ("neutral", "affiliation") else "solid"
        items.append(f'<span><span class="ln" style="border-top-style:{style};'
                     f'border-color:{POLARITY_COLOURS[pol]}"></span>{html.escape(text)}</span>')
    return '<div class="fck-legend">' + "".join(items) + "</div>\n"


def store_html(store, *, max_nodes: int = 300, height: str = "800px") -> str:
    """The whole store as a standalone graph page (what ``kg export --format html`` writes)."""
    from .materialise import run_canned   # the lists come from the summary when it is current

    rows = join_names(run_canned(store, "dash-graph-edges"), run_canned(store, "dash-actors"),
                      run_canned(store, "dash-claims"), run_canned(store, "dash-articles"))
    view = graph_elements(rows, run_canned(store, "dash-affiliations"), max_nodes=max_nodes,
                          evidence=lambda ids: stance_evidence(store, ids))
    return network_html(view.nodes, view.edges, height=height)
