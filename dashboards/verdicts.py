"""HTML for fact-checkers' verdicts (ClaimReview) on the Claims page.

Everything in a review is untrusted (publisher, label, title, URL): each piece is escaped, and a
link is made only of an http(s) URL, opened in a new tab without referrer or opener.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from kg.ratings import verdict_label

VERDICT_COLOURS = {"True": "#1b7a1b", "MostlyTrue": "#5a9e2f", "Mixed": "#b58a00",
                   "MostlyFalse": "#c0561b", "False": "#b3261e", "Unverifiable": "#6f6f6f"}
_HTTP = re.compile(r"^https?://[^\s\"'<>]+$", re.I)


def _present(v) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and str(v) != ""


def _link(url, text: str) -> str:
    """An escaped link for an http(s) URL, else the escaped text alone."""
    if _present(url) and _HTTP.match(str(url)):
        return (f'<a href="{html.escape(str(url), quote=True)}" target="_blank" '
                f'rel="noopener noreferrer nofollow">{html.escape(text)}</a>')
    return html.escape(text)


def _numbers(r: Mapping) -> str:
    value, best, worst = (r.get(k) for k in ("value", "best", "worst"))
    if not _present(value):
        return ""
    scale = f" on {worst:g}–{best:g}" if all(isinstance(x, (int, float)) for x in (value, best, worst)) \
        and _present(best) and _present(worst) else ""
    shown = f"{value:g}" if isinstance(value, (int, float)) else str(value)
    return f" ({html.escape(shown + scale)})"


def verdict_html(r: Mapping) -> str:
    """One review: verdict badge · publisher rated it “label” (numbers) · date · title (link) · claimant."""
    verdict = r.get("verdict") if _present(r.get("verdict")) else "Unverifiable"
    colour = VERDICT_COLOURS.get(verdict, "#444")
    publisher = str(r["authorName"]) if _present(r.get("authorName")) else "a fact-checker"
    label = f" “{html.escape(str(r['label']))}”" if _present(r.get("label")) else ""
    when = f" · {html.escape(str(r['date']))}" if _present(r.get("date")) else ""
    title = str(r["title"]) if _present(r.get("title")) else ("the review" if _present(r.get("url")) else "")
    link = f" · {_link(r.get('url'), title)}" if title else ""
    notes = [f"claim by {html.escape(str(r['claimantName']))}"] if _present(r.get("claimantName")) else []
    notes += [w] if (w := _wording(r)) else []
    by = f'<div style="color:#666">{" · ".join(notes)}</div>' if notes else ""
    return (f'<div class="fck-verdict" style="margin:.35rem 0">'
            f'<span style="background:{colour};color:#fff;border-radius:.3rem;padding:.05rem .45rem;'
            f'font-weight:600">{html.escape(verdict_label(verdict))}</span> '
            f"<b>{html.escape(publisher)}</b> rated it{label}{_numbers(r)}{when}{link}{by}</div>")


def _wording(r: Mapping) -> str:
    """"reviewed as “…”" when the fact-checker's wording differs from the claim's text."""
    reviewed, text = r.get("claimReviewed"), r.get("claimText")
    if _present(reviewed) and str(reviewed).strip() != str(text or "").strip():
        return f"reviewed as “{html.escape(str(reviewed))}”"
    return ""


def verdicts_html(rows: Iterable[Mapping]) -> str:
    return "".join(verdict_html(r) for r in rows)
