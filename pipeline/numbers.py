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
    out = []
    for m in _ZH_FIGURE.finditer(text):
        value = _value(m.group("num"))
        if value is None:
            continue
        if m.group("mult"):
            value *= _BIG_UNITS[m.group("mult")]
        out.append(Figure(value, bool(m.group("approx")), bool(m.group("pct")), m.group(0), m.start()))
    return out


def en_figures(text: str) -> list[Figure]:
    out = []
    for m in _EN_FIGURE.finditer(text):
        value = float(m.group("num").replace(",", ""))
        if m.group("mult"):
            value *= _EN_MULT[m.group("mult").lower()]
        after = text[m.end():m.end() + 2]
        before = text[max(0, m.start() - 15):m.start()].lower()
        out.append(Figure(value, "more than" in before or "over" in before, after.startswith("%"), m.group(0), m.start()))
    return out


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


def format_number(value: float) -> str:
    """English form of a value: 15000 → '15,000', 1.5 → '1.5'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6g}" if value < 1000 else f"{value:,.2f}".rstrip("0").rstrip(".")


def render_figure(fig: Figure) -> str:
    text = format_number(fig.value) + ("%" if fig.percent else "")
    return f"more than {text}" if fig.approx else text
