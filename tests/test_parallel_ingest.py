"""Parallel ingest: extraction in worker processes gives the same graph as one process."""
from __future__ import annotations

import io
import pickle

import pytest

from kg.extract import extract_many, extract_parallel
from kg.ingest import ingest
from kg.records import Article, Extraction
from kg.sources import read_articles
from kg.store import Store


def nquads(store: Store) -> set[str]:
    buf = io.BytesIO()
    store.dump(buf, "nquads")
    return {line for line in buf.getvalue().decode("utf-8").splitlines() if line.strip()}


def sample_articles(examples_dir) -> list[Article]:
    return [a for a in read_articles([str(examples_dir)]) if isinstance(a, Article)]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_two_workers_give_the_same_graph_as_one(nlp, examples_dir, start_method, monkeypatch):
    monkeypatch.setenv("KG_MP_START", start_method)
    one, two = Store(), Store()
    r1 = ingest([str(examples_dir)], one, nlp=nlp, n_process=1)
    r2 = ingest([str(examples_dir)], two, nlp=nlp, n_process=2, batch_size=2)   # several chunks per worker
    assert r1.ok and r2.ok, (r1.failures, r2.failures)
    assert r1.articles == r2.articles == 8
    assert (r1.entities, r1.claims, r1.stances) == (r2.entities, r2.claims, r2.stances)
    q1, q2 = nquads(one), nquads(two)
    assert q1 and q1 == q2, sorted(q1 ^ q2)[:10]


def test_parallel_extractions_are_picklable_records_in_input_order(nlp, examples_dir):
    arts = sample_articles(examples_dir)
    serial = list(extract_many(arts, nlp, batch_size=3))
    parallel = list(extract_parallel(arts, workers=2, nlp=nlp, batch_size=3, window=1))
    assert [e.article.id for e in parallel] == [a.id for a in arts]
    assert all(isinstance(e, Extraction) for e in parallel)
    assert parallel == serial
    assert pickle.loads(pickle.dumps(parallel)) == parallel      # plain dataclasses only


def test_parallel_ingest_skips_unchanged_articles_and_keeps_the_graph(nlp, examples_dir):
    store = Store()
    ingest([str(examples_dir)], store, nlp=nlp, n_process=2)
    before = nquads(store)
    again = ingest([str(examples_dir)], store, nlp=nlp, n_process=2)
    assert again.articles == 0 and again.unchanged == 8
    assert nquads(store) == before


def test_an_extraction_error_in_a_worker_is_reported_like_in_one_process(nlp):
    arts = [Article(id="ok", headline="h", body="The minister said the plan was sound."),
            Article(id="bad", headline="h", body="The minister said the plan was sound.", authors=(object(),))]
    serial = list(extract_many(arts, nlp))
    parallel = list(extract_parallel(arts, workers=2, nlp=nlp, batch_size=1))
    assert [e.article.id for e in parallel] == ["ok", "bad"]
    assert not parallel[0].failure and parallel[1].failure
    assert [e.failure for e in parallel] == [e.failure for e in serial]


def test_ingest_freezes_thefrozen_for_batch_heap_for_the_batch_only(nlp, examples_dir):
    """The model and index are left out of full collections while the batch runs (gc.freeze),
    and given back to the collector when it ends, also when a write fails."""
    import gc

    seen: list[int] = []
    store = Store()
    ingest([str(examples_dir)], store, nlp=nlp, progress=lambda _id: seen.append(gc.get_freeze_count()))
    assert len(seen) == 8 and min(seen) > 0
    assert gc.get_freeze_count() == 0

    def fail(_id):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        ingest([str(examples_dir)], Store(), nlp=nlp, progress=fail)
    assert gc.get_freeze_count() == 0


def test_ingest_leaves_a_freeze_made_by_its_caller(nlp, examples_dir):
    import gc

    gc.freeze()
    try:
        before = gc.get_freeze_count()
        ingest([str(examples_dir)], Store(), nlp=nlp)
        assert gc.get_freeze_count() >= before > 0
    finally:
        gc.unfreeze()
