"""Curation (kg/curate.py): each correction, list and undo, re-ingest of the same and of changed
articles, exports.

The corpus is built from hand-made extraction records (no model): each article is a few
sentences "<holder> <cue> that <claim>.", resolved and built by the real code and written with
``Store.replace_graph`` exactly as ``kg.ingest`` writes it (skipping unchanged articles by hash).
Views are read through the canned queries, as the dashboard and the CLI read them.
"""
from __future__ import annotations

import gc
import io
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from kg import analysis, curate
from kg.build import build_graph, content_hash
from kg.export import export
from kg.ingest import load_index
from kg.query import canned, run_canned
from kg.records import Article, Claim, Entity, Extraction, Span, Stance
from kg.resolve import resolve
from kg.store import Store
from kg.viz import select_values, stances_with_evidence

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")   # rdflib's Dataset internals

REPO = Path(__file__).resolve().parents[1]
FCK = "https://w3id.org/factcheck-kg/ontology#"

NORTH = [("Harbor Ministry", "Organization", "said", "the port sold user data", "Asserts"),
         ("Ana Lopez", "Person", "denied", "the port sold user data", "Denies"),
         ("Ben Ortiz", "Person", "said", "the mayor met the minister", "Asserts")]
SOUTH = [("A. Lopez", "Person", "said", "port officials sold location data", "Asserts"),
         ("Carla Diaz", "Person", "confirmed", "the mayor met the minister", "Confirms"),
         ("Carla Diaz", "Person", "said", "the mayor met the minister twice", "Asserts")]


def article(aid: str, publisher: str, sentences: list[tuple[str, str, str, str, str]]) -> Extraction:
    """One article of "<holder> <cue> that <claim>." sentences, as the extraction stage emits it."""
    parts, offsets, pos = [], [], 0
    for h, _, cue, text, _ in sentences:
        sentence = f"{h} {cue} that {text}."
        parts.append(sentence)
        offsets.append(pos)
        pos += len(sentence) + 1
    body = " ".join(parts)
    ents: dict[tuple[str, str], Entity] = {}
    claims: dict[str, Claim] = {}
    stances = []
    for i, ((h, htype, cue, text, stype), sentence, off) in enumerate(zip(sentences, parts, offsets)):
        if (h, htype) not in ents:
            ents[(h, htype)] = Entity(f"e{len(ents) + 1}", h, htype, mentions=(Span(off, off + len(h), h),))
        c_start = off + len(h) + len(cue) + len(" that ") + 1
        content = Span(c_start, c_start + len(text), text)
        if text not in claims:
            claims[text] = Claim(f"c{len(claims) + 1}", text[0].upper() + text[1:], content)
        cue_span = Span(off + len(h) + 1, off + len(h) + 1 + len(cue), cue)
        stances.append(Stance(f"s{i + 1}", ents[(h, htype)].key, claims[text].key, stype, cue=cue_span,
                              content=content, source=Span(off, off + len(h), h),
                              sentence=Span(off, off + len(sentence), sentence)))
    art = Article(id=aid, headline=f"Story {aid}", body=body, publisher=publisher, date="2026-03-01")
    return Extraction(art, tuple(ents.values()), tuple(claims.values()), tuple(stances))


def ingest_records(store: Store, *extractions: Extraction) -> int:
    """What kg.ingest does after extraction: skip unchanged articles, resolve, build, write."""
    index = load_index(store)
    written = 0
    for ex in extractions:
        if store.article_hash(ex.article.id) == content_hash(ex.article):
            continue
        graph, triples, shared = build_graph(resolve(ex, index), extractor_version="test")
        store.replace_graph(str(graph), triples, shared)
        written += 1
    return written


@pytest.fixture
def store() -> Store:
    s = Store()
    assert ingest_records(s, article("north.txt", "North Post", NORTH), article("south.txt", "South Herald", SOUTH)) == 2
    return s


def claim(store: Store, text: str) -> str:
    rows = [r for r in run_canned(store, "dash-claims") if r["claimText"] == text[0].upper() + text[1:]]
    assert len(rows) == 1, (text, rows)
    return rows[0]["claim"]


def entity(store: Store, name: str) -> str:
    rows = [r for r in run_canned(store, "dash-actors") if r["name"] == name]
    assert len(rows) == 1, (name, rows)
    return rows[0]["entity"]


