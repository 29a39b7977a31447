"""Article work as Ray actors (``zhen translate --executor ray``): the tasks, outcomes and
order of results of ``pool``, on a Ray cluster.

Ray is imported here only, and only when a run asks for it: it is the optional extra
``zhen[ray]``. The cluster is the one a bare ``ray.init()`` finds: ``RAY_ADDRESS`` when set,
else one that ``ray start`` started on this machine, else a local instance that ends with
the run. An instance the caller started (``ray.init(...)`` before the run) is used as it is.

Each actor is one worker: it builds its runner from the recipe once, as a worker process of
``pool`` does, and then translates the articles it is given. Articles go to it as paths, and
it works in the folder zhen was started in: every node must read and write the project folder
at the same absolute path (and find the glossary, the memory and the Argos packages as this
machine does). Ray places the actors; the parent
keeps the up-to-date check and hands each actor at most two articles at a time, or, where the
engine drafts many articles in one call (``engines.coalesce``), as many as the actor runs at
once: it runs them in threads, and their engine calls are shared.

An actor that dies (killed, out of memory, its node lost) is replaced by a fresh one, which
first runs each article the dead one had in flight again, alone, so that only an article
that kills its actor every time fails.
"""

from __future__ import annotations

import functools
import math
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pipeline.engines.argos.packages import packages_dir
from pipeline.engines.coalesce import ARTICLES_IN_FLIGHT
from pipeline.errors import ZhenError, from_os_error
from pipeline.workspace.articles import SourcedArticle
from pipeline.workspace.pool import Outcome, Task, attempt, build, clear_lock

Executor = Callable[..., Iterator[tuple[int, Outcome]]]

MISSING = "--executor ray needs Ray, which is not installed: pip install 'zhen[ray]'"
WINDOW = 2  # articles handed to an actor at a time: one running, one waiting behind it (more where they share calls)


def executor(*, device: str = "cpu") -> Executor:
    """``run_tasks`` for a run whose engine drafts on ``device`` (cpu, cuda, or auto: CUDA where
    the cluster has GPUs); raised at once when Ray is not installed, before any work."""
    import importlib.util

    # Found, not imported: importing Ray puts its own folder on sys.path, which the up-to-date
    # check hashes (``incremental.code_digest``), so an import now would make every article
    # look changed to a run without Ray. It is imported once the keys are made.
    if importlib.util.find_spec("ray") is None:
        raise ZhenError(MISSING)
    return functools.partial(run_tasks, device=device)


def _ray() -> Any:
    try:
        import ray
    except ImportError as e:
        raise ZhenError(MISSING) from e
    return ray


class Drafter:
    """One worker of the run, as a Ray actor: the runner built once, then one article per call.

    A threaded actor: where its engine drafts many articles in one call, the calls handed to
    it run at once, up to ``width()``, and share the engine's calls; else one at a time."""

    def __init__(self, recipe: Callable[[], Callable], cwd: str, packages: str) -> None:
        self.runner: Callable | None = None
        self.broken: ZhenError | None = None
        self.inflight = 1
        self.one = threading.Lock()  # an engine that gains nothing from articles at once sees one at a time
        try:
            # The run's paths (articles, glossary, memory) may be relative to where zhen was started,
            # and a node's own environment may name other Argos packages: the actor's process is its
            # own, so it stands where zhen stands and reads the packages zhen reads.
            os.chdir(cwd)
            os.environ["ARGOS_PACKAGES_DIR"] = packages
        except OSError as e:
            self.broken = from_os_error(e)
            return
        self.runner, self.broken, self.inflight = build(recipe)

    def width(self) -> int:
        """The articles it runs at once."""
        return self.inflight

    def translate(self, article: SourcedArticle, key: str) -> Outcome:
        """The article's result, or its error as a value (it keeps its type and its line)."""
        if self.inflight > 1:
            return attempt(self.runner, self.broken, article, key)
        with self.one:
            return attempt(self.runner, self.broken, article, key)


