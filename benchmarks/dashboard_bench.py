"""(f) dashboard: server-side render time of each page (streamlit AppTest) on the 1M-triple
store, cold (empty result caches) and warm; the standalone pyvis page at the node cap."""
from __future__ import annotations

import os
import time
from pathlib import Path

from .common import FAILED, Report, timed

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
PAGES = ("overview", "graph", "claims", "entities", "analysis", "sparql", "export", "ingest")
SECTION = "dashboard"


def run(report: Report, location: str, *, timeout: float = 300.0) -> None:
    if not APP.is_file():
        report.say(f"  no dashboard at {APP}: skipped")
        return
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")     # no "missing ScriptRunContext" noise
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["KG_STORE"] = location
    os.environ.pop("KG_DASHBOARD_READ_ONLY", None)
    report.say("  each page: result caches cleared, then run (cold: its queries + render), then run again (warm)")
    for page in PAGES:
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=timeout)
        try:
            if page == "overview":
                cold, _ = timed(at.run)
            else:
                at.run()
                st.cache_data.clear()
                at.switch_page(f"pages/{page}.py")
                cold, _ = timed(at.run)
            warm, _ = timed(at.run)
        except Exception as exc:  # a page that times out or fails is reported, the rest go on
            report.add(SECTION, f"page {page} (cold)", FAILED, note=f"{type(exc).__name__}: {exc}"[:200])
            continue
        errors = [e.value for e in at.exception]
        report.add(SECTION, f"page {page}: render cold", cold, "s",
                   note=f"warm {warm:.2f} s" + (f"; ERROR {errors[0][:120]}" if errors else ""))
    from kg.store import open_store
    from kg.viz import store_html

    store = open_store(location, read_only=True)
    t0 = time.perf_counter()
    page = store_html(store)
    dt = time.perf_counter() - t0
    report.add(SECTION, "pyvis standalone page at the node cap (300)", len(page.encode("utf-8")) / 2**20, "MB",
               note=f"built in {dt:.1f} s (kg export --format html)")