def stance(store: Store, holder: str, text: str) -> str:
    rows = [r for r in run_canned(store, "dash-stances")
            if r["holderName"] == holder and r["claimText"] == text[0].upper() + text[1:]]
    assert len(rows) == 1, (holder, text, rows)
    return rows[0]["stance"]


def claims_view(store: Store) -> dict[str, tuple]:
    return {r["claimText"]: (r["supporters"], r["opponents"], r["neutrals"], r["stances"], r["articles"])
            for r in run_canned(store, "dash-claims")}


def stances_view(store: Store) -> set[tuple]:
    return {(r["holderName"], r["stanceType"], r["claimText"], r["articleId"]) for r in run_canned(store, "dash-stances")}


def views(store: Store) -> dict:
    """Everything the dashboard and the analysis show, keyed by name (IRIs of stances normalised)."""
    return {"claims": claims_view(store), "stances": stances_view(store), "stats": {k: v for k, v in run_canned(store, "stats")[0].items() if k != "triples"},   # history stays
            "actors": {(r["name"], r["stances"], r["articles"]) for r in run_canned(store, "dash-actors")},
            "appearances": {(r["text"], r["article"]) for r in run_canned(store, "analysis-appearances")},
            "edges": {(r["holder"], r["claim"], r["stanceType"]) for r in run_canned(store, "dash-graph-edges")},
            "sides": {(r["claim"], r["supporters"], r["opposers"]) for r in run_canned(store, "analysis-claim-sides")}}


# -- each action ------------------------------------------------------------------------------------
def test_merge_claims_folds_the_stances_appearances_and_wording_into_the_survivor(store):
    a, b = claim(store, "port officials sold location data"), claim(store, "the port sold user data")
    before = claims_view(store)
    rec = curate.merge_claims(store, a, b, by="Ana", why="same sale, two wordings")
    after = claims_view(store)
    assert "Port officials sold location data" not in after
    assert after["The port sold user data"] == (2, 1, 0, 3, 2)          # Ministry + A. Lopez for, Ana Lopez against
    assert before["The port sold user data"] == (1, 1, 0, 2, 1)
    assert run_canned(store, "stats")[0]["claims"] == len(before) - 1
    on_b = stances_with_evidence(store, claim=b)
    assert {r["holderName"] for r in on_b} == {"Harbor Ministry", "Ana Lopez", "A. Lopez"}
    moved = next(r for r in on_b if r["holderName"] == "A. Lopez")
    assert moved["stance"].endswith(curate.REVISION) and moved["sentence"].startswith("A. Lopez said that")
    facts = select_values(store, canned("dash-claim"), claim=b)
    assert "Port officials sold location data" in {f["value"] for f in facts if f["field"] == "wording"}
    assert len({f["iri"] for f in facts if f["field"] == "appearance"}) == 2
    G = analysis.stance_graph(store)
    assert a not in G and G.in_degree(b) == 3
    assert rec.kind == "ClaimMerge" and rec.by == "Ana" and rec.why == "same sale, two wordings"


def test_split_claim_moves_the_chosen_stances_and_the_appearance_to_a_new_claim(store):
    met = claim(store, "the mayor met the minister")
    carla = stance(store, "Carla Diaz", "the mayor met the minister")
    rec = curate.split_claim(store, met, [carla], text="The mayor met the minister in March", by="Bo")
    view = claims_view(store)
    assert view["The mayor met the minister"] == (1, 0, 0, 1, 1)        # only Ben Ortiz, only north
    assert view["The mayor met the minister in March"] == (1, 0, 0, 1, 1)
    new = claim(store, "the mayor met the minister in March")
    assert new == rec.target
    apps = {(r["claim"], r["article"]) for r in run_canned(store, "analysis-appearances")}
    south = {a for c, a in apps if c == new}
    assert len(south) == 1 and (met, next(iter(south))) not in apps     # the old claim left the south article
    assert [r["holderName"] for r in stances_with_evidence(store, claim=new)] == ["Carla Diaz"]


