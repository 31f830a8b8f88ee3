"""The one place IRIs are minted: uuid5 over a normalised, separator-joined key."""
from __future__ import annotations

import re
import unicodedata
import uuid

from .config import BASE

_NS = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


def normalise(text: str) -> str:
    """Lower-case, NFKC, straight quotes, single spaces, no leading 'the '."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s.-]", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")
    return re.sub(r"^the ", "", text)


def mint(kind: str, *parts: str) -> str:
    """IRI string ``BASE id/<kind>/<uuid5(kind|part|…)>``; same parts give the same IRI."""
    key = "|".join([kind, *parts])
    return f"{BASE}id/{kind}/{uuid.uuid5(_NS, key)}"


def article_iri(article_id: str) -> str:
    return mint("article", article_id)


def article_graph_iri(article_id: str) -> str:
    return mint("graph", article_id)


def entity_iri(entity_type: str, name: str) -> str:
    return mint("entity", entity_type, normalise(name))


def claim_iri(signature: str) -> str:
    return mint("claim", signature)


def stance_iri(article_id: str, key: str) -> str:
    return mint("stance", article_id, key)


def span_iri(stance: str, role: str) -> str:
    return f"{stance}/{role}"
