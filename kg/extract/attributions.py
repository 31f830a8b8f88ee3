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
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from . import cuemodel, lexicon as lx

SUBJ = ("nsubj", "nsubjpass", "csubj")
# A line that ends with a quotation and a dash before a name of one to five words.
SIGNED_RE = re.compile(r"(?m)^[ \t\u00a0]*(?P<quote>[\u201c\u201d\"][^\n]{10,}?[\u201d\"])[ \t\u00a0]*"
                       r"(?P<dash>[\u2015\u2014])[ \t\u00a0]*(?P<name>[A-Z][\w'\-]*\.?(?:[ \t\u00a0][A-Z][\w'\-]*\.?){0,4})"
                       r"[ \t\u00a0]*$")
SURE_CUE_RATE = 0.8   # a verb that is an attribution this often on PolNeAR train, with a clause, always is
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


def _extent(tokens: list[Token]) -> tuple[int, int]:
    toks = [t for t in tokens if not (t.is_punct and t.text not in "\u201c\u201d\"")] or tokens
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


def _subtree(tok: Token, exclude: Token | None = None) -> list[Token]:
    skip = set(t.i for t in exclude.subtree) if exclude is not None else set()
    return [t for t in tok.subtree if t.i not in skip]


def noun_phrase_tokens(head: Token) -> list[Token]:
    """A noun phrase without its relative clauses and trailing appositive clauses."""
    drop = set()
    for c in head.children:
        if c.dep_ in ("relcl", "acl", "punct") and c.i > head.i:
            drop.update(t.i for t in c.subtree)
    return [t for t in head.subtree if t.i not in drop]


def _subject(verb: Token) -> Token | None:
    """Subject of a cue verb, climbing through participles and conjoined verbs."""
    seen = 0
    tok = verb
    while tok is not None and seen < 4:
        seen += 1
        for c in tok.children:
            if c.dep_ in SUBJ and not (c.dep_ == "nsubjpass" and tok.lemma_ not in ("quote",)
                                       and _agent(tok) is not None):
                return c
        agent = _agent(tok)
        if agent is not None:
            return agent
        bare_participle = tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
        if tok.dep_ in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl") and tok.head.i != tok.i \
                and not (bare_participle and tok.dep_ in ("advcl", "ccomp")):
            tok = tok.head
        else:
            return None
    return None


def _agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _relcl_antecedent(subj: Token) -> Token | None:
    if subj.lower_ in ("who", "which", "that") and subj.head.dep_ == "relcl":
        return subj.head.head
    return None


def _source_of(subj: Token) -> tuple[Token, list[Token]]:
    """The source's head (whom the holder is resolved from) and the words that name it in the
    attribution's own clause: "Smith, who said …" is resolved to Smith, but its source words
    are "who", as a pronoun's are the pronoun."""
    ante = _relcl_antecedent(subj)
    if ante is not None:
        return ante, [subj]
    return subj, noun_phrase_tokens(subj)


def _cue_extent(verb: Token) -> tuple[int, int]:
    parts = [verb] + [c for c in verb.children if c.dep_ in ("neg", "aux", "auxpass")
                      and c.i < verb.i and c.i >= verb.i - 3]
    return _extent(parts)


def _that_clause(noun: Token) -> list[Token] | None:
    """Tokens of the that-clause a claim noun introduces ("a claim in a new book that X"),
    also when the parser hangs the clause on a prepositional object of the noun."""
    heads = [noun] + [p for prep in noun.children if prep.dep_ == "prep"
                      for p in prep.children if p.dep_ == "pobj"]
    for h in heads:
        for c in h.children:
            if c.dep_ not in ("acl", "ccomp", "relcl", "appos") or c.i < h.i:
                continue
            first = min(c.subtree, key=lambda t: t.i)
            if first.lower_ == "that" and (c.dep_ != "relcl" or first.dep_ in ("dobj", "nsubj", "mark")):
                toks = [t for t in c.subtree if t.i > first.i]
                if first.dep_ == "nsubj" and c.dep_ == "relcl":
                    return None   # a real relative clause: "the report that came out"
                return toks or None
    return None


