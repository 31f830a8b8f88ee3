"""Curation: people correct the machine, and the corrections survive every re-ingest.

A journalist can merge two claims, split a wrongly merged one, retype a stance, give it another
holder, reject it, merge two entities, and relate two claims (``fck:contradicts``,
``fck:supports``, ``fck:refines``). Every correction can be listed and undone.

Where things live
-----------------
- ``id/graph/curation``: the corrections themselves, the only source of truth. A correction is
  a ``fck:Correction`` (one of ``fck:ClaimMerge``, ``fck:ClaimSplit``, ``fck:StanceRetyping``,
  ``fck:StanceHolderCorrection``, ``fck:StanceRejection``, ``fck:EntityMerge``,
  ``fck:ClaimRelation``) with ``prov:wasAttributedTo`` (an agent named by the user),
  ``prov:generatedAtTime`` and ``rdfs:comment`` (why). Undo adds ``prov:invalidatedAtTime`` and
  ``fck:undoneBy``: the record stays, the effect goes. Nothing ever writes this graph but this
  module; ingest replaces article graphs only.
- ``id/graph/curated`` and ``id/graph/curated/<uuid of a source graph>``: the *overlay*, derived
  from the active corrections and the graphs they touch, rewritten in the same transaction as
  every correction, undo and article write. The article graphs stay exactly as extracted.

How views apply it
------------------
Everything a correction changes is *superseded*: the overlay marks it ``?x fck:supersededBy
?correction`` and adds what replaces it. A merged claim or entity A is superseded and its facts
are copied onto the survivor B (mentions, appearances, memberships, stances; its name or text
becomes a ``skos:altLabel`` of B; ``A fck:mergedInto B``). A corrected stance S is superseded
and replaced by ``<S>/curated`` (``prov:wasRevisionOf`` S) with the curated holder, claim and
type and the same evidence spans; a rejected stance is superseded with no replacement. A claim
created by a split is a node of the overlay; when every stance of a claim in an article moved
to the new claim, ``?claim fck:withdrawnFrom ?article`` hides that appearance. So every canned
query (``kg/queries``) reads the union as before plus one filter per node,
``FILTER NOT EXISTS { ?x fck:supersededBy ?_cur }``: curated wins over extracted, queries stay
index-driven (bound views still start from their one IRI), and nothing is rewritten at read
time. Exports (:func:`dump_effective`, used by ``kg.export``) leave out what is superseded.

Re-ingest
---------
Claim and entity IRIs are minted from identity keys, so merges and relations keep pointing at
the same nodes. Stance IRIs are minted from the article id and the stance's ordinal, which is
stable for the same text but may shift when an article changes; each stance reference therefore
keeps an *anchor* (article, its content hash, the cue and content text, the cue offset). When the
hash still matches, the IRI is trusted; otherwise the stance with the same cue and content text
(nearest cue offset) is taken; if none is left, the correction is kept but inert and listed as
"no longer matches". ``Store.replace_graph`` recomputes the overlay of the graph it writes in
the same transaction (:func:`article_write_update`), so ``kg ingest`` and ``make run`` keep every
correction; a remote SPARQL store has no such hook, so ``kg ingest`` calls :func:`after_ingest`
there; :func:`refresh` recomputes the whole overlay (``kg curate refresh``). A claim created by
a split is a claim like any other: a later article with the same wording joins it, and it stays
(with its text) if the split is undone.

Every correction and undo is one SPARQL update (one transaction): the record and the whole new
overlay together. Materialised summaries (``kg.materialise``) are refreshed afterwards.
"""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from rdflib import BNode, Literal, URIRef

from . import iris
from .errors import KGError
from .namespaces import FCK, KGID, OA, PROV, RDF, RDFS, SCHEMA, SHARED_GRAPH, SKOS, XSD
from .records import STANCE_TYPES
from .viz import shorten

log = logging.getLogger(__name__)

CURATION_GRAPH = str(KGID["graph/curation"])
CURATED_GRAPH = str(KGID["graph/curated"])
REVISION = "/curated"                     # <stance>/curated replaces a corrected stance
RELATIONS = ("contradicts", "supports", "refines")
KINDS = {"ClaimMerge": "merge claims", "ClaimSplit": "split claim", "StanceRetyping": "retype stance",
         "StanceHolderCorrection": "change holder", "StanceRejection": "reject stance",
         "EntityMerge": "merge entities", "ClaimRelation": "relate claims"}
SOURCE_GRAPH = re.compile(re.escape(str(KGID)) + r"graph/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")

# terms as plain strings (rdflib terms compare unequal to str)
_T = {k: str(v) for k, v in dict(
    type=RDF.type, label=RDFS.label, comment=RDFS.comment, alt=SKOS.altLabel, text=SCHEMA.text,
    claim_cls=SCHEMA.Claim, appearance=SCHEMA.appearance, about=SCHEMA.about,
    stance_cls=FCK.Stance, holder=FCK.holder, claim=FCK.claim, stype=FCK.stanceType, cue=FCK.cueSpan,
    content=FCK.contentSpan, exact=OA.exact, start=OA.start, hash=FCK.contentHash, derived=PROV.wasDerivedFrom,
    revision=PROV.wasRevisionOf, superseded=FCK.supersededBy, merged_into=FCK.mergedInto,
    withdrawn=FCK.withdrawnFrom, applies=FCK.appliesTo, agent_cls=PROV.Agent,
    attributed=PROV.wasAttributedTo, generated=PROV.generatedAtTime, invalidated=PROV.invalidatedAtTime,
    undone_by=FCK.undoneBy, correction=FCK.Correction, merges=FCK.merges, merges_into=FCK.mergesInto,
    splits=FCK.splits, new_claim=FCK.newClaim, claim_text=FCK.claimText, anchor=FCK.anchor,
    anchor_cls=FCK.StanceAnchor, stance=FCK.stance, in_article=FCK.inArticle, article_hash=FCK.articleHash,
    cue_text=FCK.cueText, cue_start=FCK.cueStart, content_text=FCK.contentText, new_type=FCK.newType,
    new_holder=FCK.newHolder, rdf_subject=RDF.subject, rdf_predicate=RDF.predicate, rdf_object=RDF.object,
    signature=FCK.signature, predicate=FCK.predicate, controversy=FCK.controversy).items()}
