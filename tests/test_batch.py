"""Translating many articles: the up-to-date skip and the per-article error policy (pipeline/workspace/batch.py)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from pipeline.workspace.articles import resolve
from pipeline.workspace.batch import Failure, translate_all
from pipeline.engines.registry import EngineProvider
from pipeline.errors import GlossaryError, SourceError
from pipeline.glossary.table import glossary_files
from pipeline.run import translate_article
from tests.conftest import GLOSSARY_DIR, NOW, SAMPLE

FILES = glossary_files(GLOSSARY_DIR)


def articles(tmp_path, *names):
    out = []
    for name in names:
        (tmp_path / name).mkdir()
        shutil.copy(SAMPLE, tmp_path / name / "source.zh.txt")
        out.append(resolve(tmp_path / name))
    return out


def real_run(glossary, ran):
    def run(article, key, progress):
        ran.append(article.slug)
        return translate_article(article, glossary=glossary, engines=EngineProvider("dictionary", glossary),
                                 now=NOW, state_key=key, progress=progress)
    return run


def test_a_failing_article_does_not_stop_the_others(tmp_path, glossary):
    first, second = articles(tmp_path, "a", "b")
    first.source.write_bytes(b"\xff\xfe\x00\xd8")  # a lone surrogate: no encoding reads it
    ran = []
    results = list(translate_all([first, second], run=real_run(glossary, ran), glossary_files=FILES, settings="s"))
    assert isinstance(results[0], Failure) and results[0].article == first
    assert isinstance(results[0].error, SourceError)
    assert results[1].article == "b" and results[1].segments == 45
    assert ran == ["a", "b"]


def test_a_lone_article_or_a_broken_glossary_raises(tmp_path, glossary):
    (only,) = articles(tmp_path, "a")
    only.source.write_bytes(b"\xff\xfe\x00\xd8")
    with pytest.raises(SourceError):
        list(translate_all([only], run=real_run(glossary, []), glossary_files=FILES, settings="s"))

    def broken(article, key, progress):
        raise GlossaryError("bad row", path=GLOSSARY_DIR / "tianjin.tsv", line=3)

    with pytest.raises(GlossaryError):
        list(translate_all(articles(tmp_path, "b", "c"), run=broken, glossary_files=FILES, settings="s"))


def test_an_up_to_date_article_is_skipped_unless_forced(tmp_path, glossary):
    (article,) = articles(tmp_path, "a")
    ran = []
    run = real_run(glossary, ran)
    (first,) = translate_all([article], run=run, glossary_files=FILES, settings="s")
    (again,) = translate_all([article], run=run, glossary_files=FILES, settings="s")
    assert ran == ["a"] and (again.segments, again.drafted, again.reviewed) == (45, 0, first.reviewed)
    list(translate_all([article], run=run, glossary_files=FILES, settings="other settings"))
    list(translate_all([article], run=run, glossary_files=FILES, settings="other settings", force=True))
    assert ran == ["a", "a", "a"]


def zhen(*args, cwd):
    """The CLI in a child process, so that a run blocked opening a FIFO fails the test instead of hanging it."""
    try:
        return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail("zhen waited on a source that is not a file")


@pytest.fixture
def pipe_project(tmp_path):
    """A project whose translations/ holds a real article and one whose source is a FIFO."""
    shutil.copytree(GLOSSARY_DIR, tmp_path / "glossary")
    (tmp_path / "translations" / "real").mkdir(parents=True)
    shutil.copy(SAMPLE, tmp_path / "translations" / "real" / "source.zh.txt")
    (tmp_path / "translations" / "pipe").mkdir()
    os.mkfifo(tmp_path / "translations" / "pipe" / "source.zh.txt")
    return tmp_path


def test_a_fifo_source_fails_its_article_with_one_line_and_the_others_run(pipe_project):
    result = zhen("translate", "--engine", "dictionary", cwd=pipe_project)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert errors == [f"error: {pipe_project / 'translations' / 'pipe' / 'source.zh.txt'}: is a named pipe (FIFO), "
                      "not a text file"]
    assert any(line.startswith("real: 45 segments") for line in result.stderr.splitlines())
    assert (pipe_project / "translations" / "real" / "en.po").is_file()
    assert sorted(p.name for p in (pipe_project / "translations" / "pipe").iterdir()) == ["source.zh.txt"]
    # status lists it as an article with nothing done, as it lists any article not yet translated.
    rows = [json.loads(line) for line in zhen("status", "--json", cwd=pipe_project).stdout.splitlines()]
    assert [(r["article"], r["segments"]) for r in rows] == [("pipe", 0), ("real", 45)]


@pytest.mark.parametrize("given", ["translations/pipe", "translations/pipe/source.zh.txt", "loose.txt"])
def test_a_fifo_named_as_the_source_is_refused_before_it_is_opened(pipe_project, given):
    os.mkfifo(pipe_project / "loose.txt")
    result = zhen("translate", given, "--engine", "dictionary", cwd=pipe_project)
    assert result.returncode == 2
    path = "translations/pipe/source.zh.txt" if given.startswith("translations") else given
    assert result.stderr.strip().splitlines() == [f"error: {path}: is a named pipe (FIFO), not a text file"]
    assert not (pipe_project / "loose").exists()


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_recorded_source_that_is_not_a_file_is_named_for_what_it_is(tmp_path, kind):
    (tmp_path / "x.txt").write_text("天津新聞。\n", encoding="utf-8")
    glossary = ["--glossary", GLOSSARY_DIR, "--engine", "dictionary"]
    assert zhen("translate", "x.txt", *glossary, cwd=tmp_path).returncode == 0
    (tmp_path / "x.txt").unlink()
    os.mkfifo(tmp_path / "x.txt") if kind == "fifo" else (tmp_path / "x.txt").mkdir()
    result = zhen("translate", "x", *glossary, cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    what = "a named pipe (FIFO)" if kind == "fifo" else "a folder"
    assert (f"error: x: holds a catalog but no source, and {tmp_path / 'x.txt'}, the source its catalog names, "
            f"is {what}, not a text file;") in result.stderr
