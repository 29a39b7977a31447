"""What `zhen translate` refuses because it is not an article, and the loose text files it reports."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import GLOSSARY_DIR, SAMPLE


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project with the shipped glossary and one translated article."""
    shutil.copytree(GLOSSARY_DIR, tmp_path / "glossary")
    article = tmp_path / "translations" / "tianjin"
    article.mkdir(parents=True)
    shutil.copy(SAMPLE, article / "source.zh.txt")
    monkeypatch.chdir(tmp_path)
    done = cli("translate", "--engine", "dictionary")
    assert done.exit_code == 0, done.output
    return tmp_path


@pytest.mark.parametrize("name, content, says", [
    ("translations/tianjin/en.po", None, "is a gettext catalog, not an article: open it in Poedit, or run "
                                         "`zhen translate translations/tianjin`"),
    ("messages.pot", 'msgid ""\nmsgstr ""\n', "is a gettext catalog template, not an article"),
    ("translations/tianjin/en.mo", b"\xde\x12\x04\x95\0\0\0\0", "is a compiled catalog (Poedit writes it on save), "
                                                               "not an article: run `zhen translate translations/tianjin`"),
    ("translations/tianjin/en.html", None, "is a page, not an article: `zhen html translations/tianjin` rebuilds"),
    ("memory.tmx", '<?xml version="1.0"?><tmx version="1.4"></tmx>\n', "is a translation memory, not an article: "
                                                                       "run `zhen tm import memory.tmx`"),
    ("terms.TBX", "<martif></martif>\n", "is a glossary, not an article: run `zhen glossary import terms.TBX "
                                         "-o glossary/NAME.tsv`"),
    ("pairs.tsv", "天津\tTianjin\n", "is a table, not an article: check a glossary with "
                                     "`zhen glossary lint --glossary pairs.tsv`, or score a test set with "
                                     "`zhen eval --set pairs.tsv`"),
    ("english.txt", "The Tianjin municipal party committee held a meeting on Monday.\n",
     "is not Chinese text (0 of 53 letters are Chinese): zhen translates Chinese articles; "
     "`zhen segment english.txt` shows what it read"),
    ("mostly-english.txt", "Tianjin 天津 held a plenary meeting of the party committee on Monday.\n",
     "is not Chinese text (2 of 55 letters are Chinese)"),
])
def test_what_is_not_an_article_is_refused_with_what_to_run_instead(project, name, content, says):
    path = Path(name)
    if content is not None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = tree(project)
    result = cli("translate", path, "--engine", "dictionary")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {path}: ")
    assert says in result.stderr
    assert tree(project) == before  # nothing written: no folder for it, no catalog touched


def test_a_chinese_article_with_latin_names_and_figures_is_still_translated(project):
    Path("mixed.txt").write_text("天津市委召開全會，GDP增長12.5%，WTO代表和APEC官員出席了會議。\n", encoding="utf-8")
    result = cli("translate", "mixed.txt", "--engine", "dictionary")
    assert result.exit_code == 0, result.output


def test_an_article_folder_whose_source_is_not_chinese_is_refused(project):
    folder = Path("translations/english")
    folder.mkdir()
    (folder / "source.zh.txt").write_text("Nothing here is Chinese at all.\n", encoding="utf-8")
    result = cli("translate", folder, "--engine", "dictionary")
    assert result.exit_code == 2 and "is not Chinese text" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["source.zh.txt"]


def test_a_loose_text_under_translations_is_reported_with_the_command_that_makes_it_an_article(project):
    loose = Path("translations/binhai.txt")
    loose.write_text("濱海新區召開工作會議。\n", encoding="utf-8")
    folder = Path("translations/binhai")
    fix = f"`mkdir {folder} && mv {loose} {folder / 'source.zh.txt'}`"
    for args in (["translate", "--engine", "dictionary"], ["status"]):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        assert f"warning: {loose}: a text file directly under translations is not an article" in result.stderr
        assert fix in result.stderr.replace("\n", " ")
    assert not folder.exists()
    # Following the advice makes it an article that the next run translates, and the warning goes.
    folder.mkdir()
    os.rename(loose, folder / "source.zh.txt")
    result = cli("translate", "--engine", "dictionary", "--json")
    assert result.exit_code == 0 and "binhai" in result.stdout and "not an article" not in result.stderr
    assert (folder / "en.po").is_file()


def test_a_loose_text_translated_by_name_is_reported_with_where_its_translation_is(project):
    loose = Path("translations/binhai.txt")
    loose.write_text("濱海新區召開工作會議。\n", encoding="utf-8")
    named = cli("translate", loose, "--engine", "dictionary")
    assert named.exit_code == 0 and "not an article" not in named.stderr  # the run names it: no warning
    result = cli("translate", "--engine", "dictionary")
    assert "its translation in translations/binhai is updated only by `zhen translate translations/binhai.txt`" \
        in result.stderr.replace("\n", " ")
