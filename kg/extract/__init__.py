"""Extraction stage: Article -> Extraction (entities, claims, stances with character spans).

spaCy objects never leave this package. ``load_pipeline`` opens the model named in the
settings and adds the ``fck_attributions`` component; ``extract`` and ``extract_many`` run it.

``extract_many(..., n_process=N)`` with N > 1 runs spaCy *and* the rule stage
(:class:`~kg.extract.builder.ArticleBuilder`) in N worker processes and sends back only
:class:`~kg.records.Extraction` records (plain frozen dataclasses, picklable), in input order.
spaCy's own ``nlp.pipe(n_process=N)`` cannot be used: it ships Docs between processes, and
``doc._.attributions`` holds Tokens, which do not survive serialisation. Each worker gets the
articles in chunks of ``batch_size``, the same batches one process would parse, so the
records are the same whatever the number of workers.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

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
    """Stream extractions in input order; spaCy batches the texts. ``n_process`` > 1 runs
    the whole extraction in that many worker processes (see :func:`extract_parallel`)."""
    if n_process > 1:
        yield from extract_parallel(articles, workers=n_process, nlp=nlp, batch_size=batch_size)
        return
    pairs = ((a.body, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield _from_doc(article, doc)


def _from_doc(article: Article, doc) -> Extraction:
    """Run the rule stage; a crash on one article becomes a failed Extraction, so that the
    batch goes on and the caller can report the article by name."""
    from .builder import ArticleBuilder

    try:
        return ArticleBuilder(article, doc).run()
    except Exception as exc:  # noqa: BLE001 - any bug in the rules must not stop a batch
        log.exception("extraction failed on %s", article.id)
        return Extraction(article, failure=f"extraction failed: {type(exc).__name__}: {exc}")


# -- worker processes -------------------------------------------------------------------------
_INHERITED_NLP = None   # set in the parent just before forking: fork-started workers reuse it
_WORKER_NLP = None      # the pipeline of this worker process


def _start_method(requested: str | None) -> str:
    """``fork`` where the platform offers it (workers share the loaded model, no start-up cost),
    else ``spawn`` (each worker loads the model once); ``KG_MP_START`` overrides."""
    method = requested or os.environ.get("KG_MP_START") or ""
    available = mp.get_all_start_methods()
    if method in available:
        return method
    return "fork" if "fork" in available else "spawn"


def _init_worker(model: str | None, payload: bytes | None) -> None:
    global _WORKER_NLP
    if _INHERITED_NLP is not None:
        _WORKER_NLP = _INHERITED_NLP
    elif payload is not None:
        import pickle

        from . import components  # noqa: F401  (registers the factories before unpickling)

        _WORKER_NLP = pickle.loads(payload)
    else:
        _WORKER_NLP = load_pipeline(model)


def _extract_chunk(articles: list[Article], batch_size: int) -> list[Extraction]:
    return list(extract_many(articles, _WORKER_NLP, batch_size=batch_size))


def extract_parallel(articles: Iterable[Article], *, workers: int = 2, nlp=None, model: str | None = None,
                     batch_size: int = 16, start_method: str | None = None,
                     window: int | None = None) -> Iterator[Extraction]:
    """Extract in ``workers`` processes; yields the extractions in input order.

    Articles go out in chunks of ``batch_size``; at most ``window`` chunks (default
    2 × workers) are in flight, so memory stays flat however long the stream, and the input
    iterator is only ever advanced in the calling thread (it may read the store). With the
    ``fork`` start method the workers share ``nlp`` (when given); with ``spawn`` they get a
    pickled copy of it; without ``nlp`` each loads ``model`` (default: the configured one) once.
    Failures are what one process gives: an article the rules fail on comes back as a failed
    Extraction; any other exception in a worker is raised here.
    """
    global _INHERITED_NLP
    method = _start_method(start_method)
    window = window or 2 * workers
    it = iter(articles)
    ctx = mp.get_context(method)
    _INHERITED_NLP = nlp if method == "fork" else None
    payload = None
    if nlp is not None and method != "fork":
        import pickle

        payload = pickle.dumps(nlp)
    try:
        pool = ctx.Pool(workers, initializer=_init_worker, initargs=(model, payload))
    finally:
        _INHERITED_NLP = None
    with pool:
        pending: deque = deque()

        def submit() -> bool:
            chunk = list(islice(it, batch_size))
            if chunk:
                pending.append(pool.apply_async(_extract_chunk, (chunk, batch_size)))
            return bool(chunk)

        more = True
        while more and len(pending) < window:
            more = submit()
        while pending:
            done = pending.popleft().get()
            if more:
                more = submit()
            yield from done
        pool.close()
        pool.join()


__all__ = ["load_pipeline", "extract", "extract_many", "extract_parallel", "Extraction", "Article",
           "Claim", "Entity", "Span", "Stance", "lx", "re"]
