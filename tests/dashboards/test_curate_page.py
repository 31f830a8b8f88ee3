"""The Curate page (AppTest): a correction made in the dashboard survives `make run`'s re-ingest.

A copy of the sample store is curated through the page (two claims merged, with who and why),
then re-ingested as `make sample` does (``python -m kg ingest examples/articles``: every article
unchanged) and once more with one article changed; the store, the Claims page and the Curate
page still show the correction applied. Claims are picked by query (wording may change).
"""
from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_store(sample_store, tmp_path) -> Path:
    """A copy of the session's sample store that this test may write to."""
    dest = tmp_path / "kg-store"
    shutil.copytree(sample_store, dest)
    return dest


def read(location: Path, name: str, **iri: str) -> list[dict]:
    from kg.query import canned, run_canned
    from kg.store import open_store
    from kg.viz import select_values, stances_with_evidence

    store = open_store(str(location), read_only=True)
    if name == "dash-stances":
        return stances_with_evidence(store, **iri)
    return select_values(store, canned(name), **iri) if iri else run_canned(store, name)


def release() -> None:
    """Close the stores the app keeps open (the next writer needs the folder)."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    gc.collect()


def test_claim_merge_made_on_the_page_survives_reingest(own_store, open_page, examples_dir, tmp_path, nlp):
    claims = sorted((r for r in read(own_store, "dash-claims") if r["stances"]), key=lambda r: (-r["stances"], r["claim"]))
    a, b = claims[0]["claim"], claims[1]["claim"]
    holders_a = {r["holderName"] for r in read(own_store, "dash-stances", claim=a)}

    at = open_page(own_store, "curate")
    at.text_input(key="curate_by").input("Ana Reporter")
    at.selectbox(key="curate_action").set_value("Merge two claims").run()
    at.selectbox(key="curate_merge_a").set_value(a).run()
    at.selectbox(key="curate_merge_b").set_value(b)
    at.text_area(key="curate_why").input("the same event in two wordings")
    at.button(key="curate_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert any("Saved correction" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert list(table["status"]) == ["applies"] and list(table["by"]) == ["Ana Reporter"]
    assert list(table["why"]) == ["the same event in two wordings"]
    release()

    def check() -> None:
        listed = {r["claim"] for r in read(own_store, "dash-claims")}
        assert a not in listed and b in listed
        assert holders_a <= {r["holderName"] for r in read(own_store, "dash-stances", claim=b)}

    check()
    # `make run` re-ingests the samples into the same store: all unchanged, skipped
    done = subprocess.run([sys.executable, "-m", "kg", "ingest", str(examples_dir), "--store", str(own_store),
                           "--no-progress"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0 and "(8 unchanged)" in done.stdout, done.stdout + done.stderr
    check()

    # one article changed (a paragraph added) is re-extracted and replaces its graph
    article = read(own_store, "analysis-appearances")
    art = next(r["article"] for r in article if r["claim"] == b)
    article_id = read(own_store, "dash-article", article=art)[0]["articleId"]
    copy = tmp_path / "articles"
    shutil.copytree(examples_dir, copy)
    path = copy / article_id
    text = path.read_text(encoding="utf-8")
    cut = text.find("\n\nOriginal url:") if "\n\nOriginal url:" in text else len(text.rstrip())
    added = "\n\nA spokesperson for the council said the figures would be published next week."
    path.write_text(text[:cut] + added + text[cut:], encoding="utf-8")
    from kg.ingest import ingest
    from kg.store import open_store

    store = open_store(str(own_store))
    report = ingest([str(copy)], store, nlp=nlp)
    assert report.ok and report.articles == 1 and report.unchanged == 7, report
    del store
    gc.collect()
    check()

    at = open_page(own_store, "curate")
    assert list(at.dataframe[0].value["status"]) == ["applies"]
    at = open_page(own_store, "claims")
    options = at.selectbox(key="claims_selected").options
    texts = {r["claim"]: r["claimText"] for r in claims}
    assert not any(o.startswith(texts[a][:100]) for o in options)


def test_undo_on_the_page_restores_the_extracted_claims(own_store, open_page):
    before = {r["claim"]: r["stances"] for r in read(own_store, "dash-claims")}
    s = next(r for r in read(own_store, "dash-stances") if r["holderName"])
    at = open_page(own_store, "curate")
    at.text_input(key="curate_by").input("Bo")
    at.selectbox(key="curate_action").set_value("Reject a stance").run()
    at.selectbox(key="curate_reject_stance_claim").set_value(s["claim"]).run()
    at.selectbox(key="curate_reject_stance").set_value(s["stance"])
    at.button(key="curate_apply").click().run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    release()
    after = {r["claim"]: r["stances"] for r in read(own_store, "dash-claims")}
    assert after[s["claim"]] == before[s["claim"]] - 1

    at = open_page(own_store, "curate")
    at.text_input(key="curate_by").input("Bo")
    at.button(key="curate_undo").click().run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert any("extracted state is back" in m.value for m in at.success)
    release()
    assert {r["claim"]: r["stances"] for r in read(own_store, "dash-claims")} == before


def test_read_only_dashboard_lists_corrections_but_makes_none(own_store, open_page, monkeypatch):
    at = open_page(own_store, "curate")
    assert [b.key for b in at.button if b.key == "curate_apply"] == ["curate_apply"]
    assert any("No correction yet" in c.value for c in at.caption)
    release()
    from kg import curate
    from kg.store import open_store

    s = next(r for r in read(own_store, "dash-stances") if r["holderName"])
    store = open_store(str(own_store))
    rec = curate.reject_stance(store, s["stance"], by="Bo", why="a quote of someone else")
    del store
    gc.collect()

    monkeypatch.setenv("KG_DASHBOARD_READ_ONLY", "1")
    at.run()
    assert not at.exception
    assert any("read-only" in i.value for i in at.info)
    assert list(at.dataframe[0].value["id"]) == [rec.id]
    assert not [b for b in at.button if b.key in ("curate_apply", "curate_undo")]
    assert not [b for b in at.selectbox if b.key == "curate_undo_pick"]
