"""Fixtures shared by the whole suite: the spaCy pipeline (loaded once), paths, small helpers."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # lets `pytest tests/...` run without an installed package
    sys.path.insert(0, str(REPO))

SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples" / "articles"


def require_shared() -> Path:
    """``../shared`` beside the repository: skip when it is missing, unless
    ``KG_REQUIRE_SHARED=1``, in which case the test fails (CI must not skip silently)."""
    if not SHARED.is_dir():
        if os.environ.get("KG_REQUIRE_SHARED") == "1":
            pytest.fail(f"KG_REQUIRE_SHARED=1 but {SHARED} is missing")
        pytest.skip(f"{SHARED} not present")
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ``../shared`` folder (see :func:`require_shared`)."""
    return require_shared()


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline with the project's components, loaded once per test session."""
    from kg.extract import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES
