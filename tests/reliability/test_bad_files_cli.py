"""Bad input through ``python -m kg ingest``: every bad file is named with a reason, the batch goes
on, the exit code says so, memory stays bounded, and what the store held before is unchanged.

All files are made here, in tmp_path (the 50 MB one included)."""
from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from kg.store import Store

from .conftest import REPO, by_graph, kg_cmd, kg_env, quads, run_kg, show

pytestmark = [pytest.mark.model, pytest.mark.slow]

GOOD_TXT = ("Mayor reopens the old bridge\n\nOctober 09, 2024\n\nMayor Jane Holt said the bridge would reopen"
            " in May. The council denied that it had raised taxes.\n")
OLD_EMPTY_TXT = "Council meets again\n\nThe council said it would meet again on Friday to discuss the budget.\n"
GOOD_JSONL = [{"id": "j-1", "title": "Police close the road", "text": "The police said the road was closed."},
              {"id": "j-2", "title": "Firm denies sale", "text": "Acme Corp denied that it sold user data."}]
MAX_RSS_BYTES = 1_500_000_000


def nested_html(levels: int) -> str:
    return ("<html><head><title>Deep page</title></head><body>" + "<div>" * levels
            + "<p>The minister said the deep page was still readable by the reader.</p>"
            + "</div>" * levels + "</body></html>")