def test_retype_stance_changes_its_type_and_the_sides_it_counts_for(store):
    s = stance(store, "Ana Lopez", "the port sold user data")
    curate.retype_stance(store, s, "Questions", by="Ana", why="she said she could not tell")
    assert ("Ana Lopez", "Questions", "The port sold user data", "north.txt") in stances_view(store)
    assert claims_view(store)["The port sold user data"][:3] == (1, 0, 1)
    with pytest.raises(curate.CurationError, match="already Questions"):
        curate.retype_stance(store, s + curate.REVISION, "questions", by="Ana")
    with pytest.raises(curate.CurationError, match="unknown stance type 'Shrugs'"):
        curate.retype_stance(store, s, "Shrugs", by="Ana")


def test_set_holder_gives_the_stance_to_the_entity_named(store):
    s = stance(store, "Ben Ortiz", "the mayor met the minister")
    curate.set_holder(store, s, entity(store, "Harbor Ministry"), by="Ana")
    view = stances_view(store)
    assert ("Harbor Ministry", "Asserts", "The mayor met the minister", "north.txt") in view
    assert not any(h == "Ben Ortiz" for h, *_ in view)
    actors = {r["name"]: r["stances"] for r in run_canned(store, "dash-actors")}
    assert actors["Harbor Ministry"] == 2 and actors["Ben Ortiz"] == 0


def test_reject_stance_takes_it_out_of_every_view(store):
    s = stance(store, "Carla Diaz", "the mayor met the minister twice")
    before = run_canned(store, "stats")[0]["stances"]
    curate.reject_stance(store, s, by="Ana", why="a quote of someone else")
    assert run_canned(store, "stats")[0]["stances"] == before - 1
    assert not any(t == "The mayor met the minister twice" for _, _, t, _ in stances_view(store))
    assert s not in {r["stance"] for r in run_canned(store, "analysis-stances")}
    with pytest.raises(curate.CurationError, match="rejected already"):
        curate.reject_stance(store, s, by="Ana")


def test_merge_entities_moves_names_mentions_and_stances(store):
    a, b = entity(store, "A. Lopez"), entity(store, "Ana Lopez")
    curate.merge_entities(store, a, b, by="Ana", why="the same councillor")
    actors = {r["name"]: r for r in run_canned(store, "dash-actors")}
    assert "A. Lopez" not in actors
    assert actors["Ana Lopez"]["stances"] == 2 and actors["Ana Lopez"]["articles"] == 2
    profile = select_values(store, canned("dash-entity"), entity=b)
    assert "A. Lopez" in {f["value"] for f in profile if f["field"] == "alias"}
    assert {h for h, *_ in stances_view(store)} >= {"Ana Lopez"} and "A. Lopez" not in {h for h, *_ in stances_view(store)}
    assert a not in {r["entity"] for r in run_canned(store, "analysis-mentions")}


def test_relate_claims_is_shown_on_both_claims_and_links_explanation_paths(store):
    a, b = claim(store, "the port sold user data"), claim(store, "port officials sold location data")
    curate.relate_claims(store, a, "supports", b, by="Ana", why="same sale")
    out = select_values(store, canned("dash-claim-relations"), claim=a)
    back = select_values(store, canned("dash-claim-relations"), claim=b)
    assert [(r["relation"], r["direction"], r["other"], r["by"], r["why"]) for r in out] == [("supports", "out", b, "Ana", "same sale")]
    assert [(r["relation"], r["direction"], r["other"]) for r in back] == [("supports", "in", a)]
    assert [(r.source, r.relation, r.target) for r in analysis.claim_relations(store)] == [(a, "supports", b)]
    steps = analysis.explanation_path(store, "Harbor Ministry", "A. Lopez")
    assert [e.stance_type for e in steps[1].evidence] == ["supports"]
    with pytest.raises(curate.CurationError, match="already supports"):
        curate.relate_claims(store, a, "supports", b, by="Bo")
    with pytest.raises(curate.CurationError, match="unknown claim relation"):
        curate.relate_claims(store, a, "implies", b, by="Bo")


def test_bad_corrections_are_refused_with_the_reason(store):
    a = claim(store, "the port sold user data")
    with pytest.raises(curate.CurationError, match="no claim https://example.org/nothing"):
        curate.merge_claims(store, "https://example.org/nothing", a, by="Ana")
    with pytest.raises(curate.CurationError, match="into itself"):
        curate.merge_claims(store, a, a, by="Ana")
    with pytest.raises(curate.CurationError, match="must be an IRI"):
        curate.merge_claims(store, "the port", a, by="Ana")
    with pytest.raises(curate.CurationError, match="say who"):
        curate.merge_claims(store, claim(store, "port officials sold location data"), a, by="  ")
    with pytest.raises(curate.CurationError, match="no stance"):
        curate.reject_stance(store, a, by="Ana")
    with pytest.raises(curate.CurationError, match="not a stance on claim"):
        curate.split_claim(store, a, [stance(store, "Ben Ortiz", "the mayor met the minister")], text="x", by="Ana")
    assert curate.load_records(store) == []


