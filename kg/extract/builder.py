"""Turn one parsed Doc and its attributions into an Extraction record."""
from __future__ import annotations

import re

from spacy.strings import get_string_id
from spacy.symbols import AUX, PUNCT, VERB
from spacy.tokens import Doc

from ..records import Article, Claim, Extraction, Span, Stance
from . import lexicon as lx
from .attributions import AttributionFinder, Found
from .claims import ClaimColumns, claim_text, is_anaphoric_at, is_reply
from .entities import Columns, EntityTable, collect_entities
from .holders import HolderResolver

HEADLINE_CUE = re.compile(r"^.{0,60}?\b(says?|said|denies|denied|claims?|claimed|confirms?|confirmed|rejects?|disputes?)\b\s+(that\s+)?", re.I)


def _definite(label: str) -> str | None:
    """"ministry" -> "the ministry" (a common-noun holder named in a claim); None for "they"."""
    if label.lower() in ("they", "he", "she", "it", "we", "i", "you"):
        return None
    return label if label[:1].isupper() else "the " + label


def _doc_text(doc: Doc, body: str) -> str:
    """The Doc's text: ``body`` when the Doc was parsed from it (spaCy keeps every character, so
    the lengths and the last token tell), else ``doc.text``, which spaCy rebuilds from every
    token on each access (about 1 ms for a 1,000-word article)."""
    if not len(doc):
        return doc.text
    last = doc[-1]
    end = last.idx + len(last.text_with_ws)
    if end == len(body) and body[last.idx:end] == last.text_with_ws:
        return body
    return doc.text


# "aware", "evidence", …: the words after which _own_dispute looks for a dispute phrase (string ids)
_DISPUTE_WORDS = frozenset(get_string_id(w) for w in ("aware", "unaware", "evidence", "doubt"))
STORY_NOUNS = frozenset({"story", "news"})
REPLY_WINDOW_CHARS = 1200   # how far back a reply to "the reporting" looks for the document's claims

FLIP = {"Asserts": "Denies", "Confirms": "Denies", "Denies": "Asserts", "Disputes": "Disputes",
        "Questions": "Questions"}


def _remark_about(f: Found) -> list:
    """The "of"/"about" prepositions of the cue ("… Trump said of Woodward"): a remark about
    someone, not a claim under discussion."""
    return [c for c in f.cue_token.children if c.dep_ == "prep" and c.lower_ in ("of", "about")]


