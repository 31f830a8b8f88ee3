"""The dashboard and the standalone graph page in a real browser (Debian's chromium, Playwright).

What only a browser shows: the pages render, the pyvis graph draws on its canvas, nothing is
fetched from beyond this machine (journalists' material stays local), and hostile text from an
article is shown as text, never run as markup.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_support import UI_TIMEOUT, is_inert, is_local, recording, run_kg, screenshot

pytestmark = [pytest.mark.model, pytest.mark.timeout(240)]

# Requests beyond 127.0.0.1 that the page tests tolerate: none (the favicon once came from a font CDN).
KNOWN_LEAKS: re.Pattern | None = None

# Counts of the canvas pixels vis-network has painted (alpha > 0), or null before it has drawn.
PAINTED = """() => {
  const c = document.querySelector("#mynetwork canvas") || document.querySelector("canvas");
  if (!c || !c.width || !c.height) return null;
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}"""
DRAWN = f"""() => typeof network !== "undefined" && network !== null && network.body
  && network.body.data.nodes.length > 0 && ({PAINTED})() > 500"""


def settled(frame) -> None:
    """Until the layout has settled: physics off (kg/viz.py) and pyvis's loading bar, which covers
    the canvas (and takes its clicks) until 500 ms after stabilisation, gone."""
    frame.wait_for_function("""() => network.physics.options.enabled === false && (() => {
        const bar = document.getElementById("loadingBar");
        return !bar || getComputedStyle(bar).display === "none"; })()""", timeout=UI_TIMEOUT)


def leaks(urls: list[str], tolerated: re.Pattern | None = KNOWN_LEAKS) -> list[str]:
    return [u for u in urls if not is_local(u) and not (tolerated and tolerated.match(u))]


def wait_idle(page) -> None:
    """Until streamlit has finished running the script (its status widget is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=UI_TIMEOUT)


def settle_and_shoot(page, path) -> None:
    """Once streamlit is idle: a screenshot at ``path``, and no exception box on the page."""
    wait_idle(page)
    screenshot(page, path)
    assert not page.locator('[data-testid="stException"]').count()


