"""The shared corpus beside the repository (../shared): seeds and PolNeAR dev.

Skipped when ../shared is absent, unless KG_REQUIRE_SHARED=1 (then they fail).
"""
from __future__ import annotations

import json

import pytest

SEED_HEADLINES = {
    "000_30f5b1042b33da71.txt": "Kremlin Denies Trump, Putin Spoke 7 Times Since 2021",
    "001_073b75026eff55c0.txt": "The Kremlin confirms Trump sent Covid testing equipment to Putin"
                                " and denies Putin's phone calls since leaving office",
}


@pytest.fixture
def seeds(shared_dir, read):
    articles, errors = read(shared_dir / "corpus" / "seeds")
    assert errors == []
    return {a.id: a for a in articles}


def test_seeds_parse_with_the_right_headlines(seeds):
    assert {i: a.headline for i, a in seeds.items()} == SEED_HEADLINES


def test_seed_header_fields(seeds):
    first = seeds["000_30f5b1042b33da71.txt"]
    assert first.authors == ("AFP",)
    assert first.date == "2024-10-09"
    assert first.credits == ("Mikhail Metzler / TASS",)
    assert first.url == ("https://www.themoscowtimes.com/2024/10/09/"
                         "kremlin-denies-trump-putin-spoke-7-times-since-2021-a86621")
    assert first.body.startswith("The Kremlin on Wednesday denied a claim in a new book")


def test_seed_bodies_have_no_web_furniture(seeds):
    for article in seeds.values():
        lines = article.body.split("\n")
        assert "close" not in lines
        assert "Leave a Reply" not in article.body
        assert "Your email address" not in article.body
        assert "Related article" not in article.body
        assert "Original url" not in article.body
        assert article.headline not in lines


def test_second_seed_starts_after_repeated_title(seeds):
    second = seeds["001_073b75026eff55c0.txt"]
    assert second.body.startswith("Former President Donald Trump sent coronavirus testing")
    assert second.body.endswith("praised Russia's invasion of Ukraine as \u201cbrilliant.\u201d")


def test_polnear_dev_ingests_verbatim(shared_dir, read):
    path = shared_dir / "corpus" / "polnear" / "dev.jsonl"
    articles, errors = read(path)
    assert errors == []
    assert len(articles) == 84
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for article, record in zip(articles, records):
        assert article.id == record["doc_id"]
        assert article.body == record["text"]
        assert article.headline == record["title"]
        assert article.publisher == record["publisher"]
        assert article.date == record["publication_date"]
