"""The summary after a correction (kg.materialise.Upkeep, called by kg.curate): patched from the
overlay triples the correction changed, it must equal what a full refresh gives, after every
kind of correction and after undoing it. The corpus is test_curate's (hand-made extraction
records through the real resolve, build and store code)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from kg import curate, iris
from kg import materialise as mat
from kg.errors import StoreError
from kg.ingest import ingest_extractions
from kg.query import run_canned as run_live
from kg.query import stats as live_stats
from kg.query import stats_of
from kg.store import Store

from test_curate import NORTH, SOUTH, article, claim, entity, ingest_records, stance

WEST = [("Ana Lopez", "Person", "said", "the port sold user data", "Asserts"),
        ("Harbor Ministry", "Organization", "disputed", "the mayor met the minister", "Disputes")]


def corpus() -> Store:
    """test_curate's two articles and a third in which Ana Lopez speaks for the Harbor Ministry."""
    west = article("west.txt", "West Wire", WEST)
    lopez, ministry = west.entities
    west = replace(west, entities=(replace(lopez, affiliation=ministry.key), ministry))
    s = Store()
    assert ingest_records(s, article("north.txt", "North Post", NORTH), article("south.txt", "South Herald", SOUTH),
                          west) == 3
    return s


@pytest.fixture
def store() -> Store:
    s = corpus()
    assert mat.refresh(s).fresh and mat.status(s).queries["dash-affiliations"].rows == 1
    return s


@pytest.fixture
def no_full_refresh(monkeypatch):
    """Fail the test if a correction falls back to the full refresh instead of patching."""
    def refuse(store, **kw):
        raise AssertionError("full refresh run: the summary was not patched")
    monkeypatch.setattr(mat, "refresh", refuse)


def assert_summary_equals_full_refresh(store: Store) -> None:
    """Every materialised query's rows from the summary == the live query's rows (what a full
    refresh stores): in the same order where the query has an ORDER BY, else as a multiset."""
    summary = mat.status(store)
    assert summary.fresh and set(summary.queries) == set(mat.MATERIALISED), "summary not current after the correction"
    for name in mat.MATERIALISED:
        cached, live = mat.cached_rows(store, name), run_live(store, name)
        assert cached is not None, name
        if mat._order_by(mat.canned(name)) is None:
            key = lambda r: repr(sorted(r.items()))       # noqa: E731
            cached, live = sorted(cached, key=key), sorted(live, key=key)
        assert cached == live, f"{name}: patched summary differs from a full refresh"
        assert summary.queries[name].rows == len(live), name
    assert mat.stats(store) == live_stats(store)


CORRECTIONS = {
    "merge claims": lambda s: curate.merge_claims(s, claim(s, "port officials sold location data"),
                                                  claim(s, "the port sold user data"), by="ed"),
    "split claim": lambda s: curate.split_claim(s, claim(s, "the mayor met the minister"),
                                                [stance(s, "Carla Diaz", "the mayor met the minister")],
                                                text="The mayor met the minister in March", by="ed"),
    "retype stance": lambda s: curate.retype_stance(s, stance(s, "Ben Ortiz", "the mayor met the minister"),
                                                    "denies", by="ed"),
    "change holder": lambda s: curate.set_holder(s, stance(s, "Ben Ortiz", "the mayor met the minister"),
                                                 entity(s, "Carla Diaz"), by="ed"),
    "reject stance": lambda s: curate.reject_stance(s, stance(s, "Harbor Ministry", "the port sold user data"), by="ed"),
    "merge entities": lambda s: curate.merge_entities(s, entity(s, "A. Lopez"), entity(s, "Ana Lopez"), by="ed"),
    "merge publishers": lambda s: curate.merge_entities(s, iris.entity_iri("Organization", "West Wire"),     # as build.py
                                                        iris.entity_iri("Organization", "North Post"), by="ed"),
    "merge organisations": lambda s: curate.merge_entities(s, entity(s, "Harbor Ministry"),
                                                           iris.entity_iri("Organization", "North Post"), by="ed"),
    "relate claims": lambda s: curate.relate_claims(s, claim(s, "the mayor met the minister twice"), "Refines",
                                                    claim(s, "the mayor met the minister"), by="ed"),
}


