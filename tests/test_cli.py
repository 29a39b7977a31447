import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import ROOT, SAMPLE

KEYS = {"article", "segments", "drafted", "reused", "reviewed", "untranslated", "catalog", "html", "text",
        "seconds", "tm", "edited", "carried_over", "up_to_date", "settings", "failed", "faults", "usage"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def test_translate_json_then_rerun_changes_no_byte(tmp_path, article_dir):
    out = tmp_path / "out"
    first = invoke("translate", article_dir, "-o", out, "--engine", "dictionary", "--json")
    assert first.exit_code == 0, first.output
    record = json.loads(first.stdout.strip())
    assert set(record) == KEYS
    assert record["segments"] == 45 and record["drafted"] == 45 and record["reused"] == 0
    assert Path(record["catalog"]).parent == out
    files = snapshot(out)
    assert set(files) == {"en.po", "en.txt", "en.html"}
    second = invoke("translate", article_dir, "-o", out, "--engine", "dictionary", "--json")
    record2 = json.loads(second.stdout.strip())
    assert record2["drafted"] == 0 and record2["reused"] == 45
    assert snapshot(out) == files


def test_auto_engine_warns_once_and_falls_back_to_dictionary(article_dir, monkeypatch):
    monkeypatch.setattr("pipeline.engines.registry.argos_available", lambda warn=None: False)
    result = invoke("translate", article_dir, "--json")
    assert result.exit_code == 0
    assert result.stderr.count("zhen model install") == 1
    assert "engine:dictionary" in (article_dir / "en.po").read_text(encoding="utf-8")


def test_every_segment_is_in_catalog_and_page_and_no_debris(article_dir):
    invoke("translate", article_dir, "--engine", "dictionary")
    po_text = (article_dir / "en.po").read_text(encoding="utf-8")
    page = (article_dir / "en.html").read_text(encoding="utf-8")
    seg = invoke("segment", SAMPLE, "--json")
    segments = [json.loads(line) for line in seg.stdout.splitlines()]
    assert len(segments) == 45
    assert len(re.findall(r'<tr id="s\d+"', page)) == 45
    import polib
    msgids = {e.msgid for e in polib.pofile(po_text)}
    assert all(s["text"] in msgids for s in segments)
    for debris in ("![]()", "|||"):
        assert debris not in po_text and debris not in page


def test_segment_json_and_explain():
    result = invoke("segment", SAMPLE, "--json", "--explain")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    dropped = [x for x in lines if "dropped" in x]
    assert [d["dropped"] for d in dropped] == [1, 2, 3]
    first = next(x for x in lines if "id" in x)
    assert first == {"id": 1, "paragraph": 1, "role": "title", "text": "學先進趕先進作貢獻當表率"}


def test_status_reports_counts(article_dir):
    invoke("translate", article_dir, "--engine", "dictionary")
    result = invoke("status", article_dir, "--json")
    row = json.loads(result.stdout)
    assert row["segments"] == 45 and row["drafts"] == 45 and row["reviewed"] == 0


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: (d / "source.zh.txt").write_bytes(b""), "empty file"),
        (lambda d: (d / "source.zh.txt").unlink(), "directory without an article"),
        (lambda d: (d / "en.po").write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8"), "en.po:2"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(article_dir, setup, message):
    setup(article_dir)
    before = snapshot(article_dir)
    result = invoke("translate", article_dir, "--engine", "dictionary")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(article_dir) == before


def test_missing_path_is_a_clean_error(tmp_path):
    result = invoke("translate", tmp_path / "nope.txt")
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help and len(command.help) > 40, name
        assert f"zhen {name}" in readme, name
        assert invoke(name, "--help").exit_code == 0


def test_python_dash_m_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True, check=True)
    assert "zhen" in out.stdout


