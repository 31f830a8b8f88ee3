"""The one place IRIs are minted: uuid5 over a normalised, separator-joined key."""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import uuid

from .config import BASE

_NS = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
_NS_BYTES = _NS.bytes

_POSSESSIVE = re.compile(r"'s\b")
_NOT_WORD = re.compile(r"[^\w\s.-]")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 12)
def normalise(text: str) -> str:
    """Lower-case, NFKC, straight quotes, single spaces, no leading 'the '.

    Memoised: resolving and building one article normalise each claim text and entity name
    three or four times (and the same names recur from article to article), at ~10 µs a call.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _POSSESSIVE.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip(" .-")
    return text[4:] if text.startswith("the ") else text


def mint(kind: str, *parts: str) -> str:
    """IRI string ``BASE id/<kind>/<uuid5(kind|part|…)>``; same parts give the same IRI."""
    key = "|".join([kind, *parts])
    return f"{BASE}id/{kind}/{_uuid5(key)}"


def _uuid5(name: str) -> str:
    """``str(uuid.uuid5(_NS, name))`` without the UUID object: the same SHA-1 with the version
    (5) and variant (RFC 4122) bits set, formatted as 8-4-4-4-12 hex digits. A UUID object
    converts the digest to an int and back to hex, most of minting's cost."""
    b = bytearray(hashlib.sha1(_NS_BYTES + name.encode("utf-8")).digest()[:16])
    b[6] = (b[6] & 0x0F) | 0x50
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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
