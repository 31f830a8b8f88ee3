"""Export: the store to RDF files (every rdflib/Oxigraph format we support)."""
from __future__ import annotations

from pathlib import Path

from .errors import ExportError
from .store import Store

RDF_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml")


def export(store: Store, fmt: str, output: str | Path) -> int:
    """Write the graph in ``fmt`` to ``output``; returns the number of quads in the store."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(RDF_FORMATS)}")
    out = Path(output)
    if out.parent and not out.parent.exists():
        raise ExportError(f"cannot write {out}: folder {out.parent} does not exist")
    with open(out, "wb") as fh:
        store.dump(fh, fmt)
    return len(store)
