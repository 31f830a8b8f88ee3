"""Entities: one person's or organisation's profile: names, affiliations, stances, claims, articles."""
from __future__ import annotations

import streamlit as st

from dashboards import data, render, ui
from kg.records import ENTITY_TYPES

MAX_LISTED = 500

st.title("Entities")
ui.require_data()
actors = data.actors()

c1, c2, c3 = st.columns([3, 2, 1])
search = c1.text_input("Search entities", key="entities_search", placeholder="a name")
types = c2.multiselect("Types", ENTITY_TYPES, key="entities_types", placeholder="all types")
holders_only = c3.toggle("Stance holders only", key="entities_holders")
shown = actors
if search:
    shown = shown[shown["name"].fillna("").str.contains(search, case=False, regex=False)]
if types:
    shown = shown[shown["type"].isin(types)]
if holders_only:
    shown = shown[shown["stances"] > 0]
if shown.empty:
    st.info("No entity matches.")
    st.stop()
if len(shown) > MAX_LISTED:
    st.caption(f"{len(shown):,} entities match; the {MAX_LISTED} most active are listed (search to narrow).")
    shown = shown.head(MAX_LISTED)

names = dict(zip(shown["entity"], shown["name"].fillna(shown["entity"]) + " (" + shown["type"].fillna("?") + ")"))
stats = shown.set_index("entity")
entity = st.selectbox(f"Entity ({len(shown)})", list(names), key="entities_selected",
                      format_func=lambda e: f"{names[e]}  [{int(stats.at[e, 'stances'])} stances]")
facts = data.facts("entity", entity)


def values(field: str) -> list[str]:
    if facts.empty:
        return []
    return sorted({v for v in facts.loc[facts["field"] == field, "value"].dropna()})


st.html(render.heading_html(names[entity]))
m = st.columns(5)
for col, key, label in zip(m, ("stances", "support", "oppose", "neutral", "articles"),
                           ("Stances", "Supporting", "Opposing", "Questioning", "Articles")):
    col.metric(label, int(stats.at[entity, key]))

left, mid, right = st.columns(3)
left.markdown("**Also called**")
left.html(render.names_html(values("alias"), "no other names"))
mid.markdown("**Member of / speaks for**")
mid.html(render.names_html(values("memberOf"), "no affiliation found"))
right.markdown("**Members / spokespeople**")
right.html(render.names_html(values("member"), "none found"))

st.subheader("Stances taken")
taken = data.stances(holder=entity)
if taken.empty:
    st.caption("No stance recorded for this entity.")
else:
    st.dataframe(taken[["stanceType", "claimText", "outlet", "date", "cue", "sentence"]], hide_index=True,
                 width="stretch", column_config={"claimText": st.column_config.TextColumn("claim", width="large"),
                                                 "sentence": st.column_config.TextColumn(width="large")})

st.subheader("Claims about it")
about = set(facts.loc[facts["field"] == "claimAbout", "iri"]) if not facts.empty else set()
claims = data.claims()
claims = claims[claims["claim"].isin(about)] if not claims.empty else claims
if claims.empty:
    st.caption("No claim is about this entity.")
else:
    st.dataframe(claims[["claimText", "supporters", "opponents", "neutrals", "outlets"]], hide_index=True,
                 width="stretch", column_config={"claimText": st.column_config.TextColumn("claim", width="large")})

st.subheader("Articles")
mentioned = set(facts.loc[facts["field"] == "mentionedIn", "iri"]) if not facts.empty else set()
mentioned |= set(taken["article"]) if not taken.empty else set()
arts = data.articles()
arts = arts[arts["article"].isin(mentioned)]
if arts.empty:
    st.caption("Not mentioned in any article.")
else:
    st.dataframe(arts[["date", "outlet", "headline", "articleId"]], hide_index=True, width="stretch")
