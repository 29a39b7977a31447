"""What the CLI prints is the user's text, literally: no markup, no terminal control sequences."""

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.cli.common import printable

# Names that rich would read as markup, and names that would act on a terminal.
MARKUP_NAMES = ["d[/b].txt", "[red]x.txt", "[bold]loud[/bold].txt", "x[/]y.txt", "[link=http://e.vil]a.txt",
                ":smile: [i].txt"]
CONTROL_NAMES = {"esc-colour": "\x1b[31mred.txt", "esc-title": "t\x1b]0;pwned\x07.txt", "bell": "a\x07.txt",
                 "c1-csi": "b\x9b31m.txt", "rtl-override": "invoice\u202etxt.exe.txt", "del": "c\x7f.txt"}


def invoke(*args):
    # Wide enough that rich's tables do not wrap a cell.
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "400"})


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_a_file_name_that_looks_like_markup_prints_literally(tmp_path, name):
    missing = invoke("translate", tmp_path / name)
    assert missing.exit_code == 2
    assert missing.stderr.strip().splitlines() == [f"error: {tmp_path / name}: no such file or directory"]

    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)  # d[/b].txt is b].txt in a folder d[
    (tmp_path / name).write_text("創新。\n", encoding="utf-8")
    done = invoke("translate", tmp_path / name, "--engine", "dictionary")
    assert done.exit_code == 0, done.output
    assert "1 segments = 1 drafted" in done.stderr


@pytest.mark.parametrize("name", CONTROL_NAMES.values(), ids=CONTROL_NAMES.keys())
def test_control_characters_in_a_file_name_never_reach_the_terminal(tmp_path, name):
    result = invoke("translate", tmp_path / name)
    assert result.exit_code == 2
    shown = result.stderr.strip()
    assert len(shown.splitlines()) == 1
    assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e\x7f")
    assert shown == f"error: {printable(tmp_path / name)}: no such file or directory"
    assert "\\x1b" in shown or "\\x07" in shown or "\\x9b" in shown or "\\u202e" in shown or "\\x7f" in shown


def test_a_catalog_line_that_looks_like_markup_is_quoted_literally(article_dir):
    (article_dir / "en.po").write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n[/note] [red]x\n', encoding="utf-8")
    result = invoke("translate", article_dir, "--engine", "dictionary")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "[/note] [red]x" in lines[0] and lines[0].startswith(f"error: {article_dir}/en.po:5:")


def reviewed_article(tmp_path, row: str, english: str):
    """An article of one sentence, 創新。, translated with a one-term glossary and approved as ``english``."""
    glossary = tmp_path / "g.tsv"
    glossary.write_text("# scope: national\nterm\tvariants\tenglish\tavoid\tkind\tnote\tsource\n" + row + "\n", encoding="utf-8")
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "source.zh.txt").write_text("創新。\n", encoding="utf-8")
    assert invoke("translate", folder, "--engine", "dictionary", "--glossary", glossary).exit_code == 0
    catalog = polib.pofile(str(folder / "en.po"))
    catalog[0].msgstr, catalog[0].flags = english, []
    catalog.save(str(folder / "en.po"))
    return folder, glossary


def test_a_rendering_that_looks_like_markup_shows_in_check_find_and_lint(tmp_path):
    folder, glossary = reviewed_article(
        tmp_path, "創新\t\tstrive [/i]\t[b]bold[/b]\tword\tA [red]note[/red].\tzhen editorial rendering",
        "Innovate [b]bold[/b].")

    checked = invoke("check", folder, "--glossary", glossary)
    assert checked.exit_code == 1
    assert "missing required rendering \"strive [/i]\"" in checked.stdout

    found = invoke("glossary", "find", "創新", "--glossary", glossary)
    assert found.stdout.splitlines()[:3] == ["1:0-2\t創新\tstrive [/i]", "  term:    創新", "  english: strive [/i]"]
    assert "  avoid:   [b]bold[/b]" in found.stdout.splitlines() and "  note:    A [red]note[/red]." in found.stdout

    glossary.write_text(glossary.read_text(encoding="utf-8") + "創新\t\t[red]other[/red]\t\tword\tn\tzhen editorial rendering\n",
                        encoding="utf-8")
    linted = invoke("glossary", "lint", "--glossary", glossary)
    assert linted.exit_code == 1 and "'[red]other[/red]'" in linted.stdout and "'strive [/i]'" in linted.stdout
    assert linted.stderr.strip() == "error: 1 problem(s) in the glossary"


def test_a_warning_that_looks_like_markup_prints_literally(tmp_path, monkeypatch):
    packages = tmp_path / "[bold]pkgs"
    broken = packages / "x[red]"
    broken.mkdir(parents=True)
    (broken / "metadata.json").write_text("null", encoding="utf-8")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    result = invoke("model", "list")
    assert result.exit_code == 0
    assert f"warning: {broken}: skipped this package" in result.stderr


def test_term_candidates_that_look_like_markup_print_literally(tmp_path):
    source = tmp_path / "d[" / "b].txt"  # the file d[/b].txt, as MARKUP_NAMES has it
    source.parent.mkdir()
    source.write_text("天津開展“[red]創先爭優[/red]”活動。\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    result = invoke("terms", "suggest", source, "--glossary", tmp_path / "empty")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("quoted"))
    assert row.split() == ["quoted", "1", "[red]創先爭優[/red]", f"{source}:1", "天津開展“[red]創先爭優[/red]”活動。"]


@pytest.mark.parametrize("name", ["q[/b]", "r[red]"])
def test_a_catalog_path_that_looks_like_markup_titles_the_check_table_literally(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir(parents=True)
    (folder / "source.zh.txt").write_text("全市共有480人。\n", encoding="utf-8")
    assert invoke("translate", folder, "--engine", "dictionary").exit_code == 0
    catalog = polib.pofile(str(folder / "en.po"))
    catalog[0].msgstr, catalog[0].flags = "There are 48 people in the city.", []  # a finding: a table
    catalog.save(str(folder / "en.po"))
    result = invoke("check", folder)
    assert result.exit_code == 1, result.output
    title = result.stdout[:result.stdout.index("source")]  # wrapped to the width of the table
    assert "".join(title.split()) == f"QAfindingsin{folder / 'en.po'}"


def test_a_clean_check_prints_the_count_without_an_empty_table(tmp_path):
    folder, glossary = reviewed_article(
        tmp_path, "創新\t\tinnovation\t\tword\tNew ideas.\tzhen editorial rendering", "Innovation.")
    checked = invoke("check", folder, "--glossary", glossary)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.strip().splitlines() == ["1 catalog(s): 0 error(s), 0 warning(s)"]
