"""The review queue, `zhen next`: what needs a person, most urgent first."""

import json
import random
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.catalog.entries import EntryInfo
from pipeline.cli import main
from pipeline.model import Finding
from pipeline.catalog.todo import review_queue
from tests.conftest import GLOSSARY_DIR, SAMPLE


def entry(number, state, *, origin="dictionary", match=None, edited=False, obsolete=False, owned=True):
    return EntryInfo(number=number, msgid=f"第{number}句。", msgstr="" if state == "untranslated" else "x",
                     state=state, origin=origin if state != "untranslated" else "", match=match, terms=(),
                     references=(f"source.zh.txt:{number + 3}",), findings=(), comment="", obsolete=obsolete,
                     owned=owned, edited=edited)


def finding(number, severity, catalog="a.po", check="numbers"):
    return Finding(check, severity, f"{severity} on entry {number}", catalog=catalog, entry=number,
                   reference=f"source.zh.txt:{number + 3}")


def test_each_rank_in_order():
    a = [
        entry(1, "untranslated"),
        entry(2, "draft"),                                   # an engine draft
        entry(3, "draft", origin="tm", match=95),
        entry(4, "reviewed"),                                # done: not listed
        entry(5, "draft", origin="tm", match=78),
        entry(6, "draft"),                                   # a draft with an error
        entry(7, "reviewed"),                                # reviewed, but an error: first of all
        entry(8, "reviewed"),                                # a warning only: done
        entry(9, "draft", edited=True),                      # a reviewer's edit, not approved
        entry(10, "draft", obsolete=True),                   # gone from the article
        entry(11, "draft", origin="tm", match=88, edited=True),  # edited: no longer the memory's text
    ]
    b = [entry(1, "reviewed"), entry(2, "draft", origin="tm", match=90), entry(3, "untranslated")]
    findings = [finding(6, "warning"), finding(6, "error", check="glossary"), finding(7, "error"),
                finding(8, "warning"), finding(1, "error", catalog="b.po")]
    random.Random(1).shuffle(findings)  # the queue does not depend on the order QA found them in
    queue = review_queue({"a.po": a, "b.po": b}, findings)
    assert [(t.catalog, t.entry, t.rank) for t in queue] == [
        ("a.po", 7, 1), ("b.po", 1, 1),       # reviewed with errors
        ("a.po", 6, 2),                       # drafts with errors
        ("a.po", 5, 3), ("b.po", 2, 3), ("a.po", 3, 3),  # memory drafts, lowest match first
        ("a.po", 2, 4), ("a.po", 9, 4), ("a.po", 11, 4),  # other drafts, in catalog order
        ("a.po", 1, 5), ("b.po", 3, 5),       # untranslated
    ]
    # The first finding shown is an error, whichever QA found first; every item names its source line.
    assert queue[2].findings[0].severity == "error" and queue[2].findings[0].check == "glossary"
    assert [t.reference for t in queue[:2]] == ["source.zh.txt:10", "source.zh.txt:4"]
    assert queue[3].label == "draft · tm 78%" and queue[7].label == "draft · edited, not approved"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def reviewed(tmp_path, monkeypatch):
    """The sample, drafted and then worked on as a reviewer in Poedit would; and a second
    article that the memory drafts from it."""
    shutil.copytree(GLOSSARY_DIR, tmp_path / "glossary")
    folder = tmp_path / "translations" / "a"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "source.zh.txt")
    monkeypatch.chdir(tmp_path)
    assert cli("translate", "--engine", "dictionary").exit_code == 0
    catalog = polib.pofile(str(folder / "en.po"))
    live = {e.msgid: e for e in catalog if not e.obsolete}
    title, subtitle, *_ = live
    figures = next(m for m in live if "4512" in m)
    chinese = next(m for m in live if m.startswith("找准"))
    edited = next(m for m in live if m.startswith("如何"))
    emptied = next(m for m in live if m.startswith("天津的做法"))
    for msgid in (title, subtitle):  # approved as drafted
        live[msgid].flags = []
    live[figures].msgstr = "Party organizations across the city chose many typical examples."
    live[figures].flags = []  # approved, but the figures are gone
    live[chinese].msgstr = "找准 the point"  # still Needs Work, and Chinese left in it
    live[edited].msgstr = "In Tianjin: " + live[edited].msgstr  # a reviewer's change, not approved yet
    catalog.save()
    other = tmp_path / "translations" / "b"
    other.mkdir()
    (other / "source.zh.txt").write_text(f"{title}\n{subtitle[:-2]}。\n", encoding="utf-8")
    assert cli("translate", "--engine", "dictionary").exit_code == 0
    catalog = polib.pofile(str(folder / "en.po"))  # emptied after the run, which would draft it again
    gone = next(e for e in catalog if e.msgid == emptied)
    gone.msgstr, gone.flags = "", []
    catalog.save()
    return {"figures": figures, "chinese": chinese, "edited": edited, "emptied": emptied,
            "title": title, "subtitle": subtitle}


