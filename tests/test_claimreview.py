"""ClaimReview: reading the three shapes, the verdict scale, import into the graph (identity with
article claims, one graph per file, re-import), SHACL, export and its round trip, the dashboard.

Every file here is a small fictional sample written for the test (fact-checkers on ``.example``).
"""
from __future__ import annotations

import copy
import gc
import json
import socket
from pathlib import Path

import pytest

from kg.errors import ExportError, SourceError
from kg.records import Article, ReviewDocument
from kg.sources import read_articles
from kg.viz import select_values

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "examples" / "claimreviews"
CHECKER = {"@type": "Organization", "name": "Tidewater Checks", "url": "https://tidewater.example/"}
FERRY_ARTICLE = """Council row over ferry terminal sale

Port Orla, March 3, 2025

Councillor Mirela Danescu said the Port Orla Council sold the old ferry terminal to Brightwater Holdings in 2023.

The Port Orla Council denied that it sold the terminal to Brightwater Holdings.
"""


def review(claim: str = "Port Orla Council sold the ferry terminal to Brightwater Holdings",
           label: str | None = "Mostly False", **extra) -> dict:
    """A ClaimReview object as a fact-checker would publish it (no @context: added by callers)."""
    out = {"@type": "ClaimReview", "url": "https://tidewater.example/checks/ferry", "datePublished": "2025-03-05",
           "headline": "Was the ferry terminal sold?", "author": CHECKER, "claimReviewed": claim,
           "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Mirela Danescu"},
                            "appearance": [{"@type": "CreativeWork", "url": "https://radio.example/interview"}]},
           "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1}}
    if label is not None:
        out["reviewRating"]["alternateName"] = label
    out.update(extra)
    return out


def write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def read(path: Path) -> tuple[list[ReviewDocument], list[SourceError], list[Article]]:
    items = list(read_articles([path]))
    return ([i for i in items if isinstance(i, ReviewDocument)], [i for i in items if isinstance(i, SourceError)],
            [i for i in items if isinstance(i, Article)])


# -- reading ----------------------------------------------------------------------------------------
def test_single_jsonld_object_is_read_with_every_field(tmp_path):
    docs, errors, arts = read(write(tmp_path, "one.json", {"@context": "https://schema.org", **review()}))
    assert errors == [] and arts == []
    (doc,) = docs
    assert doc.id == "one.json" and len(doc.reviews) == 1
    r = doc.reviews[0]
    assert r.claim_text == "Port Orla Council sold the ferry terminal to Brightwater Holdings"
    assert (r.rating.label, r.rating.value, r.rating.best, r.rating.worst) == ("Mostly False", 2, 5, 1)
    assert r.rating.verdict == "MostlyFalse"
    assert (r.author.name, r.author.type, r.author.url) == (
        "Tidewater Checks", "Organization", "https://tidewater.example/")
    assert (r.date, r.url, r.headline) == (
        "2025-03-05", "https://tidewater.example/checks/ferry", "Was the ferry terminal sold?")
    assert (r.claimant.name, r.claimant.type) == ("Mirela Danescu", "Person")
    assert r.appearances == ("https://radio.example/interview",)
    assert r.where.endswith("one.json#1")


@pytest.mark.parametrize("context", ["http://schema.org", "https://schema.org/", {"@vocab": "http://schema.org/"},
                                     ["https://schema.org", {"schema": "https://schema.org/"}]])
def test_array_and_graph_documents_with_any_schema_org_context(tmp_path, context):
    second = review("The ferry terminal was sold twice", "True", url="https://tidewater.example/checks/twice")
    array = [{"@context": context, **review()}, {"@context": context, **second}]
    graph = {"@context": context, "@graph": [
        {"@id": "#checker", **CHECKER},
        {**review(), "author": {"@id": "#checker"}},
        {**second, "author": {"@id": "#checker"}}]}
    for name, data in (("array.jsonld", array), ("graph.json", graph)):
        docs, errors, _ = read(write(tmp_path, name, data))
        assert errors == [], errors
        assert [r.rating.verdict for r in docs[0].reviews] == ["MostlyFalse", "True"]
        assert {r.author.name for r in docs[0].reviews} == {"Tidewater Checks"}


