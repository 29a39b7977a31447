"""Glossary enforcement on English text: put required renderings into an MT
input, find required renderings missing and avoided ones present, and swap
avoided renderings for required ones.

Engines use it to prepare and check their drafts, QA to check any translation,
reviewed or not; it knows neither.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from pipeline.model import TermHit
from pipeline.text.script import fold_english


def inject_renderings(text: str, hits: Sequence[TermHit]) -> str:
    """Replace each matched term by its required English rendering."""
    out, pos = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        out.append(text[pos:hit.start])
        out.append(f" {hit.term.english} ")
        pos = hit.end
    out.append(text[pos:])
    return "".join(out)


# Nouns and verbs take inflections in running text; adjectives are left alone ("good" is not "better").
_INFLECTED = ("NOUN", "VERB")
_WORD = re.compile(r"([^\W\d_]+)")


@functools.lru_cache(maxsize=8192)
def word_forms(word: str) -> tuple[str, ...]:
    """``word`` (lower case) and, for a noun or verb, its every inflection and those of its lemmas
    ("strive": strives, striving, strove, striven; "building": build, builds, built, buildings), from
    lemminflect's dictionary. A word it does not know stands alone."""
    import lemminflect  # tables load on first use: only in a run that checks renderings

    forms = {word}
    for upos in _INFLECTED:
        for lemma in lemminflect.getAllLemmas(word, upos=upos).get(upos, ()):
            forms.add(lemma)
            for inflections in lemminflect.getAllInflections(lemma, upos=upos).values():
                forms.update(inflections)
    return (word, *sorted(forms - {word}, key=lambda f: (-len(f), f)))


@functools.lru_cache(maxsize=4096)
def _inflected(phrase: str) -> str:
    parts = _WORD.split(phrase)  # separators at even positions, words at odd ones
    out = []
    for i, part in enumerate(parts):
        forms = word_forms(part.lower()) if i % 2 else ()
        if len(forms) > 1:
            out.append("(?:" + "|".join(map(re.escape, dict.fromkeys((part, *forms)))) + ")")
        else:
            out.append(re.escape(part))
    return "".join(out)


def as_words(phrase: str, *, inflect: bool = False, group: bool = False) -> str:
    """A regex for ``phrase`` as whole words ("reform" not in "reformatted"); with ``inflect``, each
    noun or verb in it may take any of its inflected forms ("strive for excellence" in "Striving for
    excellence", "cadre" in "cadres"), and a plural ending may follow a word the dictionary does not
    know; with ``group``, the phrase is group 1."""
    body = _inflected(phrase) if inflect else re.escape(phrase)
    body = f"({body})" if group else body
    return rf"(?<!\w){body}{'(?:e?s)?' if inflect else ''}(?!\w)"


def verify(text: str, hits: Sequence[TermHit]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Required renderings missing from ``text``, and forbidden ones present.

    A term whose English holds one of its accepted renderings instead of the
    required one is present: the glossary lets a reviewer keep that form.
    Both sides are English, so width and case are folded but not script:
    OpenCC has nothing to do here and is the slowest part of folding.
    """
    folded = fold_english(text)
    # Inflections are allowed: "cadres" has the rendering "cadre", "striving" has "strive", "exchange" not "change".
    missing = tuple(dict.fromkeys(h.term.english for h in hits
                                  if not any(re.search(as_words(fold_english(r), inflect=True), folded)
                                             for r in h.term.renderings)))
    # No inflections here: "three highland" must not fire inside "three highlands".
    forbidden = tuple(dict.fromkeys(
        a for h in hits for a in h.term.avoid if re.search(as_words(fold_english(a)), folded)))
    return missing, forbidden


def repair(text: str, hits: Sequence[TermHit]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Replace each avoided rendering in ``text`` by its term's required one.

    The glossary lists an avoided rendering because it is a known wrong way to
    say that term, so swapping it is safe where the term is in the source; the
    (avoided, required) pairs returned go into the catalog note so that a
    reviewer checks the grammar around each swap. Whole words, any case, any
    spacing; one pass, so a replacement is never itself rewritten, and where two
    phrases start at the same word the longer wins. A phrase avoided by two
    terms with different renderings is left alone (verification flags it). A
    capital on the replaced words is kept.
    """
    wanted: dict[str, set[str]] = {}
    listed: dict[str, str] = {}  # the phrase as the glossary spells it, for the note
    for h in hits:
        for a in h.term.avoid:
            if a.split():
                key = " ".join(a.lower().split())
                wanted.setdefault(key, set()).add(h.term.english)
                listed.setdefault(key, a)
    targets = {k: v.pop() for k, v in wanted.items() if len(v) == 1}
    if not targets:
        return text, ()
    alternatives = sorted(targets, key=lambda k: (-len(k), k))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, k.split())) for k in alternatives)
                         + r")(?!\w)", re.IGNORECASE)
    done: dict[tuple[str, str], None] = {}

    def swap(m: re.Match) -> str:
        key = " ".join(m.group().lower().split())
        if key not in targets:  # a case mapping lower() and the regex disagree on: leave it to verification
            return m.group()
        required = targets[key]
        done[(listed[key], required)] = None
        capital = m.group()[:1].isupper() and required[:1].islower()
        return required[:1].upper() + required[1:] if capital else required

    return pattern.sub(swap, text), tuple(done)
