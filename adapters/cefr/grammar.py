"""Detectors for grammar items of the CEFR-J Grammar Profile, over a spaCy parse.

Each detector names a Shorthand Code of the profile; the level comes from the shipped profile file, the
learner-facing label from here. The examples are the learner's own words (the verb group or the clause).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from adapters.cefr.profiles import GrammarEntry, default_grammar
from domain.cefr.profile import Structure, StructureUse

LABELS: dict[str, str] = {
    "TA.PRESENT.do.AFF": "present simple",
    "TA.PRPRG.AFF": "present continuous",
    "TA.PAST.do.AFF": "past simple",
    "TA.PASTPRG.AFF": "past continuous",
    "TA.PRPF.AFF": "present perfect",
    "TA.PRPFPRG.AFF": "present perfect continuous",
    "TA.PASTPF.AFF": "past perfect",
    "TA.FUT.AFF": "future with will",
    "TA.FUTPRG.AFF": "future continuous",
    "TA.FUTPF.AFF": "future perfect",
    "MD.be_going_to.AFF": "going to for plans",
    "MD.can.AFF": "can",
    "MD.could.AFF": "could",
    "MD.should.AFF": "should",
    "MD.must.AFF": "must",
    "MD.might.AFF": "might",
    "MD.may.AFF": "may",
    "MD.would.AFF": "would",
    "MD.have_to.AFF": "have to",
    "MD.used_to.AFF": "used to",
    "MD.be_able_to.AFF": "be able to",
    "MD.MD_PF.AFF": "modal perfect (should have done)",
    "PASS.PRESENT": "present passive",
    "PASS.PAST.AFF": "past passive",
    "PASS.MD.AFF": "passive after a modal",
    "PASS.PRSPF.AFF": "present perfect passive",
    "TO.to_be_done": "passive infinitive (to be done)",
    "VG.being_VN": "being + past participle",
    "VG.having_VN": "having + past participle",
    "PREL.who": "relative clauses with who",
    "PREL.which": "relative clauses with which",
    "PREL.that": "relative clauses with that",
    "PRELGEN": "relative clauses with whose",
    "PRELO.OMIT": "relative clauses without a pronoun",
    "PREL.NR": "non-defining relative clauses",
    "RBREL": "relative clauses with where/when",
    "PREL.PREP_PREL": "preposition + relative pronoun (in which)",
    "CL.if": "if-clauses",
    "SUBJ.PAST.AFF": "second conditional",
    "SUBJ.PASTPF.AFF": "third conditional",
    "CL.that.OBJ": "that-clauses after verbs",
    "CL.WH.OBJ": "indirect questions (know what/why ...)",
    "CL.WH.whether": "whether-clauses",
    "CL.so_that": "purpose clauses with so that",
    "CL.when": "time clauses with when",
    "VG.P.AFF": "participle clauses (-ing)",
    "VN.P.AFF": "participle clauses (past participle)",
    "TO.in_order_to_do": "in order to",
    "PP.it_to_do.AFF": "it is + adjective + to-infinitive",
    "PP.it_that.AFF": "it is + adjective + that-clause",
    "RBDEG.too_to": "too + adjective + to",
    "RBDEG.so_JJ.RB_that": "so + adjective + that",
    "RBDEG.such_JJ": "such (a) + adjective + noun",
    "COMP.JJR.RBR.er": "comparatives (-er)",
    "COMP.JJR.RBR.more": "comparatives with more",
    "COMP.JJS.RBS.most": "superlatives with most",
    "COMP.the_the": "the more ..., the more ...",
    "WH.-ever": "whatever/whoever/wherever",
    "CAUS.ask.tell_NP_to_do": "ask/tell someone to do",
    "CAUS.have.let.make": "make/let/have someone do",
    "EX.there.AFF": "there is/there are",
}
MAX_EXAMPLE_WORDS = 8
_MODALS = {
    "can": "MD.can.AFF",
    "could": "MD.could.AFF",
    "should": "MD.should.AFF",
    "must": "MD.must.AFF",
    "might": "MD.might.AFF",
    "may": "MD.may.AFF",
    "would": "MD.would.AFF",
}
_REL = {
    "who": "PREL.who",
    "which": "PREL.which",
    "that": "PREL.that",
    "whose": "PRELGEN",
    "where": "RBREL",
    "when": "RBREL",
    "whom": "PREL.who",
}
_WH = {"what", "why", "how", "where", "who", "which", "when"}


def catalogue() -> tuple[Structure, ...]:
    """Every structure the detectors can find, with its CEFR-J level, easiest first."""
    grammar = default_grammar()
    found = [_structure(grammar[code]) for code in LABELS if code in grammar]
    return tuple(sorted(found, key=lambda s: s.level.rank))


def _structure(entry: GrammarEntry) -> Structure:
    return Structure(entry.code, LABELS[entry.code], entry.level)


def _phrase(tokens: list[Token]) -> str:
    tokens = sorted(tokens, key=lambda t: t.i)
    return " ".join(t.text for t in tokens)


def _clause(token: Token) -> str:
    words = [t.text for t in token.subtree if not t.is_punct]
    return " ".join(words[:MAX_EXAMPLE_WORDS]) + (" ..." if len(words) > MAX_EXAMPLE_WORDS else "")


def _verb_codes(verb: Token) -> Iterator[tuple[str, str]]:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    lemmas = [a.lower_ if a.tag_ == "MD" else a.lemma_.lower() for a in auxes]
    group = _phrase([*auxes, verb])
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    modal = next((a.lower_ for a in auxes if a.tag_ == "MD"), None)
    if modal in ("will", "'ll", "wo"):
        yield (
            ("TA.FUTPRG.AFF" if verb.tag_ == "VBG" else "TA.FUTPF.AFF" if "have" in lemmas else "TA.FUT.AFF"),
            group,
        )
    elif modal in _MODALS:
        yield _MODALS[modal], group
        if "have" in lemmas and verb.tag_ == "VBN" and not passive:
            yield "MD.MD_PF.AFF", group
    if passive:
        pass_aux = next((a for a in auxes if a.dep_ == "auxpass"), None)
        if modal:
            yield "PASS.MD.AFF", group
        elif "have" in lemmas:
            yield "PASS.PRSPF.AFF", group
        elif pass_aux is not None and pass_aux.lower_ == "being" and not lemmas[:-1]:
            yield "VG.being_VN", group
        elif pass_aux is not None and pass_aux.tag_ == "VBD":
            yield "PASS.PAST.AFF", group
        elif pass_aux is not None and pass_aux.tag_ in ("VBP", "VBZ"):
            yield "PASS.PRESENT", group
        elif pass_aux is not None and pass_aux.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
            yield "TO.to_be_done", group
        return
    be = next((a for a in auxes if a.lemma_ == "be"), None)
    have = next((a for a in auxes if a.lemma_ == "have"), None)
    if verb.tag_ == "VBG" and be is not None and not modal:
        if have is not None:
            yield ("TA.PRPFPRG.AFF" if have.tag_ in ("VBP", "VBZ") else "TA.PASTPF.AFF"), group
        elif verb.lemma_ == "go" and any(c.dep_ == "xcomp" for c in verb.children):
            yield "MD.be_going_to.AFF", _clause(verb)
        elif be.tag_ == "VBD":
            yield "TA.PASTPRG.AFF", group
        elif be.tag_ in ("VBP", "VBZ"):
            yield "TA.PRPRG.AFF", group
    elif verb.tag_ == "VBN" and have is not None and not modal:
        if have.tag_ in ("VBP", "VBZ"):
            yield "TA.PRPF.AFF", group
        elif have.tag_ == "VBD":
            yield "TA.PASTPF.AFF", group
        elif have.tag_ == "VBG":
            yield "VG.having_VN", group
    elif not auxes and verb.dep_ not in ("amod", "xcomp", "acl", "advcl", "pcomp", "conj"):
        if verb.tag_ == "VBD":
            yield "TA.PAST.do.AFF", group
        elif verb.tag_ in ("VBP", "VBZ") and verb.pos_ == "VERB":
            yield "TA.PRESENT.do.AFF", group
    if verb.lemma_ == "use" and verb.tag_ == "VBD" and any(c.dep_ == "xcomp" for c in verb.children):
        yield "MD.used_to.AFF", _clause(verb)
    if (
        verb.lemma_ == "have"
        and verb.pos_ == "VERB"
        and any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in verb.children)
    ):
        yield "MD.have_to.AFF", _clause(verb)


def _clause_codes(token: Token) -> Iterator[tuple[str, str]]:
    dep = token.dep_
    children = list(token.children)
    marks = {c.lower_ for c in children if c.dep_ == "mark"}
    if dep == "relcl":
        rel = next(
            (
                c
                for c in token.subtree
                if c.tag_ in ("WDT", "WP", "WP$", "WRB")
                or (c.lower_ == "that" and c.dep_ in ("nsubj", "dobj", "nsubjpass", "pobj"))
            ),
            None,
        )
        if rel is None:
            yield "PRELO.OMIT", _clause(token)
        else:
            yield _REL.get(rel.lower_, "PREL.that"), _clause(token)
            if rel.head.dep_ == "prep" or (rel.i > 0 and rel.nbor(-1).dep_ == "prep"):
                yield "PREL.PREP_PREL", _clause(token)
        head = token.head
        if head.i + 1 < len(token.doc) and token.doc[head.i + 1].text == "," and rel is not None:
            yield "PREL.NR", _clause(token)
    elif dep == "advcl":
        if "if" in marks:
            main = token.head
            main_modals = {c.lower_ for c in main.children if c.tag_ == "MD"}
            had = any(c.lower_ == "had" for c in children) and token.tag_ == "VBN"
            if had and main_modals & {"would", "could", "might"}:
                yield "SUBJ.PASTPF.AFF", _clause(token)
            elif token.tag_ == "VBD" or any(c.lower_ == "were" for c in children):
                yield (
                    ("SUBJ.PAST.AFF" if main_modals & {"would", "could", "might"} else "CL.if"),
                    _clause(token),
                )
            else:
                yield "CL.if", _clause(token)
        elif "when" in {c.lower_ for c in children if c.dep_ == "advmod"} | marks:
            yield "CL.when", _clause(token)
        elif "so" in marks and "that" in marks:
            yield "CL.so_that", _clause(token)
        elif not marks and not any(c.dep_ in ("aux", "nsubj") for c in children) and token.i < token.head.i + 30:
            if token.tag_ == "VBG":
                yield "VG.P.AFF", _clause(token)
            elif token.tag_ == "VBN":
                yield "VN.P.AFF", _clause(token)
    elif dep == "ccomp":
        if "whether" in marks:
            yield "CL.WH.whether", _clause(token)
        elif "that" in marks:
            yield "CL.that.OBJ", _clause(token)
        elif token.head.lemma_ in ("know", "wonder", "understand", "explain", "ask", "decide", "see") and any(
            c.lower_ in _WH for c in token.subtree if c.i < token.i
        ):
            yield "CL.WH.OBJ", _clause(token.head)


def _word_codes(doc: Doc | Span) -> Iterator[tuple[str, str]]:
    words = [t.lower_ for t in doc]
    for i, token in enumerate(doc):
        low = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if token.tag_ in ("JJR", "RBR") and low not in ("more", "less"):
            yield "COMP.JJR.RBR.er", token.text
        elif (low == "more" and token.head.tag_ == "JJ") or (low == "more" and nxt and doc[i + 1].tag_ == "JJ"):
            yield "COMP.JJR.RBR.more", f"more {nxt}"
        elif low == "most" and nxt and doc[i + 1].tag_ in ("JJ", "RB"):
            yield "COMP.JJS.RBS.most", f"most {nxt}"
        if low == "in" and nxt == "order" and i + 2 < len(words) and words[i + 2] == "to":
            yield "TO.in_order_to_do", " ".join(t.text for t in doc[i : i + 5])
        if low == "too" and nxt and doc[i + 1].tag_ in ("JJ", "RB") and "to" in words[i + 2 : i + 4]:
            yield "RBDEG.too_to", " ".join(t.text for t in doc[i : i + 5])
        if low == "so" and nxt and doc[i + 1].tag_ in ("JJ", "RB") and "that" in words[i + 2 : i + 4]:
            yield "RBDEG.so_JJ.RB_that", " ".join(t.text for t in doc[i : i + 4])
        if low == "such" and nxt in ("a", "an") and i + 2 < len(words) and doc[i + 2].tag_ == "JJ":
            yield "RBDEG.such_JJ", " ".join(t.text for t in doc[i : i + 4])
        if (low in ("whatever", "whoever", "wherever", "whenever", "however") and token.dep_ != "advmod") or (
            low in ("whatever", "whoever", "wherever", "whenever")
        ):
            yield "WH.-ever", token.text
        if low == "the" and nxt == "more" and "the" in words[i + 2 : i + 8]:
            yield "COMP.the_the", " ".join(t.text for t in doc[i : i + 6])
        if low == "there" and token.dep_ == "expl":
            yield "EX.there.AFF", f"{token.text} {token.head.text}"
        if low == "it" and token.dep_ in ("nsubj", "expl") and token.head.lemma_ == "be":
            acomp = next((c for c in token.head.children if c.dep_ == "acomp"), None)
            if acomp is not None:
                if any(c.dep_ == "xcomp" for c in acomp.children) or any(
                    c.dep_ == "xcomp" for c in token.head.children
                ):
                    yield "PP.it_to_do.AFF", _clause(token.head)
                elif any(c.dep_ == "ccomp" for c in [*acomp.children, *token.head.children]):
                    yield "PP.it_that.AFF", _clause(token.head)
        if token.lemma_ in ("ask", "tell") and token.pos_ == "VERB":
            obj = any(c.dep_ in ("dobj", "dative") for c in token.children)
            inf = any(c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VB" for c in token.children)
            if obj and inf:
                yield "CAUS.ask.tell_NP_to_do", _clause(token)
        if token.lemma_ in ("make", "let", "have") and any(
            c.dep_ == "ccomp" and c.tag_ == "VB" and not any(a.lower_ == "to" for a in c.children)
            for c in token.children
        ):
            yield "CAUS.have.let.make", _clause(token)
        if token.lemma_ == "able" and token.head.lemma_ == "be" and nxt == "to":
            yield "MD.be_able_to.AFF", " ".join(t.text for t in doc[max(i - 1, 0) : i + 3])


def scan(doc: Doc | Span) -> tuple[tuple[StructureUse, ...], dict[str, int]]:
    """The profile's grammar items found in `doc` (each with up to three of the learner's examples) and
    how often each code occurs (the model's features)."""
    found: dict[str, list[str]] = defaultdict(list)
    for token in doc:
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            for code, example in _verb_codes(token):
                found[code].append(example)
        for code, example in _clause_codes(token):
            found[code].append(example)
    for code, example in _word_codes(doc):
        found[code].append(example)
    grammar = default_grammar()
    uses = []
    for code, examples in found.items():
        if code in grammar and code in LABELS:
            unique = list(dict.fromkeys(examples))
            uses.append(StructureUse(_structure(grammar[code]), tuple(unique[:3])))
    uses.sort(key=lambda u: (u.structure.level.rank, u.structure.code))
    return tuple(uses), {code: len(examples) for code, examples in found.items()}


def detect(doc: Doc) -> tuple[StructureUse, ...]:
    return scan(doc)[0]
