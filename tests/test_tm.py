"""The translation memory, end to end on two articles of our own: one in Traditional
script whose reviewed entries draft the other, in Simplified."""

import contextlib
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from devkit import ROOT
from pipeline.cli import main
from pipeline.errors import TMError
from pipeline.glossary.table import load_glossary
from pipeline.tm.index import Memory
from pipeline.text.placeables import substitute
from pipeline.tm.tmx import read_tmx
from tests.conftest import GLOSSARY_DIR


JINNAN = """津南區召開創先爭優工作會議
本報訊（記者王明）昨天，津南區召開創先爭優活動推進會。
今年以來，全區共有4512個基層黨組織參加活動。
會議要求，各級黨組織要把活動與經濟發展緊密結合起來。
全區新建社區服務中心387個。
"""
JINNAN_ENGLISH = {
    "本報訊（記者王明）昨天，津南區召開創先爭優活動推進會。":
        "Yesterday, Jinnan District held a meeting to advance the Strive for Excellence campaign.",
    "今年以來，全區共有4512個基層黨組織參加活動。":
        "Since the start of the year, 4,512 grassroots Party organizations in the district have taken part.",
    "會議要求，各級黨組織要把活動與經濟發展緊密結合起來。":
        "The meeting asked Party organizations at every level to tie the campaign closely to economic development.",
    "全區新建社區服務中心387個。": "The district built 387 new community service centres.",
}
BINHAI = """滨海新区召开工作会议
今年以来，全区共有5120个基层党组织参加活动。
会议要求，各级党组织要把活动与经济发展紧密结合起来。
会议要求，各级党组织要把活动与城市建设紧密结合起来。
会议强调，各级干部要把工作与城市管理结合起来。
全区新建社区服务中心415个。
"""


def cli(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def translate(*args: str) -> dict[str, dict]:
    result = cli("translate", "--engine", "dictionary", "--glossary", "glossary", "--json", *args)
    assert result.exit_code == 0, result.output
    return {r["article"]: r for r in map(json.loads, result.stdout.splitlines()) if "totals" not in r}


def review(catalog: Path, english: dict[str, str]) -> None:
    """What a reviewer does in Poedit: write the English and clear Needs Work."""
    po = polib.pofile(str(catalog), wrapwidth=0)
    for entry in po:
        if entry.msgid in english:
            entry.msgstr = english[entry.msgid]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(catalog))


def entries(catalog: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(catalog)) if not e.obsolete}


def notes(entry: polib.POEntry) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in entry.comment.splitlines() if ": " in line)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder: an empty glossary, Jinnan reviewed, Binhai not yet translated."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "g.tsv").write_text("term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n",
                                                   encoding="utf-8")
    for slug, text in (("jinnan", JINNAN), ("binhai", BINHAI)):
        (tmp_path / "translations" / slug).mkdir(parents=True)
        (tmp_path / "translations" / slug / "source.zh.txt").write_text(text, encoding="utf-8")
    translate("translations/jinnan")
    review(tmp_path / "translations" / "jinnan" / "en.po", JINNAN_ENGLISH)
    return tmp_path


BINHAI_PO = Path("translations/binhai/en.po")


def test_exact_fuzzy_and_figure_substituted_drafts(project):
    record = translate()["binhai"]
    got = entries(BINHAI_PO)
    assert record["tm"] == 4 and record["drafted"] == 2  # title and the 50% sentence go to the engine

    exact = got["会议要求，各级党组织要把活动与经济发展紧密结合起来。"]
    assert exact.msgstr == JINNAN_ENGLISH["會議要求，各級黨組織要把活動與經濟發展緊密結合起來。"]
    assert "fuzzy" in exact.flags  # a memory draft is Needs Work, even an exact one
    assert notes(exact)["tm-match"] == "100% from article jinnan (translations/jinnan/en.po)"
    assert exact.previous_msgid is None

    # 4 of 26 characters differ: Levenshtein similarity 22/26 = 84 %.
    fuzzy = got["会议要求，各级党组织要把活动与城市建设紧密结合起来。"]
    assert fuzzy.msgstr == exact.msgstr and "fuzzy" in fuzzy.flags
    assert notes(fuzzy)["tm-match"].startswith("84% from article jinnan")
    assert notes(fuzzy)["tm-source"] == "會議要求，各級黨組織要把活動與經濟發展緊密結合起來。"
    assert fuzzy.previous_msgid == "會議要求，各級黨組織要把活動與經濟發展緊密結合起來。"

    figures = got["今年以来，全区共有5120个基层党组织参加活动。"]
    assert figures.msgstr == ("Since the start of the year, 5,120 grassroots Party organizations in the district "
                              "have taken part.")
    assert notes(figures)["tm-figures"] == "4,512 → 5,120"
    assert notes(figures)["tm-match"].startswith("99%")  # the same sentence but for its figures
    assert got["全区新建社区服务中心415个。"].msgstr == "The district built 415 new community service centres."

    # Below the threshold: the engine drafts.
    low = got["会议强调，各级干部要把工作与城市管理结合起来。"]
    assert notes(low)["draft"].startswith("dictionary") and "tm-match" not in notes(low)

    # The memory's label, given once, claims no kind of match: each entry's tm-match line says it.
    labelled = [notes(e)["draft"] for e in got.values() if notes(e).get("draft", "").startswith("tm (")]
    assert len(labelled) == 1 and labelled[0].startswith("tm (translation memory) [")
    assert BINHAI_PO.read_text(encoding="utf-8").count("#. draft-setup: ") == 2  # the memory's and the engine's