@pytest.mark.parametrize("kind", list(CORRECTIONS))
def test_summary_patched_after_a_correction_and_its_undo_equals_a_full_refresh(store, no_full_refresh, kind):
    before = mat.status(store).generation
    rec = CORRECTIONS[kind](store)
    assert mat.status(store).generation != before
    assert_summary_equals_full_refresh(store)
    curate.undo(store, rec.id, by="ed")
    assert_summary_equals_full_refresh(store)


def test_a_chain_of_corrections_keeps_the_summary_equal_to_a_full_refresh(store, no_full_refresh):
    done = []
    for kind in ("merge entities", "retype stance", "merge claims", "split claim", "merge publishers"):
        done.append(CORRECTIONS[kind](store))
        assert_summary_equals_full_refresh(store)
    for rec in reversed(done[:3]):
        curate.undo(store, rec.id, by="ed")
        assert_summary_equals_full_refresh(store)


def summary_stats(store: Store) -> dict[str, int]:
    """The counts as the summary holds them (not the live fallback of ``mat.stats``)."""
    cached = mat.cached_rows(store, "stats")
    assert cached is not None, "no current stats in the summary"
    return stats_of(cached)


def test_the_counts_move_with_a_correction(store, no_full_refresh):
    counts = summary_stats(store)
    CORRECTIONS["merge entities"](store)
    assert summary_stats(store)["entities"] == counts["entities"] - 1
    curate.reject_stance(store, stance(store, "Harbor Ministry", "the port sold user data"), by="ed")
    assert summary_stats(store)["stances"] == counts["stances"] - 1
    assert summary_stats(store) == live_stats(store)


def test_a_summary_that_was_not_current_is_refreshed_whole(store):
    store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> 1 } }")   # drops the summary
    assert not mat.status(store).fresh
    CORRECTIONS["retype stance"](store)
    assert_summary_equals_full_refresh(store)


def test_the_write_marks_the_summary_stale_in_its_own_transaction(store):
    """Between the correction's write and the patch no reader is served the old rows, which
    stay for the patch; an update that fails marks nothing (one transaction with the write)."""
    with pytest.raises(StoreError):
        store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> } }", keep_summary=True)
    assert mat.status(store).fresh
    store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> 2 } }", keep_summary=True)
    assert not mat.status(store).fresh
    assert all(mat.cached_rows(store, name) is None for name in mat.MATERIALISED)
    assert all(mat._kept(store, name) is not None for name in mat.MATERIALISED)
    assert mat.rows(store, "stats") == run_live(store, "stats")


def test_bound_rows_are_those_of_the_whole_query():
    """The key-bound form of each keyed query, bound on each of its key columns, gives exactly
    the whole query's rows of those keys."""
    s = corpus()
    key = lambda r: repr(sorted(r.items()))       # noqa: E731
    for name, (_, columns) in mat.KEYS.items():
        whole = run_live(s, name)
        for col in columns:
            keys = sorted({r[col] for r in whole})[:2]
            assert keys, (name, col)
            bound = s.select(mat._bound(mat.canned(name), col, keys))
            want = [r for r in whole if r[col] in keys]
            assert sorted(bound, key=key) == sorted(want, key=key), (name, col)
            one = s.select(mat._bound(mat.canned(name), col, keys[:1]))     # as _patched binds: one key
            assert sorted(one, key=key) == sorted((r for r in want if r[col] == keys[0]), key=key), (name, col)


