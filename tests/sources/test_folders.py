"""Walking folders: recursion, order, ids, hidden and unknown files, symlinks."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.sources import iter_files, read_articles, read_file


def make_tree(root: Path) -> Path:
    """A small corpus folder with a nested story, hidden entries and unrelated files."""
    (root / "b_story" / "deep").mkdir(parents=True)
    (root / "a_story").mkdir()
    (root / ".hidden_dir").mkdir()
    (root / "b_story" / "deep" / "z.txt").write_text("Deep Title\n\nDeep body.\n")
    (root / "b_story" / "outlet.txt").write_text("Outlet Title\n\nOutlet body.\n")
    (root / "a_story" / "page.html").write_text(
        "<html><head><title>Page Title</title></head><body><article><p>The Rindal ferry"
        " service resumed on Thursday after a two-day strike, the operator said.</p>"
        "</article></body></html>")
    (root / "a_story" / "recs.jsonl").write_text('{"text": "One."}\n{"id": "r2", "text": "Two."}\n')
    (root / "top.json").write_text('{"id": "top-1", "text": "Top body."}')
    (root / ".hidden.txt").write_text("Hidden\n\nShould not be read.\n")
    (root / ".hidden_dir" / "x.txt").write_text("Hidden\n\nShould not be read.\n")
    (root / "notes.md").write_text("# not an article format\n")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return root


def test_folder_is_walked_recursively_in_sorted_order_with_relative_ids(tmp_path, read):
    root = make_tree(tmp_path / "corpus")
    articles, errors = read(root)
    assert errors == []
    assert [a.id for a in articles] == [
        "a_story/page.html", "a_story/recs.jsonl#1", "r2",
        "b_story/deep/z.txt", "b_story/outlet.txt", "top-1"]


def test_source_path_is_the_walked_path(tmp_path, read):
    root = make_tree(tmp_path / "corpus")
    articles, _ = read(str(root))
    outlet = next(a for a in articles if a.id == "b_story/outlet.txt")
    assert outlet.source_path == os.path.join(str(root), "b_story", "outlet.txt")


def test_walk_is_deterministic(tmp_path):
    root = make_tree(tmp_path / "corpus")
    first = list(read_articles([root]))
    assert first == list(read_articles([root]))


def test_hidden_and_unknown_files_in_folders_are_skipped(tmp_path):
    root = make_tree(tmp_path / "corpus")
    names = [Path(p).name for p in iter_files(root)]
    assert ".hidden.txt" not in names and "x.txt" not in names
    assert "notes.md" not in names and "image.png" not in names


def test_explicit_file_id_is_its_name(data_dir, read_one):
    assert read_one(data_dir / "story" / "outlet.txt").id == "outlet.txt"


def test_explicit_hidden_file_is_read(tmp_path, read_one):
    path = tmp_path / ".draft.txt"
    path.write_text("Draft Title\n\nDraft body.\n")
    assert read_one(path).id == ".draft.txt"


def test_read_file_with_root_gives_relative_id(data_dir):
    (article,) = read_file(data_dir / "story" / "outlet.txt", root=data_dir)
    assert article.id == "story/outlet.txt"
    assert article.authors == ("Hana Lindgren",) and article.date == "2021-09-01"


def test_data_folder_ids(data_dir, read):
    articles, errors = read(data_dir / "story")
    assert errors == []
    assert [a.id for a in articles] == ["batch-1", "batch.jsonl#2", "wire-0042", "outlet.txt"]


def test_explicit_file_with_unknown_extension_is_an_error(tmp_path, read_error):
    path = tmp_path / "notes.md"
    path.write_text("Some notes.\n")
    error = read_error(path)
    assert "unsupported file type '.md'" in error.problem and str(path) in str(error)


def test_missing_path_is_an_error(tmp_path, read_error):
    error = read_error(tmp_path / "nowhere.txt")
    assert error.problem == "no such file or directory"


def test_several_paths_keep_their_order_and_a_bad_one_does_not_stop_the_batch(
        tmp_path, data_dir, read):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    results = list(read_articles([data_dir / "plain.txt", bad, data_dir / "story" / "outlet.txt"]))
    assert [type(r).__name__ for r in results] == ["Article", "SourceError", "Article"]


def test_a_single_path_string_is_accepted(data_dir):
    (article,) = read_articles(str(data_dir / "plain.txt"))
    assert article.id == "plain.txt"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_is_harmless(tmp_path, read):
    root = make_tree(tmp_path / "corpus")
    os.symlink(root, root / "b_story" / "loop")
    os.symlink("..", root / "a_story" / "up")
    articles, errors = read(root)
    assert errors == [] and len(articles) == 6


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinked_file_in_folder_is_read_and_broken_link_reported(tmp_path, read):
    root = tmp_path / "corpus"
    root.mkdir()
    target = tmp_path / "elsewhere.txt"
    target.write_text("Linked Title\n\nLinked body.\n")
    os.symlink(target, root / "linked.txt")
    os.symlink(tmp_path / "gone.txt", root / "broken.txt")
    articles, errors = read(root)
    assert [a.id for a in articles] == ["linked.txt"]
    assert len(errors) == 1 and errors[0].path.endswith("broken.txt")


def test_empty_folder_gives_nothing(tmp_path, read):
    assert read(tmp_path) == ([], [])
