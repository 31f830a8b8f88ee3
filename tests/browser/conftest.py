"""Fixtures of the browser tests: Debian's chromium driven by Playwright (never a downloaded
browser), the samples ingested once per module, the dashboard as a real server.

The tests skip when /usr/bin/chromium or the playwright package is missing, unless
``KG_REQUIRE_BROWSER=1``: then they fail, so a machine meant to run them cannot skip silently.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:   # browser_support sits beside this file (any --import-mode)
    sys.path.insert(0, str(HERE))

from browser_support import (CHROMIUM, CHROMIUM_ARGS, EXAMPLES, UI_TIMEOUT, Recorder, browser_missing,
                             is_local, recording, run_kg, running_dashboard)  # noqa: E402


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: drives /usr/bin/chromium with Playwright (skipped without "
                                       "it unless KG_REQUIRE_BROWSER=1)")


def pytest_collection_modifyitems(config, items) -> None:
    reason = browser_missing()
    for item in items:
        if HERE not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if reason and os.environ.get("KG_REQUIRE_BROWSER") != "1":
            item.add_marker(pytest.mark.skip(reason=f"browser tests: {reason} (KG_REQUIRE_BROWSER=1 to fail instead)"))


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = browser_missing()
    if reason:   # only reached with KG_REQUIRE_BROWSER=1 (the tests are skipped otherwise)
        pytest.fail(f"KG_REQUIRE_BROWSER=1 but {reason}", pytrace=False)


@pytest.fixture(scope="module")
def browser(browser_available) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=60_000)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory, browser_available) -> Path:
    """examples/articles ingested once per module by the command line (a subprocess: the writer
    has let go of the store before the dashboard opens it)."""
    store = tmp_path_factory.mktemp("browser") / "kg-store"
    out = run_kg("ingest", str(EXAMPLES), "--store", str(store), "--no-progress").stdout
    assert "ingested 8 articles" in out and "0 failures" in out, out
    return store


@pytest.fixture(scope="module")
def sample_stats(sample_store) -> dict[str, int]:
    """``kg stats`` of the sample store: what the Overview's metrics must show."""
    return json.loads(run_kg("stats", "--store", str(sample_store)).stdout)


@pytest.fixture(scope="module")
def dashboard(sample_store, tmp_path_factory) -> Iterator:
    """The dashboard on the sample store, on a free port of 127.0.0.1; stopped after the module."""
    yield from running_dashboard(sample_store, tmp_path_factory.mktemp("dashboard") / "streamlit.log")


@dataclass
class DashboardBrowser:
    """One browser context on the dashboard, recording every request and keeping them local."""

    url: str
    context: object
    requests: Recorder

    def open(self, path: str = "/"):
        page = self.context.new_page()
        page.set_default_timeout(UI_TIMEOUT)
        page.goto(self.url + path, wait_until="domcontentloaded")
        return page


@pytest.fixture(scope="module")
def dash_browser(browser, dashboard) -> Iterator[DashboardBrowser]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, service_workers="block")
    try:
        yield DashboardBrowser(dashboard.url, context, recording(context, is_local))
    finally:
        context.close()
