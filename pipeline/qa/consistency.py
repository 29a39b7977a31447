"""Checks that compare entries with each other rather than with their source.

- the same source sentence translated differently in different articles;
- a glossary term whose rendering is written two ways in one article
  ("three highlands" here, "Three Highlands" there, or the required
  "officials" here and the accepted "cadres" there: a reader takes two words
  for two things). Each article keeps to one form; articles may differ.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from pipeline.catalog.entries import EntryInfo
from pipeline.glossary.enforcement import as_words
from pipeline.glossary.table import Glossary
from pipeline.model import Finding, TermHit


def _live(entries: Sequence[EntryInfo]) -> list[EntryInfo]:
    """Translated live entries, numbered as ``zhen check`` shows them."""
    return [e for e in entries if not e.obsolete and e.owned and e.state != "untranslated"]


def _norm(text: str) -> str:
    return " ".join(text.split())


def across_articles(catalogs: Mapping[str, Sequence[EntryInfo]]) -> list[Finding]:
    """Consistency: identical source sentences translated differently in different articles
    (``catalogs``: each catalog's path and its entries as ``catalog.read_entries`` gives them)."""
    seen: dict[str, list[tuple[str, int, str, str]]] = defaultdict(list)
    for path, entries in catalogs.items():
        for entry in _live(entries):
            seen[entry.msgid].append((path, entry.number, _norm(entry.msgstr), entry.reference))
    out = []
    for msgid, places in seen.items():
        if len({text for _, _, text, _ in places}) < 2:
            continue
        for path, n, text, ref in places:
            # Where a reviewer finds them: the catalog and the sentence's source line (the entry's
            # position in the file is nothing Poedit shows).
            others = [f"{p} ({r or f'entry {m}'})" for p, m, t, r in places if t != text]
            out.append(Finding("consistency", "warning",
                               f"the same sentence is translated differently in {', '.join(others)}",
                               entry=n, reference=ref, subject=msgid[:30], catalog=path))
    return out


def _as_written(rendering: str, found: str) -> str:
    """The rendering with each word's initial as ``found`` writes it: an inflection ("striving" for
    "strive") is the same spelling, a capital ("Three Highlands") another."""
    words, written = re.findall(r"[^\W\d_]+", rendering), re.findall(r"[^\W\d_]+", found)
    if len(words) != len(written):
        return found
    pieces = re.split(r"([^\W\d_]+)", rendering)
    for i, w in zip(range(1, len(pieces), 2), written):
        pieces[i] = (pieces[i][0].upper() if w[0].isupper() else pieces[i][0].lower()) + pieces[i][1:]
    return "".join(pieces)


def _written(english: str, hits) -> list[tuple[str, str]]:
    """(term, rendering as written) for each required or accepted rendering found in ``english``.

    A rendering found inside a longer one ("strive for excellence" inside
    "Strive for Excellence campaign") belongs to the longer term. A plural
    ending is not a second spelling ("cadre" in one sentence, "cadres" in the
    next): the glossary check accepts both, and so does this one.
    """
    found = []
    for hit in hits:
        for rendering in hit.term.renderings:
            for m in re.finditer(as_words(rendering, inflect=True, group=True), english, re.I):
                form = _as_written(rendering, m.group(1))
                if rendering[:1].islower() and not re.search(r"[A-Za-z0-9]", english[:m.start()]):
                    form = form[0].lower() + form[1:]  # sentence case is not a second spelling
                found.append((m.start(), m.end(), hit.term.term, form))
    return [(term, form) for s, e, term, form in found
            if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for s2, e2, _, _ in found)]


def term_forms(entries: Sequence[EntryInfo], glossary: Glossary, *, path: str = "",
               known: Mapping[str, Sequence[TermHit]] | None = None) -> list[Finding]:
    """Consistency: a glossary term's rendering written two ways in one article (its catalog's entries).

    ``known``: the hits ``glossary`` already gave for some source texts, so they are not matched again."""
    forms: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    refs: dict[int, str] = {}
    for entry in _live(entries):
        refs[entry.number] = entry.reference
        hits = known[entry.msgid] if known is not None and entry.msgid in known else glossary.match(entry.msgid)
        for term, form in _written(entry.msgstr, hits):
            forms[term][form].append(entry.number)
    out = []
    for term, written in forms.items():
        if len(written) < 2:
            continue
        usage = "; ".join(f'"{form}" at {", ".join(refs[n] or f"entry {n}" for n in sorted(set(ns)))}'
                          for form, ns in written.items())
        for form, ns in written.items():
            for n in sorted(set(ns)):
                out.append(Finding("consistency", "warning", f"{term} is written two ways in this article: {usage}",
                                   entry=n, reference=refs[n], subject=term, catalog=path))
    return out


def check_catalogs(catalogs: Mapping[str, Sequence[EntryInfo]],
                   glossary: Glossary | Mapping[str, Glossary]) -> list[Finding]:
    """Each catalog's own term forms, against its own glossary (one per catalog, keyed like
    ``catalogs``, or one for all), then the sentences translated differently across them."""
    out: list[Finding] = []
    for path, entries in catalogs.items():
        out += term_forms(entries, glossary if isinstance(glossary, Glossary) else glossary[path], path=path)
    return out + across_articles(catalogs)
