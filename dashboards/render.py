"""HTML for evidence: article text is untrusted, so every piece is escaped before any tag is added.

Streamlit pages show these with ``st.html`` (sanitised by DOMPurify as a second line of defence).
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping

from kg.viz import highlight_html

STANCE_COLOURS = {"Asserts": "#2ca02c", "Confirms": "#1b7a1b", "Denies": "#d62728",
                  "Disputes": "#b5541b", "Questions": "#6f6f6f"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def as_int(v) -> int | None:
    """An offset from a query row or a DataFrame cell (NaN and None -> None)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v == v:
        return int(v)
    return None


def md_escape(text: str) -> str:
    """Text safe inside a Streamlit label that renders Markdown (expanders, buttons)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def locate(body: str, start, end, exact: str | None) -> tuple[int, int] | None:
    """Where a span is in ``body``: its offsets if they match ``exact``, else the first match."""
    s, e = as_int(start), as_int(end)
    if s is not None and e is not None and 0 <= s < e <= len(body) and (not exact or body[s:e] == exact):
        return s, e
    if exact:
        i = body.find(exact)
        if i >= 0:
            return i, i + len(exact)
    return None


def evidence_html(body: str, row: Mapping, *, whole: bool = False) -> str:
    """The stance's sentence marked (``<mark>``) inside the article text, its cue in bold.

    Without ``whole``, only the paragraph(s) around the sentence are shown.
    """
    body = body or ""
    sent = locate(body, row.get("sentenceStart"), row.get("sentenceEnd"), row.get("sentence"))
    if sent is None:        # offsets and text disagree with the body: show the stored sentence alone
        text = row.get("sentence") or row.get("content") or ""
        return f'<div class="fck-evidence">{highlight_html(text, [(0, len(text), "mark")])}</div>'
    sent = _trim(body, *sent)
    spans = [(sent[0], sent[1], "mark")]
    cue = locate(body, row.get("cueStart"), row.get("cueEnd"), row.get("cue"))
    if cue is not None:
        spans.append((cue[0], cue[1], "b"))
    lo, hi = (0, len(body)) if whole else _paragraph(body, *sent)
    shifted = [(s - lo, e - lo, t) for s, e, t in spans]
    pre = "… " if lo > 0 else ""
    post = " …" if hi < len(body) else ""
    return (f'<div class="fck-evidence" style="line-height:1.5">{pre}{highlight_html(body[lo:hi], shifted)}'
            f"{post}</div>")


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace (paragraph breaks) at its edges."""
    while end > start and body[end - 1].isspace():
        end -= 1
    while start < end and body[start].isspace():
        start += 1
    return start, end


def _paragraph(body: str, start: int, end: int) -> tuple[int, int]:
    lo = body.rfind("\n\n", 0, start)
    hi = body.find("\n\n", end)
    return (0 if lo < 0 else lo + 2), (len(body) if hi < 0 else hi)


def stance_line_html(row: Mapping) -> str:
    """"<b>Holder</b> denies · outlet, date · headline" for one stance row."""
    kind = row.get("stanceType") or ""
    colour = STANCE_COLOURS.get(kind, "#444")
    when = f", {html.escape(str(row['date']))}" if row.get("date") else ""
    return (f"<div><b>{html.escape(row.get('holderName') or 'unknown holder')}</b> "
            f'<span style="color:{colour};font-weight:600">{html.escape(kind.lower())}</span> · '
            f"{html.escape(row.get('outlet') or '')}{when} · <i>{html.escape(row.get('headline') or '')}</i></div>")


def heading_html(text: str, note: str = "", *, colour: str = "#4e79a7", quote: bool = False) -> str:
    """A large, escaped heading for untrusted text (a claim or an entity's name)."""
    body = f"“{html.escape(text or '')}”" if quote else html.escape(text or "")
    extra = f'<div style="color:#666">{html.escape(note)}</div>' if note else ""
    return (f'<div style="font-size:1.25rem;font-weight:600;border-left:4px solid {colour};'
            f'padding-left:.6rem">{body}</div>{extra}')


def claim_html(text: str, note: str = "") -> str:
    return heading_html(text, note, colour="#edc948", quote=True)


def names_html(names: list[str], empty: str = "nobody") -> str:
    if not names:
        return f'<div style="color:#888">{html.escape(empty)}</div>'
    return "<ul style='margin:0;padding-left:1.2rem'>" + "".join(f"<li>{html.escape(n)}</li>" for n in names) + "</ul>"
