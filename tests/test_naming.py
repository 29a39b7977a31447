"""Article folders for loose files, and file names in catalogs.

A folder's name is readable (Chinese stays), safe in a path and on a command
line, stable, and different for different files; a source is never merged into
a folder that belongs to another source. Any file name the file system allows
gives a catalog that zhen, polib and msgfmt read back.
"""

import os
import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.workspace import naming
from pipeline.catalog import po
from pipeline.workspace.articles import resolve
from pipeline.engines.registry import EngineProvider
from pipeline.glossary.table import Glossary
from pipeline.run import translate_article
from tests.conftest import NOW
from tests.test_cli import invoke, snapshot

# Anything a Linux file name may hold: no "/", no NUL, at most 255 bytes.
file_names = st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=40).filter(
    lambda n: n not in (".", "..") and len(n.encode("utf-8")) <= 255)
# Names like the ones newsrooms use, so that collisions between similar names are tried.
newsroom_names = st.builds(lambda stem, ext: stem + ext,
                           st.text(st.sampled_from(list("天津北京日报ab. -_1")), min_size=1, max_size=8),
                           st.sampled_from([".txt", ".TXT", ".md", "", ".one.txt", ".txt.txt"]))
HATED = set(" \t\n\r/\\:*?\"'`<>|$!&;()[]{}#~")


@pytest.mark.parametrize("name, folder", [
    ("天津.txt", "天津"), ("北京.txt", "北京"), ("a.one.txt", "a.one"), ("a.two.txt", "a.two"),
    ("《人民日報》社論.txt", "《人民日報》社論"), ("2026-11-25 天津.txt", None), ("a\u2028b.txt", None),
])
def test_folder_names_are_the_file_names_where_they_can_be(name, folder):
    got = naming.article_folder(name)
    if folder is not None:
        assert got == folder
    else:  # cleaned, then kept apart by a hash of the original name
        assert got.startswith(naming.readable(name[:-4]) + "-") and len(got) == len(naming.readable(name[:-4])) + 9


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(file_names, newsroom_names), min_size=2, max_size=6, unique=True))
def test_folder_names_are_safe_stable_and_distinct(names):
    folders = [naming.article_folder(n) for n in names]
    assert len(set(folders)) == len(folders), dict(zip(names, folders))
    for name, folder in zip(names, folders):
        assert folder != name, "a source's folder may not take the source's own name"
        assert folder == naming.article_folder(name)
        assert folder and not folder.startswith(("-", ".")) and not HATED & set(folder), folder
        assert not any(unicodedata.category(c)[0] in "CZ" for c in folder), folder
        assert len(folder.encode("utf-8")) <= 255


