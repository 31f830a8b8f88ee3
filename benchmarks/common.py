"""Shared helpers: the report (every figure printed with its target), timers, memory, machine."""
from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    section: str
    name: str
    value: float | int | str
    unit: str = ""
    target: str = ""
    met: bool | None = None      # None: no target (context figure)
    note: str = ""


FAILED = "failed"   # the value of a figure whose measurement failed


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    out: object = None

    def say(self, text: str = "") -> None:
        self.lines.append(text)
        print(text, flush=True)

    def section(self, title: str) -> None:
        self.say("")
        self.say(f"== {title}")

    def add(self, section: str, name: str, value, unit: str = "", *, target: str = "", met: bool | None = None,
            note: str = "") -> Figure:
        fig = Figure(section, name, value, unit, target, met, note)
        self.figures.append(fig)
        shown = fmt(value)
        status = "" if met is None else ("  [met]" if met else "  [MISSED]")
        tgt = f"  (target: {target})" if target else ""
        extra = f"  -- {note}" if note else ""
        self.say(f"  {name:<52} {shown:>12} {unit:<10}{tgt}{status}{extra}")
        return fig

    def summary(self) -> None:
        targeted = [f for f in self.figures if f.met is not None]
        missed = [f for f in targeted if not f.met]
        # a measurement that failed (value "failed") leaves its target, if any, unmeasured
        failed = [f for f in self.figures if f.value == FAILED]
        self.section(f"Targets: {len(targeted) - len(missed)} met, {len(missed)} missed"
                     + (f"; {len(failed)} measurement(s) FAILED" if failed else ""))
        for f in missed:
            self.say(f"  MISSED  [{f.section}] {f.name}: {fmt(f.value)} {f.unit} (target: {f.target})")
        for f in failed:
            self.say(f"  FAILED  [{f.section}] {f.name}: {f.note}")

    def dump_json(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump([asdict(f) for f in self.figures], fh, indent=1, default=str)


def fmt(v) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) >= 1000):
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def timed(fn: Callable, *args, **kw) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t0, out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a small sample."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def median(values: list[float]) -> float:
    return statistics.median(values)


def repeat(fn: Callable, *, runs: int = 7, budget: float = 10.0, warmup: int = 1) -> list[float]:
    """Time ``fn`` up to ``runs`` times (after ``warmup``), stopping once ``budget`` s are spent.

    Each run's result is dropped after its clock stops, as :func:`timed` does: otherwise freeing
    it fell into the next run's time (11 ms for the 30k rows of ``analysis-stances`` at 1M), and
    the first run and the repeats measured different things."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < runs and (not times or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        del out
    return times


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """Peak RSS of this process since it started: VmHWM of /proc/self/status where there is
    one (the high-water mark of this program's memory, new at exec). ``ru_maxrss`` otherwise,
    which on Linux also counts the parent's RSS at the fork that started this process (a
    subprocess of a big benchmark process would report the parent's size)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return ru / 1024 if sys.platform != "darwin" else ru / 2**20


class PeakSampler:
    """Samples this process's RSS in a thread: ``with PeakSampler() as p: ...; p.peak`` (MB)."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0.0
        self.start = 0.0
        self._stop = threading.Event()

    def __enter__(self):
        self.start = self.peak = rss_mb()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, rss_mb())


def dir_size_mb(path: str) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total / 2**20


def machine() -> dict[str, str]:
    info = {"nproc": str(os.cpu_count()), "python": platform.python_version(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        info["cpu"] = platform.processor() or "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
        info["ram"] = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        info["ram"] = "?"
    from importlib.metadata import PackageNotFoundError, version

    for pkg in ("spacy", "pyoxigraph", "rdflib", "networkx", "streamlit", "pyvis"):
        try:
            info[pkg] = version(pkg)
        except PackageNotFoundError:
            info[pkg] = "-"
    from kg.config import model_name

    info["model"] = model_name()
    try:
        info["model_version"] = version(model_name())
    except PackageNotFoundError:
        info["model_version"] = "?"
    info["load_avg"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


def _spin(n: int) -> int:
    x = 0
    for i in range(n):
        x ^= i * i
    return x


def parallel_capacity(workers: int = 2, n: int = 3_000_000) -> float:
    """Speed-up of ``workers`` processes over one on the same pure-Python loop (fork): how
    much parallel CPU this machine gives right now (2 free cores: ~2; one core's worth: ~1)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        pool.map(_spin, [1000] * workers)                          # start the workers
        t0 = time.perf_counter()
        pool.map(_spin, [n])
        one = time.perf_counter() - t0
        t0 = time.perf_counter()
        pool.map(_spin, [n] * workers, chunksize=1)
        many = time.perf_counter() - t0
    return workers * one / many