def test_the_threshold_is_a_setting(project):
    Path("zhen.toml").write_text("[tm]\nmin_score = 85\n", encoding="utf-8")
    translate()
    got = entries(BINHAI_PO)
    assert notes(got["会议要求，各级党组织要把活动与城市建设紧密结合起来。"])["draft"].startswith("dictionary")
    assert notes(got["全区新建社区服务中心415个。"])["draft"].startswith("tm")
    Path("zhen.toml").write_text("[tm]\nmin_score = 101\n", encoding="utf-8")
    result = cli("translate", "--engine", "dictionary", "--glossary", "glossary")
    assert result.exit_code == 2 and "min_score: must be a whole number from 1 to 100" in result.output


def test_traditional_and_simplified_match_both_ways(project):
    memory = Memory(root=Path("translations"))
    memory.sync()
    simplified = memory.best("全区新建社区服务中心387个。", min_score=75)
    assert simplified.score == 100 and simplified.unit.source == "全區新建社區服務中心387個。"
    # A Simplified memory unit found from Traditional text.
    review(BINHAI_PO, {}) if BINHAI_PO.exists() else translate()
    review(BINHAI_PO, {"滨海新区召开工作会议": "Binhai New Area holds a work meeting"})
    memory.sync()
    traditional = memory.best("濱海新區召開工作會議", min_score=75)
    assert traditional.score == 100 and traditional.unit.target == "Binhai New Area holds a work meeting"


def test_figures_that_do_not_map_one_to_one_are_left_alone():
    assert substitute("有5個和5個。", "有4個和4個。", "4 and 4").text == "4 and 4"
    left = substitute("共5120個。", "共4512個和3個。", "4,512 and 3")
    assert left.text == "4,512 and 3" and "2 figure(s), this one 1" in left.unmapped
    assert substitute("投資2億元。", "投資1.5億元。", "150 million yuan").text == "200 million yuan"
    assert substitute("2013年。", "2012年。", "In 2012.").text == "In 2013."
    assert substitute("增長12.5%。", "增長9.5%。", "up 9.5%").text == "up 12.5%"


def test_a_reviewed_entry_is_never_overwritten(project):
    translate()
    mine = "The meeting wants Party bodies to link the campaign with economic growth."
    review(BINHAI_PO, {"会议要求，各级党组织要把活动与经济发展紧密结合起来。": mine})
    translate("--force")
    entry = entries(BINHAI_PO)["会议要求，各级党组织要把活动与经济发展紧密结合起来。"]
    assert entry.msgstr == mine and "fuzzy" not in entry.flags


