"""Ingest: sources -> extract -> resolve -> build -> store, one article at a time.

Failures are recorded per file or record and the batch goes on; an unchanged article (same
content hash) is skipped before any NLP; a changed one replaces its named graph.

With ``n_process`` > 1 only extraction (spaCy + rules) runs in worker processes; the records
come back in input order and resolve, build and store stay in this process, so identities are
minted in the same order and the graph is the same as with one process.
"""
from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from rdflib import BNode, Literal

from .build import build_graph, content_hash
from .errors import KGError, SourceError
from .records import Article, Extraction, IngestReport, ReviewDocument
from .resolve import IdentityIndex, parse_signature, resolve
from .store import Store

log = logging.getLogger(__name__)
EXTRACTOR_VERSION = "0.1"
FLUSH_EVERY = 20_000   # quads: an on-disk store keeps written data in memory until flushed


def load_index(store: Store) -> IdentityIndex:
    """Rebuild the identity index from the entities and claims already stored."""
    index = IdentityIndex()
    rows = store.select("""
        SELECT ?e ?t ?name WHERE { GRAPH ?g {
          VALUES (?cls ?t) { (schema:Person "Person") (schema:Organization "Organization")
                             (schema:Place "Place") (schema:CreativeWork "CreativeWork") }
          ?e a ?cls . { ?e rdfs:label ?name } UNION { ?e skos:altLabel ?name } } }""")
    for r in rows:
        index.add_entity(r["t"], r["name"], r["e"])
    about: dict[str, set[str]] = {}
    for r in store.select("SELECT ?c ?e WHERE { ?c a schema:Claim ; schema:about ?e }"):
        about.setdefault(r["c"], set()).add(r["e"])
    for r in store.select("""SELECT ?c ?text ?sig WHERE { ?c a schema:Claim ; schema:text ?text .
                              OPTIONAL { ?c fck:signature ?sig } }"""):
        index.add_claim(parse_signature(r["c"], r["text"], frozenset(about.get(r["c"], ())), r["sig"] or ""))
    return index


def ingest(paths: Iterable[str], store: Store, *, nlp=None, n_process: int = 1, batch_size: int = 16,
           progress: Callable[[str], None] | None = None, summary: bool = True) -> IngestReport:
    """Ingest files/folders into ``store``; returns counts and per-file failures.

    ``n_process`` > 1 extracts in that many worker processes (``kg ingest --workers N``);
    the resulting graph is the same as with one. ``summary=False`` skips the end-of-batch
    refresh of the materialised summary (seconds on a big store): readers then run the live
    queries until ``kg stats --refresh`` or the next batch that refreshes.
    """
    from .extract import extract_many, load_pipeline
    from .sources import read_articles

    report = IngestReport()
    index = load_index(store)
    reviews: list[ReviewDocument] = []   # ClaimReview files: imported after the articles
    pending = _changed(read_articles(paths), store, report, progress, reviews)
    nlp_holder: list = [nlp]

    def lazy_articles() -> Iterator[Article]:
        for art in pending:
            if nlp_holder[0] is None:
                nlp_holder[0] = load_pipeline()
            limit = getattr(nlp_holder[0], "max_length", None)
            if limit and len(art.body) > limit:  # spaCy would raise and end the whole batch
                problem = f"article body too long ({len(art.body)} characters > limit {limit})"
                report.failures.append((art.source_path or art.id, problem))
                log.warning("%s: %s", art.source_path or art.id, problem)
                if progress:
                    progress(art.id)
                continue
            yield art

    first = next(iter_ := lazy_articles(), None)
    if first is None:
        _import_reviews(reviews, store, index, nlp_holder, report)
        if summary:
            _refresh_summary(store)
        return report
    import itertools

    stream = itertools.chain([first], iter_)
    upkeep = _upkeep(store) if summary else None
    with frozen_for_batch():
        _write_all(store, extract_many(stream, nlp_holder[0], batch_size=batch_size, n_process=n_process), index,
                   report, progress, upkeep)
    _import_reviews(reviews, store, index, nlp_holder, report)
    store.flush()
    if summary:
        _refresh_summary(store, upkeep)
    return report


