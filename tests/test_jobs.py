"""Articles in worker processes (``translate --jobs``): the same bytes as a serial run, in the
same order, and a killed worker loses no reviewed line and leaves no lock (pipeline/workspace/pool.py)."""

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import polib

from pipeline.errors import SourceError, ZhenError
from pipeline.glossary.table import glossary_files
from pipeline.session import Recipe
from pipeline.workspace.articles import resolve
from pipeline.workspace.batch import Failure, translate_all
from pipeline.workspace.files import article_lock
from pipeline.workspace.layout import LOCK
from tests.conftest import GLOSSARY_DIR, NOW, SAMPLE

FILES = glossary_files(GLOSSARY_DIR)
RECIPE = Recipe(engine="dictionary", glossary=GLOSSARY_DIR, engine_settings={}, now=NOW)
UD = ["我们在北京开会。", "他昨天去了上海。", "这个城市有三百万人。", "学校明年会建新楼。",
      "经济增长了百分之五。", "她在医院工作。", "天津港是中国北方最大的港口。", "会议讨论了环境问题。"]


def project(root: Path) -> list:
    """Five articles: the sample (one entry reviewed), three of eight short sentences, one unreadable."""
    names = ["a", "b", "c", "d", "e"]
    for i, name in enumerate(names):
        (root / name).mkdir(parents=True)
        if name == "a":
            shutil.copy(SAMPLE, root / name / "source.zh.txt")
        elif name == "d":
            (root / name / "source.zh.txt").write_bytes(b"\xff\xfe\x00\xd8")  # no encoding reads it
        else:
            text = "\n".join(UD[i:] + UD[:i]) + "\n"
            (root / name / "source.zh.txt").write_text(text, encoding="utf-8")
    return [resolve(root / name) for name in names]


def review_first(folder: Path) -> str:
    catalog = polib.pofile(str(folder / "en.po"))
    catalog[0].msgstr, catalog[0].flags = "Reviewed by a person", []
    catalog.save(str(folder / "en.po"))
    return catalog[0].msgid


def snapshot(root: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.name == ".zhen.state":  # the wall time an article took is recorded there
                record = json.loads(data)
                record.get("result", {}).pop("seconds", None)
                data = json.dumps(record, sort_keys=True).encode()
            out[str(path.relative_to(root))] = data
    return out


def outcomes(results) -> list:
    return [(r.article.slug, type(r.error).__name__, str(r.error)) if isinstance(r, Failure)
            else {**r.as_json(), "seconds": None} for r in results]


def test_workers_write_the_same_bytes_in_the_same_order_as_a_serial_run(tmp_path):
    root = tmp_path / "p"
    articles = project(root)
    pristine = tmp_path / "pristine"
    shutil.copytree(root, pristine)
    serial = outcomes(translate_all(articles, run=RECIPE(), glossary_files=FILES, settings="s"))
    expected = snapshot(root)
    shutil.rmtree(root)
    shutil.copytree(pristine, root)
    parallel = outcomes(translate_all(articles, run=RECIPE(), glossary_files=FILES, settings="s", jobs=2,
                                      recipe=RECIPE))
    assert parallel == serial
    assert [o[0] if isinstance(o, tuple) else o["article"] for o in parallel] == ["a", "b", "c", "d", "e"]
    assert parallel[3][1] == SourceError.__name__
    assert snapshot(root) == expected
    # A second parallel run: everything but the unreadable article is up to date, decided in the parent.
    again = list(translate_all(articles, run=RECIPE(), glossary_files=FILES, settings="s", jobs=2, recipe=RECIPE))
    assert [r.up_to_date for r in again if not isinstance(r, Failure)] == [True] * 4


@dataclass(frozen=True)
class KillOnce:
    """Runs as RECIPE does, except that the worker given article ``victim`` SIGKILLs itself while holding
    its lock, with a half-written temporary file beside the catalog; with ``once``, only the first time."""

    victim: str
    marker: Path
    once: bool = True

    def __call__(self):
        run = RECIPE()

        def killing(article, key, progress):
            if article.slug == self.victim and not (self.once and self.marker.exists()):
                self.marker.touch()
                with article_lock(article.folder):
                    (article.folder / ".en.po.half.tmp").write_text('msgid "', encoding="utf-8")
                    os.kill(os.getpid(), signal.SIGKILL)
            return run(article, key, progress)
        return killing


def after_a_kill(tmp_path, *, once: bool, executor=None):
    """Translate, review, kill the worker (or actor) translating "b" and run again."""
    articles = project(tmp_path / "p")
    list(translate_all(articles, run=RECIPE(), glossary_files=FILES, settings="s"))
    reviewed = review_first(articles[1].folder)
    results = list(translate_all(articles, run=RECIPE(), glossary_files=FILES, settings="s2", jobs=2,
                                 recipe=KillOnce("b", tmp_path / "killed", once=once), executor=executor))
    assert (tmp_path / "killed").exists()  # the worker was killed
    for article in articles:
        assert not (article.folder / LOCK).exists()
        assert not list(article.folder.glob(".*.tmp"))
    entry = polib.pofile(str(articles[1].folder / "en.po")).find(reviewed)
    assert entry.msgstr == "Reviewed by a person" and "fuzzy" not in entry.flags
    return results


def test_a_killed_worker_loses_no_reviewed_line_and_its_article_runs_again(tmp_path):
    results = after_a_kill(tmp_path, once=True)
    assert [isinstance(r, Failure) for r in results] == [False, False, False, True, False]
    assert results[1].reviewed == 1


def test_an_article_that_kills_every_worker_fails_alone(tmp_path):
    results = after_a_kill(tmp_path, once=False)
    assert [isinstance(r, Failure) for r in results] == [False, True, False, True, False]
    assert "worker process" in str(results[1].error)


def test_an_error_keeps_its_parts_across_processes():
    import pickle

    error = pickle.loads(pickle.dumps(SourceError("cannot decode", path=Path("x/source.txt"), line=3)))
    assert type(error) is SourceError and (error.path, error.line, error.detail) == (Path("x/source.txt"), 3,
                                                                                       "cannot decode")
    assert str(error) == "x/source.txt:3: cannot decode" and isinstance(error, ZhenError)


def test_the_command_prints_the_same_json_lines_with_jobs(tmp_path):
    def run(root, jobs):
        proc = subprocess.run([sys.executable, "-m", "pipeline", "translate", "--engine", "dictionary", "--glossary",
                               str(GLOSSARY_DIR), "--json", "--jobs", str(jobs)], cwd=root, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
        lines = [json.loads(line) for line in proc.stdout.splitlines()]
        for line in lines:
            line.pop("seconds", None)
        return proc.returncode, lines

    results = {}
    for jobs in (1, 2):
        root = tmp_path / f"j{jobs}"
        project(root / "translations")
        (root / "zhen.toml").write_text("", encoding="utf-8")
        code, lines = run(root, jobs)
        results[jobs] = code, [json.dumps(line).replace(f"/j{jobs}/", "/j/") for line in lines]
    assert results[1][0] == 2 and len(results[1][1]) == 5  # four articles and the totals; one failed
    assert results[2] == results[1]
