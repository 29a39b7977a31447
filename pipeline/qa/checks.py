"""QA checks: small functions over (source, English, glossary hits) returning findings.

The first line of each check's docstring is the title users see. Checks that
compare entries with each other (consistency) live in ``qa.consistency``. The
runner collects; the CLI decides the exit status.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path

from pipeline.catalog import po
from pipeline.catalog.entries import EntryInfo, read_entries
from pipeline.glossary.enforcement import verify
from pipeline.model import Finding, Flaw, TermHit
from pipeline.text.numbers import (APPROX_OK, APPROX_OPPOSITE, APPROX_WORDS, EN_DIGIT_SURFACE, EN_SCALES, EXACT, Figure,
                                   desk_number, en_figures, figure_keys, keys_of, zh_figures)
from pipeline.text.dates import zh_dates
from pipeline.qa.terms import check_terms
from pipeline.text.script import HAN_CHAR

Check = Callable[[str, str, Sequence[TermHit]], list[Flaw]]
_FULLWIDTH = re.compile(r"[，。：；（）『』「」、！？]")
# Full-width Latin letters and digits read as English to the glossary and figure checks, which fold
# width, but are not what an English page prints.
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_PLACEHOLDER = re.compile(r"⟦[^⟧]*⟧|\bZZ(?:TERM)?\d+\b|__TERM_?\d+__")
_PAIRS = (("(", ")"), ("[", "]"), ("“", "”"))
# English characters per Chinese character in the 973 PUD pairs with 10+ Chinese
# characters: median 3.67, 1st percentile 2.5, 99th 5.8, extremes 2.04 and 7.4.
# Warnings sit well outside what professional translators produced.
LENGTH_RATIO = (1.8, 8.0)
LENGTH_MIN_CJK = 10


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def check_numbers(source: str, english: str, hits: Sequence[TermHit]) -> list[Flaw]:
    """Figures: every figure, date and anniversary in the source appears in the English, with its approximation."""
    text = _nfkc(source)
    out = []
    dates = zh_dates(text)
    for d in dates:
        if not d.pattern.search(english):
            out.append(Flaw("error", f"date {d.surface} ({d.english}) is missing or altered", d.surface))
    # Figures inside a date were checked with it; those inside other glossary
    # terms (五個攻堅戰) are the glossary's business.
    covered = [(h.start, h.end) for h in hits] + [(d.start, d.end) for d in dates]
    targets = [(e, keys_of(e)) for e in en_figures(english)]
    for fig in zh_figures(text):
        if any(s <= fig.start < e for s, e in covered):
            continue
        wanted = figure_keys(fig)
        found = [e for e, keys in targets if keys & wanted]
        if not found and (near := _rounded(fig, [e for e, _ in targets])) is not None:
            out.append(Flaw("warning", f"figure {fig.surface} ({desk_number(fig.value)}) is rounded to "
                                       f"{near.surface!r} in the English", fig.surface))
        elif not found:
            out.append(Flaw("error", _missing(fig, [e for e, _ in targets]), fig.surface))
        elif fig.approx:
            out += _approximation(fig, {e.approx for e in found})
    return out


def _rounded(fig: Figure, english: Sequence[Figure]) -> Figure | None:
    """The English figure that writes ``fig`` rounded to its own last digit, as desks write big
    figures (18245.07億 "1.82 trillion"), to three significant digits at least; None if none does."""
    for e in english:
        m = EN_DIGIT_SURFACE.fullmatch(e.surface)
        if m is None or (e.percent, e.unit) != (fig.percent, fig.unit) or e.approx:
            continue
        power = EN_SCALES[m.group("mult").lower()] if m.group("mult") else 0
        step = Decimal(1).scaleb(power - len(m.group("num").partition(".")[2]))
        if 100 * step > abs(fig.value):
            continue  # "1.8 trillion" or "12 percent" for 12.5 says less than a desk rounds to
        if any(fig.value.quantize(step, rounding=r, context=EXACT) == e.value for r in (ROUND_HALF_UP, ROUND_HALF_EVEN)):
            return e
    return None


def _missing(fig: Figure, english: Sequence[Figure]) -> str:
    said = f"figure {fig.surface} ({desk_number(fig.value)})"
    if fig.unit == "points" and any(e.value == fig.value and e.percent for e in english):
        return f"{said} is percentage points, not percent"
    return f"{said} is missing or altered"


def _approximation(fig: Figure, qualifiers: set[str]) -> list[Flaw]:
    """An approximate figure (480多, 約5000) needs its English qualifier; the opposite one is wrong."""
    if qualifiers & APPROX_OK[fig.approx]:
        return []
    expected = f'"{APPROX_WORDS[fig.approx]} {desk_number(fig.value)}"'
    if wrong := qualifiers & APPROX_OPPOSITE[fig.approx]:
        return [Flaw("error", f"figure {fig.surface} is {expected}; the English says "
                              f'"{APPROX_WORDS[sorted(wrong)[0]]}"', fig.surface)]
    return [Flaw("warning", f"figure {fig.surface} is {expected}; the English does not say it is approximate",
                 fig.surface)]


def _or_accepted(accept: Sequence[str]) -> str:
    quoted = ", ".join(f'"{a}"' for a in accept)
    return f" (or one the glossary accepts: {quoted})" if accept else ""


def check_glossary(source: str, english: str, hits: Sequence[TermHit]) -> list[Flaw]:
    """Glossary: required renderings present, avoided renderings absent."""
    missing, forbidden = verify(english, hits)
    terms = {h.term.english: h.term for h in hits}
    avoided = {a: h.term.term for h in hits for a in h.term.avoid}
    return ([Flaw("error", f'missing required rendering "{m}"{_or_accepted(terms[m].accept)}', terms[m].term)
             for m in missing]
            + [Flaw("error", f'carries avoided rendering "{f}"', avoided[f]) for f in forbidden])


def check_leftovers(source: str, english: str, hits: Sequence[TermHit]) -> list[Flaw]:
    """Leftovers: CJK characters, full-width punctuation, letters or digits, unbalanced brackets or doubled spaces."""
    out = []
    if HAN_CHAR.search(english):
        left = "".join(HAN_CHAR.findall(english))[:20]
        out.append(Flaw("error", f"Chinese characters left in the English: {left}", left))
    if _FULLWIDTH.search(english):
        marks = "".join(_FULLWIDTH.findall(english))
        out.append(Flaw("warning", f"full-width punctuation: {marks}", marks))
    if _FULLWIDTH_ALNUM.search(english):
        letters = "".join(_FULLWIDTH_ALNUM.findall(english))[:20]
        out.append(Flaw("error", f"full-width letters or digits in the English: {letters}", letters))
    if placeholder := _PLACEHOLDER.search(english):
        out.append(Flaw("error", "a term-protection placeholder leaked into the English", placeholder.group(0)))
    for opener, closer in _PAIRS:
        if english.count(opener) != english.count(closer):
            out.append(Flaw("warning", f"unbalanced {opener}{closer}", opener + closer))
    if english.count('"') % 2:
        out.append(Flaw("warning", 'unbalanced "', '"'))
    if "  " in english:
        out.append(Flaw("warning", "doubled space", ""))
    if english.strip() == source.strip():
        out.append(Flaw("error", "English identical to the source", ""))
    return out


REPEATED_CLAUSE_WORDS = 4


def check_repetition(source: str, english: str, hits: Sequence[TermHit]) -> list[Flaw]:
    """Repetition: a word, phrase, clause or sentence repeated in a loop, a known MT failure."""
    words = re.findall(r"\w+", english.lower())
    for n in (1, 2, 3):
        for i in range(len(words) - 3 * n + 1):
            # The first words compared first: slicing at every offset made this the check's main cost.
            if words[i] != words[i + n] or words[i] != words[i + 2 * n]:
                continue
            gram = words[i:i + n]
            if gram == words[i + n:i + 2 * n] == words[i + 2 * n:i + 3 * n]:
                return [Flaw("error", f"repeated {' '.join(gram)!r} three times in a row", " ".join(gram))]
    # Four words or more said twice in a row, or a clause of them said again: a loop, not style.
    for n in range(min(len(words) // 2, 40), REPEATED_CLAUSE_WORDS - 1, -1):
        for i in range(len(words) - 2 * n + 1):
            if words[i] == words[i + n] and words[i:i + n] == words[i + n:i + 2 * n]:
                phrase = " ".join(words[i:i + n])
                return [Flaw("error", f"repeated {phrase!r} twice in a row", phrase)]
    seen: set[str] = set()
    for clause in re.split(r"[,;:.!?，；：。！？]", english.lower()):
        key = " ".join(re.findall(r"\w+", clause))
        if len(key.split()) >= REPEATED_CLAUSE_WORDS and key in seen:
            return [Flaw("error", f"repeated the clause {key!r}", key)]
        seen.add(key)
    return []


# English where a word rightly comes twice ("he had had enough", "that that is true").
_VALID_DOUBLES = frozenset({"had", "that"})


def check_doubled_words(source: str, english: str, hits: Sequence[TermHit]) -> list[Flaw]:
    """Doubled words: the same word twice in a row ("the the"), a slip when editing a draft."""
    out = []
    for m in re.finditer(r"(?<![\w'’-])([^\W\d_]+)\s+(\1)(?![\w'’-])", english, re.IGNORECASE):
        word = m.group(1)
        # Three in a row is the repetition check's loop, reported there.
        after = english[m.end():]
        if word.lower() in _VALID_DOUBLES or re.match(rf"\s+{re.escape(word)}(?!\w)", after, re.IGNORECASE):
            continue
        out.append(Flaw("warning", f'doubled word "{m.group(0)}"', m.group(0)))
    return out


_EDGES = (("leading", re.compile(r"\A\s+")), ("trailing", re.compile(r"\s+\Z")))


def check_whitespace(source: str, english: str, hits: Sequence[TermHit]) -> list[Flaw]:
    """Whitespace: a leading or trailing space or line break the source does not have."""
    out = []
    for where, edge in _EDGES:
        found, had = edge.search(english), edge.search(source)
        if found and not (had and had.group(0) == found.group(0)):
            what = "line break" if "\n" in found.group(0) else "space"
            out.append(Flaw("warning", f"{where} {what} the source does not have", ""))
    return out


def check_length(source: str, english: str, hits: Sequence[TermHit]) -> list[Flaw]:
    """Length: English far shorter or longer than the source predicts (a dropped or invented clause)."""
    cjk = len(HAN_CHAR.findall(source))
    if cjk < LENGTH_MIN_CJK:
        return []
    # Latin letters and digits in the source carry over about one to one.
    other = sum(1 for c in source if c.isascii() and c.isalnum())
    ratio = (len(english) - other) / cjk
    if ratio < LENGTH_RATIO[0]:
        return [Flaw("warning", f"English is short for the source ({ratio:.1f} characters per Chinese character; "
                                f"professional translations run {LENGTH_RATIO[0]}–{LENGTH_RATIO[1]}): "
                                "is a clause missing?", "")]
    if ratio > LENGTH_RATIO[1]:
        return [Flaw("warning", f"English is long for the source ({ratio:.1f} characters per Chinese character; "
                                f"professional translations run {LENGTH_RATIO[0]}–{LENGTH_RATIO[1]})", "")]
    return []


CHECKS: dict[str, Check] = {
    "numbers": check_numbers,
    "glossary": check_glossary,
    "leftovers": check_leftovers,
    "repetition": check_repetition,
    "length": check_length,
    "terms": check_terms,
    "doubled": check_doubled_words,
    "whitespace": check_whitespace,
}


def check_segment(source: str, english: str, hits: Sequence[TermHit], *, segment: int | None = None,
                  catalog: str = "", entry: int | None = None, reference: str = "") -> list[Finding]:
    if not english.strip():
        if english:  # gettext counts "  " as translated and would show blank text
            return [Finding("leftovers", "error", "whitespace-only translation", segment=segment, catalog=catalog,
                            entry=entry, reference=reference)]
        return []
    findings, seen = [], set()
    for name, check in CHECKS.items():
        for flaw in check(source, english, hits):
            # 七一 missing from the English is one problem, whether the date
            # check or the glossary check sees it first.
            if flaw.subject and name in ("numbers", "glossary") and flaw.subject in seen:
                continue
            seen.add(flaw.subject)
            findings.append(Finding(check=name, severity=flaw.severity, message=flaw.message, segment=segment,
                                    subject=flaw.subject, catalog=catalog, entry=entry, reference=reference))
    return findings


def note_lines(findings: Sequence[Finding]) -> list[str]:
    """``#.`` catalog notes for an entry's findings, so Poedit shows them beside the text."""
    return [f"qa: {f.severity} ({f.check}): {f.message}" for f in findings]