# -- list, undo ---------------------------------------------------------------------------------------
def all_corrections(store: Store) -> list:
    return [
        curate.retype_stance(store, stance(store, "Ana Lopez", "the port sold user data"), "Disputes", by="Bo"),
        curate.merge_claims(store, claim(store, "port officials sold location data"),
                            claim(store, "the port sold user data"), by="Ana"),
        curate.merge_entities(store, entity(store, "A. Lopez"), entity(store, "Ana Lopez"), by="Ana"),
        curate.split_claim(store, claim(store, "the mayor met the minister"),
                           [stance(store, "Carla Diaz", "the mayor met the minister")], text="The mayor met him", by="Bo"),
        curate.set_holder(store, stance(store, "Ben Ortiz", "the mayor met the minister"),
                          entity(store, "Carla Diaz"), by="Cy"),
        curate.reject_stance(store, stance(store, "Carla Diaz", "the mayor met the minister twice"), by="Cy"),
        curate.relate_claims(store, claim(store, "the mayor met the minister twice"), "refines",
                             claim(store, "the mayor met the minister"), by="Cy"),
    ]


def test_list_shows_each_correction_with_provenance_and_undo_restores_the_extracted_state(store):
    extracted = views(store)
    records = all_corrections(store)
    assert views(store) != extracted
    listed = curate.list_corrections(store)
    assert [c.iri for c in listed] == [r.iri for r in reversed(records)]
    assert {c.status for c in listed} == {"applies"}
    assert {c.by for c in listed} == {"Ana", "Bo", "Cy"}
    assert any("merged into “The port sold user data”" in c.summary for c in listed)
    for r in reversed(records):
        curate.undo(store, r.id, by="Dee")
    assert views(store) == extracted
    assert curate.list_corrections(store) == []
    history = curate.list_corrections(store, include_undone=True)
    assert len(history) == len(records) and {(c.status, c.undone_by) for c in history} == {("undone", "Dee")}
    assert not [g for g in store.named_graphs() if curate.is_overlay(g)]
    with pytest.raises(curate.CurationError, match="undone already"):
        curate.undo(store, records[0].id, by="Dee")


def test_undo_of_one_merge_in_a_chain_keeps_the_other(store):
    a, b = claim(store, "the mayor met the minister twice"), claim(store, "the mayor met the minister")
    c = claim(store, "the port sold user data")
    first = curate.merge_claims(store, a, b, by="Ana")
    second = curate.merge_claims(store, b, c, by="Ana")
    assert claims_view(store)["The port sold user data"][3] == 5      # its 2 stances + b's 2 + a's 1
    curate.undo(store, second.id, by="Ana")
    view = claims_view(store)
    assert view["The mayor met the minister"][3] == 3 and "The mayor met the minister twice" not in view
    assert [c.id for c in curate.list_corrections(store)] == [first.id]


def test_undoing_a_split_keeps_its_claim_when_a_later_article_joined_it(store):
    met = claim(store, "the mayor met the minister")
    rec = curate.split_claim(store, met, [stance(store, "Carla Diaz", "the mayor met the minister")],
                             text="The mayor met the minister in March", by="Bo")
    later = [("Dora Vance", "Person", "said", "the mayor met the minister in March", "Asserts")]
    assert ingest_records(store, article("west.txt", "West Times", later)) == 1
    assert claims_view(store)["The mayor met the minister in March"][3] == 2       # Carla's (moved) and Dora's
    curate.undo(store, rec.id, by="Bo")
    view = claims_view(store)
    assert view["The mayor met the minister in March"][3] == 1                     # Dora's: still a claim with its text
    assert view["The mayor met the minister"][3] == 2


