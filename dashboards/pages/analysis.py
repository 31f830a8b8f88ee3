"""Analysis: contested claims, central actors, communities and outlet agreement (kg.analysis)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import data, render, ui
from dashboards.analysis_data import chart_columns

SECTIONS = (
    ("contested", "Contested claims", "Claims that some holders support and others oppose."),
    ("centrality", "Central actors", "Who sits at the centre of the stance network."),
    ("communities", "Communities", "Groups of actors and claims more connected to each other than to the rest."),
    ("agreement", "Outlet agreement", "How often two outlets report the same holder with the same polarity on a claim."),
)
POLARITY_SCALE = alt.Scale(domain=["support", "oppose", "neutral"], range=["#2ca02c", "#d62728", "#7f7f7f"])


def bar(df: pd.DataFrame, label: str, number: str, top: int = 20) -> alt.Chart:
    top_rows = df.dropna(subset=[number]).nlargest(top, number)
    return alt.Chart(top_rows).mark_bar(color="#4e79a7").encode(
        x=alt.X(f"{number}:Q"), y=alt.Y(f"{label}:N", sort="-x", title=None,
                                         axis=alt.Axis(labelLimit=360)),
        tooltip=[label, number]).properties(height=max(120, 22 * len(top_rows)))


def section_chart(df: pd.DataFrame, section: str) -> alt.Chart | None:
    label, second, number = chart_columns(df)
    if section == "communities" and "community" in df.columns:
        sizes = df.groupby("community").size().reset_index(name="members")
        sizes["community"] = sizes["community"].astype(str)
        return bar(sizes, "community", "members")
    if section == "agreement" and label and second and number:
        return alt.Chart(df).mark_rect().encode(
            x=alt.X(f"{label}:N", title=None), y=alt.Y(f"{second}:N", title=None),
            color=alt.Color(f"{number}:Q", scale=alt.Scale(scheme="redyellowgreen")),
            tooltip=[label, second, number]).properties(height=320)
    if label and number:
        return bar(df, label, number)
    return None


def polarity_bars(df: pd.DataFrame, label: str, columns: dict[str, str], title: str) -> alt.Chart:
    long = df.melt(id_vars=[label], value_vars=list(columns), var_name="side", value_name="holders")
    long["side"] = long["side"].map(columns)
    return alt.Chart(long).mark_bar().encode(
        x=alt.X("holders:Q", title=title), y=alt.Y(f"{label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)),
        color=alt.Color("side:N", scale=POLARITY_SCALE), tooltip=[label, "side", "holders"],
    ).properties(height=max(120, 24 * df[label].nunique()))


st.title("Analysis")
ui.require_data()
module, reason = data.analysis_module()

if module is None:
    if reason == "missing":
        st.warning("The analysis module `kg.analysis` is not available yet, so centrality, communities and "
                   "outlet agreement cannot be shown. Below are simple counts taken straight from the stances.",
                   icon=":material/construction:")
    else:
        st.error(render.md_escape(reason))
    contested = data.contested_claims(15)
    st.subheader("Contested claims (counted from stances)")
    if contested.empty:
        st.info("No claim has both supporters and opponents yet.")
    else:
        contested = contested.assign(claim_short=contested["claimText"].str.slice(0, 90))
        st.altair_chart(polarity_bars(contested, "claim_short", {"supporters": "support", "opponents": "oppose",
                                                                 "neutrals": "neutral"}, "holders"), width="stretch")
    actors = data.actors()
    actors = actors[actors["stances"] > 0].nlargest(15, "stances")
    st.subheader("Most active actors (counted from stances)")
    if not actors.empty:
        st.altair_chart(polarity_bars(actors, "name", {"support": "support", "oppose": "oppose",
                                                       "neutral": "neutral"}, "stances"), width="stretch")
    st.stop()

st.caption("Computed by kg.analysis; on a large store the first run of each section can take a while "
           "(results are kept until the store changes).")
for section, title, caption in SECTIONS:
    st.subheader(title)
    st.caption(caption)
    with st.spinner(f"Computing {title.lower()}…"):
        res = data.analysis_section(section)
    if isinstance(res, str):
        st.warning(render.md_escape(res))
        continue
    if res is None or res.empty:
        st.info("Nothing to show for this store.")
        continue
    chart = section_chart(res, section)
    if chart is not None:
        st.altair_chart(chart, width="stretch")
    st.dataframe(res, hide_index=True, width="stretch",
                 column_config={c: None for c in res.columns if c in ("node", "claim", "outlet_a", "outlet_b")})