@contextmanager
def frozen_for_batch():
    """For the batch, leave the objects alive when it starts (the spaCy model and the identity
    index, a hundred thousand and more, all kept to the end) out of the garbage collector's
    full passes, each of which would walk them all again (gc.freeze: ~1 % of an ingest on the
    benchmark; forked workers also keep sharing their memory pages). They go back to the
    collector afterwards. Nothing is frozen when some other code froze objects: gc.unfreeze
    would release those too."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def ingest_extractions(store: Store, extractions: Iterable[Extraction], *, summary: bool = True) -> IngestReport:
    """The part of :func:`ingest` after extraction, for records made elsewhere (tests, other
    extractors): unchanged articles skipped, each one resolved, built and written, then the
    summary patched or refreshed."""
    report = IngestReport()
    index = load_index(store)
    upkeep = _upkeep(store) if summary else None
    fresh = []
    for ex in extractions:
        if not ex.failure and store.article_hash(ex.article.id) == content_hash(ex.article):
            report.unchanged += 1
        else:
            fresh.append(ex)
    _write_all(store, fresh, index, report, None, upkeep)
    store.flush()
    if summary:
        _refresh_summary(store, upkeep)
    return report


def _write_all(store: Store, extractions: Iterable[Extraction], index: IdentityIndex, report: IngestReport,
               progress: Callable[[str], None] | None, upkeep) -> None:
    """Resolve, build and write each extraction (a failure is recorded and the batch goes on);
    with ``upkeep``, each write keeps the summary's rows for the patch at the end of the batch."""
    unflushed = 0
    for ex in extractions:
        if ex.failure:
            report.failures.append((ex.article.source_path or ex.article.id, ex.failure))
            continue
        try:
            res = resolve(ex, index)
            graph, triples, shared = build_graph(res, extractor_version=EXTRACTOR_VERSION)
            patching = upkeep is not None and _plan_patch(upkeep, store, str(graph), triples, shared)
            store.replace_graph(str(graph), triples, shared, keep_summary=patching)
        except KGError as exc:
            report.failures.append((ex.article.source_path or ex.article.id, str(exc)))
            continue
        unflushed += len(triples) + len(shared)
        if unflushed >= FLUSH_EVERY:   # RocksDB write buffers grow until flushed: keeps RSS flat
            store.flush()
            unflushed = 0
        report.articles += 1
        report.entities += sum(1 for e in ex.entities if e.role == "subject")
        report.claims += len(ex.claims)
        report.stances += len(ex.stances)
        if progress:
            progress(ex.article.id)


def _refresh_summary(store: Store, upkeep=None) -> None:
    """Bring the materialised query results (kg.materialise) up to date once per batch:
    patched where the batch changed them (``upkeep``), else recomputed; a no-op when the batch
    wrote nothing and they are current, and on remote stores."""
    from .materialise import refresh

    try:
        if upkeep is not None:
            upkeep.finish()       # (a full refresh when the patch was given up or cannot be made)
        else:
            refresh(store)
    except KGError as exc:        # the articles are stored; readers then run the live queries
        log.warning("summary of the store not refreshed (readers run the live queries): %s", exc)


# A batch patches the summary while that costs less than this share of a full refresh (one
# bound query per changed key: a few articles into a big store), else it refreshes it whole.
PATCH_SHARE = 0.5


def _upkeep(store: Store):
    """An upkeep of the store's summary for this batch (kg.materialise.Upkeep), or None when the
    summary is not current (the batch then ends with a full refresh, as ever)."""
    from .materialise import Upkeep, supported

    if not supported(store):
        return None
    upkeep = Upkeep(store)
    return upkeep if upkeep.current else None


def _plan_patch(upkeep, store: Store, graph: str, triples: list[tuple], shared: list[tuple]) -> bool:
    """Add this article's write to ``upkeep`` (its new triples, and the old graph's when it
    replaces one; with corrections in the store, also its overlay's old and new triples, which
    the write recomputes: kg.curate.article_overlay); True while the batch still patches the
    summary."""
    if not upkeep.current:
        return False
    from .curate import article_overlay, overlay_graph
    from .namespaces import SHARED_GRAPH

    diff = [tuple(t if isinstance(t, (Literal, BNode)) else str(t) for t in triple)
            for triple in (*triples, *shared)]
    graphs = [graph, str(SHARED_GRAPH)]
    if store.has_graph(graph):
        diff += store.graph_triples(graph)
    overlay = article_overlay(store, graph, triples, shared)
    if overlay is not None:
        old = overlay_graph(graph)
        diff += store.graph_triples(old)
        diff += [t for ts in overlay.values() for t in ts]
        graphs += [old, *overlay]
    upkeep.add(diff, graphs)
    if upkeep.estimate() > PATCH_SHARE * upkeep.full_seconds():
        upkeep.abandon()
    return upkeep.current


def _import_reviews(reviews: list[ReviewDocument], store: Store, index: IdentityIndex, nlp_holder: list,
                    report: IngestReport) -> None:
    """Fact-checkers' reviews (kg/claimreview.py), once the batch's articles are in the index, so
    that a reviewed claim joins the node of the same claim in the news."""
    if not reviews:
        return
    from .claimreview import import_reviews
    from .extract import load_pipeline

    if nlp_holder[0] is None:
        nlp_holder[0] = load_pipeline()
    import_reviews(reviews, store, index, nlp_holder[0], report)
    store.flush()


def _changed(items, store: Store, report: IngestReport, progress,
             reviews: list[ReviewDocument] | None = None) -> Iterator[Article]:
    for item in items:
        if isinstance(item, ReviewDocument):
            if reviews is not None:
                reviews.append(item)
            continue
        if isinstance(item, SourceError):
            report.failures.append((item.path, item.problem))
            log.warning("%s", item)
            if progress:
                progress(item.path)
            continue
        if store.article_hash(item.id) == content_hash(item):
            report.unchanged += 1
            if progress:
                progress(item.id)
            continue
        yield item