_DROP_ON_MERGE = {_T["type"], _T["signature"], _T["predicate"], _T["controversy"], _T["hash"]}
_NAMES = {_T["text"], _T["label"], _T["alt"]}


class CurationError(KGError):
    """A correction names something the store does not hold, or would change nothing."""


# -- records ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Anchor:
    """How a stance is found again after its article is re-ingested."""
    stance: str
    source: str                    # the article (or review) it was derived from
    hash: str = ""                 # the article's fck:contentHash when the correction was made
    cue: str = ""
    cue_start: int = -1
    content: str = ""


@dataclass(frozen=True)
class Record:
    """One correction as stored. ``source``/``target``/``value`` by kind: merges (merged node,
    survivor), ClaimSplit (split claim, new claim, its text), StanceRetyping (value: type IRI),
    StanceHolderCorrection (target: holder), ClaimRelation (subject, object, property IRI)."""
    iri: str
    kind: str
    by: str
    at: str
    why: str = ""
    source: str = ""
    target: str = ""
    value: str = ""
    anchors: tuple[Anchor, ...] = ()
    undone_at: str = ""
    undone_by: str = ""

    @property
    def id(self) -> str:
        return short_id(self.iri)


@dataclass(frozen=True)
class Correction:
    """A correction as listed: ``status`` is "applies", "no longer matches" or "undone"."""
    id: str
    iri: str
    kind: str
    action: str
    summary: str
    by: str
    at: str
    why: str
    status: str
    undone_at: str = ""
    undone_by: str = ""


def short_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1][:8]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _agent(name: str) -> str:
    return iris.mint("agent", name)


def _record_triples(r: Record) -> list[tuple]:
    c, L = r.iri, Literal
    out = [(c, _T["type"], _T["correction"]), (c, _T["type"], str(FCK[r.kind])),
           (c, _T["attributed"], _agent(r.by)), (_agent(r.by), _T["type"], _T["agent_cls"]),
           (_agent(r.by), _T["label"], L(r.by)), (c, _T["generated"], L(r.at, datatype=XSD.dateTime))]
    if r.why:
        out.append((c, _T["comment"], L(r.why)))
    if r.kind in ("ClaimMerge", "EntityMerge"):
        out += [(c, _T["merges"], r.source), (c, _T["merges_into"], r.target)]
    elif r.kind == "ClaimSplit":
        out += [(c, _T["splits"], r.source), (c, _T["new_claim"], r.target), (c, _T["claim_text"], L(r.value))]
    elif r.kind == "StanceRetyping":
        out.append((c, _T["new_type"], r.value))
    elif r.kind == "StanceHolderCorrection":
        out.append((c, _T["new_holder"], r.target))
    elif r.kind == "ClaimRelation":
        out += [(c, _T["type"], str(RDF.Statement)), (c, _T["rdf_subject"], r.source),
                (c, _T["rdf_predicate"], r.value), (c, _T["rdf_object"], r.target)]
    for i, a in enumerate(r.anchors):
        n = f"{c}/anchor/{i}"
        out += [(c, _T["anchor"], n), (n, _T["type"], _T["anchor_cls"]), (n, _T["stance"], a.stance),
                (n, _T["in_article"], a.source), (n, _T["article_hash"], L(a.hash)), (n, _T["cue_text"], L(a.cue)),
                (n, _T["cue_start"], L(a.cue_start, datatype=XSD.integer)), (n, _T["content_text"], L(a.content))]
    return out


def _undo_triples(r: Record) -> list[tuple]:
    a = _agent(r.undone_by)
    return [(r.iri, _T["invalidated"], Literal(r.undone_at, datatype=XSD.dateTime)), (r.iri, _T["undone_by"], a),
            (a, _T["type"], _T["agent_cls"]), (a, _T["label"], Literal(r.undone_by))]


def load_records(store) -> list[Record]:
    """Every correction in the store (undone ones too), oldest first."""
    facts: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in _select(store, "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", g=CURATION_GRAPH):
        facts[r["s"]][r["p"]].append(r["o"])

    def one(node: str, key: str, default=""):
        vals = facts.get(node, {}).get(_T[key], [])
        return vals[0] if vals else default

    out = []
    for node, props in facts.items():
        kinds = [t.removeprefix(str(FCK)) for t in props.get(_T["type"], []) if t.removeprefix(str(FCK)) in KINDS]
        if _T["correction"] not in props.get(_T["type"], []) or not kinds:
            continue
        anchors = tuple(Anchor(one(n, "stance"), one(n, "in_article"), one(n, "article_hash"), one(n, "cue_text"),
                               int(one(n, "cue_start", -1)), one(n, "content_text"))
                        for n in sorted(props.get(_T["anchor"], []), key=lambda n: int(n.rsplit("/", 1)[-1])))
        kind = kinds[0]
        source = one(node, "merges") or one(node, "splits") or one(node, "rdf_subject")
        target = (one(node, "merges_into") or one(node, "new_claim") or one(node, "new_holder")
                  or one(node, "rdf_object"))
        value = one(node, "claim_text") or one(node, "new_type") or one(node, "rdf_predicate")
        out.append(Record(node, kind, one(one(node, "attributed"), "label"), str(one(node, "generated")),
                          str(one(node, "comment")), source, target, str(value), anchors,
                          str(one(node, "invalidated")), one(one(node, "undone_by"), "label")))
    return sorted(out, key=lambda r: (r.at, r.iri))


