"""The only module that knows the order of the stages.

source → segment → script → glossary → engine → catalog → qa → render
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import catalog as cat
from pipeline import incremental, naming, ownership, po, qa, render, script
from pipeline.articles import Article
from pipeline.engines import engine_class
from pipeline.engines.base import Engine, Progress
from pipeline.files import article_lock, backup, write_if_changed
from pipeline.glossary import Glossary
from pipeline.model import ArticleResult, Finding, Segment, TermHit
from pipeline.segment import segment
from pipeline.source import read_article

if TYPE_CHECKING:
    from pipeline.tm.draft import MemoryDrafter

Warn = Callable[[str], None]


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(second=0, microsecond=0)


def argos_available(warn: Warn | None = None) -> bool:
    """Is a zh→en Argos package installed? Imports nothing heavy."""
    try:
        from pipeline.models import find_package
    except ImportError:
        return False
    return find_package("zh", "en", warn=warn) is not None


@dataclass
class EngineProvider:
    """Builds the engine on first use, so a re-run with nothing to draft loads no model."""

    name: str
    glossary: Glossary
    settings: dict[str, dict] = field(default_factory=dict)  # engine name → constructor keywords
    warn: Warn = lambda msg: None
    say: Warn = lambda msg: None  # which engine ``auto`` chose
    _engine: Engine | None = None

    def resolved_name(self) -> str:
        """``auto``: the LLM server when [llm] is configured, else Argos when a model is installed."""
        if self.name != "auto":
            return self.name
        if self.settings.get("llm", {}).get("options") is not None:
            return "llm"
        return "argos" if argos_available(self.warn) else "dictionary"

    def get(self, *, drafting: bool = False) -> Engine:
        if drafting and self.name == "auto" and self.resolved_name() == "dictionary":
            self.warn("no zh→en Argos model installed: drafting word-by-word glosses with the "
                      "dictionary engine (install a model with `zhen model install FILE.argosmodel` "
                      "or `zhen model download`)")
        if self._engine is None:
            name = self.resolved_name()
            self._engine = engine_class(name)(self.glossary, **self.settings.get(name, {}))
        if drafting and self.name == "auto" and self.resolved_name() != "dictionary":
            self.say(f"engine auto: drafting with {self._engine.name} ({self._engine.identity()})")
        return self._engine

    def signature(self) -> str:
        return self.get().signature()


def analyse(article: Article, glossary: Glossary) -> tuple[list[Segment], dict[int, list[TermHit]], str]:
    """Read, segment, normalize and match an article: everything before the engine."""
    source = read_article(article.source)
    segments = script.normalize(segment(source))
    hits = glossary.match_segments(segments)
    lang = script.detect_script((s.text, s.simplified) for s in segments)
    return segments, hits, lang


def load_catalog(article: Article):
    return po.read_catalog(article.catalog) if article.catalog.exists() else None


def require_catalog(article: Article):
    """The article's catalog, for commands that only read what ``translate`` wrote."""
    catalog = load_catalog(article)
    if catalog is None:
        from pipeline.errors import CatalogError

        raise CatalogError("no catalog yet; run `zhen translate` first", path=article.catalog)
    return catalog


