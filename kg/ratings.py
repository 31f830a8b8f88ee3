"""The verdict scale: a fact-checker's own rating placed on six verdicts (True … False,
Unverifiable), by its label or else by its numbers. The table is data: kg/data/rating_labels.json.

>>> verdict_of("Pants on Fire!")
'False'
>>> verdict_of(None, 2, best=5, worst=1)
'MostlyFalse'
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .records import VERDICTS

TABLE = Path(__file__).with_name("data") / "rating_labels.json"
DEFAULT_BEST, DEFAULT_WORST = 5, 1          # schema.org's defaults for bestRating / worstRating
_FIRST_PHRASE = re.compile(r"^(.+?)\s*(?:[.:;,!(]|\s[-\u2013\u2014]\s)")


class RatingProblem(ValueError):
    """A rating that cannot be placed on the scale; the message says why."""


@lru_cache(maxsize=1)
def table() -> dict:
    """The mapping table as loaded (``scale``, ``numeric``, ``labels``)."""
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    labels = {}
    for verdict, names in data["labels"].items():
        if verdict not in VERDICTS:
            raise ValueError(f"{TABLE}: unknown verdict {verdict!r} (expected one of {', '.join(VERDICTS)})")
        labels.update({normalise_label(n): verdict for n in names})
    return {**data, "index": labels}


def normalise_label(label: str) -> str:
    """Lower case, NFKC, hyphens as spaces, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKC", label).lower().replace("\u2019", "'")
    text = re.sub(r"[-_/]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def label_verdict(label: str) -> str | None:
    """The verdict a label names (whole label, else its first phrase), or None."""
    index = table()["index"]
    found = index.get(normalise_label(label))
    if found is None:
        m = _FIRST_PHRASE.match(label.strip())
        if m:
            found = index.get(normalise_label(m.group(1)))
    return found


def number(value, field: str) -> float | None:
    """A rating number given as a JSON number or numeric text; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RatingProblem(f"{field} must be a number, not {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise RatingProblem(f"{field} {value!r} is not a number") from None


def numeric_verdict(value, best=None, worst=None) -> str:
    """The verdict of ``value`` on the scale worst..best (schema.org defaults 1..5)."""
    v = number(value, "ratingValue")
    hi, lo = number(best, "bestRating"), number(worst, "worstRating")
    hi = DEFAULT_BEST if hi is None else hi
    lo = DEFAULT_WORST if lo is None else lo
    if v is None:
        raise RatingProblem("no ratingValue")
    if hi == lo:
        raise RatingProblem(f"bestRating and worstRating are both {hi:g}")
    fraction = (v - lo) / (hi - lo)
    if not 0 <= fraction <= 1:
        raise RatingProblem(f"ratingValue {v:g} is outside worstRating {lo:g} .. bestRating {hi:g}")
    for step in table()["numeric"]:
        if fraction >= step["min"]:
            return step["verdict"]
    return table()["numeric"][-1]["verdict"]


def verdict_of(label: str | None, value=None, *, best=None, worst=None) -> str:
    """The verdict of a rating: by its label when the table knows it, else by its numbers.

    Raises RatingProblem when neither places it (unknown label without numbers, numbers out
    of range)."""
    if label:
        found = label_verdict(label)
        if found is not None:
            return found
    if value is None or value == "":
        if label:
            raise RatingProblem(f"unknown rating label {label!r} and no ratingValue to place it by "
                                f"(known labels: kg/data/rating_labels.json)")
        raise RatingProblem("rating has neither a label (alternateName) nor a ratingValue")
    try:
        return numeric_verdict(value, best, worst)
    except RatingProblem as exc:
        if label:
            raise RatingProblem(f"unknown rating label {label!r}, and {exc}") from None
        raise


def scale() -> list[dict]:
    """The six verdicts in order: ``verdict``, ``label``, ``definition``."""
    return list(table()["scale"])


def verdict_label(verdict: str) -> str:
    """"MostlyFalse" -> "mostly false"."""
    return next((s["label"] for s in table()["scale"] if s["verdict"] == verdict), verdict)
