"""Paths: ``export`` into a missing folder or onto a folder fails with a clear message (never a
traceback, never a clobbered folder); the dashboard's upload names cannot leave the upload
folder, and uploads over the size limit are refused unwritten."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from kg.store import Store

from .conftest import run_kg, show

# one format per code path: RDF (kg/export.py), graph files (kg/graph_export.py), HTML (kg/cli.py + kg/viz.py)
FORMATS_MISSING = [pytest.param("nquads"), pytest.param("graphml"), pytest.param("html")]
FORMATS_DIRECTORY = [pytest.param(f) for f in ("nquads", "graphml", "html")]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("paths") / "store"
    store = Store(location)
    a = URIRef("https://example.org/a/1")
    store.replace_graph("https://example.org/g/1", [
        (a, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef("https://schema.org/NewsArticle")),
        (a, URIRef("https://schema.org/headline"), Literal("A headline"))])
    store.flush()
    del store
    return location


def clear_error(proc) -> None:
    assert proc.returncode != 0, show(proc)
    assert "Traceback" not in proc.stderr, show(proc)
    assert proc.stderr.startswith("error:"), show(proc)


@pytest.mark.parametrize("fmt", FORMATS_MISSING)
def test_export_into_a_missing_folder_fails_clearly(tmp_path, small_store, fmt):
    target = tmp_path / "no" / "such" / "folder" / f"out.{fmt}"
    proc = run_kg("export", "--format", fmt, "-o", target, "--store", small_store)
    clear_error(proc)
    assert "does not exist" in proc.stderr or "No such" in proc.stderr, show(proc)
    assert not target.parent.exists()


@pytest.mark.parametrize("fmt", FORMATS_DIRECTORY)
def test_export_refuses_to_overwrite_a_folder(tmp_path, small_store, fmt):
    target = tmp_path / "a-folder"
    target.mkdir()
    (target / "keep.txt").write_text("keep me", encoding="utf-8")
    proc = run_kg("export", "--format", fmt, "-o", target, "--store", small_store)
    assert target.is_dir() and (target / "keep.txt").read_text(encoding="utf-8") == "keep me"
    clear_error(proc)


# -- dashboard uploads --------------------------------------------------------------------------------
uploads = pytest.importorskip("dashboards.uploads", reason="no dashboard upload module")

EVIL_NAMES = ["../../etc/passwd", "../../etc/passwd.txt", "/etc/passwd.txt", "/tmp/x.json", "..\\..\\win.ini.txt",
              "C:\\Windows\\system32\\evil.html", "a\x00b.txt", "evil.txt\x00.png", "..", ".", "", "....//....//x.txt",
              "\uff0e\uff0e\uff0fescape.txt",   # fullwidth "../" (NFKC folds it to ASCII)
              "..\u2215x.txt", ".hidden.txt", "~/.ssh/authorized_keys.txt", "con.txt", "a" * 400 + ".txt",
              "name\nwith\nnewlines.txt", "%2e%2e%2fencoded.txt"]


def assert_inside(folder: Path, name: str) -> None:
    assert name and "\x00" not in name and "/" not in name and "\\" not in name, repr(name)
    assert not name.startswith("."), repr(name)
    assert name not in (".", "..")
    assert len(name.encode("utf-8")) <= 255, len(name)
    path = (folder / name).resolve()
    assert path.parent == folder.resolve(), (name, path)


@pytest.mark.parametrize("name", EVIL_NAMES, ids=repr)
def test_upload_names_cannot_escape_the_upload_folder(tmp_path, name):
    assert_inside(tmp_path, uploads.safe_name(name, set()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=300))
def test_any_upload_name_stays_inside_the_upload_folder(tmp_path, name):
    assert_inside(tmp_path, uploads.safe_name(name, set()))


def test_saving_evil_names_writes_only_inside_the_folder(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    outside = set(os.listdir(tmp_path))
    saved, rejected = uploads.save([(n if n.endswith((".txt", ".json", ".html")) else n + ".txt", b"Some text.")
                                    for n in EVIL_NAMES], folder)
    assert set(os.listdir(tmp_path)) == outside, "a file was written outside the upload folder"
    written = sorted(os.listdir(folder))
    assert len(written) == len(saved) == len({r.saved_as for r, _ in saved})   # clashes got new names
    for result, path in saved:
        assert path.parent == folder and path.name == result.saved_as
        assert_inside(folder, result.saved_as)


def test_uploads_over_the_size_limit_are_refused_unwritten(tmp_path):
    limit = uploads.MAX_FILE_MB * 1_000_000
    saved, rejected = uploads.save([("big.txt", b"x" * (limit + 1)), ("ok.txt", b"x" * 1000)], tmp_path)
    assert [r.upload for r in rejected] == ["big.txt"]
    assert "too large" in rejected[0].errors[0]
    assert [r.saved_as for r, _ in saved] == ["ok.txt"]
    assert sorted(os.listdir(tmp_path)) == ["ok.txt"]
