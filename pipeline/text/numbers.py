"""Figures in Chinese and English text, as comparable values.

Shared by the dictionary engine (to render figures) and the QA number check
(to compare them): 1.5萬 is 15000, 480多 is "more than 480", 三千億 is 3e11.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_NUM_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A figure in Chinese text: Arabic digits (after NFKC) or a Chinese numeral with
# a unit, an optional 萬/億 multiplier, and an optional approximation marker.
_ZH_FIGURE = re.compile(
    rf"(?P<num>{_ARABIC}|[{_CN_NUM_CHARS}]*[十拾百佰千仟万萬亿億][{_CN_NUM_CHARS}]*)"
    rf"(?P<mult>[万萬亿億]?)(?P<approx>[多余餘]?)(?P<pct>%|％)?"
)
_EN_FIGURE = re.compile(rf"(?<![\w.])(?P<num>{_ARABIC})(?:\s*(?P<mult>thousand|million|billion))?")
_EN_MULT = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class Figure:
    value: float
    approx: bool  # 多/餘: "more than"
    percent: bool
    surface: str
    start: int
    unit: str = ""  # "times" (倍, "threefold"), "years" (一年半), "months" ("18 months")
    growth: bool = False  # 增長兩倍: "grew by two times", which English also says as "tripled"


def chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral such as 三千億 or 一萬二千; None when it is not one."""
    if not text or any(ch not in _CN_NUM_CHARS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and not any(c in _SMALL_UNITS or c in _BIG_UNITS for c in text):
                digit = digit * 10 + _DIGITS[ch]  # plain digit strings: 二〇一〇
            else:
                digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            if section == 0:
                section = 1
            total = (total + section) * _BIG_UNITS[ch] if _BIG_UNITS[ch] > 10_000 else total + section * _BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def _value(num: str) -> float | None:
    if num[0].isdigit():
        return float(num.replace(",", ""))
    return chinese_numeral(num)


def zh_figures(text: str) -> list[Figure]:
    """Figures in (NFKC-normalized) Chinese text."""
    special = zh_special_figures(text)
    taken = [(f.start, f.start + len(f.surface)) for f in special]
    out = list(special)
    for m in _ZH_FIGURE.finditer(text):
        if any(s <= m.start() < e or m.start() < s < m.end() for s, e in taken):
            continue  # the 百 of 百分之九十 is no figure of its own
        value = _value(m.group("num"))
        if value is None:
            continue
        if m.group("mult"):
            value *= _BIG_UNITS[m.group("mult")]
        out.append(Figure(value, bool(m.group("approx")), bool(m.group("pct")), m.group(0), m.start()))
    return sorted(out, key=lambda f: f.start)


def en_figures(text: str) -> list[Figure]:
    out = []
    for m in _EN_FIGURE.finditer(text):
        value = float(m.group("num").replace(",", ""))
        if m.group("mult"):
            value *= _EN_MULT[m.group("mult").lower()]
        before = text[max(0, m.start() - 15):m.start()].lower()
        out.append(_en_figure(text, m, value, "more than" in before or "over" in before))
    return out + en_word_figures(text)


_MONTHS = ("January February March April May June July August September October November December").split()
_SMALL_CN = r"[一二三四五六七八九十两兩〇○零]{1,3}"
# 7月1日, 七月一日; 七一 and the like (holidays named by month and day); 89周年.
_ZH_DATE = re.compile(
    rf"(?P<m>\d{{1,2}}|{_SMALL_CN})月(?:份)?(?:(?P<d>\d{{1,2}}|{_SMALL_CN})[日号號])?"
    rf"|(?<![一二三四五六七八九十百千万萬亿億\d])(?P<holiday>[五七八]一)(?![一二三四五六七八九十百千万萬亿億\d])"
    rf"|(?P<years>\d{{1,4}}|{_SMALL_CN})[周週]年"
)
_HOLIDAYS = {"五一": (5, 1), "七一": (7, 1), "八一": (8, 1)}


@dataclass(frozen=True)
class DateMention:
    """A date or anniversary in Chinese text and what its English must say."""

    surface: str
    start: int
    end: int
    english: str  # what a reader expects, e.g. "July 1" or "89th"
    pattern: re.Pattern


def _small(num: str) -> int | None:
    return int(num) if num.isdigit() else chinese_numeral(num)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def zh_dates(text: str) -> list[DateMention]:
    """Dates (7月1日, 七一) and anniversaries (89周年) in (NFKC-normalized) Chinese text."""
    out = []
    for m in _ZH_DATE.finditer(text):
        if m.group("years"):
            n = _small(m.group("years"))
            if not n:
                continue
            english = ordinal(n)
            # "89th anniversary", or "89 years"
            pattern = re.compile(rf"(?<![\w.]){n}(?:th|st|nd|rd)\b|(?<![\w.]){n} years?\b", re.I)
        else:
            month: int | None
            day: int | None
            if m.group("holiday"):
                month, day = _HOLIDAYS[m.group("holiday")]
            else:
                month = _small(m.group("m"))
                day = _small(m.group("d")) if m.group("d") else None
            if not month or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            name = _MONTHS[month - 1]
            if day is None:
                english, pattern = name, re.compile(rf"\b{name}\b|\b{name[:3]}\.", re.I)
            else:
                english = f"{name} {day}"
                pattern = re.compile(
                    rf"\b(?:{name}|{name[:3]}\.?)\s+{day}(?:st|nd|rd|th)?\b|\b{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{name}\b",
                    re.I)
        out.append(DateMention(m.group(0), m.start(), m.end(), english, pattern))
    return out


_ZH_DIGIT = "零〇○一二三四五六七八九"
# A number as Chinese writes it before 倍 or after 百分之: Arabic, or a numeral
# with an optional decimal part (十二點五).
_ZH_NUMBER = rf"\d+(?:\.\d+)?|[{_ZH_DIGIT}两兩十百千]+(?:[點点][{_ZH_DIGIT}]+)?"
_ZH_SPECIAL = re.compile(
    rf"(?P<per>百分之|千分之|萬分之|万分之)(?P<pnum>{_ZH_NUMBER})"
    rf"|(?P<growth>(?:增長|增长|增加|提高|擴大|扩大|上升|翻)了?)?(?P<tnum>{_ZH_NUMBER})倍"
    rf"|(?P<ynum>\d+|[一二三四五六七八九十两兩]+)(?:個|个)?年半"
    # 三成 (30%), 七成五 (75%); not 一成不變, 三五成群, 成為 and the other words 成 starts.
    rf"|(?<![{_ZH_DIGIT}两兩十\d])(?P<cnum>[一二三四五六七八九十两兩]|\d)成(?P<cdigit>[一二三四五六七八九](?!成))?"
    rf"(?![不為为立功果長长績绩員员本熟交就效型品分語语群人家事器份形])"
)
_PER = {"百分之": 1.0, "千分之": 0.1, "萬分之": 0.01, "万分之": 0.01}


def zh_number(text: str) -> float | None:
    """Value of 12.5, 十二點五 or 兩: the numbers that 百分之 and 倍 take."""
    if text[0].isdigit():
        return float(text)
    whole, _, frac = text.replace("点", "點").partition("點")
    value = chinese_numeral(whole)
    if value is None:
        return None
    return float(f"{value}.{''.join(str(_DIGITS[c]) for c in frac)}") if frac else float(value)


def zh_special_figures(text: str) -> list[Figure]:
    """Percentages, multiples and durations Chinese writes in words: 百分之九十,
    千分之五, 三成, 兩倍, 一年半."""
    return [f for f in map(_special_figure, _ZH_SPECIAL.finditer(text)) if f is not None]


def _special_figure(m: re.Match) -> Figure | None:
    if m.group("per"):
        value = zh_number(m.group("pnum"))
        return None if value is None else Figure(value * _PER[m.group("per")], False, True, m.group(0), m.start())
    if m.group("tnum"):
        value = zh_number(m.group("tnum"))
        surface = m.group(0)[m.start("tnum") - m.start():]
        return None if value is None else Figure(value, False, False, surface, m.start("tnum"), unit="times",
                                                 growth=bool(m.group("growth")))
    if m.group("ynum"):
        value = _small(m.group("ynum"))
        return None if value is None else Figure(value + 0.5, False, False, m.group(0), m.start(), unit="years")
    tens, digit = _small(m.group("cnum")), m.group("cdigit")
    if tens is None or tens > 10:
        return None
    return Figure(tens * 10 + (_DIGITS[digit] if digit else 0), False, True, m.group(0), m.start())


_WORD_VALUES = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_WORD_VALUES.update({w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(),
                                                     start=2)})
