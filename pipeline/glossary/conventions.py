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


def check_conventions(terms: Sequence[Term]) -> list[Problem]:
    """Warnings for rows that break the capitalisation or citation conventions."""
    problems = []
    for t in terms:
        for message in (check_capitals(t), check_source(t)):
            if message:
                problems.append(Problem(t.file, t.line, message, severity="warning"))
    return problems
