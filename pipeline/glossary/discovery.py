"""Term discovery: what the next article needs in the glossary before a reviewer trips over it.

``suggest`` proposes numbered formulas (``formulas.find_formulas``), quoted
slogans and recurring expressions that neither CC-CEDICT nor the glossary
knows, each with the sentences it occurs in. Nothing here writes into the
glossary: ``tsv_rows`` gives rows in its columns for a person to review and
paste.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.text.formulas import Mention, find_mentions
from pipeline.glossary.table import COLUMNS, Glossary
from pipeline.text.script import HAN_BMP, fold

KINDS = ("formula", "quoted", "recurring")
RECURRING_MIN = 2
# jieba's tags for what a recurring expression may be: nouns, verbal nouns,
# abbreviations, fixed expressions, idioms.
_END_POS = ("n", "vn", "j", "l", "i", "nz", "an")
_CJK_RUN = re.compile(f"[{HAN_BMP}]+")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Unit:
    """One sentence to search, and where it is: ``reference`` as in a catalog's ``#:`` line."""

    reference: str
    text: str


@dataclass(frozen=True)
class Context:
    reference: str
    text: str


@dataclass(frozen=True)
class Candidate:
    """A proposed glossary entry. ``english`` is a literal suggestion, never an official rendering."""

    term: str
    kind: str
    count: int
    contexts: tuple[Context, ...]
    english: str = ""
    variants: tuple[str, ...] = ()  # other written forms seen (the other script)

    def as_json(self) -> dict:
        return {"term": self.term, "kind": self.kind, "count": self.count,
                "contexts": [{"reference": c.reference, "text": c.text} for c in self.contexts],
                "english": self.english}


@dataclass
class _Tally:
    kind: str
    surfaces: list[str] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)
    english: str = ""
    certain: bool = False
    count: int = 0