_WORD_SCALES = {"hundred": 100, **_EN_MULT}
_NUMBER_WORD = "|".join(sorted([*_WORD_VALUES, *_WORD_SCALES], key=len, reverse=True))
_EN_WORDS = re.compile(
    rf"\b(?P<words>(?:{_NUMBER_WORD}|a(?=\s+(?:hundred|thousand|million|billion)\b))"
    rf"(?:(?:\s+|-|\s+and\s+)(?:{_NUMBER_WORD})\b)*)\b"
    r"(?P<half>\s+and\s+a\s+half)?", re.I)
_EN_HALF = re.compile(r"\b(?:a|one)\s+(?P<what>year|month)\s+and\s+a\s+half\b|\bhalf\s+a\s+(?P<half>year)\b", re.I)
_EN_MULTIPLE = {"twice": 2, "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "triple": 3, "tripled": 3,
                "triples": 3, "tripling": 3, "treble": 3, "trebled": 3, "quadruple": 4, "quadrupled": 4}
_EN_MULTIPLE_RE = re.compile(r"\b(?:" + "|".join(_EN_MULTIPLE) + r")\b", re.I)
_EN_AFTER = re.compile(
    r"(?P<pct>\s*%|[\s-]*per\s*cent\b|[\s-]*percent(?:age\s+points?)?\b)"
    r"|(?P<mille>\s*‰|[\s-]*per\s+(?:thousand|mille)\b)"
    r"|(?P<times>[\s-]*(?:times|fold)\b)"
    r"|(?P<months>[\s-]*months?\b)", re.I)


