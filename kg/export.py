"""Export: the store to RDF files (every rdflib/Oxigraph format we support)."""
from __future__ import annotations

from pathlib import Path

from .errors import ExportError
from .store import Store

RDF_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml")


def check_target(output: str | Path) -> Path:
    """The export target as a Path; ExportError when its folder is missing or it is a folder."""
    out = Path(output)
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: folder {out.parent} does not exist")
    if out.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder, expected a file name")
    return out


def export(store: Store, fmt: str, output: str | Path) -> int:
    """Write the graph in ``fmt`` to ``output``; returns the number of quads in the store."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(RDF_FORMATS)}")
    out = check_target(output)
    with open(out, "wb") as fh:
        store.dump(fh, fmt)
    return len(store)
