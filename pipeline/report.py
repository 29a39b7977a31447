"""Review reports over catalogs (``zhen status``)."""

from __future__ import annotations

from pipeline import po
from pipeline.articles import Article
from pipeline.catalog import notes, owned, state


def catalog_status(article: Article) -> dict:
    """Counts per entry state for one article's catalog; a missing catalog counts as nothing done."""
    counts = {"reviewed": 0, "draft": 0, "untranslated": 0}
    segments = warnings = 0
    if article.catalog.exists():
        for entry in po.read_catalog(article.catalog):
            if entry.obsolete or not owned(entry):
                continue
            n = len(entry.occurrences) or 1
            segments += n
            counts[state(entry)] += n
            warnings += len(notes(entry).get("qa", []))
    return {
        "article": article.slug,
        "catalog": str(article.catalog),
        "segments": segments,
        "reviewed": counts["reviewed"],
        "drafts": counts["draft"],
        "untranslated": counts["untranslated"],
        "warnings": warnings,
        "percent_reviewed": 100.0 * counts["reviewed"] / segments if segments else 0.0,
    }
