"""Find attributions in a parsed Doc: who (source) says (cue) what (content).

Only finds; turning findings into entities, claims and stances is done by the caller.
Each finding is a ``Found`` with character offsets into the Doc text and the tokens that the
later steps need (source head, content root). Constructions, in the order tried per cue:
clausal complement ("X said that …"), claim noun with a that-clause ("denied a claim that …"),
anaphoric object ("denied the reporting"), "declined to comment", a quotation in the same
sentence, parataxis ("…, he said, …"), "according to X", and noun cues ("X's claim that …").
With a learned judge (:mod:`.cuemodel`) the finder is *open*: every verb with a subject also
proposes its object ("wants to …"), "X said:" its next paragraph, a short "X asked." the
quotation just before it, and adjectives their clause ("are afraid that …"); the judge keeps
what looks like an attribution.

The finder walks the parse by token index over the Doc's :class:`~.cuemodel.DocInfo` (its
token attributes as lists, read once) and makes spaCy Tokens only for the ``Found`` it
returns: spaCy builds a new Token object on every ``doc[i]``, ``tok.head`` and each step
through ``tok.children``, and making them cost more than the rules themselves.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc, Token

from . import cuemodel, lexicon as lx

SUBJ = ("nsubj", "nsubjpass", "csubj")
# A line that ends with a quotation and a dash before a name of one to five words.
SIGNED_RE = re.compile(r"(?m)^[ \t\u00a0]*(?P<quote>[\u201c\u201d\"][^\n]{10,}?[\u201d\"])[ \t\u00a0]*"
                       r"(?P<dash>[\u2015\u2014])[ \t\u00a0]*(?P<name>[A-Z][\w'\-]*\.?(?:[ \t\u00a0][A-Z][\w'\-]*\.?){0,4})"
                       r"[ \t\u00a0]*$")
SURE_CUE_RATE = 0.8   # a verb that is an attribution this often on PolNeAR train, with a clause, always is
QUOTE_MARKS = "\u201c\u201d\""   # punctuation that counts for the extent of a span
# Curly quotes, straight quotes, and the doubled apostrophes some archives use (''…'').
QUOTE_RE = re.compile(r"\u201c[^\u201c\u201d]{3,}?\u201d|\"[^\"\n]{3,}?\"|''(?:(?!'')[^\n]){3,}?''")


@dataclass
class Found:
    kind: str   # clause | noun-clause | anaphor | quote | parataxis | according | noun | object | colon | adjective | signature
    cue: tuple[int, int]
    cue_lemma: str
    cue_negated: bool
    content: tuple[int, int]
    source: tuple[int, int] | None
    source_head: Token | None
    content_root: Token | None
    sentence: tuple[int, int]
    cue_token: Token


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations with at least two words (scare quotes are left out)."""
    return [(m.start(), m.end()) for m in QUOTE_RE.finditer(text) if " " in m.group().strip()]


def noun_phrase_tokens(head: Token) -> list[Token]:
    """A noun phrase without its relative clauses and trailing appositive clauses."""
    drop = set()
    for c in head.children:
        if c.dep_ in ("relcl", "acl", "punct") and c.i > head.i:
            drop.update(t.i for t in c.subtree)
    return [t for t in head.subtree if t.i not in drop]


class Sentence(NamedTuple):
    """A sentence (or the stretch a signed quotation spans): token range and character offsets."""
    start: int
    end: int
    start_char: int
    end_char: int


# A content is what the verb or noun governs: (kind, token indices, index of its root token).
Content = tuple[str, list[int], int]


