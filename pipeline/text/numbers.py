"""Figures in Chinese and English text, as exact comparable values.

Shared by the dictionary engine (to write figures), the memory (to carry new
figures into an old translation) and the QA number check (to compare them):
1.5萬 is 15000, 480多 is "more than 480", 三千億 is 300 billion, 第二 is
"second", 三分之一 is "a third". Every value is a ``Decimal`` or an ``int``:
a float would turn 1286.4億 into 128,640,000,000.000015.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

from pipeline.text.spelling import NTH, ONES, TENS, TENTHS

# Products of exact values never round: 1286.4 × 10⁸ is 128640000000.0, and a
# numeral of 400 digits keeps all of them. Only multiplication and scaleb run
# in it (a division could ask for infinitely many digits).
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_NUM_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)

ZH_DIGITS = "零〇○一二三四五六七八九"
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# Approximation, as English must qualify the figure: 多/餘/逾 "more than", 約/左右 "about", 近 "nearly".
MORE, ABOUT, NEARLY, LESS = "more", "about", "nearly", "less"
_ZH_BEFORE = {"約": ABOUT, "约": ABOUT, "大約": ABOUT, "大约": ABOUT, "近": NEARLY, "將近": NEARLY,
              "将近": NEARLY, "接近": NEARLY, "逾": MORE, "超過": MORE, "超过": MORE}
_ZH_AFTER = {"多": MORE, "餘": MORE, "余": MORE, "左右": ABOUT, "以上": MORE}
_PRE = "|".join(sorted(_ZH_BEFORE, key=len, reverse=True))
# A figure in Chinese text: Arabic digits (after NFKC) or a Chinese numeral with
# a unit, 萬/億 multipliers (萬億 is 10¹²), and approximation before or after.
# 3000多萬 is "more than 30 million": 多 may sit before the multiplier.
# 16萬8千 (168,000), 1億2000萬: digits with units inside.
_MIXED = r"\d+(?:\.\d+)?[万萬亿億](?:\d+[千百万萬])+"
_ZH_FIGURE = re.compile(
    rf"(?P<pre>{_PRE})?"
    rf"(?P<num>{_MIXED}|{_ARABIC}|[{_CN_NUM_CHARS}]*[十拾百佰千仟][{_CN_NUM_CHARS}]*"
    rf"|[{ZH_DIGITS}两兩][{_CN_NUM_CHARS}]*[万萬亿億](?:零?[一二三四五六七八九两兩](?![{_CN_NUM_CHARS}\d]))?)"
    rf"(?:(?P<mid>[多余餘])(?=[万萬亿億]))?(?P<mult>[万萬亿億]*)(?P<approx>[多余餘]|左右|以上)?(?P<pct>%)?"
    r"(?P<around>(?(approx)(?!)|(?:左右|以上)))?"  # 3.5%左右: "about 3.5 percent"; 95%以上 "more than 95 percent"
)
# English scale words as powers of ten, and the surface of a figure English writes in digits
# with one ("128.64 billion"): the memory rewrites it, QA reads how far it was rounded.
EN_SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
EN_DIGIT_SURFACE = re.compile(r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<space>\s*)(?P<mult>thousand|million|billion|trillion)?",
                              re.I)
_EN_MULT = {word: 10 ** power for word, power in EN_SCALES.items()}
_EN_FIGURE = re.compile(
    rf"(?<![\w.,/])(?P<num>{_ARABIC})(?!\d|[.,]\d|(?:st|nd|rd|th)\b|/\d)"
    r"(?:\s*(?P<mult>thousand|million|billion|trillion)\b)?", re.I)
_EN_ORDINAL = re.compile(r"(?<![\w.,])(?P<num>\d+(?:,\d{3})*)(?P<suffix>st|nd|rd|th)\b", re.I)


@dataclass(frozen=True)
class Figure:
    value: Decimal
    approx: str  # "" or MORE (多/餘 "more than"), ABOUT, NEARLY; in English also LESS ("fewer than")
    percent: bool
    surface: str
    start: int
    # "times" (倍, "threefold"), "years" (一年半), "months" ("18 months"), "points" (個百分點),
    # "ordinal" (第二, "second"), "/3" (三分之一: the value is the numerator)
    unit: str = ""
    growth: bool = False  # 增長兩倍: "grew by two times", which English also says as "tripled"
    to: Decimal | None = None  # 二三十 "20 to 30": the upper end of the range this figure starts


def decimal(text: str) -> Decimal:
    """Exact value of Arabic digits as written: "1,286.4" → Decimal('1286.4')."""
    return Decimal(text.replace(",", ""))


def scaled(value: Decimal | int, factor: int) -> Decimal:
    """``value`` × ``factor``, exactly, however many digits either has."""
    return EXACT.multiply(Decimal(value), Decimal(factor))


def _digit_string(text: str) -> int:
    # Decimal() reads a string of any length; int() refuses more than 4,300 digits.
    return int(Decimal("".join(str(_DIGITS[c]) for c in text)))


def _section(text: str) -> int:
    """Value below 萬: 三千五百 3500, 一百零五 105, 十二 12, and the spoken 三千五 3500."""
    total, digit, last_unit = 0, None, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            unit = _SMALL_UNITS[ch]
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    if digit is not None:
        # 三千五: a digit straight after a unit counts in the next unit down.
        spoken = last_unit > 10 and text[-2] in _SMALL_UNITS
        total += digit * (last_unit // 10 if spoken else 1)
    return total


def _grouped(text: str, units: str, size: int, below: Callable[[str], int]) -> int:
    """Value of ``text`` split at each of ``units`` (萬 or 億): a 三萬億五千億 reads (三萬 + 五千) 億."""
    parts = re.split(f"[{units}]", text)
    total = 0
    for i, part in enumerate(parts):
        value = below(part)
        if i < len(parts) - 1:
            total += (value if part or i else 1) * size
        elif i and len(part) == 1:  # 一萬三 (13,000), 三億五 (350 million): a lone digit counts in the unit below
            total += value * size // 10
        else:
            total += value
    return total


# Two digits in a row inside a numeral with units; only a zero may stand before a digit (一百零五).
_DIGIT_RUN = re.compile("[一二两兩三四五六七八九][零〇○一二两兩三四五六七八九]")


def chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral such as 三千億, 一萬二千 or 二〇一一; None when it is not one."""
    if not text or any(ch not in _CN_NUM_CHARS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):
        return _digit_string(text)  # 二〇一一, 三
    if _DIGIT_RUN.search(text):
        return None  # 十三五 (the 13th Five-Year Plan) is a name, not 15: a numeral with units never runs two digits

    def below_yi(part: str) -> int:  # an empty part (the 萬 of 萬億 starts it) reads as 0, as _section("") does
        return _grouped(part, "万萬", 10_000, _section)

    return _grouped(text, "亿億", 100_000_000, below_yi)


