"""Term discovery: what the next article needs in the glossary before a reviewer trips over it.

``suggest`` proposes numbered formulas (``formulas.find_formulas``), quoted
slogans and recurring expressions that neither CC-CEDICT nor the glossary
knows, each with the sentences it occurs in. Nothing here writes into the
glossary: ``tsv_rows`` gives rows in its columns for a person to review and
paste.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.text.formulas import Mention, find_mentions
from pipeline.glossary.places import NATIONAL
from pipeline.glossary.table import COLUMNS, Glossary
from pipeline.model import Term
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
    """One sentence to search, and where it is: ``reference`` as in a catalog's ``#:`` line.

    ``place``: its article's scope (``glossary.scope``): the glossary terms that count as known."""

    reference: str
    text: str
    place: str = "national"


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
    # Where ``english`` comes from: a shipped glossary row's source (its scope
    # named when it is a place's), or "" for a literal placeholder.
    source: str = ""

    @property
    def literal(self) -> bool:
        return not self.source

    def as_json(self) -> dict:
        return {"term": self.term, "kind": self.kind, "count": self.count,
                "contexts": [{"reference": c.reference, "text": c.text} for c in self.contexts],
                "english": self.english, "source": self.source, "literal": self.literal}


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


def attested(terms: Iterable[Term]) -> dict[str, Term]:
    """Rows by folded form, for a suggestion's English: national rows first, then places', cited before not."""
    out: dict[str, Term] = {}
    for t in sorted(terms, key=lambda t: (t.scope != NATIONAL, "http" not in t.source)):
        for form in t.forms:
            out.setdefault(fold(form), t)
    return out


def _attested_english(key: str, rows: Mapping[str, Term]) -> tuple[str, str] | None:
    row = rows.get(key)
    if row is None:
        return None
    where = "" if row.scope == NATIONAL else f" (a {row.scope} term: check it applies here)"
    return row.english, f"{row.source}{where} [{Path(row.file).name}:{row.line}]"


def suggest(units: Iterable[Unit], glossary: Glossary | None = None, *, recurring: bool = True,
            shipped: Iterable[Term] = (), progress: Progress | None = None) -> list[Candidate]:
    """Candidates for the glossary from the sentences of one or more articles.

    Ranked by kind (formula, quoted, recurring), then count, then first
    occurrence. A counted noun phrase (三个高地) with no second sign in its own
    sentence becomes a formula when it occurs twice in the input. Each unit is
    matched against ``glossary`` scoped to its place. A candidate's English
    comes from a ``shipped`` row with its form (a place's row outside the
    unit's scope included, named as such), else it is a literal placeholder.
    """
    from pipeline.text.lexicon import cedict

    units = list(units)
    rows = attested(shipped)
    scoped: dict[str, Glossary | None] = {}

    def glossary_for(place: str) -> Glossary | None:
        if place not in scoped:
            scoped[place] = glossary.for_place(place) if glossary is not None else None
        return scoped[place]

    known_by_place = {u.place: _known_forms(glossary_for(u.place)) for u in units}
    known = set.intersection(*known_by_place.values()) if known_by_place else set()
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
        here = glossary_for(unit.place)
        hits = here.match(unit.text) if here is not None else []
        spans = [(h.start, h.end) for h in hits]
        mentions = find_mentions(unit.text)
        for m in _unknown(mentions, spans, known_by_place[unit.place]):
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
    out_candidates = []
    for key, t in ranked:
        found = _attested_english(key, rows)
        out_candidates.append(Candidate(
            term=t.surfaces[0], kind=t.kind, count=t.count, contexts=tuple(t.contexts),
            english=found[0] if found else t.english, source=found[1] if found else "",
            variants=tuple(dict.fromkeys(v for v in [*t.surfaces, key] if v != t.surfaces[0]))))
    return out_candidates


def article_units(sources: Iterable[Path]) -> list[Unit]:
    """The segments of each source file, referenced as ``path:line``, with the place its text shows."""
    from pipeline.glossary.scope import detect
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    units: list[Unit] = []
    for path in sources:
        segments = segment(read_article(path))
        place = detect([seg.text for seg in segments]).place
        for seg in segments:
            units.append(Unit(f"{path}:{seg.line}", seg.text, place))
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
    lines = ["# scope: national; term candidates from zhen terms suggest: review every row (and the scope); "
             "english and source are yours to fill.",
             "\t".join(COLUMNS)]  # a real header, so the file reads as a glossary
    for c in candidates:
        contexts = " / ".join(f"{x.reference}: {excerpt(x.text, c.term)}" for x in c.contexts[:3])
        more = f" (+{len(c.contexts) - 3} more)" if len(c.contexts) > 3 else ""
        if c.source:
            hint = f"From a shipped glossary: {c.english} ({c.source}). "
        else:
            hint = f"Literal placeholder, not official: {c.english}. " if c.english else ""
        note = f"{hint}Found {c.count}× as {c.kind}: {contexts}{more}"
        row = {"term": _cell(c.term), "variants": "|".join(_cell(v) for v in c.variants), "english": "", "accept": "",
               "avoid": "", "kind": "slogan" if c.kind == "quoted" else "", "note": _cell(note), "source": ""}
        lines.append("\t".join(row[col] for col in COLUMNS))
    return "\n".join(lines) + "\n"
