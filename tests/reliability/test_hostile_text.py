"""Hostile article text (HTML/JS in titles, names, quotes, outlets) is escaped in every HTML page we
write: the standalone ``export --format html`` page and :func:`kg.viz.network_html`.

The page is checked the way a browser would meet it: the raw markup (no injected tag or event
handler), and the node/edge data the page's script puts into ``innerHTML`` (tooltips may hold
only ``<b>``, ``<i>``, ``<mark>`` and ``<br>``, with no attributes; labels no markup at all)."""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import run_kg, show

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>']
HOSTILE = {
    "id": "hostile-1",
    "title": f"{PAYLOADS[0]} Senator denies {PAYLOADS[2]} report",
    "text": (f"Senator John Smith{PAYLOADS[1]} said the {PAYLOADS[0]} bridge was unsafe. "
             f"\u201cThe report is false{PAYLOADS[2]},\u201d Maria Lopez said. "
             f"The Kremlin denied that Putin sent {PAYLOADS[1]} tests to Trump."),
    "publisher": PAYLOADS[2],
    "author": PAYLOADS[1],
    "url": "javascript:alert(4)",
}
TOOLTIP_TAGS = {"b", "i", "mark", "br"}
DANGEROUS_RAW = re.compile(r"<\s*script[^>]*>\s*alert|<\s*img\b|<\s*svg\b|<[a-z][^<>]*\bon\w+\s*=\s*alert", re.I)


class Tags(HTMLParser):
    """Every start tag of a document with its attributes (script/style bodies are not parsed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def tags_of(markup: str) -> list[tuple[str, list]]:
    parser = Tags()
    parser.feed(markup)
    parser.close()
    return parser.tags


def page_items(page: str) -> list[dict]:
    """The node and edge objects the page hands to ``fckPrepare`` (and so to ``innerHTML``)."""
    items = []
    for m in re.finditer(r"(?:nodes|edges) = new vis\.DataSet\(fckPrepare\((.*)\)\);", page):
        items += json.loads(m.group(1))
    assert items, "no node/edge data found in the page"
    return items


def assert_page_is_safe(page: str) -> list[dict]:
    """Raw markup and script data of a graph page carry no live markup from article text."""
    assert not DANGEROUS_RAW.search(page), DANGEROUS_RAW.search(page).group(0)
    for tag, attrs in tags_of(page):
        assert tag not in ("img", "svg", "iframe", "object", "embed"), (tag, attrs)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    # only our own scripts: none with article text in a src, none loaded from elsewhere
    items = page_items(page)
    for item in items:
        tip = item.get("fckTitle") or ""
        for tag, attrs in tags_of(tip):
            assert tag in TOOLTIP_TAGS and not attrs, f"tooltip markup <{tag} {attrs}> in {tip[:200]!r}"
        assert "<" not in str(item.get("label", "")), item.get("label")
    return items


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    source = base / "hostile.jsonl"
    source.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    location = base / "store"
    proc = run_kg("ingest", source, "--store", location, "--no-progress")
    assert proc.returncode == 0, show(proc)
    return location


@pytest.mark.model
def test_html_export_escapes_hostile_titles_names_quotes_and_outlets(hostile_store, tmp_path):
    out = tmp_path / "page.html"
    proc = run_kg("export", "--format", "html", "-o", out, "--store", hostile_store)
    assert proc.returncode == 0, show(proc)
    page = out.read_text(encoding="utf-8")
    items = assert_page_is_safe(page)
    shown = "\n".join(f"{i.get('label', '')}\n{i.get('fckTitle', '')}" for i in items)
    # the hostile text is still there, as text: escaped once, readable in the browser
    for payload in (PAYLOADS[0], PAYLOADS[2]):
        assert html.escape(payload) in shown, f"{payload!r} not shown escaped"


def hostile_nodes_and_edges():
    name = f"John {PAYLOADS[1]} Smith"
    claim = f"the bridge {PAYLOADS[0]} was unsafe"
    nodes = [
        {"id": "https://example.org/e/1", "label": name, "kind": "Person",
         "title": [(name, "b"), (f"\nPerson {PAYLOADS[2]}", None)]},
        {"id": "https://example.org/c/1", "label": claim, "kind": "Claim", "title": claim},
        {"id": "https://example.org/e/2", "label": PAYLOADS[2], "kind": "Organization",
         "title": [(PAYLOADS[2], ("b", "script", "img")), ("x", "mark")]},   # unknown tags are dropped
    ]
    edges = [{"from": "https://example.org/e/1", "to": "https://example.org/c/1", "polarity": "oppose",
              "label": PAYLOADS[1], "title": [(name, "b"), (" denies ", None), (claim, "i")]},
             {"from": "https://example.org/e/2", "to": "https://example.org/e/1", "polarity": "affiliation",
              "title": PAYLOADS[0]}]
    return nodes, edges


def test_network_html_escapes_hostile_labels_and_tooltips():
    from kg.viz import network_html

    nodes, edges = hostile_nodes_and_edges()
    page = network_html(nodes, edges, title=PAYLOADS[0])
    items = assert_page_is_safe(page)
    labels = {i["id"]: i.get("label") for i in items}
    assert labels["https://example.org/e/1"] == html.escape(nodes[0]["label"])
    tips = "\n".join(i.get("fckTitle", "") for i in items)
    for payload in PAYLOADS:
        assert html.escape(payload) in tips
    assert f"<title>{html.escape(PAYLOADS[0])}</title>" in page


def test_network_html_keeps_hostile_node_ids_inside_their_script():
    """IDs are not text the page shows, but they sit in the page's script: ``</script>`` in one
    must not end the script early."""
    from kg.viz import network_html

    evil = "</script><script>alert(5)</script>"
    page = network_html([{"id": evil, "label": "a"}, {"id": "b", "label": "b"}], [{"from": "b", "to": evil}])
    assert evil not in page
    assert_page_is_safe(page)
    assert {i.get("id") for i in page_items(page)} >= {evil}
