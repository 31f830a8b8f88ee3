"""Widgets shared by the pages: the store status in the sidebar and the empty state."""
from __future__ import annotations

import os

import streamlit as st

from dashboards import data
from kg.errors import KGError

INGEST_PAGE = "pages/ingest.py"


def read_only_mode() -> bool:
    """``KG_DASHBOARD_READ_ONLY=1`` turns the Ingest page off (a shared, view-only dashboard)."""
    return os.environ.get("KG_DASHBOARD_READ_ONLY", "") in ("1", "true", "yes")


def sidebar_status() -> None:
    with st.sidebar:
        st.caption("Store")
        st.code(data.location(), language=None, wrap_lines=True)
        try:
            c = data.counts()
        except KGError as exc:
            st.error(str(exc))
            return
        if c:
            st.caption(f"{c['articles']} articles · {c['entities']} entities · {c['claims']} claims · "
                       f"{c['stances']} stances · {c['triples']} triples")
        if st.button("Reload", help="Reopen the store and forget cached results", key="reload_store"):
            data.clear_caches()
            st.rerun()


def empty_state(reason: str = "") -> None:
    loc = data.location()
    st.info(f"{reason or 'The store is empty.'}\n\nTo build the graph, ingest some articles, e.g. the samples:\n\n"
            f"`python -m kg ingest examples/articles --store {loc}`\n\n"
            "or upload .txt, .html, .json or .jsonl files on the **Ingest** page.", icon=":material/inbox:")
    if not read_only_mode():
        try:
            st.page_link(INGEST_PAGE, label="Go to Ingest", icon=":material/upload_file:")
        except Exception:  # the page is not registered (e.g. a page run on its own)
            pass


def require_data() -> dict[str, int]:
    """The store's counts; stops the page with the empty state when there is nothing to show."""
    try:
        if data.store() is None:
            empty_state(f"No store at `{data.location()}` yet.")
            st.stop()
        counts = data.counts()
    except KGError as exc:
        st.error(f"Cannot read the store: {exc}")
        st.stop()
    if not counts.get("articles"):
        empty_state()
        st.stop()
    return counts


def stop_with_error(exc: Exception) -> None:
    st.error(str(exc))
    st.stop()
