"""Identity across articles (kg.resolve) on hand-built extraction records: no model needed."""
from __future__ import annotations

from kg.build import build_graph
from kg.ingest import load_index
from kg.records import Article, Claim, Entity, Extraction, Span, Stance
from kg.resolve import IdentityIndex, resolve
from kg.store import Store


def span(body: str, text: str) -> Span:
    start = body.index(text)
    return Span(start, start + len(text), text)


def article(aid: str, body: str) -> Article:
    return Article(id=aid, headline=f"Headline of {aid}", body=body)


def person(key: str, name: str, body: str, mention: str | None = None) -> Entity:
    return Entity(key=key, name=name, type="Person", mentions=(span(body, mention or name),))


def org(key: str, name: str, body: str) -> Entity:
    return Entity(key=key, name=name, type="Organization", mentions=(span(body, name),))


def claim(key: str, text: str, body: str, content: str, about: tuple[str, ...], predicate: str,
          lemmas: tuple[str, ...], numbers: tuple[str, ...] = (), times: tuple[str, ...] = ()) -> Claim:
    return Claim(key=key, text=text, span=span(body, content), about=about, predicate=predicate,
                 numbers=numbers, times=times, lemmas=lemmas)


# Two outlets report the same sale in different words; a third claim about the same two
# parties (a letter sent) is a different proposition.
BODY_A = "Sarah Whitfield said that Harbor Council sold the old depot to Brackwell Systems."
BODY_B = "Whitfield told reporters that Harbor Council traded the depot to Brackwell Systems last year."


def extraction_a() -> Extraction:
    b = BODY_A
    ents = (person("e1", "Sarah Whitfield", b), org("e2", "Harbor Council", b), org("e3", "Brackwell Systems", b))
    c = claim("c1", "Harbor Council sold the old depot to Brackwell Systems", b,
              "Harbor Council sold the old depot to Brackwell Systems", ("e2", "e3"), "sell",
              ("brackwell", "council", "depot", "harbor", "old", "sell", "systems"))
    st = Stance("s1", "e1", "c1", "Asserts", cue=span(b, "said"), content=c.span, source=span(b, "Sarah Whitfield"))
    return Extraction(article("story/a.txt", b), ents, (c,), (st,))


def extraction_b() -> Extraction:
    b = BODY_B
    ents = (person("e1", "Whitfield", b), org("e2", "Harbor Council", b), org("e3", "Brackwell Systems", b))
    c = claim("c1", "Harbor Council traded the depot to Brackwell Systems last year", b,
              "Harbor Council traded the depot to Brackwell Systems last year", ("e2", "e3"), "trade",
              ("brackwell", "council", "depot", "harbor", "systems", "trade", "year"))
    st = Stance("s1", "e1", "c1", "Asserts", cue=span(b, "told"), content=c.span, source=span(b, "Whitfield"))
    return Extraction(article("story/b.txt", b), ents, (c,), (st,))


def test_same_person_in_two_articles_gets_one_iri():
    index = IdentityIndex()
    body = "Sarah Whitfield visited the depot."
    ex_c = Extraction(article("story/c.txt", body), (person("e1", "Sarah Whitfield", body),))
    ra = resolve(extraction_a(), index)
    rc = resolve(ex_c, index)
    assert ra.entity_iris["e1"] == rc.entity_iris["e1"]
    assert ra.entity_iris["e1"] in ra.new_entities
    assert rc.new_entities == frozenset()


def test_different_people_get_different_iris():
    index = IdentityIndex()
    body = "Martin Fenwick visited the depot."
    ra = resolve(extraction_a(), index)
    rc = resolve(Extraction(article("story/c.txt", body), (person("e1", "Martin Fenwick", body),)), index)
    assert ra.entity_iris["e1"] != rc.entity_iris["e1"]


def test_same_name_as_person_and_organisation_are_two_entities():
    index = IdentityIndex()
    body = "Whitfield visited Whitfield."
    ents = (Entity("e1", "Whitfield", "Person"), Entity("e2", "Whitfield", "Organization"))
    res = resolve(Extraction(article("story/c.txt", body), ents), index)
    assert res.entity_iris["e1"] != res.entity_iris["e2"]


def test_bare_surname_in_a_later_article_joins_the_full_name():
    index = IdentityIndex()
    ra = resolve(extraction_a(), index)
    rb = resolve(extraction_b(), index)
    assert rb.entity_iris["e1"] == ra.entity_iris["e1"]
    assert ra.entity_iris["e1"] not in rb.new_entities


def test_ambiguous_bare_surname_joins_neither_full_name():
    index = IdentityIndex()
    b1 = "Sarah Whitfield and Tom Whitfield visited the depot."
    resolve(Extraction(article("story/c.txt", b1),
                       (person("e1", "Sarah Whitfield", b1), person("e2", "Tom Whitfield", b1))), index)
    first = dict(index.entities)
    b2 = "Whitfield visited the depot."
    rb = resolve(Extraction(article("story/d.txt", b2), (person("e1", "Whitfield", b2),)), index)
    assert rb.entity_iris["e1"] not in first.values()


def test_same_claim_worded_differently_gets_one_iri():
    index = IdentityIndex()
    ra = resolve(extraction_a(), index)
    rb = resolve(extraction_b(), index)
    assert rb.claim_iris["c1"] == ra.claim_iris["c1"]
    assert ra.claim_iris["c1"] in ra.new_claims
    assert rb.new_claims == frozenset()


