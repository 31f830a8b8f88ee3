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
