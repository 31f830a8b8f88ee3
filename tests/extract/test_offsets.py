"""Token lookup by character offset (kg/extract/offsets.py), used by the entity and claim
columns and by the judge's DocInfo: the same token ranges as spaCy's Doc.char_span("expand")."""
from __future__ import annotations

import spacy

from kg.extract.cuemodel import DocInfo
from kg.extract.entities import Columns


def test_char_spans_are_spacys_for_every_offset_pair():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")   # (DocInfo reads sentence boundaries)
    text = "The harbour  master said:\n\n\u201cThe barges sail on Monday,\u201d she added.  "
    doc = nlp(text)
    cols, info = Columns(doc, text), DocInfo(doc, text)
    checked = 0
    for s in range(len(text) + 1):
        for e in range(s + 1, len(text) + 2):
            span = doc.char_span(s, e, alignment_mode="expand")
            want = (span.start, span.end) if span is not None else None
            assert info.char_span(s, e) == want, (s, e)
            assert cols.token_range(s, e) == (range(*want) if want is not None else range(0)), (s, e)
            checked += 1
    assert checked > 2000