def make_inbox(root: Path) -> dict[str, str | None]:
    """Write every kind of bad file (plus good ones) under ``root``.

    Returns {file name relative to root: regex its FAILED reason must match}; ``None`` for files
    that must be stored, ``"either"`` for files where storing and a reported reason are both fine."""
    expect: dict[str, str | None] = {}

    def put(name: str, data: bytes | str, reason: str | None) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = reason

    put("good.txt", GOOD_TXT, None)
    put("empty.txt", b"", r"empty file")
    put("blank.json", b"  \n\n ", r"empty file")
    put("binary.txt", bytes(range(256)) * 64, r"binary")
    put("nul-bytes.txt", b"Headline\n\nThe mayor\x00 said the bridge\x00 was safe.\n", r"binary")
    put("latin1.txt", "Caf\u00e9 closes\n\nThe owner said the caf\u00e9 would close.\n".encode("latin-1"),
        r"not UTF-8")
    put("utf16.txt", codecs.BOM_UTF16_LE + "Bridge reopens\n\nThe mayor said the bridge would reopen in May.\n"
        .encode("utf-16-le"), None)
    put("one-line.txt", "Long line " + "the mayor said the bridge was safe " * 150_000 + "\n", r"too (long|large)")
    put("nested.html", nested_html(10_000), "either")
    put("scripts-only.html", "<html><head><script>var a = 1;</script></head><body><script>alert(1)</script>"
        "<noscript></noscript></body></html>", r"no article text")
    put("batch.jsonl", "".join(json.dumps(r) + "\n" for r in GOOD_JSONL[:1]) + '{"id": "j-broken", "text": \n'
        + json.dumps(GOOD_JSONL[1]) + "\n", None)
    expect["batch.jsonl:2"] = r"invalid JSON"
    put("scalar.json", '"just a string"', r"must be an object")
    put("numbers.json", "[1, 2]", None)
    expect.pop("numbers.json")
    expect["numbers.json#1"] = expect["numbers.json#2"] = r"not a JSON object"
    put("no-title.json", json.dumps({"id": "no-title", "text": "The police said the road was closed on Monday."}), None)
    put("no-date.txt", "A headline without a date\n\nThe governor said the plan would work.\n", None)
    put("no-body.json", json.dumps({"id": "no-body", "title": "Only a title", "date": "2024-01-01"}), r"no article body")
    put("no-body.txt", "close\n\nLeave a Reply\nYour email address will not be published.\n", r"no article body")
    put("chinese.txt", "\u65b0\u95fb\u6807\u9898\n\n\u5e02\u957f\u8bf4\uff0c\u8fd9\u5ea7\u6865\u5c06\u5728"
        "\u4e94\u6708\u91cd\u65b0\u5f00\u653e\u3002\n", "either")
    put("russian.txt", "\u041d\u043e\u0432\u043e\u0441\u0442\u0438\n\n\u041a\u0440\u0435\u043c\u043b\u044c"
        " \u043e\u043f\u0440\u043e\u0432\u0435\u0440\u0433 \u044d\u0442\u043e.\n", "either")
    # symlinks: a folder loop (not followed, so not an error) and a file loop (reported)
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "up")
    os.symlink("loop-b.txt", root / "loop-a.txt")
    os.symlink("loop-a.txt", root / "loop-b.txt")
    expect["loop-a.txt"] = expect["loop-b.txt"] = r"cannot read|symbolic link|not a regular"
    # 50 MB of plain text, generated here
    with open(root / "huge.txt", "w", encoding="utf-8") as fh:
        line = "The spokesperson said the figures were accurate and would be published soon.\n"
        fh.write("Huge file\n\n" + line * (50_000_000 // len(line) + 1))
    expect["huge.txt"] = r"too large"
    return expect


def run_measured(*args) -> tuple[int, str, str, int]:
    """Run ``python -m kg ARGS``; return (exit code, stdout, stderr, the child's peak RSS in bytes).

    ``os.wait4`` gives the rusage of exactly this child (RUSAGE_CHILDREN would be the maximum
    over every child this test process ever waited for)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(kg_cmd(*args), cwd=REPO, env=kg_env(), stdout=out, stderr=err, text=True)
        deadline = time.monotonic() + 300
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                pytest.fail("ingest did not finish within 300 s")
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), usage.ru_maxrss * 1024  # ru_maxrss is KiB on Linux


def failed_lines(stderr: str, root: Path) -> dict[str, str]:
    """{path relative to root (with :line or #n): reason} from the CLI's ``FAILED path: reason`` lines."""
    out = {}
    for m in re.finditer(r"^FAILED (.+?): (.*)$", stderr, re.M):
        out[os.path.relpath(m.group(1), root) if m.group(1).startswith(str(root)) else m.group(1)] = m.group(2)
    return out


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    """An earlier good ingest, then an ingest of a folder full of bad files into the same store."""
    base = tmp_path_factory.mktemp("bad")
    inbox, store = base / "inbox", base / "store"
    inbox.mkdir()
    # the earlier ingest: the same folder, when its files were still good
    (inbox / "good.txt").write_text(GOOD_TXT, encoding="utf-8")
    (inbox / "empty.txt").write_text(OLD_EMPTY_TXT, encoding="utf-8")   # becomes empty below
    (inbox / "binary.txt").write_text(OLD_EMPTY_TXT.replace("Friday", "Monday"), encoding="utf-8")
    first = run_kg("ingest", inbox, "--store", store, "--no-progress")
    assert first.returncode == 0, show(first)
    before = quads(store)
    for name in ("good.txt", "empty.txt", "binary.txt"):
        (inbox / name).unlink()
    expect = make_inbox(inbox)
    code, out, err, rss = run_measured("ingest", inbox, "--store", store, "--no-progress")
    for big in ("huge.txt", "one-line.txt"):      # 55 MB that pytest would keep for three runs
        (inbox / big).unlink()
    return {"inbox": inbox, "store": store, "before": before, "expect": expect, "code": code,
            "stdout": out, "stderr": err, "rss": rss}


def test_bad_batch_exits_1_with_a_summary_and_no_traceback(bad_batch):
    report = f"exit {bad_batch['code']}\nstdout:\n{bad_batch['stdout']}\nstderr:\n{bad_batch['stderr'][-5000:]}"
    assert bad_batch["code"] == 1, report
    assert "Traceback" not in bad_batch["stderr"], report
    assert re.search(r"^ingested \d+ articles .* \d+ failures$", bad_batch["stdout"], re.M), report


def test_each_bad_file_is_named_in_stderr_with_its_reason(bad_batch):
    failed = failed_lines(bad_batch["stderr"], bad_batch["inbox"])
    for name, reason in bad_batch["expect"].items():
        if reason is None:
            assert name not in failed, f"{name} should have been stored, got: {failed.get(name)}"
        elif reason == "either":
            continue
        else:
            assert name in failed, f"{name} not reported; FAILED lines: {failed}"
            assert re.search(reason, failed[name], re.I), f"{name}: reason {failed[name]!r} !~ {reason!r}"
    assert not set(failed) - set(bad_batch["expect"]), f"unexpected failures: {set(failed) - set(bad_batch['expect'])}"


def test_good_articles_in_a_bad_batch_are_stored(bad_batch):
    ids = {r["id"] for r in Store(bad_batch["store"], read_only=True).select(
        "SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }")}
    failed = failed_lines(bad_batch["stderr"], bad_batch["inbox"])
    must = {"good.txt", "utf16.txt", "no-title", "no-date.txt", "j-1", "j-2"}
    assert must <= ids, f"missing: {must - ids}"
    for name in ("nested.html", "chinese.txt", "russian.txt"):   # stored, or reported with a reason
        assert (name in ids) != (name in failed), f"{name}: stored={name in ids}, failed={failed.get(name)}"
        if name in failed:
            assert failed[name].strip()


def test_bad_files_leave_earlier_graphs_unchanged(bad_batch):
    """Files that were good at the first ingest and are broken now keep their stored version;
    no graph from before the bad batch lost or gained a quad (the shared graph only grew)."""
    before, after = by_graph(bad_batch["before"]), by_graph(quads(bad_batch["store"]))
    from kg.namespaces import SHARED_GRAPH

    for graph, lines in before.items():
        if graph == f"<{SHARED_GRAPH}>":
            assert lines <= after.get(graph, set()), "the shared graph lost quads"
        else:
            assert after.get(graph) == lines, f"graph {graph} changed"
    store = Store(bad_batch["store"], read_only=True)
    bodies = {r["id"]: r["body"] for r in store.select(
        "SELECT ?id ?body WHERE { ?a schema:identifier ?id ; schema:articleBody ?body }")}
    assert "meet again on Friday" in bodies["empty.txt"]
    assert "meet again on Monday" in bodies["binary.txt"]


def test_huge_files_are_refused_with_bounded_memory(bad_batch):
    failed = failed_lines(bad_batch["stderr"], bad_batch["inbox"])
    assert re.search(r"too large", failed.get("huge.txt", "")), failed.get("huge.txt")
    assert bad_batch["rss"] < MAX_RSS_BYTES, f"ingest peaked at {bad_batch['rss'] / 1e9:.2f} GB"
