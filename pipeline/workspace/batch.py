"""Translating many articles: skip those a run would not change, run the rest,
and decide what one article's failure means for the others.

Imports no stage: an up-to-date article costs two hashes, and a run where every
article is up to date loads neither the pipeline nor an engine. ``run`` is
called only for an article that needs one.
"""

from __future__ import annotations

import dataclasses
from collections import deque
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
                  jobs: int = 1, recipe: Callable[[], Runner] | None = None,
                  executor: Callable[..., Iterator] | None = None,
                  inflight: Callable[[], int] | None = None) -> Iterator[ArticleResult | Failure]:
    """One result (or failure) per article, in order.

    An article whose inputs and outputs hash as its last run left them is
    skipped (``force`` runs it anyway). A bad source or catalog, or an OS error
    nobody wrapped closer to its cause, fails its own article only; with a single article, or a broken glossary (every article's
    problem, said once), the error is raised.

    With ``jobs`` above 1 and a ``recipe`` (a picklable callable that builds a
    runner like ``run``), the articles that need a run are run in that many
    worker processes (see ``pool``); the results come in the same order, and are
    the same, as without. An ``executor`` (``pool.run_tasks``'s interface, e.g. a
    ``cluster.executor``) runs them elsewhere, whatever their number; ``jobs`` 0
    then lets it choose.

    ``inflight``, called once the first article needs a run, says how many
    articles this process may run at once, in threads (see ``engines.coalesce``);
    the results come in the same order, and are the same, as one at a time.
    """
    if recipe is not None and (executor is not None or jobs > 1 and len(articles) > 1):
        yield from _in_workers(articles, run=run, recipe=recipe, jobs=jobs, glossary_files=glossary_files,
                               settings=settings, force=force, executor=executor)
        return
    if inflight is not None and len(articles) > 1:
        yield from _in_threads(articles, run=run, inflight=inflight, glossary_files=glossary_files,
                               settings=settings, force=force, progress_for=progress_for)
        return
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


def _in_threads(articles: Sequence[SourcedArticle], *, run: Runner, inflight: Callable[[], int],
                glossary_files: Sequence[Path], settings: str, force: bool,
                progress_for: Callable[[SourcedArticle], Progress]) -> Iterator[ArticleResult | Failure]:
    import concurrent.futures as cf

    from pipeline.workspace.pool import guarded

    width = 0  # articles at once, decided when the first one needs a run
    pool: cf.ThreadPoolExecutor | None = None
    ahead: deque[tuple[SourcedArticle, cf.Future | ArticleResult | ZhenError]] = deque()  # in order
    rest = iter(articles)
    more = True
    try:
        while more or ahead:
            while ahead and not (isinstance(ahead[0][1], cf.Future) and not ahead[0][1].done()):
                article, outcome = ahead.popleft()
                if isinstance(outcome, cf.Future):
                    outcome = outcome.result()
                if isinstance(outcome, GlossaryError):
                    raise outcome
                yield Failure(article, outcome) if isinstance(outcome, ZhenError) else outcome
            running = [o for _, o in ahead if isinstance(o, cf.Future) and not o.done()]
            # Finished articles behind a slow one wait in order; a bounded few, to bound what is held.
            if more and len(running) < max(width, 1) and len(ahead) < 4 * max(width, 1):
                upcoming = next(rest, None)
                if upcoming is None:
                    more = False
                    continue
                article = upcoming
                checked = _checked(article, glossary_files=glossary_files, settings=settings, force=force)
                if not isinstance(checked, str):  # up to date, or unreadable
                    ahead.append((article, checked))
                    continue
                key = checked
                if not width:
                    width = max(1, inflight())
                if width == 1:  # nothing gained from threads: this one, as a serial run does
                    ahead.append((article, guarded(run, article, key, progress_for(article))))
                    continue
                if pool is None:
                    pool = cf.ThreadPoolExecutor(max_workers=width, thread_name_prefix="zhen-article")
                ahead.append((article, pool.submit(guarded, run, article, key, progress_for(article))))
            elif running:
                cf.wait(running, return_when=cf.FIRST_COMPLETED)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)  # an article under way finishes its writes


def _checked(article: SourcedArticle, *, glossary_files: Sequence[Path], settings: str,
             force: bool) -> str | ArticleResult | ZhenError:
    """The article's state key when it needs a run; else its up-to-date result, or the error
    that fails it."""
    try:
        try:
            key = incremental.input_key(article, glossary_files=glossary_files, settings=settings)
            skipped = None if force else incremental.skip(article, key)
        except OSError as e:
            raise from_os_error(e) from e
    except ZhenError as e:
        return e
    return key if skipped is None else skipped


def _in_workers(articles: Sequence[SourcedArticle], *, run: Runner, recipe: Callable[[], Runner], jobs: int,
                glossary_files: Sequence[Path], settings: str, force: bool,
                executor: Callable[..., Iterator] | None = None) -> Iterator[ArticleResult | Failure]:
    from pipeline.workspace.pool import run_tasks

    ready: dict[int, ArticleResult | ZhenError] = {}
    tasks = []
    for i, article in enumerate(articles):  # the up-to-date check stays here: two hashes, no pipeline
        checked = _checked(article, glossary_files=glossary_files, settings=settings, force=force)
        if isinstance(checked, str):
            tasks.append((i, article, checked))
        else:
            ready[i] = checked
    if executor is not None:  # asked for by name: even one article runs there (the engine may need its GPU)
        finished = executor(tasks, recipe=recipe, jobs=jobs) if tasks else iter(())
    elif len(tasks) < 2:  # a worker would load what this process loads, and add its start-up
        finished = _here(tasks, run)
    else:
        finished = run_tasks(tasks, recipe=recipe, jobs=min(jobs, len(tasks)))
    try:
        for i, article in enumerate(articles):
            while i not in ready:
                done, outcome = next(finished)
                ready[done] = outcome
            outcome = ready.pop(i)
            if isinstance(outcome, GlossaryError):
                raise outcome
            yield Failure(article, outcome) if isinstance(outcome, ZhenError) else outcome
    finally:
        close = getattr(finished, "close", None)
        if close is not None:
            close()  # stops the pool when the caller stops early or an error is raised


def _here(tasks, run: Runner) -> Iterator[tuple[int, ArticleResult | ZhenError]]:
    from pipeline.workspace.pool import guarded

    for i, article, key in tasks:
        yield i, guarded(run, article, key, no_progress)
