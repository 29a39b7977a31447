"""How far review has come in one article's catalog: counts per entry state, drafts by who
wrote them, memory matches, and the QA findings by severity (``zhen status``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.catalog import po
from pipeline.catalog.entries import read_entries
from pipeline.model import Finding

if TYPE_CHECKING:
    from pipeline.workspace.articles import Article


@dataclass(frozen=True)
class MemoryMatch:
    """A memory draft: its catalog entry (1-based) and match %."""

    entry: int
    score: int


@dataclass(frozen=True)
class Status:
    article: str
    catalog: str
    segments: int
    reviewed: int
    drafts: int
    untranslated: int
    errors: int
    warnings: int
    origins: tuple[tuple[str, int], ...]  # drafts by who wrote them (tm, argos, dictionary, …), by name
    tm_matches: tuple[MemoryMatch, ...]  # each memory draft's catalog entry and match %

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.reviewed / self.segments if self.segments else 0.0

    def as_json(self) -> dict:
        """The ``status --json`` object; its keys and their order are a published format."""
        return {
            "article": self.article, "catalog": self.catalog, "segments": self.segments, "reviewed": self.reviewed,
            "drafts": self.drafts, "untranslated": self.untranslated, "errors": self.errors,
            "warnings": self.warnings, "origins": dict(self.origins),
            "tm_matches": [{"entry": m.entry, "score": m.score} for m in self.tm_matches],
            "percent_reviewed": self.percent_reviewed,
        }


def catalog_status(article: Article, findings: Sequence[Finding] = ()) -> Status:
    """Counts per entry state for one article's catalog, and its QA findings by
    severity (``findings``: what ``zhen check`` found in it); a missing catalog
    counts as nothing done."""
    counts = {"reviewed": 0, "draft": 0, "untranslated": 0}
    origins: dict[str, int] = {}
    matches: list[MemoryMatch] = []
    segments = 0
    live = [e for e in read_entries(po.read_catalog(article.catalog)) if not e.obsolete and e.owned] \
        if article.catalog.exists() else []
    for e in live:
        n = len(e.references) or 1
        segments += n
        counts[e.state] += n
        if e.state == "draft":
            origins[e.origin or "other"] = origins.get(e.origin or "other", 0) + n
            if e.match is not None:
                matches.append(MemoryMatch(e.number, e.match))
    errors = sum(f.severity == "error" for f in findings)
    return Status(
        article=article.slug, catalog=str(article.catalog), segments=segments, reviewed=counts["reviewed"],
        drafts=counts["draft"], untranslated=counts["untranslated"], errors=errors, warnings=len(findings) - errors,
        origins=tuple(sorted(origins.items())), tm_matches=tuple(matches),
    )
