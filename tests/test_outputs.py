"""No output path is ever a file zhen reads: sources, catalogs an export reads, glossary files.

Every case runs the real command and checks the one-line refusal, exit status 2,
and that not one byte of any file changed (by path, through a symlink, or
through a hard link).
"""

import os
import shutil

import pytest

from tests.conftest import GLOSSARY_DIR, SAMPLE
from tests.test_cli import invoke


def tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and not p.is_symlink()}


def _source_named(name):
    def setup(root):
        (root / "x").mkdir()
        shutil.copy(SAMPLE, root / "x" / name)
        return ["translate", root / "x" / name, "-o", root / "x"], root / "x" / name
    return setup


def _through_symlink(root):
    (root / "x").mkdir()
    shutil.copy(SAMPLE, root / "x" / "en.txt")
    (root / "link").symlink_to(root / "x")
    return ["translate", root / "x" / "en.txt", "-o", root / "link"], root / "x" / "en.txt"


def _hard_link(root):
    (root / "x").mkdir()
    (root / "out").mkdir()
    shutil.copy(SAMPLE, root / "x" / "story.txt")
    os.link(root / "x" / "story.txt", root / "out" / "en.html")
    return ["translate", root / "x" / "story.txt", "-o", root / "out"], root / "x" / "story.txt"


def _another_articles_source(root):
    # Two articles in one run: x/en.txt (its own article, x/en/) and the folder x, whose en.txt it is.
    (root / "x").mkdir()
    shutil.copy(SAMPLE, root / "x" / "source.zh.txt")
    shutil.copy(SAMPLE, root / "x" / "en.txt")
    return ["translate", root / "x" / "en.txt", root / "x"], root / "x" / "en.txt"


def _translated(root):
    (root / "a").mkdir()
    shutil.copy(SAMPLE, root / "a" / "source.zh.txt")
    assert invoke("translate", root / "a", "--engine", "dictionary").exit_code == 0
    return root / "a"


def _export_over(target, *command):
    def setup(root):
        folder = _translated(root)
        return [*command, folder, "-o", folder / target], folder / target
    return setup


def _glossary_export(root):
    shutil.copytree(GLOSSARY_DIR, root / "g")
    return (["glossary", "export", "--format", "tsv", "--glossary", root / "g", "-o", root / "g" / "tianjin.tsv"],
            root / "g" / "tianjin.tsv")


def _two_articles_one_export(root):
    for parent in ("2025", "2026"):
        (root / parent / "a").mkdir(parents=True)
        shutil.copy(SAMPLE, root / parent / "a" / "source.zh.txt")
        assert invoke("translate", root / parent / "a", "--engine", "dictionary").exit_code == 0
    return ["export", "text", root / "2025" / "a", root / "2026" / "a", "-o", root / "out"], root / "out" / "a.en.txt"


CASES = {
    "text over source": _source_named("en.txt"),
    "page over source": _source_named("en.html"),
    "catalog over source": _source_named("en.po"),
    "backup over source": _source_named("en.po~"),
    "state over source": _source_named(".zhen.state"),
    "through a symlinked folder": _through_symlink,
    "through a hard link": _hard_link,
    "over another article's source": _another_articles_source,
    "export text over the source": _export_over("source.zh.txt", "export", "text"),
    "export text over the catalog": _export_over("en.po", "export", "text"),
    "export tmx over the catalog": _export_over("en.po", "export", "tmx"),
    "export tmx over the source": _export_over("source.zh.txt", "export", "tmx"),
    "glossary export over the glossary": _glossary_export,
    "two articles, one export file": _two_articles_one_export,
}


@pytest.mark.parametrize("case", CASES)
def test_no_output_is_ever_written_over_an_input(tmp_path, case):
    command, victim = CASES[case](tmp_path)
    before = tree(tmp_path)
    result = invoke(*command, *(["--engine", "dictionary"] if command[0] == "translate" else []))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(victim) in lines[0] or str(victim.name) in lines[0], lines[0]
    assert tree(tmp_path) == before
