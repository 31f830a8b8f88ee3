"""Export: the whole graph in every format (RDF, network files, a standalone HTML graph page)."""
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
    "graphml": "GraphML: actors, claims, articles and outlets as a network (yEd, Gephi, NetworkX)",
    "gexf": "GEXF: the same network for Gephi",
    "csv": "CSV: a zip of nodes.csv and edges.csv",
    "json": "JSON: the network as node-link JSON",
    "html": "HTML: a standalone, offline graph page (the 300 most connected nodes) to send to a colleague",
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

