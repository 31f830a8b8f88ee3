"""The ../shared guard: skip locally, fail in CI (KG_REQUIRE_SHARED=1) when the folder is missing."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

# Loaded by path: several folders of tests/ have a conftest.py, so `import conftest` is ambiguous.
_spec = importlib.util.spec_from_file_location("kg_tests_root_conftest", Path(__file__).with_name("conftest.py"))
conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conftest)


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
