"""The .json and .jsonl readers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

BODY = "Line one of the body.\r\n\r\n  Indented second paragraph\twith a tab.  \n"


def write_json(tmp_path: Path, value, name: str = "a.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def write_lines(tmp_path: Path, lines: list[str], name: str = "a.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_object_with_schema_org_fields(read_one, data_dir):
    article = read_one(data_dir / "story" / "nested" / "wire.json")
    assert article.id == "wire-0042"
    assert article.headline == "Mill Owner Confirms Sale Talks"
    assert article.body.startswith("The owner of the Eskdale paper mill")
    assert article.date == "2022-06-06"
    assert article.publisher == "Eskdale Wire"
    assert article.authors == ("Piet Amsel",)


def test_json_body_is_kept_verbatim(tmp_path, read_one):
    article = read_one(write_json(tmp_path, {"id": "x", "title": "T", "text": BODY}))
    assert article.body == BODY


def test_json_list_gives_one_article_per_object(tmp_path, read):
    path = write_json(tmp_path, [{"title": "One", "text": "First body."},
                                 {"id": "two", "title": "Two", "text": "Second body."}])
    articles, errors = read(path)
    assert errors == []
    assert [(a.id, a.headline) for a in articles] == [("a.json#1", "One"), ("two", "Two")]
    assert all(a.source_path == str(path) for a in articles)


def test_json_list_bad_record_is_reported_and_others_read(tmp_path, read):
    path = write_json(tmp_path, [{"text": "Good."}, "not an object", {"title": "No body"}])
    articles, errors = read(path)
    assert [a.id for a in articles] == ["a.json#1"]
    assert [e.path for e in errors] == [f"{path}#2", f"{path}#3"]
    assert "not a JSON object" in errors[0].problem
    assert errors[1].problem.startswith("no article body")


def test_jsonl_broken_line_is_reported_with_file_and_line(tmp_path, read):
    path = write_lines(tmp_path, [
        json.dumps({"doc_id": "d1", "title": "First", "text": "Body one."}),
        '{"doc_id": "d2", "title": "Second", "text": "Body two.',
        "",
        json.dumps({"doc_id": "d3", "title": "Third", "text": "Body three."}),
    ])
    articles, errors = read(path)
    assert [a.id for a in articles] == ["d1", "d3"]
    assert len(errors) == 1
    assert errors[0].path == f"{path}:2"
    assert f"{path}:2" in str(errors[0]) and "invalid JSON" in errors[0].problem


def test_jsonl_records_without_id_are_numbered(tmp_path, read):
    path = write_lines(tmp_path, [json.dumps({"text": "A."}), "", json.dumps({"text": "B."})])
    articles, _ = read(path)
    assert [a.id for a in articles] == ["a.jsonl#1", "a.jsonl#2"]


def test_jsonl_crlf_lines_and_unicode_line_separator_in_body(tmp_path, read):
    body = "Before\u2028after, and\u0085more."
    path = tmp_path / "a.jsonl"
    path.write_bytes((json.dumps({"id": 1, "text": body}, ensure_ascii=False) + "\r\n").encode())
    articles, errors = read(path)
    assert errors == []
    assert articles[0].body == body
    assert articles[0].id == "1"


def test_json_file_with_several_objects_is_read_as_lines(tmp_path, read):
    path = tmp_path / "a.json"
    path.write_text('{"text": "A."}\n{"text": "B."}\n', encoding="utf-8")
    articles, errors = read(path)
    assert errors == [] and [a.body for a in articles] == ["A.", "B."]


@pytest.mark.parametrize("id_field", ["id", "doc_id", "identifier"])
@pytest.mark.parametrize("headline_field", ["headline", "title", "name"])
@pytest.mark.parametrize("body_field", ["text", "body", "articleBody", "content"])
def test_field_name_variants(tmp_path, read_one, id_field, headline_field, body_field):
    article = read_one(write_json(tmp_path, {id_field: "r-9", headline_field: "Head",
                                             body_field: "Body text."}))
    assert (article.id, article.headline, article.body) == ("r-9", "Head", "Body text.")


@pytest.mark.parametrize("date_field", ["datePublished", "date", "publication_date", "published"])
def test_date_field_variants(tmp_path, read_one, date_field):
    article = read_one(write_json(tmp_path, {"text": "B.", date_field: "2019-04-02"}))
    assert article.date == "2019-04-02"


@pytest.mark.parametrize(("value", "iso"), [
    ("April 2, 2019", "2019-04-02"),
    ("2019-04-02T08:15:00Z", "2019-04-02T08:15:00Z"),
    ("spring 2019", "spring 2019"),
])
def test_dates_normalised_when_recognised(tmp_path, read_one, value, iso):
    assert read_one(write_json(tmp_path, {"text": "B.", "date": value})).date == iso


@pytest.mark.parametrize(("author", "expected"), [
    ("Ada Brook", ("Ada Brook",)),
    (["Ada Brook", "Cy Dunn"], ("Ada Brook", "Cy Dunn")),
    ([{"name": "Ada Brook"}, {"@type": "Person", "name": "Cy Dunn"}], ("Ada Brook", "Cy Dunn")),
    ({"name": "Ada Brook"}, ("Ada Brook",)),
    ([None, "", 3], ()),
])
def test_author_variants(tmp_path, read_one, author, expected):
    assert read_one(write_json(tmp_path, {"text": "B.", "author": author})).authors == expected


@pytest.mark.parametrize(("publisher", "expected"), [
    ("Calder Post", "Calder Post"), ({"name": "Calder Post"}, "Calder Post"), (7, None)])
def test_publisher_variants(tmp_path, read_one, publisher, expected):
    assert read_one(write_json(tmp_path, {"text": "B.", "publisher": publisher})).publisher == expected


def test_url_is_read(tmp_path, read_one):
    article = read_one(write_json(tmp_path, {"text": "B.", "url": "https://p.example/x"}))
    assert article.url == "https://p.example/x"


def test_missing_headline_comes_from_first_sentence_of_body(tmp_path, read_one):
    body = ("Volunteers planted four hundred oaks along the Tessel canal on Saturday. "
            "The town paid for the saplings.")
    article = read_one(write_json(tmp_path, {"text": body, "title": "   "}))
    assert article.headline == "Volunteers planted four hundred oaks along the Tessel canal on Saturday."


def test_single_object_without_id_uses_file_name(tmp_path, read_one):
    assert read_one(write_json(tmp_path, {"text": "B."}, name="lone.json")).id == "lone.json"


@pytest.mark.parametrize("record", [
    {"title": "No body at all"}, {"text": "   \n "}, {"text": 42}, {"body": ["a", "b"]}])
def test_missing_body_is_an_error(tmp_path, read_error, record):
    assert read_error(write_json(tmp_path, record)).problem.startswith("no article body")


@pytest.mark.parametrize(("value", "words"), [
    ("a string", "not a string"), (3, "not a number"), ([], "empty JSON list")])
def test_top_level_that_is_not_an_object_or_list_is_an_error(tmp_path, read_error, value, words):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    error = read_error(path)
    assert words in error.problem


@pytest.mark.parametrize("record", [{"id": {"x": 1}, "text": "B."}, {"id": True, "text": "B."}])
def test_id_that_is_not_a_string_or_integer_is_an_error(tmp_path, read_error, record):
    assert "id must be" in read_error(write_json(tmp_path, record)).problem


def test_jsonl_line_that_is_not_an_object(tmp_path, read):
    path = write_lines(tmp_path, ["[1, 2]", json.dumps({"text": "B."})])
    articles, errors = read(path)
    assert len(articles) == 1
    assert errors[0].path == f"{path}:1" and "not a JSON object" in errors[0].problem


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path, read_error):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert "invalid JSON" in read_error(path).problem
