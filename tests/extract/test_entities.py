"""Entities of one article: types, surname grouping, byline authors (fictional names)."""
from __future__ import annotations

import pytest

from kg.extract import extract
from kg.records import Article, Extraction

pytestmark = pytest.mark.model


def run(nlp, body: str, **fields) -> Extraction:
    return extract(Article(id="story/test.txt", headline=fields.pop("headline", "Depot sale"), body=body,
                           **fields), nlp)


def by_name(ex: Extraction) -> dict[str, list]:
    out: dict[str, list] = {}
    for e in ex.entities:
        out.setdefault(e.name, []).append(e)
    return out


def test_people_and_organisations_get_their_types(nlp):
    ex = run(nlp, "Sarah Whitfield met Martin Fenwick on Monday. "
                  "The Ministry of Rail Affairs sent an inspector to Brackwell Systems.")
    names = by_name(ex)
    assert [e.type for e in names.get("Sarah Whitfield", [])] == ["Person"], ex.entities
    assert [e.type for e in names.get("Martin Fenwick", [])] == ["Person"], ex.entities
    assert [e.type for e in names.get("Ministry of Rail Affairs", [])] == ["Organization"], ex.entities
    assert [e.type for e in names.get("Brackwell Systems", [])] == ["Organization"], ex.entities


def test_surname_after_full_name_joins_the_full_name(nlp):
    body = "Sarah Whitfield visited the depot on Monday. Whitfield said the roof had collapsed."
    ex = run(nlp, body)
    people = [e for e in ex.entities if e.type == "Person"]
    assert [p.name for p in people] == ["Sarah Whitfield"], people
    person = people[0]
    assert "Whitfield" in person.aliases
    assert [m.text for m in person.mentions] == ["Sarah Whitfield", "Whitfield"]
    for m in person.mentions:
        assert body[m.start:m.end] == m.text


def test_surname_before_full_name_also_joins_the_full_name(nlp):
    ex = run(nlp, "Whitfield said the roof had collapsed. Sarah Whitfield visited the depot on Monday.")
    people = [e for e in ex.entities if e.type == "Person"]
    assert [p.name for p in people] == ["Sarah Whitfield"], people
    assert len(people[0].mentions) == 2


def test_two_people_with_different_surnames_stay_apart(nlp):
    ex = run(nlp, "Sarah Whitfield met Martin Fenwick on Monday. Fenwick said the roof had collapsed.")
    people = sorted(e.name for e in ex.entities if e.type == "Person")
    assert people == ["Martin Fenwick", "Sarah Whitfield"]


def test_entity_mentions_are_body_slices_and_titles_are_trimmed(nlp):
    body = "Mayor Gregor Albin met Dr. Laura Kessler at the harbor."
    ex = run(nlp, body)
    names = by_name(ex)
    assert "Gregor Albin" in names and "Laura Kessler" in names, ex.entities
    for e in ex.entities:
        for m in e.mentions:
            assert body[m.start:m.end] == m.text


def test_byline_author_is_kept_with_role_byline_and_no_mentions(nlp):
    ex = run(nlp, "Sarah Whitfield said the roof had collapsed.", authors=("Nadia Ferrante",))
    names = by_name(ex)
    assert "Nadia Ferrante" in names, ex.entities
    (author,) = names["Nadia Ferrante"]
    assert author.role == "byline"
    assert author.type == "Person"
    assert author.mentions == ()
    assert names["Sarah Whitfield"][0].role == "subject"


def test_byline_author_who_is_also_named_in_the_body_becomes_a_subject(nlp):
    ex = run(nlp, "Sarah Whitfield said the roof had collapsed.", authors=("Sarah Whitfield",))
    (person,) = by_name(ex)["Sarah Whitfield"]
    assert person.role == "subject"
    assert len(person.mentions) == 1


# -- the rules read token attributes from arrays (kg.extract.entities.Columns) -----------------
TRICKY = ("The Kremlin\u2019s spokesman, Dmitry Peskov, said on Tuesday  that the Russian embassy\n\n"
          "had not replied. \u201cNo,\u201d the embassy said. The kremlin and the Pentagon's press office "
          "declined; the ministries of Brackwell were silent. Caf\u00e9 owners \u2014 and the White House \u2014 "
          "said nothing.")


