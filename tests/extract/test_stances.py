"""Stances from small hand-written sentences: one test per construction.

Every sentence here is invented; the people and organisations are fictional. Claim texts
are checked by substring where the exact wording would make the test brittle.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from kg.extract import extract
from kg.records import Article, Entity, Extraction, Stance

pytestmark = pytest.mark.model

DEPOT = "the council sold the old depot to a developer"
SAID_DEPOT = f"Sarah Whitfield said that {DEPOT}."


@dataclass(frozen=True)
class Seen:
    """One stance with its holder entity and claim text looked up."""

    holder: Entity
    type: str
    claim: str
    stance: Stance


def run(nlp, body: str, headline: str = "Council news") -> Extraction:
    return extract(Article(id="story/test.txt", headline=headline, body=body), nlp)


def seen(ex: Extraction) -> list[Seen]:
    ents = {e.key: e for e in ex.entities}
    claims = {c.key: c for c in ex.claims}
    return [Seen(ents[s.holder], s.stance_type, claims[s.claim].text, s) for s in ex.stances]


def describe(items: list[Seen]) -> str:
    return "; ".join(f"{s.holder.name} {s.type} {s.claim!r} (cue {s.stance.cue.text!r})" for s in items) or "no stances"


def one_by(nlp, body: str, holder: str, *, headline: str = "Council news") -> tuple[Seen, list[Seen]]:
    """The single stance whose holder is named ``holder`` (and all stances, for messages)."""
    items = seen(run(nlp, body, headline))
    mine = [s for s in items if s.holder.name == holder]
    assert len(mine) == 1, f"expected one stance held by {holder!r} in {body!r}; got {describe(items)}"
    return mine[0], items


def assert_depot_claim(s: Seen) -> None:
    text = s.claim.lower()
    assert DEPOT in text, f"claim {s.claim!r} should state {DEPOT!r}"
    assert not text.startswith(("that ", "whether ", "as ")), f"claim keeps its lead word: {s.claim!r}"
    assert len(s.claim.split()) <= len(DEPOT.split()) + 2, f"claim is not concise: {s.claim!r}"


# -- plain reporting ------------------------------------------------------------------------

def test_said_that_asserts_the_clause(nlp):
    s, _ = one_by(nlp, SAID_DEPOT, "Sarah Whitfield")
    assert s.type == "Asserts"
    assert s.holder.type == "Person"
    assert_depot_claim(s)


def test_quote_before_pronoun_speaker_asserts_for_the_person_named_before(nlp):
    body = ("Sarah Whitfield spoke to reporters on Tuesday. "
            "\u201cThe council sold the old depot to a developer,\u201d she said.")
    s, _ = one_by(nlp, body, "Sarah Whitfield")
    assert s.type == "Asserts"
    assert_depot_claim(s)
    assert s.stance.content.text.startswith("\u201c"), "the content span should be the quotation"


def test_quote_before_named_speaker_with_straight_quotes_asserts(nlp):
    body = '"The council sold the old depot to a developer," Sarah Whitfield said.'
    s, _ = one_by(nlp, body, "Sarah Whitfield")
    assert s.type == "Asserts"
    assert_depot_claim(s)


def test_quote_after_speaker_and_colon_asserts(nlp):
    body = ("Martin Fenwick spoke on Tuesday. "
            "He said: \u201cThe council sold the old depot to a developer.\u201d")
    s, _ = one_by(nlp, body, "Martin Fenwick")
    assert s.type == "Asserts"
    assert_depot_claim(s)


def test_according_to_asserts_for_the_named_source(nlp):
    body = f"According to Sarah Whitfield, {DEPOT}."
    items = seen(run(nlp, body))
    assert [s.holder.name for s in items] == ["Sarah Whitfield"], describe(items)
    assert items[0].type == "Asserts"
    assert_depot_claim(items[0])
    assert items[0].stance.cue.text.lower() == "according to"


def test_told_the_outlet_asserts_for_the_speaker_not_the_outlet(nlp):
    body = f"Sarah Whitfield told the Gazette that {DEPOT}."
    s, items = one_by(nlp, body, "Sarah Whitfield")
    assert s.type == "Asserts"
    assert_depot_claim(s)
    assert all(x.holder.name != "Gazette" for x in items), describe(items)


def test_quoted_by_outlet_as_saying_gives_the_speaker_not_the_outlet(nlp):
    body = f"Sarah Whitfield was quoted by Harbor Radio as saying that {DEPOT}."
    s, items = one_by(nlp, body, "Sarah Whitfield")
    assert s.type == "Asserts"
    assert all(x.holder.name != "Harbor Radio" for x in items), describe(items)
    assert_depot_claim(s)


def test_quoted_by_outlet_as_saying_a_quotation_gives_the_speaker(nlp):
    body = 'Sarah Whitfield was quoted by Harbor Radio as saying: "The council sold the old depot to a developer."'
    s, items = one_by(nlp, body, "Sarah Whitfield")
    assert s.type == "Asserts"
    assert all(x.holder.name != "Harbor Radio" for x in items), describe(items)
    assert_depot_claim(s)


def test_possessive_claim_noun_asserts_for_the_possessor(nlp):
    body = f"Martin Fenwick's claim that {DEPOT} surprised residents."
    s, _ = one_by(nlp, body, "Martin Fenwick")
    assert s.type == "Asserts"
    assert_depot_claim(s)
    assert s.stance.cue.text == "claim"


# -- cue verbs that say more than "said" ------------------------------------------------------

@pytest.mark.parametrize("verb, stance_type", [
    ("denied", "Denies"),
    ("confirmed", "Confirms"),
    ("disputed", "Disputes"),
])
def test_cue_verb_sets_stance_type(nlp, verb, stance_type):
    s, _ = one_by(nlp, f"Sarah Whitfield {verb} that {DEPOT}.", "Sarah Whitfield")
    assert s.type == stance_type
    assert s.stance.cue.text == verb
    assert_depot_claim(s)


def test_disputed_the_claim_that_disputes_the_clause(nlp):
    s, _ = one_by(nlp, f"Sarah Whitfield disputed the claim that {DEPOT}.", "Sarah Whitfield")
    assert s.type == "Disputes"
    assert_depot_claim(s)


def test_cast_doubt_on_the_claim_that_disputes(nlp):
    s, _ = one_by(nlp, f"Martin Fenwick cast doubt on the claim that {DEPOT}.", "Martin Fenwick")
    assert s.type == "Disputes"
    assert_depot_claim(s)


def test_cast_doubt_on_that_claim_disputes_the_previous_claim(nlp):
    body = f"{SAID_DEPOT} Martin Fenwick cast doubt on that claim."
    s, items = one_by(nlp, body, "Martin Fenwick")
    first = next(x for x in items if x.holder.name == "Sarah Whitfield")
    assert s.type == "Disputes"
    assert s.stance.claim == first.stance.claim


def test_did_not_confirm_is_not_a_confirmation(nlp):
    s, _ = one_by(nlp, f"Sarah Whitfield did not confirm that {DEPOT}.", "Sarah Whitfield")
    assert s.type != "Confirms"
    assert s.type == "Questions"
    assert_depot_claim(s)


def test_asked_whether_questions_the_clause(nlp):
    s, _ = one_by(nlp, f"Martin Fenwick asked whether {DEPOT}.", "Martin Fenwick")
    assert s.type == "Questions"
    assert_depot_claim(s)


# -- replies that do not restate the claim -----------------------------------------------------

def test_could_not_verify_this_questions_the_previous_sentences_claim(nlp):
    body = f"{SAID_DEPOT} Martin Fenwick could not independently verify this."
    s, items = one_by(nlp, body, "Martin Fenwick")
    first = next(x for x in items if x.holder.name == "Sarah Whitfield")
    assert s.type == "Questions"
    assert s.stance.claim == first.stance.claim
    assert "verify" in s.stance.cue.text


def test_declined_to_comment_questions_the_claim_under_discussion(nlp):
    body = f"{SAID_DEPOT} Martin Fenwick declined to comment."
    s, items = one_by(nlp, body, "Martin Fenwick")
    first = next(x for x in items if x.holder.name == "Sarah Whitfield")
    assert s.type == "Questions"
    assert s.stance.claim == first.stance.claim


def test_bare_not_true_reply_denies_the_claim_reported_before(nlp):
    body = f"{SAID_DEPOT} \u201cThat is simply not true,\u201d the mayor said."
    items = seen(run(nlp, body))
    first = next(x for x in items if x.holder.name == "Sarah Whitfield")
    reply = [x for x in items if "mayor" in x.holder.name.lower()]
    assert len(reply) == 1, describe(items)
    assert reply[0].type == "Denies"
    assert reply[0].stance.claim == first.stance.claim
    assert len(items) == 2, describe(items)   # "That is simply not true" is not a claim of its own


def test_dismissed_the_report_denies_the_claim_under_discussion(nlp):
    body = f"{SAID_DEPOT} Martin Fenwick dismissed the report."
    s, items = one_by(nlp, body, "Martin Fenwick")
    first = next(x for x in items if x.holder.name == "Sarah Whitfield")
    assert s.type == "Denies"
    assert s.stance.claim == first.stance.claim


def test_bare_reply_with_no_earlier_claim_attaches_to_the_headline_claim(nlp):
    ex = run(nlp, "\u201cThat is a lie,\u201d the mayor said.",
             headline="Whitfield says council sold the old depot to a developer")
    items = seen(ex)
    assert len(items) == 1, describe(items)
    assert items[0].type == "Denies"
    assert "sold the old depot" in items[0].claim


# -- negated contents: stored positively, stance flipped ---------------------------------------

def test_negated_content_denies_the_positive_claim(nlp):
    s, _ = one_by(nlp, "The Ministry of Rail Affairs said it did not receive the letter.",
                  "Ministry of Rail Affairs")
    assert s.type == "Denies"
    assert s.claim == "Ministry of Rail Affairs received the letter"


def test_negated_content_of_a_common_noun_holder_denies_received_the_letter(nlp):
    items = seen(run(nlp, "The ministry said it did not receive the letter."))
    assert len(items) == 1, describe(items)
    assert items[0].type == "Denies"
    assert "received the letter" in items[0].claim
    assert "not" not in items[0].claim.lower().split()


def test_negated_content_names_the_unnamed_holder_instead_of_it(nlp):
    items = seen(run(nlp, "The ministry said it did not receive the letter."))
    assert len(items) == 1, describe(items)
    assert items[0].claim.lower() == "the ministry received the letter"


def test_never_in_content_denies_the_positive_claim(nlp):
    s, _ = one_by(nlp, "Brackwell Systems said it never sold user data.", "Brackwell Systems")
    assert s.type == "Denies"
    assert s.claim.endswith("sold user data")
    assert "never" not in s.claim.lower()
    assert s.claim == "Brackwell Systems sold user data"


def test_the_firm_said_it_never_sold_user_data_is_a_denial(nlp):
    items = seen(run(nlp, "The firm said it never sold user data."))
    assert len(items) == 1, describe(items)
    assert items[0].type == "Denies"
    assert items[0].claim.endswith("sold user data")
    assert "never" not in items[0].claim.lower()


def test_negated_promise_is_not_flipped_into_a_denial(nlp):
    s, _ = one_by(nlp, "Martin Fenwick said that he would not resign.", "Martin Fenwick")
    assert s.type == "Asserts"
    assert "not" in s.claim.lower().split()


# -- holders ------------------------------------------------------------------------------------

def test_spokesperson_holds_the_stance_and_speaks_for_the_organisation(nlp):
    ex = run(nlp, "Harbor Authority spokeswoman Lena Ortiz said that the barges stayed outside the reserve.")
    items = seen(ex)
    assert [s.holder.name for s in items] == ["Lena Ortiz"], describe(items)
    holder = items[0].holder
    assert holder.type == "Person"
    orgs = {e.key: e for e in ex.entities if e.type == "Organization"}
    assert holder.affiliation in orgs, f"affiliation {holder.affiliation!r} is not an organisation of {orgs}"
    assert orgs[holder.affiliation].name == "Harbor Authority"
    assert "barges stayed outside the reserve" in items[0].claim


def test_pronoun_speaker_resolves_to_the_person_named_before(nlp):
    body = "Martin Fenwick met the inspectors on Monday. He said that the barges stayed outside the reserve."
    s, _ = one_by(nlp, body, "Martin Fenwick")
    assert s.stance.source.text == "He"
    assert s.type == "Asserts"


def test_surname_speaker_joins_the_full_name(nlp):
    body = "Sarah Whitfield and Martin Fenwick met on Monday. Fenwick said that the barges stayed outside the reserve."
    s, items = one_by(nlp, body, "Martin Fenwick")
    assert s.stance.source.text == "Fenwick"
    assert all(x.holder.name != "Fenwick" for x in items)


# -- evidence spans -----------------------------------------------------------------------------

SPAN_BODIES = [
    SAID_DEPOT,
    "Sarah Whitfield spoke to reporters on Tuesday. \u201cThe council sold the old depot to a developer,\u201d she said.",
    "Martin Fenwick spoke on Tuesday. He said: \u201cThe council sold the old depot to a developer.\u201d",
    f"According to Sarah Whitfield, {DEPOT}.",
    f"Sarah Whitfield told the Gazette that {DEPOT}.",
    f"Sarah Whitfield denied that {DEPOT}.",
    f"{SAID_DEPOT} Martin Fenwick could not independently verify this.",
    f"{SAID_DEPOT} \u201cThat is simply not true,\u201d the mayor said.",
    "The ministry said it did not receive the letter.",
    "Harbor Authority spokeswoman Lena Ortiz said that the barges stayed outside the reserve.",
    f"Martin Fenwick's claim that {DEPOT} surprised residents.",
    # leading blank line and a second paragraph: offsets must still index the body
    f"\nSarah Whitfield spoke on Tuesday.\n\n\u201cThe barges never left the port,\u201d she said. {SAID_DEPOT}",
]


@pytest.mark.parametrize("body", SPAN_BODIES, ids=range(len(SPAN_BODIES)))
def test_every_stance_span_is_the_body_slice(nlp, body):
    ex = run(nlp, body)
    assert ex.stances, f"no stance found in {body!r}"
    for st in ex.stances:
        for role in ("cue", "content", "source", "sentence"):
            span = getattr(st, role)
            if span is None:
                assert role == "sentence", f"stance {st.key} has no {role} span"
                continue
            assert 0 <= span.start < span.end <= len(body), (role, span)
            assert span.text == body[span.start:span.end], (role, span, body[span.start:span.end])
    for claim in ex.claims:
        assert claim.span.text == body[claim.span.start:claim.span.end]


@pytest.mark.parametrize("body, holder, claim", [
    ("Survival, Martin Fenwick says, depends on giving the ferry passengers what they want.", "Martin Fenwick",
     "Survival depends on giving the ferry passengers what they want"),
    ("The goal, Dana Reyes said, is to move the barges to the north quay before the storm.", "Dana Reyes",
     "The goal is to move the barges to the north quay before the storm"),
    ("The depot is closing for the winter, Dana Reyes said, the barges will be moved to the north quay.",
     "Dana Reyes", "The depot is closing for the winter, the barges will be moved to the north quay"),
])
def test_an_attribution_set_into_its_content_is_left_out_of_the_claim(nlp, body, holder, claim):
    """The stance keeps the whole span as evidence; the claim is the proposition without "X said"
    in it, and is not about the speaker."""
    s, items = one_by(nlp, body, holder)
    assert s.claim == claim, describe(items)
    assert holder in s.stance.content.text
    ex = run(nlp, body)
    (c,) = [c for c in ex.claims if c.key == s.stance.claim]
    assert s.stance.holder not in c.about


def test_a_content_opening_with_and_or_but_gives_the_proposition_without_it(nlp):
    body = ("\u201cThe depot is closing for the winter,\u201d Dana Reyes said, \u201cand the barges will be "
            "moved to the north quay.\u201d")
    claims = [s.claim for s in seen(run(nlp, body))]
    assert claims and not any(c.lower().startswith(("and ", "but ")) for c in claims), claims


def test_the_story_is_the_one_the_headline_reports_not_the_last_quotation(nlp):
    body = ("The ferry company sold the north quay to a developer last year, the council confirmed on Monday. "
            "Martin Fenwick said the sale had been rushed through in a week. "
            "Dana Reyes, the owner of the ferry company, denied the story.")
    items = seen(run(nlp, body, headline="Council confirms the ferry company sold the north quay"))
    reyes = [s for s in items if s.holder.name == "Dana Reyes"]
    assert reyes and all(s.type == "Denies" for s in reyes), describe(items)
    assert all("north quay" in s.claim and "rushed" not in s.claim for s in reyes), describe(items)


def test_a_remark_said_of_someone_puts_that_one_for_he_not_the_speaker(nlp):
    body = ("Martin Fenwick wrote a book about the harbour board. "
            "\u201cHe is a storyteller and he never checked the accounts,\u201d Dana Reyes said of Fenwick.")
    s, items = one_by(nlp, body, "Dana Reyes")
    assert s.claim.startswith("Martin Fenwick is a storyteller"), describe(items)
