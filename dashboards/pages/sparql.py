"""SPARQL: a read-only editor with examples, results, row count and time, CSV/JSON download."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import data, ui
from kg.errors import KGError
from kg.query import format_result

MAX_ROWS = 10000
MAX_SECONDS = 60

st.title("SPARQL")
ui.require_data()
examples = data.example_queries()
by_title = {f"{e['title']} ({e['source']})": e for e in examples}


def load_example() -> None:
    choice = st.session_state.get("sparql_example")
    if choice in by_title:
        st.session_state["sparql_text"] = by_title[choice]["text"]


st.selectbox("Examples", [None, *by_title], key="sparql_example", on_change=load_example,
             format_func=lambda t: "— choose an example to load it into the editor —" if t is None else t)
if st.session_state.get("sparql_example") in by_title:
    st.caption(by_title[st.session_state["sparql_example"]]["description"])
if "sparql_text" not in st.session_state:
    st.session_state["sparql_text"] = next(e["text"] for e in examples if e["source"].endswith("dash-start.rq"))
st.text_area("Query (read-only; the fck, schema, prov, oa, rdfs, skos, owl, xsd prefixes are predefined)",
             key="sparql_text", height=260)
c1, c2, c3 = st.columns([1, 1, 2])
limit = c1.number_input("Row cap", min_value=1, max_value=MAX_ROWS, value=1000, step=100, key="sparql_limit")
timeout = c2.number_input("Time limit (s)", min_value=1, max_value=MAX_SECONDS, value=10, key="sparql_timeout")
if c3.button("Run query", type="primary", icon=":material/play_arrow:"):
    st.session_state["sparql_submitted"] = (st.session_state["sparql_text"], int(limit), float(timeout))

submitted = st.session_state.get("sparql_submitted")
if not submitted:
    st.stop()
text, limit, timeout = submitted
try:
    result, seconds = data.user_query(text, limit, timeout)
except KGError as exc:
    st.error(f"Query refused or failed: {exc}", icon=":material/block:")   # about the user's own text
    st.stop()

if result.kind == "ask":
    st.success(f"ASK → {'true' if result.boolean else 'false'}  ({seconds * 1000:.0f} ms)")
    st.stop()
st.caption(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''} in {seconds * 1000:.0f} ms")
if result.truncated:
    st.warning(f"Only the first {limit} rows are shown (row cap).")
st.dataframe(pd.DataFrame(list(result.rows), columns=list(result.columns)), hide_index=True, width="stretch")
d1, d2 = st.columns(2)
d1.download_button("Download CSV", format_result(result, "csv"), file_name="query.csv", mime="text/csv",
                   on_click="ignore", icon=":material/download:")
d2.download_button("Download JSON", format_result(result, "json"), file_name="query.json",
                   mime="application/json", on_click="ignore", icon=":material/download:")
