"""Extraction stage: Article -> Extraction (entities, claims, stances with character spans).

spaCy objects never leave this package. ``load_pipeline`` opens the model named in the
settings and adds the ``fck_attributions`` component; ``extract`` and ``extract_many`` run it.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator

from ..records import Article, Claim, Entity, Extraction, Span, Stance
from . import lexicon as lx

log = logging.getLogger(__name__)


def load_pipeline(model: str | None = None):
    """Load the spaCy model (``KG_MODEL`` or the default) with our components added."""
    import spacy

    from ..config import model_name
    from ..errors import ExtractError
    from . import components  # noqa: F401  (registers the factories)

    name = model or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ExtractError(f"spaCy model {name!r} is not installed ({exc}); install it or set KG_MODEL") from exc
    if "fck_paragraphs" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("fck_paragraphs", before="parser")
    if "fck_attributions" not in nlp.pipe_names:
        nlp.add_pipe("fck_attributions", last=True)
    return nlp


def extract(article: Article, nlp) -> Extraction:
    """Extract entities, claims and stances from one article."""
    return _from_doc(article, nlp(article.body))


def extract_many(articles: Iterable[Article], nlp, *, batch_size: int = 16,
                 n_process: int = 1) -> Iterator[Extraction]:
    """Stream extractions; spaCy batches the texts (``n_process`` > 1 uses several cores)."""
    pairs = ((a.body, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process):
        yield _from_doc(article, doc)


def _from_doc(article: Article, doc) -> Extraction:
    from .builder import ArticleBuilder

    return ArticleBuilder(article, doc).run()


__all__ = ["load_pipeline", "extract", "extract_many", "Extraction", "Article", "Claim",
           "Entity", "Span", "Stance", "lx", "re"]
