"""Translating many articles: skip those a run would not change, run the rest,
and decide what one article's failure means for the others.

Imports no stage: an up-to-date article costs two hashes, and a run where every
article is up to date loads neither the pipeline nor an engine. ``run`` is
called only for an article that needs one.
"""

from __future__ import annotations

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