def test_next_on_the_sample_after_review_lists_entries_by_urgency(reviewed):
    result = cli("next", "--json")
    assert result.exit_code == 0, result.output
    queue = [json.loads(line) for line in result.stdout.splitlines()]
    first, second = queue[0], queue[1]
    assert (first["rank"], first["state"], first["source"]) == (1, "reviewed", reviewed["figures"])
    assert first["finding"]["check"] == "numbers" and "4512" in first["finding"]["message"]
    assert (second["rank"], second["state"], second["source"]) == (2, "draft", reviewed["chinese"])
    assert second["finding"]["check"] == "leftovers"
    memory = [q for q in queue if q["rank"] == 3]
    assert len(memory) == 2 and all(q["catalog"].endswith("translations/b/en.po") for q in memory)
    assert [q["match"] for q in memory] == sorted(q["match"] for q in memory) and memory[0]["match"] < 100
    drafts = [q for q in queue if q["rank"] == 4]
    assert any(q["source"] == reviewed["edited"] and q["edited"] for q in drafts)
    assert [q["rank"] for q in queue] == sorted(q["rank"] for q in queue)
    assert queue[-1]["rank"] == 5 and queue[-1]["source"] == reviewed["emptied"]
    assert not any(q["source"] in (reviewed["title"], reviewed["subtitle"]) and q["catalog"].endswith("a/en.po")
                   for q in queue)  # approved without errors: done
    # Every line names the catalog, the source line, the state, the finding and a pasteable excerpt.
    lines = cli("next", "-n", "2").stdout.splitlines()
    assert len(lines) == 2
    catalog, reference, state, rest = lines[0].split("  ", 3)
    assert catalog.endswith("translations/a/en.po") and reference == first["reference"]
    assert reference.startswith("source.zh.txt:") and state == "reviewed"
    assert rest.startswith("error (numbers): figure 4512") and rest.endswith(reviewed["figures"][:20])
    assert lines[1].split("  ")[2] == "draft · edited, not approved"


def test_next_says_when_there_is_nothing_to_review(tmp_path, monkeypatch):
    shutil.copytree(GLOSSARY_DIR, tmp_path / "glossary")
    folder = tmp_path / "translations" / "a"
    folder.mkdir(parents=True)
    (folder / "source.zh.txt").write_text("天津召開會議。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli("translate", "--engine", "dictionary").exit_code == 0
    catalog = polib.pofile(str(folder / "en.po"))
    catalog[0].msgstr, catalog[0].flags = "Tianjin holds a meeting.", []
    catalog.save()
    result = cli("next")
    assert result.exit_code == 0 and result.stdout == ""
    assert "nothing to review" in result.stderr


def test_check_names_the_source_line_of_each_finding(reviewed):
    result = cli("check", "translations/a", "--json")
    found = [json.loads(line) for line in result.stdout.splitlines()]
    # Every entry's finding; the gate's count of what is left to review is the catalog's, on no line.
    entries = [f for f in found if f["check"] != "review"]
    assert entries and all(f["reference"].startswith("source.zh.txt:") for f in entries)
    assert [(f["entry"], f["reference"]) for f in found if f["check"] == "review"] in ([], [(None, "")])
    table = CliRunner().invoke(main, ["check", "translations/a"], env={"COLUMNS": "250"}).stdout
    header = next(line for line in table.splitlines() if "check" in line and "severity" in line)
    assert header.split()[0] == "source"  # the source line first; the entry number is an extra column
