"""check, status, export and html see every catalog they are pointed at, and zhen
finds its project from any folder inside it."""

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.workspace.articles import resolve
from pipeline.cli import main
from tests.conftest import GLOSSARY_DIR, SAMPLE
from tests.test_cli import invoke

BAD = "More than 48 officials 幹部 were sent to key projects."


def spoil(catalog_path):
    """A reviewer approves an altered figure with Chinese left in the English."""
    catalog = polib.pofile(str(catalog_path))
    entry = next(e for e in catalog if "480多名" in e.msgid)
    entry.msgstr, entry.flags = BAD, []
    catalog.save(str(catalog_path))


def loose(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "x.txt")
    assert invoke("translate", tmp_path / "x.txt", "--engine", "dictionary").exit_code == 0
    spoil(tmp_path / "x" / "en.po")


def output_folder(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "x.txt")
    assert invoke("translate", tmp_path / "x.txt", "-o", tmp_path / "out", "--engine", "dictionary").exit_code == 0
    (tmp_path / "x.txt").unlink()  # the source may be anywhere; the catalog is enough
    spoil(tmp_path / "out" / "en.po")


def article(tmp_path):
    (tmp_path / "a").mkdir()
    shutil.copy(SAMPLE, tmp_path / "a" / "source.zh.txt")
    assert invoke("translate", tmp_path / "a", "--engine", "dictionary").exit_code == 0
    spoil(tmp_path / "a" / "en.po")


# (how the work was made, the path given, the article's name, where its catalog is)
PATHS = [
    (loose, "x", "x", "x/en.po"),  # the folder `translate x.txt` creates: no source inside
    (loose, "x/en.po", "x", "x/en.po"),  # a catalog file
    (loose, "x.txt", "x", "x/en.po"),  # the loose source itself
    (loose, ".", "x", "x/en.po"),  # a folder of articles
    (output_folder, "out", "out", "out/en.po"),  # the output of -o, its source gone
    (output_folder, "out/en.po", "out", "out/en.po"),
    (article, "a", "a", "a/en.po"),  # an article folder with its source
    (article, "a/en.po", "a", "a/en.po"),
    (article, ".", "a", "a/en.po"),
]
IDS = ["loose-folder", "loose-catalog", "loose-source", "folder-of-articles", "output", "output-catalog",
       "article", "article-catalog", "articles"]


@pytest.mark.parametrize("make, given, slug, catalog", PATHS, ids=IDS)
def test_check_sees_the_catalog(tmp_path, make, given, slug, catalog):
    make(tmp_path)
    result = invoke("check", tmp_path / given, "--json")
    assert result.exit_code == 1, result.output
    found = [json.loads(line) for line in result.stdout.splitlines()]
    assert {f["catalog"] for f in found} == {str(tmp_path / catalog)}
    errors = {(f["check"], f["subject"]) for f in found if f["severity"] == "error"}
    assert ("numbers", "480多") in errors and ("leftovers", "幹部") in errors


@pytest.mark.parametrize("make, given, slug, catalog", PATHS, ids=IDS)
def test_status_sees_the_catalog_and_counts_like_check(tmp_path, make, given, slug, catalog):
    make(tmp_path)
    rows = [json.loads(line) for line in invoke("status", tmp_path / given, "--json").stdout.splitlines()]
    assert [(r["article"], r["catalog"], r["segments"], r["reviewed"]) for r in rows] == [
        (slug, str(tmp_path / catalog), 45, 1)]
    # Status counts QA findings; the review state has its own columns.
    found = [json.loads(line) for line in invoke("check", tmp_path / given, "--json", "--drafts").stdout.splitlines()]
    assert rows[0]["errors"] == sum(f["severity"] == "error" for f in found) >= 2
    assert rows[0]["warnings"] == sum(f["severity"] == "warning" for f in found)


