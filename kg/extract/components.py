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


class AttributionTagger:
    """Finds attributions and stores them on ``doc._.attributions`` (only finds, never edits)."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = AttributionFinder(doc).find()
        return doc
