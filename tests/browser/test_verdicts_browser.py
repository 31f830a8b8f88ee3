"""Verdicts beside stances, in a real browser: the seed articles (../shared/corpus/seeds) plus our
sample ClaimReview file rating the Trump–Putin calls claim and the Covid-tests claim.

For each reviewed claim the Claims page must show who supports and who opposes it in the news
(the holders the store has, each in its column) and the fact-checker's verdict. Expected names
and verdicts are read from the store (``kg query``), never written here; no seed text is copied.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import (CHROMIUM, CHROMIUM_ARGS, UI_TIMEOUT, is_local, recording, run_kg,
                             running_dashboard, screenshot)

pytestmark = [pytest.mark.model, pytest.mark.shared, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "claimreviews" / "seed-claims.jsonld"
SIDES = {"Asserts": "Supports", "Confirms": "Supports", "Denies": "Opposes", "Disputes": "Opposes"}
LABELS = {"True": "true", "MostlyTrue": "mostly true", "Mixed": "mixed", "MostlyFalse": "mostly false",
          "False": "false", "Unverifiable": "unverifiable"}


def query(store: Path, sparql: str, *binds: str) -> list[dict]:
    args = ["query", sparql, "--format", "json", "--store", str(store)]
    for b in binds:
        args += ["--bind", b]
    out = json.loads(run_kg(*args).stdout)
    return [dict(zip(out["columns"], row)) for row in out["rows"]]


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory, browser_available, shared) -> Path:
    """``shared`` (tests/conftest.py) skips without ../shared, unless KG_REQUIRE_SHARED=1."""
    seeds = shared / "corpus" / "seeds"
    store = tmp_path_factory.mktemp("verdicts") / "kg-store"
    out = run_kg("ingest", str(seeds), str(SAMPLE), "--store", str(store), "--no-progress").stdout
    assert "2 reviews" in out and "0 failures" in out, out
    return store


@pytest.fixture(scope="module")
def expected(seeds_store) -> list[dict]:
    """Each reviewed claim: its text, its verdict row, and its holders by side (from the store)."""
    out = []
    for review in query(seeds_store, "@kg/queries/claim-reviews.rq"):
        stances = query(seeds_store, """SELECT ?claim ?holder ?type ?article WHERE {
            ?s fck:claim ?claim ; fck:holder/rdfs:label ?holder ; fck:stanceType ?t ; prov:wasDerivedFrom ?article .
            BIND(STRAFTER(STR(?t), "#") AS ?type) }""", f"claim=<{review['claim']}>")
        news = [s for s in stances if s["article"] != review["review"]]
        sides = {side: sorted({s["holder"] for s in stances if SIDES.get(s["type"]) == side})
                 for side in ("Supports", "Opposes")}
        out.append({**review, "sides": sides, "news": news})
    return out


@pytest.fixture(scope="module")
def dashboard(seeds_store, tmp_path_factory) -> Iterator:
    yield from running_dashboard(seeds_store, tmp_path_factory.mktemp("verdicts-dash") / "streamlit.log")


def test_the_reviews_join_the_claims_of_the_news(expected):
    """Both sample reviews land on claims the seed articles report, with supporters and opponents."""
    assert len(expected) == 2 and len({e["claim"] for e in expected}) == 2
    for e in expected:
        assert e["news"], f"the review of {e['claimReviewed']!r} did not join a claim of the articles"
        news_sides = {SIDES.get(s["type"]) for s in e["news"]}     # not the review's own claimant stance
        assert {"Supports", "Opposes"} <= news_sides, e["news"]


def test_claims_page_shows_stances_and_verdict_of_each_reviewed_claim(dashboard, expected, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=60_000)
        context = browser.new_context(viewport={"width": 1440, "height": 1200}, service_workers="block")
        requests = recording(context, is_local)
        try:
            for n, e in enumerate(expected):
                page = context.new_page()
                page.set_default_timeout(UI_TIMEOUT)
                page.goto(dashboard.url + "/claims", wait_until="domcontentloaded")
                page.locator("h1", has_text="Claims").wait_for()
                search = page.get_by_label("Search claims")
                search.fill(e["claimText"])
                search.press("Enter")
                page.get_by_role("heading", name=re.compile(r"^Verdicts \(1\)")).wait_for()
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                       timeout=UI_TIMEOUT)
                selected = page.get_by_role("combobox", name=re.compile(r"^Claim \(\d+\)$")).input_value()
                assert selected.startswith(e["claimText"][:100]), (selected, e["claimText"])
                verdict = page.locator(".fck-verdict").first.inner_text()
                assert e["authorName"] in verdict and f"“{e['label']}”" in verdict, verdict
                assert LABELS[e["verdict"]] in verdict.lower() and e["date"] in verdict, verdict
                assert page.locator(".fck-verdict a").first.get_attribute("href") == e["url"]
                for side, names in e["sides"].items():
                    column = page.locator('[data-testid="stColumn"]', has_text=side).last.inner_text()
                    missing = [name for name in names if name not in column]
                    assert not missing, (side, missing, column)
                assert not page.locator('[data-testid="stException"]').count()
                screenshot(page, tmp_path / f"verdict-{n}.png")
                page.close()
        finally:
            context.close()
            browser.close()
    leaks = [u for u in requests.urls if not is_local(u)]
    assert not leaks, leaks
