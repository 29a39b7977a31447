"""What `zhen translate` says it did: per article, counts that add up; over many, one total."""

import json
import re
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import GLOSSARY_DIR, SAMPLE

PARTS = ("drafted", "from memory", "reused", "reviewed", "edited", "carried over", "untranslated")
JSON_PARTS = ("drafted", "tm", "reused", "reviewed", "edited", "carried_over", "untranslated")


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def translate(*args):
    result = cli("translate", "--engine", "dictionary", *args)
    assert result.exit_code == 0, result.output
    return result


def summary(result) -> list[str]:
    """The run's summary lines on stderr, without the line naming the settings file every run ends with."""
    return [line for line in result.stderr.splitlines() if not line.startswith("settings: ")]


def breakdown(line: str) -> tuple[int, dict[str, int]]:
    """The segment count of a summary line and its parts by name."""
    m = re.search(r"(\d+) segments = (.*?)(?: →|$)", line)
    assert m, line
    parts = {name: int(n) for n, name in re.findall(r"(\d+) ([a-z ]+?)(?: \+|$)", m.group(2))}
    return int(m.group(1)), parts


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(GLOSSARY_DIR, tmp_path / "glossary")
    for slug, text in (("tianjin", SAMPLE.read_text(encoding="utf-8")),
                       ("repeat", "天津召開會議。\n會議強調創新。\n天津召開會議。\n")):
        (tmp_path / "translations" / slug).mkdir(parents=True)
        (tmp_path / "translations" / slug / "source.zh.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_repeated_sentence_counts_as_the_segments_it_is(project):
    # Three segments, two distinct sentences: the counts are of segments, as the total is.
    record = json.loads(translate("translations/repeat", "--json").stdout)
    assert record["segments"] == 3 and record["drafted"] == 3
    assert sum(record[k] for k in JSON_PARTS) == 3


def test_every_state_counted_and_the_parts_add_up(project):
    translate("translations/tianjin")
    catalog = polib.pofile("translations/tianjin/en.po")
    live = [e for e in catalog if not e.obsolete]
    for e in live[:3]:  # approved
        e.flags = []
    live[3].msgstr = "A reviewer's rewrite, not approved yet."  # edited, still Needs Work
    live[4].msgstr = ""  # emptied: untranslated
    live[4].flags = []
    catalog.save()
    source = Path("translations/tianjin/source.zh.txt")
    source.write_text(source.read_text(encoding="utf-8") + "\n新增加的一句話。\n", encoding="utf-8")
    result = translate("translations/tianjin")
    (line,) = summary(result)
    segments, parts = breakdown(line)
    assert segments == 46 and sum(parts.values()) == segments
    assert parts["reviewed"] == 3 and parts["edited"] == 1 and parts["drafted"] == 2  # the new one and the emptied
    assert parts["reused"] == 40 and parts["untranslated"] == 0 and parts["from memory"] == 0
    assert set(parts) == set(PARTS) - {"carried over"}  # shown only when there is one


def test_a_skipped_article_says_it_is_up_to_date(project):
    first = translate("translations/tianjin")
    assert "up to date" not in first.stderr
    again = translate("translations/tianjin")
    (line,) = summary(again)
    assert line.startswith("tianjin: up to date, 45 segments = 0 drafted")
    segments, parts = breakdown(line)
    assert sum(parts.values()) == segments == 45 and parts["reused"] == 45
    record = json.loads(translate("translations/tianjin", "--json").stdout)
    assert record["up_to_date"] is True and sum(record[k] for k in JSON_PARTS) == record["segments"]
    forced = json.loads(translate("translations/tianjin", "--json", "--force").stdout)
    assert forced["up_to_date"] is False


def test_many_articles_end_with_one_total_line(project):
    translate("translations/repeat")
    result = translate()
    lines = summary(result)
    assert [line.split(":")[0] for line in lines] == ["repeat", "tianjin", "2 article(s) (1 up to date, 0 failed)"]
    segments, parts = breakdown(lines[-1])
    assert segments == 48 and sum(parts.values()) == 48 and parts["drafted"] == 45 and parts["reused"] == 3


def test_summary_shows_only_the_total(project):
    result = translate("--summary")
    assert summary(result) == [
        "2 article(s) (0 up to date, 0 failed): 48 segments = 48 drafted + 0 from memory + 0 reused + "
        "0 reviewed + 0 edited + 0 untranslated"]


def test_json_carries_the_totals(project):
    records = [json.loads(line) for line in translate("--json").stdout.splitlines()]
    assert [r.get("article") for r in records] == ["repeat", "tianjin", None]
    totals = records[-1]["totals"]
    assert totals["articles"] == 2 and totals["segments"] == 48 and totals["drafted"] == 48
    assert sum(totals[k] for k in JSON_PARTS) == totals["segments"]
    only = [json.loads(line) for line in translate("--json", "--summary").stdout.splitlines()]
    assert only == [{"totals": {**totals, "up_to_date": 2, "drafted": 0, "reused": 48}}]
    one = translate("translations/repeat", "--json").stdout.splitlines()
    assert len(one) == 1 and "totals" not in json.loads(one[0])  # one article: its own object is the total
