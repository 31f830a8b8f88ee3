"""Shared fixtures for the source-reader tests."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # lets `pytest tests/sources` run without an installed package
    sys.path.insert(0, str(REPO))

from kg.errors import SourceError  # noqa: E402
from kg.records import Article  # noqa: E402
from kg.sources import read_articles  # noqa: E402

DATA = REPO / "tests" / "data" / "sources"
SHARED = REPO.parent / "shared"

Split = tuple[list[Article], list[SourceError]]


def split(results: Iterable[Article | SourceError]) -> Split:
    """Separate the articles from the errors, checking nothing else was yielded."""
    articles: list[Article] = []
    errors: list[SourceError] = []
    for item in results:
        if isinstance(item, SourceError):
            errors.append(item)
        else:
            assert isinstance(item, Article), item
            articles.append(item)
    return articles, errors


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def read() -> Callable[..., Split]:
    """``read(*paths, max_bytes=...)`` -> (articles, errors)."""
    def _read(*paths: str | os.PathLike[str], **kwargs: int) -> Split:
        return split(read_articles(list(paths), **kwargs))
    return _read


@pytest.fixture
def read_one(read: Callable[..., Split]) -> Callable[[Path], Article]:
    """Read one file that must give exactly one article and no error."""
    def _read_one(path: Path) -> Article:
        articles, errors = read(path)
        assert errors == [], [str(e) for e in errors]
        assert len(articles) == 1
        return articles[0]
    return _read_one


@pytest.fixture
def read_error(read: Callable[..., Split]) -> Callable[..., SourceError]:
    """Read one file that must give exactly one error and no article."""
    def _read_error(path: Path, **kwargs: int) -> SourceError:
        articles, errors = read(path, **kwargs)
        assert articles == []
        assert len(errors) == 1, [str(e) for e in errors]
        return errors[0]
    return _read_error


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repository; skip when absent unless KG_REQUIRE_SHARED=1."""
    if not SHARED.is_dir():
        if os.environ.get("KG_REQUIRE_SHARED") == "1":
            pytest.fail(f"KG_REQUIRE_SHARED=1 but {SHARED} is missing")
        pytest.skip(f"{SHARED} not present")
    return SHARED