# -- the plan: what the active corrections do ----------------------------------------------------
@dataclass
class _Patch:
    type: str = ""
    holder: str = ""
    claim: str = ""
    rejected: bool = False
    corrections: list[str] = field(default_factory=list)


class Plan:
    """The active corrections, resolved: merges (with chains), stance anchors by source, splits,
    relations."""

    def __init__(self, records: Iterable[Record]):
        self.records = list(records)
        self.active = [r for r in self.records if not r.undone_at]
        self.merged: dict[str, str] = {}
        self.merged_by: dict[str, str] = {}
        self.anchors: dict[str, list[tuple[Record, Anchor]]] = defaultdict(list)
        self.splits = [r for r in self.active if r.kind == "ClaimSplit"]
        self.relations = [r for r in self.active if r.kind == "ClaimRelation"]
        for r in self.active:
            if r.kind in ("ClaimMerge", "EntityMerge") and r.source not in self.merged \
                    and self.final(r.target) != r.source and r.source != r.target:
                self.merged[r.source] = r.target
                self.merged_by[r.source] = r.iri
            for a in r.anchors:
                self.anchors[a.source].append((r, a))

    def final(self, node: str) -> str:
        """The node that ``node`` stands for after every merge (itself when not merged)."""
        seen = set()
        while node in self.merged and node not in seen:
            seen.add(node)
            node = self.merged[node]
        return node

    def chain(self, node: str) -> list[str]:
        """The merge corrections that lead from ``node`` to :meth:`final`."""
        out, seen = [], set()
        while node in self.merged and node not in seen:
            seen.add(node)
            out.append(self.merged_by[node])
            node = self.merged[node]
        return out


# -- the overlay of one source graph (an article, or a review document) -------------------------
def _mapped(t: tuple, plan: Plan) -> tuple | None:
    """``t`` with merged nodes replaced by their survivors; None when nothing changes or the
    triple has no place on the survivor (its type, signature, scores)."""
    s, p, o = t
    s2 = plan.final(s) if type(s) is str else s
    o2 = plan.final(o) if type(o) is str else o
    if s2 is s and o2 is o:
        return None
    if s2 != s:
        if p in _DROP_ON_MERGE:
            return None
        if p in _NAMES:
            p = _T["alt"]
    return (s2, p, o2)


class _Source:
    """The triples of one source graph, indexed: its stances with their holder, claim, type,
    article and cue/content text, and each article's content hash."""

    def __init__(self, triples: list[tuple]):
        self.triples = triples
        self.subj: dict = defaultdict(list)
        for t in triples:
            self.subj[t[0]].append(t)
        self.stances = {s: {p: o for _, p, o in self.subj[s]} for s, p, o in triples
                        if p == _T["type"] and o == _T["stance_cls"]}
        self.hashes = {s: str(o) for s, p, o in triples if p == _T["hash"]}
        self.texts = {s: (str(self._value(f.get(_T["cue"]), _T["exact"], "")),
                          str(self._value(f.get(_T["content"]), _T["exact"], ""))) for s, f in self.stances.items()}

    def _value(self, node, prop: str, default):
        return next((o for _, p, o in self.subj.get(node, ()) if p == prop), default)

    def cue_start(self, stance: str) -> int:
        return int(self._value(self.stances[stance].get(_T["cue"]), _T["start"], -1))

    def source(self, stance: str) -> str:
        return str(self.stances[stance].get(_T["derived"], ""))

    def match(self, anc: Anchor) -> str | None:
        """The stance an anchor points at now: its own IRI while the article is unchanged (or
        the stance there still has the same text), else the stance of that article with the
        same cue and content text (nearest cue offset), else None."""
        if anc.stance in self.stances and (anc.hash == self.hashes.get(anc.source, "")
                                           or self.texts[anc.stance] == (anc.cue, anc.content)):
            return anc.stance
        same = [s for s in self.stances if self.texts[s] == (anc.cue, anc.content) and self.source(s) == anc.source]
        return min(same, key=lambda s: (abs(self.cue_start(s) - anc.cue_start), s)) if same else None


def _source_overlay(triples: list[tuple], plan: Plan) -> tuple[list[tuple], list[tuple[str, str]]]:
    """(overlay triples, [(correction, node it applies to)]) for the triples of one source graph."""
    src = _Source(triples)
    patches, matched = _patches(src, plan)
    out, effective = _revisions(src, patches, plan)
    out += _appearances(src, patches, effective, plan)
    out += [m for t in triples if t[0] not in src.stances and t[1] != _T["appearance"]
            and (m := _mapped(t, plan)) is not None]
    return out, matched


def _patches(src: _Source, plan: Plan) -> tuple[dict[str, _Patch], list[tuple[str, str]]]:
    """What the anchored corrections do to each stance of the source, oldest first."""
    patches: dict[str, _Patch] = {}
    matched: list[tuple[str, str]] = []
    for article in sorted({src.source(s) for s in src.stances}):
        for rec, anc in plan.anchors.get(article, ()):
            s = src.match(anc)
            if s is None:
                continue
            matched.append((rec.iri, s))
            p = patches.setdefault(s, _Patch())
            p.corrections.append(rec.iri)
            if rec.kind == "StanceRetyping":
                p.type = rec.value
            elif rec.kind == "StanceHolderCorrection":
                p.holder = rec.target
            elif rec.kind == "ClaimSplit":
                p.claim = rec.target
            elif rec.kind == "StanceRejection":
                p.rejected = True
    return patches, matched


