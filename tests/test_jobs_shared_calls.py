"""Articles sharing engine calls inside ``--jobs`` workers and Ray actors (pipeline/workspace/pool.py,
pipeline/workspace/cluster.py), through the tiny real Argos package: each worker's CTranslate2 calls
carry many articles' sentences, the bytes are a serial run's, and a worker killed while it has many
articles in flight loses no finished article, runs each unfinished one again alone, and leaves no lock.

What happens inside a worker is watched from inside it: ``Watched`` is the real recipe with a log of
each article the worker starts and each CTranslate2 call its engine makes, by process."""

import functools
import os
import shutil
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from pipeline.errors import SourceError
from pipeline.session import Recipe, read_settings
from pipeline.workspace import pool
from pipeline.workspace.articles import resolve
from pipeline.workspace.batch import Failure, translate_all
from pipeline.workspace.files import article_lock
from pipeline.workspace.layout import LOCK
from tests.conftest import GLOSSARY_DIR, NOW, SAMPLE
from tests.test_coalesce import package_file, packages  # noqa: F401 - fixtures
from tests.test_jobs import FILES, UD, outcomes, review_first, snapshot
from tests.test_ray import on_ray, ray_instance  # noqa: F401 - fixture

ARGOS = Recipe(engine="argos", glossary=GLOSSARY_DIR, engine_settings=read_settings(None).for_engines(), now=NOW)
ARTICLES = 20
UNREADABLE = 7  # the position of the article no encoding reads
VICTIM, HOLDOUT = "a02", "a04"  # in the first worker's share of the run


def project(root: Path) -> list:
    """Twenty articles: the sample (glossary terms: a call of its own), eighteen of eight short sentences, one unreadable."""
    for i in range(ARTICLES):
        folder = root / f"a{i:02d}"
        folder.mkdir(parents=True)
        if i == 0:
            shutil.copy(SAMPLE, folder / "source.zh.txt")
        elif i == UNREADABLE:
            (folder / "source.zh.txt").write_bytes(b"\xff\xfe\x00\xd8")
        else:
            k = i % len(UD)
            (folder / "source.zh.txt").write_text("\n".join(UD[k:] + UD[:k]) + "\n", encoding="utf-8")
    return [resolve(root / f"a{i:02d}") for i in range(ARTICLES)]


def _note(log: Path, line: str) -> None:
    with open(log, "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()} {line}\n")


@dataclass(frozen=True)
class Watched:
    """``ARGOS`` as a worker builds it, logging (to ``log``, by process) each article the worker
    starts and each CTranslate2 call. With ``kill``: the worker given VICTIM waits until another
    of its articles is finished and sent, then SIGKILLs itself holding VICTIM's lock, a half-written
    temporary file beside its catalog, while HOLDOUT, in flight beside it, waits for that; once only."""

    log: Path
    packages: str
    kill: bool = False

    @property
    def killed(self) -> Path:
        return self.log.with_name("killed")

    def __call__(self):
        os.environ["ARGOS_PACKAGES_DIR"] = self.packages  # a forkserver started by an earlier test has its own
        import pipeline.run
        from pipeline.engines.argos.engine import ArgosEngine
        from pipeline.engines.coalesce import Together

        log, finished, article_call = self.log, ArgosEngine._finished, Together.__call__
        translate_article = pipeline.run.translate_article
        done = threading.Event()

        def counted(engine, batch, **kwargs):
            _note(log, f"call {len(batch)}")
            return finished(engine, batch, **kwargs)

        def started(article, **kwargs):
            _note(log, f"start {article.slug}")
            return translate_article(article, **kwargs)

        def watched(together, article, key, progress):
            _note(log, f"enter {article.slug}")
            # Outside the article's own call, so that the coalescer does not wait for its drafts.
            if self.kill and not self.killed.exists():
                if article.slug == VICTIM:
                    done.wait(120)
                    time.sleep(2)  # its outcome sent to the parent
                    _note(log, f"kill {article.slug}")
                    self.killed.touch()
                    with article_lock(article.folder):
                        (article.folder / ".en.po.half.tmp").write_text('msgid "', encoding="utf-8")
                        os.kill(os.getpid(), signal.SIGKILL)
                if article.slug == HOLDOUT:
                    for _ in range(1200):
                        if self.killed.exists():
                            break
                        time.sleep(0.05)
            result = article_call(together, article, key, progress)
            done.set()
            return result

        ArgosEngine._finished, Together.__call__ = counted, watched  # this worker process's own classes
        pipeline.run.translate_article = started
        return ARGOS()

    def entries(self) -> list[tuple[int, str, str]]:
        lines = self.log.read_text(encoding="utf-8").split("\n") if self.log.exists() else []
        return [(int(pid), what, arg) for pid, what, arg in (line.split(" ") for line in lines if line)]


