"""Export: the whole graph in every format kg.export writes, plus the standalone graph page."""
from __future__ import annotations

import functools

import streamlit as st

from dashboards import data, ui

DESCRIPTIONS = {
    "turtle": "Turtle: the union of all article graphs, readable RDF",
    "trig": "TriG: every named graph (one per article + the shared graph)",
    "nquads": "N-Quads: named graphs, one quad per line (fast to load)",
    "ntriples": "N-Triples: one triple per line",
    "jsonld": "JSON-LD: RDF as JSON",
    "rdfxml": "RDF/XML",
    "graphml": "GraphML: the actor–claim network for Gephi, yEd, NetworkX",
    "gexf": "GEXF: the actor–claim network for Gephi",
    "csv": "CSV tables",
    "json": "JSON: nodes and edges",
    "html": "HTML: a standalone, offline graph page to send to a colleague",
}
MIME = {"turtle": "text/turtle", "trig": "application/trig", "nquads": "application/n-quads",
        "ntriples": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
        "graphml": "application/xml", "gexf": "application/xml", "csv": "application/zip",
        "json": "application/json", "html": "text/html"}

st.title("Export")
counts = ui.require_data()
store = data.store()
st.caption(f"{counts['triples']:,} triples in {counts['articles']:,} articles. Each file is written when you "
           "click its button (large graphs take a moment).")

formats = data.export_formats()
for fmt in formats:
    c1, c2 = st.columns([1, 3])
    c1.download_button(fmt, functools.partial(data.export_bytes, store, fmt), key=f"export_{fmt}",
                       file_name=f"factcheck-kg.{data.EXPORT_EXT.get(fmt, fmt)}",
                       mime=MIME.get(fmt, "application/octet-stream"), on_click="ignore",
                       icon=":material/download:", width="stretch")
    c2.write(DESCRIPTIONS.get(fmt, fmt))

if "html" not in formats:
    c1, c2 = st.columns([1, 3])
    c1.download_button("html", functools.partial(data.graph_page_bytes, store), key="export_html_page",
                       file_name="factcheck-kg.html", mime="text/html", on_click="ignore",
                       icon=":material/download:", width="stretch")
    c2.write(DESCRIPTIONS["html"] + " (the 300 most connected nodes)")