def _covered(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _known_forms(glossary: Glossary | None) -> set[str]:
    if glossary is None:
        return set()
    return {fold(form) for t in glossary.terms for form in t.forms}


def _unknown(mentions: Iterable[Mention], spans: Sequence[tuple[int, int]], known: set[str]) -> list[Mention]:
    """Mentions no glossary hit covers and no glossary form (any script, any variant) names."""
    return [m for m in mentions if not _covered(m.start, m.end, spans) and m.key not in known]


def _recurring_spans(text: str, masked: Sequence[tuple[int, int]], dictionary) -> list[tuple[int, int]]:
    """Expressions the dictionary does not know, outside the masked spans.

    jieba (with its HMM, which proposes new words) cuts the text; a word of two
    or more characters that CC-CEDICT lacks is a candidate (创先争优), alone and
    with the noun that follows it (创先争优活动). Phrases built only of known
    words (经济社会, 工作实际) are the dictionary's business, not the glossary's.
    """
    from pipeline.text.lexicon import posseg

    s = fold(text)
    keep = [True] * len(s)
    for a, b in masked:
        keep[a:b] = [False] * (b - a)
    out: list[tuple[int, int]] = []
    for run in _CJK_RUN.finditer(s):
        pieces, start = [], None
        for k in range(run.start(), run.end() + 1):
            inside = k < run.end() and keep[k]
            if inside and start is None:
                start = k
            elif not inside and start is not None:
                pieces.append((start, k))
                start = None
        for a, b in pieces:
            words, pos = [], a
            for p in posseg().lcut(s[a:b], HMM=True):
                words.append((pos, pos + len(p.word), p.word, p.flag))
                pos += len(p.word)
            for i, (start_, end_, word, flag) in enumerate(words):
                if len(word) < 2 or dictionary.has(word) or not flag.startswith(_END_POS):
                    continue
                out.append((start_, end_))
                if i + 1 < len(words) and words[i + 1][3].startswith(_END_POS) and words[i + 1][1] - start_ <= 8:
                    out.append((start_, words[i + 1][1]))
    return out


def suggest(units: Iterable[Unit], glossary: Glossary | None = None, *, recurring: bool = True,
            progress: Progress | None = None) -> list[Candidate]:
    """Candidates for the glossary from the sentences of one or more articles.

    Ranked by kind (formula, quoted, recurring), then count, then first
    occurrence. A counted noun phrase (三个高地) with no second sign in its own
    sentence becomes a formula when it occurs twice in the input.
    """
    from pipeline.text.lexicon import cedict

    units = list(units)
    known = _known_forms(glossary)
    dictionary = cedict() if recurring else None
    tallies: dict[str, _Tally] = {}
    order: dict[str, int] = {}
    grams: dict[str, _Tally] = {}

    def add(table: dict[str, _Tally], key: str, kind: str, surface: str, unit: Unit, english: str = "",
            certain: bool = True) -> None:
        tally = table.setdefault(key, _Tally(kind))
        order.setdefault(key, len(order))
        tally.count += 1
        tally.surfaces.append(surface)
        context = Context(unit.reference, unit.text)
        if context not in tally.contexts:
            tally.contexts.append(context)
        tally.english = tally.english or english
        tally.certain = tally.certain or certain

    for n, unit in enumerate(units, start=1):
        hits = glossary.match(unit.text) if glossary is not None else []
        spans = [(h.start, h.end) for h in hits]
        mentions = find_mentions(unit.text)
        for m in _unknown(mentions, spans, known):
            add(tallies, m.key, m.kind, m.surface, unit, m.english, m.certain)
        if recurring:
            masked = spans + [(m.start, m.end) for m in mentions]
            s = fold(unit.text)
            for a, b in _recurring_spans(unit.text, masked, dictionary):
                add(grams, s[a:b], "recurring", unit.text[a:b], unit)
        if progress:
            progress(n, len(units))

    out = []
    for key, t in tallies.items():
        if t.kind == "formula" and not t.certain and t.count < RECURRING_MIN:
            continue  # a single counted noun phrase: as likely a count as a name
        out.append((key, t))
    if recurring and dictionary is not None:
        taken = set(tallies)
        repeated = {k: t for k, t in grams.items()
                    if t.count >= RECURRING_MIN and not dictionary.has(k) and k not in known and k not in taken}
        for key, t in repeated.items():
            # Only the longest form of an expression: 攻坚战役 hides 攻坚 when they always co-occur.
            if any(key != other and key in other and repeated[other].count >= t.count for other in repeated):
                continue
            out.append((key, t))
    ranked = sorted(out, key=lambda kt: (KINDS.index(kt[1].kind), -kt[1].count, order[kt[0]]))
    return [Candidate(term=t.surfaces[0], kind=t.kind, count=t.count, contexts=tuple(t.contexts),
                      english=t.english,
                      variants=tuple(dict.fromkeys(v for v in [*t.surfaces, key] if v != t.surfaces[0])))
            for key, t in ranked]


def article_units(sources: Iterable[Path]) -> list[Unit]:
    """The segments of each source file, referenced as ``path:line``."""
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    units: list[Unit] = []
    for path in sources:
        for seg in segment(read_article(path)):
            units.append(Unit(f"{path}:{seg.line}", seg.text))
    return units


def excerpt(text: str, term: str, *, width: int = 16) -> str:
    """The part of ``text`` around ``term`` (matched in either script), with … where cut."""
    at = fold(text).find(fold(term))
    if at < 0:
        return text if len(text) <= 2 * width else text[:2 * width] + "…"
    start, end = max(0, at - width), min(len(text), at + len(term) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def tsv_rows(candidates: Iterable[Candidate]) -> str:
    """Rows in the glossary's own columns, ready to review and paste.

    A comment and the header row come first, so the output is a glossary file
    of its own. ``english`` and ``source`` stay empty, so ``zhen glossary lint``
    refuses a row until a person has decided the rendering and where it comes from.
    """
    lines = ["# Term candidates from zhen terms suggest: review every row; english and source are yours to fill.",
             "\t".join(COLUMNS)]  # a real header, so the file reads as a glossary
    for c in candidates:
        contexts = " / ".join(f"{x.reference}: {excerpt(x.text, c.term)}" for x in c.contexts[:3])
        more = f" (+{len(c.contexts) - 3} more)" if len(c.contexts) > 3 else ""
        hint = f"Literal suggestion, not official: {c.english}. " if c.english else ""
        note = f"{hint}Found {c.count}× as {c.kind}: {contexts}{more}"
        row = {"term": _cell(c.term), "variants": "|".join(_cell(v) for v in c.variants), "english": "", "accept": "",
               "avoid": "", "kind": "slogan" if c.kind == "quoted" else "", "note": _cell(note), "source": ""}
        lines.append("\t".join(row[col] for col in COLUMNS))
    return "\n".join(lines) + "\n"
