"""factcheck-kg dashboard router: ``streamlit run dashboards/app.py`` (store from $KG_STORE).

Only routing here; each page in ``pages/`` reads its widgets, calls kg through ``data``, renders.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboards/ on the path
    sys.path.insert(0, str(ROOT))
if len(sys.argv) >= 3 and sys.argv[1] == "--store":  # `streamlit run app.py -- --store DIR` (launch.py)
    os.environ["KG_STORE"] = sys.argv[2]

import streamlit as st  # noqa: E402

from dashboards import ui  # noqa: E402

st.set_page_config(page_title="factcheck-kg", page_icon="🔎", layout="wide")

PAGES = {
    "Explore": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/graph.py", title="Graph", icon=":material/hub:"),
        st.Page("pages/claims.py", title="Claims", icon=":material/format_quote:"),
        st.Page("pages/entities.py", title="Entities", icon=":material/groups:"),
    ],
    "Analyse": [
        st.Page("pages/analysis.py", title="Analysis", icon=":material/insights:"),
        st.Page("pages/sparql.py", title="SPARQL", icon=":material/terminal:"),
    ],
    "Data": [
        st.Page("pages/export.py", title="Export", icon=":material/download:"),
        st.Page("pages/ingest.py", title="Ingest", icon=":material/upload_file:"),
        st.Page("pages/curate.py", title="Curate", icon=":material/edit_note:"),
    ],
}

ui.sidebar_status()
st.navigation(PAGES).run()
