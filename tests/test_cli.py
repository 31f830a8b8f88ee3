"""The command line, run as users run it: ``python -m kg …`` in a subprocess, on temporary stores."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset

from kg.store import Store

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
SUMMARY = re.compile(r"^ingested (\d+) articles \((\d+) unchanged\) in [\d.]+s: (\d+) entities, (\d+) claims, "
                     r"(\d+) stances, (\d+) failures$", re.M)

pytestmark = [pytest.mark.model, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def kg(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def quads(location: Path) -> set[str]:
    """The store's quads as N-Quads lines (Oxigraph writes one canonical line per quad)."""
    buf = io.BytesIO()
    Store(location, read_only=True).dump(buf, "nquads")
    return {line for line in buf.getvalue().decode("utf-8").split("\n") if line.strip()}


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    location = tmp_path_factory.mktemp("cli") / "store"
    proc = kg("ingest", EXAMPLES, "--store", location, "--no-progress")
    return location, proc


def test_ingest_examples_exits_0_with_a_summary_line(sample_store):
    _, proc = sample_store
    ok(proc)
    m = SUMMARY.search(proc.stdout)
    assert m, proc.stdout
    articles, unchanged, entities, claims, stances, failures = map(int, m.groups())
    assert (articles, unchanged, failures) == (8, 0, 0)
    assert entities > 20 and claims > 20 and stances > 40


def test_ingest_again_reports_every_article_unchanged(sample_store, tmp_path):
    location, _ = sample_store
    copy = tmp_path / "store"
    shutil.copytree(location, copy, ignore=shutil.ignore_patterns("LOCK"))
    proc = ok(kg("ingest", EXAMPLES, "--store", copy, "--no-progress"))
    m = SUMMARY.search(proc.stdout)
    assert m and m.group(1) == "0" and m.group(2) == "8", proc.stdout


def test_stats_prints_json_counts(sample_store):
    location, _ = sample_store
    data = json.loads(ok(kg("stats", "--store", location)).stdout)
    assert data["articles"] == 8
    assert data["claims"] > 0 and data["stances"] > 0 and data["entities"] > 0
    assert data["triples"] == len(quads(location))


QUERY = "SELECT ?h WHERE { ?a a schema:NewsArticle ; schema:headline ?h } ORDER BY ?h"


def test_query_table(sample_store):
    location, _ = sample_store
    out = ok(kg("query", QUERY, "--store", location)).stdout
    lines = out.rstrip("\n").split("\n")
    assert lines[0].strip() == "h"
    assert lines[-1] == "(8 rows)"
    assert any("Harbor Authority Denies Dumping" in line for line in lines)


def test_query_csv(sample_store):
    location, _ = sample_store
    rows = list(csv.reader(io.StringIO(ok(kg("query", QUERY, "--format", "csv", "--store", location)).stdout)))
    assert rows[0] == ["h"]
    assert len(rows) == 9
    assert "Harbor Authority Denies Dumping Dredged Mud in Merrow Bay" in [r[0] for r in rows]


def test_query_json_from_a_file_with_a_binding(sample_store, tmp_path):
    location, _ = sample_store
    rq = tmp_path / "by-id.rq"
    rq.write_text("SELECT ?h ?id WHERE { ?a schema:identifier ?id ; schema:headline ?h }", encoding="utf-8")
    proc = ok(kg("query", f"@{rq}", "--format", "json", "--bind", "id=merrow-bay/calderwick-gazette.txt",
                 "--store", location))
    data = json.loads(proc.stdout)
    assert data["columns"] == ["h", "id"]
    assert data["rows"] == [["Harbor Authority Denies Dumping Dredged Mud in Merrow Bay",
                             "merrow-bay/calderwick-gazette.txt"]]
    assert data["truncated"] is False


def test_query_refuses_update_with_exit_2_and_changes_nothing(sample_store):
    location, _ = sample_store
    before = len(quads(location))
    proc = kg("query", "DROP ALL", "--store", location)
    assert proc.returncode == 2
    assert "not allowed" in proc.stderr
    assert len(quads(location)) == before


@pytest.mark.parametrize("fmt, rdflib_format", [("trig", "trig"), ("nquads", "nquads")])
def test_export_writes_a_file_rdflib_can_read(sample_store, tmp_path, fmt, rdflib_format):
    location, _ = sample_store
    out = tmp_path / f"graph.{fmt}"
    proc = ok(kg("export", "--format", fmt, "-o", out, "--store", location))
    assert str(out) in proc.stdout
    ds = Dataset()
    ds.parse(out, format=rdflib_format)
    assert len(set(ds.quads((None, None, None, None)))) == len(quads(location))


def test_export_unknown_format_exits_2_with_a_message(sample_store, tmp_path):
    location, _ = sample_store
    proc = kg("export", "--format", "yaml", "-o", tmp_path / "g.yaml", "--store", location)
    assert proc.returncode == 2
    assert "yaml" in proc.stderr
    assert not (tmp_path / "g.yaml").exists()


def test_ingest_with_one_bad_file_exits_1_names_it_and_keeps_the_rest(tmp_path):
    location = tmp_path / "store"
    ok(kg("ingest", EXAMPLES / "merrow-bay" / "calderwick-gazette.txt", "--store", location, "--no-progress"))
    earlier = quads(location)
    assert earlier

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.txt").write_text("", encoding="utf-8")
    shutil.copy(EXAMPLES / "tallowfield-data" / "circuit-review.txt", batch / "good.txt")
    proc = kg("ingest", batch, "--store", location, "--no-progress")

    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "empty.txt" in proc.stderr
    assert "empty" in proc.stderr.lower()
    m = SUMMARY.search(proc.stdout)
    assert m and m.group(1) == "1" and m.group(6) == "1", proc.stdout
    after = quads(location)
    assert earlier <= after, "earlier content changed"
    store = Store(location, read_only=True)
    ids = {r["id"] for r in store.select("SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }")}
    assert ids == {"calderwick-gazette.txt", "good.txt"}


def test_ingest_of_a_missing_path_exits_1_and_names_it(tmp_path):
    proc = kg("ingest", tmp_path / "no-such-folder", "--store", tmp_path / "store", "--no-progress")
    assert proc.returncode == 1
    assert "no-such-folder" in proc.stderr


# -- validate (SHACL) ------------------------------------------------------------------------------

def test_validate_sample_store_conforms(sample_store):
    location, _ = sample_store
    proc = kg("validate", "--store", location)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert proc.stdout.strip().endswith("conforms")


def test_validate_reports_violations_with_exit_1_and_no_traceback(tmp_path):
    invalid = REPO / "ontology" / "examples" / "13-invalid-claim-two-texts.ttl"
    if not invalid.exists():
        pytest.skip(f"{invalid} not present")
    location = tmp_path / "store"
    store = Store(location)
    store.bulk_load(str(invalid), "turtle")
    store.flush()
    del store
    proc = kg("validate", "--store", location)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert re.search(r"^\d+ violations$", proc.stdout, re.M), proc.stdout
    assert "schema:text" in proc.stdout or "text" in proc.stdout.lower()
