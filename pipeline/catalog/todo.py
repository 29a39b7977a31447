"""The review queue (``zhen next``): what in the catalogs needs a person, most urgent first.

1. reviewed entries with QA errors: approved text that is wrong is the worst case;
2. drafts with QA errors;
3. translation-memory drafts, lowest match first: the lower the score, the more the
   matched sentence differs from this one, and the more its translation must change;
4. other drafts (an engine's, or one a reviewer edited but has not approved);
5. untranslated entries.

Within a rank, entries keep their catalog's order, catalog by catalog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.catalog.entries import EntryInfo
from pipeline.model import Finding

RANKS = {
    1: "reviewed, with QA errors",
    2: "draft, with QA errors",
    3: "memory match",
    4: "draft",
    5: "untranslated",
}
EXCERPT = 20  # characters of the source: enough to find the sentence with Poedit's search


@dataclass(frozen=True)
class Todo:
    """One entry that needs a person, and why."""

    rank: int  # a key of RANKS
    catalog: str
    reference: str  # where the sentence is in the source, e.g. "source.zh.txt:12"
    entry: int  # 1-based position in the catalog, as `zhen check` numbers it
    state: str  # reviewed | draft | untranslated
    origin: str  # who wrote the draft: tm, argos, dictionary, … ("" when no note says)
    match: int | None  # a memory draft's match %
    edited: bool  # a draft a reviewer changed but has not approved
    findings: tuple[Finding, ...]  # errors first
    source: str  # the source sentence

    @property
    def why(self) -> str:
        return RANKS[self.rank]

    @property
    def excerpt(self) -> str:
        """The start of the source sentence, to paste into Poedit's search (no ellipsis to strip)."""
        return self.source[:EXCERPT]

    @property
    def label(self) -> str:
        """The state as a reviewer reads it: "draft · tm 87%", "draft · edited", "reviewed"…"""
        if self.state != "draft":
            return self.state
        if self.edited:
            return "draft · edited, not approved"
        if self.origin == "tm" and self.match is not None:
            return f"draft · tm {self.match}%"
        return f"draft · {self.origin}" if self.origin else "draft"

    def as_json(self) -> dict:
        first = self.findings[0] if self.findings else None
        return {"rank": self.rank, "why": self.why, "catalog": self.catalog, "reference": self.reference,
                "entry": self.entry, "state": self.state, "origin": self.origin, "match": self.match,
                "edited": self.edited, "errors": sum(f.severity == "error" for f in self.findings),
                "warnings": sum(f.severity == "warning" for f in self.findings),
                "finding": None if first is None else {"check": first.check, "severity": first.severity,
                                                       "message": first.message},
                "excerpt": self.excerpt, "source": self.source}


def _rank(entry: EntryInfo, errors: bool) -> int | None:
    if entry.state == "reviewed":
        return 1 if errors else None
    if entry.state == "untranslated":
        return 5
    if errors:
        return 2
    return 3 if entry.origin == "tm" and not entry.edited else 4


def review_queue(catalogs: Mapping[str, Sequence[EntryInfo]], findings: Sequence[Finding] = ()) -> list[Todo]:
    """Every live entry of ``catalogs`` (each path with its ``catalog.read_entries``) that needs a
    person, most urgent first; ``findings`` are what ``qa.check_files`` found in them."""
    found: dict[tuple[str, int | None], list[Finding]] = {}
    for f in findings:
        found.setdefault((f.catalog, f.entry), []).append(f)
    queue: list[tuple[tuple, Todo]] = []
    for order, (path, entries) in enumerate(catalogs.items()):
        for entry in entries:
            if entry.obsolete or not entry.owned:
                continue
            mine = sorted(found.get((path, entry.number), ()), key=lambda f: f.severity != "error")
            rank = _rank(entry, any(f.severity == "error" for f in mine))
            if rank is None:
                continue
            score = entry.match if rank == 3 and entry.match is not None else 0
            todo = Todo(rank=rank, catalog=path, reference=entry.reference, entry=entry.number, state=entry.state,
                        origin=entry.origin, match=entry.match, edited=entry.edited, findings=tuple(mine),
                        source=entry.msgid)
            queue.append(((rank, score, order, entry.number), todo))
    return [todo for _, todo in sorted(queue, key=lambda pair: pair[0])]
