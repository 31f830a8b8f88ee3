"""Command line for the dashboard, for ``python -m kg dashboard`` to run.

>>> argv = kg_dashboard_command("/data/kg-store", 8501)
>>> argv[1:4], argv[5:9], argv[-3:]
(['-m', 'streamlit', 'run'], ['--server.address', '127.0.0.1', '--server.port', '8501'], ['--', '--store', '/data/kg-store'])
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")
ROOT = APP.parents[1]


def kg_dashboard_command(store: str | os.PathLike | None, port: int = 8501) -> list[str]:
    """argv of ``streamlit run dashboards/app.py`` bound to 127.0.0.1 on ``port``.

    The store (made absolute; ``$KG_STORE`` or ./kg-store when None) goes after ``--``: app.py
    sets ``KG_STORE`` from it, so the argv works in any environment; :func:`kg_dashboard_env`
    sets it in the environment too. The privacy settings of ``.streamlit/config.toml`` are
    repeated as flags, so they hold whatever the working directory.
    """
    if not 0 < int(port) < 65536:
        raise ValueError(f"port must be between 1 and 65535, not {port!r}")
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.address", "127.0.0.1", "--server.port", str(int(port)),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--", "--store", _absolute(store)]


def _absolute(store: str | os.PathLike | None) -> str:
    from kg.config import store_location

    loc = store_location(str(store) if store is not None else None)
    return loc if "://" in loc else str(Path(loc).expanduser().resolve())


def kg_dashboard_env(store: str | os.PathLike | None, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the command: ``KG_STORE`` made absolute (``$KG_STORE`` or ./kg-store if None)."""
    env = dict(os.environ if base is None else base)
    env["KG_STORE"] = _absolute(store)
    return env


def run_dashboard(store: str | os.PathLike | None, port: int = 8501) -> int:
    """Run the dashboard in the foreground until Ctrl-C; returns streamlit's exit code."""
    try:
        return subprocess.call(kg_dashboard_command(store, port), env=kg_dashboard_env(store), cwd=ROOT)
    except KeyboardInterrupt:
        return 0
