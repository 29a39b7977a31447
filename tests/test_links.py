"""Links that lead a run out of its folders are refused unless --follow-symlinks."""

import os

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import GLOSSARY_DIR

SECRET = "機密文件內容。\n"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """translations/a (an article), translations/b (another), outside/ (not zhen's)."""
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        (tmp_path / "translations" / name).mkdir(parents=True)
        (tmp_path / "translations" / name / "source.zh.txt").write_text(f"文章{name}。\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside" / "victim").write_text("precious\n", encoding="utf-8")
    return tmp_path


def translate(*args):
    return invoke("translate", *args, "--engine", "dictionary", "--glossary", GLOSSARY_DIR)


def link(at, to):
    at.unlink(missing_ok=True)
    os.symlink(to, at)


# (what to link, where to: "secret" | "victim" | a path relative to the article folder)
ESCAPES = {
    "source-to-outside": ("source.zh.txt", "secret"),
    "source-to-absolute-etc": ("source.zh.txt", "/etc/hostname"),
    "catalog-to-outside": ("en.po", "victim"),
    "page-to-outside": ("en.html", "victim"),
    "text-to-outside": ("en.txt", "victim"),
    "backup-to-outside": ("en.po~", "victim"),
    "state-to-outside": (".zhen.state", "victim"),
    "lock-to-outside": (".zhen.lock", "victim"),
    "page-to-another-article": ("en.html", "../b/en.html"),
}


@pytest.mark.parametrize("name", ESCAPES)
def test_a_link_out_of_the_article_is_refused_and_nothing_is_written(tree, name):
    what, to = ESCAPES[name]
    article = tree / "translations" / "a"
    target = {"secret": tree / "outside" / "secret.txt", "victim": tree / "outside" / "victim"}.get(to, to)
    link(article / what, target)
    result = translate(article)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {article / what}: is a link to ")
    assert "--follow-symlinks" in lines[0]
    assert (tree / "outside" / "victim").read_text(encoding="utf-8") == "precious\n"
    assert not (article / "en.po").is_file() or what == "en.po"
    assert not (tree / "translations" / "b" / "en.html").exists()


def test_a_source_linking_outside_is_used_only_with_follow_symlinks(tree):
    article = tree / "translations" / "a"
    link(article / "source.zh.txt", tree / "outside" / "secret.txt")
    assert translate(article).exit_code == 2
    assert translate().exit_code == 2  # found by walking translations/: refused as well
    followed = translate(article, "--follow-symlinks")
    assert followed.exit_code == 0, followed.output
    assert "機密文件內容" in (article / "en.po").read_text(encoding="utf-8")


def test_a_loose_file_linking_outside_is_refused(tree):
    loose = tree / "translations" / "loose.txt"
    link(loose, tree / "outside" / "secret.txt")
    result = translate(loose)
    assert result.exit_code == 2 and f"{loose}: is a link to" in result.stderr


def test_links_that_stay_inside_are_followed(tree):
    a, b = tree / "translations" / "a", tree / "translations" / "b"
    (a / "drafts").mkdir()
    link(a / "source.zh.txt", "../b/source.zh.txt")  # another article's source: inside the root
    link(a / "en.txt", "drafts/english.txt")  # an output inside its own folder: written through the link
    result = translate(a)
    assert result.exit_code == 0, result.output
    assert "文章b" in (a / "en.po").read_text(encoding="utf-8")
    assert (a / "en.txt").is_symlink() and (a / "drafts" / "english.txt").read_text(encoding="utf-8").strip()
    assert not (b / "en.po").exists()


@pytest.mark.parametrize("command", [("glossary", "lint"), ("glossary", "find", "創新"), ("translate", "ARTICLE")])
def test_a_glossary_file_linking_outside_its_folder_is_refused(tree, command):
    glossary = tree / "glossary"
    glossary.mkdir()
    (glossary / "main.tsv").write_bytes((GLOSSARY_DIR / "tianjin.tsv").read_bytes())
    link(glossary / "extra.tsv", tree / "outside" / "secret.txt")
    args = [tree / "translations" / "a" if a == "ARTICLE" else a for a in command]
    result = invoke(*args, "--glossary", glossary)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: {glossary / 'extra.tsv'}: is a link to ")
    assert not (tree / "translations" / "a" / "en.po").exists()

    (glossary / "extra.tsv").unlink()
    (glossary / "shared").mkdir()
    (glossary / "shared" / "more.tsv").write_text("# scope: national\nterm\tvariants\tenglish\tavoid\tkind\tnote\tsource\n",
                                                  encoding="utf-8")
    link(glossary / "extra.tsv", "shared/more.tsv")  # inside the folder: fine
    assert invoke(*args, "--glossary", glossary).exit_code == 0