# -- ingest: a batch patches the summary rather than refreshing it whole ------------------------
EAST = [("Ben Ortiz", "Person", "said", "the port sold user data", "Asserts"),
        ("Dana Reyes", "Person", "denied", "the mayor met the minister", "Denies"),
        ("Harbor Ministry", "Organization", "said", "the ferry will run on Sundays", "Asserts")]


@pytest.fixture
def always_patch(monkeypatch):
    """Patch whatever the batch's size (a store this small refreshes in milliseconds, which
    no patch would beat: the choice itself is tested below)."""
    from kg import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "PATCH_SHARE", float("inf"))


def test_ingesting_an_article_patches_the_summary(store, always_patch, no_full_refresh):
    """A new article (known holders and claims, and new ones) into a store whose summary is
    current: its rows and those of every claim and holder it touches are patched in."""
    counts = summary_stats(store)
    rep = ingest_extractions(store, [article("east.txt", "East Times", EAST)])
    assert rep.articles == 1
    assert_summary_equals_full_refresh(store)
    assert summary_stats(store)["stances"] == counts["stances"] + len(EAST)
    assert summary_stats(store)["articles"] == counts["articles"] + 1


def test_re_ingesting_a_changed_article_patches_the_summary(store, always_patch, no_full_refresh):
    """The old graph's stances leave the summary, the new ones come in."""
    changed = article("west.txt", "West Wire", [WEST[0], EAST[2]])
    assert ingest_extractions(store, [changed]).articles == 1
    assert_summary_equals_full_refresh(store)
    assert ingest_extractions(store, [changed]).unchanged == 1     # the same again: nothing written


@pytest.mark.parametrize("kind", list(CORRECTIONS))
def test_ingesting_into_a_store_with_corrections_patches_the_summary(store, always_patch, no_full_refresh, kind):
    """A write recomputes the article's overlay from the corrections (a merged holder, a
    retyped stance …): the patch follows the old and new overlay too, for a new article and for
    an article that replaces one the correction touched; after the undo as well."""
    rec = CORRECTIONS[kind](store)
    assert ingest_extractions(store, [article("east.txt", "East Times", EAST)]).articles == 1
    assert_summary_equals_full_refresh(store)
    changed = article("west.txt", "West Wire", [WEST[0], WEST[1], EAST[2]])
    assert ingest_extractions(store, [changed]).articles == 1
    assert_summary_equals_full_refresh(store)
    curate.undo(store, rec.id, by="ed")
    assert_summary_equals_full_refresh(store)
    assert ingest_extractions(store, [article("north.txt", "North Post", NORTH[:1])]).articles == 1
    assert_summary_equals_full_refresh(store)


def test_a_batch_that_would_cost_more_to_patch_is_refreshed_whole(store, monkeypatch):
    from kg import ingest as ingest_module

    monkeypatch.setattr(ingest_module, "PATCH_SHARE", 0.0)
    full = []
    refresh = mat.refresh
    monkeypatch.setattr(mat, "refresh", lambda s, **kw: full.append(1) or refresh(s, **kw))
    ingest_extractions(store, [article("east.txt", "East Times", EAST)])
    assert full
    assert_summary_equals_full_refresh(store)


def test_an_article_written_with_the_summary_kept_marks_it_stale_in_its_own_transaction(store):
    west = article("west.txt", "West Wire", [WEST[0], EAST[2]])
    from kg.build import build_graph
    from kg.ingest import load_index
    from kg.resolve import resolve

    graph, triples, shared = build_graph(resolve(west, load_index(store)), extractor_version="test")
    with pytest.raises(StoreError):
        store.replace_graph("not an iri", triples, shared, keep_summary=True)
    assert mat.status(store).fresh
    store.replace_graph(str(graph), triples, shared, keep_summary=True)
    assert not mat.status(store).fresh
    assert all(mat.cached_rows(store, name) is None for name in mat.MATERIALISED)
    assert all(mat._kept(store, name) is not None for name in mat.MATERIALISED)
