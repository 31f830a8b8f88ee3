"""spaCy components of factcheck-kg, registered once (importing this module registers them)."""
from __future__ import annotations

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .attributions import AttributionFinder

if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)


@Language.factory("fck_attributions")
def make_attribution_finder(nlp: Language, name: str):
    return AttributionTagger()


@Language.component("fck_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and time stamps of live blogs
    stay out of the next sentence (the parser keeps boundaries set before it).

    spaCy puts every line break in a whitespace token of its own (a token's trailing
    whitespace is at most one space), so the token after each such token starts a sentence.
    Read as arrays: a Token object per word, and its setter's check over the whole Doc, cost
    more than the rest of this component by far."""
    flags = doc.to_array([IS_SPACE, ORTH])
    spaces = np.flatnonzero(flags[:-1, 0])        # (the last token starts nothing)
    strings = doc.vocab.strings
    after = [j + 1 for j in spaces.tolist() if "\n" in strings[int(flags[j, 1])]]
    if after:
        starts = doc.to_array(SENT_START)
        starts[after] = 1
        doc.from_array([SENT_START], starts)
    return doc


class AttributionTagger:
    """Finds attributions and stores them on ``doc._.attributions`` (only finds, never edits)."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = AttributionFinder(doc).find()
        return doc
