"""The only module that knows the order of the stages.

source → segment → script → glossary → engine → catalog → qa → render
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.catalog import entries as catalog_entries
from pipeline.catalog import merge as cat
from pipeline import render
from pipeline.workspace import incremental
from pipeline.workspace import naming
from pipeline.workspace import ownership
from pipeline.catalog import po
from pipeline.text import script
from pipeline.workspace.articles import Article, SourcedArticle
from pipeline.engines.registry import EngineProvider
from pipeline.workspace.files import article_lock, backup, write_if_changed
from pipeline.glossary import scope
from pipeline.glossary.scope import Scope
from pipeline.glossary.table import Glossary
from pipeline.model import ArticleResult, Progress, Segment, TermHit, Usage, no_progress, now_utc
from pipeline.qa.article import SegmentQA
from pipeline.text.segment import segment
from pipeline.text.source import read_article

if TYPE_CHECKING:
    from pipeline.tm.draft import MemoryDrafter


def analyse(article: Article, glossary: Glossary) -> tuple[list[Segment], dict[int, list[TermHit]], str]:
    """Read, segment, normalize and match an article: everything before the engine.

    An article whose source is not beside its catalog is read from the catalog.
    The glossary is scoped to the place its catalog records (else detected).
    """
    segments, hits, lang, _, _ = analyse_scoped(article, glossary)
    return segments, hits, lang


def article_scope(article: Article, segments: Sequence[Segment], declared: Scope | None = None, *,
                  recorded: bool = True) -> Scope:
    """The declared scope, else the one the catalog records, else the one the text shows."""
    if declared is not None:
        return declared
    catalog = load_catalog(article) if recorded and article.catalog.exists() else None
    found = scope.from_header(catalog.metadata.get(scope.HEADER, "")) if catalog is not None else None
    return found or scope.detect([seg.text for seg in segments])


def analyse_scoped(article: Article, glossary: Glossary, declared: Scope | None = None, *, recorded: bool = True):
    """``analyse``, with the scope used and the glossary scoped to it."""
    if isinstance(article, SourcedArticle):
        segments = script.normalize(segment(read_article(article.source)))
    else:
        from pipeline.workspace.locate import segments_from_catalog

        segments = script.normalize(segments_from_catalog(require_catalog(article)))
    used = article_scope(article, segments, declared, recorded=recorded)
    glossary = glossary.for_place(used.place)
    hits = glossary.match_segments(segments)
    lang = script.detect_script((s.text, s.simplified) for s in segments)
    return segments, hits, lang, used, glossary


def load_catalog(article: Article):
    return po.read_catalog(article.catalog) if article.catalog.exists() else None


def require_catalog(article: Article):
    """The article's catalog, for commands that only read what ``translate`` wrote."""
    catalog = load_catalog(article)
    if catalog is None:
        from pipeline.errors import CatalogError

        raise CatalogError("no catalog yet; run `zhen translate` first", path=article.catalog)
    return catalog


def write_outputs(article: Article, segments: Sequence[Segment], hits, catalog, lang: str,
                  checks: SegmentQA | None = None, glossary: Glossary | None = None) -> None:
    checks = checks or SegmentQA(hits, glossary)
    entries = catalog_entries.read_entries(catalog)
    rows = render.rows(segments, entries, hits, checks.for_page(segments, entries))
    title = segments[0].text if segments else article.slug
    write_if_changed(article.text, render.english_text(rows))
    write_if_changed(article.html, render.html_page(rows, title=title, source_lang=lang))