def test_the_hash_does_not_depend_on_the_interpreter(tmp_path):
    # Stable across runs: Python's own str hash is salted per process.
    code = "from pipeline.workspace.naming import article_folder; print(article_folder('a b.txt'))"
    runs = {subprocess.run(["python", "-c", code], capture_output=True, text=True, cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(os.getcwd()), "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert runs == {naming.article_folder("a b.txt") + "\n"}


def test_chinese_and_dotted_names_get_their_own_folders(tmp_path):
    """The reported loss: 天津.txt and 北京.txt (and a.one.txt, a.two.txt) shared one folder."""
    texts = {"天津.txt": "天津新聞。\n", "北京.txt": "北京新聞。\n", "a.one.txt": "第一篇。\n", "a.two.txt": "第二篇。\n"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name in texts:
        assert invoke("translate", tmp_path / name, "--engine", "dictionary").exit_code == 0
    for name, text in texts.items():
        catalog = po.read_catalog(tmp_path / name[:-4] / "en.po")
        assert [e.msgid for e in catalog if not e.obsolete] == [text.strip()]
        assert not any(e.obsolete for e in catalog)


def test_a_second_source_is_never_merged_into_anothers_folder(tmp_path):
    for name in ("天津.txt", "北京.txt"):
        (tmp_path / name).write_text(name[:2] + "新聞。\n", encoding="utf-8")
    folder = tmp_path / "shared"
    assert invoke("translate", tmp_path / "天津.txt", "-o", folder, "--engine", "dictionary").exit_code == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = invoke("translate", tmp_path / "北京.txt", "-o", folder, "--engine", "dictionary")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {folder / 'en.po'}: belongs to {tmp_path / '天津.txt'}, not to {tmp_path / '北京.txt'}: "
        "translate 北京.txt into a folder of its own (-o DIR)"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # The record travels with the folder: moving both keeps them together.
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.move(tmp_path / "天津.txt", moved / "天津.txt")
    shutil.move(folder, moved / "shared")
    assert invoke("translate", moved / "天津.txt", "-o", moved / "shared", "--engine", "dictionary").exit_code == 0


def test_a_catalog_without_the_record_is_judged_by_its_references(tmp_path):
    """Catalogs written before folders recorded their source still stop a second source."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("新聞。\n" if name == "a.txt" else "別的。\n", encoding="utf-8")
    folder = tmp_path / "out"
    assert invoke("translate", tmp_path / "a.txt", "-o", folder, "--engine", "dictionary").exit_code == 0
    catalog = folder / "en.po"
    # No record, and an entry another tool added first, with a reference of its own.
    catalog.write_text("".join(line for line in catalog.read_text(encoding="utf-8").splitlines(keepends=True)
                               if "X-Zhen-Source" not in line).replace(
        "\n\n", '\n\n#: b.txt:1\nmsgctxt "menu"\nmsgid "x"\nmsgstr "y"\n\n', 1), encoding="utf-8")
    result = invoke("translate", tmp_path / "b.txt", "-o", folder, "--engine", "dictionary")
    assert result.exit_code == 2 and f"belongs to {tmp_path / 'a.txt'}" in result.stderr


def test_a_file_in_the_way_of_the_folder_is_one_line(tmp_path):
    (tmp_path / "0").write_text("not a folder", encoding="utf-8")
    (tmp_path / "0.txt").write_text("新聞。\n", encoding="utf-8")
    result = invoke("translate", tmp_path / "0.txt", "--engine", "dictionary")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / '0'}: is a file, not an article folder"]
    assert (tmp_path / "0").read_text(encoding="utf-8") == "not a folder"


def test_a_renamed_source_keeps_its_folder(article_dir):
    assert invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0
    (article_dir / "source.zh.txt").rename(article_dir / "source.txt")
    assert invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0
    assert po.read_catalog(article_dir / "en.po").metadata[naming_field()] == "source.txt"


def naming_field():
    from pipeline.workspace.ownership import FIELD

    return FIELD


ODD_NAMES = ["a\u2028b.txt", "a\u2029b.txt", "a\nb.txt", "a\rb.txt", "a\x85b.txt", "a\x0cb.txt", "tab\there.txt",
             "天津\u3000日報.txt", "a b.txt", "d[b].txt", "a:1.txt", "\u202eevil.txt", "\x1b[31mred.txt",
             os.fsdecode(b"\xb1\xb1\xbe\xa9.txt")]  # GBK bytes: not UTF-8


@pytest.mark.parametrize("name", ODD_NAMES)
def test_any_file_name_gives_a_catalog_that_reads_back(tmp_path, name):
    """First run exit 0, then every later run too, and a re-run writes no byte."""
    source = tmp_path / name
    source.write_text("標題\n正文一句。\n", encoding="utf-8")
    for _ in range(2):
        result = invoke("translate", source, "--engine", "dictionary")
        assert result.exit_code == 0, result.output
    folder = tmp_path / naming.article_folder(name)
    catalog = folder / "en.po"
    before = snapshot(folder)
    assert invoke("translate", source, "--engine", "dictionary", "--force").exit_code == 0
    assert snapshot(folder) == before
    assert [e.msgid for e in po.read_catalog(catalog)] == ["標題", "正文一句。"]


@pytest.mark.gettext
@pytest.mark.parametrize("name", ODD_NAMES)
def test_msgfmt_accepts_the_catalog_of_any_file_name(tmp_path, name):
    source = tmp_path / name
    source.write_text("標題\n正文一句。\n", encoding="utf-8")
    assert invoke("translate", source, "--engine", "dictionary").exit_code == 0
    catalog = tmp_path / naming.article_folder(name) / "en.po"
    proc = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(catalog)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


ENGINE = None


def _engine():
    global ENGINE
    if ENGINE is None:
        glossary = Glossary([])
        ENGINE = EngineProvider("dictionary", glossary)
    return ENGINE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(name=file_names)
def test_any_file_name_round_trips_through_the_library(tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("n")
    source = folder / name
    try:
        source.write_text("新聞一句。\n", encoding="utf-8")
    except OSError:
        assume(False)  # a name this file system refuses
    provider = _engine()
    for _ in range(2):
        translate_article(resolve(source), glossary=provider.glossary, engines=provider, now=NOW)
    article = resolve(source)
    assert article.folder.parent == folder and article.folder.name == naming.article_folder(name)
    text = article.catalog.read_bytes()
    translate_article(article, glossary=provider.glossary, engines=provider, now=NOW)
    assert article.catalog.read_bytes() == text
    assert [e.msgid for e in po.read_catalog(article.catalog)] == ["新聞一句。"]
