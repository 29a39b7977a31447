"""Dates (7月1日, 七月一日, 七一) and anniversaries (89周年) in Chinese text, and what
their English must say; the figures around them are ``numbers``' business."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.numbers import ZH_DIGITS, ordinal, small_numeral
from pipeline.text.spelling import number_words

_MONTHS = ("January February March April May June July August September October November December").split()
_SMALL_CN = r"[一二三四五六七八九十两兩〇○零]{1,3}"
# 7月1日, 七月一日; 七一 and the like (holidays named by month and day); 89周年.
_ZH_DATE = re.compile(
    rf"(?P<m>\d{{1,2}}|{_SMALL_CN})月(?:份)?(?:(?P<d>\d{{1,2}}|{_SMALL_CN})[日号號])?"
    rf"|(?<![{ZH_DIGITS}两兩十百千万萬亿億點点.\d])(?P<holiday>[五七八]一)(?![{ZH_DIGITS}两兩十百千万萬亿億點点.\d])"
    rf"|(?P<years>\d{{1,4}}|{_SMALL_CN})[周週]年"
)
_HOLIDAYS = {"五一": (5, 1), "七一": (7, 1), "八一": (8, 1)}
# A span of months (3-5月, 3至5月): both months; from January, as statistics report them
# (1-9月), "the first nine months" too.
_MONTH_FROM = re.compile(rf"(?<![\d{ZH_DIGITS}十两兩])(?P<first>\d{{1,2}}|{_SMALL_CN})\s*(?:[-－—–~～]|至|到)\s*$")
_QUARTERS = {3: "first quarter", 6: "first half", 9: "first three quarters"}


@dataclass(frozen=True)
class DateMention:
    """A date or anniversary in Chinese text and what its English must say."""

    surface: str
    start: int
    end: int
    english: str  # what a reader expects, e.g. "July 1" or "89th"
    pattern: re.Pattern


def zh_dates(text: str) -> list[DateMention]:
    """Dates (7月1日, 七一) and anniversaries (89周年) in (NFKC-normalized) Chinese text."""
    out = []
    for m in _ZH_DATE.finditer(text):
        if m.group("years"):
            n = small_numeral(m.group("years"))
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
                month = small_numeral(m.group("m"))
                day = small_numeral(m.group("d")) if m.group("d") else None
            if not month or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue
            name = _MONTHS[month - 1]
            since = _MONTH_FROM.search(text, max(0, m.start() - 6), m.start()) if day is None else None
            first = small_numeral(since.group("first")) if since else None
            if since and first and 1 <= first < month:
                out.append(DateMention(text[since.start():m.end()], since.start(), m.end(),
                                       f"{_MONTHS[first - 1]} to {name}", _span(first, month)))
                continue
            if day is None:
                english, pattern = name, re.compile(_month(month), re.I)
            else:
                english = f"{name} {day}"
                pattern = re.compile(
                    rf"\b(?:{name}|{name[:3]}\.?)\s+{day}(?:st|nd|rd|th)?\b|\b{day}(?:st|nd|rd|th)?\s+(?:of\s+)?{name}\b",
                    re.I)
        out.append(DateMention(m.group(0), m.start(), m.end(), english, pattern))
    return out


def _span(first: int, last: int) -> re.Pattern:
    """What the English of a span of months must hold: both months, or, from January, the last
    one or "the first N months" ("first half", "first three quarters")."""
    if first > 1:
        return re.compile(rf"(?s)^(?=.*(?:{_month(first)}))(?=.*(?:{_month(last)}))", re.I)
    said = [str(last), number_words(last) or str(last)]
    quarter = rf"|\b{_QUARTERS[last]}\b" if last in _QUARTERS else ""
    return re.compile(rf"{_month(last)}|\bfirst\s+(?:{'|'.join(said)})\s+months\b{quarter}", re.I)


def _month(n: int) -> str:
    """The pattern of a month's English name: January, or Jan."""
    return rf"\b{_MONTHS[n - 1]}\b|\b{_MONTHS[n - 1][:3]}\."