def test_columns_give_what_the_tokens_give(nlp):
    from kg.extract.entities import Columns

    doc = nlp(TRICKY)
    cols = Columns(doc)
    assert cols.text == doc.text
    for tok in doc:
        assert (cols.lower_of(tok.i), cols.start[tok.i], cols.end[tok.i]) == \
               (tok.lower_, tok.idx, tok.idx + len(tok.text)), tok
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 6) + 1):
            assert cols.span_text(start, end) == doc[start:end].text, (start, end)


def test_org_candidates_are_exactly_the_tokens_the_org_rule_can_act_on(nlp):
    from kg.extract import lexicon as lx
    from kg.extract.entities import Columns, _org_candidates

    doc = nlp(TRICKY)
    expected = [t.i for t in doc if t.lower_ in lx.ORG_NAMES
                or (t.pos_ == "NOUN" and t.lemma_.lower() in lx.ORG_HEADS)]
    assert expected, "the text should name organisations the rule looks at"
    assert _org_candidates(Columns(doc)).tolist() == expected


def test_org_head_with_a_national_modifier_is_an_organisation(nlp):
    body = "The Russian embassy said the letter had not arrived."
    ex = run(nlp, body)
    names = by_name(ex)
    assert [e.type for e in names.get("Russian embassy", [])] == ["Organization"], ex.entities
    (m,) = names["Russian embassy"][0].mentions
    assert body[m.start:m.end] == m.text == "Russian embassy"


def test_definite_description_is_a_mention_only_after_the_name(nlp):
    from kg.extract.entities import EntityTable, collect_entities

    doc = nlp("The authority was quiet. Later the Calderwick Harbor Authority spoke, and the authority said more.")
    table = EntityTable()
    collect_entities(doc, table)
    (key,) = [k for k, e in table.entities.items() if e["name"] == "Calderwick Harbor Authority"]
    authority = [t.i for t in doc if t.lower_ == "authority"]
    assert len(authority) == 3
    assert table.mention_at.get(authority[0]) is None          # before the name: not yet known
    assert table.mention_at[authority[1]] == key               # the name itself
    assert table.mention_at[authority[2]] == key               # "the authority" after it


def test_collect_entities_with_the_text_given_equals_without(nlp):
    from kg.extract.entities import EntityTable, collect_entities

    doc = nlp(TRICKY)
    given, rebuilt = EntityTable(), EntityTable()
    collect_entities(doc, given, TRICKY)
    collect_entities(doc, rebuilt)
    assert given.entities and given == rebuilt


SHARED_SURNAME = ("Sarah Whitfield opened the depot on Monday. Her brother Daniel Whitfield runs the ferry. "
                  "Whitfield said the roof had collapsed.")


def test_a_surname_two_people_share_joins_the_first_mentioned(nlp):
    people = {e.name: [m.text for m in e.mentions] for e in run(nlp, SHARED_SURNAME).entities if e.type == "Person"}
    assert people.get("Sarah Whitfield") == ["Sarah Whitfield", "Whitfield"], people
    assert people.get("Daniel Whitfield") == ["Daniel Whitfield"], people


def test_entities_do_not_depend_on_the_string_hash_seed():
    """The same article gives the same entities whatever PYTHONHASHSEED is (a set's order did
    decide which of two equally long full names a bare surname joined)."""
    import os
    import subprocess
    import sys

    script = ("import json, sys; from kg.extract import extract, load_pipeline; from kg.records import Article; "
              "ex = extract(Article(id='t', headline='Depot', body=sys.argv[1]), load_pipeline()); "
              "print(json.dumps(sorted((e.name, e.type, [m.start for m in e.mentions]) for e in ex.entities)))")
    outs = set()
    for seed in ("0", "1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, SHARED_SURNAME], capture_output=True, text=True,
                              env=env, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))), check=True)
        outs.add(done.stdout)
    assert len(outs) == 1, outs