def check_catalog(entries: Sequence[EntryInfo], glossary, *, path: str = "") -> list[Finding]:
    """Every translated live entry of one catalog (``catalog.read_entries``), numbered as in the file."""
    findings: list[Finding] = []
    for entry in entries:
        if entry.obsolete or not entry.msgstr or not entry.owned:
            continue
        findings += check_segment(entry.msgid, entry.msgstr, glossary.match(entry.msgid), catalog=path,
                                  entry=entry.number, reference=entry.reference)
    return findings


def check_review(entries: Sequence[EntryInfo], *, path: str = "") -> list[Finding]:
    """Review: segments still untranslated or unreviewed drafts, so the article is not ready to publish."""
    # Counted in segments, as `zhen status` counts them: a sentence said twice is two segments.
    counts = {"untranslated": 0, "draft": 0, "reviewed": 0}
    for e in entries:
        if not e.obsolete and e.owned:
            counts[e.state] += len(e.references) or 1
    total, untranslated, drafts = sum(counts.values()), counts["untranslated"], counts["draft"]
    if untranslated and drafts:
        message = (f"{untranslated + drafts} of {total} segments are not reviewed: {untranslated} untranslated, "
                   f"{drafts} unreviewed draft{'s' * (drafts != 1)}")
    elif drafts:
        message = f"{drafts} of {total} segments " + ("are unreviewed drafts" if drafts != 1 else "is an unreviewed draft")
    elif untranslated:
        message = f"{untranslated} of {total} segments {'are' if untranslated != 1 else 'is'} untranslated"
    else:
        return []
    return [Finding("review", "error", message, catalog=path)]


def check_files(paths: Sequence[Path], glossary, *, review: bool = False) -> list[Finding]:
    """Per-entry checks of each catalog, then consistency within and across them; with ``review``,
    also one finding per catalog that still has untranslated or unreviewed segments.

    Each catalog is checked against the glossary scoped to its article's place
    (its ``X-Zhen-Scope`` header, else detected from its source sentences)."""
    from pipeline.glossary.scope import catalog_scope
    from pipeline.qa.consistency import check_catalogs

    catalogs, scoped = {}, {}
    for path in paths:
        catalog = po.read_catalog(path)
        catalogs[str(path)] = entries = read_entries(catalog)
        scoped[str(path)] = glossary.for_place(catalog_scope(catalog.metadata, [e.msgid for e in entries]).place)
    findings = [f for p, entries in catalogs.items() for f in check_catalog(entries, scoped[p], path=p)]
    findings += check_catalogs(catalogs, scoped)
    if review:
        findings += [f for p, entries in catalogs.items() for f in check_review(entries, path=p)]
    return sorted(findings, key=lambda f: (f.catalog, f.entry or 0))
