"""Every dashboard page, run through the real router with streamlit's AppTest on the samples.

Claims and entities are picked from the store by query (the extractor's wording may change);
what is checked is that the page shows them, their holders and their evidence.
"""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

from kg.viz import row_outlet

pytestmark = [pytest.mark.model, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

SAMPLE_HEADLINE = "Harbor Authority Denies Dumping Dredged Mud in Merrow Bay"
EXTERNAL = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.I)


def values(at, kind: str) -> list[str]:
    return [str(e.value) for e in at.get(kind)]


def frame_text(at) -> str:
    return "\n".join(df.to_csv(index=False) for df in (e.value for e in at.dataframe))


def marked(at) -> set[str]:
    """Plain text of every <mark> on the page's HTML blocks."""
    found = set()
    for body in values(at, "html"):
        for inner in re.findall(r"<mark>(.*?)</mark>", body, re.S):
            found.add(html.unescape(re.sub(r"<[^>]+>", "", inner.replace("<br>", "\n"))))
    return found


# -- Overview -------------------------------------------------------------------------------------
def test_overview_shows_counts_contested_claims_and_recent_articles(sample_store, sample_rows, open_page):
    at = open_page(sample_store, "overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "8"
    assert int(metrics["Stances"].replace(",", "")) == len(sample_rows("dash-stances")) > 20
    contested = [r for r in sample_rows("dash-claims") if r["supporters"] and r["opponents"]]
    assert contested, "the samples have claims with both supporters and opponents"
    table = frame_text(at)
    assert any(r["claimText"] in table for r in contested)
    assert SAMPLE_HEADLINE in table


@pytest.mark.parametrize("folder", ["missing", "empty"])
def test_overview_without_a_store_tells_how_to_ingest(tmp_path, open_page, folder):
    if folder == "empty":
        (tmp_path / "no-store-yet").mkdir()
    at = open_page(tmp_path / "no-store-yet", "overview")
    notes = " ".join(values(at, "info"))
    assert "python -m kg ingest examples/articles --store" in notes
    assert "Ingest" in notes
    assert not at.metric


# -- Graph ---------------------------------------------------------------------------------------
def srcdoc(at) -> str:
    frames = at.get("iframe")
    assert len(frames) == 1
    return frames[0].proto.srcdoc


def test_graph_page_draws_labelled_offline_network(sample_store, sample_rows, open_page):
    at = open_page(sample_store, "graph")
    page = srcdoc(at)
    holders = {r["holderName"] for r in sample_rows("dash-stances") if r["holderName"]}
    assert sum(name in page for name in holders) >= 10       # actors are drawn with their names
    assert "new vis.Network" in page and "stabilizationIterationsDone" in page
    assert "physics: {enabled: false}" in page                # layout stops after stabilising
    assert not EXTERNAL.search(page), EXTERNAL.search(page).group(0)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "node_modules" not in page
    assert any("Showing" in c for c in values(at, "caption"))


def test_graph_filters_stance_type_and_focuses_on_a_node(sample_store, sample_rows, open_page):
    at = open_page(sample_store, "graph")
    assert '"color": "#2ca02c"' in srcdoc(at)                  # support edges are there…
    at.multiselect(key="graph_stance_types").set_value(["Denies"]).run()
    page = srcdoc(at)
    assert '"color": "#d62728"' in page and '"color": "#2ca02c"' not in page   # …and filtered out

    at.multiselect(key="graph_stance_types").set_value(["Asserts", "Confirms", "Denies", "Disputes", "Questions"])
    holder = max(sample_rows("dash-actors"), key=lambda r: r["stances"])
    at.text_input(key="graph_search").set_value(holder["name"]).run()
    at.selectbox(key="graph_focus").set_value(holder["entity"]).run()
    assert not at.exception
    caption = next(c for c in values(at, "caption") if c.startswith("Showing"))
    shown, total = map(int, re.search(r"Showing (\d+) of (\d+)", caption).groups())
    assert shown == total <= holder["claims"] + 5              # the holder, its claims, its organisations
    around = frame_text(at)
    assert holder["name"] in around


# -- Claims --------------------------------------------------------------------------------------
def test_claims_page_shows_sides_outlets_and_marked_evidence(sample_store, sample_rows, open_page):
    claims = sorted(sample_rows("dash-claims"), key=lambda r: (-r["stances"], r["claim"]))
    claim = claims[0]
    stances = sample_rows("dash-stances", claim=claim["claim"])
    at = open_page(sample_store, "claims")
    at.selectbox(key="claims_selected").set_value(claim["claim"]).run()
    assert not at.exception
    page = "\n".join(values(at, "html"))
    assert html.escape(claim["claimText"]) in page
    for r in stances:
        assert html.escape(r["holderName"]) in page
        assert html.escape(row_outlet(r)) in page               # in which outlet
    sentences = {r["sentence"].strip() for r in stances if r["sentence"]}
    assert sentences and sentences <= marked(at)              # each evidence sentence is marked


def test_claims_page_search_narrows_the_list(sample_store, sample_rows, open_page):
    at = open_page(sample_store, "claims")
    at.text_input(key="claims_search").set_value("zzzz no such claim").run()
    assert "No claim matches." in values(at, "info")


# -- Entities ------------------------------------------------------------------------------------
def test_entities_page_shows_profile_stances_and_articles(sample_store, sample_rows, open_page):
    members = sample_rows("dash-affiliations")
    assert members, "the samples name spokespeople of organisations"
    member = members[0]
    at = open_page(sample_store, "entities")
    at.selectbox(key="entities_selected").set_value(member["member"]).run()
    assert not at.exception
    page = "\n".join(values(at, "html"))
    assert html.escape(member["memberName"]) in page
    assert html.escape(member["orgName"]) in page              # "member of / speaks for"
    taken = sample_rows("dash-stances", holder=member["member"])
    table = frame_text(at)
    assert all(r["claimText"] in table for r in taken)
    assert all(r["headline"] in table for r in taken)


# -- Analysis ------------------------------------------------------------------------------------
def test_analysis_page_charts_kg_analysis_results(sample_store, open_page):
    pytest.importorskip("kg.analysis")
    at = open_page(sample_store, "analysis")
    heads = values(at, "subheader")
    assert heads == ["Contested claims", "Central actors", "Communities", "Outlet agreement"]
    assert not values(at, "warning"), values(at, "warning")
    assert len(at.get("vega_lite_chart")) >= 2
    assert "pagerank" in frame_text(at)


def test_analysis_page_without_kg_analysis_says_so(sample_store, open_page, monkeypatch):
    monkeypatch.setitem(sys.modules, "kg.analysis", None)     # as if the module were not written yet
    at = open_page(sample_store, "analysis")
    assert any("kg.analysis" in w and "not available" in w for w in values(at, "warning"))
    assert "Contested claims (counted from stances)" in values(at, "subheader")


# -- SPARQL --------------------------------------------------------------------------------------
def run_query(at, text: str):
    at.text_area(key="sparql_text").set_value(text)
    at.button[[b.label for b in at.button].index("Run query")].click().run()
    assert not at.exception
    return at


def test_sparql_page_runs_a_query_with_row_count_and_downloads(sample_store, open_page):
    at = open_page(sample_store, "sparql")
    assert "fck:Stance" in at.text_area(key="sparql_text").value       # a starter query is loaded
    run_query(at, "SELECT ?headline WHERE { ?a a schema:NewsArticle ; schema:headline ?headline }")
    assert any(c.startswith("8 rows in") for c in values(at, "caption"))
    assert SAMPLE_HEADLINE in frame_text(at)
    assert {b.label for b in at.get("download_button")} == {"Download CSV", "Download JSON"}


@pytest.mark.parametrize("query, message", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "SPARQL Update (INSERT) is not allowed"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE is not allowed"),
])
def test_sparql_page_refuses_updates_and_service(sample_store, open_page, query, message):
    at = open_page(sample_store, "sparql")
    run_query(at, query)
    assert any(message in e for e in values(at, "error")), values(at, "error")
    assert not at.dataframe