@pytest.mark.parametrize("make, given, slug, catalog", PATHS, ids=IDS)
def test_html_and_export_read_what_translate_wrote(tmp_path, make, given, slug, catalog):
    make(tmp_path)
    folder = (tmp_path / catalog).parent
    written = {name: (folder / name).read_bytes() for name in ("en.txt", "en.html")}
    for name in written:
        (folder / name).unlink()
    assert invoke("html", tmp_path / given).exit_code == 0
    assert BAD.encode() in (folder / "en.txt").read_bytes()
    # Rebuilt from the catalog alone where the source is gone: the same page, the spoiled line aside.
    text = (folder / "en.txt").read_text(encoding="utf-8")
    exported = invoke("export", "text", tmp_path / given)
    assert exported.exit_code == 0 and exported.stdout == text
    assert len(text.split("\n\n")) == len(written["en.txt"].decode().split("\n\n"))
    page = (folder / "en.html").read_text(encoding="utf-8")
    assert page.count('<tr id="s') == 45


def test_pages_rebuilt_from_the_catalog_alone_are_the_bytes_translate_wrote(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "x.txt")
    invoke("translate", tmp_path / "x.txt", "-o", tmp_path / "out", "--engine", "dictionary")
    written = {name: (tmp_path / "out" / name).read_bytes() for name in ("en.txt", "en.html")}
    (tmp_path / "x.txt").unlink()
    for name in written:
        (tmp_path / "out" / name).unlink()
    assert invoke("html", tmp_path / "out").exit_code == 0
    assert {name: (tmp_path / "out" / name).read_bytes() for name in written} == written


@pytest.mark.parametrize("command", [("check",), ("status",), ("html",), ("export", "text"), ("export", "tmx")])
def test_a_path_without_a_catalog_is_an_error(tmp_path, command):
    (tmp_path / "empty").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "source.zh.txt").write_text("創新。\n", encoding="utf-8")
    for path in (tmp_path / "empty", tmp_path / "new", tmp_path / "new" / "source.zh.txt"):
        result = invoke(*command, path)
        assert result.exit_code == 2, (command, path, result.output)
        assert f"nothing to check in {path}" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def status_at(width, path):
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(main, ["status", str(path)])
    assert "…" not in result.stdout and all(len(line.rstrip()) <= width for line in result.stdout.splitlines())
    return result.stdout


def test_status_shows_errors_and_warnings_apart_and_fits_80_columns(tmp_path):
    article(tmp_path)
    slug = "tianjin-chuangxian-zhengyou-article"
    (tmp_path / "a").rename(tmp_path / slug)
    # 480多 altered, 幹部 left in, five glossary terms dropped; and that line is short.
    wide = status_at(200, tmp_path / slug).splitlines()
    header = next(i for i, line in enumerate(wide) if "untranslated" in line)
    assert wide[header].split()[:8] == ["article", "segments", "reviewed", "drafts", "untranslated", "errors",
                                       "warnings", "reviewed"]
    assert wide[header + 1].split()[:8] == [slug, "45", "1", "44", "0", "7", "1", "2%"]
    # Too narrow for one word per column: one record per article, every value whole.
    narrow = " ".join(status_at(80, tmp_path / slug).split())
    assert f"{slug} segments 45 · reviewed 1 · drafts 44 · untranslated 0 · errors 7 · warnings 1 · % reviewed 2%" \
        in narrow


def test_check_table_wraps_in_80_columns(tmp_path):
    loose(tmp_path)
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["check", str(tmp_path / "x")])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "…" not in result.stdout and all(len(line.rstrip()) <= 80 for line in lines)
    assert any(line.split()[:2] == ["source", "entry"] and line.split()[-1:] == ["message"] for line in lines)
    words = " ".join(result.stdout.split())
    assert "figure 480多 (480) is missing or" in words and "missing required" in words


