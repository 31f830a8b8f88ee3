"""The KGError tree: one subclass per stage. Messages name the bad value and what was expected."""
from __future__ import annotations


class KGError(Exception):
    """Base of every error factcheck-kg raises on purpose."""


class SourceError(KGError):
    """An input file or record could not be read as an article."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ExtractError(KGError):
    """The extraction stage failed on an article."""


class StoreError(KGError):
    """The store could not be opened, read or written."""


class QueryError(KGError):
    """A SPARQL query was refused or failed."""


class ExportError(KGError):
    """An export format or target is invalid."""


class ValidationError(KGError):
    """SHACL validation could not run."""
