"""Property tests: JSON bodies survive verbatim; the txt reader never raises."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import SourceError
from kg.records import Article
from kg.sources import read_articles
from kg.sources.jsonfile import record_to_article
from kg.sources.txt import parse_txt

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
NON_BLANK = st.text().filter(lambda s: s.strip())


@SETTINGS
@given(body=NON_BLANK, headline=st.one_of(st.none(), st.text()))
def test_json_record_body_is_kept_verbatim(body, headline):
    record = {"id": "p", "text": body, "title": headline}
    article = record_to_article(json.loads(json.dumps(record)), "fallback", "mem", "mem")
    assert article.body == body
    assert isinstance(article.headline, str)


@SETTINGS
@given(body=NON_BLANK)
def test_jsonl_file_body_is_kept_verbatim(tmp_path, body):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"text": body}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read_articles([path])
    assert isinstance(article, Article) and article.body == body


TXT = st.lists(st.one_of(
    st.text(max_size=120),
    st.sampled_from(["close", "By [Ana](#)", "October 09, 2024", "Leave a Reply", "Original url:",
                     "<https://a.example/x>", "Name / AGENCY", "Related article: x", "", "\r"]),
), max_size=25).map("\n".join)


@SETTINGS
@given(text=TXT)
def test_txt_parser_returns_article_or_raises_only_source_error(text):
    try:
        article = parse_txt("mem.txt", text, "mem.txt")
    except SourceError:
        return
    assert article.body.strip() and article.headline
    assert "\r" not in article.body


@SETTINGS
@given(data=st.binary(max_size=300))
def test_reading_arbitrary_bytes_never_raises(tmp_path, data):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    for item in read_articles([path]):
        assert isinstance(item, (Article, SourceError))
        assert not (isinstance(item, SourceError) and item.problem.startswith("unexpected"))
