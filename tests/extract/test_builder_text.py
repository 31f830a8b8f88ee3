"""Cheap paths of the rule stage give what the slow ones give: the Doc's text taken from the
article body, and the phrase lists matched as one compiled alternation."""
from __future__ import annotations

import re

import pytest

from kg.extract import lexicon as lx
from kg.extract.builder import _doc_text


@pytest.mark.model
def test_doc_text_is_the_body_the_doc_was_parsed_from(nlp):
    body = "Ministry officials said  it was\n\nnot true. \u201cNo,\u201d she said. "
    doc = nlp(body)
    assert _doc_text(doc, body) is body
    assert _doc_text(doc, body) == doc.text


@pytest.mark.model
def test_doc_text_of_another_text_is_the_docs_own(nlp):
    doc = nlp("The ministry said it was not true.")
    for other in ("The ministry said it was not true!", "The ministry said it was not true. ", ""):
        assert _doc_text(doc, other) == doc.text
    assert _doc_text(nlp(""), "") == ""


PHRASES = [
    "they could not independently verify the claim", "NBC couldn\u2019t confirm it", "declined to comment",
    "did not immediately respond to a request", "No, that is not the case", "That's a lie", "nope",
    "a complete fabrication", "none of this is true", "it never happened", "Yes, that's correct",
    "he was not aware of any letter", "cast doubt on the figures", "the minister said the port reopened",
    "not the same as before", "he knows the case", "yesterday", "", "unable to verify", "there is no truth in it",
]


@pytest.mark.parametrize("patterns", ["QUESTION_PHRASES", "DISPUTE_PHRASES", "DENIAL_REPLIES", "CONFIRM_REPLIES"])
def test_matches_any_agrees_with_searching_one_pattern_at_a_time(patterns):
    plist = getattr(lx, patterns)
    got = [lx.matches_any(plist, p) for p in PHRASES]
    assert got == [any(re.search(pat, p.lower().replace("\u2019", "'")) for pat in plist) for p in PHRASES]
    assert any(got) and not all(got)     # the phrases exercise both outcomes


@pytest.mark.model
def test_every_line_break_starts_a_sentence(nlp):
    """Datelines, headlines and time stamps end at their line break, however the parser would
    have joined them; a line break inside a run of spaces counts too, a space alone does not."""
    text = ("HARBOR CITY (Sample Wire)\nMayor Gregor Albin said the bridge was safe\n\n"
            "Engineers disagreed  \n   with him on Monday. They said the cables were worn.")
    doc = nlp(text)
    starts = [t.text for t in doc if t.is_sent_start and not t.is_space]
    assert starts[:4] == ["HARBOR", "Mayor", "Engineers", "with"], starts
    assert "They" in starts
    assert not any(t.is_sent_start for t in doc if t.text in ("Albin", "bridge", "cables")), starts
