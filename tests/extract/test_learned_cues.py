"""The learned judge of candidate attributions (kg/extract/cuemodel.py) and the constructions
added with it: content in the paragraph after "X said:", a question quoted before "X asked.",
"it" taking the nearer organisation, verbs outside the hand-made lexicon.

Sentences are invented; people and organisations are fictional.
"""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from kg.extract import cuemodel
from kg.extract.attributions import AttributionFinder

from .test_stances import describe, one_by, run, seen

ROOT = Path(__file__).resolve().parents[2]


def about_barges(nlp, body: str):
    """The stances whose claim is about the barges, and all stances (for messages)."""
    items = seen(run(nlp, body))
    return [s for s in items if "barges" in s.claim], items


def small_deep_model(features: list[str], E: list[list[float]]) -> cuemodel.CueModel:
    """A two-unit hidden layer (b1 = [0, 0.5], w2 = [2, 1]), wide weights a: 0.25 and z: -1, bias -1."""
    hidden = {"features": features, "E": cuemodel.pack(E), "b1": [0.0, 0.5], "w2": [2.0, 1.0]}
    return cuemodel.CueModel({"a": 0.25, "z": -1.0}, bias=-1.0, threshold=0.5, hidden=hidden)


def _trainer():
    spec = importlib.util.spec_from_file_location("train_cue_model", ROOT / "scripts" / "train_cue_model.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_probability_is_the_logistic_of_the_summed_weights():
    m = cuemodel.CueModel({"a": 1.5, "b": -0.5}, bias=0.25, threshold=0.6)
    assert m.probability(["a", "b", "unknown"]) == pytest.approx(1 / (1 + math.exp(-1.25)))
    assert m.accepts(["a"]) and not m.accepts(["b"])


def test_trainer_separates_what_the_features_separate():
    tr = _trainer()
    rows = [(["verb=say", "subj=person"], True), (["verb=sell", "subj=person"], False)] * 40
    w, b = tr.fit(rows, epochs=5)
    m = cuemodel.CueModel(w, b, 0.5)
    assert m.probability(["verb=say", "subj=person"]) > 0.8
    assert m.probability(["verb=sell", "subj=person"]) < 0.2
    threshold, f1 = tr.best_threshold([(m.probability(f), y) for f, y in rows], 40)
    assert f1 == pytest.approx(1.0) and 0.2 < threshold <= m.probability(["verb=say", "subj=person"])


def test_hidden_layer_adds_the_relu_of_the_summed_feature_vectors():
    m = small_deep_model(["a", "b"], [[1.0, -2.0], [0.5, 1.0]])
    # a and b: units 1.5 and -0.5 -> relu 1.5, 0 -> 3.0; wide 0.25; bias -1
    assert m.score(["a", "b"]) == pytest.approx(2.25)
    # a alone: units 1.0 and -1.5 -> 2.0; plus 0.25 - 1
    assert m.score(["a", "unknown"]) == pytest.approx(1.25)
    assert m.score([]) == pytest.approx(-1.0 + 0.5)


def test_batch_probabilities_equal_one_at_a_time():
    m = small_deep_model(["a", "b", "c"], [[1.0, -2.0], [0.5, 1.0], [-1.0, 0.25]])
    lists = [["a", "b"], [], ["z"], ["unknown"], ["c", "a", "b"], ["b"]]
    assert m.probabilities(lists) == pytest.approx([m.probability(f) for f in lists])
    assert m.probabilities([]) == []


def test_deep_trainer_learns_a_combination_the_logistic_model_cannot():
    tr = _trainer()
    # said with a clause or want with an object: yes; said with an object or want with a clause: no
    rows = [(["L=say", "K=clause"], True), (["L=want", "K=object"], True),
            (["L=say", "K=object"], False), (["L=want", "K=clause"], False)] * 60
    w, b, layer = tr.fit_deep(rows, hidden=8, epochs=40, rate=0.05, seed=3)
    deep = cuemodel.CueModel(w, b, 0.5, {**layer, "E": cuemodel.pack(layer["E"])})
    assert all(deep.accepts(f) == y for f, y in rows[:4])
    lw, lb = tr.fit(rows, epochs=20)
    flat = cuemodel.CueModel(lw, lb, 0.5)
    assert not all(flat.accepts(f) == y for f, y in rows[:4])


def test_merged_models_average_their_logits():
    tr = _trainer()
    rows = [(["x", "y"], True), (["x"], False), (["y"], True)] * 20
    parts = [tr.fit_deep(rows, hidden=4, epochs=3, seed=s) for s in (1, 2)]
    merged = cuemodel.CueModel(*tr.merge(parts)[:2], 0.5, tr.merge(parts)[2])
    singles = [cuemodel.CueModel(w, b, 0.5, lay) for w, b, lay in parts]
    for feats in (["x", "y"], ["x"], ["y"], []):
        assert merged.score(feats) == pytest.approx(sum(m.score(feats) for m in singles) / 2)


def test_trainer_overlap_follows_the_half_of_the_shorter_span_rule():
    tr = _trainer()
    assert tr.overlap([(0, 10)], [(5, 30)])          # 5 of the shorter 10
    assert not tr.overlap([(0, 10)], [(6, 30)])      # 4 of 10
    assert not tr.overlap([(0, 10)], [])


@pytest.mark.model
def test_shipped_model_is_loaded_and_judges_candidates():
    assert cuemodel.MODEL_PATH.exists(), "kg/extract/data/cue_model.json is missing: run scripts/train_cue_model.py"
    m = cuemodel.default_model()
    assert m is not None and 0 < m.threshold < 1 and len(m.weights) > 100


@pytest.mark.model
def test_open_candidates_include_verbs_outside_the_lexicon_and_the_judge_drops_plain_actions(nlp):
    body = "The council sold the old depot to a developer on Monday."
    doc = nlp(body)
    cands = AttributionFinder(doc, model=None, open_candidates=True).candidates()
    assert any(f.cue_lemma == "sell" for f in cands), "open mode should propose every verb with a subject"
    assert not seen(run(nlp, body)), "a plain action is not an attribution"


@pytest.mark.model
def test_said_colon_takes_the_next_paragraph_as_content(nlp):
    body = ("Martin Fenwick spoke at the harbour meeting. He said:\n\n"
            "The barges stayed outside the reserve for the whole season.\n\nThe meeting ended at noon.")
    s, _ = one_by(nlp, body, "Martin Fenwick")
    assert s.type == "Asserts"
    assert s.stance.content.text.startswith("The barges stayed outside the reserve")
    assert "meeting ended" not in s.stance.content.text


@pytest.mark.model
def test_question_quoted_before_asked_questions_it(nlp):
    body = ("\u201cDid the council sell the old depot to a developer?\u201d Sarah Whitfield asked. "
            "\u201cNobody has told us.\u201d")
    s, items = one_by(nlp, body, "Sarah Whitfield")
    assert s.stance.cue.text == "asked"
    assert "depot" in s.stance.content.text, describe(items)


@pytest.mark.model
def test_it_takes_the_organisation_named_since_the_last_speaker(nlp):
    body = ("\u201cThe review is finished,\u201d the Calderwick Gazette said on Monday. "
            "The Danish embassy in a statement criticised the mayor's \u201cvery hasty decisions.\u201d "
            "It said that the barges stayed outside the reserve.")
    barges, items = about_barges(nlp, body)
    assert barges and barges[0].holder.name.lower().endswith("embassy"), describe(items)


@pytest.mark.model
def test_relative_pronoun_is_the_source_words_and_its_antecedent_the_holder(nlp):
    body = ("The plan was backed by Hannah Osterley, who said that the barges stayed outside the reserve.")
    s, items = one_by(nlp, body, "Hannah Osterley")
    assert s.stance.source.text == "who", describe(items)
    assert "barges" in s.claim


@pytest.mark.model
def test_relative_pronoun_after_a_common_noun_names_an_unnamed_source(nlp):
    body = "Several fishermen, who said that the barges stayed outside the reserve, left early."
    barges, items = about_barges(nlp, body)
    assert barges, describe(items)
    assert barges[0].stance.source.text == "who"
    assert "fishermen" in barges[0].holder.name.lower(), describe(items)


@pytest.mark.model
def test_refusing_an_action_is_not_a_reply_but_declining_to_comment_is(nlp):
    acted = seen(run(nlp, "The harbour master refused to move the barges on Monday."))
    assert not [s for s in acted if s.type == "Questions"], describe(acted)
    body = ("The Calderwick Gazette reported that the barges stayed outside the reserve. "
            "The harbour master declined to comment on the report.")
    items = seen(run(nlp, body))
    assert any(s.type == "Questions" and "barges" in s.claim and "harbour master" in s.holder.name.lower()
               for s in items), describe(items)


@pytest.mark.model
def test_they_takes_the_plural_subject_of_the_previous_sentence(nlp):
    body = ("Local fishermen met the harbour board on Tuesday. "
            "They said that the barges stayed outside the reserve.")
    barges, items = about_barges(nlp, body)
    assert barges and "fishermen" in barges[0].holder.name.lower(), describe(items)
    assert barges[0].stance.source.text == "They"


@pytest.mark.model
def test_a_demonstrative_with_its_phrase_is_an_unnamed_source(nlp):
    body = "Those close to the mayor say that the barges stayed outside the reserve."
    barges, items = about_barges(nlp, body)
    assert barges and barges[0].holder.type == "UnnamedSource", describe(items)
    assert barges[0].holder.name.lower().startswith("those close to"), describe(items)


@pytest.mark.model
def test_a_quotation_parsed_as_a_second_subject_leaves_the_speaker_the_source(nlp):
    body = ("\u201cWe were worried about the turnout. Full panic mode,\u201d said Leslie Wimes, "
            "the head of the caucus.")
    s, items = one_by(nlp, body, "Leslie Wimes")
    assert "panic" in s.stance.content.text, describe(items)


@pytest.mark.model
def test_doubled_apostrophe_quotes_and_a_fronted_as_for_phrase(nlp):
    body = ("As for the cost, ''moving the barges outside the reserve will take most of the budget,'' "
            "said Tobias Quell, the harbour engineer.")
    s, items = one_by(nlp, body, "Tobias Quell")
    assert "barges" in s.stance.content.text and "budget" in s.stance.content.text, describe(items)


def test_quote_spans_read_doubled_apostrophes_but_not_possessives():
    from kg.extract.attributions import quote_spans
    text = "He said ''the barges stay outside,'' and the boatmen's 'union' agreed."
    assert [text[a:b] for a, b in quote_spans(text)] == ["''the barges stay outside,''"]


@pytest.mark.model
def test_a_quotation_signed_with_a_dash_is_said_by_the_name_after_it(nlp):
    body = ("Residents answered our question about the harbour.\n"
            "\u201cThe barges stayed outside the reserve all summer. Nobody checked them.\u201d \u2015 Ilse Varrow\n"
            "\u201cThe council should have asked the fishermen first.\u201d\u00a0\u2015 Tomas Brekke.\n")
    items = seen(run(nlp, body))
    by = {s.holder.name: s for s in items}
    assert "Ilse Varrow" in by and "barges" in by["Ilse Varrow"].stance.content.text, describe(items)
    assert by["Ilse Varrow"].stance.cue.text == "\u2015"
    assert "Tomas Brekke" in by and "fishermen" in by["Tomas Brekke"].stance.content.text, describe(items)
    assert "barges" not in by["Tomas Brekke"].stance.content.text


@pytest.mark.model
@pytest.mark.parametrize("body, holder", [
    ("A strike at the port is a remote prospect; the Harbour Workers Union says its members will keep "
     "loading the barges through the winter.", "Harbour Workers Union"),
    ("The audit of the ferry company set off another quarrel in the council on Monday: Martin Fenwick "
     "said the barges had been overloaded for years.", "Martin Fenwick"),
    ("The council will probably raise the matter at its next meeting, Dana Reyes said: "
     "\u201cI think the barges were overloaded for years.\u201d", "Dana Reyes"),
])
def test_a_colon_or_semicolon_before_the_speaker_parts_the_clause_before_from_what_was_said(nlp, body, holder):
    s, items = one_by(nlp, body, holder)
    assert "barges" in s.stance.content.text, describe(items)
    assert not any(w in s.stance.content.text for w in ("remote prospect", "quarrel", "next meeting")), describe(items)


@pytest.mark.model
def test_a_condition_is_no_content_but_an_indirect_question_is(nlp):
    """"If …" before the verb or "even if …" after it is a condition; "asked if …" asks it."""
    def contents(body: str) -> list[str]:
        return [body[f.content[0]:f.content[1]] for f in AttributionFinder(nlp(body), open_candidates=True).candidates()]

    for body in ("If schedules permit, the Harbour Council would like to open the depot in March.",
                 "The Harbour Council offers a grant to the fishermen, even if their boats do not qualify for aid."):
        assert not any(c.lower().startswith(("if", "even if")) for c in contents(body)), contents(body)
    body = "The inspector asked if the barges had been loaded before the storm."
    assert any(c.startswith("if the barges had been loaded") or c.startswith("the barges had been loaded")
               for c in contents(body)), contents(body)


@pytest.mark.model
@pytest.mark.parametrize("body", [
    "The depot plan is dead, Dana Reyes says the barges will be moved to the north quay.",
    "The vote went badly \u2014 Dana Reyes said the barges will be moved to the north quay.",
])
def test_a_complement_after_the_verb_comes_before_a_clause_before_it(nlp, body):
    s, items = one_by(nlp, body, "Dana Reyes")
    assert s.stance.content.text.startswith("the barges will be moved"), describe(items)