def _revisions(src: _Source, patches: dict[str, _Patch], plan: Plan) -> tuple[list[tuple], dict[str, str]]:
    """Markers for superseded stances and their ``<stance>/curated`` replacements; and each kept
    stance's claim after curation."""
    out: list[tuple] = []
    effective: dict[str, str] = {}
    for s, f in src.stances.items():
        p = patches.get(s, _Patch())
        h0, c0, t0 = f.get(_T["holder"]), f.get(_T["claim"]), f.get(_T["stype"])
        h, c, t = plan.final(p.holder or h0), plan.final(p.claim or c0), p.type or t0
        if not p.rejected:
            effective[s] = c
        if not p.rejected and (h, c, t) == (h0, c0, t0):
            continue
        why = [*p.corrections, *plan.chain(p.holder or h0), *plan.chain(p.claim or c0)]
        out += [(s, _T["superseded"], w) for w in dict.fromkeys(why)]
        if not p.rejected:
            new = {_T["holder"]: h, _T["claim"]: c, _T["stype"]: t}
            out += [(s + REVISION, pr, new.get(pr, o)) for _, pr, o in src.subj[s]]
            out.append((s + REVISION, _T["revision"], s))
    return out, effective


def _appearances(src: _Source, patches: dict[str, _Patch], effective: dict[str, str], plan: Plan) -> list[tuple]:
    """Appearances after curation: a claim whose every kept stance in an article moved to
    another claim is withdrawn there; a claim that stances moved to appears there."""
    out, present, extracted = [], set(), set()
    on: dict = defaultdict(list)
    for s, f in src.stances.items():
        on[(f.get(_T["claim"]), src.source(s))].append(s)
    for c0, p, art in src.triples:
        if p != _T["appearance"]:
            continue
        extracted.add((c0, art))
        target = plan.final(c0)
        kept = [s for s in on.get((c0, str(art)), ()) if s in effective]
        if kept and all(effective[s] != target for s in kept):
            if target == c0:
                out.append((c0, _T["withdrawn"], art))
            continue
        present.add((target, art))
        if target != c0:
            out.append((target, _T["appearance"], art))
    for s, c in effective.items():
        c0, art = src.stances[s].get(_T["claim"]), src.stances[s].get(_T["derived"])
        if (c0, art) in extracted and (c, art) not in present:      # stances moved here by a split
            present.add((c, art))
            out.append((c, _T["appearance"], art))
    return out


# -- reading and writing terms ---------------------------------------------------------------------
def _from_ox(term):
    """A pyoxigraph term as kg.curate's terms (IRIs as str); a str is taken as an IRI already."""
    import pyoxigraph as ox

    if isinstance(term, str):
        return term
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value if term.datatype is not None else None
    return Literal(term.value, datatype=None if dt in (None, str(XSD.string)) else URIRef(dt))


def _from_rdflib(term):
    return term if isinstance(term, (Literal, BNode)) else str(term)


def _nt(term) -> str:
    from .store import _nt as nt

    if isinstance(term, Literal):
        return nt(term)
    if isinstance(term, BNode):
        return term.n3()
    return URIRef(term).n3()      # refuses anything that is not an IRI


def _block(graph: str, triples: Iterable[tuple]) -> str:
    body = "\n".join(f"{_nt(s)} {_nt(p)} {_nt(o)} ." for s, p, o in dict.fromkeys(triples))
    return f"GRAPH {_nt(graph)} {{\n{body}\n}}" if body else ""


def _graph_triples(store, graph: str) -> list[tuple]:
    res = store.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", _bind({"g": graph}))
    return [(_from_ox(r["s"]), _from_ox(r["p"]), _from_ox(r["o"])) for r in res]


def overlay_graph(graph: str) -> str:
    """The overlay graph of a source graph ``id/graph/<uuid>``: ``id/graph/curated/<uuid>``."""
    m = SOURCE_GRAPH.match(graph)
    if m is None:
        raise CurationError(f"not an article graph: {graph}")
    return f"{CURATED_GRAPH}/{m.group(1)}"


def is_overlay(graph: str) -> bool:
    return graph == CURATED_GRAPH or graph.startswith(CURATED_GRAPH + "/")


# -- the whole overlay ---------------------------------------------------------------------------
def _touched_graphs(store, plan: Plan) -> tuple[set[str], list[tuple]]:
    """(source graphs to rebuild, mapped triples of other graphs) for the plan's merges and anchors."""
    graphs: set[str] = set()
    other: list[tuple] = []
    for node in sorted(plan.merged):
        # two queries, not one UNION: a bound node reaches only the operands of a top-level UNION
        out = store.query("SELECT ?g ?p ?o WHERE { GRAPH ?g { ?n ?p ?o } }", _bind({"n": node}))
        into = store.query("SELECT ?g ?s ?p WHERE { GRAPH ?g { ?s ?p ?n } }", _bind({"n": node}))
        rows = [(r["g"].value, node, r["p"], r["o"]) for r in out] + [(r["g"].value, r["s"], r["p"], node) for r in into]
        for g, s, p, o in rows:
            if SOURCE_GRAPH.match(g):
                graphs.add(g)
            elif g == str(SHARED_GRAPH):        # labels, texts, what claims are about
                other.append((_from_ox(s), _from_ox(p), _from_ox(o)))
    for src in sorted(plan.anchors):
        for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s prov:wasDerivedFrom ?src } }", _bind({"src": src})):
            if SOURCE_GRAPH.match(r["g"].value):
                graphs.add(r["g"].value)
    return graphs, other