# -- re-ingest ------------------------------------------------------------------------------------------
def test_corrections_survive_reingesting_the_same_articles(store):
    all_corrections(store)
    curated = views(store)
    same = (article("north.txt", "North Post", NORTH), article("south.txt", "South Herald", SOUTH))
    assert ingest_records(store, *same) == 0                   # unchanged: skipped by content hash
    assert views(store) == curated
    for ex in same:                                           # force a rewrite of the article graphs
        graph, triples, shared = build_graph(resolve(ex, load_index(store)), extractor_version="test")
        store.replace_graph(str(graph), triples, shared)
    assert views(store) == curated
    assert {c.status for c in curate.list_corrections(store)} == {"applies"}


def test_changed_article_keeps_each_correction_on_its_stance_although_the_ordinals_moved(store):
    s = stance(store, "Ana Lopez", "the port sold user data")
    curate.retype_stance(store, s, "Questions", by="Ana")
    curate.merge_claims(store, claim(store, "the port sold user data"),
                        claim(store, "port officials sold location data"), by="Ana")
    changed = [("Dora Vance", "Person", "said", "the port sold user data", "Asserts"), *NORTH]
    assert ingest_records(store, article("north.txt", "North Post", changed)) == 1
    now_at_s = [r for r in run_canned(store, "dash-stances") if r["stance"] in (s, s + curate.REVISION)]
    assert [(r["holderName"], r["stanceType"]) for r in now_at_s] == [("Harbor Ministry", "Asserts")]  # ordinal moved
    view = stances_view(store)
    assert ("Ana Lopez", "Questions", "Port officials sold location data", "north.txt") in view
    assert ("Dora Vance", "Asserts", "Port officials sold location data", "north.txt") in view   # new, merged too
    assert ("Harbor Ministry", "Asserts", "Port officials sold location data", "north.txt") in view
    assert "The port sold user data" not in claims_view(store)
    assert {c.status for c in curate.list_corrections(store)} == {"applies"}


def test_correction_whose_stance_is_gone_is_kept_and_listed_as_no_longer_matching(store):
    rec = curate.reject_stance(store, stance(store, "Carla Diaz", "the mayor met the minister twice"), by="Ana")
    ingest_records(store, article("south.txt", "South Herald", SOUTH[:2]))
    assert [(c.id, c.status) for c in curate.list_corrections(store)] == [(rec.id, "no longer matches")]
    back = ingest_records(store, article("south.txt", "South Herald", SOUTH))
    assert back == 1 and [c.status for c in curate.list_corrections(store)] == ["applies"]
    assert not any(t == "The mayor met the minister twice" for _, _, t, _ in stances_view(store))


def test_cli_curates_lists_and_undoes(tmp_path):
    """kg curate merge-claims / list / undo on a store folder; a bad correction exits 2 with the reason."""
    location = tmp_path / "kg-store"
    disk = Store(str(location))
    ingest_records(disk, article("north.txt", "North Post", NORTH), article("south.txt", "South Herald", SOUTH))
    a, b = claim(disk, "port officials sold location data"), claim(disk, "the port sold user data")
    del disk                                                  # release the folder for the CLI
    gc.collect()
    run = lambda *args: subprocess.run([sys.executable, "-m", "kg", *args, "--store", str(location)],  # noqa: E731
                                       capture_output=True, text=True, cwd=REPO, timeout=300)
    done = run("curate", "merge-claims", a, f"<{b}>", "--by", "Ana", "--why", "same sale")
    assert done.returncode == 0, done.stderr
    ident = done.stdout.split()[0]
    listed = run("curate", "list")
    assert listed.returncode == 0 and ident in listed.stdout and "applies" in listed.stdout
    assert "same sale" in listed.stdout
    bad = run("curate", "retype-stance", a, "--type", "Denies", "--by", "Ana")
    assert bad.returncode == 2 and "no stance" in bad.stderr
    stats = run("stats")
    assert '"claims": 3' in stats.stdout, stats.stdout      # 4 extracted, one merged away
    assert run("curate", "undo", ident, "--by", "Ana").returncode == 0
    assert '"claims": 4' in run("stats").stdout


# -- exports -------------------------------------------------------------------------------------------
def test_export_without_corrections_is_the_store_as_it_is(store, tmp_path):
    for fmt in ("trig", "nquads", "turtle"):
        raw = io.BytesIO()
        store.dump(raw, fmt)
        export(store, fmt, tmp_path / f"g.{fmt}")
        assert (tmp_path / f"g.{fmt}").read_bytes() == raw.getvalue()


