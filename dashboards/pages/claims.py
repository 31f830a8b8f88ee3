"""Claims: who supports, opposes or questions each claim, in which outlets, with the evidence."""
from __future__ import annotations

import streamlit as st

from dashboards import data, render, ui
from dashboards.verdicts import verdicts_html

SIDES = (("support", "Supports (asserts, confirms)"), ("oppose", "Opposes (denies, disputes)"),
         ("neutral", "Questions (cannot verify, declines, asks)"))

MAX_LISTED = 500

st.title("Claims")
ui.require_data()
claims = data.claims()

c1, c2, c3 = st.columns([3, 1, 1])
search = c1.text_input("Search claims", key="claims_search", placeholder="words of the claim")
contested_only = c2.toggle("Only contested", key="claims_contested",
                           help="Claims with at least one supporter and one opponent")
order = c3.selectbox("Order by", ["stances", "contested", "outlets"], key="claims_order")
shown = claims
if search:
    shown = shown[shown["claimText"].fillna("").str.contains(search, case=False, regex=False)]
if contested_only:
    shown = shown[(shown["supporters"] > 0) & (shown["opponents"] > 0)]
shown = shown.sort_values([order, "stances"], ascending=False)
if shown.empty:
    st.info("No claim matches.")
    st.stop()
if len(shown) > MAX_LISTED:
    st.caption(f"{len(shown):,} claims match; the first {MAX_LISTED} are listed (search to narrow).")
    shown = shown.head(MAX_LISTED)

st.dataframe(shown[["claimText", "supporters", "opponents", "neutrals", "outlets", "articles"]], hide_index=True,
             width="stretch", height=240, column_config={"claimText": st.column_config.TextColumn("claim", width="large")})
texts = dict(zip(shown["claim"], shown["claimText"].fillna(shown["claim"])))
stats = shown.set_index("claim")
claim = st.selectbox(f"Claim ({len(shown)})", list(texts), key="claims_selected",
                     format_func=lambda c: f"{texts[c][:140]}  [{int(stats.at[c, 'stances'])} stances]")

facts = data.facts("claim", claim)
wordings = sorted(set(facts.loc[facts["field"] == "wording", "value"].dropna())) if not facts.empty else []
about = sorted(set(facts.loc[facts["field"] == "about", "value"].dropna())) if not facts.empty else []
st.html(render.claim_html(texts[claim], f"About: {', '.join(about)}" if about else ""))
m = st.columns(4)
for col, key, label in zip(m, ("supporters", "opponents", "neutrals", "outlets"),
                           ("Supporters", "Opponents", "Questioning", "Outlets")):
    col.metric(label, int(stats.at[claim, key]))
if wordings:
    with st.expander(f"Other wordings ({len(wordings)})"):
        st.html(render.names_html(wordings))

# -- Curation: claims a curator related to this one, stances corrected by hand (kg/curate.py) ----
def related_line(r: dict) -> str:
    other = f"“{r['otherText'] if isinstance(r['otherText'], str) else r['other']}”"
    line = f"{r['relation']} {other}" if r["direction"] == "out" else f"{other} {r['relation']} this claim"
    if isinstance(r["by"], str):
        line += f" — {r['by']}" + (f": {r['why']}" if isinstance(r["why"], str) and r["why"] else "")
    return line


related = data.related_claims(claim)
if not related.empty:
    st.markdown("**Related claims** (set by curators on the Curate page)")
    st.html(render.names_html([related_line(r) for r in related.to_dict("records")]))
curated = data.stances(claim=claim)
curated = int(curated["stance"].str.endswith("/curated").sum()) if not curated.empty else 0
if curated:
    st.caption(f"{curated} of the stances below were corrected by hand (see the Curate page).")
# -- end of Curation --------------------------------------------------------------------------

# -- Verdicts: fact-checkers' ClaimReviews of this claim (kg/claimreview.py) -------------------
verdicts = data.verdicts(claim)
if verdicts.empty:
    st.caption("Verdicts: no fact-check rates this claim (ingest ClaimReview files to add some).")
else:
    st.subheader(f"Verdicts ({len(verdicts)})")
    st.html(verdicts_html(verdicts.to_dict("records")))
# -- end of Verdicts ------------------------------------------------------------------------------

rows = data.stances(claim=claim)
if rows.empty:
    st.info("Nobody is reported taking a stance on this claim; it only appears in the articles.")
    st.stop()
cols = st.columns(3)
for col, (polarity, title) in zip(cols, SIDES):
    side = rows[rows["polarity"] == polarity]
    col.markdown(f"**{title}**")
    names = sorted({f"{r['holderName'] or 'unknown'} — {r['stanceType'].lower()} ({r['outlet']})"
                    for r in side.to_dict("records")})
    col.html(render.names_html(names))

st.subheader("Evidence")
st.caption("The sentence each stance was read from is marked inside the article; the cue word is in bold.")
records = rows.to_dict("records")
if len(records) > 25 and not st.toggle(f"Show all {len(records)} stances (first 25 shown)", key="claims_all"):
    records = records[:25]
for r in records:
    if not isinstance(r.get("articleId"), str):   # a claimant named by a fact-check (ClaimReview)
        st.html(render.stance_line_html(r))
        st.caption("Named as the claimant by a fact-check (see Verdicts above).")
        continue
    body = data.article(r["article"]).get("body", "")
    st.html(render.stance_line_html(r))
    st.html(render.evidence_html(body, r))
    with st.expander(f"Whole article: {render.md_escape(r.get('headline') or r.get('articleId') or '')}"):
        st.html(render.evidence_html(body, r, whole=True))
