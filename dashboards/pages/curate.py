"""Curate: correct what the extraction got wrong; the corrections survive every re-ingest.

Each action writes one correction (who, when, why) through kg.curate, in one transaction; every
page and export then shows the curated graph. The table at the bottom lists the corrections,
says whether each still applies, and undoes them.
"""
from __future__ import annotations

import os

import streamlit as st

from dashboards import data, ui
from kg.errors import KGError
from kg.records import STANCE_TYPES
from kg.viz import shorten

MAX_OPTIONS = 300
ACTIONS = {"Merge two claims": "merge_claims", "Split a claim": "split_claim", "Retype a stance": "retype_stance",
           "Change a stance's holder": "set_holder", "Reject a stance": "reject_stance",
           "Merge two entities": "merge_entities", "Relate two claims": "relate_claims"}
RELATIONS = {"contradicts": "contradicts: both cannot be true", "supports": "supports: is evidence for",
             "refines": "refines: says the same more precisely"}


def pick(label: str, key: str, rows, iri: str, text: str, exclude: tuple[str, ...], *, noun: str, hint: str,
         names) -> str | None:
    """An IRI of ``rows[iri]`` chosen from a list narrowed by a search box over ``rows[text]``,
    shown as ``names(rows)`` with the number of stances."""
    search = st.text_input(f"Search: {label.lower()}", key=f"{key}_search", placeholder=hint)
    shown = rows[~rows[iri].isin(exclude)]
    if search:
        shown = shown[shown[text].fillna("").str.contains(search, case=False, regex=False)]
    shown = shown.head(MAX_OPTIONS)
    if shown.empty:
        st.caption(f"No {noun} matches.")
        return None
    shown_as = dict(zip(shown[iri], names(shown)))
    counts = dict(zip(shown[iri], shown["stances"]))
    return st.selectbox(label, list(shown_as), key=key,
                        format_func=lambda x: f"{shown_as[x]}  [{int(counts[x])} stances]")


def pick_claim(label: str, key: str, exclude: tuple[str, ...] = ()) -> str | None:
    """A claim chosen from the list (narrowed by a search box), most discussed first."""
    claims = data.claims().sort_values(["stances", "claimText"], ascending=[False, True])
    return pick(label, key, claims, "claim", "claimText", exclude, noun="claim", hint="words of the claim",
                names=lambda df: df["claimText"].fillna(df["claim"]).map(lambda t: shorten(t, 120)))


def pick_entity(label: str, key: str, exclude: tuple[str, ...] = ()) -> str | None:
    return pick(label, key, data.actors(), "entity", "name", exclude, noun="entity", hint="a name",
                names=lambda df: df["name"].fillna(df["entity"]) + " (" + df["type"].fillna("?") + ")")


def stance_label(r: dict) -> str:
    said = r.get("content") or r.get("sentence") or ""
    return (f"{r.get('holderName') or 'unknown'} — {str(r.get('stanceType') or '').lower()} — "
            f"“{shorten(str(said), 90)}” ({r.get('outlet') or r.get('articleId') or ''})")


def stances_of(claim: str | None) -> dict[str, str]:
    """Stance IRI -> label for the stances on ``claim`` (as curated)."""
    if not claim:
        return {}
    rows = data.stances(claim=claim)
    return {} if rows.empty else {r["stance"]: stance_label(r) for r in rows.to_dict("records")}


def pick_stance(key: str) -> str | None:
    labels = stances_of(pick_claim("Claim the stance is about", f"{key}_claim"))
    if not labels:
        st.caption("Nobody takes a stance on this claim.")
        return None
    return st.selectbox("Stance", list(labels), key=key, format_func=labels.get)


