"""spaCy components of factcheck-kg, registered once (importing this module registers them)."""
from __future__ import annotations

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
    stay out of the next sentence (the parser keeps boundaries set before it)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text and prev.is_space or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


class AttributionTagger:
    """Finds attributions and stores them on ``doc._.attributions`` (only finds, never edits)."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = AttributionFinder(doc).find()
        return doc