_UNIT_VALUES = {**_SMALL_UNITS, **_BIG_UNITS}


def _value(num: str) -> Decimal | None:
    if num[0].isdigit() and not num[-1].isdigit():  # 16萬8千
        parts = re.findall(r"(\d+(?:\.\d+)?)(\D)", num)
        return sum((scaled(Decimal(n), _UNIT_VALUES[u]) for n, u in parts), Decimal(0))
    if num[0].isdigit():
        return decimal(num)
    n = chinese_numeral(num)
    return None if n is None else Decimal(n)


def _multiplier(mult: str) -> int:
    factor = 1
    for ch in mult:
        factor *= _BIG_UNITS[ch]
    return factor


# 近3年, 近五年, 近幾個月 mean "the past three years", not "nearly".
_RECENT = re.compile(r"(?:個|个)?(?:年|月|日|天|期|周|週)")


def _approx(m: re.Match, text: str) -> str:
    if m.group("mid") or m.group("approx") or m.group("around"):
        return _ZH_AFTER[m.group("mid") or m.group("approx") or m.group("around")]
    pre = m.group("pre")
    if not pre:
        return ""
    if pre == "近" and (_RECENT.match(text, m.end()) or text[max(0, m.start() - 1):m.start()] in ("最", "附")):
        return ""
    return _ZH_BEFORE[pre]


_SPECIAL_BEFORE = re.compile(rf"(?:{_PRE})$")
_SPECIAL_AFTER = re.compile(r"多|餘|余|左右|以上")


