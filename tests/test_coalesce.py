"""Drafting many articles in one engine call (pipeline/engines/coalesce.py), through the tiny real
Argos package: the same bytes as one article at a time, calls that hold several articles'
requests, and a fault or an engine error that stays with its own article."""

import shutil
from pathlib import Path

import pytest

from devkit.random_argos_package import TINY_LINES, build_package
from pipeline.engines.argos.engine import ArgosEngine
from pipeline.engines.argos.packages import install
from pipeline.engines.base import Fault
from pipeline.errors import EngineError
from pipeline.glossary.table import glossary_files
from pipeline.model import ArticleResult
from pipeline.session import open_run, read_settings
from pipeline.workspace.articles import resolve
from pipeline.workspace.batch import Failure
from tests.conftest import GLOSSARY_DIR, NOW, SAMPLE
from tests.test_jobs import UD, outcomes, snapshot

FILES = glossary_files(GLOSSARY_DIR)
NAMES = ["a", "b", "c", "d", "e", "f", "g"]
MARKER = "这句话会出问题。"  # the one sentence the fault tests single out, in article "d" only


@pytest.fixture(scope="module")
def package_file(tmp_path_factory) -> Path:
    return build_package(tmp_path_factory.mktemp("pkg") / "translate-zh_en-tiny.argosmodel", TINY_LINES)


@pytest.fixture
def packages(package_file, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    install(package_file, directory=folder)
    return folder


def project(root: Path, *, marker: bool = False) -> list:
    """Seven articles: the sample (glossary terms, avoided renderings) and six of eight short sentences."""
    for i, name in enumerate(NAMES):
        (root / name).mkdir(parents=True)
        if name == "a":
            shutil.copy(SAMPLE, root / name / "source.zh.txt")
            continue
        lines = UD[i:] + UD[:i]
        if marker and name == "d":
            lines = [*lines[:3], MARKER, *lines[3:]]
        (root / name / "source.zh.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [resolve(root / name) for name in NAMES]


def translate(root: Path, *, inflight: int | None = None, marker: bool = False):
    """(outcomes, CTranslate2 batch sizes, engine) of one run over a fresh project at ``root``."""
    articles = project(root, marker=marker)
    run = open_run(read_settings(None), glossary=GLOSSARY_DIR, engine="argos", now=NOW)
    sizes: list[int] = []
    engine = run.engines.get()
    finished = engine._finished

    def counted(batch, **kwargs):
        sizes.append(len(batch))
        return finished(batch, **kwargs)

    engine._finished = counted  # the real CTranslate2 call, counted
    return list(run.translate_all(articles, glossary_files=FILES, inflight=inflight)), sizes, engine


def test_shared_calls_write_the_same_bytes_as_one_article_at_a_time(packages, tmp_path):
    root = tmp_path / "p"  # the same path both times: the outcomes name the files
    alone, alone_sizes, _ = translate(root, inflight=1)
    expected = snapshot(root)
    shutil.rmtree(root)
    together, together_sizes, _ = translate(root)
    assert outcomes(together) == outcomes(alone)
    assert all(isinstance(r, ArticleResult) and r.drafted for r in together)
    assert snapshot(root) == expected
    # One article at a time: a CTranslate2 call per article. Together: the six short articles share
    # one key (no glossary terms), so far fewer calls, one of them over several articles' sentences.
    assert len(alone_sizes) == len(NAMES)
    assert len(together_sizes) < len(NAMES) - 2
    assert max(together_sizes) >= 3 * len(UD)


def test_a_fault_on_one_segment_stays_with_its_article(packages, tmp_path, monkeypatch):
    expected, _, _ = translate(tmp_path / "clean")
    stream = ArgosEngine._translate_stream

    def faulty(self, requests):
        for i, hyps in stream(self, requests):
            yield i, Fault("the server dropped it") if requests[i].text == MARKER else hyps

    monkeypatch.setattr(ArgosEngine, "_translate_stream", faulty)
    results, sizes, _ = translate(tmp_path / "faulty", marker=True)
    assert max(sizes) > len(UD) + 1  # the faulty article shared its call with others
    by_slug = {r.article: r for r in results}
    assert [line for line, _ in by_slug["d"].faults] == [4]
    assert MARKER in (tmp_path / "faulty" / "d" / "en.po").read_text(encoding="utf-8")
    for name in NAMES:
        if name != "d":
            assert not by_slug[name].faults
            assert (tmp_path / "faulty" / name / "en.po").read_bytes() == \
                (tmp_path / "clean" / name / "en.po").read_bytes()
    assert len(expected) == len(results)


def test_an_engine_error_in_a_shared_call_fails_only_its_own_article(packages, tmp_path, monkeypatch):
    translate(tmp_path / "clean")
    pieces = ArgosEngine._pieces

    def breaking(self, text):
        if text == MARKER:
            raise EngineError("CTranslate2 failed on cpu: out of memory")
        return pieces(self, text)

    monkeypatch.setattr(ArgosEngine, "_pieces", breaking)
    results, sizes, _ = translate(tmp_path / "broken", marker=True)
    failed = [(r.article.slug, str(r.error)) for r in results if isinstance(r, Failure)]
    assert failed == [("d", "CTranslate2 failed on cpu: out of memory")]
    assert not (tmp_path / "broken" / "d" / "en.po").exists()
    for name in NAMES:
        if name != "d":
            assert (tmp_path / "broken" / name / "en.po").read_bytes() == \
                (tmp_path / "clean" / name / "en.po").read_bytes()