def project(tmp_path, marker="glossary"):
    root = tmp_path / "proj"
    (root / "translations" / "desk").mkdir(parents=True)
    if marker == "glossary":
        shutil.copytree(GLOSSARY_DIR, root / "glossary")
    else:
        (root / "zhen.toml").write_text("[argos]\nbeam_size = 4\n", encoding="utf-8")
        shutil.copytree(GLOSSARY_DIR, root / "glossary")
        (root / "translations").rename(root / "articles")
        (root / "articles" / "desk").mkdir(parents=True, exist_ok=True)
    return root


@pytest.mark.parametrize("marker", ["glossary", "zhen.toml"])
def test_commands_work_from_any_folder_inside_the_project(tmp_path, monkeypatch, marker):
    root = project(tmp_path, marker)
    desk = next(root.glob("*/desk"))
    shutil.copy(SAMPLE, desk / "a.txt")
    monkeypatch.chdir(desk)
    assert invoke("translate", "a.txt", "--engine", "dictionary").exit_code == 0
    assert (desk / "a" / "en.po").is_file()
    assert invoke("check", "a", "--drafts").exit_code == 0
    assert invoke("glossary", "lint").exit_code == 0


def test_the_project_of_the_path_given_is_used_from_outside(tmp_path, monkeypatch):
    root = project(tmp_path)
    shutil.copy(SAMPLE, root / "translations" / "desk" / "a.txt")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert invoke("translate", root / "translations" / "desk" / "a.txt", "--engine", "dictionary").exit_code == 0
    monkeypatch.chdir(root / "translations")
    rows = [json.loads(line) for line in invoke("status", "--json").stdout.splitlines()]
    assert [r["article"] for r in rows] == ["a"]


def test_outside_any_project_the_error_says_so(tmp_path, monkeypatch):
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    monkeypatch.chdir(tmp_path)
    result = invoke("translate", "a.txt", "--engine", "dictionary")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "not inside a zhen project" in result.stderr and "zhen.toml" in result.stderr
    assert str(tmp_path) in result.stderr and result.stderr.rstrip().endswith("or give --glossary)")
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("output", [None, "out"], ids=["loose", "output"])
def test_translate_runs_again_on_a_folder_it_wrote_from_the_source_its_catalog_records(tmp_path, runs, output):
    shutil.copy(SAMPLE, tmp_path / "x.txt")
    first = ["-o", tmp_path / output] if output else []
    assert invoke("translate", tmp_path / "x.txt", *first, "--engine", "dictionary").exit_code == 0
    folder = tmp_path / (output or "x")
    spoil(folder / "en.po")  # a reviewer's line, which no run may touch
    runs.clear()
    again = invoke("translate", folder, "--engine", "dictionary", "--json")
    assert again.exit_code == 0, again.output
    assert runs == [folder.name] and json.loads(again.stdout)["drafted"] == 0
    assert invoke("translate", folder, "--engine", "dictionary").exit_code == 0
    assert runs == [folder.name]  # nothing changed since: skipped
    # The source grows a sentence: the catalog gets it, the reviewed line stays.
    with open(tmp_path / "x.txt", "a", encoding="utf-8") as f:
        f.write("\n全市新建社區服務中心387個。\n")
    record = json.loads(invoke("translate", folder, "--engine", "dictionary", "--json").stdout)
    assert (record["segments"], record["drafted"], record["reviewed"]) == (46, 1, 1)
    catalog = polib.pofile(str(folder / "en.po"))
    assert catalog.metadata["X-Zhen-Source"] == "../x.txt"
    assert any(e.msgid == "全市新建社區服務中心387個。" for e in catalog)
    assert any(e.msgstr == BAD and not e.fuzzy for e in catalog)
    assert "387" in (folder / "en.txt").read_text(encoding="utf-8")