def _qualified(fig: Figure, text: str) -> Figure:
    """A percentage or count with its approximation: 近百分之三十, 約三成, 三成多, 百分之三十左右."""
    if fig.unit not in ("", "points") or fig.value < 0:
        return fig
    end = fig.start + len(fig.surface)
    before = _SPECIAL_BEFORE.search(text, max(0, fig.start - 2), fig.start)
    after = _SPECIAL_AFTER.match(text, end)
    if before and not (before.group() == "近" and _RECENT.match(text, end)):
        return replace(fig, approx=_ZH_BEFORE[before.group()], surface=text[before.start():end], start=before.start())
    if after and fig.percent:  # 三成多; after a count (兩個多月) 多 says something else
        return replace(fig, approx=_ZH_AFTER[after.group()], surface=text[fig.start:after.end()])
    return fig


def zh_figures(text: str) -> list[Figure]:
    """Figures in (NFKC-normalized) Chinese text."""
    special = [_qualified(f, text) for f in zh_special_figures(text)]
    taken = [(f.start, f.start + len(f.surface)) for f in special]
    out = list(special)
    for m in _ZH_FIGURE.finditer(text):
        start = m.start("num")
        if any(s <= start < e or start < s < m.end() for s, e in taken):
            continue  # the 百 of 百分之九十 is no figure of its own
        value = _value(m.group("num"))
        if value is None:
            continue
        approx = _approx(m, text)
        if m.group("pre") and not approx:
            start = m.start("num")
        else:
            start = m.start()
        value = scaled(value, _multiplier(m.group("mult")))
        out.append(Figure(value, approx, bool(m.group("pct")), text[start:m.end()], start))
    return sorted(out, key=lambda f: f.start)


def small_numeral(num: str) -> int | None:
    """12 or 十二: a numeral without units of 萬 and above."""
    return int(num) if num.isdigit() else chinese_numeral(num)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 111th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# A number as Chinese writes it before 倍 or after 百分之: Arabic, or a numeral
# with an optional decimal part (十二點五).
_ZH_NUMBER = rf"\d+(?:\.\d+)?|[{ZH_DIGITS}两兩十百千万萬亿億]+(?:[點点][{ZH_DIGITS}]+)?"
_ZH_INT = rf"\d+|[{ZH_DIGITS}两兩十百千]+"
# Measure words after a plain numeral that make it a count: 三所學校, 兩家醫院, 五年.
COUNTERS = ("個月|个月|個小時|个小时|小時|小时|分鐘|分钟|個|个|名|位|所|家|項|项|件|次|條|条|種|种|批|場|场|座|"
            "歲|岁|年|天|周|週|人|支|隻|只|輛|辆|架|艘|台|臺|本|部|篇|張|张|棟|栋|枚|顆|颗|首|戶|户|屆|届|輪|轮|"
            "章|節|节|類|类|區|区|縣|县|市|省|國|国|方面|大")
