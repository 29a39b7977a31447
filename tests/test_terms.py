"""Term discovery (pipeline/glossary/discovery.py), `zhen terms suggest` and the `terms` QA check."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.glossary.table import COLUMNS, Glossary, parse_rows
from pipeline.model import Term
from pipeline.qa.checks import check_segment
from pipeline.text.script import fold
from pipeline.glossary.discovery import Unit, article_units, suggest, tsv_rows
from tests.conftest import GLOSSARY_DIR, ROOT, SAMPLE

DATA = ROOT / "tests" / "data" / "terms"
NATIONAL = DATA / "national.zh-hans.txt"
LOCAL = DATA / "local.zh-hant.txt"

# What a reader of each article would list as its numbered formulas.
NATIONAL_FORMULAS = ["四个意识", "四个自信", "两个维护", "四个全面", "两学一做", "三严三实", "一岗双责", "三重一大",
                     "一国两制", "一带一路", "六稳六保", "三去一降一补", "两不愁三保障", "三大攻坚战", "五大发展理念",
                     "三会一课", "四项基本原则", "八荣八耻", "三个代表", "四个现代化", "十三五", "三农问题", "八项规定"]
LOCAL_FORMULAS = ["三個高地", "五個攻堅戰", "十大戰役", "一庫四清", "五比一創", "五比三創一考評", "三學五比一考核",
                  "一站三中心", "三評議", "五個好", "三個中心", "兩學一做", "三嚴三實", "一崗雙責", "八項規定"]
# Figures, dates and counted phrases both articles contain.
NOT_TERMS = ["3200多名", "1.5万人次", "387个", "54个", "89周年", "两个月", "三年来", "两个问题", "每三个月", "第三个",
             "一心一意", "四面八方", "一定", "4800多個", "兩個月", "三年來", "七一", "480多名"]


def by_kind(candidates, kind):
    return [c.term for c in candidates if c.kind == kind]


@pytest.fixture(scope="module")
def empty():
    return Glossary([])


def test_national_formulas_in_an_article_of_our_own(empty):
    found = suggest(article_units([NATIONAL]), empty)
    assert sorted(by_kind(found, "formula")) == sorted(NATIONAL_FORMULAS)
    assert not [c.term for c in found if any(fold(n) in fold(c.term) for n in NOT_TERMS)]


def test_local_formulas_in_traditional_quoted_and_not(empty):
    found = suggest(article_units([LOCAL]), empty)
    assert sorted(by_kind(found, "formula")) == sorted(LOCAL_FORMULAS)
    counts = {c.term: c.count for c in found}
    assert counts["三個高地"] == 2 and counts["五個攻堅戰"] == 2  # the headline and the body
    assert not [c.term for c in found if any(fold(n) in fold(c.term) for n in NOT_TERMS)]


def test_the_sample_with_an_empty_glossary(empty):
    found = suggest(article_units([SAMPLE]), empty)
    formulas = by_kind(found, "formula")
    for term in ("三個高地", "五個攻堅戰", "十大戰役", "一庫四清", "五比一創", "三評議", "五個好", "五比三創一考評",
                 "三學五比一考核", "一站三中心", "三個中心"):
        assert term in formulas
    quoted = by_kind(found, "quoted")
    assert "學先進、趕先進、作貢獻、當表率" in quoted and "全覆蓋" in quoted
    assert "七一" not in quoted  # a date, checked as one
    assert "創先爭優" in by_kind(found, "recurring")
    kinds = [c.kind for c in found]
    assert kinds == sorted(kinds, key=("formula", "quoted", "recurring").index)
    for kind in ("formula", "quoted", "recurring"):
        counts = [c.count for c in found if c.kind == kind]
        assert counts == sorted(counts, reverse=True)


def test_the_sample_with_the_full_glossary_suggests_nothing_it_has(glossary):
    found = suggest(article_units([SAMPLE]), glossary)
    forms = {fold(f) for t in glossary.terms for f in t.forms}
    assert found  # recurring expressions remain
    for c in found:
        assert fold(c.term) not in forms
        # nor anything a glossary term covers where it occurs
        for ctx in c.contexts:
            at = fold(ctx.text).find(fold(c.term))
            assert not any(h.start <= at and at + len(c.term) <= h.end for h in glossary.match(ctx.text)), c.term
    assert not by_kind(found, "formula") and not by_kind(found, "quoted")


@pytest.mark.parametrize("row", [
    Term("三個高地", "three highlands"),                     # Traditional term, Simplified text
    Term("三个高地", "three highlands"),                     # Simplified term, Traditional text
    Term("構築三個高地", "build three highlands", variants=("三個高地",)),  # only as a variant
])
def test_a_term_in_the_glossary_in_either_script_or_as_a_variant_is_not_suggested(row):
    units = [Unit("a.txt:1", "加快構築『三個高地』、打好『五個攻堅戰』。"), Unit("b.txt:1", "加快构筑“三个高地”。")]
    found = suggest(units, Glossary([row]), recurring=False)
    assert [c.term for c in found] == ["五個攻堅戰"]


def test_a_lone_counted_noun_is_suggested_when_it_recurs(empty):
    once = [Unit("a.txt:1", "加快構築三個高地。")]
    assert suggest(once, empty, recurring=False) == []
    twice = once + [Unit("a.txt:2", "服務三個高地建設。")]
    found = suggest(twice, empty, recurring=False)
    assert [(c.term, c.count) for c in found] == [("三個高地", 2)]
    assert [x.reference for x in found[0].contexts] == ["a.txt:1", "a.txt:2"]


def test_recurring_expressions_unknown_to_the_dictionary(empty):
    units = [Unit("a.txt:1", "全市開展創先爭優活動。"), Unit("a.txt:2", "各級黨組織圍繞創先爭優活動開展工作。"),
             Unit("a.txt:3", "經濟社會發展很快。")]
    recurring = by_kind(suggest(units, empty), "recurring")
    # 創先爭優 only ever occurs in 創先爭優活動 here: the longer form alone is proposed.
    assert recurring == ["創先爭優活動"]
    recurring = by_kind(suggest(units + [Unit("a.txt:4", "圍繞科學發展創先爭優。")], empty), "recurring")
    assert recurring == ["創先爭優", "創先爭優活動"]
    assert "開展" not in recurring  # a known word
    assert "經濟社會發展" not in recurring  # once only


def test_json_contract_and_table(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["terms", "suggest", str(LOCAL), "--json", "--glossary", str(tmp_path / "empty")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert all(set(r) == {"term", "kind", "count", "contexts", "english", "source", "literal"} for r in rows)
    first = rows[0]
    assert first["term"] == "三個高地" and first["kind"] == "formula" and first["count"] == 2
    # The article names no place, so Tianjin's row does not fix it; its English is offered, named as Tianjin's.
    assert first["english"] == "three highlands" and not first["literal"]
    assert "(a 天津 term: check it applies here) [tianjin.tsv:" in first["source"]
    assert [r["literal"] for r in rows if r["term"] == "一崗雙責"] == [True]
    assert [c["reference"] for c in first["contexts"]] == [f"{LOCAL}:1", f"{LOCAL}:2"]
    assert "構築三個高地" in first["contexts"][1]["text"]
    table = CliRunner().invoke(main, ["terms", "suggest", str(LOCAL), "--glossary", str(tmp_path / "empty")])
    assert table.exit_code == 0 and "not official" in table.output and "三個高地" in table.output


def test_tsv_rows_are_glossary_rows_a_person_must_finish(tmp_path):
    glossary_before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in GLOSSARY_DIR.iterdir()}
    # The article with its districts (濱海新區, 東麗區: Tianjin's) left unnamed, so that it names no place.
    unplaced = tmp_path / "unplaced.zh-hant.txt"
    unplaced.write_text(LOCAL.read_text(encoding="utf-8").replace("濱海新區", "該區").replace("東麗區", "該區"),
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["terms", "suggest", str(unplaced), "--tsv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("#") and lines[1].split("\t") == list(COLUMNS)
    rows = [line.split("\t") for line in lines[2:]]
    assert rows and all(len(r) == len(COLUMNS) for r in rows)
    record = {r[0]: dict(zip(COLUMNS, r)) for r in rows}
    # The national 兩學一做 is known; Tianjin's 三個高地 is not in this unplaced article's scope, so it is
    # suggested with Tianjin's English; 一崗雙責 is in no glossary.
    assert "兩學一做" not in record and "一崗雙責" in record
    assert record["三個高地"]["note"].startswith("From a shipped glossary: three highlands (")
    assert "a 天津 term" in record["三個高地"]["note"] and record["三個高地"]["english"] == ""
    row = record["一崗雙責"]
    assert row["english"] == "" and row["source"] == "" and row["variants"] == "一岗双责"
    assert f"{unplaced}:5" in row["note"] and "not official" in row["note"]
    # Saved as is, the file is a glossary: lint reads its header and refuses each row until
    # english and source are filled, naming the row.
    saved = tmp_path / "candidates.tsv"
    saved.write_text(result.output, encoding="utf-8")
    lint = CliRunner().invoke(main, ["glossary", "lint", "--glossary", str(saved)])
    assert lint.exit_code == 1
    complaints = lint.stdout.splitlines()
    assert len(complaints) == len(rows) and all("empty required field(s): english, source" in c for c in complaints)
    assert f"{saved}:3:" in complaints[0]
    # Filled in, the same file passes as a glossary.
    head, body = lines[:2], [dict(zip(COLUMNS, r)) for r in rows if r[0] == "一崗雙責"]
    body[0].update(english="dual responsibilities of a post", note="A duty of officials.", source="https://www.gov.cn/")
    saved.write_text("\n".join(head + ["\t".join(r[c] for c in COLUMNS) for r in body]) + "\n", encoding="utf-8")
    lint = CliRunner().invoke(main, ["glossary", "lint", "--glossary", str(saved)])
    assert lint.exit_code == 0, lint.output
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in GLOSSARY_DIR.iterdir()} == glossary_before


def test_an_empty_glossary_file_is_named_and_called_empty(tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("# nothing yet\n\n", encoding="utf-8")
    lint = CliRunner().invoke(main, ["glossary", "lint", "--glossary", str(empty)])
    assert lint.exit_code == 1 and f"{empty}:1: error: the glossary file is empty" in lint.stdout
    run = CliRunner().invoke(main, ["glossary", "find", "天津", "--glossary", str(empty)])
    assert run.exit_code == 2 and str(empty) in run.output and "is empty" in run.output


def test_tsv_cells_never_break_a_row():
    from pipeline.glossary.discovery import Candidate, Context

    c = Candidate("甲\t乙", "quoted", 1, (Context("a.txt:1", "line\twith\ttabs\nand | pipes"),))
    (line,) = tsv_rows([c]).splitlines()[2:]
    assert len(line.split("\t")) == len(COLUMNS)


def test_json_and_tsv_are_exclusive():
    result = CliRunner().invoke(main, ["terms", "suggest", str(LOCAL), "--json", "--tsv"])
    assert result.exit_code == 2


def test_a_missing_article_is_one_error_line(tmp_path):
    result = CliRunner().invoke(main, ["terms", "suggest", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2 and "nope.txt" in result.output


# --- the QA check ------------------------------------------------------------------------------


def test_terms_check_warns_for_formulas_and_slogans_the_glossary_lacks(glossary):
    source = "東麗區開展『四評議』和『三評議』活動,落實一崗雙責,以『黨員示範先鋒』為載體,構築『三個高地』。"
    findings = [f for f in check_segment(source, "Some English.", glossary.match(source)) if f.check == "terms"]
    # 三評議 and 三個高地 are in the glossary; the rest is not.
    assert [(f.severity, f.subject) for f in findings] == [("warning", "四評議"), ("warning", "一崗雙責"),
                                                           ("warning", "黨員示範先鋒")]
    assert "not in the glossary" in findings[0].message


def test_terms_check_is_quiet_on_the_sample(glossary):
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    for seg in segment(read_article(SAMPLE)):
        assert not [f for f in check_segment(seg.text, "English.", glossary.match(seg.text)) if f.check == "terms"]


def test_terms_warnings_reach_the_catalog_notes_and_the_page(tmp_path):
    from pipeline.workspace.articles import resolve
    from pipeline.glossary.table import load_glossary
    from pipeline.engines.registry import EngineProvider
    from pipeline.run import translate_article

    folder = tmp_path / "article"
    folder.mkdir()
    shutil.copy(LOCAL, folder / "source.zh.txt")
    glossary = load_glossary(GLOSSARY_DIR)
    # The article names only Tianjin's districts, which the gazetteer leaves out: declared, it takes Tianjin's terms.
    from pipeline.glossary.scope import Scope

    translate_article(resolve(folder), glossary=glossary, engines=EngineProvider("dictionary", glossary),
                      place=Scope("天津", "declared"))
    catalog = (folder / "en.po").read_text(encoding="utf-8")
    assert "#. qa: warning (terms): numbered formula 一崗雙責 is not in the glossary" in catalog
    # Tianjin's 三個高地 and the national 兩學一做 are in the shipped glossaries.
    assert "三個高地 is not in the glossary" not in catalog and "兩學一做 is not in the glossary" not in catalog
    page = (folder / "en.html").read_text(encoding="utf-8")
    assert "一崗雙責 is not in the glossary" in page
    result = CliRunner().invoke(main, ["check", str(folder), "--json", "--glossary", str(GLOSSARY_DIR)])
    terms = [json.loads(line) for line in result.output.splitlines() if '"terms"' in line]
    assert "一崗雙責" in {t["subject"] for t in terms}
    assert not {t["subject"] for t in terms} & {"兩學一做", "三嚴三實"}
    assert all(t["severity"] == "warning" for t in terms)
