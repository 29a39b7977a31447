"""Which Chinese characters each module means: the ranges are named once in ``script``,
and the modules differ at the edges, so a change of range choice must show here."""

import pytest

from pipeline.text import formulas
from pipeline.text import script
from pipeline.text import source
from pipeline.glossary import discovery as terms
from pipeline.text import cedict
from pipeline.engines.dictionary import engine as dictionary
from pipeline.engines.dictionary import mechanical

EXT_A = "\u3400"  # Extension A: in HAN_BMP, not in HAN_UNIFIED
COMPAT = "\uf900"  # a compatibility ideograph: in HAN, not in HAN_BMP
SUPPLEMENTARY = "\U00020000"  # Extension B: only in HAN_SUPPLEMENTARY
PUNCT = "\u3001"  # 、 CJK punctuation: only in CJK_BMP
UNIFIED = "丁"

CHARS = (UNIFIED, EXT_A, COMPAT, SUPPLEMENTARY, PUNCT)


@pytest.mark.parametrize(("name", "pattern", "expected"), [
    ("script.HAN_CHAR (QA, glossing, eval)", script.HAN_CHAR, (True, True, True, False, False)),
    ("script: what t2s can change", script._CONVERTIBLE, (True, True, True, True, True)),
    ("dictionary: runs to gloss", dictionary._CJK_RUN, (True, True, True, False, False)),
    ("dictionary: a name before its Latin form", dictionary._LATIN_GLOSS, (True, False, False, False, False)),
    ("formulas", formulas._CJK, (True, True, False, False, False)),
    ("terms", terms._CJK_RUN, (True, True, False, False, False)),
    ("cedict: cross-references", cedict._XREF, (True, True, True, True, False)),
])
def test_each_module_matches_its_range(name, pattern, expected):
    probe = (lambda ch: f"{ch}{ch}（Xinhua）") if pattern is dictionary._LATIN_GLOSS else (lambda ch: ch)
    assert tuple(bool(pattern.match(probe(ch))) for ch in CHARS) == expected, name


def test_the_named_ranges_nest_as_documented():
    def within(ranges: str, ch: str) -> bool:
        import re

        return re.fullmatch(f"[{ranges}]", ch) is not None

    assert [within(script.HAN_UNIFIED, ch) for ch in CHARS] == [True, False, False, False, False]
    assert [within(script.HAN_BMP, ch) for ch in CHARS] == [True, True, False, False, False]
    assert [within(script.HAN, ch) for ch in CHARS] == [True, True, True, False, False]
    assert [within(script.HAN_SUPPLEMENTARY, ch) for ch in CHARS] == [False, False, False, True, False]
    assert [within(script.CJK_BMP, ch) for ch in CHARS] == [True, True, False, False, True]


def test_a_gloss_keeps_no_chinese_character_from_any_range():
    for ch in (UNIFIED, EXT_A, COMPAT, SUPPLEMENTARY):
        assert cedict.clean_sense(f"big {ch}[da4] house") == "big house"


@pytest.mark.parametrize("sense, headword, gloss", [
    ("Sichuan province in southwest China, abbr. 川[Chuan1] or 蜀[Shu3], capital Chengdu 成都[Cheng2 du1]", "四川",
     "Sichuan"),
    ("Zhejiang Province (Chekiang) in east China, abbr. 浙[Zhe4], capital Hangzhou 杭州", "浙江省", "Zhejiang Province"),
    ("Chengdu subprovincial city and capital of Sichuan province 四川 in southwest China", "成都", "Chengdu"),
    ("Chaoyang inner district of Beijing", "朝阳区", "Chaoyang District"),
    ("Wuhan city on Changjiang, capital of Hubei province 湖北省", "武汉", "Wuhan"),
    ("Yellow River or Huang He", "黄河", "Yellow River or Huang He"),  # a name, described by nothing
    ("Paris, capital of France", "巴黎", "Paris"),
])
def test_a_places_description_gives_way_to_its_name(sense, headword, gloss):
    """English copy writes "Chengdu", not CC-CEDICT's "Chengdu subprovincial city and…"."""
    assert cedict.clean_sense(sense, proper=True, headword=headword) == gloss


def test_a_dateline_place_is_written_in_unified_ideographs():
    assert mechanical.dateline("新华社天津7月15日电", str) is not None
    assert mechanical.dateline(f"新华社天{EXT_A}7月15日电", str) is None


def test_only_unified_ideographs_count_for_chinese_when_guessing_an_encoding():
    assert source._score(UNIFIED, frozenset()) == 0.25
    assert source._score(EXT_A, frozenset()) == -1