def test_a_deleted_working_folder_is_named(tmp_path, article_dir):
    import subprocess
    import sys

    gone = tmp_path / "gone"
    gone.mkdir()
    script = 'cd "$1" && rmdir "$1" && shift && exec "$@"'  # as a shell leaves it: $PWD names the folder
    out = subprocess.run(["sh", "-c", script, "sh", str(gone), sys.executable, "-m", "pipeline", "status",
                          str(article_dir)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.splitlines() == [
        f"error: {gone}: the working folder no longer exists (deleted or moved); cd to one that does"]


def test_qa_findings_reach_catalog_page_status_and_check(article_dir):
    """A reviewer approves a wrong figure: every view says so, and fixing it clears them."""
    import polib

    invoke("translate", article_dir, "--engine", "dictionary")
    catalog_path = article_dir / "en.po"

    def approve(text):
        catalog = polib.pofile(str(catalog_path))
        entry = next(e for e in catalog if "480多名" in e.msgid)
        entry.msgstr, entry.flags = text, []
        catalog.save(str(catalog_path))
        invoke("translate", article_dir, "--engine", "dictionary")
        return next(e for e in polib.pofile(str(catalog_path)) if "480多名" in e.msgid)

    entry = approve("More than 48 officials were sent to key projects.")
    assert "qa: error (numbers): figure 480多 (480) is missing or altered" in entry.comment
    page = (article_dir / "en.html").read_text(encoding="utf-8")
    assert 'class="qa"' in page and "figure 480多 (480) is missing or altered" in page
    assert json.loads(invoke("status", article_dir, "--json").stdout)["warnings"] >= 1
    checked = invoke("check", article_dir, "--json")
    assert checked.exit_code == 1
    found = next(f for f in map(json.loads, checked.stdout.splitlines()) if f["subject"] == "480多")
    line = next(n for n, text in enumerate(SAMPLE.read_text("utf-8").splitlines(), 1) if "480多名" in text)
    assert (found["check"], found["severity"], found["reference"]) == ("numbers", "error", f"source.zh.txt:{line}")

    entry = approve("More than 480 officials were sent to key projects.")
    assert "qa: error (numbers)" not in entry.comment
    assert "figure 480多" not in (article_dir / "en.html").read_text("utf-8")
    checked = invoke("check", article_dir, "--json")
    assert not any(json.loads(line)["subject"] == "480多" for line in checked.stdout.splitlines())


def test_check_strict_fails_on_warnings_only(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "source.zh.txt").write_text("創新。\n", encoding="utf-8")
    invoke("translate", folder, "--engine", "dictionary")
    import polib

    catalog = polib.pofile(str(folder / "en.po"))
    catalog[0].msgstr, catalog[0].flags = "Innovate，now.", []  # full-width comma: a warning
    catalog.save(str(folder / "en.po"))
    assert invoke("check", folder).exit_code == 0
    assert invoke("check", folder, "--strict").exit_code == 1


def test_check_is_a_gate_an_unreviewed_article_does_not_pass(article_dir):
    import polib

    invoke("translate", article_dir, "--engine", "dictionary")
    gate = invoke("check", article_dir, "--json")
    assert gate.exit_code == 1
    found = [json.loads(line) for line in gate.stdout.splitlines()]
    review = [f for f in found if f["check"] == "review"]
    assert [(f["severity"], f["message"], f["entry"]) for f in review] == [
        ("error", "45 of 45 segments are unreviewed drafts", None)]
    assert "45 of 45 segments are unreviewed" in " ".join(invoke("check", article_dir).stdout.split())
    # During review, the drafts' English is checked and the review state does not fail.
    during = invoke("check", article_dir, "--drafts", "--json")
    assert during.exit_code == 0 and not any(json.loads(line)["check"] == "review"
                                             for line in during.stdout.splitlines())

    catalog_path = article_dir / "en.po"
    catalog = polib.pofile(str(catalog_path))
    for entry in catalog:
        entry.flags = []  # every draft approved as it stands
    catalog.save(str(catalog_path))
    assert invoke("check", article_dir).exit_code == 0
    entry = next(e for e in catalog if "480多名" in e.msgid)
    entry.msgstr = "More than 48 officials were sent to key projects."  # a reviewed entry with an error
    catalog.save(str(catalog_path))
    assert invoke("check", article_dir).exit_code == 1
    assert invoke("check", article_dir, "--drafts").exit_code == 1


@pytest.mark.parametrize("officials, organizations, errors", [
    ("officials", "primary-level Party organizations", 0),
    ("cadres", "grassroots Party organizations", 0),  # forms the glossary accepts
    ("staff", "grassroots Party organizations", 1),
])
def test_check_passes_renderings_the_glossary_accepts(tmp_path, officials, organizations, errors):
    import polib

    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "source.zh.txt").write_text("選派黨員乾部。\n基層黨組織發揮作用。\n", encoding="utf-8")
    invoke("translate", folder, "--engine", "dictionary", "--place", "天津")  # the terms are Tianjin's
    catalog = polib.pofile(str(folder / "en.po"))
    reviewed = [f"Party member {officials} were sent.", f"The {organizations} played their part."]
    for entry, text in zip(catalog, reviewed):
        entry.msgstr, entry.flags = text, []
    catalog.save(str(folder / "en.po"))
    checked = invoke("check", folder, "--json")
    found = [json.loads(line) for line in checked.stdout.splitlines()]
    assert [f["subject"] for f in found if f["severity"] == "error"] == ["幹部"] * errors
    assert checked.exit_code == errors


def _big(d):
    with open(d / "source.zh.txt", "r+b") as f:
        f.truncate(50 * 1024 * 1024)  # a sparse 50 MB file


@pytest.mark.parametrize(
    "setup, message",
    [
        (_big, "over the 20971520-byte limit"),
        (lambda d: (d / "source.zh.txt").write_text("標題\n" + "字" * 20_000 + "\n", encoding="utf-8"),
         "source.zh.txt:2: 20000 characters without a sentence end"),
        (lambda d: (d / "source.zh.txt").write_bytes("標題。\n正文\x00內容。\n".encode("utf-16")),
         "source.zh.txt:2: control character U+0000"),
        (lambda d: (d / "source.zh.txt").write_text("標題。\n正文\x1b[31m內容。\n", encoding="utf-8"),
         "source.zh.txt:2: control character U+001B"),
        (lambda d: (d / "source.zh.txt").write_bytes(b"\x00\x01\x02\x03binary\xff\xfe\x00"), "binary file"),
        (lambda d: (d / "source.zh.txt").write_bytes(b"\xa4\xa4\xff\xff\xff\xff"), "undecodable"),
        (lambda d: (d / "en.po").write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n', encoding="utf-8"),
         "en.po: header says Language: de"),
        (lambda d: (d / "en.po").write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgid "a"\nmsgid "b"\n',
                                            encoding="utf-8"), "en.po:5: msgid without msgstr"),  # as msgfmt says
    ],
    ids=["50MB", "20000-char-line", "NUL", "escape-sequence", "binary", "undecodable", "catalog-in-german",
         "catalog-broken"],
)
def test_more_bad_input_is_one_line_exit_2_and_nothing_touched(article_dir, setup, message):
    invoke("translate", article_dir, "--engine", "dictionary")
    if "en.po" in message:
        (article_dir / "en.po").unlink()
    setup(article_dir)
    before = snapshot(article_dir)
    result = invoke("translate", article_dir, "--engine", "dictionary")
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(article_dir) == before


