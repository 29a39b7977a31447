"""What a numeral in CPC prose names when it is not a formula: meetings and places.

The numbering of meetings (六中全会, 十九届, 二十大, 党的十大, 五次会议) is rendered
by rule, and a numeral-initial place or proper name (三峡, 五台山) is a name:
neither is a glossary candidate. Also the words that close a coined formula
(``FRAME``) and the characters that make a numeral count things (``NOT_COINED``),
which ``formulas`` uses for coinages (四风, 双循环, 五水共治).
"""

from __future__ import annotations

import re

from pipeline.text import lexicon

_NUMERALS = "一二两三四五六七八九十双"
# Plenums (六中全会, 三中全会), congresses (十九大, 二十大, 党的十大), sessions
# (五次会议, 一次全会): the numbering of meetings, rendered by rule, not named.
_PLENUM = re.compile(rf"[{_NUMERALS}]+(?:中全会|次全会|次全体会议|次会议|次党代会|届)")
_CONGRESS = re.compile(r"(?:十[一二三四五六七八九]|二十[一二三四五六七八九]?)大")
_PARTY_BEFORE = re.compile(r"(?:党的|中共|党的第)$")
_PLACE_GLOSS = re.compile(r"\b(?:Gorges?|River|Mt|Mountains?|Lake|Island|Dam|Temple|Bridge|Kingdoms|town|county|"
                          r"district|city|province|prefecture-level)\b")
# What follows a coinage: the end of a phrase, or a word that frames a policy
# (三农工作, 双循环新发展格局, 五水共治和三改一拆).
FRAME = ("工作", "问题", "成果", "建设", "战略", "理念", "格局", "目标", "任务", "要求", "精神", "制度", "领域",
          "行动", "示范", "基地", "新发展", "总体", "布局", "改革", "机制", "体系", "政策", "试点", "攻坚", "整治",
          "治理", "活动", "教育", "原则", "方针", "决策", "重要", "主体", "部署", "落实", "和", "与", "及", "等", "、")
# Characters after a numeral that count or place something (三地, 两国, 四方, 两岸): not a coinage.
NOT_COINED = frozenset("地国方面岸边侧端头处位者人种类部门家些样岁不")


def proper_name(word: str) -> bool:
    """A numeral-initial place or proper name (三峡, 三亚, 五台山), by jieba's tag or CC-CEDICT's gloss."""
    if lexicon.tags().get(word, "") == "ns":  # jieba's person tags are guesses (双循环 is "nr")
        return True
    return any(p[:1].isupper() and _PLACE_GLOSS.search(d.split("/")[0])
               for p, d in lexicon.cedict().definitions(word))


def numbering_end(s: str, i: int) -> int | None:
    """Where a meeting's numbering starting at ``i`` ends (六中全会, 二十大, 党的十大), or None."""
    m = _PLENUM.match(s, i) or _CONGRESS.match(s, i)
    if m and not (m.re is _CONGRESS and m.end() < len(s) and s[m.end()] in "战攻项类"):
        return m.end()
    if s[i:i + 1] in "十" and s[i + 1:i + 2] == "大" and _PARTY_BEFORE.search(s[max(0, i - 3):i]):
        return i + 2  # 党的十大: the Tenth Congress, unlike 十大战役
    return None