def _global_overlay(store, plan: Plan, other: list[tuple]) -> tuple[list[tuple], list[tuple[str, str]]]:
    out, matched = [], []
    for node in plan.merged:
        out += [(node, _T["superseded"], plan.merged_by[node]), (node, _T["merged_into"], plan.final(node))]
        matched.append((plan.merged_by[node], node))
    for r in plan.splits:
        if plan.final(r.target) != r.target:     # the new claim was merged into another later
            out.append((plan.final(r.target), _T["alt"], Literal(r.value)))
            continue
        about = [row["e"] for row in _select(store, "SELECT DISTINCT ?e WHERE { ?c schema:about ?e }", c=r.source)]
        out += [(r.target, _T["type"], _T["claim_cls"]), (r.target, _T["text"], Literal(r.value)),
                (r.target, _T["derived"], r.source)] + [(r.target, _T["about"], plan.final(e)) for e in about]
    for r in plan.records:       # an undone split's claim that later articles joined stays a claim
        if r.kind == "ClaimSplit" and r.undone_at and r.target not in plan.merged and _in_sources(store, r.target):
            out += [(r.target, _T["type"], _T["claim_cls"]), (r.target, _T["text"], Literal(r.value))]
    for r in plan.relations:
        a, b = plan.final(r.source), plan.final(r.target)
        if a != b:
            out.append((a, r.value, b))
            matched += [(r.iri, a), (r.iri, b)]
    out += [m for t in other if (m := _mapped(t, plan)) is not None]
    return out, matched


def _in_sources(store, node: str) -> bool:
    """Does an article (or review) graph, as extracted, name ``node``?"""
    rows = _select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?n ?p ?o } }", n=node)
    rows += _select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?n } }", n=node)
    return any(SOURCE_GRAPH.match(r["g"]) for r in rows)


def _overlay(store, plan: Plan) -> dict[str, list[tuple]]:
    """The overlay of ``plan``: graph -> its triples (without duplicates)."""
    out: dict[str, list[tuple]] = {}
    if plan.active or any(r.kind == "ClaimSplit" for r in plan.records):
        graphs, other = _touched_graphs(store, plan)
        glob, matched = _global_overlay(store, plan, other)
        out[CURATED_GRAPH] = glob + [(c, _T["applies"], x) for c, x in matched]
        for g in sorted(graphs):
            triples, hits = _source_overlay(_graph_triples(store, g), plan)
            out[overlay_graph(g)] = triples + [(c, _T["applies"], x) for c, x in hits]
    return {g: list(dict.fromkeys(t)) for g, t in out.items() if t}


def _write(store, records: list[Record], extra: list[tuple]) -> None:
    """Add ``extra`` to the curation graph and rewrite the overlay for ``records``, in one
    transaction; then bring the materialised summary up to date (kg.materialise): patched, from
    the overlay triples that changed, when it was current before."""
    from .materialise import Upkeep, supported

    plan = Plan(records)
    new = _overlay(store, plan)
    old = [g for g in store.named_graphs() if is_overlay(g)]
    upkeep = None
    if supported(store):            # (the old overlay's triples are read only for the summary)
        diff = {t for g in old for t in _graph_triples(store, g)} ^ {t for ts in new.values() for t in ts}
        upkeep = Upkeep(store, diff, [CURATION_GRAPH, *old, *new])
    parts = [f"INSERT DATA {{ {_block(CURATION_GRAPH, extra)} }}"] if extra else []
    parts += [f"DROP SILENT GRAPH {_nt(g)}" for g in old]
    blocks = [_block(g, t) for g, t in new.items()]
    if blocks:
        parts.append(f"INSERT DATA {{\n{chr(10).join(blocks)}\n}}")
    if parts:
        if upkeep is not None:
            store.update(" ;\n".join(parts), keep_summary=True)
        else:
            store.update(" ;\n".join(parts))
    store.flush()
    store.__dict__["_curation_plan"] = plan
    if upkeep is not None:          # (a store without a summary has nothing to refresh)
        upkeep.finish()


def refresh(store) -> int:
    """Recompute the whole overlay from the active corrections; returns how many are active."""
    records = load_records(store)
    _write(store, records, [])
    return sum(1 for r in records if not r.undone_at)


def has_active(store) -> bool:
    """Does the store hold a correction that is not undone?"""
    return _ask(store, "ASK { GRAPH ?g { ?c a fck:Correction FILTER NOT EXISTS { ?c prov:invalidatedAtTime ?t } } }",
                g=CURATION_GRAPH)


def article_overlay(store, graph: str, triples: list[tuple], shared: list[tuple]) -> dict[str, list[tuple]] | None:
    """The overlay that writing ``graph`` with ``triples`` (and ``shared``) makes: the new
    contents of its overlay graph, and the mapped ``shared`` triples added to the curated
    graph (graph -> triples, either possibly empty); None when the store holds no active
    correction or ``graph`` is no source (nothing to recompute)."""
    if not SOURCE_GRAPH.match(graph):
        return None
    plan = store.__dict__.get("_curation_plan")
    if plan is None:
        plan = Plan(load_records(store)) if _has_graph(store) else Plan(())
        store.__dict__["_curation_plan"] = plan
    if not plan.active:
        return None
    body, hits = _source_overlay([tuple(map(_from_rdflib, t)) for t in triples], plan)
    return {overlay_graph(graph): body + [(c, _T["applies"], x) for c, x in hits],
            CURATED_GRAPH: [m for t in shared if (m := _mapped(tuple(map(_from_rdflib, t)), plan))]}


