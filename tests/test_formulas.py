"""Numbered formulas and quoted slogans, recognised by structure (pipeline/text/formulas.py)."""

import pytest

from pipeline.text.formulas import find_mentions
from pipeline.text.script import fold


def certain(text):
    return [m.surface for m in find_mentions(text) if m.certain]


# National formulas, unquoted unless the sentence quotes them; each (sentence, formulas in it).
NATIONAL = [
    ("增强四个意识、坚定四个自信、做到两个维护。", ["四个意识", "四个自信", "两个维护"]),
    ("协调推进四个全面战略布局。", ["四个全面"]),
    ("深入开展两学一做学习教育。", ["两学一做"]),
    ("践行三严三实，落实一岗双责。", ["三严三实", "一岗双责"]),
    ("严格执行三重一大决策制度。", ["三重一大"]),
    ("坚持一国两制方针，推进一带一路建设。", ["一国两制", "一带一路"]),
    ("统筹做好六稳六保工作，持续推进三去一降一补。", ["六稳六保", "三去一降一补"]),
    ("实现两不愁三保障，打好三大攻坚战。", ["两不愁三保障", "三大攻坚战"]),
    ("贯彻五大发展理念。", ["五大发展理念"]),
    ("落实三会一课制度，坚持四项基本原则，树立八荣八耻。", ["三会一课", "四项基本原则", "八荣八耻"]),
    ("坚持三个代表重要思想，为实现四个现代化而奋斗。", ["三个代表", "四个现代化"]),
    ("完成十三五规划目标，着力解决三农问题。", ["十三五", "三农问题"]),
    ("认真贯彻八项规定精神。", ["八项规定"]),
    ("十四五时期开局良好。", ["十四五"]),
    ("全面落实五位一体总体布局。", ["五位一体"]),
]

# The sample article's local formulas, in the sample's Traditional script.
LOCAL = [
    ("全市黨員加快構築三個高地、打好五個攻堅戰。", ["三個高地", "五個攻堅戰"]),
    ("濱海新區堅持把服務十大戰役作為著力點。", ["十大戰役"]),
    ("堅持一庫四清,實行拉網式調查。", ["一庫四清"]),
    ("以五比一創活動為載體。", ["五比一創"]),
    ("實施以三學五比一考核為主要內容的工程。", ["三學五比一考核"]),
    ("薊縣開展的五比三創一考評活動。", ["五比三創一考評"]),
    ("探索推行了一站三中心工作模式。", ["一站三中心"]),
]

NEGATIVE = [
    "全市共选派3200多名党员干部。",          # figure with a unit
    "深入基层一线开展调研1.5万人次。",
    "结合纪念建党89周年。",                  # anniversary
    "新建党组织387个，54个先进社区党组织受表彰。",  # Arabic counts before a noun
    "会议于2010年7月1日召开。",              # date
    "用了两个月时间，三年来成效明显。",        # counted time
    "每三个月召开一次，第三个项目开工，周三上午开会。",  # range, ordinal, weekday
    "两个问题得到解决，三个方面取得进展。",     # generic counted nouns
    "一心一意为人民服务，来自四面八方，三心二意不行。",  # idioms CC-CEDICT knows
    "一定要做好工作，两国关系良好，两岸交流密切。",     # ordinary words
    "形成了一级抓一级、层层抓落实的工作格局。",  # a counting unit in the chain
    "十全街两侧为新建的古典风格建筑。",         # a street name jieba reads as one word
    "北美洲和南美洲被视为两个独立的大陆。",      # a count that goes on (的)
    "一一解决歹徒。",                       # reduplication, not a number
]


@pytest.mark.parametrize("text, expected", NATIONAL + LOCAL)
def test_formulas_unquoted(text, expected):
    assert certain(text) == expected


@pytest.mark.parametrize("text, expected", NATIONAL + LOCAL)
def test_formulas_quoted(text, expected):
    quoted = text
    for f in expected:
        quoted = quoted.replace(f, f"『{f}』", 1)
    found = [(m.surface, m.kind) for m in find_mentions(quoted)]
    assert found == [(f, "formula") for f in expected]


@pytest.mark.parametrize("text, expected", NATIONAL)
def test_formulas_in_traditional_script(text, expected):
    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(text)
    assert traditional != text
    found = certain(traditional)
    assert [fold(f) for f in found] == expected
    assert all(f in traditional for f in found)  # surfaces point into the original


def test_traditional_surfaces_written_by_hand():
    assert certain("深入開展兩學一做學習教育,踐行三嚴三實,落實一崗雙責和「八項規定」。") == \
        ["兩學一做", "三嚴三實", "一崗雙責", "八項規定"]
    assert [m.surface for m in find_mentions("落實一崗雙責和「八項規定」。")] == ["一崗雙責", "八項規定"]


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_formulas(text):
    assert [m.surface for m in find_mentions(text) if m.kind == "formula"] == []


def test_a_lone_counted_noun_needs_a_second_sign():
    # 三個高地 and 兩個尖塔 share one structure: alone, neither is certain.
    assert [(m.surface, m.certain) for m in find_mentions("加快構築三個高地。")] == [("三個高地", False)]
    assert [(m.surface, m.certain) for m in find_mentions("有著兩個尖塔的小鎮。")] == []
    assert [(m.surface, m.certain) for m in find_mentions("小鎮有兩個尖塔。")] == [("兩個尖塔", False)]
    # Quotes or an enumeration with another numbered phrase settle it.
    assert certain("加快構築『三個高地』。") == ["三個高地"]
    assert certain("構築三個高地、打好五個攻堅戰。") == ["三個高地", "五個攻堅戰"]


def test_quoted_slogans_and_what_is_not_one():
    found = [(m.surface, m.kind) for m in find_mentions(
        "以『黨員作承諾,項目大提速』為主要內容,『七一』前夕表彰了50個『五個好』企業黨組織。他說:「這是好事。」")]
    # 『七一』 is a date and a quoted full sentence is speech, not a slogan.
    assert found == [("黨員作承諾,項目大提速", "quoted"), ("五個好", "formula")]
    assert [m.surface for m in find_mentions("“4个全面”")] == ["4个全面"]  # Arabic digits inside quotes


@pytest.mark.parametrize("text, english", [
    ("『五個好』", "five-good"),
    ("十三五规划", "13th Five-Year Plan"),
    ("打好三大攻坚战", "three major tough battles"),
    ("坚持三个代表重要思想", "Three Represents"),          # CC-CEDICT's own name
    ("坚持四项基本原则", "Four Cardinal Principles"),
    ("『三學五比一考核』", "three studies, five comparisons and one assessment"),
])
def test_suggested_english(text, english):
    assert [m.english for m in find_mentions(text)] == [english]