def test_a_changed_memory_unit_refreshes_untouched_drafts_only(project):
    translate()
    # A reviewer edits one memory draft but leaves it Needs Work: that is their work now.
    po = polib.pofile(str(BINHAI_PO), wrapwidth=0)
    for e in po:
        if e.msgid == "全区新建社区服务中心415个。":
            e.msgstr = "415 community centres were built."
    po.save(str(BINHAI_PO))
    assert translate()["binhai"]["tm"] == 0
    before = BINHAI_PO.read_bytes()
    assert translate("--force")["binhai"]["tm"] == 0 and BINHAI_PO.read_bytes() == before  # same bytes

    review(Path("translations/jinnan/en.po"), {
        "會議要求，各級黨組織要把活動與經濟發展緊密結合起來。":
            "The meeting called on Party organizations at all levels to link the campaign closely with economic "
            "development.",
        "全區新建社區服務中心387個。": "The district opened 387 new community service centres.",
    })
    record = translate()["binhai"]  # the memory changed, so Binhai is not skipped as up to date
    got = entries(BINHAI_PO)
    assert record["tm"] == 2
    assert got["会议要求，各级党组织要把活动与经济发展紧密结合起来。"].msgstr.startswith("The meeting called on")
    assert got["会议要求，各级党组织要把活动与城市建设紧密结合起来。"].msgstr.startswith("The meeting called on")
    assert got["全区新建社区服务中心415个。"].msgstr == "415 community centres were built."


def undated(path: Path) -> bytes:
    """A catalog's bytes without its header dates: one written afresh carries the
    minute it was written, and a test can run across a minute's turn."""
    return re.sub(rb'"(POT-Creation|PO-Revision)-Date: [^"]*"\n', b"", path.read_bytes())


def test_the_index_is_rebuilt_after_deletion_or_damage(project):
    translate()
    first = undated(BINHAI_PO)
    stats = json.loads(cli("tm", "stats", "--json").stdout)
    assert stats["units"] == 4 and stats["articles"] == 1 and stats["catalogs"] == 2
    for damage in ("delete", "garbage"):
        index = Path(".zhen/tm.sqlite")
        if damage == "delete":
            index.unlink()
        else:
            index.write_bytes(b"this is not a database" * 100)
        BINHAI_PO.unlink()
        record = translate()["binhai"]
        assert record["tm"] == 4 and undated(BINHAI_PO) == first
        assert json.loads(cli("tm", "stats", "--json").stdout)["units"] == 4


# The indexer in a child process that stops itself inside the transaction: the first
# bigrams it computes once SQLite's rollback journal exists (the old units of a
# changed catalog deleted, the new ones not all written) it says so on stdout and
# waits there for the kill, so that the kill lands inside on a machine of any speed.
KILL_PROBE = """
import sys, time
from pathlib import Path
from pipeline.tm import index
fast = index.grams
journal = Path(sys.argv[1] + "-journal")
def held(key):
    if journal.exists():
        print("inside", flush=True)
        time.sleep(3600)
    return fast(key)
index.grams = held
index.Memory(Path(sys.argv[1]), root=Path(sys.argv[2]), tm_dir=Path(sys.argv[3])).sync()
"""


def _big_tmx(units: int) -> str:
    tus = "".join(f'<tu><tuv xml:lang="zh-CN"><seg>第{n}號文件規定，全市共有{n}個單位參加。</seg></tuv>'
                  f'<tuv xml:lang="en"><seg>Document {n}: {n} units in the city took part.</seg></tuv></tu>\n'
                  for n in range(units))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN"/>'
            f'<body>\n{tus}</body></tmx>\n')


def test_kill_9_during_indexing_leaves_the_old_index_or_the_new(project):
    translate()
    memory = Memory(root=Path("translations"))
    old = memory.sync()
    memory.close()
    sentence = "全區新建社區服務中心387個。"
    review(Path("translations/jinnan/en.po"), {sentence: "387 new community service centres were built."})
    Path("tm").mkdir()
    Path("tm/big.tmx").write_text(_big_tmx(5_000), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", KILL_PROBE, ".zhen/tm.sqlite", "translations", "tm"], env=env,
                            stdout=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 600)  # a bound for a stuck child, not a timing
        said = proc.stdout.readline() if ready else ""
        inside = proc.poll() is None
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert said == "inside\n" and inside, "the indexer never reached its transaction"
    assert Path(".zhen/tm.sqlite-journal").exists()

    after = Memory(root=Path("translations"))
    assert after.stats().units == 4  # the old index: SQLite rolled the half-done update back
    assert after.best(sentence, min_score=75).unit.target == JINNAN_ENGLISH[sentence]
    assert after.sync() != old and after.stats().units == 5_004  # and the next run does the whole update
    assert after.best(sentence, min_score=75).unit.target == "387 new community service centres were built."
    assert after.best("第17號文件規定，全市共有17個單位參加。", min_score=75).unit.target.startswith("Document 17")


OMEGAT_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
      creationtoolversion="6.0.0_0_1bf1729c" segtype="sentence" srclang="ZH-CN"/>
  <body>