# Numbers start where no number goes on: a regex that tried every digit of a long run would take quadratic time.
_NOT_MID = rf"(?<![\d.{ZH_DIGITS}两兩十百千万萬亿億])"
# 成 as tenths (三成 30%), not the words it starts: 一成不變, 三五成群, 成為.
_CHENG = "成(?![不為为立功果長长績绩員员本熟交就效型品分語语群人家事器份形])"
_ZH_SPECIAL = re.compile(
    # A range as Chinese says it, two neighbouring digits: 二三十 (20 to 30), 百分之二三十, 七八成, 三五年, 一兩個.
    rf"(?P<rper>百分之)?(?<![{ZH_DIGITS}两兩十百千万萬亿億第\d.])(?P<rlo>[一二三四五六七八九])(?P<rhi>[二三四五六七八九两兩])"
    rf"(?:(?P<rnum>[十百千][万萬亿億]*|[万萬亿億]+)|(?P<rcheng>{_CHENG})|(?P<rtimes>倍)|(?(rper)|(?={COUNTERS})))"
    rf"|(?P<per>百分之|千分之|萬分之|万分之)(?P<pnum>{_ZH_NUMBER})"
    rf"|{_NOT_MID}(?P<pp>{_ZH_NUMBER})(?:個|个)?百分[點点]"
    rf"|{_NOT_MID}(?P<den>{_ZH_INT})分之(?P<numer>{_ZH_INT})"
    rf"|(?P<sign>零下|零上)(?P<snum>{_ZH_NUMBER})"
    rf"|第(?P<ord>{_ZH_INT})(?!時間|时间|線|线)"
    rf"|翻了?(?P<fan>[一两兩二三四])番"  # 翻一番 doubles, 翻兩番 quadruples
    rf"|(?P<growth>(?:增長|增长|增加|提高|擴大|扩大|上升|翻)了?)?{_NOT_MID}(?![一二三四五六七八九][二三四五六七八九两兩]倍)(?P<tnum>{_ZH_NUMBER})倍"
    rf"|{_NOT_MID}(?P<ynum>\d+|[一二三四五六七八九十两兩]+)(?:個|个)?年半"
    # 三成 (30%), 七成五 (75%); not 一成不變, 三五成群, 成為 and the other words 成 starts.
    rf"|(?<![{ZH_DIGITS}两兩十\d])(?P<cnum>[一二三四五六七八九十两兩]|\d){_CHENG}(?P<cdigit>[一二三四五六七八九](?!成))?"
    # A year in Chinese digits: 二〇一一年.
    rf"|(?P<year>[{ZH_DIGITS}]{{4}})(?=年)"
    # Two to nine before a measure word: 三所, 兩家 (一 is "a", which English does not write as a figure).
    rf"|(?<![{ZH_DIGITS}两兩十百千万萬亿億第\d.])(?P<count>[二三四五六七八九两兩])(?={COUNTERS})"
)
_PER = {"百分之": 0, "千分之": -1, "萬分之": -2, "万分之": -2}  # powers of ten to a percent


def zh_number(text: str) -> Decimal | None:
    """Value of 12.5, 十二點五 or 兩: the numbers that 百分之 and 倍 take."""
    if text[0].isdigit():
        return Decimal(text)
    whole, _, frac = text.replace("点", "點").partition("點")  # _ZH_NUMBER allows only digits after the point
    value = chinese_numeral(whole)
    if value is None:
        return None
    return Decimal(f"{value}.{''.join(str(_DIGITS[c]) for c in frac)}")  # Decimal("12.") is 12


def zh_special_figures(text: str) -> list[Figure]:
    """Figures Chinese writes with words around them: 百分之九十, 千分之五, 12.5個百分點,
    三分之一, 零下五度, 第二, 三成, 兩倍, 一年半, 二〇一一年, 三所, and ranges (二三十)."""
    out: list[Figure] = []
    for m in _ZH_SPECIAL.finditer(text):
        if m.group("rlo"):
            out += _range(m, text)
        elif (fig := _special_figure(m)) is not None:
            out.append(fig)
    return out


def _range(m: re.Match, text: str) -> list[Figure]:
    """Both ends of 二三十 (20 and 30): the lower one spans the range and carries the upper one, which
    stands alone (三十), so that a qualifier before the range (約二三十) qualifies it once. Neighbouring
    digits only, and 三五."""
    lo, hi = _DIGITS[m.group("rlo")], _DIGITS[m.group("rhi")]
    if hi != lo + 1 and (lo, hi) != (3, 5):
        return []
    unit = m.group("rnum") or ""
    factor = _multiplier(unit.lstrip("十百千")) * (10 if m.group("rcheng") else _SMALL_UNITS.get(unit[:1], 1))
    percent = bool(m.group("rper") or m.group("rcheng"))
    unit = "times" if m.group("rtimes") else ""
    high = Figure(Decimal(hi * factor), "", percent, text[m.start("rhi"):m.end()], m.start("rhi"), unit=unit)
    return [Figure(Decimal(lo * factor), "", percent, m.group(0), m.start(), unit=unit, to=high.value), high]