def _words_value(words: str) -> float | None:
    total = section = 0
    seen = False
    for w in re.split(r"[\s-]+", words.lower()):
        if w in ("and", ""):
            continue
        if w == "a":
            section, seen = 1, True
        elif w in _WORD_VALUES:
            section, seen = section + _WORD_VALUES[w], True
        elif w == "hundred":
            section = (section or 1) * 100
        else:
            total, section = total + (section or 1) * _WORD_SCALES[w], 0
        seen = True
    return float(total + section) if seen else None


def _en_figure(text: str, m: re.Match, value: float, approx: bool, *, end: int | None = None) -> Figure:
    """An English figure with what follows it: a percent or per-mille sign, "times", "months"."""
    after = _EN_AFTER.match(text, m.end() if end is None else end)
    kind = after.lastgroup if after else ""
    if kind == "mille":
        return Figure(value / 10, approx, True, m.group(0), m.start())
    return Figure(value, approx, kind == "pct", m.group(0), m.start(), unit=kind if kind in ("times", "months") else "")


def en_word_figures(text: str) -> list[Figure]:
    """Figures English writes in words: "ninety percent", "two thousand", "twice",
    "threefold", "a year and a half"."""
    out = []
    for m in _EN_WORDS.finditer(text):
        value = _words_value(m.group("words"))
        if value is not None:
            out.append(_en_figure(text, m, value + (0.5 if m.group("half") else 0), False))
    for m in re.finditer(rf"\b({_NUMBER_WORD})fold\b", text, re.I):
        out.append(Figure(float(_WORD_VALUES.get(m.group(1).lower(), 0)), False, False, m.group(0), m.start(),
                          unit="times"))
    for m in _EN_MULTIPLE_RE.finditer(text):
        out.append(Figure(float(_EN_MULTIPLE[m.group(0).lower()]), False, False, m.group(0), m.start(), unit="times"))
    for m in _EN_HALF.finditer(text):
        out.append(Figure(0.5 if m.group("half") else 1.5, False, False, m.group(0), m.start(),
                          unit="" if m.group("half") or m.group("what") == "year" else "months"))
    return out


def figure_keys(fig: Figure) -> set[tuple[float, bool, str]]:
    """What an English figure may be, as (value, percent, unit), to render a Chinese one."""
    v = round(fig.value, 9)
    if fig.unit == "times":
        return {(v, False, "times")} | ({(round(v + 1, 9), False, "times")} if fig.growth else set())
    if fig.unit == "years":
        return {(v, False, ""), (round(v * 12, 9), False, "months")}
    return {(v, fig.percent, "")}


def english_keys(figures: list[Figure]) -> set[tuple[float, bool, str]]:
    """The (value, percent, unit) of each English figure; "2 times" and "18 months" also count as 2 and 18."""
    keys = set()
    for f in figures:
        v = round(f.value, 9)
        keys.add((v, f.percent, f.unit))
        if f.unit:
            keys.add((v, f.percent, ""))
    return keys


def format_number(value: float) -> str:
    """English form of a value: 15000 → '15,000', 1.5 → '1.5'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6g}" if value < 1000 else f"{value:,.2f}".rstrip("0").rstrip(".")


def render_figure(fig: Figure) -> str:
    text = format_number(fig.value) + ("%" if fig.percent else "") + (f" {fig.unit}" if fig.unit else "")
    return f"more than {text}" if fig.approx else text