def test_sparql_examples_load_into_the_editor(sample_store, open_page):
    at = open_page(sample_store, "sparql")
    options = at.selectbox(key="sparql_example").options
    assert any("examples/queries/contested-claims.rq" in o for o in options)
    choice = next(o for o in options if "examples/queries/who-denies-what.rq" in o)
    at.selectbox(key="sparql_example").set_value(choice).run()
    assert "fck:Denies" in at.text_area(key="sparql_text").value


# -- Export --------------------------------------------------------------------------------------
def test_export_page_offers_every_format_and_writes_real_files(sample_store, sample_rows, open_page):
    from rdflib import Graph

    from dashboards import data
    from kg.export import RDF_FORMATS
    from kg.store import open_store

    at = open_page(sample_store, "export")
    labels = {b.label for b in at.get("download_button")}
    assert set(RDF_FORMATS) | {"html"} <= labels
    store = open_store(str(sample_store), read_only=True)
    g = Graph().parse(data=data.export_bytes(store, "turtle").decode("utf-8"), format="turtle")
    texts = {str(o) for o in g.objects(None, None)}
    assert sample_rows("dash-claims")[0]["claimText"] in texts
    page = data.export_bytes(store, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and not EXTERNAL.search(page)


# -- Ingest --------------------------------------------------------------------------------------
def test_ingest_page_saves_safely_reports_per_file_and_refreshes(tmp_path, nlp, examples_dir, open_page,
                                                                  monkeypatch):
    from dashboards import data

    monkeypatch.setattr(data, "nlp", lambda: nlp)             # the session's model, not a second one
    store_dir = tmp_path / "fresh-store"
    article = (examples_dir / "merrow-bay" / "northshore-post.txt").read_bytes()
    at = open_page(store_dir, "ingest")
    uploader = at.file_uploader(key="ingest_files")
    uploader.upload("../../../escaped report.txt", article, "text/plain")
    uploader.upload("empty.txt", b"", "text/plain")
    at.run()
    at.button(key="ingest_run").click().run()
    assert not at.exception, [e.value for e in at.exception]

    table = at.dataframe[0].value.set_index("file")
    assert table.at["../../../escaped report.txt", "status"] == "ingested"
    assert table.at["../../../escaped report.txt", "saved as"] == "escaped report.txt"
    assert table.at["../../../escaped report.txt", "articles"] == 1
    assert table.at["empty.txt", "status"] == "failed" and "empty" in table.at["empty.txt", "problem"]
    assert any("Ingested 1 article" in s for s in values(at, "success"))
    assert not (tmp_path.parent / "escaped report.txt").exists()

    at.switch_page("pages/overview.py").run()                  # caches were cleared: the new article shows
    assert {m.label: m.value for m in at.metric}["Articles"] == "1"


def test_ingest_page_is_off_in_read_only_mode(tmp_path, open_page, monkeypatch):
    at = open_page(tmp_path / "store", "ingest", run=False)
    monkeypatch.setenv("KG_DASHBOARD_READ_ONLY", "1")
    at.run()
    assert any("read-only" in i for i in values(at, "info"))
    assert not at.get("file_uploader")
    assert not Path(tmp_path / "store").exists()