def test_export_applies_the_corrections_and_carries_their_provenance(store, tmp_path):
    a, b = claim(store, "port officials sold location data"), claim(store, "the port sold user data")
    rejected = stance(store, "Carla Diaz", "the mayor met the minister twice")
    retyped = stance(store, "Ana Lopez", "the port sold user data")
    curate.merge_claims(store, a, b, by="Ana", why="same sale")
    curate.reject_stance(store, rejected, by="Ana")
    curate.retype_stance(store, retyped, "Disputes", by="Ana")
    export(store, "trig", tmp_path / "g.trig")
    ds = Dataset().parse(tmp_path / "g.trig", format="trig")
    q = lambda text: list(ds.query("PREFIX fck: <%s> PREFIX schema: <https://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#> %s" % (FCK, text)))  # noqa: E731
    claims = {str(r[0]) for r in q("SELECT ?c WHERE { GRAPH ?g { ?c a schema:Claim } }")}
    assert b in claims and a not in claims
    stances = {str(r[0]): str(r[1]) for r in q("SELECT ?s ?t WHERE { GRAPH ?g { ?s a fck:Stance ; fck:stanceType ?t } }")}
    assert rejected not in stances
    assert not [s for s in ds.subjects() if str(s).startswith(rejected)]      # nor its evidence spans
    assert retyped not in stances and stances[retyped + curate.REVISION] == FCK + "Disputes"
    on_a = q("SELECT ?s WHERE { GRAPH ?g { ?s fck:claim ?c } } VALUES ?c { <%s> }" % a)
    assert on_a == []
    prov = q("SELECT ?c ?who ?when ?why WHERE { GRAPH <%s> { ?c a fck:ClaimMerge ; prov:wasAttributedTo ?who ; "
             "prov:generatedAtTime ?when ; <http://www.w3.org/2000/01/rdf-schema#comment> ?why } }" % curate.CURATION_GRAPH)
    assert len(prov) == 1 and str(prov[0][3]) == "same sale"
    export(store, "ntriples", tmp_path / "g.nt")                 # a triple format: the union, curated
    union = Graph().parse(tmp_path / "g.nt", format="nt")
    assert {str(p) for p in union.predicates(URIRef(a), None)} == {FCK + "supersededBy", FCK + "mergedInto"}
    assert {str(p) for _, p in union.subject_predicates(URIRef(a))} == {FCK + "merges", FCK + "appliesTo"}
    assert (URIRef(b), URIRef("http://www.w3.org/2004/02/skos/core#altLabel"),
            Literal("Port officials sold location data")) in union


# -- a remote SPARQL store (no write hook: kg ingest refreshes the curated view after a batch) -------
@pytest.fixture
def remote(tmp_path):
    from test_remote import start_oxigraph      # the Oxigraph server helper of tests/test_remote.py

    yield from start_oxigraph(tmp_path / "oxigraph")


def test_curation_on_a_remote_store_survives_reingest_and_exports(remote, tmp_path):
    from kg.remote import RemoteStore

    store = RemoteStore(remote)
    ingest_records(store, article("north.txt", "North Post", NORTH), article("south.txt", "South Herald", SOUTH))
    s = stance(store, "Ana Lopez", "the port sold user data")
    curate.retype_stance(store, s, "Questions", by="Ana")
    a = claim(store, "the port sold user data")
    curate.merge_claims(store, a, claim(store, "port officials sold location data"), by="Ana")
    changed = [("Dora Vance", "Person", "said", "the port sold user data", "Asserts"), *NORTH]
    ingest_records(store, article("north.txt", "North Post", changed))
    curate.after_ingest(store)
    view = stances_view(store)
    assert ("Ana Lopez", "Questions", "Port officials sold location data", "north.txt") in view
    assert ("Dora Vance", "Asserts", "Port officials sold location data", "north.txt") in view
    assert a not in {r["claim"] for r in run_canned(store, "dash-claims")}
    export(store, "trig", tmp_path / "g.trig")
    union = Dataset(default_union=True).parse(tmp_path / "g.trig", format="trig")
    questioned = set(union.subjects(URIRef(FCK + "stanceType"), URIRef(FCK + "Questions")))
    assert len(questioned) == 1 and str(next(iter(questioned))).endswith(curate.REVISION)
    assert not list(union.triples((URIRef(a), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None)))
