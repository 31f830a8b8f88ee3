"""Property tests (Hypothesis): the JSON readers never crash and only hand on text a store can
write; every span extraction produces indexes the body exactly, in the records and in the RDF."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import SourceError
from kg.records import Article
from kg.sources import read_articles

READER_SETTINGS = settings(max_examples=150, deadline=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SPAN_SETTINGS = settings(max_examples=40, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# any code point, lone surrogates included (json.dumps writes them as \udXXX escapes)
# (st.text() never yields surrogates, whatever its alphabet: build the strings from characters)
ANY_TEXT = st.one_of(st.text(max_size=80), st.lists(st.one_of(st.characters(), st.characters(categories=["Cs"])),
                                                     max_size=80).map("".join))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3), max_leaves=8)
FIELDS = ["id", "doc_id", "identifier", "headline", "title", "name", "text", "body", "articleBody", "content",
          "url", "datePublished", "date", "publisher", "author", "authors"]
RECORDS = st.dictionaries(st.sampled_from(FIELDS), st.one_of(ANY_TEXT, JSON_VALUES), max_size=8)


def _writable(article: Article) -> bool:
    """Every string of the article encodes as UTF-8 (no lone surrogate: the store could not write it)."""
    texts = [article.id, article.headline, article.body, article.url or "", article.date or "",
             article.publisher or "", *article.authors]
    try:
        for text in texts:
            text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("props")


@READER_SETTINGS
@given(records=st.lists(st.one_of(RECORDS, JSON_VALUES), min_size=1, max_size=4), ascii_only=st.booleans(),
       as_lines=st.booleans())
def test_json_records_with_any_text_never_crash_the_reader(scratch, records, ascii_only, as_lines):
    if as_lines:
        path = scratch / "any.jsonl"
        text = "".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in records)
    else:
        path = scratch / "any.json"
        text = json.dumps(records if len(records) > 1 else records[0], ensure_ascii=ascii_only)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:    # a lone surrogate written raw cannot even be saved as UTF-8
        data = text.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    results = list(read_articles([path]))
    assert results, "the reader yielded nothing at all"
    for item in results:
        assert isinstance(item, (Article, SourceError)), item
        if isinstance(item, SourceError):
            assert item.problem and str(path) in item.path
        else:
            assert item.body.strip() and item.headline and item.id
            assert _writable(item), f"the reader handed on text no store can write: {item!r}"


@pytest.mark.parametrize("field", ["id", "title", "text", "author", "publisher", "date"])
def test_a_lone_surrogate_in_any_field_is_refused_by_name(scratch, field):
    """``\\ud800`` is valid JSON but no store can write it: the record is refused, the batch goes on."""
    record = {"id": "s", "title": "Title", "text": "The mayor said the bridge was safe."}
    record[field] = record.get(field, "x") + "\ud800"
    path = scratch / "surrogate.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps({"id": "fine", "text": "The mayor said so."}) + "\n",
                    encoding="utf-8")
    first, second = read_articles([path])
    assert isinstance(first, SourceError) and "surrogate" in first.problem, first
    assert isinstance(second, Article) and second.id == "fine"


@READER_SETTINGS
@given(body=ANY_TEXT.filter(str.strip), headline=st.text(max_size=80))
def test_json_bodies_are_kept_verbatim_or_refused_with_a_reason(scratch, body, headline):
    path = scratch / "one.json"
    path.write_text(json.dumps({"id": "p", "title": headline, "text": body}), encoding="utf-8")
    (item,) = read_articles([path])
    decoded = json.loads(json.dumps(body))   # what JSON means: an escaped surrogate PAIR is one character
    try:
        decoded.encode("utf-8")
    except UnicodeEncodeError:                # a lone surrogate: the only reason to refuse a non-blank body
        assert isinstance(item, SourceError) and "surrogate" in item.problem, item
    else:
        assert isinstance(item, Article) and item.body == decoded, item


# -- span offsets -----------------------------------------------------------------------------------
NAMES = ["Maria Lopez", "John Carter", "Jos\u00e9 \u00d1\u00fa\u00f1ez", "Zo\u00eb Brontë", "Aiko Tanaka",
         "the Kremlin", "the Finance Ministry", "a spokesperson", "Dmitry Peskov", "NBC News", "officials"]
VERBS = ["said", "denied", "confirmed", "claimed", "disputed", "rejected", "acknowledged", "told reporters",
         "could not verify", "declined to comment on", "insisted", "wrote"]
CONTENT = ["the bridge would reopen in May", "taxes rose by 5 percent", "it did not receive the letter",
           "the firm never sold user data", "the two leaders spoke seven times since 2021",
           "Covid tests were sent to Putin", "the report was false", "that is not the case"]
FILLER = ["On Tuesday,", "However,", "According to Reuters,", "\U0001f642", "\u2014", "(AP)", "In 2024,"]
QUOTES = [("\u201c", "\u201d"), ('"', '"'), ("'", "'"), ("\u00ab", "\u00bb")]
SPACES = [" ", "  ", "\u00a0", "\t", "\n", "\r\n", "\n\n"]


@st.composite
def sentence(draw) -> str:
    who, verb, what = draw(st.sampled_from(NAMES)), draw(st.sampled_from(VERBS)), draw(st.sampled_from(CONTENT))
    form = draw(st.integers(0, 4))
    if form == 0:
        text = f"{who} {verb} that {what}."
    elif form == 1:
        left, right = draw(st.sampled_from(QUOTES))
        text = f"{left}{what[0].upper() + what[1:]},{right} {who} {verb}."
    elif form == 2:
        text = f"According to {who}, {what}."
    elif form == 3:
        left, right = draw(st.sampled_from(QUOTES))
        text = f"{who} {verb}: {left}{what[0].upper() + what[1:]}.{right}"
    else:
        text = f"{who} {verb} {what}!"
    if draw(st.booleans()):
        text = f"{draw(st.sampled_from(FILLER))} {text}"
    return text[0].upper() + text[1:]


@st.composite
def bodies(draw) -> str:
    parts = draw(st.lists(sentence(), min_size=1, max_size=5))
    out = parts[0]
    for part in parts[1:]:
        out += draw(st.sampled_from(SPACES)) + part
    return draw(st.sampled_from(["", " ", "\n"])) + out


def _spans(extraction):
    for e in extraction.entities:
        for m in e.mentions:
            yield f"mention of {e.name}", m
    for c in extraction.claims:
        yield f"claim {c.key}", c.span
    for s in extraction.stances:
        for role in ("cue", "content", "source", "sentence"):
            span = getattr(s, role)
            if span is not None:
                yield f"stance {s.key} {role}", span


SPANS_IN_STORE = """
SELECT ?body ?start ?end ?exact WHERE {
  ?a schema:articleBody ?body . ?s prov:wasDerivedFrom ?a ; ?role ?span .
  ?span a fck:TextSpan ; oa:start ?start ; oa:end ?end ; oa:exact ?exact }"""


@pytest.mark.model
@SPAN_SETTINGS
@given(body=bodies())
def test_every_span_indexes_the_body_exactly(nlp, body):
    from kg.build import build_graph
    from kg.extract import extract
    from kg.resolve import IdentityIndex, resolve
    from kg.store import Store

    article = Article(id="prop", headline="Property test", body=body)
    ex = extract(article, nlp)
    for what, span in _spans(ex):
        assert 0 <= span.start <= span.end <= len(body), (what, span)
        assert body[span.start:span.end] == span.text, (what, span, body)
    # the same through the graph: oa:exact is the body at [oa:start, oa:end)
    store = Store()
    graph, triples, shared = build_graph(resolve(ex, IdentityIndex()))
    store.replace_graph(str(graph), triples, shared)
    rows = store.select(SPANS_IN_STORE)
    assert len(rows) >= sum(1 for s in ex.stances for r in ("cue", "content") if getattr(s, r) is not None)
    for r in rows:
        assert r["body"] == body
        assert body[r["start"]:r["end"]] == r["exact"], r
