"""Overview: counts, most contested claims, central actors, recent articles."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import data, ui

st.title("Overview")
counts = ui.require_data()

cols = st.columns(5)
for col, (key, label) in zip(cols, (("articles", "Articles"), ("entities", "Entities"), ("claims", "Claims"),
                                    ("stances", "Stances"), ("triples", "Triples"))):
    col.metric(label, f"{counts.get(key, 0):,}")

left, right = st.columns(2)
with left:
    st.subheader("Most contested claims")
    contested = data.contested_claims(10)
    if contested.empty:
        st.info("No claim has both supporters and opponents yet.")
    else:
        st.dataframe(contested, hide_index=True, width="stretch",
                     column_config={"claimText": st.column_config.TextColumn("claim", width="large"),
                                    "claim": None})
    st.caption("Claims that some holders support and others oppose; score = balance of the two sides "
               "× log(1 + holders taking sides). More on the Analysis page.")
with right:
    st.subheader("Central actors")
    central = data.central_actors(10)
    if central.empty:
        st.info("Nobody has taken a stance yet.")
    else:
        st.dataframe(central, hide_index=True, width="stretch", column_config={"entity": None})
    st.caption("Ranked by the number of distinct claims they took a stance on (PageRank and "
               "communities on the Analysis page).")

st.subheader("Stances by type")
stances = data.actors()
if not stances.empty:
    totals = pd.DataFrame({"polarity": ["support", "oppose", "neutral"],
                           "stances": [int(stances[c].sum()) for c in ("support", "oppose", "neutral")]})
    chart = alt.Chart(totals).mark_bar().encode(
        x=alt.X("stances:Q"), y=alt.Y("polarity:N", sort=None),
        color=alt.Color("polarity:N", scale=alt.Scale(domain=["support", "oppose", "neutral"],
                                                      range=["#2ca02c", "#d62728", "#7f7f7f"]), legend=None))
    st.altair_chart(chart.properties(height=120), width="stretch")

st.subheader("Recent articles")
arts = data.articles()
st.dataframe(arts[["date", "outlet", "headline", "stances", "claims", "entities", "articleId"]].head(15),
             hide_index=True, width="stretch",
             column_config={"headline": st.column_config.TextColumn(width="large")})