def article_write_update(store, graph: str, triples: list[tuple], shared: list[tuple]) -> str:
    """For ``Store.replace_graph``: the SPARQL Update that recomputes the overlay of ``graph``
    from its new ``triples`` (and maps new ``shared`` triples of merged nodes), to run in the
    same transaction; "" when the store holds no active correction or ``graph`` is no source."""
    overlay = article_overlay(store, graph, triples, shared)
    if overlay is None:
        return ""
    blocks = "\n".join(b for g, ts in overlay.items() if (b := _block(g, ts)))
    return f"DROP SILENT GRAPH {_nt(overlay_graph(graph))}" + (f" ;\nINSERT DATA {{\n{blocks}\n}}" if blocks else "")


def _has_graph(store) -> bool:
    return _ask(store, "ASK { GRAPH ?g { ?s ?p ?o } }", g=CURATION_GRAPH)


# -- looking things up --------------------------------------------------------------------------------
def _iri(value: str, what: str) -> str:
    v = (value or "").strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    if not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", v, re.I):
        raise CurationError(f"{what} must be an IRI, got {value!r}")
    return v


def _ask(store, sparql: str, **nodes: str) -> bool:
    """ASK with each of ``nodes`` (IRIs) bound to its variable (a VALUES block, never pasted)."""
    return bool(store.query(sparql, _bind(nodes)))


def _bind(nodes: dict[str, str]) -> dict[str, URIRef]:
    return {k: URIRef(v) for k, v in nodes.items()}


def _select(store, sparql: str, **nodes: str) -> list[dict]:
    """SELECT rows with each of ``nodes`` (IRIs) bound to its variable."""
    return store.select(sparql, _bind(nodes))


def _require(store, node: str, kind: str) -> None:
    """CurationError unless ``node`` is a visible claim or entity (not merged away)."""
    test = "ASK { ?n a schema:Claim }" if kind == "claim" else "ASK { ?n rdfs:label ?l }"
    if not _ask(store, test, n=node):
        raise CurationError(f"no {kind} {node} in the store")
    if _ask(store, "ASK { ?n fck:supersededBy ?c }", n=node):
        into = _select(store, "SELECT ?b WHERE { ?n fck:mergedInto ?b }", n=node)
        raise CurationError(f"{kind} {node} was merged into {into[0]['b'] if into else 'another'}; use that one")


def _base_stance(stance: str) -> str:
    return stance[: -len(REVISION)] if stance.endswith(REVISION) else stance


def stance_state(store, stance: str) -> dict:
    """The stance as extracted (``holder``, ``claim``, ``type``, ``article``, anchor fields) and
    as curated (``now``: holder, claim, type; None when rejected). Accepts ``<S>/curated`` too."""
    s = _base_stance(_iri(stance, "stance"))
    rows = _select(store, """SELECT ?holder ?claim ?type ?article ?hash ?cue ?cueStart ?content WHERE {
        ?st a fck:Stance ; fck:holder ?holder ; fck:claim ?claim ; fck:stanceType ?type .
        OPTIONAL { ?st prov:wasDerivedFrom ?article OPTIONAL { ?article fck:contentHash ?hash } }
        OPTIONAL { ?st fck:cueSpan ?c . ?c oa:exact ?cue ; oa:start ?cueStart }
        OPTIONAL { ?st fck:contentSpan ?k . ?k oa:exact ?content } } LIMIT 1""", st=s)
    if not rows:
        raise CurationError(f"no stance {stance} in the store")
    r = rows[0]
    now = _select(store, """SELECT ?holder ?claim ?type WHERE {
        ?st fck:holder ?holder ; fck:claim ?claim ; fck:stanceType ?type } LIMIT 1""", st=s + REVISION)
    hidden = _ask(store, "ASK { ?st fck:supersededBy ?c }", st=s)
    current = now[0] if now else (None if hidden else {k: r[k] for k in ("holder", "claim", "type")})
    return {"stance": s, **r, "now": current}


def _anchor(state: dict) -> Anchor:
    return Anchor(state["stance"], state["article"] or "", state["hash"] or "", state["cue"] or "",
                  int(state["cueStart"]) if state["cueStart"] is not None else -1, state["content"] or "")


def _new(kind: str, by: str, why: str, **fields) -> Record:
    by = " ".join((by or "").split())
    if not by:
        raise CurationError("say who makes the correction (--by NAME, or the name field in the dashboard)")
    at = _now()
    key = [kind, by, at, *(str(v) for v in fields.values() if not isinstance(v, tuple))]
    key += [a.stance for a in fields.get("anchors", ())]
    return Record(iris.mint("correction", *key), kind, by, at, (why or "").strip(), **fields)


def _commit(store, rec: Record) -> Record:
    records = load_records(store)
    _write(store, [*records, rec], _record_triples(rec))
    log.info("correction %s (%s) by %s", rec.id, rec.kind, rec.by)
    return rec


# -- the actions -------------------------------------------------------------------------------------
def merge_claims(store, claim: str, into: str, *, by: str, why: str = "") -> Record:
    """Merge ``claim`` into ``into`` (which survives): one node with both texts' stances,
    appearances and wordings."""
    return _merge(store, "ClaimMerge", "claim", claim, into, by, why)


def merge_entities(store, entity: str, into: str, *, by: str, why: str = "") -> Record:
    """Merge ``entity`` into ``into`` (which survives): its names become other names of ``into``,
    its mentions, memberships and stances move there."""
    return _merge(store, "EntityMerge", "entity", entity, into, by, why)


