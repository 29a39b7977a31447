"""Review reports over catalogs (``zhen status``)."""

from __future__ import annotations

from pipeline import po
from pipeline.articles import Article
from pipeline.catalog import draft_origin, notes, owned, state


def catalog_status(article: Article) -> dict:
    """Counts per entry state for one article's catalog; a missing catalog counts as nothing done."""
    counts = {"reviewed": 0, "draft": 0, "untranslated": 0}
    origins: dict[str, int] = {}
    matches: list[dict] = []
    segments = warnings = 0
    if article.catalog.exists():
        for number, entry in enumerate(po.read_catalog(article.catalog), start=1):
            if entry.obsolete or not owned(entry):
                continue
            n = len(entry.occurrences) or 1
            segments += n
            counts[state(entry)] += n
            warnings += len(notes(entry).get("qa", []))
            if state(entry) == "draft":
                origin, score = draft_origin(entry)
                origins[origin or "other"] = origins.get(origin or "other", 0) + n
                if score is not None:
                    matches.append({"entry": number, "score": score})
    return {
        "article": article.slug,
        "catalog": str(article.catalog),
        "segments": segments,
        "reviewed": counts["reviewed"],
        "drafts": counts["draft"],
        "untranslated": counts["untranslated"],
        "warnings": warnings,
        "origins": dict(sorted(origins.items())),  # drafts by who wrote them: tm, argos, dictionary, …
        "tm_matches": matches,  # each memory draft's catalog entry and match %
        "percent_reviewed": 100.0 * counts["reviewed"] / segments if segments else 0.0,
    }
