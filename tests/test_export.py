"""Exports: the English text, and TMX read back by translate-toolkit (an independent TMX reader)."""

import polib
from translate.storage.tmx import tmxfile

from pipeline.cli import main
from tests.test_cli import invoke

EVIL = 'A <b>&amp; "quoted" reviewed line</b>'


def review(folder, picks):
    """Approve the given entries (by position) with the given English, as Poedit would save them."""
    path = folder / "en.po"
    catalog = polib.pofile(str(path))
    live = [e for e in catalog if not e.obsolete]
    for i, text in picks.items():
        live[i].msgstr, live[i].flags = text, []
    catalog.save(str(path))
    return live


def test_tmx_holds_reviewed_pairs_only_and_reads_back(tmp_path, article_dir):
    assert invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0
    live = review(article_dir, {0: "Learn from the advanced", 5: EVIL})
    out = tmp_path / "memory.tmx"
    assert invoke("export", "tmx", article_dir, "-o", out).exit_code == 0
    memory = tmxfile.parsefile(str(out))
    pairs = {(u.source, u.target) for u in memory.units}
    assert pairs == {(live[0].msgid, "Learn from the advanced"), (live[5].msgid, EVIL)}
    assert memory.getsourcelanguage() == "zh-TW"
    langs = {tuple(t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in u.xmlelement.iter("tuv"))
             for u in memory.units}
    assert langs == {("zh-TW", "en")}
    # Deterministic: exporting again gives the same bytes.
    again = invoke("export", "tmx", article_dir)
    assert again.stdout == out.read_text(encoding="utf-8")


def test_text_export_with_and_without_drafts(article_dir):
    invoke("translate", article_dir, "--engine", "dictionary")
    live = review(article_dir, {0: "Learn from the advanced"})
    full = invoke("export", "text", article_dir).stdout
    reviewed = invoke("export", "text", article_dir, "--reviewed-only").stdout
    assert full.startswith("[Not for publication: 44 of 45 segments are unreviewed machine drafts.]\n\n"
                           "Learn from the advanced\n\n") and "[not reviewed" not in full
    assert reviewed.startswith("Learn from the advanced\n\n")
    assert f"[not reviewed: {live[1].msgid}]" in reviewed
    # Drafts fill the full text and never the reviewed-only one.
    assert live[1].msgstr.strip() in full and live[1].msgstr.strip() not in reviewed
    assert full.count("\n\n") == reviewed.count("\n\n") + 1  # same paragraphs, after the notice


def test_text_export_of_several_articles_needs_a_folder(tmp_path, article_dir):
    other = tmp_path / "other"
    other.mkdir()
    (other / "source.zh.txt").write_text("第二篇。\n", encoding="utf-8")
    for folder in (article_dir, other):
        invoke("translate", folder, "--engine", "dictionary")
    refused = invoke("export", "text", article_dir, other)
    assert refused.exit_code == 2 and "-o FOLDER" in refused.stderr
    out = tmp_path / "texts"
    assert invoke("export", "text", article_dir, other, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["other.en.txt", "tianjin.en.txt"]


def test_export_before_translate_is_a_clean_error(article_dir):
    result = invoke("export", "text", article_dir)
    assert result.exit_code == 2 and "run `zhen translate` first" in result.stderr
    assert main.commands["export"].commands.keys() == {"text", "tmx"}