def test_translate_on_a_folder_whose_source_is_gone_says_what_to_do(tmp_path):
    output_folder(tmp_path)
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    result = invoke("translate", tmp_path / "out", "--engine", "dictionary")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'out'}: holds a catalog but no source, and {tmp_path / 'x.txt'}, the source it was "
        f"translated from, is gone; run `zhen translate SOURCE -o {tmp_path / 'out'}` to translate it again, or "
        f"`zhen html {tmp_path / 'out'}` to rebuild its pages from the catalog"]
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before


def test_a_catalog_naming_a_source_outside_its_project_is_not_followed(tmp_path):
    """A catalog brought from elsewhere must not make zhen read, and copy into it, a file nobody named."""
    root = project(tmp_path)
    secret = tmp_path / "home" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text("銀行密碼是一二三四。\n", encoding="utf-8")
    inside = root / "translations" / "desk" / "a.txt"
    shutil.copy(SAMPLE, inside)
    folder = root / "translations" / "out"
    assert invoke("translate", inside, "-o", folder, "--engine", "dictionary").exit_code == 0
    catalog = polib.pofile(str(folder / "en.po"))
    assert catalog.metadata["X-Zhen-Source"] == "../desk/a.txt"  # elsewhere in the project: followed
    assert invoke("translate", folder, "--engine", "dictionary").exit_code == 0

    catalog.metadata["X-Zhen-Source"] = "../../../home/notes.txt"
    catalog.save(str(folder / "en.po"))
    before = (folder / "en.po").read_bytes()
    result = invoke("translate", folder, "--engine", "dictionary")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert (f"its catalog names {secret}, which is not beside or in {folder} nor in {root / 'translations'}; "
            f"run `zhen translate SOURCE -o {folder}`") in result.stderr
    assert (folder / "en.po").read_bytes() == before


