"""factcheck-kg: news articles -> an RDF knowledge graph of claims and stances, with evidence.

Importing kg loads no model and does no I/O; stages are opened on demand.
"""
from __future__ import annotations

from .errors import KGError
from .records import Article, Claim, Entity, Extraction, IngestReport, Span, Stance

__version__ = "0.1.0"
__all__ = ["KGError", "Article", "Claim", "Entity", "Extraction", "IngestReport", "Span", "Stance",
           "__version__"]
