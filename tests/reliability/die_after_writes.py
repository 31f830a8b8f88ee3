"""Run ``python -m kg`` with a fault injected: the process SIGKILLs itself right after its N-th
write call to the database (``update``, ``add``, ``extend``, ``load``, …).

Used by test_crash_safety: when each article is one write (one transaction), dying after any
write leaves whole articles only; an implementation that writes an article in several calls is
caught half-way, deterministically (a random SIGKILL from outside rarely lands inside a write).

    python tests/reliability/die_after_writes.py N ingest PATH --store S
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

WRITES = {"add", "add_graph", "bulk_extend", "bulk_load", "clear", "clear_graph", "extend", "load", "remove",
          "remove_graph", "update"}


class DyingStore:
    """Forwards everything to a pyoxigraph Store; counts write calls and dies after the last one."""

    def __init__(self, inner, budget: int):
        self._inner, self._left = inner, budget

    def __getattr__(self, name):
        attr = getattr(self._inner, name)
        if name not in WRITES:
            return attr

        def write(*args, **kwargs):
            result = attr(*args, **kwargs)
            self._left -= 1
            if self._left <= 0:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return write


def main() -> None:
    budget = int(sys.argv[1])
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import kg.store
    from kg.cli import main as kg_main

    original = kg.store.Store.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not kwargs.get("read_only"):
            self._store = DyingStore(self._store, budget)

    kg.store.Store.__init__ = init
    sys.exit(kg_main(sys.argv[2:]))


if __name__ == "__main__":
    main()