def _special_figure(m: re.Match) -> Figure | None:  # noqa: C901 - one branch per notation
    def fig(value, *, percent=False, unit="", surface=None, start=None, growth=False):
        if value is None:
            return None
        return Figure(Decimal(value), "", percent, m.group(0) if surface is None else surface,
                      m.start() if start is None else start, unit=unit, growth=growth)

    if m.group("per"):
        value = zh_number(m.group("pnum"))
        return fig(None if value is None else value.scaleb(_PER[m.group("per")], EXACT), percent=True)
    if m.group("pp"):
        return fig(zh_number(m.group("pp")), unit="points")
    if m.group("den"):
        den, numer = small_numeral(m.group("den")), small_numeral(m.group("numer"))
        return fig(None if not den or numer is None else numer, unit=f"/{den}")
    if m.group("sign"):
        value = zh_number(m.group("snum"))
        return fig(None if value is None else (-value if m.group("sign") == "零下" else value))
    if m.group("ord"):
        return fig(small_numeral(m.group("ord")) or None, unit="ordinal")
    if m.group("tnum"):
        surface = m.group(0)[m.start("tnum") - m.start():]
        return fig(zh_number(m.group("tnum")), unit="times", surface=surface, start=m.start("tnum"),
                   growth=bool(m.group("growth")))
    if m.group("fan"):
        return fig(2 ** _DIGITS[m.group("fan")], unit="times")
    if m.group("ynum"):
        years = small_numeral(m.group("ynum"))
        return fig(None if years is None else Decimal(years) + Decimal("0.5"), unit="years")
    if m.group("year"):
        return fig(_digit_string(m.group("year")))
    if m.group("count"):
        return fig(_DIGITS[m.group("count")])
    cnum, digit = m.group("cnum"), m.group("cdigit")
    tens = int(cnum) if cnum.isdigit() else _DIGITS.get(cnum, 10)  # one digit, or 十 (十成 is all of it)
    return fig(tens * 10 + (_DIGITS[digit] if digit else 0), percent=True)


_WORD_VALUES = {w: n for n, w in enumerate(ONES)}
_WORD_VALUES.update({w: 10 * n for n, w in enumerate(TENS) if n >= 2})
_ORDINAL_WORDS = {w: n for n, w in enumerate(NTH)}
_ORDINAL_WORDS.update({w: 10 * n for n, w in enumerate(TENTHS) if n >= 2})
_ORDINAL_WORDS.update({"hundredth": 100, "thousandth": 1000, "millionth": 1_000_000})
_WORD_SCALES = {"hundred": 100, **_EN_MULT}
_TENS_AND_SCALES = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", *_WORD_SCALES}
_NUMBER_WORD = "|".join(sorted([*_WORD_VALUES, *_WORD_SCALES], key=len, reverse=True))
_ORDINAL_WORD = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
_EN_WORDS = re.compile(
    rf"\b(?P<words>(?:{_NUMBER_WORD}|a(?=\s+(?:hundred|thousand|million|billion|trillion)\b))"
    rf"(?:(?:\s+|-|\s+and\s+)(?:{_NUMBER_WORD})\b)*)\b"
    rf"(?:(?:\s+and\s+|\s+|-)(?P<last>{_ORDINAL_WORD})\b)?"
    r"(?P<half>\s+and\s+a\s+half)?", re.I)
_EN_ORDINAL_WORD = re.compile(rf"\b(?<!-)(?P<words>{_ORDINAL_WORD})\b", re.I)
_FRACTION_DEN = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                 "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                 "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
_EN_FRACTION = re.compile(
    # "3 quarters" is no case here: en_figures keeps the digit figure that starts at the same place.
    r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine)[\s-]+"
    r"(?P<d>" + "|".join(sorted(_FRACTION_DEN, key=len, reverse=True)) + r")\b"
    r"|(?<![\w./])(?P<dn>\d+)/(?P<dd>\d+)(?![\w/])"
    r"|\b(?P<half>half)\b(?![\s-]+(?:a\s+)?(?:year|month)s?\b)", re.I)
_EN_FOLD = re.compile(rf"\b({_NUMBER_WORD})fold\b", re.I)
_EN_HALF = re.compile(r"\b(?:a|one)\s+(?P<what>year|month)\s+and\s+a\s+half\b|\bhalf\s+a\s+(?P<half>year)\b", re.I)
_FOLD = {**_WORD_VALUES, **_WORD_SCALES}  # threefold, tenfold, hundredfold, thousandfold
_EN_MULTIPLE = {"both": 2, "twice": 2, "double": 2, "doubled": 2, "doubles": 2, "doubling": 2, "triple": 3, "tripled": 3,
                "triples": 3, "tripling": 3, "treble": 3, "trebled": 3, "quadruple": 4, "quadrupled": 4}
