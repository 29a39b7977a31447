"""The glossary's house conventions, checked by ``zhen glossary lint``.

- **Local formulas** (a numbered formula whose English is zhen's own, its
  source "zhen editorial rendering"): lower case, numbers spelled out, like
  any English noun phrase: "three highlands", "five comparisons and one
  creation", "five-good". Proper nouns inside keep their capitals.
- **Campaign names** (kind ``campaign``, rendered as a name followed by the
  word "campaign"): the name in Title Case, the word "campaign" in lower case:
  "Strive for Excellence campaign".
- **Sources**: a claim of official usage is checkable, with a URL or a
  publication and its date; anything else is "zhen editorial rendering".
- **Claims in notes**: a note that says a form is official, Xinhua's, state
  media's or "attested" needs a URL in the row's source: the claim is checked
  where it is made.
- **Avoided forms**: an avoided rendering may not be one the row's own source
  attests (quoted in the source cell): the gate would refuse the very usage the
  row cites.

These are warnings: ``glossary lint`` fails on them, translation does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.glossary.table import Problem
from pipeline.model import Term

EDITORIAL = "zhen editorial rendering"
# Capitalised words a local formula's rendering may carry.
PROPER_NOUNS = frozenset({"Party", "CPC", "China", "Chinese", "Tianjin", "Binhai"})
_SMALL_WORDS = frozenset("a an and as at by for in of on or the to with".split())
_CLAIM = re.compile(r"\b(?:official|Xinhua|China Daily|People's Daily|government|State Council|Constitution|"
                    r"Ministry|work report|usage|naming pattern|English name)\b", re.IGNORECASE)
_CITATION = re.compile(r"https?://\S+|\b(?:19|20)\d\d\b")
_URL = re.compile(r"https?://[^\s/]+\.[^\s/]+\S*")
# "official" as a claim (official English, officially rendered), not the noun ("a leading official").
_NOTE_CLAIM = re.compile(r"\b(?:official(?= (?:\w+ )?(?:form|English|usage|rendering|translation|name|title|term|"
                         r"wording|version|spelling))|officially|Xinhua|state[- ]media|attested|China Daily|"
                         r"People's Daily|Beijing Review|white paper|China Keywords|CGTN)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\'\"‘“]([^\'\"’”]{2,})[\'\"’”]")


def is_local_formula(term: Term) -> bool:
    """A numbered formula (by the structure rules of ``formulas``) with zhen's own English."""
    from pipeline.text.formulas import find_quoted

    if not term.source.startswith(EDITORIAL):
        return False
    whole = find_quoted(f"『{term.term}』")
    return len(whole) == 1 and whole[0].kind == "formula"


def _words(text: str) -> list[str]:
    return [w.strip(",.;:'\"()") for w in text.split()]


def check_source(term: Term) -> str | None:
    if _CITATION.search(term.source):
        return None
    if not term.source.startswith(EDITORIAL) or _CLAIM.search(term.source):
        return (f"source {term.source!r} claims usage without a citation: give a URL or a publication "
                f"and date, or write \"{EDITORIAL}\"")
    return None


def check_capitals(term: Term) -> str | None:
    if term.kind == "campaign" and term.english.endswith(" campaign"):
        name = [w for w in _words(term.english)[:-1] if w]
        if any(w.lower() not in _SMALL_WORDS and not w[:1].isupper() for w in name):
            return (f"campaign names are Title Case before a lower-case \"campaign\" "
                    f"(\"Strive for Excellence campaign\"): {term.english!r}")
    if "Campaign" in _words(term.english):
        return f"\"campaign\" is lower case in a rendering: {term.english!r}"
    if is_local_formula(term):
        capitals = [w for w in _words(term.english) if w[:1].isupper() and w not in PROPER_NOUNS]
        if capitals:
            lower = " ".join(w if w in PROPER_NOUNS else w.lower() for w in term.english.split())
            return f"local formulas are lower case (\"three highlands\"): {term.english!r} → {lower!r}"
    return None


def check_note_claim(term: Term) -> str | None:
    claim = _NOTE_CLAIM.search(term.note)
    if claim and not _URL.search(term.source) and not _URL.search(term.note):
        return (f"note claims {claim.group(0)!r} usage but the row gives no URL: cite the page "
                f"(https://…) in the source, or drop the claim")
    return None


def check_avoid_attested(term: Term) -> str | None:
    """An avoided rendering that the row's own source quotes as used."""
    quoted = {m.group(1).strip().lower() for m in _QUOTED.finditer(term.source)}
    for form in term.avoid:
        if form.strip().lower() in quoted:
            return (f"avoided rendering {form!r} is quoted in the row's own source as used: move it to accept, "
                    f"or cite a source that does not use it")
    return None


def check_conventions(terms: Sequence[Term]) -> list[Problem]:
    """Warnings for rows that break the capitalisation or citation conventions."""
    problems = []
    for t in terms:
        for message in (check_capitals(t), check_source(t), check_note_claim(t)):
            if message:
                problems.append(Problem(t.file, t.line, message, severity="warning"))
        message = check_avoid_attested(t)
        if message:
            problems.append(Problem(t.file, t.line, message))
    return problems
