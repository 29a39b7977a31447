"""Drafts from the memory: an exact match as it is, else the best fuzzy match at or
above ``min_score``; what the memory cannot draft goes to the engine.

A memory draft is a draft like any other: fuzzy (Needs Work), its figures
carried over from the new sentence, its glossary renderings repaired and
verified, its QA run. Its notes say the match, where it came from and, when
the memory's sentence differs, that sentence (also the previous msgid, so
Poedit shows what changed). Its signature names the memory unit it came from,
so a changed unit refreshes the drafts nobody has touched.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.config import TM_MIN_SCORE
from pipeline.engines.base import Engine, Hypothesis
from pipeline.glossary.table import Glossary
from pipeline.model import Draft, Segment, TermHit
from pipeline.tm.index import Match, Memory
from pipeline.text.placeables import substitute

ENGINE = "tm"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def signature(match: Match, glossary: Glossary) -> str:
    u = match.unit
    unit = hashlib.sha256(f"{u.source}\0{u.target}\0{u.origin}".encode("utf-8")).hexdigest()[:12]
    return f"engine:{ENGINE}|unit:{unit}|glossary:{glossary.revision}|zhen:{__version__}"


def where(match: Match) -> str:
    u = match.unit
    return f"article {u.article} ({u.origin})" if u.article else u.origin


def draft(seg: Segment, match: Match, hits: Sequence[TermHit], glossary: Glossary) -> Draft:
    """The memory's translation made this sentence's draft."""
    unit = match.unit
    sub = substitute(seg.text, unit.source, unit.target)
    best, repaired, (missing, forbidden) = Engine.choose([Hypothesis(sub.text)], hits)
    notes = [f"tm-match: {match.score}% from {where(match)}"]
    if unit.source != seg.text:
        notes.append(f"tm-source: {_one_line(unit.source)}")
    if sub.changes:
        notes.append("tm-figures: " + "; ".join(f"{was} → {now}" for was, now in sub.changes))
    elif sub.unmapped:
        notes.append(f"tm-figures: not carried over ({sub.unmapped}); check every figure")
    return Draft(
        text=best.text,
        engine=ENGINE,
        signature=signature(match, glossary),
        missing_terms=missing,
        forbidden_terms=forbidden,
        repaired_terms=repaired,
        label="translation memory",  # the same for every memory draft: each tm-match line gives its score
        notes=tuple(notes),
        previous=unit.source if not match.exact else "",
    )


@dataclass
class MemoryDrafter:
    """Looks each sentence up once per run and drafts the ones the memory knows."""

    memory: Memory
    glossary: Glossary
    min_score: int = TM_MIN_SCORE
    record: bool = True  # False in worker processes: the memory is read-only while a run is under way
    _found: dict[str, Match | None] = field(default_factory=dict)
    # Articles in flight at once (``engines.coalesce``) share the index's one connection.
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def match(self, seg: Segment) -> Match | None:
        with self._lock:
            if seg.text not in self._found:
                self._found[seg.text] = self.memory.best(seg.text, min_score=self.min_score)
            return self._found[seg.text]

    def knows_exactly(self, seg: Segment) -> bool:
        """Does the memory hold a translation of this very sentence?"""
        m = self.match(seg)
        return m is not None and m.exact

    def signatures(self, engine_signature: str) -> Callable[[Segment], str]:
        """What each sentence's draft would be signed with now: the memory's, else the engine's."""
        def expected(seg: Segment) -> str:
            m = self.match(seg)
            return signature(m, self.glossary) if m else engine_signature
        return expected

    def written(self, path: Path, catalog) -> None:
        """Tell the memory about a catalog this run wrote (see ``Memory.written``)."""
        if not self.record:
            return
        with self._lock:
            self.memory.written(path, catalog)

    def draft(self, segments: Sequence[Segment], hits: Mapping[int, Sequence[TermHit]]) -> dict[int, Draft]:
        out = {}
        for seg in segments:
            m = self.match(seg)
            if m is not None:
                out[seg.id] = draft(seg, m, hits.get(seg.id, ()), self.glossary)
        return out