def translate_article(
    article: SourcedArticle,
    *,
    glossary: Glossary,
    engines: EngineProvider,
    now: datetime | None = None,
    purge_obsolete: bool = False,
    progress: Progress | None = None,
    state_key: str | None = None,
    memory: MemoryDrafter | None = None,
    place: Scope | None = None,
) -> ArticleResult:
    """Run every stage for one article and write its catalog, text and page.

    With ``state_key`` (see ``incremental``), the finished run is recorded so that
    an identical later run can be skipped. With ``memory``, sentences the
    translation memory knows are drafted from it and only the rest by the engine.
    ``place``: the declared scope (``glossary.scope``); None detects it from the text.
    """
    started = time.perf_counter()
    with article_lock(article.folder):
        # A fresh run decides the scope again: the header records the last run's decision.
        segments, hits, lang, used, glossary = analyse_scoped(article, glossary, place, recorded=False)
        if article.source is not None:
            from pipeline.workspace.locate import require_chinese

            require_chinese(segments, article.source)
        old = load_catalog(article)  # a broken catalog stops here, before anything is written
        ownership.check(article, old)  # and so does another source's catalog

        from_memory: set[int] = set()  # segments drafted from the translation memory
        faults: dict[int, str] = {}  # segments the engine could not draft, and why
        usage: list[Usage] = []
        first_of: dict[str, int] = {}  # each sentence's first segment, which a draft is made for
        for seg in segments:
            first_of.setdefault(seg.text, seg.id)

        def drafter(todo: Sequence[Segment]):
            drafts = memory.draft(todo, hits) if memory is not None else {}
            from_memory.update(drafts)
            rest = [seg for seg in todo if seg.id not in drafts]
            if rest:
                engine = engines.get(drafting=True)
                drafts.update(engine.draft(rest, hits, progress=progress or no_progress, context=segments,
                                            usage=usage.append))
            faults.update({sid: d.fault for sid, d in drafts.items() if d.fault})
            return drafts

        line = {seg.id: seg.line for seg in segments}
        signature = engines.signature()  # cheap: engines load their models on first draft
        expected = memory.signatures(signature) if memory is not None else signature
        checks = SegmentQA(hits, glossary)
        nested = {sid: [n for h in hs for n in glossary.nested(h)] for sid, hs in hits.items()}
        catalog, stats = cat.merge(
            slug=article.slug,
            source_name=naming.reference(article.source.name),
            source_language=script.gettext_language(lang),
            segments=segments,
            hits=hits,
            nested=nested,
            old=old,
            signature=expected,
            drafter=drafter,
            now=now or now_utc(),
            purge_obsolete=purge_obsolete,
            annotate=checks.notes,
            exact=memory.knows_exactly if memory is not None else None,
        )
        ownership.stamp(catalog, article)
        catalog.metadata[scope.HEADER] = used.header()
        text = po.render(catalog)
        if article.catalog.exists() and article.catalog.read_text(encoding="utf-8") != text:
            backup(article.catalog)
        write_if_changed(article.catalog, text)
        write_outputs(article, segments, hits, catalog, lang, checks)
        result = ArticleResult(article=article.slug, catalog=str(article.catalog), html=str(article.html),
                               text=str(article.text), merge=stats,
                               tm=sum(1 for seg in segments if first_of[seg.text] in from_memory),
                               seconds=time.perf_counter() - started,
                               faults=tuple((line[sid], why) for sid, why in sorted(faults.items())),
                               usage=usage[0] if usage else None)
        # A run that left sentences undrafted is not finished: the next one must ask for them again.
        if state_key is not None and not faults:
            incremental.record(article, state_key, result)  # inside the lock: these outputs, these inputs
        if memory is not None:
            # Last: the index is derived, and an index that fails here (a full disk) leaves the
            # article's outputs all written; the next run's sync reads the catalog instead.
            memory.written(article.catalog, catalog)
    return result


def rebuild_html(article: Article, *, glossary: Glossary) -> Path:
    """Re-render the text and page from the catalog without drafting."""
    segments, hits, lang, _, glossary = analyse_scoped(article, glossary)
    catalog = require_catalog(article)
    ownership.check(article, catalog)
    write_outputs(article, segments, hits, catalog, lang, glossary=glossary)
    return article.html


def english_text(article: Article, glossary: Glossary, *, reviewed_only: bool = False) -> str:
    """The English article; with ``reviewed_only``, unreviewed segments are marked, not filled with drafts."""
    segments, hits, _ = analyse(article, glossary)
    rows = render.rows(segments, catalog_entries.read_entries(require_catalog(article)), hits)
    return render.english_text(rows, reviewed_only=reviewed_only)
