"""Analysis: NetworkX projections of the fact-check graph and metrics over them.

Projections are built from a handful of SPARQL queries (``kg/queries/analysis-*.rq``), never
by loading every triple. Every node carries ``kind`` (actor, claim, outlet or article),
``label`` and ``type``; attribute values are plain scalars, so the graphs can be written as
GraphML or GEXF as they are.

Signs: ``fck:Asserts`` and ``fck:Confirms`` support a claim (+1), ``fck:Denies`` and
``fck:Disputes`` oppose it (-1), ``fck:Questions`` is neutral (0). A holder's *side* on a claim
is the sign of the sum of its stance signs there, so a holder counts once per claim.

An article's *outlet* is its publisher (``schema:publisher``), else the host of its URL, else
the article itself (labelled with its identifier).
"""
from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from itertools import combinations
from typing import NamedTuple
from urllib.parse import urlsplit

import networkx as nx
from rdflib import Literal, URIRef

from . import iris
from .errors import KGError
from .namespaces import FCK, KGID
from .materialise import run_canned   # unbound whole-store queries: from the summary when current
from .query import QueryResult
from .store import Store

log = logging.getLogger(__name__)

ANALYSIS_GRAPH = KGID["graph/analysis"]
POLARITY = {1: "support", -1: "oppose", 0: "neutral"}
SEED = 42
EXACT_BETWEENNESS_EDGES = 10_000   # exact betweenness above this size is too slow (DESIGN.md)
BETWEENNESS_BUDGET = 2_000_000     # sampled sources x edges: about 10 s in pure Python


class AnalysisError(KGError):
    """An analysis could not run on the given graph or names."""


# -- records -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Actor:
    iri: str
    label: str


@dataclass(frozen=True)
class ContestedClaim:
    """A claim with holders on both sides; ``score`` ranks, ``controversy`` is in [0, 1]."""
    claim: str
    text: str
    score: float
    controversy: float
    supporters: tuple[Actor, ...]
    opposers: tuple[Actor, ...]
    neutrals: tuple[Actor, ...]
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class Corroboration:
    """How many outlets report a claim and whether they agree on who takes which side.

    ``agree`` is None when no holder is reported by two outlets (nothing to compare);
    ``conflicts`` names the holders whose side differs between outlets.
    """
    claim: str
    text: str
    outlets: int
    outlet_labels: tuple[str, ...]
    shared_holders: int
    agree: bool | None
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutletAgreement:
    """Two outlets that report a common claim: ``score`` = agreed / compared (None if 0)."""
    outlet_a: str
    outlet_b: str
    label_a: str
    label_b: str
    shared_claims: int
    compared: int
    agreed: int
    score: float | None


@dataclass(frozen=True)
class Evidence:
    stance: str
    holder: str
    stance_type: str
    polarity: str
    sentence: str
    article: str
    outlet: str


@dataclass(frozen=True)
class ClaimRelation:
    """Two claims a curator related (``kg curate relate``): ``relation`` is contradicts,
    supports or refines (fck: terms), read from the subject ``source`` to ``target``."""
    source: str
    relation: str
    target: str
    source_text: str
    target_text: str


@dataclass(frozen=True)
class PathStep:
    source: str
    source_label: str
    target: str
    target_label: str
    evidence: tuple[Evidence, ...] = field(default=())


class _Stance(NamedTuple):
    stance: str
    holder: str
    holder_label: str
    holder_type: str
    claim: str
    text: str
    stance_type: str
    sign: int
    article: str
    sentence: str


# -- loading -----------------------------------------------------------------------------------
def _local(iri: str | None, default: str = "Thing") -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if iri else default


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _stances(store: Store) -> list[_Stance]:
    return [_Stance(r["stance"], r["holder"], r["holderLabel"] or _local(r["holder"]),
                    _local(r["holderClass"]), r["claim"], r["text"] or "", _local(r["type"]),
                    int(r["sign"]), r["article"] or "", (r["sentence"] or "").strip())
            for r in run_canned(store, "analysis-stances")]


def _host(url: str | None) -> str | None:
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return host[4:] if host and host.startswith("www.") else host