def nav(page, title: str) -> None:
    """Click a page of the sidebar navigation (client-side, as a reader would)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    page.wait_for_url(re.compile(rf"/{title.lower()}$"))
    page.locator("h1", has_text=title).wait_for()


def metrics(page) -> dict[str, str]:
    out = {}
    for m in page.locator('[data-testid="stMetric"]').all():
        label = m.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        out[label] = m.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return out


# -- the dashboard --------------------------------------------------------------------------------
def test_overview_shows_the_store_counts(dash_browser, sample_stats, tmp_path):
    mark = dash_browser.requests.mark()
    page = dash_browser.open("/")
    try:
        page.get_by_role("heading", name="Recent articles").wait_for()
        page.locator('[data-testid="stMetric"]').nth(4).wait_for()
        shown = metrics(page)
        expected = {label: f"{sample_stats[key]:,}" for key, label in
                    (("articles", "Articles"), ("entities", "Entities"), ("claims", "Claims"),
                     ("stances", "Stances"), ("triples", "Triples"))}
        assert shown == expected
        assert shown["Articles"] == "8" and int(shown["Claims"]) > 20
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert f"{sample_stats['articles']} articles" in sidebar and f"{sample_stats['claims']} claims" in sidebar
        settle_and_shoot(page, tmp_path / "overview.png")
    finally:
        page.close()
    urls = dash_browser.requests.since(mark)
    assert any(u.startswith(dash_browser.url) for u in urls)
    assert not leaks(urls), leaks(urls)


def test_claims_page_finds_a_sample_claim_with_its_evidence(dash_browser, tmp_path):
    mark = dash_browser.requests.mark()
    page = dash_browser.open("/")
    try:
        page.get_by_role("heading", name="Recent articles").wait_for()
        nav(page, "Claims")
        page.get_by_role("heading", name="Evidence").wait_for()
        search = page.get_by_label("Search claims")
        search.fill("Merrow")
        search.press("Enter")
        # the first matching claim is selected: its heading, its holders and its evidence follow
        claim = page.locator('[data-testid="stHtml"]', has_text="Merrow Bay").first
        claim.wait_for()
        wait_idle(page)
        selected = page.get_by_role("combobox", name=re.compile(r"^Claim \(\d+\)$")).input_value()
        assert "Merrow" in selected, selected
        heading = page.locator('[data-testid="stHtml"]').first.inner_text()
        assert "Merrow" in heading and selected.split("  [")[0] in heading, (heading, selected)
        body = page.locator("body").inner_text()
        assert "Merrow" in body and "Evidence" in body
        assert page.locator('[data-testid="stHtml"] mark').count() >= 1, "no evidence sentence is marked"
        screenshot(page, tmp_path / "claims.png")
        assert not page.locator('[data-testid="stException"]').count()
    finally:
        page.close()
    assert not leaks(dash_browser.requests.since(mark)), leaks(dash_browser.requests.since(mark))


def test_graph_page_draws_the_pyvis_network_offline(dash_browser, tmp_path):
    mark = dash_browser.requests.mark()
    page = dash_browser.open("/")
    try:
        page.get_by_role("heading", name="Recent articles").wait_for()
        nav(page, "Graph")
        frame_el = page.locator('iframe[data-testid="stIFrame"]')
        page.frame_locator('iframe[data-testid="stIFrame"]').locator("#mynetwork canvas").wait_for()
        frame = frame_el.element_handle().content_frame()
        assert frame is not None
        frame.wait_for_function(DRAWN, timeout=UI_TIMEOUT)
        settled(frame)
        nodes = frame.evaluate("() => network.body.data.nodes.length")
        edges = frame.evaluate("() => network.body.data.edges.length")
        caption = page.get_by_text(re.compile(r"Showing \d+ of \d+ nodes")).inner_text()
        shown = int(re.search(r"Showing (\d+) of", caption).group(1))
        assert nodes == shown > 10 and edges >= nodes // 2, (nodes, edges, caption)
        # vis-network is inlined: no <script src> or stylesheet from a CDN in the graph page
        remote = frame.evaluate("""() => [...document.querySelectorAll("script[src], link[href], img[src]")]
                                   .map(e => e.src || e.href)""")
        assert not remote, remote
        settle_and_shoot(page, tmp_path / "graph.png")
    finally:
        page.close()
    urls = dash_browser.requests.since(mark)
    cdn = [u for u in urls if re.search(r"cdn|unpkg|jsdelivr|cloudflare|bootstrap|googleapis", urlsplit(u).hostname or "")
           or "node_modules" in u]
    assert not cdn, cdn
    assert not leaks(urls), leaks(urls)


def test_dashboard_requests_nothing_beyond_localhost(dash_browser):
    """Every request and WebSocket of a visit to Overview, Claims and Graph stays on 127.0.0.1."""
    mark = dash_browser.requests.mark()
    page = dash_browser.open("/")
    try:
        page.get_by_role("heading", name="Recent articles").wait_for()
        for title in ("Claims", "Graph"):
            nav(page, title)
        page.frame_locator('iframe[data-testid="stIFrame"]').locator("#mynetwork canvas").wait_for()
        wait_idle(page)
        page.wait_for_timeout(500)
    finally:
        page.close()
    urls = dash_browser.requests.since(mark)
    assert any(u.startswith("ws://127.0.0.1:") for u in urls), "the app's WebSocket was not recorded"
    assert not leaks(urls, tolerated=None), leaks(urls, tolerated=None)


# -- the standalone graph page (kg export --format html) -----------------------------------------
def open_file_page(browser, path: Path, tmp_path: Path, shot: str):
    """Open an exported page from file://, recording every request; returns (page, context, urls)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    url = path.resolve().as_uri()
    rec = recording(context, lambda u: u == url or is_inert(u))
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    page.wait_for_function(DRAWN, timeout=UI_TIMEOUT)
    settled(page)
    screenshot(page, tmp_path / shot)
    return page, context, rec, url, errors


def test_exported_html_draws_offline(browser, sample_store, tmp_path):
    out = tmp_path / "graph.html"
    run_kg("export", "--format", "html", "-o", str(out), "--store", str(sample_store))
    page, context, rec, url, errors = open_file_page(browser, out, tmp_path, "export.png")
    try:
        counts = page.evaluate("() => [network.body.data.nodes.length, network.body.data.edges.length]")
        assert counts[0] > 10 and counts[1] > 10, counts
        assert page.evaluate("() => window.network === network && typeof vis.Network === 'function'")
        assert page.evaluate(PAINTED) > 500
        assert page.title() == "factcheck-kg graph"
        labels = json.dumps(page.evaluate("() => network.body.data.nodes.get().map(n => n.label)"))
        assert "Merrow" in labels or "Tallowfield" in labels, labels
        # a click on a node pins its tooltip (escaped HTML from kg/viz.py) in the details panel
        node = page.evaluate("() => network.body.data.nodes.getIds()[0]")
        click_node(page, node)
        details = page.locator("#fck-details")
        assert details.inner_text() != details.get_attribute("data-hint")
        assert not errors, errors
    finally:
        context.close()
    assert rec.urls and rec.urls[0] == url
    assert [u for u in rec.urls if u != url and not is_inert(u)] == []


