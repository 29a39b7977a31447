"""Translating many articles: the up-to-date skip and the per-article error policy (pipeline/batch.py)."""

import shutil

import pytest

from pipeline.articles import resolve
from pipeline.batch import Failure, translate_all
from pipeline.engines import EngineProvider
from pipeline.errors import GlossaryError, SourceError
from pipeline.glossary import glossary_files
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
