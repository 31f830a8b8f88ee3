"""The .txt reader: seed layout (web page as text) and plain text files."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.sources.common import headline_from_text, parse_date


def write(tmp_path: Path, text: str, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


class TestSeedLayout:
    @pytest.fixture
    def article(self, read_one, data_dir):
        return read_one(data_dir / "seed_layout.txt")

    def test_title_is_the_first_real_line(self, article):
        assert article.headline == "Harbour Council Denies Ferry Line Lost Money"

    def test_byline_markdown_link_stripped_into_authors(self, article):
        assert article.authors == ("Nordwind Press",)

    def test_date_line_parsed_to_iso(self, article):
        assert article.date == "2023-03-14"

    def test_photo_credit_goes_to_credits(self, article):
        assert article.credits == ("Tomas Berg / NORDWIND",)

    def test_original_url_footer_captured(self, article):
        assert article.url == "https://courier.example.org/2023/03/14/ferry-denial"

    def test_body_starts_after_header_and_ends_before_comments(self, article):
        assert article.body.startswith("The Harbour Council of Port Velden on Tuesday denied")
        assert article.body.endswith("said it stood by its figures.")

    def test_furniture_removed_from_body(self, article):
        for furniture in ("close", "Leave a Reply", "email address", "Related article",
                          "Original url", "courier.example.org", "Nordwind", "Tomas Berg"):
            assert furniture not in article.body
        assert article.headline not in article.body

    def test_paragraphs_joined_by_one_blank_line_with_text_verbatim(self, article):
        paragraphs = article.body.split("\n\n")
        assert len(paragraphs) == 3
        assert paragraphs[1] == ('"That is simply not true," council spokesperson Ilse Varga told'
                                 ' the Velden Courier — adding that the line “broke even” twice.')

    def test_trailing_spaces_stripped(self, article):
        assert all(line == line.rstrip() for line in article.body.split("\n"))

    def test_id_and_source_path_of_an_explicit_file(self, article, data_dir):
        assert article.id == "seed_layout.txt"
        assert article.source_path == str(data_dir / "seed_layout.txt")


def test_original_url_on_the_same_line(tmp_path, read_one):
    path = write(tmp_path, "Title Here\n\nBody sentence one.\n\nOriginal url: <https://x.example/a>\n")
    article = read_one(path)
    assert article.url == "https://x.example/a"
    assert article.body == "Body sentence one."


def test_footer_without_url_gives_no_url(tmp_path, read_one):
    article = read_one(write(tmp_path, "Title Here\n\nBody sentence one.\n\nOriginal url:\n"))
    assert article.url is None
    assert article.body == "Body sentence one."


def test_byline_with_several_names(tmp_path, read_one):
    path = write(tmp_path, "Title Here\nBy [Ana Ruiz](https://x.example/ana) and Bo Lin\n\nBody.\n")
    assert read_one(path).authors == ("Ana Ruiz", "Bo Lin")


def test_plain_txt_short_first_line_is_headline(read_one, data_dir):
    article = read_one(data_dir / "plain.txt")
    assert article.headline == "Orchard Growers Question Frost Figures"
    assert article.body.startswith("The Valmont Orchard Cooperative said on Friday")
    assert article.body.endswith("count the damage themselves.")
    assert article.body.count("\n\n") == 1
    assert (article.date, article.url, article.authors, article.credits) == (None, None, (), ())


def test_plain_txt_single_paragraph_headline_from_first_sentence(tmp_path, read_one):
    text = ("The mayor of Brisk, Odile Fane, said the new tram line would open in May. "
            "Critics said the date had already slipped twice.")
    article = read_one(write(tmp_path, text + "\n"))
    assert article.body == text
    assert article.headline == "The mayor of Brisk, Odile Fane, said the new tram line would open in May."


def test_plain_txt_first_line_that_is_a_sentence_stays_in_body(tmp_path, read_one):
    text = "Rain closed the fairground on Sunday.\n\nOrganisers said it would reopen on Tuesday."
    article = read_one(write(tmp_path, text))
    assert article.body == text
    assert article.headline == "Rain closed the fairground on Sunday."


def test_plain_txt_very_long_first_line_is_body(tmp_path, read_one):
    first = "word " * 60 + "end."
    article = read_one(write(tmp_path, first + "\n\nSecond paragraph."))
    assert article.body == first + "\n\nSecond paragraph."
    assert len(article.headline) <= 81 and article.headline.endswith("…")


def test_crlf_and_cr_line_endings_normalised(tmp_path, read_one):
    article = read_one(write(tmp_path, "Title Here\r\n\r\nLine one\r\nline two.\r\rNext."))
    assert article.headline == "Title Here"
    assert article.body == "Line one\nline two.\n\nNext."


def test_many_blank_lines_collapse_to_one(tmp_path, read_one):
    article = read_one(write(tmp_path, "Title Here\n\n\n\nOne.\n \n\t\n\nTwo.\n\n\n"))
    assert article.body == "One.\n\nTwo."


@pytest.mark.parametrize("text", [
    "Title Only Without Body\n",
    "Title Here\n\nBy Someone\n\nMay 3, 2020\n",
    "close\nclose\n\nTitle Here\n\nLeave a Reply\n\nA comment that is not the article.\n",
])
def test_header_without_body_is_an_error(tmp_path, read_error, text):
    error = read_error(write(tmp_path, text))
    assert error.problem == "no article body"
    assert "a.txt" in str(error)


@pytest.mark.parametrize(("line", "iso"), [
    ("October 09, 2024", "2024-10-09"),
    ("Oct. 9, 2024", "2024-10-09"),
    ("Sept 30 2021", "2021-09-30"),
    ("9 October 2024", "2024-10-09"),
    ("Wednesday, October 9, 2024", "2024-10-09"),
    ("Published: March 3, 2020 10:45 am EST", "2020-03-03"),
    ("2024-10-09", "2024-10-09"),
    ("February 30, 2024", None),
    ("The Kremlin on Wednesday denied it.", None),
    ("May the best side win, 2024", None),
])
def test_parse_date(line, iso):
    assert parse_date(line) == iso


@pytest.mark.parametrize(("text", "headline"), [
    ("Short line", "Short line"),
    ("First sentence. Second one.", "First sentence."),
    ("\n\n  Leading blanks first. Then more.", "Leading blanks first."),
])
def test_headline_from_text(text, headline):
    assert headline_from_text(text) == headline
