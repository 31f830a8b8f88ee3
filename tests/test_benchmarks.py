"""The benchmark scripts still run against the code they measure (no timings asserted here:
`make bench` prints them). A figure that could not be measured is reported as FAILED."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import FAILED, Report

ROOT = Path(__file__).resolve().parents[1]


def test_memory_child_ingests_and_reports_both_peaks():
    """(g) runs `python -m benchmarks.memchild N` per corpus size; it wraps ingest's summary
    refresh to split the peaks, so it breaks when that function changes."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.memchild", "4"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["articles"] == 4 and r["failures"] == 0 and r["quads"] > 0
    assert r["peak_during_ingest_mb"] > 0 and r["peak_during_refresh_mb"] > 0


def test_a_failed_measurement_is_listed_in_the_summary(capsys):
    report = Report()
    report.add("s", "query p50", 0.05, "s", target="<= 0.1 s", met=True)
    report.add("s", "ingest 1,000 articles", FAILED, note="exit 1")
    report.summary()
    out = capsys.readouterr().out
    assert "1 met, 0 missed; 1 measurement(s) FAILED" in out
    assert "FAILED  [s] ingest 1,000 articles: exit 1" in out


def test_a_child_process_reports_its_own_peak_not_its_parents():
    """ru_maxrss of a process started by fork + exec starts at the parent's RSS on Linux: the
    memory child, started by a benchmark process holding a 1M-quad store, reported that."""
    big = bytearray(400 * 2**20)
    big[:: 4096] = b"\x01" * len(range(0, len(big), 4096))      # touch every page: resident
    out = subprocess.run([sys.executable, "-c", "from benchmarks.common import peak_rss_mb; print(peak_rss_mb())"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert 0 < float(out.stdout) < 200, out.stdout
    del big
