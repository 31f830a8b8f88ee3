"""Export: the store to RDF files (every rdflib/Oxigraph format we support).

When the store holds active corrections (kg/curate.py) the export is the curated graph: what
a correction superseded is left out, its replacement and the curation graph (with provenance)
are in; without corrections the store is written as it is."""
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
    """Write the graph in ``fmt`` to ``output``; returns the number of quads in the store
    (``claimreview``: the fact-checkers' reviews as ClaimReview JSON-LD; returns how many)."""
    if fmt == "claimreview":
        from .claimreview import export_claimreviews

        return export_claimreviews(store, output)
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(RDF_FORMATS)}")
    out = check_target(output)
    from .curate import dump_effective, has_active

    curated = has_active(store)          # corrections apply (kg/curate.py); none: the store as is
    if not curated and isinstance(store, Store):
        store.dump(out, fmt)             # to the path: pyoxigraph writes the file without Python in between
        return len(store)
    with open(out, "wb") as fh:
        if curated:
            dump_effective(store, fh, fmt)
        else:
            store.dump(fh, fmt)
    return len(store)