class AttributionFinder:
    """Runs over a Doc and returns a list of ``Found``, at most one per content span.

    The rules below take and return token indices (``int``) into ``self.info``, the Doc's
    :class:`~.cuemodel.DocInfo`; ``_make`` turns them into a ``Found`` with Tokens."""

    def __init__(self, doc: Doc, model="default", open_candidates: bool | None = None):
        """``model``: a :class:`~kg.extract.cuemodel.CueModel` judging candidates, ``"default"``
        for the shipped one (when present) or None for none. ``open_candidates``: propose every
        verb, not only lexicon cues (default: when there is a model to judge them)."""
        self.doc = doc
        self.info = info = cuemodel.DocInfo(doc)
        self.text = info.text   # (Doc.text is rebuilt on every access)
        self.quotes = quote_spans(self.text)
        self._quote_starts = [s for s, _ in self.quotes]
        self._quote_ends = [e for _, e in self.quotes]
        self.model = cuemodel.default_model() if model == "default" else model
        self.open = self.model is not None if open_candidates is None else open_candidates
        # Punctuation other than quotation marks does not count for a span's extent.
        self.counts = [not (p and self.text[s:e] not in QUOTE_MARKS)
                       for p, s, e in zip(info.punct, info.start, info.end)]
        self._containers: tuple[object, tuple[list[Found], set[int], dict[int, list[Found]]]] = (None, ([], set(), {}))

    def candidates(self) -> list[Found]:
        out: list[Found] = []
        info = self.info
        lower, pos, lemma, dep = info.lower, info.pos, info.lemma, info.dep
        for start, end in info.sentences:
            sent = Sentence(start, end, info.start[start], info.end[end - 1])
            for i in range(start, end):
                f = None
                p = pos[i]
                if lower[i] == "according" and i + 1 < info.n and lower[i + 1] == "to":
                    f = self.from_according(i, sent)
                elif p in ("VERB", "AUX") and (lx.is_reporting_verb(lemma[i]) or (self.open and p == "VERB")):
                    f = self.from_verb(i, sent)
                    if f is not None and self.open and f.kind == "quote":
                        alt = self._object_alternative(f, sent)
                        if alt is not None:
                            out.append(alt)
                elif self.open and p == "ADJ" and dep[i] == "acomp":
                    f = self.from_adjective(i, sent)
                elif p == "NOUN" and (lemma[i].lower() in lx.CLAIM_NOUNS or (
                        self.open and lx.cue_rate(lemma[i], "nouns") > 0)):
                    f = self.from_noun(i, sent)
                if f is not None:
                    out.append(f)
        out += self.signatures()
        return out

    def signatures(self) -> list[Found]:
        """A quotation signed at the end of its line: "“… our greatest shame.” ― Sonya Herridge"
        (readers' answers, letters, vox pops): the name after the dash said the quotation."""
        out = []
        info = self.info
        for m in SIGNED_RE.finditer(self.text):
            name = [t for t in self._tokens_between(m.start("name"), m.end("name")) if not info.space[t]]
            ctoks = [t for t in self._tokens_between(m.start("quote"), m.end("quote")) if not info.space[t]]
            dash = self._tokens_between(m.start("dash"), m.end("dash"))
            if not name or not ctoks or not dash:
                continue
            head = next((t for t in reversed(name) if self.doc[t].is_alpha and self.doc[t].is_title), None)
            if head is None:
                continue
            sent = Sentence(ctoks[0], name[-1] + 1, info.start[ctoks[0]], info.end[name[-1]])
            f = self._make("signature", dash[0], (m.start("dash"), m.end("dash")), ctoks, ctoks[0], (head, name), sent)
            if f is not None:
                out.append(f)
        return out

    def _object_alternative(self, f: Found, sent: Sentence) -> Found | None:
        """A verb that a quotation elsewhere in the sentence was given to may rather govern its
        own object ("had mocked the complaint"): both readings go to the model."""
        content = self._object_content(f.cue_token.i)
        if content is None:
            return None
        kind, ctoks, root = content
        source = (f.source_head.i, self._tokens_between(*f.source)) if f.source is not None else None
        alt = self._make(kind, f.cue_token.i, f.cue, ctoks, root, source, sent)
        return alt if alt is not None and alt.content != f.content else None

    def features(self, found: Found, others: list[Found] = ()) -> list[str]:
        """Model features of ``found``; ``others`` are the other candidates of the document."""
        if self._containers[0] is not others:   # once per list of candidates
            self._containers = (others, self._holders(others))
        lexical, points, holders = self._containers[1]
        if found.cue[0] in points:
            at_cue = holders.get(found.cue[0], ())
        else:   # a cue that is none of ``others``
            at_cue = [o for o in lexical if o.content[0] <= found.cue[0] < o.content[1]]
        container = next((o for o in at_cue if o is not found), None)
        return cuemodel.features(found, self.doc, self.quotes, self.text, container, self.info)

    @staticmethod
    def _holders(others: list[Found]) -> tuple[list[Found], set[int], dict[int, list[Found]]]:
        """The lexicon cues among ``others``, the cue starts of ``others`` and, for those of them
        in some content, the lexicon cues whose content holds it, in the order of ``others`` (a
        candidate's container is the first one that is not itself): one pass over the contents
        instead of one per candidate."""
        lexical = [o for o in others if o.kind in ("according", "colon") or lx.is_reporting_verb(o.cue_lemma)]
        points = {o.cue[0] for o in others}
        in_order = sorted(points)
        holders: dict[int, list[Found]] = {}
        for o in lexical:
            start, end = o.content
            for k in range(bisect_left(in_order, start), bisect_left(in_order, end)):
                holders.setdefault(in_order[k], []).append(o)
        return lexical, points, holders

    def find(self) -> list[Found]:
        found = self.candidates()
        if self.model is not None:
            probs = self.model.probabilities([self.features(f, found) for f in found])
            scored = [(1.0 if f.kind == "signature" else p, f)   # a signed quotation needs no judging
                      for p, f in zip(probs, found)]
            best: dict[int, tuple[float, Found]] = {}
            for p, f in scored:   # one reading per cue word: the likelier one
                if f.cue_token.i not in best or p > best[f.cue_token.i][0]:
                    best[f.cue_token.i] = (p, f)
            found = [f for p, f in scored if best[f.cue_token.i][1] is f
                     and (p >= self.model.threshold or self._stance_bearing(f))]
        elif self.open:
            found = [f for f in found if f.kind in ("according", "noun", "noun-clause", "anaphor")
                     or lx.is_reporting_verb(f.cue_lemma)]
        return self._dedupe(found)

    def _stance_bearing(self, f: Found) -> bool:
        """Candidates kept whatever the model says: the corpus it learned from rarely marks
        replies and denials, which are what a fact-check graph is about ("denied the claim
        that …", "could not verify this", "said: 'No, that is not the case'")."""
        lexical = f.kind == "according" or (f.kind == "noun" and f.cue_lemma in lx.CLAIM_NOUNS) \
            or lx.is_reporting_verb(f.cue_lemma)
        if not lexical:
            return False
        stance = lx.stance_of_cue(f.cue_lemma)
        if f.kind in ("noun", "noun-clause"):
            return True
        if f.kind == "anaphor":   # "denied it", "declined to comment", "confirmed the report"; not "preach it"
            return stance != "Asserts" or (f.content_root is not None
                                           and f.content_root.lemma_.lower() in lx.DOCUMENT_REPLY_NOUNS)
        if stance != "Asserts":   # "refused to apologize" is the model's to judge
            return not (stance == "Questions" and f.kind == "object")
        if f.kind in ("clause", "quote") and f.source_head is not None and f.source_head.ent_type_ in ("PERSON", "ORG") \
                and lx.cue_rate(f.cue_lemma) >= SURE_CUE_RATE:
            return True   # "Smith said that …" in a construction too rare for the model to have learned
        content = self.text[f.content[0]:f.content[1]]
        return lx.matches_any(lx.DENIAL_REPLIES + lx.CONFIRM_REPLIES, content)

    # -- constructions ---------------------------------------------------------------------
    def from_verb(self, verb: int, sent: Sentence) -> Found | None:
        info = self.info
        subj = self._subject(verb)
        if subj is None and info.dep[verb] == "acl" and info.tag[verb] == "VBG" \
                and info.pos[info.head[verb]] in ("NOUN", "PROPN", "PRON"):
            subj = info.head[verb]   # "a tweet attacking the mayor", "one saying that …"
        if subj is None and info.dep[verb] != "parataxis":
            return None
        source = None
        speaker = subj
        speaker_is_subject = True
        if subj is not None and info.dep[subj] == "nsubjpass" and info.lemma[info.head[subj]] != "quote":
            speaker = self._passive_source(verb)
            speaker_is_subject = False
        if speaker is not None:
            source = self._source_of(speaker)
        content = self._verb_content(verb, sent, subj)
        if content is None and subj is not None:
            content = self._neighbour_content(verb, sent)
        if content is None:
            return None
        kind, ctoks, root = content
        if source is not None and speaker_is_subject and source[0] in ctoks:
            # "Full panic mode,” said Leslie Wimes: the parser made the quotation a subject too
            other = next((c for c in info.children[verb] if info.dep[c] in SUBJ and c > verb), None)
            if other is not None:
                source = self._source_of(other)
        return self._make(kind, verb, self._cue_extent(verb), ctoks, root, source, sent)

    def _neighbour_content(self, verb: int, sent: Sentence) -> Content | None:
        """Content in the next or previous sentence: "He said:" and the paragraph that follows;
        "“Does anybody know …?” Graham asked." after a question mark closed the sentence."""
        info = self.info
        text = self.text
        rest = [t for t in range(verb + 1, sent.end) if not info.space[t]]
        if rest and text[info.start[rest[0]]:info.end[rest[0]]] == ":" and all(info.punct[t] for t in rest):
            nxt: list[int] = []
            for t in range(sent.end, info.n):
                if info.space[t]:
                    if "\n" in text[info.start[t]:info.end[t]] and nxt:
                        break
                    continue
                nxt.append(t)
                if len(nxt) > 400:   # (a line break is a space token of its own: the test above)
                    break
            if sum(not info.punct[t] for t in nxt) >= 3:
                return ("colon", nxt, nxt[0])
        words = [t for t in range(sent.start, sent.end) if not info.punct[t] and not info.space[t]]
        if len(words) <= 5 and sent.start > 0:
            verb_char = info.start[verb]
            for qs, qe in self.quotes:
                if (0 <= sent.start_char - qe <= 3 and "\n" not in text[qe:sent.start_char]) \
                        or (qs < sent.start_char < qe and qe <= verb_char):
                    toks = self._tokens_between(qs, qe)
                    if toks:
                        return ("quote", toks, toks[0])
        return None

    def _passive_source(self, verb: int) -> int | None:
        info = self.info
        agent = self._agent(verb)
        if agent is not None:
            return agent
        for prep in info.children[verb]:
            if info.dep[prep] == "prep" and info.lower[prep] in ("in", "by"):
                pobj = next((p for p in info.children[prep] if info.dep[p] == "pobj"), None)
                if pobj is not None and (info.ent_type[pobj] in ("WORK_OF_ART", "ORG", "PERSON")
                                         or info.lemma[pobj].lower() in lx.SOURCE_DOC_NOUNS):
                    return pobj
        return None

    def _verb_content(self, verb: int, sent: Sentence, subj: int | None) -> Content | None:
        info = self.info
        dep, children = info.dep, info.children
        lemma = info.lemma[verb].lower()
        for prep in children[verb]:   # "was quoted … as saying that …": the inner cue carries it
            if dep[prep] == "prep" and any(dep[p] == "pcomp" and lx.is_reporting_verb(info.lemma[p])
                                           for p in children[prep]):
                return None
        doubt = next((c for c in children[verb] if dep[c] == "dobj" and info.lemma[c].lower() in lx.DOUBT_NOUNS), None)
        if doubt is not None:   # "cast doubt on the claim that …", "raised questions about it"
            target = next((p for prep in [*children[doubt], *children[verb]] if dep[prep] == "prep"
                           and info.lower[prep] in ("on", "about", "over") for p in children[prep]
                           if dep[p] == "pobj"), None)
            if target is not None:
                clause = self._that_clause(target) if info.lemma[target].lower() in lx.CLAIM_NOUNS else None
                if clause is not None:
                    return ("noun-clause", clause, clause[0])
                return ("anaphor", self._noun_phrase(target), target)
        # A complement after the verb before one before it: "A; the team says B", "A: Republicans
        # said B", "A, Kall said: B", "Asked about it, he replied that B" (where both are what
        # was said, "“A,” she said, “B”", either is)
        for c in children[verb]:
            if c > verb and dep[c] == "ccomp":
                clause = info.subtree(c)
                if not self._adverbial(c, clause):
                    return self._maybe_quote("clause", c, clause)
        for c in children[verb]:
            if dep[c] == "ccomp" and c < verb:   # (those after the verb were tried above)
                clause = info.subtree(c)
                if not self._adverbial(c, clause):
                    return self._maybe_quote("clause", c, clause)
            elif dep[c] == "advcl" and self._indirect_question(c, verb):
                return self._maybe_quote("clause", c, info.subtree(c))
        objs = [c for c in children[verb] if dep[c] == "dobj"]
        if subj is not None and dep[subj] == "nsubjpass" and lemma != "quote":
            objs.append(subj)
        for c in objs:
            clause = self._that_clause(c) if info.lemma[c].lower() in lx.CLAIM_NOUNS else None
            if clause is not None:
                return ("noun-clause", clause, clause[0])
            if info.lower[c] in lx.ANAPHORA or info.lemma[c].lower() in lx.ANAPHORA:
                return ("anaphor", self._noun_phrase(c), c)
        if lemma in ("decline", "refuse"):   # "declined to comment", not "refused to drop the gun"
            x = next((c for c in children[verb] if dep[c] == "xcomp"), None)
            if x is not None:
                if info.lemma[x].lower() in lx.REPLY_VERBS or lx.is_reporting_verb(info.lemma[x]):
                    return ("anaphor", info.subtree(x), x)
                return None   # a refused action is no stance on a claim
        if dep[verb] == "parataxis" and info.head[verb] != verb:
            q = self._quote_in(sent, verb)
            if q is not None:
                return q
            return ("parataxis", self._subtree_without(info.head[verb], verb), info.head[verb])
        if lemma in lx.NEEDS_CLAUSE and not self.open:
            return None
        quoted = self._quote_in(sent, verb)
        if quoted is not None or (lx.cue_rate(lemma) < lx.OBJECT_CUE_RATE and not self.open):
            return quoted
        return self._object_content(verb)

    def _object_content(self, verb: int) -> Content | None:
        """Everything the verb governs to its right ("called for X to Y", "wants to Z")."""
        info = self.info
        kids = [c for c in info.children[verb] if c > verb and info.dep[c] in
                ("dobj", "xcomp", "prep", "oprd", "attr", "acomp", "dative", "advcl")]
        if any(info.dep[r] == "relcl" and lx.is_reporting_verb(info.lemma[r]) for c in kids for r in info.children[c]):
            return None   # "cited an aide who indicated …": the aide's attribution carries it
        toks = sorted([t for c in kids for t in info.subtree(c)])   # (distinct children: no token twice)
        words = [t for t in toks if not info.punct[t]]
        if len(words) < 2 and not (words and info.pos[words[0]] in ("PROPN", "NOUN") and info.dep[words[0]] == "dobj"):
            return None   # but "endorsed Trump", "declared bankruptcy"
        return ("object", toks, kids[0])

    def _maybe_quote(self, kind: str, root: int, toks: list[int]) -> Content:
        s, e = self._extent(toks)
        for qs, qe in self.quotes:
            if qs <= s + 1 and qe >= e - 1 and qs < e and (qe - qs) > (e - s):
                return ("quote", self._tokens_between(qs, qe), root)
        return (kind, toks, root)

    def _quote_in(self, sent: Sentence, verb: int) -> Content | None:
        best = None
        verb_char = self.info.start[verb]
        for qs, qe in self._quotes_within(sent.start_char, sent.end_char):
            if not (qs <= verb_char < qe):
                dist = min(abs(verb_char - qe), abs(verb_char - qs))
                if best is None or dist < best[0]:
                    best = (dist, qs, qe)
        if best is None:
            return None
        toks = self._tokens_between(best[1], best[2])
        return ("quote", toks, toks[0]) if toks else None

    def _quotes_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quotations that overlap characters start..end, in text order (quote_spans gives
        them in text order and without overlaps: their ends grow as their starts do)."""
        return self.quotes[bisect_right(self._quote_ends, start):bisect_left(self._quote_starts, end)]

    def _tokens_between(self, s: int, e: int) -> list[int]:
        """Tokens at least partly within characters s..e (``Doc.char_span`` "expand")."""
        span = self.info.char_span(s, e)
        return list(range(span[0], span[1])) if span is not None else []

    def from_according(self, tok: int, sent: Sentence) -> Found | None:
        info = self.info
        to = tok + 1
        pobj = next((c for c in info.children[to] if info.dep[c] == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in info.children[tok] if info.dep[c] == "pobj"), None)
        if pobj is None:
            return None
        src = self._noun_phrase(pobj)
        phrase = {tok, to, *src}
        lo, hi = min(phrase), max(phrase)
        before = [t for t in range(sent.start, sent.end) if t < lo]
        after = [t for t in range(sent.start, sent.end) if t > hi]
        ctoks = max(before, after, key=lambda ts: sum(not info.punct[t] for t in ts))
        ctoks = [t for t in ctoks if self.counts[t]]
        if sum(not info.punct[t] for t in ctoks) < 3:
            return None
        inside = set(ctoks)
        root = next((t for t in ctoks if info.head[t] not in inside or info.head[t] == t), ctoks[0])
        return self._make("according", tok, self._extent([tok, to]), ctoks, root, (pobj, src), sent)

    def from_adjective(self, adj: int, sent: Sentence) -> Found | None:
        """"They are afraid that …", "she was willing to …": a state of mind with its clause."""
        info = self.info
        clause = next((c for c in info.children[adj] if info.dep[c] in ("ccomp", "xcomp") and c > adj), None)
        head = info.head[adj]
        subj = self._subject(head) if head != adj else None
        if subj is None:
            return None
        cue_toks = [head, adj] if head < adj else [adj]
        if clause is not None:
            ctoks = info.subtree(clause)
        else:   # "were too concerned about this shift", "is bearish on student loans"
            prep = next((c for c in info.children[adj] if info.dep[c] == "prep" and c > adj
                         and info.lower[c] in ("about", "of", "on", "over", "with", "for")), None)
            obj = next((c for c in info.children[prep] if info.dep[c] in ("pobj", "pcomp")), None) \
                if prep is not None else None
            if obj is None:
                return None
            cue_toks.append(prep)
            ctoks, clause = info.subtree(obj), obj
        return self._make("adjective", adj, self._extent(cue_toks), ctoks, clause, self._source_of(subj), sent)

    def from_noun(self, noun: int, sent: Sentence) -> Found | None:
        info = self.info
        clause = self._that_clause(noun)
        if clause is None and self.open:   # "Clinton's plan to cap deductions"
            inf = next((c for c in info.children[noun] if info.dep[c] in ("acl", "relcl") and c > noun
                        and any(info.dep[a] == "aux" and info.lower[a] == "to" for a in info.children[c])), None)
            if inf is not None:
                clause = info.subtree(inf)
        if clause is None:
            return None
        src_head = next((c for c in info.children[noun] if info.dep[c] == "poss"), None)
        if src_head is None:
            for prep in info.children[noun]:
                if info.dep[prep] == "prep" and info.lower[prep] in ("in", "by", "from", "of"):
                    src_head = next((p for p in info.children[prep] if info.dep[p] == "pobj"), None)
                    if src_head is not None:
                        break
        if src_head is None:
            return None
        if info.dep[src_head] != "poss":
            src_toks = self._noun_phrase(src_head)
        else:
            src_toks = [src_head] + [c for c in info.children[src_head] if info.dep[c] in ("compound", "amod", "det")]
        return self._make("noun", noun, self._extent([noun]), clause, clause[0], (src_head, src_toks), sent)

    # -- the parse, by token index ---------------------------------------------------------
    def _extent(self, tokens: list[int]) -> tuple[int, int]:
        """Character span of the tokens, without punctuation at either end (quotation marks
        count). Character offsets grow with the token index: first and last token suffice."""
        first, last = min(tokens), max(tokens)
        if not (self.counts[first] and self.counts[last]):   # the first or last is punctuation
            toks = [t for t in tokens if self.counts[t]] or tokens
            first, last = min(toks), max(toks)
        return self.info.start[first], self.info.end[last]

    def _subtree_without(self, tok: int, exclude: int) -> list[int]:
        skip = set(self.info.subtree(exclude))
        return [t for t in self.info.subtree(tok) if t not in skip]

    def _noun_phrase(self, head: int) -> list[int]:
        """:func:`noun_phrase_tokens` by token index."""
        info = self.info
        drop = set()
        for c in info.children[head]:
            if info.dep[c] in ("relcl", "acl", "punct") and c > head:
                drop.update(info.subtree(c))
        return [t for t in info.subtree(head) if t not in drop]

    def _subject(self, verb: int) -> int | None:
        """Subject of a cue verb, climbing through participles and conjoined verbs."""
        info = self.info
        seen = 0
        tok = verb
        while seen < 4:
            seen += 1
            for c in info.children[tok]:
                if info.dep[c] in SUBJ and not (info.dep[c] == "nsubjpass" and info.lemma[tok] not in ("quote",)
                                                and self._agent(tok) is not None):
                    return c
            agent = self._agent(tok)
            if agent is not None:
                return agent
            bare_participle = info.tag[tok] == "VBN" and not any(info.dep[c] in ("aux", "auxpass")
                                                                 for c in info.children[tok])
            if info.dep[tok] in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl") and info.head[tok] != tok \
                    and not (bare_participle and info.dep[tok] in ("advcl", "ccomp")):
                tok = info.head[tok]
            else:
                return None
        return None

    def _agent(self, verb: int) -> int | None:
        info = self.info
        for c in info.children[verb]:
            if info.dep[c] == "agent":
                for p in info.children[c]:
                    if info.dep[p] == "pobj":
                        return p
        return None

    def _source_of(self, subj: int) -> tuple[int, list[int]]:
        """The source's head (whom the holder is resolved from) and the words that name it in the
        attribution's own clause: "Smith, who said …" is resolved to Smith, but its source words
        are "who", as a pronoun's are the pronoun."""
        info = self.info
        if info.lower[subj] in ("who", "which", "that") and info.dep[info.head[subj]] == "relcl":
            return info.head[info.head[subj]], [subj]   # the relative clause's antecedent
        return subj, self._noun_phrase(subj)

    def _cue_extent(self, verb: int) -> tuple[int, int]:
        parts = [verb] + [c for c in self.info.children[verb] if self.info.dep[c] in ("neg", "aux", "auxpass")
                          and verb - 3 <= c < verb]
        return self._extent(parts)

    def _that_clause(self, noun: int) -> list[int] | None:
        """Tokens of the that-clause a claim noun introduces ("a claim in a new book that X"),
        also when the parser hangs the clause on a prepositional object of the noun."""
        info = self.info
        dep, children = info.dep, info.children
        heads = [noun] + [p for prep in children[noun] if dep[prep] == "prep"
                          for p in children[prep] if dep[p] == "pobj"]
        for h in heads:
            for c in children[h]:
                if dep[c] not in ("acl", "ccomp", "relcl", "appos") or c < h:
                    continue
                clause = info.subtree(c)
                first = min(clause)
                if info.lower[first] == "that" and (dep[c] != "relcl" or dep[first] in ("dobj", "nsubj", "mark")):
                    toks = [t for t in clause if t > first]
                    if dep[first] == "nsubj" and dep[c] == "relcl":
                        return None   # a real relative clause: "the report that came out"
                    return toks or None
        return None

    def _indirect_question(self, clause: int, verb: int) -> bool:
        """An adverbial clause that is what was asked: "whether …", or "if …" after the verb
        ("asked if he would run"), not a condition ("If schedules permit, …", "… even if
        their families do not qualify")."""
        info = self.info
        marks = [info.lower[m] for m in info.children[clause] if info.dep[m] == "mark"]
        if "whether" in marks:
            return True
        return "if" in marks and clause > verb and not any(
            info.dep[m] == "advmod" and info.lower[m] == "even" for m in info.children[clause])

    def _adverbial(self, clause: int, subtree: list[int]) -> bool:
        """A "when asked about it" clause that the parser hung as a complement."""
        info = self.info
        first = min(subtree)   # its own lead word, not "As for X, …" before it
        return info.lower[first] in ("when", "while", "after", "before", "as") and first < clause \
            and info.head[first] == clause and info.dep[first] in ("mark", "advmod")

    # -- helpers ---------------------------------------------------------------------------
    def _make(self, kind: str, cue_tok: int, cue: tuple[int, int], ctoks: list[int], root: int | None,
              source: tuple[int, list[int]] | None, sent: Sentence) -> Found | None:
        if not ctoks:
            return None
        content = self._extent(ctoks)
        if content[1] - content[0] < 2:
            return None
        src = None
        head = None
        if source is not None:
            head, stoks = source
            inside = set(ctoks)
            stoks = [t for t in stoks if t not in inside]
            if stoks:
                src = self._extent(stoks)
        info = self.info
        negated = any(info.dep[c] == "neg" for c in info.children[cue_tok])
        doc = self.doc
        return Found(kind, cue, info.lemma[cue_tok].lower(), negated, content, src,
                     doc[head] if head is not None else None, doc[root] if root is not None else None,
                     (sent.start_char, sent.end_char), doc[cue_tok])

    @staticmethod
    def _dedupe(found: list[Found]) -> list[Found]:
        """One attribution per content: overlapping contents keep the innermost cue."""
        out: list[Found] = []
        for f in found:
            clash = next((g for g in out if g.content == f.content and (
                (g.kind == "noun") == (f.kind == "noun") or g.source is None or f.source is None)), None)
            if clash is None:
                out.append(f)
            elif clash.source is None and f.source is not None:
                out[out.index(clash)] = f
        return out