<!-- Default translations -->
    <tu>
      <tuv lang="ZH-CN">
        <seg>滨海新区召开<bpt i="0" x="0">&lt;b&gt;</bpt>工作会议<ept i="0">&lt;/b&gt;</ept></seg>
      </tuv>
      <tuv lang="EN-GB" changeid="editor" changedate="20240105T101500Z" creationid="editor"
          creationdate="20240105T101500Z">
        <seg>Binhai New Area holds a <bpt i="0" x="0">&lt;b&gt;</bpt>work meeting<ept i="0">&lt;/b&gt;</ept></seg>
      </tuv>
    </tu>
    <tu>
      <tuv lang="ZH-CN">
        <seg>会议强调，各级干部要把工作与城市管理结合起来。</seg>
      </tuv>
      <tuv lang="EN-GB">
        <seg>The meeting stressed that officials at every level must link their work with urban management.</seg>
      </tuv>
    </tu>
    <tu>
      <tuv lang="ZH-CN"><seg>只有中文。</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_tmx_written_by_omegat_is_imported_and_drafts(project, tmp_path):
    source = tmp_path / "outside" / "project_save.tmx"
    source.parent.mkdir()
    source.write_text(OMEGAT_TMX, encoding="utf-8")
    result = cli("tm", "import", source)
    assert result.exit_code == 0, result.output
    assert "2 units → tm/project_save.tmx" in result.output and "1 without" in result.output
    assert Path("tm/project_save.tmx").read_bytes() == source.read_bytes()
    translate()
    got = entries(BINHAI_PO)
    title = got["滨海新区召开工作会议"]
    assert title.msgstr == "Binhai New Area holds a work meeting"
    assert notes(title)["tm-match"] == "100% from tm/project_save.tmx"
    assert got["会议强调，各级干部要把工作与城市管理结合起来。"].msgstr.startswith("The meeting stressed")
    hits = [json.loads(line) for line in cli("tm", "search", "城市管理", "--json").stdout.splitlines()]
    assert [set(h) for h in hits] == [{"source", "target", "score", "match", "origin"}]
    # Found because its source holds the phrase, not by a (meaningless, low) fuzzy score.
    assert hits[0]["origin"] == "tm/project_save.tmx" and hits[0]["match"] == "containment"
    assert hits[0]["score"] is None
    shown = cli("tm", "search", "城市管理")
    assert shown.stdout.split()[0] == "contains" and "%" not in shown.stdout
    nothing = cli("tm", "search", "完全不同的句子內容")
    assert nothing.exit_code == 0 and nothing.stdout == ""
    assert "no match" in nothing.stderr and "完全不同的句子內容" in nothing.stderr


def test_zhen_export_tmx_reads_back():
    from pipeline.tm.tmx import tmx

    po = polib.POFile()
    po.metadata = {"X-Source-Language": "zh_TW"}
    po.append(polib.POEntry(msgid="全區新建社區服務中心387個。", msgstr="387 centres & more <new>."))
    po.append(polib.POEntry(msgid="草稿。", msgstr="Draft.", flags=["fuzzy"]))
    report = read_tmx(tmx([("jinnan", po)]).encode("utf-8"), name="x.tmx")
    assert [(u.source, u.target, u.article) for u in report.units] == [
        ("全區新建社區服務中心387個。", "387 centres & more <new>.", "jinnan")]


TRADOS_UTF16 = """<?xml version="1.0" encoding="utf-16"?>
<tmx version="1.4"><header creationtool="SDL Language Platform" creationtoolversion="8.0" o-tmf="SDL TM8 Format"
 datatype="xml" segtype="sentence" adminlang="en-US" srclang="zh-CN"/><body>
<tu creationdate="20240101T000000Z" creationid="TM"><prop type="x-Domain">News</prop>
<tuv xml:lang="zh-CN"><seg>今天天气很好。</seg></tuv><tuv xml:lang="en-US"><seg>The weather is fine today.</seg></tuv></tu>
</body></tmx>"""