def test_prefixed_and_full_iri_keys_are_schema_org_terms(tmp_path):
    data = {"@context": {"s": "https://schema.org/"}, "@type": "s:ClaimReview",
            "s:claimReviewed": "The pier closed in 2020", "https://schema.org/author": {"s:name": "Tidewater Checks"},
            "s:reviewRating": {"@type": "s:Rating", "s:alternateName": {"@value": "Pants on Fire!"}}}
    (doc,), errors, _ = read(write(tmp_path, "prefixed.json", data))
    assert errors == [] and doc.reviews[0].rating.verdict == "False"
    assert doc.reviews[0].claim_text == "The pier closed in 2020"


def test_a_remote_non_schema_context_is_refused_by_name(tmp_path):
    data = {"@context": "https://vocab.example/context.jsonld", **review()}
    docs, errors, _ = read(write(tmp_path, "remote.json", data))
    assert docs == []
    (err,) = errors
    assert "remote.json" in err.path and "https://vocab.example/context.jsonld" in err.problem


def test_fact_check_tools_search_results_are_read_and_a_bad_review_is_named(tmp_path):
    data = {"claims": [
        {"text": "The harbour wall was built in 1850", "claimant": "Port Orla Council",
         "claimDate": "2025-01-02T00:00:00Z",
         "claimReview": [{"publisher": {"name": "Tidewater Checks", "site": "tidewater.example"},
                          "url": "https://tidewater.example/wall", "title": "The wall is younger",
                          "reviewDate": "2025-01-09T10:00:00Z", "textualRating": "False", "languageCode": "en"},
                         {"publisher": {"site": "quayside.example"}, "url": "https://quayside.example/w",
                          "textualRating": "Half true"}]},
        {"text": "Ferries stopped in 2019", "claimReview": [{"publisher": {"name": "Tidewater Checks"}}]}],
        "nextPageToken": "x"}
    (doc,), errors, _ = read(write(tmp_path, "fct.json", data))
    assert [(r.author.name, r.rating.label, r.rating.verdict) for r in doc.reviews] == [
        ("Tidewater Checks", "False", "False"), ("quayside.example", "Half true", "Mixed")]
    first = doc.reviews[0]
    assert (first.claimant.name, first.claimant.type, first.date) == ("Port Orla Council", "", "2025-01-09T10:00:00Z")
    assert first.author.url == "https://tidewater.example"
    (err,) = errors
    assert err.path.endswith("fct.json#claims[1].claimReview[0]") and "textualRating" in err.problem


def test_malformed_reviews_get_clear_errors_and_the_rest_is_read(tmp_path):
    no_rating = review("The lighthouse is automated")
    del no_rating["reviewRating"]
    data = {"@context": "https://schema.org", "@graph": [
        review(),                                                                   # 1: fine
        no_rating,                                                                  # 2: no rating
        review("The lighthouse is 300 years old", "Spicy Pickle"),                  # 3: unknown label, with numbers
        {**review("The ferry runs hourly", "Sort of maybe"), "reviewRating": {"alternateName": "Sort of maybe"}},
        review("The ferry is free", "False", datePublished="the 32nd of Smarch"),   # 5: bad date
        review("The quay flooded", "False", datePublished="2025-02-30"),            # 6: no such day
        review("The pier is closed", "Unproven", url="javascript:alert(1)"),        # 7: not a web URL
    ]}
    (doc,), errors, _ = read(write(tmp_path, "mixed.json", data))
    assert [r.where.rsplit("#", 1)[1] for r in doc.reviews] == ["1", "3"]
    assert doc.reviews[1].rating.verdict == "MostlyFalse"           # unknown label, placed by its numbers
    problems = {e.path.rsplit("#", 1)[1]: e.problem for e in errors}
    assert set(problems) == {"2", "4", "5", "6", "7"}
    assert all(e.path.startswith(str(tmp_path / "mixed.json")) for e in errors)
    assert "no reviewRating" in problems["2"]
    assert "unknown rating label 'Sort of maybe'" in problems["4"]
    assert "bad datePublished 'the 32nd of Smarch'" in problems["5"] and "2025-02-30" in problems["6"]
    assert "not an absolute http(s) URL" in problems["7"]


