"""The dashboard's HTML builders, upload names, launcher and analysis adapter (no model needed)."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import pandas as pd
import pytest

from dashboards import render, uploads
from dashboards.analysis_data import chart_columns, to_frame
from dashboards.launch import kg_dashboard_command, kg_dashboard_env
from kg.analysis import Actor
from kg.store import Store
from kg.viz import graph_elements, highlight_html, network_html, outlet_label, select_values

EXTERNAL = re.compile(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:(?:https?:)?//|\.\./)", re.I)
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def stance(n: int, holder: str, claim: str, kind: str = "Asserts", **extra) -> dict:
    sentence = f"{holder} said that {claim}."
    return {"stance": f"urn:s{n}", "holder": f"urn:h:{holder}", "holderName": holder, "holderType": "Person",
            "claim": f"urn:c:{claim}", "claimText": claim, "stanceType": kind, "article": "urn:a1",
            "articleId": "story/outlet-one.txt", "headline": "A headline", "date": "2026-01-02",
            "url": None, "publisherName": None, "sentence": sentence, "sentenceStart": 100,
            "sentenceEnd": 100 + len(sentence), "cue": "said", "cueStart": 101 + len(holder),
            "cueEnd": 105 + len(holder), "content": None, "contentStart": None, "contentEnd": None, **extra}


# -- network_html ---------------------------------------------------------------------------------
def test_network_html_escapes_labels_and_titles():
    page = network_html([{"id": "n1", "label": EVIL, "title": EVIL, "kind": "Person"},
                         {"id": "n2", "label": "claim", "kind": "Claim"}],
                        [{"from": "n1", "to": "n2", "polarity": "oppose", "title": [(EVIL, "mark")]}])
    assert "<script>alert" not in page and "<img src=x" not in page
    data = page.replace("\\u0026", "&").replace("\\u003c", "<").replace("\\u003e", ">")  # JSON escapes undone
    assert "<script>alert" not in data and "<img src=x" not in data     # only HTML-escaped copies remain
    assert '"label": "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"' in data
    assert "<mark>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in data   # our tag, escaped text


def test_network_html_is_a_standalone_page_without_external_requests():
    page = network_html([{"id": "a", "label": "A"}, {"id": "b", "label": "B"}], [{"from": "a", "to": "b"}])
    assert page.startswith("<!DOCTYPE html>")
    assert "vis.Network" in page and "vis-network" in page       # the library is inlined
    assert not EXTERNAL.search(page), EXTERNAL.search(page).group(0)
    assert "bootstrap" not in page.lower() and "node_modules" not in page
    assert not re.search(r"<script\b[^>]*\bsrc=", page) and not re.search(r"<link\b[^>]*\bhref=", page)
    assert "stabilizationIterationsDone" in page and "physics: {enabled: false}" in page
    assert "fckPrepare([" in page                               # tooltips are built from escaped HTML


# -- graph_elements -------------------------------------------------------------------------------
def test_graph_elements_joins_holders_and_claims_with_polarity_edges():
    rows = [stance(1, "Ann", "x happened"), stance(2, "Bob", "x happened", "Denies"),
            stance(3, "Cy", "x happened", "Questions"), stance(4, "Ann", "x happened", "Confirms")]
    view = graph_elements(rows)
    kinds = {n["id"]: n["kind"] for n in view.nodes}
    assert kinds == {"urn:h:Ann": "Person", "urn:h:Bob": "Person", "urn:h:Cy": "Person", "urn:c:x happened": "Claim"}
    polarity = {(e["from"], e["polarity"]) for e in view.edges}
    assert polarity == {("urn:h:Ann", "support"), ("urn:h:Bob", "oppose"), ("urn:h:Cy", "neutral")}
    ann = next(e for e in view.edges if e["from"] == "urn:h:Ann")
    assert ann["stances"] == 2                                   # asserts + confirms: one edge
    claim = next(n for n in view.nodes if n["kind"] == "Claim")
    assert claim["borderWidth"] == 4                             # contested: drawn with a thick border


def test_graph_elements_tooltips_carry_the_evidence_with_the_cue_marked():
    view = graph_elements([stance(1, "Ann", "x happened")])
    html_title = network_html(view.nodes, view.edges)
    assert "Ann \\u003cb\\u003esaid\\u003c/b\\u003e that x happened." in html_title


def test_graph_elements_filters_caps_and_focuses():
    rows = [stance(i, f"H{i}", f"claim {i % 3}") for i in range(12)]
    rows.append(stance(99, "Org", "claim 0", "Denies", holderType="Organization", articleId="other/x.txt"))
    assert {n["id"] for n in graph_elements(rows, stance_types=["Denies"]).nodes} == {"urn:h:Org", "urn:c:claim 0"}
    assert len(graph_elements(rows, entity_types=["Organization"]).nodes) == 2
    assert len(graph_elements(rows, outlets=["x"]).nodes) == 2                # outlet from the file name
    capped = graph_elements(rows, max_nodes=3)
    assert len(capped.nodes) == 3 and capped.total_nodes == 16
    assert capped.nodes[0]["id"] == "urn:c:claim 0"                           # most connected first…
    assert len(capped.edges) == 2                                            # …with its neighbours
    focused = graph_elements(rows, focus="urn:h:H1", depth=1)
    assert {n["id"] for n in focused.nodes} == {"urn:h:H1", "urn:c:claim 1"}
    assert focused.nodes[0]["id"] == "urn:h:H1"
    assert len(graph_elements(rows, focus="urn:h:H1", depth=2).nodes) == 5    # + claim 1's other holders
    assert graph_elements(rows, min_degree=2).total_nodes == 3                # only claims have 2+ edges


def test_graph_elements_adds_affiliations_of_shown_holders():
    rows = [stance(1, "Ann", "x")]
    aff = [{"member": "urn:h:Ann", "memberName": "Ann", "org": "urn:o", "orgName": "Org"},
           {"member": "urn:h:Nobody", "memberName": "N", "org": "urn:o2", "orgName": "Other"}]
    view = graph_elements(rows, aff)
    assert {n["id"] for n in view.nodes} == {"urn:h:Ann", "urn:c:x", "urn:o"}
    assert any(e["polarity"] == "affiliation" for e in view.edges)


def test_outlet_label_prefers_publisher_then_real_host_then_file_stem():
    assert outlet_label("Daily Planet", "https://www.planet.com/x", "a.txt") == "Daily Planet"
    assert outlet_label(None, "https://www.planet.com/x", "a.txt") == "planet.com"
    assert outlet_label(None, "https://example.org/x", "story/coastal-ledger.txt") == "coastal-ledger"
    assert outlet_label(float("nan"), None, "feed.jsonl#3") == "feed"


def test_select_values_binds_one_iri_and_refuses_anything_else():
    store = Store()
    store.replace_graph("urn:g", [])
    store._store.update("INSERT DATA { <urn:a> <urn:p> 'x' . <urn:b> <urn:p> 'y' }")
    query = "SELECT ?s ?o WHERE { ?s <urn:p> ?o }"
    assert select_values(store, query, s="urn:b") == [{"s": "urn:b", "o": "y"}]
    for bad in ("urn:a> } . ?x ?y ?z . { <urn:a", "not an iri", ["urn:a", "urn:b"]):
        with pytest.raises(ValueError):
            select_values(store, query, s=bad)
    with pytest.raises(ValueError):
        select_values(store, query, **{"s} ?x": "urn:a"})


# -- evidence highlighting ----------------------------------------------------------------------------
def test_highlight_escapes_text_before_marking():
    out = highlight_html("a <b>x</b> & c", [(2, 10, "mark"), (0, 1, "script")])
    assert out == "a <mark>&lt;b&gt;x&lt;/b&gt;</mark> &amp; c"         # unknown tags are ignored


def test_evidence_html_marks_the_sentence_inside_its_paragraph():
    body = f"First paragraph.\n\nIntro. {EVIL} Mayor said it was false.\n\nLast paragraph."
    sentence = "Mayor said it was false."
    start = body.index(sentence)
    row = {"sentence": sentence, "sentenceStart": start, "sentenceEnd": start + len(sentence),
           "cue": "said", "cueStart": start + 6, "cueEnd": start + 10}
    out = render.evidence_html(body, row)
    assert "<mark>Mayor <b>said</b> it was false.</mark>" in out
    assert "First paragraph" not in out and "Last paragraph" not in out and out.count("…") == 2
    assert "<script>" not in out and "&lt;script&gt;" in out
    whole = render.evidence_html(body, row, whole=True)
    assert "First paragraph.<br><br>Intro." in whole


def test_evidence_html_finds_the_sentence_when_offsets_disagree():
    row = {"sentence": "It was false.", "sentenceStart": 500, "sentenceEnd": 513}
    assert "<mark>It was false.</mark>" in render.evidence_html("Oh. It was false. Yes.", row)
    lost = render.evidence_html("unrelated text", {"sentence": "<i>gone</i>"})
    assert lost.count("<mark>") == 1 and "&lt;i&gt;gone&lt;/i&gt;" in lost


def test_md_escape_neutralises_markdown_in_labels():
    assert render.md_escape("![x](http://evil/a.png) :red[y]") == \
        r"\!\[x\]\(http\:\/\/evil/a\.png\) \:red\[y\]".replace(r"\/", "/")


# -- uploads ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\Windows\\win.ini.html", "win.ini.html"),
    ("/abs/path/Report (final).JSONL", "Report (final).jsonl"),
    (".hidden.txt", "hidden.txt"),
    ("..", "upload"),
    ("a\x00b<>|.txt", "a_b.txt"),
])
def test_safe_name_never_leaves_the_folder(name, expected):
    assert uploads.safe_name(name, set()) == expected


def test_save_writes_only_inside_its_folder_and_rejects_bad_files(tmp_path):
    folder = tmp_path / "up"
    folder.mkdir()
    big = b"x" * (uploads.MAX_FILE_MB * 1_000_000 + 1)
    saved, rejected = uploads.save([("../a.txt", b"A"), ("a.txt", b"B"), ("x.exe", b"MZ"), ("big.txt", big)], folder)
    assert [p.name for _, p in saved] == ["a.txt", "a-2.txt"]
    assert all(p.parent == folder for _, p in saved)
    assert sorted(p.name for p in folder.iterdir()) == ["a-2.txt", "a.txt"]
    assert [r.upload for r in rejected] == ["x.exe", "big.txt"]
    assert "unsupported file type '.exe'" in rejected[0].errors[0] and "too large" in rejected[1].errors[0]
    assert not (tmp_path / "a.txt").exists()


# -- launcher ---------------------------------------------------------------------------------------
def test_dashboard_command_binds_to_localhost_and_passes_the_store(tmp_path):
    argv = kg_dashboard_command(tmp_path / "s", 8600)
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"] and argv[4].endswith("dashboards/app.py")
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert argv[argv.index("--server.port") + 1] == "8600"
    assert argv[argv.index("--browser.gatherUsageStats") + 1] == "false"
    assert argv[-2:] == ["--store", str((tmp_path / "s").resolve())]
    assert kg_dashboard_env("rel-store", base={})["KG_STORE"].endswith("/rel-store")
    with pytest.raises(ValueError):
        kg_dashboard_command("s", 0)


# -- analysis adapter ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Record:
    claim: str
    score: float
    supporters: tuple


def test_to_frame_reads_the_shapes_analysis_functions_return():
    assert list(to_frame({"urn:a": 0.5, "urn:b": 0.2}).columns) == ["node", "score"]
    assert to_frame([{"urn:a", "urn:b"}, {"urn:c"}], "communities")["community"].tolist() == [0, 0, 1]
    rec = to_frame([_Record("urn:c", 1.0, (Actor("urn:x", "Ann"), Actor("urn:y", "Bob")))])
    assert rec.loc[0, "supporters"] == "Ann; Bob"
    pairs = to_frame({("A", "B"): {"agreement": 0.5}})
    assert pairs.loc[0, ["a", "b", "agreement"]].tolist() == ["A", "B", 0.5]
    assert chart_columns(pd.DataFrame({"outlet A": ["x"], "outlet B": ["y"], "agreed": [1], "score": [0.5]})) == \
        ("outlet A", "outlet B", "score")