@pytest.mark.parametrize("name,data,message", [
    ("laughs.tmx", b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                   b'<tmx version="1.4"><header/><body><tu><tuv xml:lang="zh"><seg>&b;</seg></tuv>'
                   b'<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>', "internal subset"),
    ("external.tmx", b'<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "file:///etc/passwd"><tmx version="1.4"><header/>'
                     b'<body><tu><tuv xml:lang="zh"><seg>\xe4\xb8\xad</seg></tuv><tuv xml:lang="en"><seg>&ext;</seg>'
                     b'</tuv></tu></body></tmx>', "entity references other than the XML built-ins are refused"),
    ("empty.tmx", b'<tmx version="1.4"><header/><body><tu><tuv xml:lang="fr"><seg>x</seg></tuv></tu></body></tmx>',
     "no usable translation unit"),
    ("html.tmx", b"<html><body>no</body></html>", "root element is <html>"),
    ("v2.tmx", b'<tmx version="2.0"><header/><body/></tmx>', "TMX version '2.0'"),
    ("broken.tmx", b'<tmx version="1.4"><header/><body><tu>', "not well-formed"),
])
def test_hostile_or_useless_tmx_is_refused(project, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    result = cli("tm", "import", path)
    assert result.exit_code == 2 and message in result.output and str(path) in result.output
    assert not Path("tm", name).exists()


def test_tmx_caps_and_encodings(monkeypatch):
    report = read_tmx(TRADOS_UTF16.encode("utf-16"), name="trados.tmx")
    assert [(u.source, u.target) for u in report.units] == [("今天天气很好。", "The weather is fine today.")]
    deep = b'<tmx version="1.4">' + b"<a>" * 40 + b"</a>" * 40 + b"</tmx>"
    with pytest.raises(TMError, match="nested deeper"):
        read_tmx(deep, name="deep.tmx")
    from pipeline.tm import tmx as tmx_module

    monkeypatch.setattr(tmx_module, "MAX_BYTES", 100)
    with pytest.raises(TMError, match="larger than"):
        read_tmx(b" " * 101, name="big.tmx")


def test_a_changed_tmx_in_tm_replaces_its_units_and_a_different_import_is_refused(project, tmp_path):
    source = tmp_path / "project_save.tmx"
    source.write_text(OMEGAT_TMX, encoding="utf-8")
    assert cli("tm", "import", source).exit_code == 0
    assert cli("tm", "import", source).exit_code == 0  # the same file again: nothing to do
    source.write_text(OMEGAT_TMX.replace("urban management", "city management"), encoding="utf-8")
    result = cli("tm", "import", source)
    assert result.exit_code == 2 and "already exists with other content" in result.output


def test_status_and_page_show_each_drafts_origin_and_match(project):
    translate()
    status = json.loads([line for line in cli("status", "--json").stdout.splitlines() if '"binhai"' in line][0])
    assert status["origins"] == {"dictionary": 2, "tm": 4}
    assert sorted(m["score"] for m in status["tm_matches"]) == [84, 99, 99, 100]
    page = Path("translations/binhai/en.html").read_text(encoding="utf-8")
    assert "Draft · tm 84%" in page and "Draft · tm 100%" in page and "Draft · dictionary" in page
    table = CliRunner().invoke(main, ["status"], env={"COLUMNS": "200"}).stdout
    assert "dictionary 2, tm 4" in table


def test_a_broken_catalog_is_left_out_of_the_memory_with_a_warning(project):
    Path("translations/jinnan/en.po").write_text('msgid "x"\nmsgstr ', encoding="utf-8")
    result = cli("tm", "stats", "--json")
    assert result.exit_code == 0 and "left out of the translation memory" in result.output


EXTRA_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh-TW" segtype="sentence"/><body>
<tu><tuv xml:lang="zh-TW"><seg>去年全區投資12億元。</seg></tuv>
<tuv xml:lang="en"><seg>Last year the district invested 1.2 billion yuan.</seg></tuv></tu>
<tu><tuv xml:lang="zh-TW"><seg>全區有3個新區和3個園區。</seg></tuv>
<tuv xml:lang="en"><seg>The district has 3 new zones and three parks.</seg></tuv></tu>
</body></tmx>
"""


def test_memory_drafts_get_new_figures_glossary_repair_and_qa(project):
    Path("glossary/g.tsv").write_text(
        "term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n"
        "基層黨組織\t基层党组织\tprimary-level Party organizations\tgrassroots Party organizations\tbody\t"
        "Party cells\tzhen editorial rendering\n",
        encoding="utf-8")
    Path("tm").mkdir()
    Path("tm/extra.tmx").write_text(EXTRA_TMX, encoding="utf-8")
    folder = Path("translations/dongli")
    folder.mkdir()
    (folder / "source.zh.txt").write_text(
        "去年全区投资15亿元。\n全区有4个新区和3个园区。\n今年以来，全区共有5120个基层党组织参加活动。\n", encoding="utf-8")
    assert translate("translations/dongli")["dongli"]["tm"] == 3
    got = entries(folder / "en.po")

    billion = got["去年全区投资15亿元。"]
    assert billion.msgstr == "Last year the district invested 1.5 billion yuan."
    assert notes(billion)["tm-figures"] == "1.2 billion → 1.5 billion"
    assert notes(billion)["tm-match"] == "99% from tm/extra.tmx"

    # 3 is in the memory's sentence twice: which English figure is which cannot be told.
    unmapped = got["全区有4个新区和3个园区。"]
    assert unmapped.msgstr == "The district has 3 new zones and three parks."
    assert notes(unmapped)["tm-figures"].startswith("not carried over (3 cannot be paired")
    assert "qa: error (numbers): figure 4" in unmapped.comment

    repaired = got["今年以来，全区共有5120个基层党组织参加活动。"]
    assert repaired.msgstr == ("Since the start of the year, 5,120 primary-level Party organizations in the district "
                               "have taken part.")
    assert ('draft-check: "grassroots Party organizations" replaced by the required "primary-level Party '
            'organizations"; check the grammar around it') in repaired.comment.replace("\n", " ")
    assert "qa: error" not in repaired.comment


def test_articles_under_the_translations_root_are_skipped_on_the_next_run(project, runs):
    """New catalogs of drafts give the memory nothing, so they must not make every article
    look out of date; and the run records them so the next one need not parse them."""
    translate()  # writes Binhai's first catalog
    runs.clear()
    translate()
    assert runs == []
    review(BINHAI_PO, {"全区新建社区服务中心415个。": "The district built 415 new community service centres."})
    translate()
    assert sorted(runs) == ["binhai", "jinnan"]  # a reviewed sentence anywhere may draft any article


def test_an_index_that_cannot_be_written_is_one_line_naming_it(project):
    shutil.rmtree(".zhen")
    Path(".zhen").write_text("a file where the index folder should be", encoding="utf-8")
    result = cli("tm", "stats")
    assert result.exit_code == 2
    assert result.output.startswith("error: .zhen/tm.sqlite: cannot create the memory index's folder")
    assert len(result.output.strip().splitlines()) == 1


def test_import_into_a_tm_folder_that_is_a_file_is_one_line(project, tmp_path):
    source = tmp_path / "project_save.tmx"
    source.write_text(OMEGAT_TMX, encoding="utf-8")
    Path("tm").write_text("not a folder", encoding="utf-8")
    result = cli("tm", "import", source)
    assert result.exit_code == 2 and "cannot copy into tm" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_tm_search_from_a_subfolder_reads_the_projects_settings(project, monkeypatch):
    """The project's zhen.toml, not one in the working folder, sets the concordance's threshold."""
    fuzzy = "会议要求，各级党组织要把活动与城市建设紧密结合起来。"  # 84% like a Jinnan sentence

    def scores():
        result = cli("tm", "search", fuzzy, "--json")
        assert result.exit_code == 0, result.output
        return [json.loads(line)["score"] for line in result.stdout.splitlines()]

    monkeypatch.chdir(project / "translations" / "binhai")
    assert scores() == [84]
    (project / "zhen.toml").write_text("[tm]\nmin_score = 85\n", encoding="utf-8")
    assert scores() == []


def indexed(root: Path) -> dict[str, int]:
    """Units per file name, as the index holds them."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(root / ".zhen" / "tm.sqlite")) as db:
        return dict(db.execute("SELECT f.path, count(u.id) FROM files f LEFT JOIN units u ON u.file = f.path "
                               "GROUP BY f.path"))


def test_the_memory_names_files_from_the_project_whatever_the_working_folder(project, monkeypatch, runs):
    translate()
    catalog = undated(BINHAI_PO)
    names = {"translations/binhai/en.po": 0, "translations/jinnan/en.po": 4}
    assert indexed(project) == names
    # From a subfolder: the same names, nothing indexed twice, nothing redrafted.
    monkeypatch.chdir(project / "translations" / "binhai")
    runs.clear()
    result = cli("translate", "--engine", "dictionary", "--glossary", project / "glossary", "--json")
    assert result.exit_code == 0, result.output
    assert runs == [] and indexed(project) == names
    assert undated(project / BINHAI_PO) == catalog
    hits = [json.loads(line) for line in cli("tm", "search", "全区新建社区服务中心", "--json").stdout.splitlines()]
    assert [h["origin"] for h in hits] == ["translations/jinnan/en.po"]
    assert json.loads(cli("tm", "stats", "--json").stdout)["units"] == 4


def test_an_index_naming_files_from_another_folder_is_renamed_on_the_next_run(project, monkeypatch):
    # What an older zhen wrote when run from translations/binhai: names relative to that folder.
    old = Memory(project / ".zhen" / "tm.sqlite", root=project / "translations", tm_dir=project / "tm",
                 base=project / "translations" / "binhai")
    old.sync()
    old.close()
    assert indexed(project) == {"../jinnan/en.po": 4}
    monkeypatch.chdir(project / "translations" / "binhai")
    assert json.loads(cli("tm", "stats", "--json").stdout)["units"] == 4
    assert indexed(project) == {"translations/jinnan/en.po": 4}


def test_an_exact_memory_match_beats_the_translation_of_an_earlier_version(project):
    translate()
    urban = "会议要求，各级党组织要把活动与城市建设紧密结合起来。"
    english = "The meeting asked Party organizations at every level to tie the campaign closely to urban construction."
    review(BINHAI_PO, {urban: english})
    # Jinnan's reviewed sentence is edited into the one Binhai's reviewer has just translated.
    source = project / "translations" / "jinnan" / "source.zh.txt"
    source.write_text(JINNAN.replace("與經濟發展", "與城市建設"), encoding="utf-8")
    translate()
    entry = entries(Path("translations/jinnan/en.po"))["會議要求，各級黨組織要把活動與城市建設緊密結合起來。"]
    assert entry.msgstr == english and "fuzzy" in entry.flags
    assert notes(entry)["tm-match"].startswith("100% from article binhai")
    assert "match" not in notes(entry)


def test_a_zhen_toml_in_an_article_folder_does_not_make_it_a_project(project, monkeypatch, runs):
    """One project decides glossary, settings, memory and articles, whichever path or folder names the
    article: a settings file among the articles is not a project of its own."""
    binhai = project / "translations" / "binhai"
    (binhai / "zhen.toml").write_text("[tm]\nmin_score = 100\n", encoding="utf-8")
    fuzzy = "会议要求，各级党组织要把活动与城市建设紧密结合起来。"
    assert translate()["binhai"]["tm"] > 0
    assert notes(entries(BINHAI_PO)[fuzzy])["draft"].startswith("tm")  # the project's threshold, 75
    catalog = (binhai / "en.po").read_bytes()
    runs.clear()
    for given in ([], ["translations/binhai"]):  # said, whichever path names the article
        result = cli("translate", "--engine", "dictionary", "--glossary", "glossary", *given)
        assert result.exit_code == 0, result.output
        assert (f"warning: {Path('translations/binhai/zhen.toml').absolute()}: not read: a folder under "
                f"{project / 'translations'} is an article, not a project; every article takes its settings "
                f"from the defaults (there is no {project / 'zhen.toml'})") in " ".join(result.stderr.split())
    assert runs == [] and (binhai / "en.po").read_bytes() == catalog
    monkeypatch.chdir(binhai)
    result = cli("translate", ".", "--engine", "dictionary", "--json")  # the project's glossary, found from here
    assert result.exit_code == 0, result.output
    assert runs == [] and (binhai / "en.po").read_bytes() == catalog
    assert json.loads(cli("tm", "stats", "--json").stdout)["units"] == 4
    assert not (binhai / ".zhen").exists() and not (binhai / "glossary").exists()


@pytest.mark.parametrize("command", [["tm", "stats"], ["tm", "search", "創先"], ["tm", "import", "in.tmx"]])
def test_the_memory_commands_need_a_project(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.tmx").write_text(OMEGAT_TMX, encoding="utf-8")
    result = cli(*command)
    assert result.exit_code == 2
    assert result.output.startswith(f"error: not inside a zhen project: no zhen.toml, nor glossary/ and "
                                    f"translations/, in {tmp_path} or any folder above it")
    assert result.output.rstrip().endswith("(run zhen from the project)")  # --glossary would not help here
    assert len(result.output.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.tmx"]  # no tm/, no .zhen/


# A memory match whose figures changed, one case per notation: (new source, memory source, memory English,
# the draft's English).
CHANGED_FIGURES = [
    ("新建黨組織402個。", "新建黨組織387個。", "387 new organizations were set up.",
     "402 new organizations were set up."),
    ("投資1.5萬元。", "投資1.2萬元。", "An investment of 12,000 yuan.", "An investment of 15,000 yuan."),
    ("投資1.5億元。", "投資1.2億元。", "An investment of 120 million yuan.", "An investment of 150 million yuan."),
    ("總額2.5萬億元。", "總額2.3萬億元。", "A total of 2.3 trillion yuan.", "A total of 2.5 trillion yuan."),
    ("选派500多名党员。", "選派480多名黨員。", "More than 480 members were sent.", "More than 500 members were sent."),
    ("約6000人參加。", "約5000人參加。", "About 5,000 took part.", "About 6,000 took part."),
    ("增幅為百分之十五。", "增幅為百分之十二點五。", "It grew 12.5 percent.", "It grew 15 percent."),
    ("增長3.5個百分點。", "增長2.5個百分點。", "Up 2.5 percentage points.", "Up 3.5 percentage points."),
    ("四成的企業。", "三成的企業。", "30 percent of the companies.", "40 percent of the companies."),
    ("參加者５１２０人。", "參加者４５１２人。", "4,512 took part.", "5,120 took part."),
    ("新建五所學校和三家醫院。", "新建四所學校和兩家醫院。", "Four schools and two hospitals were built.",
     "Five schools and three hospitals were built."),
    ("第三次會議。", "第二次會議。", "The second meeting.", "The third meeting."),
    ("第三次會議。", "第二次會議。", "The 2nd meeting.", "The 3rd meeting."),
    ("第二十二屆運動會。", "第二十一屆運動會。", "The 21st Games.", "The 22nd Games."),
    ("第十三屆運動會。", "第十二屆運動會。", "The twelfth Games.", "The thirteenth Games."),
    ("二〇一一年開始。", "二〇一〇年開始。", "In 2010 it began.", "In 2011 it began."),
    ("三分之二的企業。", "三分之一的企業。", "One-third of the companies.", "Two-thirds of the companies."),
    ("氣溫零下七度。", "氣溫零下五度。", "It was minus 5 degrees.", "It was minus 7 degrees."),
    ("選派兩千名黨員。", "選派三千名黨員。", "3,000 members were sent.", "2,000 members were sent."),
]


@pytest.mark.parametrize("source, tm_source, tm_target, expected", CHANGED_FIGURES)
def test_a_memory_match_gets_the_new_figures_in_every_notation(source, tm_source, tm_target, expected):
    from pipeline.qa.checks import check_segment

    sub = substitute(source, tm_source, tm_target)
    assert sub.text == expected and sub.changes and not sub.unmapped
    assert [f for f in check_segment(source, sub.text, []) if f.check == "numbers"] == []
    # The memory's English, kept as it was, would have been an error.
    assert any(f.check == "numbers" and f.severity == "error" for f in check_segment(source, tm_target, []))


def test_ordinal_suffixes_are_written_for_the_new_number():
    for was, now, english in [("第二", "第三", "3rd"), ("第二十一", "第二十二", "22nd"), ("第二", "第十一", "11th"),
                              ("第二", "第十三", "13th"), ("第三", "第一", "1st")]:
        assert substitute(f"{now}次。", f"{was}次。", "The 2nd time." if was == "第二" else
                          ("The 21st time." if was == "第二十一" else "The 3rd time.")).text == f"The {english} time."


@pytest.mark.parametrize("source, tm_source, tm_target", [
    ("新建五所學校。", "新建四所學校和兩家醫院。", "Four schools and two hospitals were built."),
    ("有5個和6個。", "有4個和4個。", "4 and 4"),
    ("零上五度。", "零下五度。", "Minus 5 degrees."),
    ("增長2.5個百分點。", "增長百分之2.5。", "Up 2.5 percent."),
])
def test_a_figure_the_memory_cannot_substitute_is_left_noted_and_an_error(source, tm_source, tm_target):
    from pipeline.model import Segment
    from pipeline.qa.checks import check_segment
    from pipeline.tm.draft import draft
    from pipeline.tm.index import Match, Unit

    d = draft(Segment(1, 1, 1, "body", source), Match(Unit(tm_source, tm_target, "tm/x.tmx"), 90), [],
              load_glossary(GLOSSARY_DIR))
    assert d.text == tm_target
    assert any(n.startswith("tm-figures: not carried over") for n in d.notes)
    assert any(f.check == "numbers" and f.severity == "error" for f in check_segment(source, d.text, []))