def test_a_glossary_with_broken_rows_stops_before_anything_is_written(article_dir, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n創先爭優\n", encoding="utf-8")
    result = invoke("translate", article_dir, "--engine", "dictionary", "--glossary", bad)
    assert result.exit_code == 2 and "bad.tsv:2:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (article_dir / "en.po").exists()


def test_a_term_written_two_ways_is_flagged_on_both_rows_of_the_page(article_dir):
    import polib

    invoke("translate", article_dir, "--engine", "dictionary")
    catalog = polib.pofile(str(article_dir / "en.po"))
    models = [e for e in catalog if "先進典型" in e.msgid][:2]
    models[0].msgstr, models[0].flags = "They chose role models.", []
    models[1].msgstr, models[1].flags = "They praised Role Models.", []
    catalog.save(str(article_dir / "en.po"))
    assert invoke("html", article_dir).exit_code == 0
    page = (article_dir / "en.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="s\d+".*?</tr>', page, flags=re.S)
    flagged = [r for r in rows if "先進典型 is written two ways" in r]
    assert len(flagged) >= 2 and all("role models" in r.lower() for r in flagged)


def test_a_broken_glossary_is_reported_once_for_many_articles(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "source.zh.txt").write_text("創新。\n", encoding="utf-8")
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n創先爭優\n", encoding="utf-8")
    result = invoke("translate", tmp_path / "a", tmp_path / "b", tmp_path / "c", "--engine", "dictionary",
                    "--glossary", bad)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1 and "bad.tsv:2:" in result.stderr
    assert not any((tmp_path / n / "en.po").exists() for n in ("a", "b", "c"))
