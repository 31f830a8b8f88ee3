"""Graph: actors and claims joined by stances (pyvis), with filters, search and focus."""
from __future__ import annotations

import streamlit as st

from dashboards import data, ui
from kg.records import ENTITY_TYPES, STANCE_TYPES

st.title("Graph")
ui.require_data()
arts = data.articles()
_, version = data.handle()

with st.expander("Filters", expanded=True, icon=":material/filter_alt:"):
    c1, c2, c3 = st.columns(3)
    outlets = c1.multiselect("Outlets", sorted(arts["outlet"].unique()), key="graph_outlets",
                             placeholder="all outlets")
    titles = dict(zip(arts["article"], arts["outlet"] + " · " + arts["headline"].fillna(arts["articleId"])))
    chosen_articles = c1.multiselect("Articles", list(titles), format_func=titles.get, key="graph_articles",
                                     placeholder="all articles")
    types = c2.multiselect("Entity types (holders)", ENTITY_TYPES, default=list(ENTITY_TYPES), key="graph_types")
    stance_types = c2.multiselect("Stance types", STANCE_TYPES, default=list(STANCE_TYPES), key="graph_stance_types")
    min_degree = c3.slider("Minimum degree", 1, 10, 1, key="graph_min_degree",
                           help="Hide nodes with fewer edges than this (after the other filters)")
    cap = c3.number_input("Max nodes", min_value=20, max_value=2000, value=300, step=50, key="graph_cap",
                          help="The most connected nodes are kept (nearest to the focus first)")
    affiliations = c3.toggle("Show affiliations (member of)", value=True, key="graph_affiliations")

index = data.node_index(version)
s1, s2 = st.columns([3, 1])
search = s1.text_input("Search a node", key="graph_search", placeholder="a name or words of a claim")
matches = index[index["name"].str.contains(search, case=False, regex=False)] if search else index
candidates = list(matches.sort_values("weight", ascending=False)["id"].head(100))
current = st.session_state.get("graph_focus")
if current and current not in candidates:
    candidates.insert(0, current)
names = dict(zip(index["id"], index["name"] + " (" + index["kind"] + ")"))
focus = s1.selectbox("Focus on a node's neighbourhood", [None, *candidates], key="graph_focus",
                     format_func=lambda i: "— whole graph —" if i is None else names.get(i, i))
depth = s2.radio("Neighbourhood depth", [1, 2], horizontal=True, key="graph_depth", disabled=focus is None)
if search and matches.empty:
    s1.warning("No node matches this search.")

page, shown, total, _ = data.graph_view(
    outlets=outlets or None, articles=chosen_articles or None, entity_types=types, stance_types=stance_types,
    min_degree=min_degree, max_nodes=int(cap), focus=focus, depth=depth, show_affiliations=affiliations)
if not shown:
    st.info("No stance matches these filters.")
    st.stop()
more = f" (the {shown} most relevant; raise “Max nodes” to see more)" if total > shown else ""
st.caption(f"Showing {shown} of {total} nodes{more}. Hover for evidence, click to pin it below the graph; "
           "the layout stops moving once it has settled.")
st.iframe(page, height=860)
st.download_button("Download this view as a standalone HTML page", page, file_name="factcheck-kg-graph.html",
                   mime="text/html", on_click="ignore", icon=":material/download:")

if focus:
    st.subheader("Stances around the focused node")
    kind = "claim" if focus in set(index.loc[index["kind"] == "Claim", "id"]) else "holder"
    around = data.stances(**{kind: focus})
    if around.empty:
        st.caption("This node holds no stance itself.")
    else:
        st.dataframe(around[["holderName", "stanceType", "claimText", "outlet", "date", "sentence"]],
                     hide_index=True, width="stretch")