_EN_MULTIPLE_RE = re.compile(r"\b(?:" + "|".join(_EN_MULTIPLE) + r")\b", re.I)
_EN_AFTER = re.compile(
    r"(?P<points>[\s-]*percentage[\s-]+points?\b|[\s-]*points?\b)"
    r"|(?P<pct>\s*%|[\s-]*per\s*cent\b|[\s-]*percent\b)"
    r"|(?P<mille>\s*‰|[\s-]*per\s+(?:thousand|mille)\b)"
    r"|(?P<times>[\s-]*(?:times|fold)\b)"
    r"|(?P<months>[\s-]*months?\b)", re.I)
# What English puts before a figure to qualify it; "no more than" is a limit, not "more than".
_EN_QUALIFIERS = [
    (LESS, r"no\s+more\s+than|fewer\s+than|less\s+than|under|below|up\s+to|at\s+most|not\s+more\s+than"),
    (NEARLY, r"nearly|almost|close\s+to|approaching|just\s+under|getting\s+on\s+for"),
    (MORE, r"more\s+than|over|above|upwards\s+of|in\s+excess\s+of|exceeding|at\s+least|greater\s+than"),
    (ABOUT, r"about|around|some|approximately|roughly|an\s+estimated|estimated|approx\.|circa"),
]
_EN_QUALIFIER = re.compile(
    r"\b(?:" + "|".join(f"(?P<{kind}>{words})" for kind, words in _EN_QUALIFIERS) + r")"
    r"\s+(?:the\s+|an?\s+)?(?:US\$|\$|RMB\s*|€|£)?$", re.I)
_EN_QUALIFIER_AFTER = re.compile(
    r"(?:(?P<more>-?plus\b|\s+(?:or|and)\s+(?:more|above|over)\b)"
    r"|(?P<about>\s+or\s+so\b|\s+odd\b))", re.I)
_EN_MINUS = re.compile(r"(?:\bminus\s+|(?:^|(?<=[\s(]))[-−])$", re.I)
_EN_BELOW_ZERO = re.compile(r"\s*(?:degrees?\s*(?:Celsius|centigrade|C\b)?\s*)?below\s+zero\b", re.I)


def _qualifier(text: str, start: int, end: int) -> str:
    before = _EN_QUALIFIER.search(text[max(0, start - 30):start])
    if before:
        return before.lastgroup or ""
    unit = _EN_AFTER.match(text, end)  # "95 percent or above": past the unit
    after = _EN_QUALIFIER_AFTER.match(text, unit.end() if unit else end)
    return (after.lastgroup or "") if after else ""


def _signed(text: str, start: int, end: int, value: Decimal) -> Decimal:
    """-5, minus 5 and 5 degrees below zero are all -5."""
    if _EN_MINUS.search(text[max(0, start - 8):start]) or _EN_BELOW_ZERO.match(text, end):
        return -value
    return value


def en_figures(text: str) -> list[Figure]:
    """Figures in English text: digits with a scale word, number words, ordinals, fractions."""
    out = []
    text = text.translate(_CASE_ALIKE)
    for m in _EN_FIGURE.finditer(text):
        value = decimal(m.group("num"))
        if m.group("mult"):
            value = scaled(value, _EN_MULT[m.group("mult").lower()])
        value = _signed(text, m.start(), m.end(), value)
        out.append(_en_figure(text, m, value, _qualifier(text, m.start(), m.end())))
    for m in _EN_ORDINAL.finditer(text):
        out.append(Figure(decimal(m.group("num")), "", False, m.group(0), m.start(), unit="ordinal"))
    spans = [(f.start, f.start + len(f.surface)) for f in out]
    # The "billion" of "128.64 billion" is no figure of its own.
    return out + [f for f in en_word_figures(text) if not any(s <= f.start < e for s, e in spans)]


def _words_value(words: str) -> int:
    """Value of number words as _EN_WORDS finds them; "a" and "and" count nothing ("a hundred" is a scale alone)."""
    total = section = 0
    for w in re.split(r"[\s-]+", words.lower()):
        if w in _WORD_VALUES:
            section += _WORD_VALUES[w]
        elif w in _ORDINAL_WORDS:
            value = _ORDINAL_WORDS[w]
            if value >= 100:
                section = (section or 1) * value
            else:
                section += value
        elif w == "hundred":
            section = (section or 1) * 100
        elif w in _WORD_SCALES:
            total, section = total + (section or 1) * _WORD_SCALES[w], 0
    return total + section