def form(action: str) -> tuple[list, dict] | None:
    """The widgets of one action; (arguments, keyword arguments) for kg.curate, or None."""
    if action == "merge_claims":
        a = pick_claim("Claim to merge away", "curate_merge_a")
        b = pick_claim("Claim it is the same as (stays)", "curate_merge_b", exclude=(a,) if a else ())
        return ([a, b], {}) if a and b else None
    if action == "split_claim":
        claim = pick_claim("Claim that mixes two claims", "curate_split_claim")
        labels = stances_of(claim)
        moved = st.multiselect("Stances that belong to another claim", list(labels), key="curate_split_stances",
                               format_func=labels.get)
        text = st.text_input("Text of the new claim", key="curate_split_text",
                             placeholder="one concise, positive proposition")
        return ([claim, moved], {"text": text}) if claim and moved else None
    if action == "retype_stance":
        stance = pick_stance("curate_retype_stance")
        kind = st.selectbox("Its real type", STANCE_TYPES, key="curate_retype_type")
        return ([stance, kind], {}) if stance else None
    if action == "set_holder":
        stance = pick_stance("curate_holder_stance")
        entity = pick_entity("Who really takes it", "curate_holder_entity")
        return ([stance, entity], {}) if stance and entity else None
    if action == "reject_stance":
        stance = pick_stance("curate_reject_stance")
        return ([stance], {}) if stance else None
    if action == "merge_entities":
        a = pick_entity("Entity to merge away", "curate_entity_a")
        b = pick_entity("Entity it is the same as (stays)", "curate_entity_b", exclude=(a,) if a else ())
        return ([a, b], {}) if a and b else None
    a = pick_claim("Claim", "curate_relate_a")
    rel = st.selectbox("Relation", list(RELATIONS), key="curate_relate_rel", format_func=RELATIONS.get)
    b = pick_claim("Other claim", "curate_relate_b", exclude=(a,) if a else ())
    return ([a, rel, b], {}) if a and b else None


st.title("Curate")
ui.require_data()
flash = st.session_state.pop("curate_flash", None)
if flash:
    st.success(flash)
writable = not ui.read_only_mode()
by = ""
if not writable:
    st.info("This dashboard is read-only (KG_DASHBOARD_READ_ONLY=1): corrections are listed, not made.")
else:
    st.caption("A correction is kept apart from the extracted articles, with who made it, when and why. Every "
               "page and export shows the corrected graph, re-ingesting the articles keeps it, and it can be "
               "undone below.")
    by = st.text_input("Your name", value=os.environ.get("KG_CURATOR", ""), key="curate_by",
                       help="Recorded with each correction (PROV)")
    label = st.selectbox("Correction", list(ACTIONS), key="curate_action")
    call = form(ACTIONS[label])
    why = st.text_area("Why", key="curate_why", placeholder="what is wrong, and how you know")
    if st.button("Apply the correction", type="primary", key="curate_apply", disabled=call is None):
        args, kwargs = call
        try:
            rec = data.curate(ACTIONS[label], *args, by=by, why=why, **kwargs)
        except KGError as exc:
            st.error(str(exc))
        else:
            st.session_state["curate_flash"] = f"Saved correction {rec.id} ({label.lower()})."
            st.rerun()

st.subheader("Corrections")
show_all = st.toggle("Also the undone ones", key="curate_all")
done = data.corrections(include_undone=show_all)
if done.empty:
    st.caption("No correction yet.")
    st.stop()
st.caption("“no longer matches”: the stance it points at is gone from the re-ingested article; the correction "
           "is kept and applies again if the stance comes back.")
st.dataframe(done[["id", "status", "action", "summary", "by", "at", "why"]], hide_index=True, width="stretch",
             column_config={"summary": st.column_config.TextColumn("what", width="large")})
active = done[done["status"] != "undone"]
if writable and not active.empty:
    what = dict(zip(active["iri"], active["id"] + " · " + active["action"] + " · " + active["summary"]))
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    target = left.selectbox("Undo a correction", list(what), key="curate_undo_pick",
                            format_func=lambda c: shorten(what[c], 140))
    if right.button("Undo", key="curate_undo"):
        try:
            rec = data.curate("undo", target, by=by)
        except KGError as exc:
            st.error(str(exc))
        else:
            st.session_state["curate_flash"] = f"Undid correction {rec.id}: the extracted state is back."
            st.rerun()
