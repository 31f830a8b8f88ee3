"""Token lookup by character offset over a Doc's token columns (lists read once from
``Doc.to_array``), for the rules that work on token indices instead of spaCy Tokens."""
from __future__ import annotations

from bisect import bisect_right


def token_at(start: list[int], end: list[int], space: list[int], char: int) -> int:
    """The token whose text or trailing space holds character ``char``, or -1: ``start`` and
    ``end`` are the tokens' character offsets (in token order), ``space`` 1 where a space
    follows the token."""
    i = bisect_right(start, char) - 1
    return i if i >= 0 and char < end[i] + space[i] else -1


def expand_char_span(start: list[int], end: list[int], space: list[int], start_char: int,
                     end_char: int) -> tuple[int, int] | None:
    """Token range (first, stop) of ``doc.char_span(start_char, end_char, alignment_mode="expand")``,
    None where that is None: the tokens the characters touch, not counting a token whose
    trailing space is all the span has of it."""
    first = token_at(start, end, space, start_char)
    last = token_at(start, end, space, end_char - 1)
    if first < 0 or last < 0:
        return None
    if start_char == end[first]:
        first += 1
    return first, last + 1