def article_outlets(store: Store) -> dict[str, tuple[str, str]]:
    """Article IRI -> (outlet id, label): its publisher, else its URL's host (IRI minted like a
    publisher's), else the article itself labelled with its identifier."""
    out = {}
    for r in run_canned(store, "analysis-articles"):
        host = _host(r["url"])
        if r["publisher"]:
            out[r["article"]] = (r["publisher"], r["publisherLabel"] or _local(r["publisher"]))
        elif host:
            out[r["article"]] = (iris.entity_iri("Organization", host), host)
        else:
            out[r["article"]] = (r["article"], r["id"] or _local(r["article"]))
    return out


def _add_node(G: nx.Graph, node: str, kind: str, label: str, type_: str) -> None:
    if node not in G:
        G.add_node(node, kind=kind, label=label, type=type_)


# -- projections -------------------------------------------------------------------------------
def stance_graph(store: Store) -> nx.MultiDiGraph:
    """Actor -> claim multigraph, one edge per stance (key: the stance IRI).

    Edge attributes: ``sign`` (+1/-1/0), ``stance_type`` (Asserts…), ``polarity``
    (support/oppose/neutral), ``article``, ``outlet`` (label) and ``evidence`` (sentence).
    """
    outlets = article_outlets(store)
    G = nx.MultiDiGraph(name="stances")
    for s in _stances(store):
        _add_node(G, s.holder, "actor", s.holder_label, s.holder_type)
        _add_node(G, s.claim, "claim", s.text, "Claim")
        G.add_edge(s.holder, s.claim, key=s.stance, sign=s.sign, stance_type=s.stance_type,
                   polarity=POLARITY[s.sign], article=s.article,
                   outlet=outlets.get(s.article, ("", ""))[1], evidence=s.sentence)
    log.debug("stance graph: %d nodes, %d edges", G.number_of_nodes(), G.number_of_edges())
    return G


def _sides(G: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Claim -> {holder: side} from a stance graph."""
    net: dict[str, Counter] = defaultdict(Counter)
    for u, v, sign in G.edges(data="sign", default=0):
        net[v][u] += sign
    return {c: {h: _sign(n) for h, n in hs.items()} for c, hs in net.items()}


def alignment_graph(source: Store | nx.MultiDiGraph) -> nx.Graph:
    """Actor–actor graph: two holders *agree* on a claim when on the same side of it and
    *oppose* when on opposite sides (neutral holders form no pair).

    Edge attributes: ``agree`` and ``oppose`` (claim counts), ``weight`` = agree + oppose and
    ``sign`` = sign(agree - oppose). ``source`` is a store or a :func:`stance_graph`.
    """
    G = source if isinstance(source, nx.Graph) else stance_graph(source)
    A = nx.Graph(name="alignment")
    A.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "actor")
    for sides in _sides(G).values():
        taken = sorted((h, s) for h, s in sides.items() if s)
        for (u, su), (v, sv) in combinations(taken, 2):
            d = A.get_edge_data(u, v) or {"agree": 0, "oppose": 0}
            d["agree" if su == sv else "oppose"] += 1
            A.add_edge(u, v, **d)
    for _, _, d in A.edges(data=True):
        d.update(weight=d["agree"] + d["oppose"], sign=_sign(d["agree"] - d["oppose"]))
    return A


def comention_graph(store: Store) -> nx.Graph:
    """Entity–entity graph; ``weight`` = number of articles that mention both."""
    G = nx.Graph(name="comention")
    by_article: dict[str, set[str]] = defaultdict(set)
    for r in run_canned(store, "analysis-mentions"):
        _add_node(G, r["entity"], "actor", r["label"] or _local(r["entity"]), _local(r["entityClass"]))
        by_article[r["article"]].add(r["entity"])
    for ents in by_article.values():
        for u, v in combinations(sorted(ents), 2):
            G.add_edge(u, v, weight=G.get_edge_data(u, v, {"weight": 0})["weight"] + 1)
    return G


@dataclass
class _Reports:
    """What each outlet reports: claims, articles, and holders' sides per claim."""
    outlets: dict[str, str] = field(default_factory=dict)                      # id -> label
    texts: dict[str, str] = field(default_factory=dict)                        # claim -> text
    holders: dict[str, str] = field(default_factory=dict)                      # holder -> label
    articles: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    counts: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))
    net: dict[str, dict[str, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))

    def sides(self, claim: str) -> dict[str, dict[str, int]]:
        """Holder -> {outlet: side} for one claim."""
        return {h: {o: _sign(n) for o, n in per.items()} for h, per in self.net.get(claim, {}).items()}


