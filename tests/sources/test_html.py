"""The .html reader (trafilatura, offline)."""
from __future__ import annotations

import pytest

PARAGRAPHS = (
    "The Harbour Council of Port Velden on Tuesday rejected a consultancy report that said the"
    " town's ferry line had lost money for six straight years.",
    '"Those figures are simply wrong," council spokesperson Ilse Varga told reporters, adding'
    " that the line broke even in two of those years.",
    "The consultancy, Brightwater Analytics, said it stood by its numbers and would publish its"
    " full working papers next month.",
)


@pytest.fixture
def article(read_one, data_dir):
    return read_one(data_dir / "article.html")


def test_html_metadata_title_author_date_url_publisher(article):
    assert article.headline == "Harbour Council Rejects Ferry Report"
    assert article.authors == ("Mara Okonkwo",)
    assert article.date == "2023-03-14"
    assert article.url == "https://ledger.example.org/2023/03/14/ferry-report"
    assert article.publisher == "The Lindqvist Ledger"
    assert article.id == "article.html"


def test_html_body_is_main_text_paragraphs(article):
    assert article.body == "\n\n".join(PARAGRAPHS)


def test_html_body_leaves_out_navigation_scripts_and_footer(article):
    for noise in ("Home", "Sport", "analytics-snippet", "font-family", "Copyright"):
        assert noise not in article.body


def test_htm_extension_and_crlf_markup(tmp_path, read_one, data_dir):
    html = (data_dir / "article.html").read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "page.HTM"
    path.write_bytes(html.encode("utf-8"))
    article = read_one(path)
    assert article.body == "\n\n".join(PARAGRAPHS)
    assert article.id == "page.HTM"


def test_html_without_title_takes_headline_from_body(tmp_path, read_one):
    path = tmp_path / "untitled.html"
    path.write_text("<html><body><article><p>The Olmstead village hall will close for repairs"
                    " in April, the parish clerk said.</p><p>It reopens in June.</p></article>"
                    "</body></html>", encoding="utf-8")
    article = read_one(path)
    assert article.headline
    assert article.body.startswith("The Olmstead village hall will close")
    assert article.date is None and article.url is None and article.authors == ()


def test_unclosed_tags_are_still_read(tmp_path, read_one):
    path = tmp_path / "broken.html"
    path.write_text("<html><head><title>Dam Inspection Passed</title><body><div><p>Engineers"
                    " said the Korvel dam passed its ten-year inspection without any findings,"
                    " the water board announced<p>Repairs to the spillway road start in autumn.",
                    encoding="utf-8")
    article = read_one(path)
    assert "Korvel dam passed" in article.body
    assert "spillway road" in article.body


@pytest.mark.parametrize("html", [
    "<html><head><script>var a = 1;</script></head><body><script>alert(2)</script></body></html>",
    "<html><head><title>Only a title</title></head><body></body></html>",
    "<!-- just a comment -->",
])
def test_html_without_article_text_is_an_error(tmp_path, read_error, html):
    path = tmp_path / "empty.html"
    path.write_text(html, encoding="utf-8")
    error = read_error(path)
    assert error.problem == "no article text found"
    assert str(path) in str(error)
