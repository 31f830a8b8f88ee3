"""Fixtures for the dashboard tests: the samples ingested once into an on-disk store, and a
helper that opens one page of the real app (dashboards/app.py) with streamlit's AppTest."""
from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "dashboards" / "app.py"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, nlp, examples_dir) -> Path:
    """A store folder holding the eight sample articles (ingested once per session)."""
    from kg.ingest import ingest
    from kg.store import open_store

    location = tmp_path_factory.mktemp("dash") / "kg-store"
    store = open_store(str(location))
    report = ingest([str(examples_dir)], store, nlp=nlp)
    assert report.ok and report.articles == 8, report
    del store          # release the writer: the dashboard opens the folder read-only
    gc.collect()
    return location


@pytest.fixture
def sample_rows(sample_store):
    """Rows of a canned query on the sample store, e.g. ``sample_rows("dash-claims")``;
    ``sample_rows("dash-stances", claim=iri)`` gives the stances with their evidence."""
    from kg.query import canned, run_canned
    from kg.store import open_store
    from kg.viz import select_values, stances_with_evidence

    store = open_store(str(sample_store), read_only=True)

    def rows(name: str, **iri: str) -> list[dict]:
        if name == "dash-stances" and iri:
            return stances_with_evidence(store, **iri)
        return select_values(store, canned(name), **iri) if iri else run_canned(store, name)

    return rows


@pytest.fixture
def open_page(monkeypatch) -> Callable:
    """``open_page(store_dir, "claims")`` -> an AppTest showing that page, checked error-free."""
    from streamlit.testing.v1 import AppTest

    def _open(store: Path, page: str, *, run: bool = True):
        monkeypatch.setenv("KG_STORE", str(store))
        monkeypatch.delenv("KG_DASHBOARD_READ_ONLY", raising=False)
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
            if run:
                at.run()
        if run:
            assert not at.exception, [e.value for e in at.exception]
        return at

    return _open


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts without cached results or open stores (streamlit caches per process)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
