"""The ../shared guard: skip locally, fail in CI (KG_REQUIRE_SHARED=1) when the folder is missing."""
from __future__ import annotations

import pytest

import conftest


def test_missing_shared_skips_by_default(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "no-shared")
    monkeypatch.delenv("KG_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not present"):
        conftest.require_shared()


def test_missing_shared_fails_when_required(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "SHARED", tmp_path / "no-shared")
    monkeypatch.setenv("KG_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="KG_REQUIRE_SHARED=1"):
        conftest.require_shared()


def test_present_shared_is_returned(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "SHARED", tmp_path)
    monkeypatch.setenv("KG_REQUIRE_SHARED", "1")
    assert conftest.require_shared() == tmp_path