def test_html_page_yields_its_reviews_and_its_article(tmp_path):
    markup = json.dumps({"@context": "https://schema.org", **review()}).replace("</", "<\\/")
    body = " ".join(["Tidewater Checks looked at the claim that the terminal was sold."] * 8)
    page = (f"<html><head><title>Was the ferry terminal sold?</title>"
            f'<script type="application/ld+json">{markup}</script></head>'
            f"<body><article><h1>Was the ferry terminal sold?</h1><p>{body}</p><p>{body}</p></article></body></html>")
    docs, errors, arts = read(write(tmp_path, "check.html", page))
    assert errors == [] and len(docs) == 1 and len(arts) == 1
    assert docs[0].reviews[0].rating.verdict == "MostlyFalse" and docs[0].id == arts[0].id == "check.html"
    only_markup = f'<html><head><script type="application/ld+json">{markup}</script></head><body></body></html>'
    docs, errors, arts = read(write(tmp_path, "bare.html", only_markup))
    assert len(docs) == 1 and errors == [] and arts == []     # a page with reviews and no text is no error


def test_broken_json_ld_in_html_is_reported_and_the_article_still_read(tmp_path):
    body = " ".join(["The terminal was sold, the council said in a statement on Monday."] * 8)
    page = ('<html><head><script type="application/ld+json">{"@type": "ClaimReview", oops</script></head>'
            f"<body><article><p>{body}</p><p>{body}</p></article></body></html>")
    docs, errors, arts = read(write(tmp_path, "broken.html", page))
    assert docs == [] and len(arts) == 1
    (err,) = errors
    assert err.path.endswith("broken.html") and "JSON-LD" in err.problem


def test_json_without_claimreview_is_still_read_as_articles(tmp_path):
    path = write(tmp_path, "story.json", {"id": "a1", "title": "Quay repairs", "text": "The quay was repaired."})
    docs, errors, arts = read(path)
    assert docs == [] and errors == [] and [a.id for a in arts] == ["a1"]


def test_folders_pick_up_jsonld_files(tmp_path):
    (tmp_path / "reviews").mkdir()
    write(tmp_path / "reviews", "x.jsonld", {"@context": "https://schema.org", **review()})
    docs, _, _ = read(tmp_path)
    assert [d.id for d in docs] == ["reviews/x.jsonld"]


def test_reading_claimreviews_opens_no_socket(tmp_path, monkeypatch):
    """Contexts are mapped offline and extruct only parses markup: nothing is fetched."""
    def refuse(*args, **kwargs):
        raise AssertionError("a ClaimReview reader tried to open a network connection")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    markup = json.dumps({"@context": "http://schema.org/", **review()})
    page = f'<html><head><script type="application/ld+json">{markup}</script></head><body></body></html>'
    docs, errors, _ = read(write(tmp_path, "offline.html", page))
    assert len(docs) == 1 and errors == []
    docs, errors, _ = read(SAMPLE / "seed-claims.jsonld")
    assert len(docs[0].reviews) == 2 and errors == []


# -- the verdict scale ------------------------------------------------------------------------------
@pytest.mark.parametrize("label, verdict", [
    ("True", "True"), ("Mostly True", "MostlyTrue"), ("Half True", "Mixed"), ("half-true", "Mixed"),
    ("Mixture", "Mixed"), ("Misleading", "Mixed"), ("Mostly False", "MostlyFalse"), ("False", "False"),
    ("Pants on Fire!", "False"), ("Four Pinocchios", "False"), ("Three Pinocchios", "MostlyFalse"),
    ("Unproven", "Unverifiable"), ("False. The photo shows another harbour.", "False")])
def test_publisher_labels_map_to_the_scale(label, verdict):
    from kg.ratings import verdict_of

    assert verdict_of(label) == verdict


@pytest.mark.parametrize("value, best, worst, verdict", [
    (5, 5, 1, "True"), (4, None, None, "MostlyTrue"), ("3", "5", "1", "Mixed"), (2, 5, 1, "MostlyFalse"),
    (1, 5, 1, "False"), (0, 6, 0, "False"), (3, 6, 0, "Mixed"), (0.9, 1, 0, "True")])
def test_numeric_ratings_map_by_their_place_between_worst_and_best(value, best, worst, verdict):
    from kg.ratings import verdict_of

    assert verdict_of(None, value, best=best, worst=worst) == verdict


def test_ratings_that_cannot_be_placed_are_refused():
    from kg.ratings import RatingProblem, verdict_of

    with pytest.raises(RatingProblem, match="outside"):
        verdict_of(None, 7, best=5, worst=1)
    with pytest.raises(RatingProblem, match="not a number"):
        verdict_of(None, "lots")
    with pytest.raises(RatingProblem, match="neither"):
        verdict_of(None)


def test_scale_table_matches_the_ontology_and_the_readme():
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF, SKOS

    from kg.ratings import scale
    from kg.records import VERDICTS

    fck = Namespace("https://w3id.org/factcheck-kg/ontology#")
    onto = Graph().parse(REPO / "ontology" / "factcheck.ttl")
    assert [s["verdict"] for s in scale()] == list(VERDICTS)
    concepts = set(onto.subjects(RDF.type, fck.Verdict))
    assert concepts == {fck["Rating" + v] for v in VERDICTS}
    order = sorted(concepts, key=lambda c: int(onto.value(c, SKOS.notation)))
    assert order == [fck["Rating" + v] for v in VERDICTS]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Verdicts (ClaimReview)", 1)[1].split("\n## ", 1)[0]
    for s in scale():
        assert f"| {s['label']} |" in section, s


# -- import into the graph --------------------------------------------------------------------------
def _store_rows(store):
    from kg.claimreview import review_rows

    return review_rows(store)


def _canon(rows):
    keys = ("claimReviewed", "authorName", "authorType", "authorUrl", "date", "url", "title", "language", "label",
            "value", "best", "worst", "verdict", "claimantName", "claimantType", "appearances")
    return sorted(tuple(str(r.get(k)) for k in keys) for r in rows)


@pytest.mark.model
def test_review_joins_the_article_claim_and_its_claimant_becomes_a_stance(tmp_path, nlp):
    from kg.ingest import ingest
    from kg.store import Store

    write(tmp_path, "ferry.txt", FERRY_ARTICLE)
    write(tmp_path, "check.json", {"@context": "https://schema.org", **review()})
    store = Store()
    report = ingest([str(tmp_path)], store, nlp=nlp)
    assert report.ok and report.articles == 1 and report.reviews == 1, report
    (row,) = _store_rows(store)
    appearances = select_values(store, "SELECT ?a WHERE { ?c schema:appearance ?a }", c=row["claim"])
    assert len(appearances) == 1, "the reviewed claim is the article's claim node"
    sides = {(r["h"], r["t"]) for r in select_values(
        store, "SELECT ?h ?t WHERE { ?s fck:claim ?c ; fck:holder/rdfs:label ?h ; fck:stanceType ?t }", c=row["claim"])}
    fck = "https://w3id.org/factcheck-kg/ontology#"
    assert {("Port Orla Council", fck + "Denies"), ("Mirela Danescu", fck + "Asserts")} <= sides
    derived = select_values(store, "SELECT ?s WHERE { ?s prov:wasDerivedFrom ?r ; fck:stanceType fck:Asserts }",
                            r=row["review"])
    assert len(derived) == 1
    assert select_values(store, "SELECT ?w WHERE { ?c skos:altLabel ?w }", c=row["claim"])  # the review's wording
    assert (row["verdict"], row["label"], row["value"]) == ("MostlyFalse", "Mostly False", 2)


