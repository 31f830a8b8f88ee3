"""Helpers of the browser tests: where chromium is, request recording, the kg command line, the
dashboard server. Fixtures built on them are in ``conftest.py``."""
from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
INERT_SCHEMES = ("data", "blob", "about")     # need no network: allowed anywhere
HEALTH_TIMEOUT = 60.0                         # seconds for the dashboard server to answer
UI_TIMEOUT = 60_000                           # ms for a page element to appear (slow machines)


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} is missing (apt-get install chromium); these tests never download a browser"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing (pip install -r requirements.txt)"
    return None


# -- requests ---------------------------------------------------------------------------------
def is_inert(url: str) -> bool:
    return urlsplit(url).scheme in INERT_SCHEMES


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine's loopback (or need no network at all)."""
    parts = urlsplit(url)
    if parts.scheme in INERT_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS


@dataclass
class Recorder:
    """Every request (and WebSocket) of a browser context, in order."""

    urls: list[str] = field(default_factory=list)

    def mark(self) -> int:
        return len(self.urls)

    def since(self, mark: int) -> list[str]:
        return self.urls[mark:]


def recording(context, allowed: Callable[[str], bool]) -> Recorder:
    """Record every request and WebSocket of ``context``; abort (still recorded) the requests
    ``allowed`` refuses, so that a test never reaches the internet even when a page tries to."""
    rec = Recorder()
    context.on("request", lambda r: rec.urls.append(r.url))
    context.on("page", lambda p: p.on("websocket", lambda ws: rec.urls.append(ws.url)))
    context.route(lambda url: not allowed(url), lambda route: route.abort("blockedbyclient"))
    return rec


def screenshot(page, path: Path) -> Path:
    """A full-page PNG of ``page`` at ``path``, checked non-empty."""
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert len(data) > 1000 and data.startswith(b"\x89PNG\r\n\x1a\n"), f"empty screenshot {path}"
    return path


# -- kg and the dashboard -----------------------------------------------------------------------
def run_kg(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """``python -m kg ARGS`` in the repository, checked; its output goes into the failure message."""
    proc = subprocess.run([sys.executable, "-m", "kg", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"kg {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Dashboard:
    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:] if self.log.exists() else ""

    def wait_healthy(self, timeout: float = HEALTH_TIMEOUT) -> str | None:
        """None once ``/_stcore/health`` answers, else why not (the process died, or the timeout)."""
        deadline, last = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"the dashboard exited with {self.process.returncode}:\n{self.log_tail()}"
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=3) as r:
                    if r.status == 200:
                        return None
            except OSError as exc:
                last = exc
            time.sleep(0.25)
        return f"no answer from {self.url}/_stcore/health in {timeout:.0f}s ({last}):\n{self.log_tail()}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start_dashboard(store: Path, log: Path) -> Dashboard:
    """``streamlit run dashboards/app.py`` on a free port of 127.0.0.1, started as ``kg dashboard`` does."""
    from dashboards.launch import kg_dashboard_command, kg_dashboard_env

    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(kg_dashboard_command(store, port), env=kg_dashboard_env(store), cwd=REPO,
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    return Dashboard(f"http://127.0.0.1:{port}", proc, log)


def running_dashboard(store: Path, log: Path) -> Iterator[Dashboard]:
    """Body of a dashboard fixture: start it, fail the test when it never answers, stop it after."""
    import pytest

    dash = start_dashboard(store, log)
    try:
        problem = dash.wait_healthy()
        if problem:
            pytest.fail(problem, pytrace=False)
        yield dash
    finally:
        dash.stop()
