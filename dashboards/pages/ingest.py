"""Ingest: upload article files and add them to the store (the one page that writes)."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards import data, render, ui, uploads
from kg.errors import KGError

st.title("Ingest")
if ui.read_only_mode():
    st.info("This dashboard is read-only (KG_DASHBOARD_READ_ONLY=1): uploads are turned off.")
    st.stop()
st.caption(f"Adds articles to the store at `{data.location()}`. Accepted: "
           f"{', '.join(uploads.ALLOWED)}; up to {uploads.MAX_FILE_MB} MB per file, {uploads.MAX_FILES} files at once. "
           "An article already in the store with the same content is skipped; a changed one is replaced.")

files = st.file_uploader("Article files", type=[e[1:] for e in uploads.ALLOWED], accept_multiple_files=True,
                         max_upload_size=uploads.MAX_FILE_MB, key="ingest_files")
if not files:
    st.stop()
if len(files) > uploads.MAX_FILES:
    st.error(f"{len(files)} files selected; ingest at most {uploads.MAX_FILES} at a time.")
    st.stop()
if not st.button(f"Ingest {len(files)} file{'s' if len(files) != 1 else ''}", type="primary",
                 icon=":material/upload:", key="ingest_run"):
    st.stop()

bar = st.progress(0.0, text="Loading the language model…")
nlp = data.nlp()


def progress(done: int, total: int, item: str) -> None:
    bar.progress(min(1.0, done / max(total, 1)), text=f"{done}/{total} files · {render.md_escape(item[:120])}")


with tempfile.TemporaryDirectory(prefix="kg-upload-") as tmp:
    saved, rejected = uploads.save(((f.name, f.getvalue()) for f in files), Path(tmp))
    try:
        with data.writable_store() as store:
            results = uploads.ingest_saved(saved, store, nlp, progress)
    except KGError as exc:
        bar.empty()
        st.error(f"Nothing was ingested: {exc}")
        st.stop()
bar.progress(1.0, text="Done")

results = results + rejected
table = pd.DataFrame([{"file": r.upload, "saved as": r.saved_as, "status": r.status, "articles": r.articles,
                       "unchanged": r.unchanged, "entities": r.entities, "claims": r.claims, "stances": r.stances,
                       "problem": "; ".join(r.errors)} for r in results])
new = sum(r.articles for r in results)
failed = [r for r in results if r.errors]
if new:
    st.success(f"Ingested {new} article{'s' if new != 1 else ''}: {sum(r.stances for r in results)} stances, "
               f"{sum(r.claims for r in results)} claims. The other pages now show the updated graph.")
elif not failed:
    st.info("Nothing new: every article was already in the store with the same content.")
if failed:
    st.error(f"{len(failed)} file{'s' if len(failed) != 1 else ''} had problems (see the table).")
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"problem": st.column_config.TextColumn(width="large")})