@pytest.mark.model
def test_a_curated_merge_moves_the_review_to_the_surviving_claim(tmp_path, nlp):
    from kg import curate
    from kg.claimreview import review_rows
    from kg.ingest import ingest
    from kg.store import Store

    write(tmp_path, "ferry.txt", FERRY_ARTICLE)
    write(tmp_path, "check.json", {"@context": "https://schema.org", **review()})
    write(tmp_path, "check2.json", {"@context": "https://schema.org",
                                    **review(claim="Brightwater Holdings will open a hotel on the pier in 2031",
                                             url="https://tidewater.example/checks/hotel")})
    store = Store()
    assert ingest([str(tmp_path)], store, nlp=nlp).ok
    rows = review_rows(store)
    assert len({r["claim"] for r in rows}) == 2, rows
    first, second = sorted(rows, key=lambda r: r["claimReviewed"])
    rec = curate.merge_claims(store, second["claim"], first["claim"], by="tester", why="same claim")
    assert sorted(r["review"] for r in review_rows(store, first["claim"])) == sorted(r["review"] for r in rows)
    assert review_rows(store, second["claim"]) == [], "the merged-away claim keeps no reviews of its own"
    curate.undo(store, rec.iri, by="tester")
    assert [r["review"] for r in review_rows(store, second["claim"])] == [second["review"]]


@pytest.mark.model
def test_a_review_read_before_the_article_is_joined_by_the_article_later(tmp_path, nlp):
    from kg.ingest import ingest
    from kg.store import Store

    store = Store()
    assert ingest([str(write(tmp_path, "check.json", {"@context": "https://schema.org", **review()}))],
                  store, nlp=nlp).reviews == 1
    (before,) = _store_rows(store)
    assert ingest([str(write(tmp_path, "ferry.txt", FERRY_ARTICLE))], store, nlp=nlp).articles == 1
    claims = store.select("SELECT DISTINCT ?c WHERE { ?c a schema:Claim ; schema:appearance ?a }")
    assert [c["c"] for c in claims] == [before["claim"]]


@pytest.mark.model
def test_reimporting_a_changed_file_replaces_its_graph(tmp_path, nlp):
    from kg.ingest import ingest
    from kg.store import Store

    path = write(tmp_path, "check.json", {"@context": "https://schema.org", **review()})
    store = Store()
    ingest([str(path)], store, nlp=nlp)
    graphs, size = set(store.named_graphs()), len(store)
    ingest([str(path)], store, nlp=nlp)
    assert (set(store.named_graphs()), len(store)) == (graphs, size)     # unchanged file: same graph
    write(tmp_path, "check.json", {"@context": "https://schema.org", **review(label="False")})
    ingest([str(path)], store, nlp=nlp)
    (row,) = _store_rows(store)
    assert (row["label"], row["verdict"]) == ("False", "False")
    labels = store.select("SELECT ?l WHERE { ?r schema:alternateName ?l }")
    assert [r["l"] for r in labels] == ["False"] and set(store.named_graphs()) == graphs