def test_glossary_find_on_a_file_uses_the_files_project(tmp_path, monkeypatch):
    root = project(tmp_path)
    (root / "glossary").joinpath("local.tsv").write_text(
        "term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n試點街\t\tPilot Street\t\tplace\tA street.\tzhen editorial rendering\n",
        encoding="utf-8")
    article = root / "translations" / "desk" / "a.txt"
    article.write_text("試點街開業。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # outside the project
    result = invoke("glossary", "find", article)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["1:0-3\t試點街\tPilot Street"]


SECRET = "這是秘密。API_KEY=hunter2\n"


def refused_without_a_write(folder, *args):
    """``translate folder`` stops with one line and leaves every file in the folder as it was."""
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = invoke("translate", folder, "--engine", "dictionary", *args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert "hunter2" not in result.output
    return result.stderr


def record(folder, source):
    catalog = polib.pofile(str(folder / "en.po"))
    catalog.metadata["X-Zhen-Source"] = source
    catalog.save(str(folder / "en.po"))


# A home folder, no project: a private file in a subfolder of the article folder's parent,
# below a sibling of it, above it, or named absolutely; only a file beside the folder is followed.
@pytest.mark.parametrize("where", [".ssh/notes.txt", "art2/notes.txt", "a/b/notes.txt", "../notes.txt", "ABS"])
def test_a_received_catalog_makes_translate_read_only_a_file_beside_its_folder(tmp_path, monkeypatch, where):
    home = tmp_path / "home"
    home.mkdir()
    secret = {"../notes.txt": tmp_path / "notes.txt", "ABS": tmp_path / "elsewhere" / "notes.txt"}.get(where,
                                                                                              home / where)
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(SECRET, encoding="utf-8")
    (home / "x.txt").write_text("天津新聞。\n", encoding="utf-8")
    monkeypatch.chdir(home)
    assert invoke("translate", "x.txt", "-o", "art", "--glossary", GLOSSARY_DIR,
                  "--engine", "dictionary").exit_code == 0
    record(home / "art", str(secret) if where == "ABS" else f"../{where}")
    stderr = refused_without_a_write(Path("art"), "--glossary", GLOSSARY_DIR)
    assert f"its catalog names {secret}, which is not beside or in art; run `zhen translate SOURCE -o art`" in stderr
    # The same record naming the file beside the folder is followed.
    record(home / "art", "../x.txt")
    assert invoke("translate", "art", "--glossary", GLOSSARY_DIR, "--engine", "dictionary").exit_code == 0


def test_inside_a_project_a_catalog_is_followed_into_translations_only(tmp_path):
    root = project(tmp_path)
    private = root / "private" / "notes.txt"  # in the project, outside translations/
    private.parent.mkdir()
    private.write_text(SECRET, encoding="utf-8")
    shutil.copy(SAMPLE, root / "translations" / "desk" / "a.txt")
    folder = root / "translations" / "out"
    assert invoke("translate", root / "translations" / "desk" / "a.txt", "-o", folder,
                  "--engine", "dictionary").exit_code == 0
    record(folder, "../../private/notes.txt")
    stderr = refused_without_a_write(folder)
    assert f"names {private}, which is not beside or in {folder} nor in {root / 'translations'};" in stderr


def test_translate_dot_in_the_folder_translate_wrote_is_the_same_as_naming_it(tmp_path, monkeypatch, runs):
    shutil.copy(SAMPLE, tmp_path / "x.txt")
    monkeypatch.chdir(tmp_path)
    assert invoke("translate", "x.txt", "--glossary", GLOSSARY_DIR, "--engine", "dictionary").exit_code == 0
    before = (tmp_path / "x" / "en.po").read_bytes()
    runs.clear()
    monkeypatch.chdir(tmp_path / "x")
    result = invoke("translate", ".", "--glossary", GLOSSARY_DIR, "--engine", "dictionary", "--json")
    assert result.exit_code == 0, result.output
    assert runs == []  # the same article, source and settings as from its parent: up to date
    assert json.loads(result.stdout)["segments"] == 45
    assert (tmp_path / "x" / "en.po").read_bytes() == before


def test_a_link_to_an_article_folder_is_drafted_from_that_folders_own_source(tmp_path, monkeypatch, runs):
    far, near = tmp_path / "far", tmp_path / "near"
    far.mkdir()
    near.mkdir()
    (far / "x.txt").write_text("天津新聞。\n創先爭優活動。\n", encoding="utf-8")
    (near / "x.txt").write_text("完全不同的文章。\n", encoding="utf-8")
    monkeypatch.chdir(far)
    assert invoke("translate", "x.txt", "--glossary", GLOSSARY_DIR, "--engine", "dictionary").exit_code == 0
    (near / "link").symlink_to("../far/x")
    monkeypatch.chdir(near)
    runs.clear()
    # Its catalog's ../x.txt is far/x.txt, where the folder really is, not near/x.txt:
    # the same article as far/x, up to date; then far/x.txt grows a line, which it gets.
    assert invoke("translate", "link", "--glossary", GLOSSARY_DIR, "--engine", "dictionary").exit_code == 0
    assert runs == []
    with open(far / "x.txt", "a", encoding="utf-8") as f:
        f.write("全市新建社區服務中心387個。\n")
    result = invoke("translate", "link", "--glossary", GLOSSARY_DIR, "--engine", "dictionary")
    assert result.exit_code == 0, result.output
    assert runs == ["x"]
    catalog = polib.pofile(str(far / "x" / "en.po"))
    assert {e.msgid for e in catalog} == {"天津新聞。", "創先爭優活動。", "全市新建社區服務中心387個。"}
    assert catalog.metadata["X-Zhen-Source"] == "../x.txt"
    # near/x.txt into the linked folder: the catalog belongs to far/x.txt, which still exists.
    before = (far / "x" / "en.po").read_bytes()
    result = invoke("translate", "x.txt", "-o", "link", "--glossary", GLOSSARY_DIR, "--engine", "dictionary")
    assert result.exit_code == 2
    assert f"belongs to {far / 'x.txt'}, not to x.txt" in result.stderr
    assert (far / "x" / "en.po").read_bytes() == before


def test_a_catalog_linked_out_of_its_folder_is_refused_before_it_is_read(tmp_path, monkeypatch):
    (tmp_path / "x.txt").write_text("天津新聞。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert invoke("translate", "x.txt", "--glossary", GLOSSARY_DIR, "--engine", "dictionary").exit_code == 0
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (tmp_path / "x" / "en.po").unlink()
    (tmp_path / "x" / "en.po").symlink_to(secret)
    stderr = refused_without_a_write(tmp_path / "x", "--glossary", GLOSSARY_DIR)
    assert f"en.po: is a link to {secret}, outside the article folder" in stderr
    assert "pass --follow-symlinks" in stderr


def test_html_dot_in_the_folder_translate_wrote_reads_the_same_loose_source(tmp_path, monkeypatch):
    (tmp_path / "x.txt").write_text("天津新聞。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert invoke("translate", "x.txt", "--glossary", GLOSSARY_DIR, "--engine", "dictionary").exit_code == 0
    with open(tmp_path / "x.txt", "a", encoding="utf-8") as f:
        f.write("創先爭優活動。\n")  # not translated yet: the page from the source shows it
    assert invoke("html", "x", "--glossary", GLOSSARY_DIR).exit_code == 0
    page = (tmp_path / "x" / "en.html").read_bytes()
    assert "創先爭優活動".encode() in page
    monkeypatch.chdir(tmp_path / "x")
    assert invoke("html", ".", "--glossary", GLOSSARY_DIR).exit_code == 0
    assert (tmp_path / "x" / "en.html").read_bytes() == page


def test_a_source_kept_in_the_folder_translate_wrote_is_followed(tmp_path, monkeypatch):
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "a.txt").write_text("天津新聞。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert invoke("translate", "desk/a.txt", "-o", "desk", "--glossary", GLOSSARY_DIR,
                  "--engine", "dictionary").exit_code == 0
    (desk / "a.txt").write_text("天津新聞。\n北京新聞。\n", encoding="utf-8")
    again = invoke("translate", "desk", "--glossary", GLOSSARY_DIR, "--engine", "dictionary")
    assert again.exit_code == 0, again.output
    assert "北京新聞。" in (desk / "en.po").read_text(encoding="utf-8")


def test_an_older_catalog_without_a_record_finds_a_source_whose_name_has_a_space(tmp_path, monkeypatch):
    (tmp_path / "a b.txt").write_text("天津新聞。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert invoke("translate", "a b.txt", "--glossary", GLOSSARY_DIR, "--engine", "dictionary").exit_code == 0
    folder = resolve(tmp_path / "a b.txt").folder
    catalog = polib.pofile(str(folder / "en.po"))
    del catalog.metadata["X-Zhen-Source"]  # written before the header recorded the source
    catalog.save(str(folder / "en.po"))
    (tmp_path / "a b.txt").write_text("天津新聞。\n北京新聞。\n", encoding="utf-8")
    again = invoke("translate", folder, "--glossary", GLOSSARY_DIR, "--engine", "dictionary")
    assert again.exit_code == 0, again.output
    assert "北京新聞。" in (folder / "en.po").read_text(encoding="utf-8")


def test_a_recorded_source_linked_out_of_reach_is_named_with_where_it_leads(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "x.txt").write_text("天津新聞。\n", encoding="utf-8")
    secret = tmp_path / "elsewhere" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    monkeypatch.chdir(home)
    assert invoke("translate", "x.txt", "-o", "art", "--glossary", GLOSSARY_DIR,
                  "--engine", "dictionary").exit_code == 0
    (home / "art" / "src.txt").symlink_to(secret)
    record(home / "art", "src.txt")
    stderr = refused_without_a_write(Path("art"), "--glossary", GLOSSARY_DIR, "--follow-symlinks")
    assert f"its catalog names {home / 'art' / 'src.txt'}, a link to {secret}, which is not beside or in art" in stderr
