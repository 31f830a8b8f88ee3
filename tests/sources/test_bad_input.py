"""Bad input: each problem is yielded as a SourceError naming the file; nothing raises."""
from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

import kg.sources.common as common

SUFFIXES = [".txt", ".html", ".htm", ".json", ".jsonl"]
GOOD_TXT = "Köln Title\n\nThe café in Köln said “yes” — twice.\n"


def write_bytes(tmp_path: Path, data: bytes, suffix: str = ".txt") -> Path:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8 + b"\n\n"])
def test_empty_or_whitespace_file(tmp_path, read_error, suffix, data):
    path = write_bytes(tmp_path, data, suffix)
    error = read_error(path)
    assert error.problem == "empty file"
    assert str(error) == f"{path}: empty file"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_binary_file(tmp_path, read_error, suffix):
    data = b"Title\n\nSome text\x00\x01\x02\xff\xfe binary tail"
    assert read_error(write_bytes(tmp_path, data, suffix)).problem == "binary file, not text"


def test_utf16_text_with_nul_bytes_is_not_binary(tmp_path, read_one):
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        article = read_one(write_bytes(tmp_path, bom + GOOD_TXT.encode(codec)))
        assert article.headline == "Köln Title"
        assert article.body == "The café in Köln said “yes” — twice."


def test_utf8_bom_is_stripped(tmp_path, read_one):
    article = read_one(write_bytes(tmp_path, codecs.BOM_UTF8 + GOOD_TXT.encode("utf-8")))
    assert article.headline == "Köln Title"


def test_utf8_bom_json(tmp_path, read_one):
    data = codecs.BOM_UTF8 + json.dumps({"id": "k", "text": "Körper."}).encode("utf-8")
    assert read_one(write_bytes(tmp_path, data, ".json")).body == "Körper."


def test_latin1_text_is_not_guessed(tmp_path, read_error):
    data = "Title\n\nCaf\u00e9 body.\n".encode("latin-1")
    error = read_error(write_bytes(tmp_path, data))
    assert error.problem == "not UTF-8 text (byte 0xe9 at offset 10)"


def test_utf16_bom_with_broken_content(tmp_path, read_error):
    data = codecs.BOM_UTF16_LE + "Title\n\nBody.".encode("utf-16-le") + b"\x00\xd8"
    assert "UTF-16-LE" in read_error(write_bytes(tmp_path, data)).problem


def test_file_over_the_limit_is_refused_without_being_read(tmp_path, read_error, monkeypatch):
    path = write_bytes(tmp_path, GOOD_TXT.encode("utf-8") * 10)
    size = path.stat().st_size

    def no_open(*args, **kwargs):
        raise AssertionError("an over-large file must not be opened")
    monkeypatch.setattr(common, "open", no_open, raising=False)
    error = read_error(path, max_bytes=100)
    assert error.problem == f"file too large ({size} bytes > limit 100)"


def test_file_at_the_limit_is_read(tmp_path, read):
    path = write_bytes(tmp_path, GOOD_TXT.encode("utf-8"))
    articles, errors = read(path, max_bytes=path.stat().st_size)
    assert errors == [] and articles[0].headline == "Köln Title"


@pytest.mark.parametrize(("suffix", "data", "problem"), [
    (".json", b'{"id": "x", "text": "unterminated', "invalid JSON: Unterminated string"),
    (".json", b"{'single': 'quotes'}", "invalid JSON: Expecting property name"),
    (".html", b"<html><body><script>only()</script>", "no article text found"),
    (".txt", b"Only A Headline", "no article body"),
])
def test_malformed_content(tmp_path, read_error, suffix, data, problem):
    path = write_bytes(tmp_path, data, suffix)
    error = read_error(path)
    assert error.problem.startswith(problem)
    assert str(path) in str(error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_not_read(tmp_path, read_error):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert read_error(path).problem == "not a regular file"


def test_non_english_text_is_read(tmp_path, read_one):
    text = "Стачка в порту\n\nДокеры объявили забастовку в понедельник.\n"
    article = read_one(write_bytes(tmp_path, text.encode("utf-8")))
    assert article.headline == "Стачка в порту"


def test_reader_bug_becomes_an_error_not_an_exception(tmp_path, read_error, monkeypatch):
    import kg.sources as sources

    def broken(path, text, article_id):
        raise RuntimeError("boom")
        yield  # pragma: no cover
    monkeypatch.setitem(sources._READERS, ".txt", broken)
    error = read_error(write_bytes(tmp_path, GOOD_TXT.encode("utf-8")))
    assert error.problem == "unexpected error: RuntimeError: boom"
