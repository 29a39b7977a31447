"""Article work in worker processes (``zhen translate --jobs N``).

Imports no stage: what a worker translates with comes as a ``recipe``, a picklable
callable that each worker calls once, at its start, to build its own runner (the
engines, the glossary, the memory's drafter). The parent keeps the up-to-date
check (two hashes an article) and the order of the results; the workers keep the
lock, the atomic writes and the state record of each article, as a serial run does.

Each worker is a process with a pipe of its own to the parent. Once its runner is
built it says how many articles it runs at once: where the engine drafts many
articles in one call (``engines.coalesce``) that is as many as one process runs in
threads, so that the worker's engine calls carry many articles' sentences; else one,
with the next article waiting behind it. Each article's outcome comes back as soon
as it is finished, whatever the others in the worker are doing.

A worker that dies (killed, out of memory, a crash in native code) takes with it
only the articles it had in flight that had not come back: each is run again, alone,
in a fresh worker, so that only the article that kills its worker fails, and the
lock file and temporary files the dead worker left are cleared by the parent first.
The other workers go on, and a fresh worker takes the dead one's place.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from pipeline.errors import ZhenError, from_os_error
from pipeline.model import ArticleResult, Progress, no_progress
from pipeline.workspace.articles import SourcedArticle
from pipeline.workspace.files import article_lock

Task = tuple[int, SourcedArticle, str]  # (position in the run, article, state key)
Outcome = ArticleResult | ZhenError


def context() -> multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext:
    """Forkserver where the platform has it: a worker forked from a threaded parent (rich's
    progress bar, CTranslate2's pools) can inherit a lock held mid-operation; spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def guarded(run: Callable, article: SourcedArticle, key: str, progress: Progress) -> ArticleResult | ZhenError:
    """``run``'s result, or the ZhenError that fails the article (an OS error wrapped as one)."""
    try:
        try:
            return run(article, key, progress)
        except OSError as e:
            raise from_os_error(e) from e
    except ZhenError as e:
        return e


def build(recipe: Callable[[], Callable]) -> tuple[Callable | None, ZhenError | None, int]:
    """(runner, the error every article reports instead, articles it runs at once) in a worker
    or an actor: the runner built once, and its engine asked whether articles share its calls."""
    from pipeline.engines.coalesce import Together

    try:
        runner = recipe()
        return runner, None, runner.start() if isinstance(runner, Together) else 1
    except ZhenError as e:  # a broken glossary: every article's problem, reported by each
        return None, e, 1
    except OSError as e:
        return None, from_os_error(e), 1


def attempt(runner: Callable | None, broken: ZhenError | None, article: SourcedArticle, key: str) -> Outcome:
    """One article's outcome in a worker or an actor (an error as a value: it keeps its type and line)."""
    if broken is not None:
        return broken
    if runner is None:
        return ZhenError("worker started without a runner")
    return guarded(runner, article, key, no_progress)


@dataclass(frozen=True)
class _Bug:
    """An exception that is not the article's fault, from a worker: the parent raises it, as a serial run would."""

    error: BaseException


def _serve(recipe: Callable[[], Callable], conn: Connection) -> None:
    """A worker's life: build the runner, say how many articles it runs at once, then run the
    tasks that come (None, or the parent gone: finish those under way and stop)."""
    # Ctrl-C reaches the whole process group: the parent stops handing out work, and the articles
    # under way here finish their writes rather than die mid-way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from pipeline.engines.coalesce import Together

    runner, broken, width = build(recipe)
    sending = threading.Lock()

    def run(task: Task) -> None:
        try:
            message: tuple[int, Outcome | _Bug] = (task[0], attempt(runner, broken, task[1], task[2]))
        except BaseException as e:  # noqa: BLE001 - a bug in zhen: sent to the parent, which raises it
            e.add_note(traceback.format_exc())
            try:
                pickle.dumps(e)
            except Exception:  # noqa: BLE001 - what the parent gets is its text
                e = RuntimeError(traceback.format_exc())
            message = (task[0], _Bug(e))
        with sending:
            conn.send(message)

    import concurrent.futures as cf

    threads = cf.ThreadPoolExecutor(width, thread_name_prefix="zhen-article") if width > 1 else None
    try:
        conn.send(width)
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                break
            if task is None:
                break
            if threads is None:
                run(task)
            else:
                threads.submit(run, task)
    finally:
        if threads is not None:
            threads.shutdown(wait=True, cancel_futures=True)
        if isinstance(runner, Together):
            runner.close()


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    width: int = 0  # articles it runs at once; 0 while it starts
    tasks: dict[int, Task] = field(default_factory=dict)  # handed to it and not come back, by position


def _spawn(recipe: Callable[[], Callable]) -> _Worker:
    ctx = context()
    ours, theirs = ctx.Pipe()
    process = ctx.Process(target=_serve, args=(recipe, theirs), name="zhen-worker")
    process.start()
    theirs.close()  # the worker's end lives in the worker alone: its death reads as the pipe's end
    return _Worker(process, ours)


def _received(worker: _Worker) -> tuple[list, bool]:
    """(what the worker has sent so far, whether it is gone); a message cut short by its death is not one."""
    messages: list = []
    try:
        while worker.conn.poll():
            messages.append(worker.conn.recv())
    except (EOFError, OSError, pickle.UnpicklingError):
        worker.process.join()  # its end of the pipe is closed: it is exiting
        return messages, True
    return messages, not worker.process.is_alive()


def _stop(worker: _Worker) -> None:
    try:
        worker.conn.send(None)
    except OSError:
        pass  # dead already
    worker.process.join()
    worker.conn.close()


def run_tasks(tasks: Sequence[Task], *, recipe: Callable[[], Callable], jobs: int) -> Iterator[tuple[int, Outcome]]:
    """(position, result or error) for each task, in the order they finish."""
    queue = deque(tasks)
    # A worker that runs articles at once takes its share of a small run, not the whole of it.
    share = max(1, math.ceil(len(tasks) / max(jobs, 1)))
    workers = [_spawn(recipe) for _ in range(jobs)]
    try:
        while queue or any(w.tasks for w in workers):
            if not workers:  # every worker died starting: each article says so, run alone
                yield from ((task[0], _alone(task, recipe)) for task in [*queue])
                return
            for worker in workers:
                # One waiting behind those running, so that a worker never waits for the parent.
                while queue and worker.width and len(worker.tasks) < min(worker.width, share) + 1:
                    task = queue.popleft()
                    worker.tasks[task[0]] = task
                    try:
                        worker.conn.send(task)
                    except OSError:
                        break  # it died: its sentinel says so below
            wait([w.conn for w in workers] + [w.process.sentinel for w in workers])
            for worker in list(workers):
                messages, gone = _received(worker)
                for message in messages:
                    if isinstance(message, int):
                        worker.width = max(1, message)
                        continue
                    position, outcome = message  # type: ignore[misc]
                    if isinstance(outcome, _Bug):
                        raise outcome.error
                    del worker.tasks[position]
                    yield position, outcome
                if not gone:
                    continue
                workers.remove(worker)
                _stop(worker)
                lost = sorted(worker.tasks.values(), key=lambda t: t[0])
                for task in lost:
                    yield task[0], _alone(task, recipe)
                if worker.width and queue:  # one that died starting is not replaced: its successors would too
                    workers.append(_spawn(recipe))
    finally:
        for worker in workers:
            _stop(worker)


def _alone(task: Task, recipe: Callable[[], Callable]) -> Outcome:
    """Run one article that was in flight when a worker died, in a worker of its own."""
    clear_lock(task[1])
    worker = _spawn(recipe)
    outcome: Outcome | None = None
    try:
        sent = False
        while outcome is None:
            wait([worker.conn, worker.process.sentinel])
            messages, gone = _received(worker)
            for message in messages:
                if isinstance(message, int):
                    continue
                _, answer = message  # type: ignore[misc]
                if isinstance(answer, _Bug):
                    raise answer.error
                outcome = answer
            if outcome is not None or gone:
                break
            if not sent:
                try:
                    worker.conn.send(task)
                except OSError:
                    break  # it died: nothing came back
                sent = True
    finally:
        _stop(worker)
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
