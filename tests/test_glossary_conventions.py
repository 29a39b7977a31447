"""The glossary's capitalisation and citation conventions (pipeline/glossary/conventions.py)."""

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.glossary.conventions import check_conventions
from pipeline.model import Term
from tests.conftest import GLOSSARY_DIR

E = "zhen editorial rendering"


def messages(term):
    return [p.message for p in check_conventions([term])]


@pytest.mark.parametrize("term, problem", [
    (Term("五比一創", "Five Comparisons and One Creation", source=E), "local formulas are lower case"),
    (Term("五個好", "Five Goods", source=E), "local formulas are lower case"),
    (Term("十大戰役", "Ten Major Battles", source=E), "local formulas are lower case"),
    (Term("創先爭優活動", "strive for excellence campaign", kind="campaign", source=E), "Title Case"),
    (Term("創先爭優活動", "Strive for Excellence Campaign", kind="campaign", source=E), "lower case"),
    (Term("三個高地", "three highlands", source="Tianjin government English usage 'three highlands'"),
     "without a citation"),
    (Term("創先爭優", "strive for excellence", source="Xinhua English usage"), "without a citation"),
    (Term("黨員示範崗", "Party member model post", source=E + " ('model' as in Xinhua usage)"), "without a citation"),
    (Term("寶坻區", "Baodi District", source="Official English name"), "without a citation"),
])
def test_breaches_are_warnings(term, problem):
    found = check_conventions([term])
    assert len(found) == 1 and problem in found[0].message and found[0].severity == "warning"


@pytest.mark.parametrize("term", [
    Term("三個高地", "three highlands", source=E),
    Term("五個好", "five-good", source=E),
    Term("三學五比一考核", "three studies, five comparisons and one assessment", source=E),
    Term("黨員示範崗", "Party member model post", source=E),  # not a formula: capitals are free
    Term("創先爭優活動", "Strive for Excellence campaign", kind="campaign", source=E),
    Term("三個代表", "Three Represents", source="Xinhua, 15 October 2007"),  # cited official capitals stay
    Term("濱海新區", "Binhai New Area", source="China Daily, https://www.chinadaily.com.cn/x.htm"),
    Term("顧金鍾", "Gu Jinzhong", source=E + " (pinyin)"),
])
def test_rows_that_keep_the_conventions(term):
    assert messages(term) == []


def test_the_shipped_glossary_keeps_them():
    result = CliRunner().invoke(main, ["glossary", "lint", "--glossary", str(GLOSSARY_DIR)])
    assert result.exit_code == 0, result.output


def test_lint_fails_on_a_breach(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n"
                    "五比一創\t\tFive Comparisons and One Creation\t\tcampaign\tA drive.\tzhen editorial rendering\n"
                    "創先爭優\t\tstrive for excellence\t\tslogan\tThe slogan.\tXinhua usage\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["glossary", "lint", "--glossary", str(path)])
    assert result.exit_code == 1
    assert "g.tsv:2: warning: local formulas are lower case" in result.output
    assert "g.tsv:3: warning: source 'Xinhua usage' claims usage without a citation" in result.output


def by_term(glossary):
    return {t.term: t for t in glossary.terms}


def test_audited_rows(glossary):
    rows = by_term(glossary)
    assert rows["五個好"].english == "five-good" and "Five Goods" in rows["五個好"].avoid
    assert rows["十大戰役"].english == "ten major battles" and "10 Major Projects" in rows["十大戰役"].note
    assert rows["五比一創"].english == "five comparisons and one creation"
    # Attested forms are not banned: they sit in the note for the reviewer.
    assert "scientific concept of development" not in [a.lower() for a in rows["科學發展觀"].avoid]
    assert "older official form" in rows["科學發展觀"].note
    assert rows["幹部"].avoid == () and "cadre" in rows["幹部"].note
    assert rows["基層黨組織"].avoid == () and "grassroots Party organizations" in rows["基層黨組織"].accept
    # No invented contents; the checked components of the 2012 interview stay.
    assert "for example" not in rows["一庫四清"].note and "such as" not in rows["五比一創"].note
    assert "for illustration" in rows["五個好"].note.lower()
    assert "高端產業" in rows["三個高地"].note and "濱海新區開發開放" in rows["五個攻堅戰"].note
    assert "People's Daily" in rows["三個高地"].source
    for term in ("三個高地", "十大戰役", "創先爭優"):
        assert rows[term].source.startswith("zhen editorial rendering")


@pytest.mark.parametrize("note", [
    "Xinhua's English.", "The official English name.", "Officially rendered so.", "State-media usage.",
    "The attested form.", "China Daily writes it so.",
])
def test_a_note_that_claims_usage_needs_a_url_in_its_row(note):
    bare = Term("四風", "four forms of decadence", note=note, source=E)
    assert any("no URL" in m for m in messages(bare))
    cited = Term("四風", "four forms of decadence", note=note, source="Xinhua, https://english.news.cn/x.htm")
    assert messages(cited) == []


def test_the_noun_official_is_no_claim():
    assert messages(Term("聯繫點", "contact point", note="A place a leading official visits.", source=E)) == []


def test_an_avoided_rendering_the_rows_source_quotes_is_an_error():
    row = Term("又好又快", "sound and rapid", avoid=("good and fast",),
               source="Xinhua 'good and fast', https://english.news.cn/x.htm")
    [problem] = check_conventions([row])
    assert problem.severity == "error" and "'good and fast' is quoted in the row's own source" in problem.message
    assert check_conventions([Term("又好又快", "sound and rapid", avoid=("fast and good",),
                                   source="Xinhua 'good and fast', https://english.news.cn/x.htm")]) == []