class ArticleBuilder:
    def __init__(self, article: Article, doc: Doc):
        self.article = article
        self.doc = doc
        self.text = _doc_text(doc, article.body)
        self.cols = Columns(doc, self.text)          # token attributes, read once for all the rules
        self.claim_cols = ClaimColumns(doc, self.cols)
        self.table = EntityTable()
        self.holders = HolderResolver(self.table, article.id)
        self.claims: dict[str, Claim] = {}
        self.claim_by_text: dict[str, str] = {}
        self.stances: list[Stance] = []
        self.current: str | None = None   # claim under discussion

    def run(self) -> Extraction:
        collect_entities(self.doc, self.table, self.text, self.cols)
        self._header_entities()
        found = self.doc._.attributions if self.doc.has_extension("attributions") and self.doc._.attributions is not None \
            else AttributionFinder(self.doc).find()
        for f in sorted(found, key=lambda f: f.cue[0]):
            self._stance(f)
        return Extraction(self.article, self.table.records(), tuple(self.claims.values()), tuple(self.stances))

    def _header_entities(self) -> None:
        for name in self.article.authors:
            etype = "Organization" if name.isupper() and len(name) <= 6 else "Person"
            self.table.add(name, etype, role="byline")
        for credit in self.article.credits:
            for part in credit.split("/"):
                part = part.strip()
                if part:
                    etype = "Organization" if part.isupper() else "Person"
                    self.table.add(part, etype, role="credit")

    def _span(self, rng: tuple[int, int]) -> Span:
        return Span(rng[0], rng[1], self.text[rng[0]:rng[1]])

    def _stance(self, f: Found) -> None:
        if f.source is None or f.source_head is None:
            return
        source = self._span(f.source)
        stoks = self.claim_cols.tokens(self.cols.token_range(*f.source))
        holder = self.holders.resolve(f.source_head, stoks, source)
        if holder is None:
            return
        content = self.cols.token_range(*f.content)   # token indices; Tokens only where a rule needs them
        content_text = self.text[f.content[0]:f.content[1]]
        stype = lx.stance_of_cue(f.cue_lemma)
        if f.cue_negated:
            stype = lx.NEGATED_CUE[stype]
        window = self.text[max(f.sentence[0], f.cue[0] - 40):f.cue[1] + 25]
        if lx.matches_any(lx.QUESTION_PHRASES, window):
            stype = "Questions"
        elif lx.matches_any(lx.DISPUTE_PHRASES, window) or self._own_dispute(content):
            stype = "Disputes"
        reply = f.kind == "anaphor" or is_anaphoric_at(self.claim_cols, content)
        if not reply and stype in ("Asserts", "Confirms") and is_reply(content_text, lx.DENIAL_REPLIES, 14):
            reply, stype = True, "Denies"
        elif not reply and stype == "Asserts" and is_reply(content_text, lx.CONFIRM_REPLIES, 8):
            reply, stype = True, "Confirms"
        if reply:
            # "the story" is what the article reports (its headline), not the last quotation
            story = f.kind == "anaphor" and f.content_root is not None \
                and f.content_root.lemma_.lower() in STORY_NOUNS and self._headline_claim()
            claim = story or self.current or self._headline_claim()
            if claim is None:
                return
            claims = [claim] + self._reported_claims(self.claim_cols.tokens(content), f.sentence[0], holder, claim)
        else:
            claim, negated = self._claim(f, content, holder, disputes=stype == "Disputes")
            if claim is None:
                return
            if negated:
                stype = FLIP[stype]
            if not _remark_about(f):
                self.current = claim   # "…," Trump said of Woodward: a remark about a person
            claims = [claim]
        if f.kind != "noun":   # "rejected Woodward's claim that …": Woodward is not the next "he"
            self.holders.note(source.start, holder)
        for c in claims:
            self.stances.append(Stance(
                key=f"s{len(self.stances) + 1}", holder=holder, claim=c, stance_type=stype,
                cue=self._span(f.cue), content=self._span(f.content), source=source,
                sentence=self._span(f.sentence)))

    def _reported_claims(self, ctoks, before: int, holder: str, current: str) -> list[str]:
        """"denied the reporting", "dismissed the book": a reply to a document answers every
        claim that documents asserted in the last few sentences, not only the latest one."""
        words = [t for t in ctoks if not t.is_punct]
        heads = [t for t in words if t.head not in words or t.head.i == t.i]
        if not heads or heads[0].lemma_.lower() not in lx.DOCUMENT_REPLY_NOUNS:
            return []
        window = before - REPLY_WINDOW_CHARS
        out: list[str] = []
        for st in self.stances:
            ent = self.table.entities[st.holder]
            doc_like = ent["type"] == "CreativeWork" or (ent["name"].split() or [""])[-1].lower() in lx.SOURCE_DOC_NOUNS
            if (doc_like and st.holder != holder and st.stance_type in ("Asserts", "Confirms")
                    and st.sentence is not None and st.sentence.start >= window
                    and st.claim != current and st.claim not in out):
                out.append(st.claim)
        return out

    def _headline_claim(self) -> str | None:
        """The claim a headline reports ("X denies <claim>" -> <claim>), for replies that come
        before any claim in the body."""
        head = HEADLINE_CUE.sub("", self.article.headline.strip()).strip(" .:;\"\u201c\u201d")
        if len(head.split()) < 3:
            return None
        key = self.claim_by_text.get(head.lower())
        if key is None:
            key = f"c{len(self.claims) + 1}"
            low = head.lower()
            about = tuple(k for k, e in self.table.entities.items()
                          if e["role"] == "subject" and e["type"] != "UnnamedSource" and e["name"].split()[-1].lower() in low)
            self.claims[key] = Claim(key=key, text=head, span=Span(0, 0, ""), about=about)
            self.claim_by_text[head.lower()] = key
        self.current = key
        return key

    def _own_dispute(self, content: range) -> bool:
        """"he was not aware of X" disputes X, unless a nested cue owns the phrase. Reads the parts
        of speech and lower-case forms of the content's first 15 tokens from the columns."""
        cols = self.cols
        first = content[:15]
        pos = cols.pos[first.start:first.stop].tolist()
        lower = cols.lower[first.start:first.stop].tolist()
        for n, i in enumerate(first):
            if pos[n] == VERB and lx.is_reporting_verb(cols.strings[int(cols.lemma[i])]):
                return False
            if lower[n] in _DISPUTE_WORDS:
                window = " ".join(cols.word(j) for j in content[max(0, n - 3):n + 2])
                return lx.matches_any(lx.DISPUTE_PHRASES, window)
        return False

    def _parenthetical(self, f: Found, content: range) -> frozenset[int]:
        """The tokens of an attribution set into its own content ("Survival, Mr. Ames says,
        depends on …", "The goal, he said, is …"): its source and cue, and the comma or dash on
        either side; none when the cue is outside the content."""
        cols = self.cols
        cue = cols.token_range(*f.cue)
        if not cue or cue.start not in content:
            return frozenset()
        first = cue.start
        if f.source is not None:
            source = cols.token_range(*f.source)
            if source and source.start in content and source.start < first:
                first = source.start
        last = cue.stop - 1
        pos = cols.pos
        before = first - 1 in content and pos[first - 1] == PUNCT
        after = last + 1 in content and pos[last + 1] == PUNCT
        if before and after and (last + 2 not in content or pos[last + 2] in (VERB, AUX)):
            first, last = first - 1, last + 1     # "Survival, he says, depends on …": both commas
        elif after:
            last += 1                             # "A, she said, the B …" reads "A, the B …"
        elif before:
            first -= 1
        return frozenset(range(first, last + 1))

    def _spoken_of(self, f: Found) -> dict | None:
        """The person or organisation a remark is about ("… said of Woodward", "… said about the
        company"), when the text names one: a third-person pronoun in the remark is that one,
        not the speaker."""
        for prep in _remark_about(f):
            for obj in prep.children:
                key = self.table.mention_at.get(obj.i) if obj.dep_ == "pobj" else None
                if key is not None and self.table.entities[key]["type"] in ("Person", "Organization"):
                    return self.table.entities[key]
        return None

    def _claim(self, f: Found, content: range, holder: str, disputes: bool = False) -> tuple[str | None, bool]:
        ent = self.table.entities[holder]
        name = ent["name"] if ent["type"] != "UnnamedSource" else _definite(ent["name"])
        aff = ent["affiliation"]
        we = self.table.entities[aff]["name"] if aff else (name if ent["type"] == "Organization" else None)
        inside = self._parenthetical(f, content)
        subject, subject_type = name, ent["type"]
        spoken_of = self._spoken_of(f)
        if spoken_of is not None:   # "“He is a storyteller,” Trump said of Woodward": "he" is Woodward
            subject, subject_type = spoken_of["name"], spoken_of["type"]
        ct = claim_text(self.claim_cols, content, subject_name=subject, we_name=we, subject_type=subject_type,
                        leave_out=inside)
        text = ct.text
        if disputes and lx.matches_any(lx.DISPUTE_PHRASES, text):
            text = re.split(r"(?i)\b(?:not aware of|unaware of|no evidence (?:that|of))\b", text, maxsplit=1)[-1].strip(" ,\"\u201c\u201d")
        if len(text.split()) < 2:
            return None, False
        key = self.claim_by_text.get(text.lower())
        if key is None:
            key = f"c{len(self.claims) + 1}"
            about = tuple(dict.fromkeys(k for i in content if i not in inside and (k := self.table.mention_at.get(i))))
            self.claims[key] = Claim(key=key, text=text, span=self._span(f.content), about=about,
                                     predicate=ct.predicate, numbers=ct.numbers, times=ct.times,
                                     lemmas=ct.lemmas)
            self.claim_by_text[text.lower()] = key
        return key, ct.negated
