"""Translating many articles: skip those a run would not change, run the rest,
and decide what one article's failure means for the others.

Imports no stage: an up-to-date article costs two hashes, and a run where every
article is up to date loads neither the pipeline nor an engine. ``run`` is
called only for an article that needs one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.workspace import incremental
from pipeline.workspace.articles import SourcedArticle
from pipeline.errors import GlossaryError, ZhenError, from_os_error
from pipeline.model import ArticleResult, Progress, no_progress

Runner = Callable[[SourcedArticle, str, Progress], ArticleResult]  # (article, state key, progress) → result


@dataclass(frozen=True)
class Failure:
    """An article that could not be translated; the others went on."""

    article: SourcedArticle
    error: ZhenError


@dataclass(frozen=True)
class Totals:
    """What a run over many articles did, summed; the counts add up as an article's do."""

    articles: int
    up_to_date: int
    failed: int
    segments: int
    drafted: int
    tm: int
    reused: int
    reviewed: int
    edited: int
    carried_over: int
    untranslated: int

    def as_json(self) -> dict:
        return dataclasses.asdict(self)


def total(results: Sequence[ArticleResult | Failure]) -> Totals:
    done = [r for r in results if isinstance(r, ArticleResult)]
    counts = {key: sum(getattr(r, key) for r in done) for key in ("segments", *ArticleResult.COUNTS)}
    return Totals(articles=len(results), up_to_date=sum(r.up_to_date for r in done),
                  failed=len(results) - len(done), **counts)


def translate_all(articles: Sequence[SourcedArticle], *, run: Runner, glossary_files: Sequence[Path], settings: str,
                  force: bool = False, progress_for: Callable[[SourcedArticle], Progress] = lambda article: no_progress,
                  ) -> Iterator[ArticleResult | Failure]:
    """One result (or failure) per article, in order.

    An article whose inputs and outputs hash as its last run left them is
    skipped (``force`` runs it anyway). A bad source or catalog, or an OS error
    nobody wrapped closer to its cause, fails its own article only; with a single article, or a broken glossary (every article's
    problem, said once), the error is raised.
    """
    for article in articles:
        progress = progress_for(article)
        try:
            try:
                key = incremental.input_key(article, glossary_files=glossary_files, settings=settings)
                result = (None if force else incremental.skip(article, key)) or run(article, key, progress)
            except OSError as e:
                raise from_os_error(e) from e
        except ZhenError as e:
            if len(articles) == 1 or isinstance(e, GlossaryError):
                raise
            yield Failure(article, e)
            continue
        yield result