def click_node(page, node_id: str) -> None:
    """Real mouse click on a node of the vis network (its centre, in page coordinates)."""
    x, y = page.evaluate("""(id) => {
        const p = network.getPositions([id])[id], d = network.canvasToDOM(p);
        const r = document.querySelector("#mynetwork canvas").getBoundingClientRect();
        return [r.left + d.x, r.top + d.y];
    }""", node_id)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_function("""(id) => network.getSelectedNodes().includes(id)""", arg=node_id, timeout=10_000)


IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE = f"""Quillbrook {IMG} Denies {SCRIPT} Ferry Leak

By Odrin Maple

April 2, 2026

Mayor Brannoc Quillet {IMG} denied that the Quillbrook ferry {SCRIPT} leaked oil into Lake Vesmer.

Harbormaster Ilse Torvane {SCRIPT} said that the ferry {IMG} leaked oil into Lake Vesmer.

“The ferry leaked oil {IMG} twice,” said Ilse Torvane {SCRIPT}.
"""


def test_exported_html_shows_hostile_labels_as_text(browser, tmp_path):
    """Markup in an article's title, speaker names, claims and file name is text on the page."""
    articles = tmp_path / "hostile"
    articles.mkdir()
    (articles / f"{IMG}.txt").write_text(HOSTILE, encoding="utf-8")   # the file stem names the outlet
    store, out = tmp_path / "kg-store", tmp_path / "hostile.html"
    run_kg("ingest", str(articles), "--store", str(store), "--no-progress")
    run_kg("export", "--format", "html", "-o", str(out), "--store", str(store))
    page, context, rec, url, errors = open_file_page(browser, out, tmp_path, "hostile.png")
    try:
        page.wait_for_timeout(300)                  # an injected <img onerror> would have fired by now
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        found = page.evaluate("""() => {
            const items = [...network.body.data.nodes.get(), ...network.body.data.edges.get()];
            const tips = items.filter(i => i.title instanceof HTMLElement);
            return {
                labels: network.body.data.nodes.get().map(n => n.label),
                tipText: tips.map(i => i.title.textContent).join("\\n"),
                tipMarkup: tips.flatMap(i => [...i.title.querySelectorAll("*")].map(e => e.tagName.toLowerCase())),
                hostile: network.body.data.nodes.get().filter(n => n.fckTitle.includes("__pwned")).map(n => n.id),
                live: document.querySelectorAll("img, [onerror]").length
                      + [...document.scripts].filter(s => s.textContent.trim() === "window.__pwned=1").length,
            };
        }""")
        # the hostile words reach the graph, as text: in the tooltips ...
        assert IMG in found["tipText"] and SCRIPT in found["tipText"], found["tipText"][:2000]
        assert set(found["tipMarkup"]) <= {"b", "i", "mark", "br", "div"}, found["tipMarkup"]
        # ... and in the labels drawn on the canvas (decoded once: the raw characters, not entities)
        assert any("<script>window.__pwned" in label or "<img src=x" in label for label in found["labels"]), \
            found["labels"]
        assert not any("&lt;" in label for label in found["labels"]), found["labels"]
        assert found["live"] == 0
        assert found["hostile"], "no node names the hostile markup: the extractor dropped it"
        # a click pins the node's tooltip in the page: its markup is escaped text there too
        click_node(page, found["hostile"][0])
        details = page.locator("#fck-details")
        assert "window.__pwned=1" in details.inner_text()
        inner = details.inner_html()
        assert "&lt;" in inner and "<img" not in inner and "<script" not in inner, inner
        page.mouse.move(5, 5)
        page.wait_for_timeout(300)
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert not errors, errors
    finally:
        context.close()
    assert [u for u in rec.urls if u != url and not is_inert(u)] == []