def _merge(store, kind: str, what: str, a: str, b: str, by: str, why: str) -> Record:
    a, b = _iri(a, what), _iri(b, what)
    if a == b:
        raise CurationError(f"cannot merge {what} {a} into itself")
    _require(store, a, what)
    _require(store, b, what)
    return _commit(store, _new(kind, by, why, source=a, target=b))


def split_claim(store, claim: str, stances: Iterable[str], *, text: str, by: str, why: str = "") -> Record:
    """Move ``stances`` of ``claim`` to a new claim worded ``text`` (its other stances stay)."""
    claim = _iri(claim, "claim")
    _require(store, claim, "claim")
    text = " ".join((text or "").split())
    if not text:
        raise CurationError("a split needs the text of the new claim (--text)")
    states = [stance_state(store, s) for s in dict.fromkeys(stances)]
    if not states:
        raise CurationError("name at least one stance of the claim to move to the new claim")
    for st in states:
        if st["now"] is None or st["now"]["claim"] != claim:
            raise CurationError(f"stance {st['stance']} is not a stance on claim {claim}")
    anchors = tuple(_anchor(st) for st in states)
    rec = _new("ClaimSplit", by, why, source=claim, value=text, anchors=anchors)
    rec = replace(rec, target=iris.mint("claim", "curated", rec.iri))
    return _commit(store, rec)


def retype_stance(store, stance: str, stance_type: str, *, by: str, why: str = "") -> Record:
    """Give a stance another type (Asserts, Confirms, Denies, Disputes, Questions)."""
    name = stance_type.strip().rsplit("#", 1)[-1].rsplit(":", 1)[-1].capitalize()
    if name not in STANCE_TYPES:
        raise CurationError(f"unknown stance type {stance_type!r}; expected one of {', '.join(STANCE_TYPES)}")
    st = _visible(store, stance)
    if st["now"]["type"] == str(FCK[name]):
        raise CurationError(f"stance {st['stance']} is already {name}")
    return _commit(store, _new("StanceRetyping", by, why, value=str(FCK[name]), anchors=(_anchor(st),)))


def set_holder(store, stance: str, entity: str, *, by: str, why: str = "") -> Record:
    """Say who really holds a stance."""
    entity = _iri(entity, "entity")
    _require(store, entity, "entity")
    st = _visible(store, stance)
    if st["now"]["holder"] == entity:
        raise CurationError(f"{entity} already holds stance {st['stance']}")
    return _commit(store, _new("StanceHolderCorrection", by, why, target=entity, anchors=(_anchor(st),)))


def reject_stance(store, stance: str, *, by: str, why: str = "") -> Record:
    """Mark a stance as wrong: it disappears from every view and export (until undone)."""
    st = _visible(store, stance)
    return _commit(store, _new("StanceRejection", by, why, anchors=(_anchor(st),)))


def _visible(store, stance: str) -> dict:
    st = stance_state(store, stance)
    if st["now"] is None:
        raise CurationError(f"stance {st['stance']} is rejected already")
    return st


def relate_claims(store, claim: str, relation: str, other: str, *, by: str, why: str = "") -> Record:
    """``claim`` contradicts / supports / refines ``other`` (see the ontology's definitions)."""
    rel = relation.strip().rsplit("#", 1)[-1].rsplit(":", 1)[-1].lower()
    if rel not in RELATIONS:
        raise CurationError(f"unknown claim relation {relation!r}; expected one of {', '.join(RELATIONS)}")
    a, b = _iri(claim, "claim"), _iri(other, "claim")
    if a == b:
        raise CurationError("a claim cannot be related to itself")
    _require(store, a, "claim")
    _require(store, b, "claim")
    plan = Plan(load_records(store))
    for r in plan.relations:
        if r.value == str(FCK[rel]) and {plan.final(r.source), plan.final(r.target)} == {a, b} \
                and (rel == "contradicts" or (plan.final(r.source), plan.final(r.target)) == (a, b)):
            raise CurationError(f"{a} already {rel} {b} (correction {r.id})")
    return _commit(store, _new("ClaimRelation", by, why, source=a, target=b, value=str(FCK[rel])))


def find(store, ident: str) -> Record:
    """The correction with this IRI or id (the first characters of its IRI's last part)."""
    return _find(load_records(store), ident)


def _find(records: list[Record], ident: str) -> Record:
    ident = (ident or "").strip().strip("<>")
    hits = [r for r in records if r.iri == ident or (len(ident) >= 4 and r.id.startswith(ident))]
    if not hits:
        raise CurationError(f"no correction {ident!r} (see `kg curate list --all`)")
    if len(hits) > 1:
        raise CurationError(f"{ident!r} names {len(hits)} corrections; give more of its id")
    return hits[0]


def undo(store, ident: str, *, by: str) -> Record:
    """Undo a correction: its record stays (with who undid it and when), its effect goes."""
    records = load_records(store)
    rec = _find(records, ident)
    if rec.undone_at:
        raise CurationError(f"correction {rec.id} was undone already ({rec.undone_at} by {rec.undone_by})")
    by = " ".join((by or "").split())
    if not by:
        raise CurationError("say who undoes the correction (--by NAME)")
    done = replace(rec, undone_at=_now(), undone_by=by)
    _write(store, [done if r.iri == rec.iri else r for r in records], _undo_triples(done))
    log.info("undid correction %s", rec.id)
    return done