def _reports(store: Store) -> _Reports:
    by_article = article_outlets(store)
    rep = _Reports(outlets=dict(by_article.values()))
    for r in run_canned(store, "analysis-appearances"):
        if r["article"] in by_article:
            rep.texts.setdefault(r["claim"], r["text"] or "")
            rep.articles[(by_article[r["article"]][0], r["claim"])].add(r["article"])
    for s in _stances(store):
        if s.article in by_article:
            o = by_article[s.article][0]
            rep.texts.setdefault(s.claim, s.text)
            rep.holders[s.holder] = s.holder_label
            rep.articles[(o, s.claim)].add(s.article)
            rep.counts[(o, s.claim)][s.sign] += 1
            rep.net[s.claim][s.holder][o] += s.sign
    return rep


def outlet_claim_graph(store: Store) -> nx.Graph:
    """Outlet–claim bipartite graph: an edge when an outlet's articles report the claim.

    Edge attributes: ``articles`` (= ``weight``), ``support``/``oppose``/``neutral`` (stances
    reported) and ``sign`` = sign(support - oppose).
    """
    rep = _reports(store)
    G = nx.Graph(name="outlet-claim")
    for (o, c), arts in sorted(rep.articles.items()):
        n = rep.counts[(o, c)]
        _add_node(G, o, "outlet", rep.outlets[o], "Organization")
        _add_node(G, c, "claim", rep.texts.get(c, ""), "Claim")
        G.add_edge(o, c, weight=len(arts), articles=len(arts), support=n[1], oppose=n[-1],
                   neutral=n[0], sign=_sign(n[1] - n[-1]))
    return G


# -- metrics -----------------------------------------------------------------------------------
def _collapse(G: nx.Graph, weight: str) -> nx.Graph:
    """A simple undirected graph whose edge weights sum those of parallel edges."""
    if not G.is_multigraph():
        return G
    S = nx.Graph()
    S.add_nodes_from(G)
    for u, v, w in G.edges(data=weight, default=1):
        S.add_edge(u, v, **{weight: S.get_edge_data(u, v, {weight: 0})[weight] + w})
    return S


def _pagerank(G: nx.Graph, weight: str) -> dict:
    try:
        return nx.pagerank(G, weight=weight)
    except ImportError:  # networkx's default pagerank needs scipy: the same iteration with numpy
        return _pagerank_numpy(G, weight)


