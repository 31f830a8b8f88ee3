"""Helpers for the reliability tests: run the CLI as a user would, read a store's quads,
generate batches of small articles, and check that a store holds only whole articles."""
from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # lets `pytest tests/reliability` run without an installed package
    sys.path.insert(0, str(REPO))

from kg.store import Store  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a reliability test that takes more than a few seconds (still run in CI)")


def kg_env(**extra: str) -> dict[str, str]:
    """The environment of a ``python -m kg`` child: ours, minus KG_STORE, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    env.update(extra)
    return env


def kg_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "kg", *map(str, args)]


def run_kg(*args, timeout: float = 300, **popen) -> subprocess.CompletedProcess:
    """``python -m kg ARGS`` in a subprocess, from the repository, with captured text output."""
    return subprocess.run(kg_cmd(*args), cwd=REPO, env=kg_env(), capture_output=True, text=True,
                          timeout=timeout, **popen)


def start_kg(*args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen(kg_cmd(*args), cwd=REPO, env=kg_env(), stdout=stdout, stderr=stderr, text=True)


def show(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"


def quads(location: Path | str, store: Store | None = None) -> set[str]:
    """The store's quads as N-Quads lines (Oxigraph writes one canonical line per quad)."""
    buf = io.BytesIO()
    (store or Store(location, read_only=True)).dump(buf, "nquads")
    return {line for line in buf.getvalue().decode("utf-8").split("\n") if line.strip()}


def by_graph(lines: set[str]) -> dict[str, set[str]]:
    """N-Quads lines grouped by their graph IRI (the last ``<…>`` before the final dot)."""
    out: dict[str, set[str]] = {}
    for line in lines:
        graph = line.rstrip(" .").rsplit(" ", 1)[-1]
        out.setdefault(graph, set()).add(line)
    return out


# -- synthetic articles --------------------------------------------------------------------------
NAMES = ["Maria Lopez", "John Carter", "Aiko Tanaka", "Peter Novak", "Grace Okafor", "Liam Byrne",
         "Sofia Rossi", "Omar Haddad", "Elena Petrova", "David Kim"]
ORGS = ["the Finance Ministry", "the city council", "the Kremlin", "Acme Corp", "the police"]
CLAIMS = ["the bridge would reopen in May", "taxes rose last year", "the factory had closed",
          "the talks had collapsed", "the report was leaked", "the mayor met the investors",
          "the company sold user data", "the budget was cut by 10 percent"]
CUES = ["said", "denied that", "confirmed that", "disputed that", "claimed that"]


def article_record(i: int, rng: random.Random) -> dict:
    """One small article with two or three attributions, as a JSON object with id ``art-NNN``."""
    sentences = []
    for _ in range(rng.randint(2, 3)):
        who = rng.choice(NAMES + ORGS)
        who = who[0].upper() + who[1:]
        sentences.append(f"{who} {rng.choice(CUES)} {rng.choice(CLAIMS)}.")
    quote_by = rng.choice(NAMES)
    sentences.append(f"\u201cThat is not true,\u201d {quote_by} said on Tuesday.")
    return {"id": f"art-{i:03d}", "title": f"Story {i}: {rng.choice(CLAIMS)}",
            "text": " ".join(sentences), "date": "2024-10-09", "publisher": rng.choice(["Daily A", "Herald B"])}


def write_batch(path: Path, n: int, seed: int = 7) -> list[str]:
    """Write ``n`` articles as JSON Lines to ``path``; return their ids."""
    rng = random.Random(seed)
    records = [article_record(i, rng) for i in range(n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return [r["id"] for r in records]


# -- whole-article checks --------------------------------------------------------------------------
IDENTIFIERS = "SELECT ?id WHERE { ?a a schema:NewsArticle ; schema:identifier ?id }"
ARTICLE_PROPS = ("headline", "articleBody", "identifier", "contentHash")
STANCE_PROPS = ("holder", "claim", "stanceType", "wasDerivedFrom", "cueSpan", "contentSpan")
SPAN_PROPS = ("start", "end", "exact")


def _properties(store: Store, cls: str) -> dict[str, dict[str, set]]:
    """{subject: {local property name: {objects}}} for every instance of ``cls``."""
    out: dict[str, dict[str, set]] = {}
    for r in store.select(f"SELECT ?x ?p ?o WHERE {{ ?x a {cls} ; ?p ?o }}"):
        local = r["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        out.setdefault(r["x"], {}).setdefault(local, set()).add(r["o"])
    return out


def whole_article_problems(store: Store) -> list[str]:
    """Everything that shows a half-written article; empty when each article is whole: every
    article has its headline, body, identifier and content hash; every stance its holder, claim,
    type, article and cue/content spans, each span its start, end and text; every claim a stance
    points to is stored, and so is every article it comes from. (Checked in Python: the same
    checks as FILTER NOT EXISTS queries take seconds on a few hundred articles.)"""
    articles = _properties(store, "schema:NewsArticle")
    stances = _properties(store, "fck:Stance")
    spans = _properties(store, "fck:TextSpan")
    claims = _properties(store, "schema:Claim")
    problems = [f"article {a} lacks {p}" for a, props in articles.items() for p in ARTICLE_PROPS if p not in props]
    for s, props in stances.items():
        problems += [f"stance {s} lacks {p}" for p in STANCE_PROPS if p not in props]
        problems += [f"stance {s} comes from a missing article {a}" for a in props.get("wasDerivedFrom", ())
                     if a not in articles]
        problems += [f"stance {s} is about a missing claim {c}" for c in props.get("claim", ())
                     if "text" not in claims.get(c, {})]
        for role in ("cueSpan", "contentSpan", "sourceSpan", "sentenceSpan"):
            for span in props.get(role, ()):
                problems += [f"span {span} lacks {p}" for p in SPAN_PROPS if p not in spans.get(span, {})]
    return problems


@pytest.fixture(scope="session")
def synthetic_batch(tmp_path_factory) -> tuple[Path, list[str]]:
    """300 small articles in one JSONL file (written once per session)."""
    path = tmp_path_factory.mktemp("batch") / "batch.jsonl"
    return path, write_batch(path, 300)