def _adverbial(clause: Token) -> bool:
    """A "when asked about it" clause that the parser hung as a complement."""
    first = min(clause.subtree, key=lambda t: t.i)   # its own lead word, not "As for X, …" before it
    return first.lower_ in ("when", "while", "after", "before", "as") and first.i < clause.i \
        and first.head.i == clause.i and first.dep_ in ("mark", "advmod")


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


class AttributionFinder:
    """Runs over a Doc and returns a list of ``Found``, at most one per content span."""

    def __init__(self, doc: Doc, model="default", open_candidates: bool | None = None):
        """``model``: a :class:`~kg.extract.cuemodel.CueModel` judging candidates, ``"default"``
        for the shipped one (when present) or None for none. ``open_candidates``: propose every
        verb, not only lexicon cues (default: when there is a model to judge them)."""
        self.doc = doc
        self.text = doc.text   # Doc.text is rebuilt on every access: read it once
        self.quotes = quote_spans(self.text)
        self.model = cuemodel.default_model() if model == "default" else model
        self.open = self.model is not None if open_candidates is None else open_candidates
        self._containers: tuple[object, list[Found]] = (None, [])
        self._info: cuemodel.DocInfo | None = None

    def candidates(self) -> list[Found]:
        out: list[Found] = []
        for sent in self.doc.sents:
            for tok in sent:
                f = None
                if tok.lower_ == "according" and tok.i + 1 < len(self.doc) and self.doc[tok.i + 1].lower_ == "to":
                    f = self.from_according(tok, sent)
                elif tok.pos_ in ("VERB", "AUX") and (lx.is_reporting_verb(tok.lemma_)
                                                      or (self.open and tok.pos_ == "VERB")):
                    f = self.from_verb(tok, sent)
                    if f is not None and self.open and f.kind == "quote":
                        alt = self._object_alternative(f, sent)
                        if alt is not None:
                            out.append(alt)
                elif self.open and tok.pos_ == "ADJ" and tok.dep_ == "acomp":
                    f = self.from_adjective(tok, sent)
                elif tok.pos_ == "NOUN" and (tok.lemma_.lower() in lx.CLAIM_NOUNS or (
                        self.open and lx.cue_rate(tok.lemma_, "nouns") > 0)):
                    f = self.from_noun(tok, sent)
                if f is not None:
                    out.append(f)
        out += self.signatures()
        return out

    def signatures(self) -> list[Found]:
        """A quotation signed at the end of its line: "“… our greatest shame.” ― Sonya Herridge"
        (readers' answers, letters, vox pops): the name after the dash said the quotation."""
        out = []
        for m in SIGNED_RE.finditer(self.text):
            name = self._tokens_between(m.start("name"), m.end("name"))
            name = [t for t in name if not t.is_space]
            ctoks = [t for t in self._tokens_between(m.start("quote"), m.end("quote")) if not t.is_space]
            dash = self._tokens_between(m.start("dash"), m.end("dash"))
            if not name or not ctoks or not dash:
                continue
            head = next((t for t in reversed(name) if t.is_alpha and t.is_title), None)
            if head is None:
                continue
            sent = self.doc[ctoks[0].i:name[-1].i + 1]
            f = self._make("signature", dash[0], (m.start("dash"), m.end("dash")), ctoks, ctoks[0], (head, name), sent)
            if f is not None:
                out.append(f)
        return out

    def _object_alternative(self, f: Found, sent: SpacySpan) -> Found | None:
        """A verb that a quotation elsewhere in the sentence was given to may rather govern its
        own object ("had mocked the complaint"): both readings go to the model."""
        content = self._object_content(f.cue_token)
        if content is None:
            return None
        kind, ctoks, root = content
        source = (f.source_head, self._tokens_between(*f.source)) if f.source is not None else None
        alt = self._make(kind, f.cue_token, f.cue, ctoks, root, source, sent)
        return alt if alt is not None and alt.content != f.content else None

    def features(self, found: Found, others: list[Found] = ()) -> list[str]:
        """Model features of ``found``; ``others`` are the other candidates of the document."""
        if self._containers[0] is not others:   # lexicon cues among ``others``, once per list
            self._containers = (others, [o for o in others if o.kind in ("according", "colon")
                                         or lx.is_reporting_verb(o.cue_lemma)])
        container = next((o for o in self._containers[1] if o is not found
                          and o.content[0] <= found.cue[0] < o.content[1]), None)
        if self._info is None:
            self._info = cuemodel.DocInfo(self.doc)
        return cuemodel.features(found, self.doc, self.quotes, self.text, container, self._info)

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
    def from_verb(self, verb: Token, sent: SpacySpan) -> Found | None:
        subj = _subject(verb)
        if subj is None and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            subj = verb.head   # "a tweet attacking the mayor", "one saying that …"
        if subj is None and verb.dep_ != "parataxis":
            return None
        source = None
        speaker = subj
        if subj is not None and subj.dep_ == "nsubjpass" and subj.head.lemma_ != "quote":
            speaker = self._passive_source(verb)
        if speaker is not None:
            source = _source_of(speaker)
        content = self._verb_content(verb, sent, subj)
        if content is None and subj is not None:
            content = self._neighbour_content(verb, sent)
        if content is None:
            return None
        kind, ctoks, root = content
        if source is not None and subj is speaker and source[0].i in {t.i for t in ctoks}:
            # "Full panic mode,” said Leslie Wimes: the parser made the quotation a subject too
            other = next((c for c in verb.children if c.dep_ in SUBJ and c.i > verb.i), None)
            if other is not None:
                source = _source_of(other)
        return self._make(kind, verb, _cue_extent(verb), ctoks, root, source, sent)

    def _neighbour_content(self, verb: Token, sent: SpacySpan):
        """Content in the next or previous sentence: "He said:" and the paragraph that follows;
        "“Does anybody know …?” Graham asked." after a question mark closed the sentence."""
        rest = [t for t in sent if t.i > verb.i and not t.is_space]
        if rest and rest[0].text == ":" and all(t.is_punct for t in rest):
            nxt: list[Token] = []
            for t in self.doc[sent.end:]:
                if t.is_space:
                    if "\n" in t.text and nxt:
                        break
                    continue
                nxt.append(t)
                if "\n" in t.whitespace_ or len(nxt) > 400:
                    break
            if sum(not t.is_punct for t in nxt) >= 3:
                return ("colon", nxt, nxt[0])
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if len(words) <= 5 and sent.start > 0:
            for qs, qe in self.quotes:
                if (0 <= sent.start_char - qe <= 3 and "\n" not in self.text[qe:sent.start_char]) \
                        or (qs < sent.start_char < qe and qe <= verb.idx):
                    toks = self._tokens_between(qs, qe)
                    if toks:
                        return ("quote", toks, toks[0])
        return None

    @staticmethod
    def _passive_source(verb: Token) -> Token | None:
        agent = _agent(verb)
        if agent is not None:
            return agent
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "by"):
                pobj = next((p for p in prep.children if p.dep_ == "pobj"), None)
                if pobj is not None and (pobj.ent_type_ in ("WORK_OF_ART", "ORG", "PERSON")
                                         or pobj.lemma_.lower() in lx.SOURCE_DOC_NOUNS):
                    return pobj
        return None

    def _verb_content(self, verb: Token, sent: SpacySpan, subj: Token | None):
        lemma = verb.lemma_.lower()
        for prep in verb.children:   # "was quoted … as saying that …": the inner cue carries it
            if prep.dep_ == "prep" and any(p.dep_ == "pcomp" and lx.is_reporting_verb(p.lemma_) for p in prep.children):
                return None
        doubt = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in lx.DOUBT_NOUNS), None)
        if doubt is not None:   # "cast doubt on the claim that …", "raised questions about it"
            target = next((p for prep in list(doubt.children) + list(verb.children) if prep.dep_ == "prep"
                           and prep.lower_ in ("on", "about", "over") for p in prep.children if p.dep_ == "pobj"), None)
            if target is not None:
                clause = _that_clause(target) if target.lemma_.lower() in lx.CLAIM_NOUNS else None
                if clause is not None:
                    return ("noun-clause", clause, clause[0])
                return ("anaphor", noun_phrase_tokens(target), target)
        for c in verb.children:
            if c.dep_ == "ccomp" and _adverbial(c):
                continue
            if c.dep_ == "ccomp" or (c.dep_ == "advcl" and any(m.lower_ in ("whether", "if") for m in c.children if m.dep_ == "mark")):
                return self._maybe_quote("clause", c, _subtree(c))
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        if subj is not None and subj.dep_ == "nsubjpass" and lemma != "quote":
            objs.append(subj)
        for c in objs:
            clause = _that_clause(c) if c.lemma_.lower() in lx.CLAIM_NOUNS else None
            if clause is not None:
                return ("noun-clause", clause, clause[0])
            if c.lower_ in lx.ANAPHORA or c.lemma_.lower() in lx.ANAPHORA:
                return ("anaphor", noun_phrase_tokens(c), c)
        if lemma in ("decline", "refuse"):   # "declined to comment", not "refused to drop the gun"
            x = next((c for c in verb.children if c.dep_ == "xcomp"), None)
            if x is not None:
                if x.lemma_.lower() in lx.REPLY_VERBS or lx.is_reporting_verb(x.lemma_):
                    return ("anaphor", _subtree(x), x)
                return None   # a refused action is no stance on a claim
        if verb.dep_ == "parataxis" and verb.head.i != verb.i:
            q = self._quote_in(sent, verb)
            if q is not None:
                return q
            return ("parataxis", _subtree(verb.head, exclude=verb), verb.head)
        if lemma in lx.NEEDS_CLAUSE and not self.open:
            return None
        quoted = self._quote_in(sent, verb)
        if quoted is not None or (lx.cue_rate(lemma) < lx.OBJECT_CUE_RATE and not self.open):
            return quoted
        return self._object_content(verb)

    @staticmethod
    def _object_content(verb: Token):
        """Everything the verb governs to its right ("called for X to Y", "wants to Z")."""
        kids = [c for c in verb.children if c.i > verb.i and c.dep_ in
                ("dobj", "xcomp", "prep", "oprd", "attr", "acomp", "dative", "advcl")]
        if any(r.dep_ == "relcl" and lx.is_reporting_verb(r.lemma_) for c in kids for r in c.children):
            return None   # "cited an aide who indicated …": the aide's attribution carries it
        toks = sorted({t for c in kids for t in c.subtree}, key=lambda t: t.i)
        words = [t for t in toks if not t.is_punct]
        if len(words) < 2 and not (words and words[0].pos_ in ("PROPN", "NOUN") and words[0].dep_ == "dobj"):
            return None   # but "endorsed Trump", "declared bankruptcy"
        return ("object", toks, kids[0])

    def _maybe_quote(self, kind: str, root: Token, toks: list[Token]):
        s, e = _extent(toks)
        for qs, qe in self.quotes:
            if qs <= s + 1 and qe >= e - 1 and qs < e and (qe - qs) > (e - s):
                return ("quote", self._tokens_between(qs, qe), root)
        return (kind, toks, root)

    def _quote_in(self, sent: SpacySpan, verb: Token):
        best = None
        for qs, qe in self.quotes:
            if qe > sent.start_char and qs < sent.end_char and not (qs <= verb.idx < qe):
                dist = min(abs(verb.idx - qe), abs(verb.idx - qs))
                if best is None or dist < best[0]:
                    best = (dist, qs, qe)
        if best is None:
            return None
        toks = self._tokens_between(best[1], best[2])
        return ("quote", toks, toks[0] if toks else None) if toks else None

    def _tokens_between(self, s: int, e: int) -> list[Token]:
        span = self.doc.char_span(s, e, alignment_mode="expand")
        return list(span) if span is not None else []

    def from_according(self, tok: Token, sent: SpacySpan) -> Found | None:
        to = self.doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        src = noun_phrase_tokens(pobj)
        phrase = {tok.i, to.i, *(t.i for t in src)}
        lo, hi = min(phrase), max(phrase)
        before = [t for t in sent if t.i < lo]
        after = [t for t in sent if t.i > hi]
        ctoks = max(before, after, key=lambda ts: sum(not t.is_punct for t in ts))
        ctoks = [t for t in ctoks if not t.is_punct or t.text in "\u201c\u201d\""]
        if sum(not t.is_punct for t in ctoks) < 3:
            return None
        root = next((t for t in ctoks if t.head.i not in {x.i for x in ctoks} or t.head.i == t.i), ctoks[0])
        return self._make("according", tok, _extent([tok, to]), ctoks, root, (pobj, src), sent)

    def from_adjective(self, adj: Token, sent: SpacySpan) -> Found | None:
        """"They are afraid that …", "she was willing to …": a state of mind with its clause."""
        clause = next((c for c in adj.children if c.dep_ in ("ccomp", "xcomp") and c.i > adj.i), None)
        subj = _subject(adj.head) if adj.head.i != adj.i else None
        if subj is None:
            return None
        cue_toks = [adj.head, adj] if adj.head.i < adj.i else [adj]
        if clause is not None:
            ctoks = _subtree(clause)
        else:   # "were too concerned about this shift", "is bearish on student loans"
            prep = next((c for c in adj.children if c.dep_ == "prep" and c.i > adj.i
                         and c.lower_ in ("about", "of", "on", "over", "with", "for")), None)
            obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
            if obj is None:
                return None
            cue_toks.append(prep)
            ctoks, clause = _subtree(obj), obj
        return self._make("adjective", adj, _extent(cue_toks), ctoks, clause, _source_of(subj), sent)

    def from_noun(self, noun: Token, sent: SpacySpan) -> Found | None:
        clause = _that_clause(noun)
        if clause is None and self.open:   # "Clinton's plan to cap deductions"
            inf = next((c for c in noun.children if c.dep_ in ("acl", "relcl") and c.i > noun.i
                        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)
            if inf is not None:
                clause = _subtree(inf)
        if clause is None:
            return None
        src_head = next((c for c in noun.children if c.dep_ == "poss"), None)
        if src_head is None:
            for prep in noun.children:
                if prep.dep_ == "prep" and prep.lower_ in ("in", "by", "from", "of"):
                    src_head = next((p for p in prep.children if p.dep_ == "pobj"), None)
                    if src_head is not None:
                        break
        if src_head is None:
            return None
        src = (src_head, noun_phrase_tokens(src_head) if src_head.dep_ != "poss" else [src_head]
               + [c for c in src_head.children if c.dep_ in ("compound", "amod", "det")])
        return self._make("noun", noun, _extent([noun]), clause, clause[0], src, sent)

    # -- helpers ---------------------------------------------------------------------------
    def _make(self, kind, cue_tok, cue, ctoks, root, source, sent) -> Found | None:
        if not ctoks:
            return None
        content = _extent(ctoks)
        if content[1] - content[0] < 2:
            return None
        src = None
        head = None
        if source is not None:
            head, stoks = source
            inside = {t.i for t in ctoks}
            stoks = [t for t in stoks if t.i not in inside]
            if stoks:
                src = _extent(stoks)
        negated = _negated(cue_tok)
        return Found(kind, cue, cue_tok.lemma_.lower(), negated, content, src, head, root,
                     (sent.start_char, sent.end_char), cue_tok)

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