def _pair(text_a, pred_a, lemmas_a, text_b, pred_b, lemmas_b, *, numbers=((), ()), times=((), ())):
    """Resolve two one-claim articles about the same two people; return both claim IRIs."""
    index = IdentityIndex()
    iris = []
    for aid, text, pred, lemmas, nums, tms in (("story/x.txt", text_a, pred_a, lemmas_a, numbers[0], times[0]),
                                               ("story/y.txt", text_b, pred_b, lemmas_b, numbers[1], times[1])):
        body = f"A source said that {text}."
        ents = (person("e1", "Sarah Whitfield", body), person("e2", "Martin Fenwick", body))
        c = claim("c1", text, body, text, ("e1", "e2"), pred, lemmas, nums, tms)
        iris.append(resolve(Extraction(article(aid, body), ents, (c,)), index).claim_iris["c1"])
    return iris


def test_different_predicates_about_the_same_people_stay_two_claims():
    a, b = _pair("Sarah Whitfield spoke with Martin Fenwick by phone", "speak",
                 ("fenwick", "martin", "phone", "sarah", "speak", "whitfield"),
                 "Sarah Whitfield sent Martin Fenwick test kits", "send",
                 ("fenwick", "kit", "martin", "sarah", "send", "test", "whitfield"))
    assert a != b


def test_predicates_of_one_class_about_the_same_people_merge():
    a, b = _pair("Sarah Whitfield spoke with Martin Fenwick by phone", "speak",
                 ("fenwick", "martin", "phone", "sarah", "speak", "whitfield"),
                 "Sarah Whitfield talked to Martin Fenwick on the phone", "talk",
                 ("fenwick", "martin", "phone", "sarah", "talk", "whitfield"))
    assert a == b


def test_clashing_numbers_and_times_stay_two_claims():
    a, b = _pair("Sarah Whitfield met Martin Fenwick twice in 2023", "meet",
                 ("fenwick", "martin", "meet", "sarah", "whitfield"),
                 "Sarah Whitfield met Martin Fenwick last week", "meet",
                 ("fenwick", "martin", "meet", "sarah", "week", "whitfield"),
                 numbers=(("2",), ()), times=(("2023",), ("last", "week")))
    assert a != b


def test_clashing_numbers_alone_stay_two_claims():
    a, b = _pair("Sarah Whitfield met Martin Fenwick seven times", "meet",
                 ("fenwick", "martin", "meet", "sarah", "time", "whitfield"),
                 "Sarah Whitfield met Martin Fenwick three times", "meet",
                 ("fenwick", "martin", "meet", "sarah", "time", "whitfield"),
                 numbers=(("7",), ("3",)))
    assert a != b


def test_index_loaded_from_the_store_links_a_later_article_to_earlier_nodes():
    store = Store()
    ra = resolve(extraction_a(), IdentityIndex())
    graph, triples, shared = build_graph(ra)
    store.replace_graph(str(graph), triples, shared)

    index = load_index(store)                 # a new run: only what the store holds
    rb = resolve(extraction_b(), index)
    assert rb.entity_iris["e1"] == ra.entity_iris["e1"]      # "Whitfield" -> Sarah Whitfield
    assert rb.entity_iris["e2"] == ra.entity_iris["e2"]
    assert rb.claim_iris["c1"] == ra.claim_iris["c1"]        # differently worded, same claim
    assert rb.new_entities == frozenset() and rb.new_claims == frozenset()


def test_index_loaded_from_the_store_keeps_different_claims_apart():
    store = Store()
    ra = resolve(extraction_a(), IdentityIndex())
    graph, triples, shared = build_graph(ra)
    store.replace_graph(str(graph), triples, shared)
    b = "Harbor Council sent a letter to Brackwell Systems."
    ents = (org("e1", "Harbor Council", b), org("e2", "Brackwell Systems", b))
    c = claim("c1", "Harbor Council sent a letter to Brackwell Systems", b, "Harbor Council sent a letter",
              ("e1", "e2"), "send", ("brackwell", "council", "harbor", "letter", "send", "systems"))
    rb = resolve(Extraction(article("story/c.txt", b), ents, (c,)), load_index(store))
    assert rb.entity_iris["e1"] == ra.entity_iris["e2"]
    assert rb.claim_iris["c1"] != ra.claim_iris["c1"]
    assert rb.claim_iris["c1"] in rb.new_claims


def test_candidates_are_the_claims_that_can_join():
    """A popular entity's claims with another predicate are not gone through: same_claim would
    refuse each of them. The same text joins whatever its predicate; no predicate, no paraphrase."""
    from kg.resolve import IndexedClaim, same_claim

    def indexed(text, pred, about=("E",)):
        return IndexedClaim(iri=f"iri:{text}", about=frozenset(about), predicate=pred, numbers=frozenset(),
                            times=frozenset(), lemmas=frozenset(text.lower().split()), text=text)

    index = IdentityIndex()
    known = [indexed(f"Acme sold plant number {i}", "sell") for i in range(20)]
    known += [indexed("Acme met the regulator", "meet"), indexed("Acme met regulators twice", "meet"),
              indexed("Others met the regulator", "meet", about=("F",))]
    for c in known:
        index.add_claim(c)
    new = indexed("Acme met with the regulator", "meet")
    listed = list(index.candidates(new))
    assert list(dict.fromkeys(c.text for c in listed)) == ["Acme met the regulator", "Acme met regulators twice",
                                                           "Others met the regulator"]
    once = list({id(c): c for c in listed}.values())
    assert [c for c in known if same_claim(new, c)] == [c for c in once if same_claim(new, c)]
    assert [c.text for c in index.candidates(indexed("acme sold plant number 3", ""))] == ["Acme sold plant number 3"]
    assert list(index.candidates(indexed("Acme met the press", ""))) == []