@pytest.mark.model
def test_malformed_file_reports_each_record_and_keeps_what_is_stored(tmp_path, nlp):
    from kg.ingest import ingest
    from kg.store import Store

    store = Store()
    ingest([str(write(tmp_path, "good.json", {"@context": "https://schema.org", **review()}))], store, nlp=nlp)
    size = len(store)
    bad = [{"@context": "https://schema.org", **review("The ferry is free", "Spicy Pickle", reviewRating={})},
           {"@context": "https://schema.org", **review("The ferry is late", "False", datePublished="soon",
                                                       url="https://tidewater.example/late")},
           {"@context": "https://schema.org",
            **review("The ferry is blue", "True", url="https://tidewater.example/blue")}]
    report = ingest([str(write(tmp_path, "bad.json", bad))], store, nlp=nlp)
    assert report.reviews == 1 and len(report.failures) == 2
    assert {p.rsplit("#", 1)[1] for p, _ in report.failures} == {"1", "2"}
    assert len(store) > size and len(_store_rows(store)) == 2


@pytest.mark.model
def test_graph_with_reviews_conforms_to_the_shapes(tmp_path, nlp):
    from kg.ingest import ingest
    from kg.store import Store
    from kg.validate import validate_graph

    write(tmp_path, "ferry.txt", FERRY_ARTICLE)
    write(tmp_path, "check.json", [{"@context": "https://schema.org", **review()},
                                   {"@context": "https://schema.org", **review(
                                       "The lighthouse keeper retired in 1990", "Unproven",
                                       url="https://tidewater.example/keeper",
                                       itemReviewed={"@type": "Claim", "author": "social media posts"})}])
    store = Store()
    assert ingest([str(tmp_path)], store, nlp=nlp).reviews == 2
    result = validate_graph(_dataset(store))
    assert result.conforms, result.text
    # and the relaxed shapes still catch a review-derived stance that points at an article-less claim
    store.update("""PREFIX schema: <https://schema.org/>
        DELETE { GRAPH ?g { ?r schema:itemReviewed ?c } } WHERE { GRAPH ?g { ?r schema:itemReviewed ?c } }""")
    broken = {str(v.shape).rsplit("#", 1)[1] for v in validate_graph(_dataset(store)).violations}
    assert "ClaimAppearsInAnArticle" in broken


# -- export and round trip --------------------------------------------------------------------------
@pytest.mark.model
def test_export_is_claimreview_jsonld_that_reimports_to_the_same_reviews(tmp_path, nlp):
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    from kg.claimreview import export_claimreviews
    from kg.ingest import ingest
    from kg.store import Store

    first = Store()
    ingest([str(SAMPLE), str(write(tmp_path, "more.json", {"@context": "https://schema.org", **review(
        "The ferry terminal reopened in 2024", None, datePublished="2025-03-07T09:30:00Z",
        url="https://tidewater.example/reopened", inLanguage="en",
        itemReviewed={"@type": "Claim", "author": "harbour gossip"},
        reviewRating={"@type": "Rating", "ratingValue": "4.5", "bestRating": 5, "worstRating": 1})}))],
        first, nlp=nlp)
    out = tmp_path / "export" / "reviews.json"
    out.parent.mkdir()
    assert export_claimreviews(first, out) == len(_store_rows(first)) == 5   # 4 samples (both shapes) + 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert all(d["@context"] == "https://schema.org" and d["@type"] == "ClaimReview" for d in data)
    # valid JSON-LD: with the schema.org vocabulary given inline (offline), rdflib reads every review
    inline = json.dumps([{**d, "@context": {"@vocab": "https://schema.org/"}} for d in data])
    g = Graph().parse(data=inline, format="json-ld")
    assert len(set(g.subjects(RDF.type, URIRef("https://schema.org/ClaimReview")))) == 5
    second = Store()
    report = ingest([str(out)], second, nlp=nlp)
    assert report.ok and report.reviews == 5
    assert _canon(_store_rows(second)) == _canon(_store_rows(first))