def run_tasks(tasks: Sequence[Task], *, recipe: Callable[[], Callable], jobs: int,
              device: str = "cpu") -> Iterator[tuple[int, Outcome]]:
    """(position, result or error) for each task, in the order they finish; ``jobs`` actors
    (0: one per CPU of the cluster, or per GPU when the engine drafts on one)."""
    ray = _ray()
    started = not ray.is_initialized()
    if started:
        import logging

        ray.init(log_to_driver=False, logging_level=logging.WARNING)  # stdout stays the run's
    actors: list = []
    try:
        gpus = _gpus(ray, device)
        if not tasks:
            return
        jobs = min(jobs or _slots(ray, gpus), len(tasks))
        # No restarts by Ray: a dead actor's slot gets a fresh actor from here, which first runs
        # the articles the dead one had in flight, one at a time (a restarted actor would be
        # handed work while that slot's resources were still being given back).
        remote = ray.remote(Drafter).options(num_cpus=1, num_gpus=gpus, max_restarts=0, max_task_retries=0,
                                             max_concurrency=ARTICLES_IN_FLIGHT + 1)
        where = (os.getcwd(), str(packages_dir()))
        actors = [remote.remote(recipe, *where) for _ in range(jobs)]
        # Each actor is asked how many articles it runs at once; until it answers, it is handed WINDOW.
        window = [WINDOW] * jobs
        share = math.ceil(len(tasks) / jobs)  # an actor that runs articles at once takes its share of a small run
        probes: dict[Any, tuple[int, Any]] = {actor.width.remote(): (n, actor) for n, actor in enumerate(actors)}
        queue = deque(tasks)
        suspects: deque[Task] = deque()  # in flight on an actor that died: each runs again, alone
        load = [0] * jobs  # articles in flight per slot
        alone: dict[int, Task] = {}  # slot → the suspect it runs, and nothing beside it
        inflight: dict[Any, tuple[Task, int, Any]] = {}  # ref → (task, slot, actor)
        while queue or suspects or inflight:
            for n, actor in enumerate(actors):
                if n in alone:
                    continue
                if suspects:
                    if load[n] == 0:  # drained: take one suspect alone
                        task = alone[n] = suspects.popleft()
                        inflight[actor.translate.remote(task[1], task[2])] = (task, n, actor)
                        load[n] = 1
                    continue
                while queue and load[n] < window[n]:
                    task = queue.popleft()
                    inflight[actor.translate.remote(task[1], task[2])] = (task, n, actor)
                    load[n] += 1
            [ref], _ = ray.wait([*inflight, *probes], num_returns=1)
            if ref in probes:
                n, actor = probes.pop(ref)
                try:
                    width = ray.get(ref)
                except ray.exceptions.RayError:
                    continue  # it died starting: the articles handed to it say so
                if actor is actors[n] and width > 1:
                    window[n] = min(width, share) + 1  # one waiting behind those running
                continue
            task, n, actor = inflight.pop(ref)
            load[n] -= 1
            was_alone = alone.get(n) is task
            if was_alone:
                del alone[n]
            try:
                outcome = ray.get(ref)
            except ray.exceptions.RayTaskError:
                raise  # a bug in zhen, not the article's fault: as in a serial run, it stops the run
            except ray.exceptions.RayError as e:  # the actor died, or its node: nothing came back
                clear_lock(task[1])
                if actor is actors[n]:  # the first of its articles to say so: a fresh actor takes the slot
                    ray.kill(actor)
                    actors[n] = remote.remote(recipe, *where)
                    window[n] = WINDOW
                    probes[actors[n].width.remote()] = (n, actors[n])
                if not was_alone:
                    suspects.append(task)
                    continue
                said = (str(e).strip().splitlines() or [type(e).__name__])[0]  # zhen missing on a node, say
                outcome = ZhenError("the Ray actor translating this article died, also when it ran alone; "
                                    f"its files are as the last complete run left them (Ray: {said})",
                                    path=task[1].folder)
            yield task[0], outcome
    finally:
        for actor in actors:
            ray.kill(actor)
        if started:
            ray.shutdown()


def _gpus(ray: Any, device: str) -> int:
    """The GPUs each actor holds: one on CUDA, none on a CPU."""
    if device == "cuda":
        if not ray.cluster_resources().get("GPU"):
            raise ZhenError("the engine drafts on CUDA, and the Ray cluster has no GPU; use --device cpu")
        return 1
    if device == "auto":
        return 1 if ray.cluster_resources().get("GPU") else 0
    return 0


def _slots(ray: Any, gpus: int) -> int:
    """The actors the whole cluster runs at once (``--jobs 0``)."""
    resources = ray.cluster_resources()
    return max(1, int(resources.get("GPU", 0) if gpus else resources.get("CPU", 1)))
