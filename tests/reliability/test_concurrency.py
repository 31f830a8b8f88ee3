"""Two writers and many readers on one on-disk store.

- A second ``ingest`` while one is writing fails at once with a clear message (exit 2, "another
  process is writing"), writes nothing, and leaves the first run's result whole.
- Readers that open the store read-only while ``ingest`` writes (``Store(path, read_only=True)``,
  ``python -m kg query`` and ``stats``) either see whole articles only or fail with a clean
  StoreError / ``error:`` line: never a half-written article, never a raw traceback.
"""
from __future__ import annotations

import json
import subprocess
import time
import traceback

import pytest

from kg.errors import StoreError
from kg.store import Store

from .conftest import IDENTIFIERS, run_kg, show, start_kg, whole_article_problems, write_batch

pytestmark = [pytest.mark.model, pytest.mark.slow]

N_ARTICLES = 120


def wait_for_articles(location, proc, at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the writer ended (exit {proc.returncode}) too early: {proc.stderr.read()[-2000:]}")
        try:
            n = len(Store(location, read_only=True).select(IDENTIFIERS))
        except (StoreError, OSError):
            n = 0
        if n >= at_least:
            return n
        time.sleep(0.1)
    pytest.fail(f"fewer than {at_least} articles after {timeout} s")


def finish(proc, timeout: float = 300) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=timeout)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, err


@pytest.fixture
def batch(tmp_path):
    path = tmp_path / "batch.jsonl"
    return path, write_batch(path, N_ARTICLES, seed=11)


def test_second_ingest_on_a_busy_store_fails_clearly_and_changes_nothing(tmp_path, batch):
    path, ids = batch
    location = tmp_path / "store"
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"id": "second-writer", "title": "Second writer",
                                 "text": "The mayor said the second writer must wait."}), encoding="utf-8")
    writer = start_kg("ingest", path, "--store", location, "--no-progress")
    try:
        wait_for_articles(location, writer, 3)
        second = run_kg("ingest", other, "--store", location, "--no-progress", timeout=120)
    finally:
        code, err = finish(writer)
    assert second.returncode != 0, show(second)
    assert "another process is writing to the store" in second.stderr, show(second)
    assert "Traceback" not in second.stderr, show(second)
    assert code == 0, err[-3000:]

    store = Store(location, read_only=True)
    stored = [r["id"] for r in store.select(IDENTIFIERS)]
    assert sorted(stored) == sorted(ids), "the first writer's batch is not whole"
    assert whole_article_problems(store) == []
    del store
    again = run_kg("ingest", other, "--store", location, "--no-progress")
    assert again.returncode == 0, show(again)
    assert "second-writer" in {r["id"] for r in Store(location, read_only=True).select(IDENTIFIERS)}


def test_readers_see_only_whole_articles_while_ingest_writes(tmp_path, batch):
    path, ids = batch
    location = tmp_path / "store"
    writer = start_kg("ingest", path, "--store", location, "--no-progress")
    seen: list[int] = []          # article counts seen by successful reads
    clean_failures: list[str] = []
    raw_failures: list[str] = []
    cli: list = []
    try:
        wait_for_articles(location, writer, 1)
        while writer.poll() is None:
            try:
                store = Store(location, read_only=True)
                n = len(store.select(IDENTIFIERS))
                problems = whole_article_problems(store)
                assert problems == [], f"a reader saw half-written articles: {problems[:5]}"
                seen.append(n)
                del store
            except StoreError as exc:
                clean_failures.append(str(exc))
            except AssertionError:
                raise
            except Exception:
                raw_failures.append(traceback.format_exc())
            if len(seen) in (1, 4) and len(cli) < 2 * len(seen):   # the CLI readers too, in parallel
                cli.append(start_kg("query", "SELECT (COUNT(?a) AS ?n) WHERE { ?a a schema:NewsArticle }",
                                    "--store", location, "--format", "json", stdout=subprocess.PIPE))
                cli.append(start_kg("stats", "--store", location, stdout=subprocess.PIPE))
    finally:
        code, err = finish(writer)
        outputs = [p.communicate(timeout=120) for p in cli]
    cli = [subprocess.CompletedProcess(p.args, p.returncode, o, e) for p, (o, e) in zip(cli, outputs)]
    assert code == 0, err[-3000:]
    assert not raw_failures, raw_failures[0]
    assert len([n for n in seen if 0 < n < len(ids)]) >= 2, f"too few reads during the write: {seen}"
    assert seen == sorted(seen), "a later read saw fewer articles than an earlier one"
    for proc in cli:
        assert "Traceback" not in proc.stderr, show(proc)
        assert proc.returncode == 0 or (proc.returncode == 2 and proc.stderr.startswith("error:")), show(proc)
    ok = [p for p in cli if p.returncode == 0]
    assert ok, "no CLI reader succeeded while ingest was writing"
    for proc in ok:
        out = json.loads(proc.stdout)
        n = out["rows"][0][0] if "rows" in out else out["articles"]
        assert 0 <= n <= len(ids)
    store = Store(location, read_only=True)
    assert len(store.select(IDENTIFIERS)) == len(ids)
    assert whole_article_problems(store) == []