def _pagerank_numpy(G: nx.Graph, weight: str, alpha: float = 0.85, max_iter: int = 100,
                    tol: float = 1.0e-06) -> dict:
    """networkx's PageRank (uniform teleport, dangling mass spread evenly, same stopping rule)
    as numpy arrays: ~35x faster than its pure-Python fallback (3.7 s at 1M triples)."""
    import numpy as np

    nodes = list(G)
    at = {v: i for i, v in enumerate(nodes)}
    src, dst, w = [], [], []
    for u, v, d in G.edges(data=weight, default=1):
        src.append(at[u]), dst.append(at[v]), w.append(d)
        if not G.is_directed() and u != v:           # an undirected edge counts both ways
            src.append(at[v]), dst.append(at[u]), w.append(d)
    n = len(nodes)
    src, dst, w = np.array(src, dtype=np.intp), np.array(dst, dtype=np.intp), np.array(w, dtype=float)
    out = np.bincount(src, weights=w, minlength=n)
    share = np.divide(w, out[src], out=np.zeros_like(w), where=out[src] != 0)
    dangling, x = out == 0, np.full(n, 1.0 / max(n, 1))
    for _ in range(max_iter):
        last = x
        x = alpha * np.bincount(dst, weights=last[src] * share, minlength=n) + \
            (alpha * last[dangling].sum() + 1 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            return dict(zip(nodes, x.tolist()))
    raise nx.PowerIterationFailedConvergence(max_iter)


def centrality(G: nx.Graph, *, kind: str = "pagerank", k: int | None = None,
               weight: str = "weight") -> dict:
    """Centrality of every node.

    Parameters
    ----------
    G : graph
        Any projection; directed graphs are read as undirected (their directions record
        roles, not flows), and parallel edges count once for degree and betweenness.
    kind : {"pagerank", "degree", "betweenness"}
    k : int, optional
        Betweenness sample size. By default exact up to 10,000 edges, else
        2,000,000 / edges sources (between 32 and 500) sampled with a fixed seed.
    weight : str
        Edge attribute used by PageRank (missing means 1).

    Returns
    -------
    dict
        Node -> centrality.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> centrality(G, kind="degree")
    {'a': 0.5, 'b': 1.0, 'c': 0.5}
    >>> centrality(G, kind="betweenness")["b"]
    1.0
    """
    H = G.to_undirected(as_view=True) if G.is_directed() else G
    if kind == "pagerank":
        return _pagerank(_collapse(H, weight), weight) if len(H) else {}
    simple = nx.Graph(H) if H.is_multigraph() else H
    if kind == "degree":
        return nx.degree_centrality(simple)
    if kind == "betweenness":
        m = simple.number_of_edges()
        if k is None and m > EXACT_BETWEENNESS_EDGES:
            k = max(32, min(500, BETWEENNESS_BUDGET // m))
        k = k if k is not None and k < len(simple) else None
        return nx.betweenness_centrality(simple, k=k, seed=SEED if k else None)
    raise AnalysisError(f"unknown centrality kind {kind!r}; expected pagerank, degree or betweenness")


def _balance(s: int, o: int) -> float:
    return 2 * min(s, o) / (s + o) if s + o else 0.0


def _score(s: int, o: int) -> float:
    return _balance(s, o) * math.log1p(s + o)


def controversy(G: nx.MultiDiGraph, *, weighted: bool = True) -> dict:
    """Controversy of every claim of a stance graph.

    With S and O the numbers of distinct holders whose side on the claim is support and
    oppose, the *balance* is ``2 min(S, O) / (S + O)`` (0 when one-sided or no side at all,
    1 when evenly split; this is what ``fck:controversy`` stores). The weighted score,
    ``balance * log(1 + S + O)``, also grows with the number of holders taking sides, so that
    ten against ten ranks above one against one.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A :func:`stance_graph` (edges holder -> claim with a ``sign`` attribute).
    weighted : bool
        Return the weighted score (default) or the balance alone.

    Returns
    -------
    dict
        Claim node -> score.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("c", kind="claim")
    >>> G.add_edges_from([("a", "c", {"sign": 1}), ("b", "c", {"sign": -1}), ("d", "c", {"sign": 0})])
    [0, 0, 0]
    >>> round(controversy(G)["c"], 4), controversy(G, weighted=False)["c"]
    (1.0986, 1.0)
    """
    sides = _sides(G)
    out = {}
    for c, kind in G.nodes(data="kind"):
        n = Counter(sides.get(c, {}).values())
        if kind == "claim":
            out[c] = _score(n[1], n[-1]) if weighted else _balance(n[1], n[-1])
    return out


def alignment_communities(G: nx.Graph, *, resolution: float = 1.0, seed: int = SEED) -> dict:
    """Communities of actors that take the same side: Louvain on the positive part of an
    :func:`alignment_graph` (edges with ``sign`` > 0, weighted by agree - oppose).

    Returns
    -------
    dict
        Node -> community number; 0 is the largest community (ties: smallest node first).

    Examples
    --------
    >>> A = nx.Graph()
    >>> A.add_edge("a", "b", agree=2, oppose=0, sign=1)
    >>> A.add_edge("b", "c", agree=0, oppose=1, sign=-1)
    >>> alignment_communities(A)
    {'a': 0, 'b': 0, 'c': 1}
    """
    P = nx.Graph()
    P.add_nodes_from(G)
    P.add_weighted_edges_from((u, v, d.get("agree", 1) - d.get("oppose", 0))
                              for u, v, d in G.edges(data=True) if d.get("sign", 0) > 0)
    parts = nx.community.louvain_communities(P, weight="weight", resolution=resolution, seed=seed)
    parts = sorted(parts, key=lambda p: (-len(p), min(map(str, p))))
    return {n: i for i, p in enumerate(parts) for n in sorted(p, key=str)}


# -- store-level reports -----------------------------------------------------------------------
def contested_claims(store: Store, *, top: int = 10) -> list[ContestedClaim]:
    """The ``top`` claims with holders on both sides, most contested first.

    Ranked by the weighted score of :func:`controversy` (computed from a SPARQL aggregate),
    then by the number of holders, then by claim IRI. Claims with score 0 are left out.
    """
    rows = [r for r in run_canned(store, "analysis-claim-sides") if _score(r["supporters"], r["opposers"]) > 0]
    rows.sort(key=lambda r: (-_score(r["supporters"], r["opposers"]),
                             -(r["supporters"] + r["opposers"] + r["neutrals"]), r["claim"]))
    outlets = article_outlets(store) if rows else {}
    return [_contested(store, r["claim"], outlets) for r in rows[:top]]


def _contested(store: Store, claim: str, outlets: dict[str, tuple[str, str]]) -> ContestedClaim:
    stances, labels, names, text = {}, {}, set(), ""
    for r in run_canned(store, "analysis-claim", claim=URIRef(claim)):
        text = text or r["text"] or ""
        if r["article"] in outlets:
            names.add(outlets[r["article"]][1])
        if r["stance"]:
            stances[r["stance"]] = (r["holder"], r["sign"])
            labels[r["holder"]] = r["holderLabel"] or _local(r["holder"])
    net: Counter = Counter()
    for h, sign in stances.values():
        net[h] += sign
    side = {s: tuple(sorted((Actor(h, labels[h]) for h, n in net.items() if _sign(n) == s),
                            key=lambda a: (a.label, a.iri))) for s in (1, -1, 0)}
    S, O = len(side[1]), len(side[-1])
    return ContestedClaim(claim, text, _score(S, O), _balance(S, O), side[1], side[-1], side[0],
                          tuple(sorted(names)))


def corroboration(store: Store) -> dict[str, Corroboration]:
    """Per claim: how many distinct outlets report it (appearance or stance) and whether the
    outlets that report the same holder give that holder the same side."""
    rep = _reports(store)
    by_claim: dict[str, set[str]] = defaultdict(set)
    for o, c in rep.articles:
        by_claim[c].add(o)
    out = {}
    for c, outs in sorted(by_claim.items()):
        shared = {h: s for h, s in rep.sides(c).items() if len(s) > 1}
        conflicts = tuple(sorted(rep.holders[h] for h, s in shared.items() if len(set(s.values())) > 1))
        out[c] = Corroboration(c, rep.texts.get(c, ""), len(outs), tuple(sorted(rep.outlets[o] for o in outs)),
                               len(shared), (not conflicts) if shared else None, conflicts)
    return out


def outlet_agreement(store: Store) -> list[OutletAgreement]:
    """For each pair of outlets reporting a common claim: over the (holder, claim) pairs both
    report, how often they give the holder the same side (support, oppose or neutral)."""
    rep = _reports(store)
    claims: dict[str, set[str]] = defaultdict(set)
    for o, c in rep.articles:
        claims[o].add(c)
    out = []
    for a, b in combinations(sorted(claims, key=lambda o: (rep.outlets[o], o)), 2):
        common = claims[a] & claims[b]
        if not common:
            continue
        pairs = [(_sign(per[a]), _sign(per[b])) for c in sorted(common)
                 for per in rep.net.get(c, {}).values() if a in per and b in per]
        agreed = sum(x == y for x, y in pairs)
        out.append(OutletAgreement(a, b, rep.outlets[a], rep.outlets[b], len(common), len(pairs), agreed,
                                   agreed / len(pairs) if pairs else None))
    return out


def claim_relations(store: Store) -> list[ClaimRelation]:
    """Every claim relation a curator set (fck:contradicts, fck:supports, fck:refines) between
    claims that are not merged away (``kg/queries/analysis-claim-relations.rq``)."""
    return [ClaimRelation(r["source"], r["relation"], r["target"], r["sourceText"] or "", r["targetText"] or "")
            for r in run_canned(store, "analysis-claim-relations")]


def agreement_matrix(records: Iterable[OutletAgreement]) -> dict[str, dict[str, float | None]]:
    """Outlet label -> outlet label -> agreement score (symmetric) from :func:`outlet_agreement`."""
    m: dict[str, dict[str, float | None]] = defaultdict(dict)
    for r in records:
        m[r.label_a][r.label_b] = m[r.label_b][r.label_a] = r.score
    return dict(m)


# -- explanation paths -------------------------------------------------------------------------
def _resolve(G: nx.Graph, name: str) -> str:
    if name in G:
        return name
    key = iris.normalise(name)
    hits = [n for n, d in G.nodes(data=True) if d.get("kind") == "actor" and iris.normalise(d.get("label", "")) == key]
    if not hits:
        raise AnalysisError(f"no actor named {name!r} holds a stance; expected an entity IRI or label")
    return max(hits, key=lambda n: (G.degree(n), n))


def explanation_path(source: Store | nx.MultiDiGraph, a: str, b: str) -> list[PathStep]:
    """Shortest chain of stances linking two entities (IRIs or labels), with the evidence
    sentence of every stance on each step. ``[]`` when a and b are the same entity. Given a
    store, claims that a curator related (:func:`claim_relations`) are linked too; such a step's
    evidence names the relation (outlet "curation").

    Raises AnalysisError when a name is unknown or no chain links the two.
    """
    G = source if isinstance(source, nx.Graph) else stance_graph(source)
    u, v = _resolve(G, a), _resolve(G, b)
    U = G.to_undirected(as_view=True)
    rels = [] if isinstance(source, nx.Graph) else [r for r in claim_relations(source) if r.source in G and r.target in G]
    if rels:
        U = nx.Graph(U)
        U.add_edges_from((r.source, r.target) for r in rels)
    try:
        nodes = nx.shortest_path(U, u, v)
    except nx.NetworkXNoPath:
        raise AnalysisError(f"no chain of claims and stances links {a!r} and {b!r}") from None
    return [PathStep(x, G.nodes[x].get("label", ""), y, G.nodes[y].get("label", ""), _evidence(G, x, y, rels))
            for x, y in zip(nodes, nodes[1:])]


def _evidence(G: nx.MultiDiGraph, x: str, y: str, relations: Iterable[ClaimRelation] = ()) -> tuple[Evidence, ...]:
    if not (G.has_edge(x, y) or G.has_edge(y, x)):      # two claims a curator related
        return tuple(Evidence("", "", r.relation, "", f"“{r.source_text}” {r.relation} “{r.target_text}”", "",
                              "curation") for r in relations if {r.source, r.target} == {x, y})
    holder, claim = (x, y) if G.has_edge(x, y) else (y, x)
    return tuple(Evidence(k, G.nodes[holder].get("label", ""), d["stance_type"], d["polarity"], d["evidence"],
                          d["article"], d["outlet"])
                 for k, d in sorted(G.get_edge_data(holder, claim).items()))


# -- output ------------------------------------------------------------------------------------
def write_analysis(store: Store) -> int:
    """Replace the analysis graph (:data:`ANALYSIS_GRAPH`) with ``?claim fck:controversy ?balance``
    (xsd:decimal in [0, 1]) for every claim with a stance; article graphs are not touched.
    Returns the number of triples written."""
    scores = controversy(stance_graph(store), weighted=False)
    triples = [(URIRef(c), FCK.controversy, Literal(Decimal(f"{v:.6f}"))) for c, v in sorted(scores.items())]
    store.replace_graph(str(ANALYSIS_GRAPH), triples)
    store.flush()
    log.info("wrote %d analysis triples to %s", len(triples), ANALYSIS_GRAPH)
    return len(triples)


def _cell(value: object) -> object:
    if isinstance(value, tuple):
        return "; ".join(v.label if isinstance(v, Actor) else str(v) for v in value)
    return round(value, 4) if isinstance(value, float) else value


def to_result(records: Iterable[object]) -> QueryResult:
    """Flatten analysis records (dataclasses) into a QueryResult for ``kg.query.format_result``
    (tuples of actors become "; "-joined labels, floats are rounded to 4 places)."""
    records = list(records)
    if not records:
        return QueryResult("select")
    if not is_dataclass(records[0]):
        raise AnalysisError(f"expected analysis records, got {type(records[0]).__name__}")
    cols = tuple(f.name for f in fields(records[0]) if f.name != "evidence")
    return QueryResult("select", cols, tuple(tuple(_cell(getattr(r, c)) for c in cols) for r in records))