def _en_figure(text: str, m: re.Match, value: Decimal, approx: str, *, end: int | None = None) -> Figure:
    """An English figure with what follows it: a percent or per-mille sign, "times", "months", "points"."""
    after = _EN_AFTER.match(text, m.end() if end is None else end)
    kind = after.lastgroup if after else ""
    if kind == "mille":
        return Figure(value.scaleb(-1, EXACT), approx, True, m.group(0), m.start())
    unit = kind if kind in ("times", "months", "points") else ""
    return Figure(value, approx, kind == "pct", m.group(0), m.start(), unit=unit)


# Each scan of ``en_word_figures`` matches only where one of its words stands whole ("/" and
# "fold" stand for 3/4 and threefold). In ASCII text, where \w and re.I mean what they say in
# ASCII, a scan whose words the text lacks finds nothing, and is skipped.
_SCAN_KEYS = {
    "words": frozenset([*_WORD_VALUES, *_WORD_SCALES]),
    "ordinals": frozenset(_ORDINAL_WORDS),
    "fractions": frozenset([*_FRACTION_DEN, "half", "/"]),
    "fold": frozenset(["fold"]),
    "multiples": frozenset(_EN_MULTIPLE),
    "half": frozenset(["half"]),
}


def _scan(pattern: re.Pattern, text: str, words: set[str] | None, keys: str) -> Iterable[re.Match]:
    """``pattern``'s matches in ``text``; none, without looking, where ``words`` (an ASCII text's
    words, else None) hold none of the scan's keys."""
    if words is not None and words.isdisjoint(_SCAN_KEYS[keys]):
        return ()
    return pattern.finditer(text)


def _ascii_words(text: str) -> set[str] | None:
    if not text.isascii():
        return None
    lowered = text.lower()
    words = set(re.findall(r"\w+", lowered))
    words.update(mark for mark in ("/", "fold") if mark in lowered)
    return words


_CASE_ALIKE = {0x17F: "s", 0x212A: "K", 0x130: "I", 0x131: "i"}


def en_word_figures(text: str) -> list[Figure]:
    """Figures English writes in words: "ninety percent", "two thousand", "a hundred and twenty",
    "twenty-first", "second", "a third", "twice", "threefold", "a year and a half"."""
    out = []
    # Letters outside ASCII that a case-blind match takes for ASCII ones (ſ for s, K for k) would
    # find no entry in the tables below: read as the letters they match, one for one.
    text = text.translate(_CASE_ALIKE)
    words = _ascii_words(text)
    for m in _scan(_EN_WORDS, text, words, "words"):
        value = _words_value(m.group("words") + (" " + m.group("last") if m.group("last") else ""))
        last_word = re.split(r"[\s-]+", m.group("words").lower())[-1]
        # twenty-first, hundred-and-first, two hundredth; one-third is a count and a fraction (read below)
        if m.group("last") and (last_word in _TENS_AND_SCALES or _ORDINAL_WORDS[m.group("last").lower()] >= 100):
            out.append(Figure(Decimal(value), "", False, m.group(0), m.start(), unit="ordinal"))
            continue
        end = m.end("words") if m.group("last") else m.end()  # one-third: the fraction is read below
        if m.group("last"):
            value = _words_value(m.group("words"))
        number = Decimal(value) + (Decimal("0.5") if m.group("half") else 0)
        number = _signed(text, m.start(), end, number)
        out.append(_en_figure(text, m, number, _qualifier(text, m.start(), end), end=end))
    for m in _scan(_EN_ORDINAL_WORD, text, words, "ordinals"):
        out.append(Figure(Decimal(_ORDINAL_WORDS[m.group(0).lower()]), "", False, m.group(0), m.start(),
                          unit="ordinal"))
    for m in _scan(_EN_FRACTION, text, words, "fractions"):
        if m.group("half"):
            numer, den = 1, 2
        elif m.group("dn"):
            numer, den = int(m.group("dn")), int(m.group("dd"))
        else:
            n = m.group("n").lower()
            numer = 1 if n in ("a", "an") else _WORD_VALUES[n]
            den = _FRACTION_DEN[m.group("d").lower()]
        out.append(Figure(Decimal(numer), _qualifier(text, m.start(), m.end()), False, m.group(0), m.start(),
                          unit=f"/{den}"))
    for m in _scan(_EN_FOLD, text, words, "fold"):
        out.append(Figure(Decimal(_FOLD[m.group(1).lower()]), "", False, m.group(0), m.start(), unit="times"))
    for m in _scan(_EN_MULTIPLE_RE, text, words, "multiples"):
        out.append(Figure(Decimal(_EN_MULTIPLE[m.group(0).lower()]), "", False, m.group(0), m.start(), unit="times"))
    for m in _scan(_EN_HALF, text, words, "half"):
        out.append(Figure(Decimal("0.5") if m.group("half") else Decimal("1.5"), "", False, m.group(0), m.start(),
                          unit="" if m.group("half") or m.group("what") == "year" else "months"))
    return out