# -- listing ---------------------------------------------------------------------------------------
def list_corrections(store, *, include_undone: bool = False) -> list[Correction]:
    """The corrections, newest first, each with what it does in words and whether it still
    applies ("applies", "no longer matches": its stance is gone from the re-ingested article)."""
    records = [r for r in load_records(store) if include_undone or not r.undone_at]
    applied = {r["c"] for r in store.select("SELECT DISTINCT ?c WHERE { ?c fck:appliesTo ?x }")}
    names = _names(store, {n for r in records for n in (r.source, r.target) if n},
                   {a.stance for r in records for a in r.anchors})
    out = []
    for r in reversed(records):
        status = "undone" if r.undone_at else ("applies" if r.iri in applied else "no longer matches")
        out.append(Correction(r.id, r.iri, r.kind, KINDS[r.kind], describe(r, names), r.by, r.at, r.why, status,
                              r.undone_at, r.undone_by))
    return out


def _names(store, nodes: set[str], stances: set[str] = frozenset()) -> dict[str, str]:
    """Text of each claim, name of each entity, name of the extracted holder of each stance."""
    out = {}
    for n in sorted(nodes):
        rows = _select(store, "SELECT ?t ?l WHERE { OPTIONAL { ?n schema:text ?t } OPTIONAL { ?n rdfs:label ?l } } LIMIT 1",
                       n=n)
        if rows and (rows[0]["t"] or rows[0]["l"]):
            out[n] = str(rows[0]["t"] or rows[0]["l"])
    for s in sorted(stances):
        rows = _select(store, "SELECT ?l WHERE { ?st fck:holder/rdfs:label ?l } LIMIT 1", st=s)
        if rows:
            out[s] = str(rows[0]["l"])
    return out


def summary(store, r: Record) -> str:
    """What a correction does, in words, with the texts and names of what it touches."""
    return describe(r, _names(store, {n for n in (r.source, r.target) if n}, {a.stance for a in r.anchors}))


def describe(r: Record, names: dict[str, str] | None = None) -> str:
    """What a correction does, in words (IRIs where ``names`` has no text or name)."""
    names = names or {}

    def q(node: str) -> str:
        return f"“{shorten(names.get(node, node), 70)}”"

    def stance(a: Anchor) -> str:
        who = f"{names[a.stance]}: " if a.stance in names else ""
        return f"stance “{who}{shorten(a.cue, 30)} … {shorten(a.content, 70)}”"
    local = r.value.rsplit("#", 1)[-1]
    if r.kind in ("ClaimMerge", "EntityMerge"):
        return f"{'claim' if r.kind == 'ClaimMerge' else 'entity'} {q(r.source)} merged into {q(r.target)}"
    if r.kind == "ClaimSplit":
        return f"{len(r.anchors)} stance(s) of {q(r.source)} moved to new claim “{shorten(r.value, 70)}”"
    if r.kind == "ClaimRelation":
        return f"{q(r.source)} {local} {q(r.target)}"
    a = r.anchors[0] if r.anchors else Anchor("", "")
    if r.kind == "StanceRetyping":
        return f"{stance(a)} is {local}"
    if r.kind == "StanceHolderCorrection":
        return f"{stance(a)} is held by {q(r.target)}"
    return f"{stance(a)} rejected"


# -- exports ----------------------------------------------------------------------------------------
_FORMATS = {"trig": "TRIG", "nquads": "N_QUADS", "turtle": "TURTLE", "ntriples": "N_TRIPLES",
            "rdfxml": "RDF_XML", "jsonld": "JSON_LD", "n3": "N3"}


def effective_quads(store) -> Iterator:
    """Every quad of the store as curated: superseded nodes, the spans of rejected stances and
    withdrawn appearances are left out of the source graphs; the curation and overlay graphs
    come as they are."""
    import pyoxigraph as ox

    hidden = {r["x"] for r in store.select("SELECT DISTINCT ?x WHERE { ?x fck:supersededBy ?c }")}
    revised = {r["x"] for r in store.select("SELECT DISTINCT ?x WHERE { ?r prov:wasRevisionOf ?x }")}
    rejected = hidden - revised
    withdrawn = {(r["c"], r["a"]) for r in store.select("SELECT ?c ?a WHERE { ?c fck:withdrawnFrom ?a }")}
    for q in _all_quads(store):
        g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
        if g == CURATION_GRAPH or is_overlay(g):
            yield q
            continue
        s = q.subject.value
        o = q.object.value if isinstance(q.object, ox.NamedNode) else None
        if s in hidden or o in hidden or s.rsplit("/", 1)[0] in rejected:
            continue
        if o is not None and q.predicate.value == _T["appearance"] and (s, o) in withdrawn:
            continue
        yield q


def _all_quads(store) -> Iterator:
    quads = getattr(store, "quads", None)
    if quads is not None:
        yield from quads()
        return
    import tempfile

    import pyoxigraph as ox

    with tempfile.TemporaryFile() as fh:
        store.dump(fh, "nquads")
        fh.seek(0)
        yield from ox.parse(fh, format=ox.RdfFormat.N_QUADS)


def dump_effective(store, out, fmt: str) -> None:
    """Write the curated store in ``fmt`` (quad formats keep the graphs, among them the curation
    graph with its provenance; triple formats get the union)."""
    import pyoxigraph as ox

    if fmt not in _FORMATS:
        raise KGError(f"unknown RDF format {fmt!r}; expected one of {', '.join(_FORMATS)}")
    f = getattr(ox.RdfFormat, _FORMATS[fmt])
    quads = effective_quads(store)
    items = quads if f.supports_datasets else (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    ox.serialize(items, out, format=f)


def after_ingest(store) -> None:
    """After an ingest into a store without the write hook (a remote SPARQL store), recompute
    the overlay when the store holds corrections. The embedded store needs nothing."""
    from .store import Store

    if not isinstance(store, Store) and has_active(store):
        refresh(store)