@pytest.mark.model
def test_export_of_chosen_claims_and_bad_choices(tmp_path, nlp):
    from kg.claimreview import export_claimreviews
    from kg.ingest import ingest
    from kg.store import Store

    store = Store()
    ingest([str(SAMPLE)], store, nlp=nlp)
    rows = _store_rows(store)
    out = tmp_path / "one.json"
    assert export_claimreviews(store, out, [rows[0]["claim"]]) == 1
    one = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(one, dict) and one["claimReviewed"] == rows[0]["claimReviewed"]
    with pytest.raises(ExportError, match="no ClaimReview rates claim"):
        export_claimreviews(store, out, ["https://w3id.org/factcheck-kg/id/claim/none"])
    with pytest.raises(ExportError, match="not an IRI"):
        export_claimreviews(store, out, ["> } DROP ALL #"])
    with pytest.raises(ExportError, match="no ClaimReview to export"):
        export_claimreviews(Store(), out)


@pytest.mark.model
def test_cli_ingests_reviews_and_exports_claimreview(tmp_path, capsys):
    from kg.cli import main

    store = tmp_path / "store"
    assert main(["ingest", str(SAMPLE / "seed-claims.jsonld"), "--store", str(store), "--no-progress"]) == 0
    assert "2 reviews, 0 failures" in capsys.readouterr().out
    out = tmp_path / "out.jsonld"
    assert main(["export", "--format", "claimreview", "-o", str(out), "--store", str(store)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 2
    assert main(["export", "--format", "trig", "--claim", "x", "-o", str(out), "--store", str(store)]) == 2


# -- the dashboard ----------------------------------------------------------------------------------
def test_verdict_html_escapes_text_and_links_only_web_urls():
    from dashboards.verdicts import verdicts_html

    hostile = {"authorName": "<img src=x onerror=alert(1)>", "label": "<b>False</b>", "verdict": "False",
               "title": "Read <script>", "url": "javascript:alert(1)", "date": "2025-01-01", "value": 1,
               "best": 5, "worst": 1, "claimantName": "<i>someone</i>", "claimReviewed": "x", "claimText": "x"}
    out = verdicts_html([hostile, {**hostile, "url": 'https://tidewater.example/a"onmouseover="alert(1)'}])
    assert "<img" not in out and "<script" not in out and "<b>False</b>" not in out and "<i>someone" not in out
    assert "javascript:" not in out and "onmouseover=" not in out.replace("onmouseover=&quot;", "")
    assert out.count("<a ") == 0 and "&lt;img" in out
    assert "(1 on 1–5)" in out and "false" in out


def test_verdict_html_links_a_web_url():
    from dashboards.verdicts import verdicts_html

    out = verdicts_html([{"authorName": "Tidewater Checks", "label": "Mostly False", "verdict": "MostlyFalse",
                          "title": "Was it sold?", "url": "https://tidewater.example/checks/ferry?a=1&b=2"}])
    assert '<a href="https://tidewater.example/checks/ferry?a=1&amp;b=2"' in out and "mostly false" in out
    assert "noopener" in out


@pytest.mark.model
def test_claims_page_shows_the_verdicts_of_the_selected_claim(tmp_path, nlp, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from kg.ingest import ingest
    from kg.store import open_store

    location = tmp_path / "store"
    write(tmp_path, "ferry.txt", FERRY_ARTICLE)
    write(tmp_path, "check.json", {"@context": "https://schema.org", **review()})
    store = open_store(str(location))
    ingest([str(tmp_path / "ferry.txt"), str(tmp_path / "check.json")], store, nlp=nlp)
    (row,) = _store_rows(store)
    del store
    gc.collect()
    monkeypatch.setenv("KG_STORE", str(location))
    at = AppTest.from_file(str(REPO / "dashboards" / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/claims.py")
    at.run()
    at.selectbox(key="claims_selected").set_value(row["claim"]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Verdicts (1)" in [s.value for s in at.subheader]
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Tidewater Checks" in html and "mostly false" in html and "Mostly False" in html
    assert "Mirela Danescu" in html      # the claimant, and the article's supporter


# -- helpers ----------------------------------------------------------------------------------------
def _dataset(store):
    import io

    from rdflib import Dataset

    buf = io.BytesIO()
    store.dump(buf, "nquads")
    ds = Dataset()
    ds.parse(data=buf.getvalue().decode("utf-8"), format="nquads")
    return ds


def test_review_documents_are_plain_frozen_records():
    import dataclasses

    from kg.records import Agent, Rating, Review

    r = Review("c", Rating("False", "False"), Agent("Tidewater Checks"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.claim_text = "other"      # type: ignore[misc]
    assert copy.deepcopy(r) == r


def test_rating_numbers_are_typed_as_published():
    from decimal import Decimal

    from rdflib.namespace import XSD

    from kg.claimreview import _number

    assert (_number(2).datatype, _number(4.5).datatype, _number("4.5").datatype) == (XSD.integer, XSD.decimal, None)
    assert _number(4.5).toPython() == Decimal("4.5")
    assert _number(float("nan")).datatype is None     # JSON NaN has no xsd:decimal form: kept as text


def test_ratings_doctests_pass():
    import doctest

    import kg.ratings

    result = doctest.testmod(kg.ratings)
    assert result.attempted >= 2 and result.failed == 0


def test_reading_sources_stays_light():
    """kg.sources (and so ingest's reader) imports neither extruct nor spaCy until a page needs it."""
    import subprocess
    import sys

    code = ("import sys, kg, kg.sources, kg.claimreview; "
            "print(sorted(m for m in ('extruct', 'spacy', 'pyrdfa') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


@pytest.mark.parametrize("shape, update", [
    ("ClaimAppearsInAnArticle", """DELETE { GRAPH ?g { ?r schema:itemReviewed <claim/keeper> } }
                                   WHERE { GRAPH ?g { ?r schema:itemReviewed <claim/keeper> } }"""),
    ("ClaimAppearsInAnArticle", """INSERT { GRAPH <graph/x> { <claim/keeper> schema:appearance <entity/danescu> } }
                                   WHERE {}"""),
    ("StanceIsDerivedFromOneArticle", """DELETE { GRAPH ?g { ?s prov:wasDerivedFrom ?r } }
        INSERT { GRAPH ?g { ?s prov:wasDerivedFrom <entity/danescu> } }
        WHERE { GRAPH ?g { ?s prov:wasDerivedFrom ?r . ?r a schema:ClaimReview } }"""),
    ("StanceHasExactlyOneCueSpan", """DELETE { GRAPH ?g { <stance/denial> fck:cueSpan ?c } }
                                      WHERE { GRAPH ?g { <stance/denial> fck:cueSpan ?c } }"""),
    ("StanceHasExactlyOneContentSpan", """DELETE { GRAPH ?g { ?s prov:wasDerivedFrom ?r } }
        INSERT { GRAPH ?g { ?s prov:wasDerivedFrom <article/ferry> } }
        WHERE { GRAPH ?g { ?s prov:wasDerivedFrom ?r . ?r a schema:ClaimReview } }"""),
])
def test_review_example_conforms_and_the_relaxed_shapes_still_catch(shape, update):
    """Review-sourced stances need no spans and review-only claims no appearance; nothing else."""
    from rdflib import Dataset

    from kg.validate import validate_graph

    example = REPO / "ontology" / "examples" / "04-valid-claim-reviews.trig"
    ds = Dataset()
    ds.parse(example, format="trig")
    assert validate_graph(ds).conforms
    base = "https://w3id.org/factcheck-kg/id/"
    ds.update(f"""BASE <{base}>
        PREFIX fck: <https://w3id.org/factcheck-kg/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        {update}""")
    broken = {str(v.shape).rsplit("#", 1)[1] for v in validate_graph(ds).violations}
    assert shape in broken, broken
