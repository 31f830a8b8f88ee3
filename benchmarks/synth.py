"""A synthetic corpus built through the real code: Extraction records -> resolve -> build_graph.

Articles are generated as the extraction stage would emit them (entities, claims with the
features claim identity uses, stances with character spans into a real body text), then go
through :func:`kg.resolve.resolve` (one growing :class:`~kg.resolve.IdentityIndex`) and
:func:`kg.build.build_graph`, exactly as ``kg.ingest`` does; the quads are written as N-Quads
(with the store's own term writer) for ``Store.bulk_load``, or sent to ``replace_graph``.

Popularity is skewed (a few actors and claims recur across many articles, most are rare), and a
holder keeps its side on a claim most of the time, so that some claims are contested and the
dashboard and analysis queries have realistic work to do. Everything is seeded.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import URIRef

from kg.build import build_graph
from kg.namespaces import SHARED_GRAPH
from kg.records import Article, Claim, Entity, Extraction, Span, Stance
from kg.resolve import IdentityIndex, resolve
from kg.store import _nt


FIRST = ("Anna Ben Carla Dmitri Elena Farid Grace Hugo Ines Jamal Kira Liam Maya Nadia Omar Paula Quentin Rosa "
         "Samir Tara Umar Vera Walter Xenia Yusuf Zoe Adrian Bianca Cedric Dalia Emil Fatima Gustav Hana Ivan Julia "
         "Karim Lena Marco Nora Oscar Petra Rafael Sofia Tomas Ursula Viktor Wanda Yara Zeno").split()
LAST = ("Abbott Barros Castillo Dunne Eriksen Fischer Gallo Haddad Ibarra Jensen Kowalski Lindqvist Moreau Novak "
        "Okafor Petrov Quinn Rossi Sato Tanaka Ueda Vasquez Whitfield Xu Yilmaz Zimmer Adler Brandt Costa Duval "
        "Engel Falk Gomez Horvat Iqbal Jovanovic Keller Lopez Mendes Nakamura Olsen Pereira Reyes Schmidt Torres "
        "Varga Weber Young Ziegler Moreno Kaplan Baker Hale Ricci Sorensen Dahl Park Silva Mercer Nash").split()
ORG_KIND = ("Ministry of Finance", "Ministry of Health", "Ministry of Defence", "Port Authority", "Water Board",
            "Electoral Commission", "Police Department", "Central Bank", "Energy Company", "Data Agency",
            "Transport Union", "Medical Council", "City Council", "Housing Trust", "Press Office")
PLACES = ("Merrow Bay", "Tallowfield", "Northgate", "Eastmere", "Port Selby", "Ashcombe", "Kilbride", "Redwater",
          "Stonehaven", "Brackley", "Glenmore", "Whitcliff", "Hollins", "Marwick", "Dunmore", "Corran")
VERBS = (("sell", "sold"), ("send", "sent"), ("meet", "met"), ("pay", "paid"), ("receive", "received"),
         ("dump", "dumped"), ("call", "called"), ("approve", "approved"), ("hide", "hid"), ("sign", "signed"),
         ("fund", "funded"), ("delay", "delayed"), ("cancel", "cancelled"), ("inspect", "inspected"))
OBJECTS = ("the harbour depot", "user data", "the water contract", "emergency funds", "the audit report",
           "Covid tests", "the landfill permit", "the pension fund", "the border files", "a secret letter",
           "the bridge tender", "untreated sewage", "the vaccine stock", "campaign donations", "the land deal")
TIMES = ("in 2021", "in 2022", "in 2023", "last week", "last month", "in March", "in June", "twice", "")
CUES = {"Asserts": ("said", "says", "claimed", "stated", "told reporters"),
        "Confirms": ("confirmed", "acknowledged"),
        "Denies": ("denied", "rejected", "dismissed"),
        "Disputes": ("disputed", "cast doubt on"),
        "Questions": ("could not verify", "declined to comment on", "asked whether")}
SIDE_TYPES = {1: ("Asserts", "Asserts", "Asserts", "Confirms"), -1: ("Denies", "Denies", "Disputes"),
              0: ("Questions",)}
OUTLETS = tuple(f"{a} {b}" for a in ("Northshore", "Harbour", "Capital", "Evening", "Daily", "Valley", "Coast",
                                     "Metro") for b in ("Post", "Herald", "Times", "Courier", "Ledger"))
FILLER = ("Officials met on Tuesday to discuss the findings. The report runs to forty pages and was seen by "
          "several newspapers. Residents have asked for answers for months. ")


@dataclass(frozen=True)
class Actor:
    name: str
    type: str
    affiliation: str | None = None


@dataclass(frozen=True)
class ClaimSpec:
    text: str
    about: tuple[int, ...]       # actor indices
    predicate: str
    numbers: tuple[str, ...]
    times: tuple[str, ...]


class Zipf:
    """Index in [0, n) drawn with weight 1 / (i + offset): a few popular items, a long tail."""

    def __init__(self, n: int, offset: float):
        from itertools import accumulate

        self.cum = list(accumulate(1.0 / (i + offset) for i in range(n)))

    def __call__(self, rnd: random.Random) -> int:
        from bisect import bisect_left

        return min(bisect_left(self.cum, rnd.random() * self.cum[-1]), len(self.cum) - 1)


class Corpus:
    """A seeded generator of synthetic articles (as Extraction records), of any length.

    Actors (20,000: organisations, then people) and claims (300,000 possible, made on first
    use) are drawn with Zipf-like popularity (weight 1/(rank + 100) for actors, 1/(rank + 50)
    for claims): the busiest claim fills about 0.2 % of the claim slots, the busiest actor is
    in about 0.4 % of them, most claims appear once; half of a claim's holders are the actors
    it is about.
    """

    def __init__(self, *, actors: int = 20_000, claims: int = 300_000, seed: int = 7):
        rnd = random.Random(seed)
        self.seed = seed
        self.rnd = random.Random(seed + 1)
        orgs = [Actor(f"{p} {k}", "Organization") for p in PLACES for k in ORG_KIND]
        names = [(f, m, ln) for f in FIRST for m in [""] + [chr(65 + k) + "." for k in range(26)] for ln in LAST]
        rnd.shuffle(names)
        people = [Actor(" ".join(x for x in names[i] if x), "Person",
                        orgs[rnd.randrange(len(orgs))].name if rnd.random() < 0.4 else None)
                  for i in range(min(actors - len(orgs), len(names)))]
        self.actors = orgs + people
        self.places = [Actor(p, "Place") for p in PLACES]
        self.org_index = {a.name: i for i, a in enumerate(orgs)}
        self.pick_actor = Zipf(len(self.actors), 100)
        self.pick_claim = Zipf(claims, 50)
        self._claims: dict[int, ClaimSpec] = {}

    def claim(self, i: int) -> ClaimSpec:
        """Claim number ``i`` (the same text and features every time it is drawn)."""
        spec = self._claims.get(i)
        if spec is None:
            rnd = random.Random(self.seed * 1_000_003 + i)
            subj, obj = self.pick_actor(rnd), self.pick_actor(rnd)
            base, past = rnd.choice(VERBS)
            n = str(rnd.randrange(2, 900)) if rnd.random() < 0.4 else ""
            when = rnd.choice(TIMES)
            words = [self.actors[subj].name, past, f"{n} units of" if n else "", rnd.choice(OBJECTS), "to",
                     self.actors[obj].name, when, f"(case {i})"]
            spec = ClaimSpec(" ".join(w for w in words if w), tuple(dict.fromkeys((subj, obj))), base,
                             (n,) if n else (), (when,) if when else ())
            self._claims[i] = spec
        return spec

    def side(self, holder: int, claim: int) -> int:
        """A holder's usual side on a claim: stable, so outlets mostly agree on it."""
        return (-1, 1, 1, 0)[(holder * 31 + claim * 17) % 4]

    def articles(self, n: int | None = None, *, claims_per_article: tuple[int, int] = (2, 6),
                 stances_per_claim: tuple[int, int] = (1, 3)) -> Iterator[Extraction]:
        rnd = self.rnd
        i = 0
        while n is None or i < n:
            yield self._article(i, rnd, claims_per_article, stances_per_claim)
            i += 1

    def _article(self, i: int, rnd: random.Random, cpa, spc) -> Extraction:
        outlet = OUTLETS[i % len(OUTLETS)]
        picked = list(dict.fromkeys(self.pick_claim(rnd) for _ in range(rnd.randint(*cpa))))
        ents: dict[int, str] = {}

        def key(actor: int) -> str:
            if actor not in ents:
                ents[actor] = f"e{len(ents) + 1}"
            return ents[actor]

        body = [f"{outlet} report {i}. "]
        pos = len(body[0])
        claims, stances = [], []
        for ci in picked:
            spec = self.claim(ci)
            ckey = f"c{len(claims) + 1}"
            about = tuple(key(a) for a in spec.about)
            holders = {rnd.choice(spec.about) if rnd.random() < 0.5 else self.pick_actor(rnd)
                       for _ in range(rnd.randint(*spc))}
            first_span = None
            for h in sorted(holders):
                hname = self.actors[h].name
                side = self.side(h, ci) if rnd.random() < 0.9 else rnd.choice((-1, 0, 1))
                stype = rnd.choice(SIDE_TYPES[side])
                cue = rnd.choice(CUES[stype])
                sentence = f"{hname} {cue} that {spec.text}. "
                s0 = pos
                src = Span(s0, s0 + len(hname), hname)
                cue_s = Span(src.end + 1, src.end + 1 + len(cue), cue)
                c0 = cue_s.end + len(" that ")
                content = Span(c0, c0 + len(spec.text), spec.text)
                sent = Span(s0, s0 + len(sentence) - 1, sentence[:-1])
                first_span = first_span or content
                stances.append(Stance(f"s{len(stances) + 1}", key(h), ckey, stype, cue_s, content, src, sent))
                body.append(sentence)
                pos += len(sentence)
            claims.append(Claim(ckey, spec.text, first_span, about, spec.predicate, spec.numbers, spec.times,
                                tuple(sorted({w.lower() for w in spec.text.split() if w.isalpha()}))))
            body.append(FILLER)
            pos += len(FILLER)
        place = self.places[i % len(self.places)]
        entities, extra = [], {}
        for a, k in ents.items():
            aff = self.actors[a].affiliation          # a person speaking for an organisation
            okey = None
            if aff is not None:
                oi = self.org_index[aff]
                okey = ents.get(oi) or extra.setdefault(oi, f"o{oi}")
            entities.append(Entity(k, self.actors[a].name, self.actors[a].type, mentions=(Span(0, 1, "x"),),
                                   affiliation=okey))
        entities += [Entity(okey, self.actors[oi].name, "Organization") for oi, okey in extra.items()]
        entities.append(Entity(f"p{i}", place.name, "Place"))
        entities.append(Entity("b1", f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}", "Person", role="byline"))
        text = "".join(body)
        art = Article(id=f"synth/{outlet.lower().replace(' ', '-')}/{i:07d}", headline=f"{outlet} report {i}",
                      body=text, url=f"https://{outlet.lower().replace(' ', '')}.news/{i}",
                      date=f"20{20 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}", publisher=outlet,
                      authors=(entities[-1].name,), source_path=f"synth/{i}.json")
        return Extraction(art, tuple(entities), tuple(claims), tuple(stances))


def quads(extractions, index: IdentityIndex | None = None) -> Iterator[tuple[str, list, list]]:
    """(graph IRI, article triples, shared triples) for each extraction, through the real code."""
    index = index if index is not None else IdentityIndex()
    for ex in extractions:
        graph, triples, shared = build_graph(resolve(ex, index), extractor_version="0.1")
        yield str(graph), triples, shared


def _term(t) -> str:
    return f"<{t}>" if type(t) is URIRef else _nt(t)


class NQuadsStream:
    """One corpus written as consecutive N-Quads files (each continues the previous one, with
    one identity index), e.g. the first 10k stances, then up to 1M quads, then up to 100k
    stances: loading the first k files gives the corpus up to the k-th mark."""

    def __init__(self, corpus: Corpus):
        self.articles = corpus.articles()
        self.index = IdentityIndex()
        self.quads = self.stances = self.count = 0
        self.seconds = 0.0

    def write_until(self, path: str, *, quads: int | None = None, stances: int | None = None) -> dict[str, int]:
        import time

        shared_g = f"<{SHARED_GRAPH}>"
        t0 = time.perf_counter()
        with open(path, "w", encoding="utf-8") as fh:
            while not ((quads and self.quads >= quads) or (stances and self.stances >= stances)):
                ex = next(self.articles)
                graph, triples, shared = build_graph(resolve(ex, self.index), extractor_version="0.1")
                g = f"<{graph}>"
                fh.write("".join(f"{_term(s)} {_term(p)} {_term(o)} {g} .\n" for s, p, o in triples))
                fh.write("".join(f"{_term(s)} {_term(p)} {_term(o)} {shared_g} .\n" for s, p, o in shared))
                self.quads += len(triples) + len(shared)
                self.stances += len(ex.stances)
                self.count += 1
        self.seconds += time.perf_counter() - t0
        return {"quads": self.quads, "stances": self.stances, "articles": self.count}


def resolve_scaling(n: int, window: int) -> dict[str, float]:
    """Resolve ``n`` articles of the corpus with one index (the real, unpatched code) and time
    ``resolve`` per article over the first and the last ``window`` articles, in CPU time of
    this process (it runs beside the memory benchmark's ingests: wall time would count them)."""
    import time

    index = IdentityIndex()
    times = []
    clock = time.process_time
    for ex in Corpus().articles(n):
        t0 = clock()
        resolve(ex, index)
        times.append(clock() - t0)
    return {"articles": n, "first_ms": 1000 * sum(times[:window]) / window,
            "last_ms": 1000 * sum(times[-window:]) / window, "claims_indexed": len(index.claims)}


def memoise_normalise() -> None:
    """Memoise kg.iris.normalise (a pure function) in this process: same graph, and resolve's
    claim comparisons (which normalise both texts every time) stop dominating generation."""
    import functools

    import kg.iris

    kg.iris.normalise = functools.lru_cache(maxsize=2_000_000)(kg.iris.normalise)


def main(argv: list[str]) -> int:
    """``python -m benchmarks.synth OUTDIR [--scaling N] MARK...``: optionally time resolve over N
    articles, then write ``part-<k>.nq`` up to each mark (``stances=N`` or ``quads=N``); one JSON
    line per result."""
    import json
    import os

    out, rest = argv[0], argv[1:]
    if rest[:1] == ["--scaling"]:
        n = int(rest[1])
        rest = rest[2:]
        print(json.dumps({"scaling": resolve_scaling(n, max(1, n // 5))}), flush=True)
    memoise_normalise()
    stream = NQuadsStream(Corpus())
    for k, mark in enumerate(rest):
        kind, n = mark.split("=")
        stats = stream.write_until(os.path.join(out, f"part-{k}.nq"), **{kind: int(n)})
        print(json.dumps({"part": k, "mark": mark, **stats, "seconds": round(stream.seconds, 1)}), flush=True)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