class SegmentQA:
    """QA findings per (segment, English), computed once per run and shared by the
    catalog's notes and the page."""

    def __init__(self, hits: Mapping[int, Sequence[TermHit]], glossary: Glossary | None = None):
        self.hits = hits
        self.glossary = glossary  # for the consistency of term renderings across the article
        self._seen: dict[tuple[int, str], list[Finding]] = {}

    def __call__(self, seg: Segment, english: str) -> list[Finding]:
        key = (seg.id, english)
        if key not in self._seen:
            self._seen[key] = qa.check_segment(seg.text, english, self.hits.get(seg.id, ()), segment=seg.id)
        return self._seen[key]

    def notes(self, seg: Segment, english: str) -> list[str]:
        return qa.note_lines(self(seg, english))

    def for_page(self, segments: Sequence[Segment], catalog) -> list[Finding]:
        english = {e.msgid: e.msgstr for e in catalog if not e.obsolete and cat.owned(e)}
        found = [f for seg in segments for f in self(seg, english.get(seg.text, ""))]
        if self.glossary is not None:
            # Consistency findings name catalog entries; the page's rows are segments.
            from pipeline.qa.consistency import term_forms

            msgid_of = {n: e.msgid for n, e in enumerate(catalog, start=1)}
            segs_of: dict[str, list[Segment]] = {}
            for seg in segments:
                segs_of.setdefault(seg.text, []).append(seg)
            found += [dataclasses.replace(f, segment=seg.id) for f in term_forms(catalog, self.glossary)
                      for seg in segs_of.get(msgid_of.get(f.entry, ""), ())]
        return found


def write_outputs(article: Article, segments: Sequence[Segment], hits, catalog, lang: str,
                  checks: SegmentQA | None = None, glossary: Glossary | None = None) -> None:
    checks = checks or SegmentQA(hits, glossary)
    rows = render.rows(segments, catalog, hits, checks.for_page(segments, catalog))
    title = segments[0].text if segments else article.slug
    write_if_changed(article.text, render.english_text(rows))
    write_if_changed(article.html, render.html_page(rows, title=title, source_lang=lang))


def translate_article(
    article: Article,
    *,
    glossary: Glossary,
    engines: EngineProvider,
    now: datetime | None = None,
    purge_obsolete: bool = False,
    progress: Progress | None = None,
    state_key: str | None = None,
    memory: MemoryDrafter | None = None,
) -> ArticleResult:
    """Run every stage for one article and write its catalog, text and page.

    With ``state_key`` (see ``incremental``), the finished run is recorded so that
    an identical later run can be skipped. With ``memory``, sentences the
    translation memory knows are drafted from it and only the rest by the engine.
    """
    started = time.perf_counter()
    with article_lock(article.folder):
        segments, hits, lang = analyse(article, glossary)
        old = load_catalog(article)  # a broken catalog stops here, before anything is written
        ownership.check(article, old)  # and so does another source's catalog

        from_memory: set[int] = set()  # segments drafted from the translation memory

        def drafter(todo: Sequence[Segment]):
            drafts = memory.draft(todo, hits) if memory is not None else {}
            from_memory.update(drafts)
            rest = [seg for seg in todo if seg.id not in drafts]
            if rest:
                engine = engines.get(drafting=True)
                drafts.update(engine.draft(rest, hits, progress=progress or (lambda d, t: None),
                                            context=segments))
            return drafts

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
        )
        ownership.stamp(catalog, article)
        text = po.render(catalog)
        if article.catalog.exists() and article.catalog.read_text(encoding="utf-8") != text:
            backup(article.catalog)
        write_if_changed(article.catalog, text)
        if memory is not None:
            memory.written(article.catalog, catalog)
        write_outputs(article, segments, hits, catalog, lang, checks)
        result = ArticleResult(
            article=article.slug,
            segments=stats.segments,
            drafted=stats.drafted - len(from_memory),
            reused=stats.reused,
            reviewed=stats.reviewed,
            untranslated=stats.untranslated,
            catalog=str(article.catalog),
            html=str(article.html),
            text=str(article.text),
            seconds=time.perf_counter() - started,
            tm=len(from_memory),
        )
        if state_key is not None:
            incremental.record(article, state_key, result)  # inside the lock: these outputs, these inputs
    return result


def rebuild_html(article: Article, *, glossary: Glossary) -> Path:
    """Re-render the text and page from the catalog without drafting."""
    segments, hits, lang = analyse(article, glossary)
    catalog = require_catalog(article)
    ownership.check(article, catalog)
    write_outputs(article, segments, hits, catalog, lang, glossary=glossary)
    return article.html