Key = tuple[Decimal, bool, str]


def figure_keys(fig: Figure) -> set[Key]:
    """What an English figure may be, as (value, percent, unit), to render a Chinese one."""
    v = fig.value
    if fig.to is not None:  # "20 to 30 percent": the lower end stands without the percent
        return {(v, fig.percent, fig.unit), (v, False, "")}
    if fig.unit == "times":
        return {(v, False, "times")} | ({(v + 1, False, "times")} if fig.growth else set())
    if fig.unit == "years":
        return {(v, False, ""), (scaled(v, 12), False, "months")}
    if fig.unit == "ordinal":  # "the 22nd" and "Article 22": keys_of gives every English ordinal its plain key
        return {(v, False, "")}
    if fig.unit:
        return {(v, fig.percent, fig.unit)}
    return {(v, fig.percent, "")}


def keys_of(fig: Figure) -> set[Key]:
    """The (value, percent, unit) an English figure stands for; "2 times" and "18 months" also count as 2 and 18."""
    keys = {(fig.value, fig.percent, fig.unit)}
    if not fig.unit.startswith("/"):  # "12.5 points" is also 12.5 (a score); "3/4" is no 3
        keys.add((fig.value, fig.percent, ""))
    elif (den := int(fig.unit[1:])) and not (100 * fig.value) % den:
        keys.add((100 * fig.value / den, True, ""))  # "a fifth" is 20 percent (兩成), "half" 50
    return keys


# What English qualifier an approximation takes, and which one says the opposite.
APPROX_OK = {MORE: {MORE}, ABOUT: {ABOUT, NEARLY}, NEARLY: {NEARLY, ABOUT, LESS}}
APPROX_OPPOSITE = {MORE: {LESS, NEARLY}, ABOUT: set(), NEARLY: {MORE}}
APPROX_WORDS = {MORE: "more than", ABOUT: "about", NEARLY: "nearly", LESS: "fewer than"}


def plain(value: Decimal | int) -> str:
    """``value`` with thousands separators and the decimals it has: 12000 → "12,000", 12.50 → "12.5"."""
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1), context=EXACT):,f}"
    return f"{d.normalize(EXACT):,f}"


_DESK_SCALES = ((12, "trillion"), (9, "billion"), (6, "million"))


def decimals(value: Decimal) -> int:
    """How many decimal places ``value`` needs: 128.64 → 2, 1.2E+3 → 0."""
    exponent = value.normalize(EXACT).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def desk_number(value: Decimal | int) -> str:
    """A figure as a news desk writes it: 12,000; 115 million; 128.64 billion; 2.3 trillion.

    From a million up the figure takes the largest scale word in which at most three
    decimals say it exactly, with fewer than five digits before the point below
    trillions (1,824.507 billion; 12.345678 million stays 12,345,678); nothing is rounded.
    """
    d = Decimal(value)
    for power, word in _DESK_SCALES:
        if abs(d) >= 10 ** power:
            short = d.scaleb(-power, EXACT)
            # Below the largest scale only as a desk writes it: 1,824.507 billion, not 1,824,507.1 million.
            if decimals(short) <= 3 and (power == 12 or abs(short) < 10_000):
                return f"{plain(short)} {word}"
    return plain(d)
