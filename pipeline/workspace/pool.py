"""Article work in worker processes (``zhen translate --jobs N``).

Imports no stage: what a worker translates with comes as a ``recipe``, a picklable
callable that each worker calls once, at its start, to build its own runner (the
engines, the glossary, the memory's drafter). The parent keeps the up-to-date
check (two hashes an article) and the order of the results; the workers keep the
lock, the atomic writes and the state record of each article, as a serial run does.

A worker that dies (killed, out of memory, a crash in native code) breaks the
whole pool: every article it had in flight is then run again, alone, in a fresh
worker, so that only the article that kills its worker fails, and the lock file
and temporary files a killed worker left are cleared by the parent first.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool

from pipeline.errors import ZhenError, from_os_error
from pipeline.model import ArticleResult, no_progress
from pipeline.workspace.articles import SourcedArticle
from pipeline.workspace.files import article_lock

Task = tuple[int, SourcedArticle, str]  # (position in the run, article, state key)
Outcome = ArticleResult | ZhenError

# One runner per worker process, built by ``_start``: a worker is a process of its own,
# so this is the process's state, not a cache shared between runs.
_runner: Callable | None = None
_broken: ZhenError | None = None


def _start(recipe: Callable[[], Callable]) -> None:
    global _runner, _broken
    try:
        _runner = recipe()
    except ZhenError as e:  # a broken glossary: every article's problem, reported by each
        _broken = e
    except OSError as e:
        _broken = from_os_error(e)


def _work(article: SourcedArticle, key: str) -> ArticleResult:
    if _broken is not None:
        raise _broken
    if _runner is None:
        raise ZhenError("worker started without a runner")
    try:
        return _runner(article, key, no_progress)
    except OSError as e:
        raise from_os_error(e) from e


def context() -> multiprocessing.context.BaseContext:
    """Forkserver where the platform has it: a worker forked from a threaded parent (rich's
    progress bar, CTranslate2's pools) can inherit a lock held mid-operation; spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_tasks(tasks: Sequence[Task], *, recipe: Callable[[], Callable], jobs: int) -> Iterator[tuple[int, Outcome]]:
    """(position, result or error) for each task, in the order they finish."""
    queue = deque(tasks)
    window = 2 * jobs  # enough to keep every worker busy; few to run again if the pool breaks
    pool = _pool(recipe, jobs)
    inflight: dict[cf.Future, Task] = {}
    try:
        while queue or inflight:
            while queue and len(inflight) < window:
                task = queue.popleft()
                inflight[pool.submit(_work, task[1], task[2])] = task
            done, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
            broken: list[Task] = []
            for future in done:
                task = inflight.pop(future)
                outcome = _outcome(future)
                if outcome is None:
                    broken.append(task)
                else:
                    yield task[0], outcome
            if broken:
                for future, task in inflight.items():  # the pool is gone: these end now, most as broken
                    outcome = _outcome(future)
                    if outcome is None:
                        broken.append(task)
                    else:
                        yield task[0], outcome
                inflight.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                for task in sorted(broken, key=lambda t: t[0]):
                    yield task[0], _alone(task, recipe)
                pool = _pool(recipe, jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(recipe: Callable[[], Callable], jobs: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context(), initializer=_start, initargs=(recipe,))


def _outcome(future: cf.Future) -> Outcome | None:
    """The future's result or ZhenError; None when its worker died."""
    try:
        return future.result()
    except BrokenProcessPool:
        return None
    except ZhenError as e:
        return e


def _alone(task: Task, recipe: Callable[[], Callable]) -> Outcome:
    """Run one article that was in flight when a worker died, in a worker of its own."""
    clear_lock(task[1])
    with _pool(recipe, 1) as pool:
        outcome = _outcome(pool.submit(_work, task[1], task[2]))
    if outcome is None:
        clear_lock(task[1])
        return ZhenError("the worker process translating this article died; its files are as the last "
                         "complete run left them", path=task[1].folder)
    return outcome


def clear_lock(article: SourcedArticle) -> None:
    """Take a dead worker's (or actor's) lock and let it go: the lock file and its temporary files are removed."""
    try:
        with article_lock(article.folder):
            pass
    except (ZhenError, OSError):
        pass  # held by another run, or gone: nothing of ours to clear


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