def serial(root: Path, *, review: bool = False) -> tuple[list, dict]:
    """Outcomes and bytes of one article at a time in this process (first run, and with ``review``
    a reviewed line in VICTIM and a second run under other settings)."""
    articles = project(root)
    results = outcomes(translate_all(articles, run=ARGOS(), glossary_files=FILES, settings="s"))
    if review:
        review_first(root / VICTIM)
        results = outcomes(translate_all(articles, run=ARGOS(), glossary_files=FILES, settings="s2"))
    return results, snapshot(root)


def check_shared_calls(tmp_path: Path, packages: Path, **how) -> None:
    root = tmp_path / "p"  # the same path every time: the outcomes name the files
    expected = serial(root)
    shutil.rmtree(root)
    articles = project(root)
    watched = Watched(tmp_path / "log", str(packages))
    results = outcomes(translate_all(articles, run=ARGOS(), glossary_files=FILES, settings="s", jobs=2,
                                     recipe=watched, **how))
    assert (results, snapshot(root)) == expected
    assert results[UNREADABLE][1] == SourceError.__name__
    entries = watched.entries()
    starts = Counter(pid for pid, what, _ in entries if what == "start")
    calls = Counter(pid for pid, what, _ in entries if what == "call")
    assert sum(starts.values()) == ARTICLES and sum(calls.values()) >= 2
    # One article at a time, a worker makes a call per article it drafts; sharing, a few calls for all.
    for pid, n in starts.items():
        assert calls[pid] <= max(2, n // 3), (pid, n, calls[pid])
    sizes = [int(arg) for _, what, arg in entries if what == "call"]
    assert max(sizes) >= 3 * len(UD)


def test_workers_share_engine_calls_between_their_articles(packages, tmp_path):
    check_shared_calls(tmp_path, packages)


@pytest.mark.ray
def test_actors_share_engine_calls_between_their_articles(packages, tmp_path, ray_instance):
    check_shared_calls(tmp_path, packages, executor=on_ray())


def check_kill(tmp_path: Path, packages: Path, **how) -> set[str]:
    """Translate, review a line of VICTIM, kill the worker (or actor) in the middle of its articles on
    the second run; the outcomes and bytes are a serial run's. The articles that ran again."""
    root = tmp_path / "p"
    expected = serial(root, review=True)
    shutil.rmtree(root)
    articles = project(root)
    list(translate_all(articles, run=ARGOS(), glossary_files=FILES, settings="s"))
    reviewed = review_first(root / VICTIM)
    watched = Watched(tmp_path / "log", str(packages), kill=True)
    results = list(translate_all(articles, run=ARGOS(), glossary_files=FILES, settings="s2", jobs=2,
                                 recipe=watched, **how))
    for article in articles:
        assert not (article.folder / LOCK).exists()
        assert not list(article.folder.glob(".*.tmp"))
    entry = polib.pofile(str(root / VICTIM / "en.po")).find(reviewed)
    assert entry.msgstr == "Reviewed by a person" and "fuzzy" not in entry.flags
    assert (outcomes(results), snapshot(root)) == expected  # each article once, in order, as a serial run
    entries = watched.entries()
    [dead] = [pid for pid, what, _ in entries if what == "kill"]
    entered = Counter(arg for _, what, arg in entries if what == "enter")
    there = {arg for pid, what, arg in entries if pid == dead and what == "enter"}
    again = {arg for pid, what, arg in entries if pid != dead and what == "enter"} & there
    # What the killed worker finished came back and ran once; what it had in flight ran again, once.
    assert VICTIM in again and there - again, (there, again)
    assert all(entered[slug] == (2 if slug in again else 1) for slug in there), entered
    return again


def test_a_worker_killed_among_many_articles_loses_none_and_runs_the_unfinished_again(packages, tmp_path):
    assert HOLDOUT in check_kill(tmp_path, packages)  # in flight beside the victim in the same worker


@pytest.mark.ray
def test_an_actor_killed_among_many_articles_loses_none_and_runs_the_unfinished_again(packages, tmp_path,
                                                                                         ray_instance):
    check_kill(tmp_path, packages, executor=on_ray())


def test_a_worker_that_dies_starting_fails_each_article_alone(tmp_path):
    """Nothing waits for ever when no worker ever comes up: each article says its worker died."""
    articles = project(tmp_path / "p")[1:4]
    tasks = [(i, a, "k") for i, a in enumerate(articles)]
    done = dict(pool.run_tasks(tasks, recipe=functools.partial(os._exit, 3), jobs=2))
    assert sorted(done) == [0, 1, 2]
    assert all("worker process" in str(e) for e in done.values())
    assert not any((a.folder / LOCK).exists() for a in articles)


@dataclass(frozen=True)
class Buggy:
    """A runner with a bug (not the article's fault): the run stops with it, as a serial run would."""

    def __call__(self):
        def run(article, key, progress):
            raise KeyError(article.slug)
        return run


def test_a_bug_in_a_worker_stops_the_run_with_its_exception(tmp_path):
    articles = project(tmp_path / "p")[1:4]
    with pytest.raises(KeyError, match="a0"):
        list(pool.run_tasks([(i, a, "k") for i, a in enumerate(articles)], recipe=Buggy(), jobs=2))
