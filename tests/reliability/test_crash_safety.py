"""SIGKILL in the middle of a large ``ingest``: the store opens, holds only whole articles (each
exactly as an uninterrupted run writes it), and re-running the batch finishes the rest without
duplicates."""
from __future__ import annotations

import collections
import re
import signal
import time

import pytest

from kg.errors import StoreError
from kg.store import Store

from .conftest import IDENTIFIERS, by_graph, quads, run_kg, show, start_kg, whole_article_problems

pytestmark = [pytest.mark.model, pytest.mark.slow]

KILL_AFTER = 25          # articles committed before the kill


def committed_articles(location) -> int | None:
    """Articles in the store, read through a read-only handle; None while it cannot be opened."""
    try:
        store = Store(location, read_only=True)
        return len(store.select(IDENTIFIERS))
    except (StoreError, OSError):
        return None


@pytest.fixture(scope="module")
def uninterrupted(synthetic_batch, nlp):
    """The batch ingested in one go, in memory: what every article's graph must look like."""
    from kg.ingest import ingest

    batch, _ = synthetic_batch
    store = Store()
    report = ingest([str(batch)], store, nlp=nlp)
    assert report.ok and report.articles == 300
    return quads(None, store)


def test_sigkill_mid_batch_leaves_whole_articles_and_a_rerun_finishes_without_duplicates(
        tmp_path, synthetic_batch, uninterrupted):
    batch, ids = synthetic_batch
    location = tmp_path / "store"
    proc = start_kg("ingest", batch, "--store", location, "--no-progress")
    deadline = time.monotonic() + 120
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"ingest ended (exit {proc.returncode}) before it could be killed:"
                            f" {proc.stderr.read()[-2000:]}")
            n = committed_articles(location) if location.exists() else None
            if n is not None and n >= KILL_AFTER:
                break
            assert time.monotonic() < deadline, "ingest committed nothing within 120 s"
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    # the store opens for writing again (the lock died with the process) and is whole
    store = Store(location)
    killed_ids = [r["id"] for r in store.select(IDENTIFIERS)]
    assert KILL_AFTER <= len(killed_ids) < len(ids), f"{len(killed_ids)} articles when killed"
    assert whole_article_problems(store) == []
    # every article graph present is exactly the graph an uninterrupted run writes
    expected, got = by_graph(uninterrupted), by_graph(quads(None, store))
    from kg.namespaces import SHARED_GRAPH

    shared = f"<{SHARED_GRAPH}>"
    article_graphs = [g for g in got if g != shared]
    assert len(article_graphs) == len(killed_ids)
    for graph in article_graphs:
        assert got[graph] == expected.get(graph), f"article graph {graph} differs from an uninterrupted run"
    assert got[shared] <= expected[shared]
    del store

    rerun = run_kg("ingest", batch, "--store", location, "--no-progress")
    assert rerun.returncode == 0, show(rerun)
    m = re.search(r"ingested (\d+) articles \((\d+) unchanged\)", rerun.stdout)
    assert m and (int(m.group(1)), int(m.group(2))) == (len(ids) - len(killed_ids), len(killed_ids)), rerun.stdout

    store = Store(location, read_only=True)
    final_ids = collections.Counter(r["id"] for r in store.select(IDENTIFIERS))
    assert set(final_ids) == set(ids)
    assert max(final_ids.values()) == 1, [i for i, n in final_ids.items() if n > 1]
    assert store.select("SELECT (COUNT(?a) AS ?n) WHERE { ?a a schema:NewsArticle }")[0]["n"] == len(ids)
    assert whole_article_problems(store) == []
    assert quads(None, store) == uninterrupted, "killed + resumed store differs from an uninterrupted ingest"


@pytest.mark.parametrize("writes", [1, 37])
def test_dying_right_after_any_write_leaves_only_whole_articles(tmp_path, synthetic_batch, uninterrupted, writes):
    """Deterministic twin of the SIGKILL test: the ingest process kills itself right after its
    N-th write call to the database. Each article must be one write, so whatever N, every article
    graph in the store is exactly the uninterrupted run's."""
    import subprocess
    import sys
    from pathlib import Path

    from .conftest import REPO, kg_env

    batch, ids = synthetic_batch
    location = tmp_path / "store"
    driver = Path(__file__).with_name("die_after_writes.py")
    proc = subprocess.run([sys.executable, str(driver), str(writes), "ingest", str(batch), "--store", str(location),
                           "--no-progress"], cwd=REPO, env=kg_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, show(proc)
    store = Store(location, read_only=True)
    assert whole_article_problems(store) == []
    expected, got = by_graph(uninterrupted), by_graph(quads(None, store))
    from kg.namespaces import SHARED_GRAPH

    shared = f"<{SHARED_GRAPH}>"
    graphs = [g for g in got if g != shared]
    assert 0 < len(graphs) <= writes
    for graph in graphs:
        assert got[graph] == expected.get(graph), f"article graph {graph} is not whole"
    assert got.get(shared, set()) <= expected[shared]
