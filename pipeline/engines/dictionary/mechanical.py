"""The mechanical parts of a draft, written as an English news desk writes them.

Datelines (新华社天津7月15日电 → "Tianjin, July 15 (Xinhua) --"), dates
(2024年上半年 → "the first half of 2024"), figures with thousands separators
and their units or counters (1.5万人次 → "15,000 visits", 480多名 → "more
than 480"). A word-by-word gloss gets these wrong ("7 moon 15 NEC"), and they
are what a reviewer can take over unchanged.

``spans`` works on Simplified text with full-width digits and signs already
folded, and returns (start, end, English) for each piece it renders, so the
caller can splice them into text of the same length in either script. This
is engine output only; what QA accepts as the same figure lives in
``pipeline.numbers``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from pipeline.text.numbers import (APPROX_WORDS, Figure, desk_number, ordinal, plain, small_numeral,
                                   zh_figures)
from pipeline.text.script import HAN_UNIFIED
from pipeline.text.spelling import number_words

Span = tuple[int, int, str]

MONTHS = "January February March April May June July August September October November December".split()
_SMALL = r"[一二三四五六七八九十两〇零]{1,3}"
_N = rf"(?:\d{{1,2}}|{_SMALL})"  # a month or day number
_YEAR = r"(?:\d{4}|[一二三四五六七八九〇零○]{4})"

# Agencies and sites that open a dateline, with the name English copy uses.
AGENCIES = {
    "新华社": "Xinhua", "中新社": "China News Service", "中新网": "Chinanews", "人民网": "People's Daily Online",
    "新华网": "Xinhuanet", "北方网": "Enorth", "央视网": "CCTV", "中国日报网": "China Daily", "本报": "",
    "本网": "", "大河网": "Dahe.cn", "东方网": "Eastday", "南方网": "Southcn.com", "千龙网": "Qianlong.com",
    "红网": "Rednet", "荆楚网": "Cnhubei", "光明网": "Guangming Online", "中国网": "China.org.cn",
    "澎湃新闻": "The Paper", "浙江在线": "Zhejiang Online", "四川在线": "Sichuan Online", "国际在线": "CRI Online",
}
_AGENCY = "|".join(sorted(AGENCIES, key=len, reverse=True))
_DATELINE_AGENCY_FIRST = re.compile(
    rf"^\s*(?P<agency>{_AGENCY})(?P<place>[{HAN_UNIFIED}]{{2,8}}?)(?P<m>{_N})月(?P<d>{_N})日(?:电|讯)\s*[：:]?\s*")
_DATELINE_PLACE_FIRST = re.compile(rf"^\s*(?P<place>[{HAN_UNIFIED}]{{2,6}}?)(?P<agency>{_AGENCY})(?:讯|消息|电)\s*[：:]\s*")
# 【大河网讯】: the agency alone, in brackets.
_DATELINE_BRACKETED = re.compile(rf"^\s*(?:[【\[]\s*(?P<agency>{_AGENCY})(?:讯|消息|电)\s*[】\]]|(?P<bare>本报讯|本网讯))\s*")

_HALF = {"上": "first", "下": "second"}
_QUARTER = {"一": "first", "1": "first", "二": "second", "2": "second", "三": "third", "3": "third",
            "四": "fourth", "4": "fourth"}
_PART = {"初": "early", "上旬": "early", "中旬": "mid-", "下旬": "late", "底": "late", "末": "late"}
# (kind, pattern), tried in this order: a span an earlier pattern took is not read again.
_DATE_PATTERNS = [
    # Spans: 2019年1-9月 "the first nine months of 2019", 3至5月 "March to May", 3月5日至7日 "March 5 to 7".
    ("months", rf"(?:(?P<y>{_YEAR})年)?(?<![\d.])(?P<m1>{_N})\s*(?:[-－—–~～]|至|到)\s*(?P<m>{_N})月(?:份)?"),
    ("days", rf"(?:(?P<y>{_YEAR})年)?(?P<m>{_N})月(?P<d1>{_N})[日号]?\s*(?:[-－—–~～]|至|到)\s*(?P<d>{_N})[日号]"),
    ("quarters", rf"(?:(?P<y>{_YEAR})年)?前(?P<q>[二三两])(?:个)?季度"),
    # 2024年7月15日, 7月15日, 15日 are handled in one pattern so that the longest wins.
    ("date", rf"(?:(?P<y>{_YEAR})年)?(?P<m>{_N})月(?:份)?(?P<d>{_N})[日号]"),
    ("date", rf"(?:(?P<y>{_YEAR})年)?(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})(?![\d日号])"),
    # 上午9时30分 "9:30 a.m.", 下午3时 "3 p.m.": a time needs its part of the day or its minutes.
    ("time", rf"(?P<part>上午|下午|晚上|凌晨|中午)?(?P<h>\d{{1,2}}|{_SMALL})[时点](?:(?P<mi>\d{{1,2}}|{_SMALL})分)?"),
    # A day of the dateline's month (记者25日获悉): "on the 25th".
    ("day", r"(?<![月\d.])(?P<d>\d{1,2})[日号](?![\d])"),
    ("half", rf"(?P<y>{_YEAR})年(?P<half>[上下])半年"),
    ("half", r"(?P<rel>[今去明])年(?P<half>[上下])半年"),
    ("half", r"(?<!\d年)(?P<half>[上下])半年"),
    ("quarter", rf"(?:(?P<y>{_YEAR})年)?第?(?P<q>[一二三四1-4])季度"),
    ("month", rf"(?:(?P<y>{_YEAR})年)?(?<!个)(?<!\d)(?P<m>{_N})月(?:份)?(?P<part>初|上旬|中旬|下旬|底|末)?"
              rf"(?![\d一二三四五六七八九十])"),
    ("century", r"(?P<c>\d{1,2}|[一二三四五六七八九十]{1,3})世纪(?:(?P<dec>\d0|[一二三四五六七八九]十)年代)?"),
    ("decade", r"(?P<dec>(?:\d{2})?\d0|[二三四五六七八九]十)年代"),
    ("anniversary", r"(?P<n>\d{1,4}|[一二三四五六七八九十百]{1,4})周年"),
    ("grade", r"(?P<grade>\d{1,2}|[一二三四五六七八九十]{1,2})年级"),
    ("bc", r"公元前(?P<y>\d{1,4})年"),
    # A year opening the sentence before a comma: 1882年， "In 1882,".
    ("in-year", rf"^(?P<y>{_YEAR})年(?=[，,])"),
    ("year", rf"(?:公元)?(?P<y>{_YEAR})年(?P<part>初|底|末|中)?(?!代|级)"),
    # Years before 1000 are years after 公元, a preposition or a range dash: 在363年, 公元833年, 830-846年.
    ("year", r"(?:公元|(?<=[在于从到至\-–~]))(?P<y>\d{1,3})年(?!代|级)"),
]
_DATES = [(re.compile(pattern), kind) for kind, pattern in _DATE_PATTERNS]

# Units and counters after a figure: the English that follows the number ("" drops a counter).
UNITS = {
    "人次": "visits", "人": "people", "名": "", "个": "", "位": "", "项": "", "件": "", "场": "", "次": "times",
    "家": "", "所": "", "座": "", "条": "", "只": "", "辆": "", "架": "", "艘": "", "台": "", "本": "", "部": "",
    "篇": "", "张": "", "块": "", "间": "", "栋": "", "枚": "", "颗": "", "首": "", "户": "households",
    "元": "yuan", "人民币": "yuan", "欧元": "euros", "英镑": "pounds", "日元": "yen", "港元": "Hong Kong dollars",
    "公里": "kilometers", "平方公里": "square kilometers", "千米": "kilometers", "米": "meters",
    "厘米": "centimeters", "毫米": "millimeters", "英里": "miles", "公斤": "kilograms", "千克": "kilograms",
    "克": "grams", "吨": "tons", "公顷": "hectares", "平方米": "square meters", "立方米": "cubic meters",
    "升": "liters", "摄氏度": "degrees Celsius", "度": "degrees", "岁": "years old", "年": "years",
    "个月": "months", "天": "days", "周": "weeks", "个小时": "hours", "小时": "hours", "分钟": "minutes",
    "秒": "seconds", "倍": "times", "亩": "mu",
}
_PREFIX_UNITS = {"美元": "$", "美金": "$"}
_UNIT = re.compile("|".join(sorted(map(re.escape, [*UNITS, *_PREFIX_UNITS]), key=len, reverse=True)))
_SINGULAR = {"people": "person", "visits": "visit", "times": "time", "years old": "year old"}
_ORDINAL = re.compile(r"第(?P<num>\d+|[零〇一二三四五六七八九十百千两]+)")
_LATIN_NEIGHBOUR = re.compile(r"[A-Za-z\-_/:.]")


_WORDS = "one two three four five six seven eight nine ten".split()
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
# One to nine written in characters, before a unit or measure word: 三年 "three years", 两个 "two".
_SMALL_COUNT = re.compile(r"(?<![零〇一二三四五六七八九十百千万亿两\d第])(?P<num>[一二三四五六七八九两])"
                          r"(?P<unit>个月|个小时|小时|分钟|年|天|周|岁|倍|人|名|个|位|家|次)")


_SESSION = re.compile(rf"(?<!第)(?P<n>{_N})(?:(?P<term>届)|(?P<plenum>中全会)|次(?:(?P<full>全体)?(?P<meeting>会议)|(?P<plenary>全会)))")
_AND_A_HALF = re.compile(r"(?<![\d.])(?P<num>\d+|[一二三四五六七八九十两]{1,3})(?P<unit>个月|个小时|小时|年|天|周)半")


def _year(y: str) -> str:
    if y.isdigit():
        return y
    digits = {"〇": "0", "零": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
              "七": "7", "八": "8", "九": "9"}
    return "".join(digits[c] for c in y)


def english_number(value: Decimal | int) -> str:
    """15000 → "15,000"; 2.5e8 → "250 million"; 1.5 → "1.5" (the desk style of ``numbers.desk_number``)."""
    return desk_number(value)


def _date(kind: str, m: re.Match) -> str | None:
    g = m.groupdict()
    year = _year(g["y"]) if g.get("y") else ""
    if kind == "months":
        first, last = small_numeral(g["m1"]), small_numeral(g["m"])
        if not first or not last or not 1 <= first < last <= 12:
            return None
        if first == 1:
            return f"the first {number_words(last)} months" + (f" of {year}" if year else "")
        return f"{MONTHS[first - 1]} to {MONTHS[last - 1]}" + (f" {year}" if year else "")
    if kind == "days":
        month, first, last = small_numeral(g["m"]), small_numeral(g["d1"]), small_numeral(g["d"])
        if not month or not 1 <= month <= 12 or not first or not last or not 1 <= first < last <= 31:
            return None
        return f"{MONTHS[month - 1]} {first} to {last}" + (f", {year}" if year else "")
    if kind == "time":
        hour, minute = small_numeral(g["h"]), small_numeral(g["mi"]) if g.get("mi") else None
        if hour is None or not 0 <= hour <= 24 or (minute is not None and not 0 <= minute < 60) \
                or (minute is None and not g.get("part")):
            return None
        when = f"{hour}:{minute:02d}" if minute is not None else str(hour)
        noon = {"上午": "a.m.", "凌晨": "a.m.", "下午": "p.m.", "晚上": "p.m."}.get(g.get("part") or "")
        return f"{when} {noon}" if noon and 1 <= hour <= 12 else when if minute is not None else f"{hour} o'clock"
    if kind == "day":
        nth = int(g["d"])
        return f"on the {ordinal(nth)}" if 1 <= nth <= 31 else None
    if kind == "quarters":
        return f"the first {number_words(2 if g['q'] == '两' else small_numeral(g['q']) or 0)} quarters" + \
            (f" of {year}" if year else "")
    if kind in ("date", "month"):
        month = small_numeral(g["m"])
        if not month or not 1 <= month <= 12:
            return None
        name = MONTHS[month - 1]
        if kind == "date":
            day = small_numeral(g["d"])
            if not day or not 1 <= day <= 31:
                return None
            return f"{name} {day}, {year}" if year else f"{name} {day}"
        part = _PART.get(g.get("part") or "", "")
        name = f"{part}{'' if part.endswith('-') or not part else ' '}{name}"
        return f"{name} {year}" if year else name
    if kind == "half":
        which = {"今": "this year", "去": "last year", "明": "next year"}.get(g.get("rel") or "", "the year")
        return f"the {_HALF[g['half']]} half of {year or which}"
    if kind == "quarter":
        return f"the {_QUARTER[g['q']]} quarter" + (f" of {year}" if year else "")
    if kind == "century":
        century = small_numeral(g["c"])
        if not century:
            return None
        if g.get("dec"):
            decade = small_numeral(g["dec"])
            return f"the {century - 1}{decade:02d}s" if decade is not None else None
        return f"the {ordinal(century)} century"
    if kind == "decade":
        dec = g["dec"] if g["dec"].isdigit() else str(small_numeral(g["dec"]))
        return f"the {dec}s" if len(dec) == 4 else f"the '{dec}s"
    if kind == "anniversary":
        n = small_numeral(g["n"])
        return f"{ordinal(n)} anniversary" if n else None
    if kind == "grade":
        return f"grade {small_numeral(g['grade'])}"
    if kind == "bc":
        return f"{g['y']} BC"
    if kind == "in-year":
        return f"In {year}"
    if kind == "year":
        part = {"初": "early ", "底": "late ", "末": "late ", "中": "mid-"}.get(g.get("part") or "", "")
        return f"{part}{year}"
    return None


def _overlaps(start: int, end: int, taken: list[Span]) -> bool:
    return any(s < end and start < e for s, e, _ in taken)


def dateline(text: str, gloss: Callable[[str], str]) -> Span | None:
    """A dateline at the start of ``text``, rendered "Place, Month D (Agency) -- "."""
    m = _DATELINE_AGENCY_FIRST.match(text) or _DATELINE_PLACE_FIRST.match(text)
    if not m:
        bracketed = _DATELINE_BRACKETED.match(text)  # 【本报讯】 ("our own report") says nothing English keeps
        if bracketed is None:
            return None
        agency = AGENCIES[bracketed.group("agency")] if bracketed.group("agency") else ""
        return bracketed.start(), bracketed.end(), f"({agency}) --" if agency else ""
    place = gloss(m.group("place"))
    place = place[:1].upper() + place[1:]
    agency = AGENCIES[m.group("agency")]
    when = ""
    if "m" in m.groupdict() and m.group("m"):
        month, day = small_numeral(m.group("m")), small_numeral(m.group("d"))
        if not month or not 1 <= month <= 12 or not day or not 1 <= day <= 31:
            return None
        when = f", {MONTHS[month - 1]} {day}"
    return (m.start(), m.end(), f"{place}{when}{f' ({agency})' if agency else ''} --")


# A credit in brackets: （记者 李明 通讯员 王芳）. Each role with the English copy gives it.
_ROLES = {"记者": ("reporter", "reporters"), "本报记者": ("reporter", "reporters"),
          "特约记者": ("special correspondent", "special correspondents"),
          "通讯员": ("correspondent", "correspondents"), "实习生": ("intern", "interns"),
          "编辑": ("editor", "editors"), "责任编辑": ("editor", "editors")}
_ROLE = "|".join(sorted(_ROLES, key=len, reverse=True))
# A name runs up to the next role; a two-character name may be spaced out to the width of three (陈 强).
_PERSON = (rf"(?:(?:(?!{_ROLE})[{HAN_UNIFIED}]){{2,4}}"
           rf"|(?!{_ROLE})[{HAN_UNIFIED}]\s{{1,2}}(?!{_ROLE})[{HAN_UNIFIED}](?![{HAN_UNIFIED}]))")
_CREDIT = re.compile(rf"[（(]\s*(?P<body>(?:(?:{_ROLE})\s*{_PERSON}(?:\s*[、，,\s]\s*{_PERSON})*\s*)+)[）)]")
_CREDIT_PART = re.compile(rf"(?P<role>{_ROLE})\s*(?P<names>{_PERSON}(?:\s*[、，,\s]\s*{_PERSON})*)")
_NAME_SEPARATOR = re.compile(r"[、，,\s]+")
# Two-character surnames; any other name's surname is its first character.
_COMPOUND_SURNAMES = frozenset("欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 夏侯 尉迟 公孙 长孙 宇文 司徒 端木 南宫 "
                               "西门 独孤 轩辕 闻人 赫连 呼延 钟离 申屠 澹台 百里 东郭".split())


def person_name(name: str, reading: Callable[[str], str]) -> str:
    """A Chinese person's name as English copy writes it, surname first and apart: 李明 "Li Ming",
    欧阳小华 "Ouyang Xiaohua", 王建安 "Wang Jian'an" (an apostrophe where a syllable would run on)."""
    cut = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1

    def joined(chars: str) -> str:
        out = ""
        for ch in chars:
            syllable = reading(ch)
            out += ("'" if out and syllable[:1] in "aeo" else "") + syllable
        return out.capitalize()

    return f"{joined(name[:cut])} {joined(name[cut:])}"


def _names(listed: str) -> list[str]:
    """The names of a credit: 李明、王芳 two; 陈 强 one, spaced out (no name is one character)."""
    out: list[str] = []
    for name in _NAME_SEPARATOR.split(listed.strip()):
        if out and len(out[-1]) == 1:
            out[-1] += name
        elif name:
            out.append(name)
    return out


# Officials named after their title (省委书记卢展工主持…): the name in pinyin, not glossed
# character by character ("black spread out work"). A name is a common surname and one or two
# characters, followed by what a report says an official does, or by a list's punctuation.
_TITLES = ("总书记|国家主席|副主席|主席|总理|副总理|委员长|国务委员|部长|副部长|省委书记|市委书记|县委书记|区委书记|"
           "党委书记|党组书记|副书记|书记|省长|副省长|市长|副市长|县长|副县长|区长|主任|副主任|厅长|局长|秘书长|"
           "常委|院长|校长|董事长|总经理|大使|发言人")
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
             "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
             "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
             "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项"
             "连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲"
             "虞敖巩明佘池查麻苑迟邝习")
# A name transliterated from Uyghur, Tibetan or another language has its parts joined by a dot
# (雪克来提·扎克尔): each part is read on its own.
_DOT = "·・•‧"
_OFFICIAL = re.compile(rf"(?:{_TITLES})(?P<name>(?:{'|'.join(sorted(_COMPOUND_SURNAMES))}|[{_SURNAMES}])"
                       rf"[{HAN_UNIFIED}]{{1,2}}?|[{HAN_UNIFIED}]{{2,6}}?(?:[{_DOT}][{HAN_UNIFIED}]{{1,6}}?)+)(?=主持|指出|强调|表示|说|出席|会见|会晤|讲话|调研|考察|参加|要求|提出|"
                       r"介绍|宣布|代表|一行|同志|等|在|对|向|与|和|作|到|率|带领|召开|视察|听取|看望|慰问|签署|致辞|"
                       r"批示|回答|接受|宣读|就|为|将|于|也|还|已|亲自|前往|来到|分别|先后|深入|一同|陪同|参观|观看|"
                       r"检查|指导|部署|督导|谈|称|认为|希望|[、，,。：:])")


def officials(text: str, reading: Callable[[str], str]) -> list[Span]:
    return [(m.start("name"), m.end("name"), _name_of(m.group("name"), reading)) for m in _OFFICIAL.finditer(text)]


def _name_of(name: str, reading: Callable[[str], str]) -> str:
    parts = re.split(f"[{_DOT}]", name)
    if len(parts) == 1:
        return person_name(name, reading)
    return " ".join(person_name(part, reading).replace(" ", "").capitalize() for part in parts)


# The dispatch's closing mark (（完）): "(End)", not the verb "finish".
_END_MARK = re.compile(r"[（(【\[]\s*完\s*[）)】\]]")


def end_marks(text: str) -> list[Span]:
    return [(m.start(), m.end(), "(End)") for m in _END_MARK.finditer(text)]


def credits(text: str, reading: Callable[[str], str]) -> list[Span]:
    """Bracketed credits (（记者 李明）), rendered "(reporter Li Ming)"."""
    out = []
    for m in _CREDIT.finditer(text):
        parts = []
        for part in _CREDIT_PART.finditer(m.group("body")):
            names = [person_name(n, reading) for n in _names(part.group("names"))]
            one, many = _ROLES[part.group("role")]
            listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            parts.append(f"{one if len(names) == 1 else many} {listed}")
        out.append((m.start(), m.end(), f"({', '.join(parts)})"))
    return out


def dates(text: str, taken: list[Span]) -> list[Span]:
    out: list[Span] = []
    for pattern, kind in _DATES:
        for m in pattern.finditer(text):
            if m.end() == m.start() or _overlaps(m.start(), m.end(), taken + out):
                continue
            english = _date(kind, m)
            if english:
                out.append((m.start(), m.end(), english))
    return out


def _is_code(text: str, start: int, end: int) -> bool:
    """Digits that belong to a code or name (B29, F1, 4G, COVID-19, 10:30), not a quantity."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return bool(before and _LATIN_NEIGHBOUR.match(before)) or bool(after and re.match(r"[A-Za-z\-_/:]", after))


_FRACTION_WORDS = {2: "half", 3: "third", 4: "quarter", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
                   9: "ninth", 10: "tenth"}


def _fraction(numer: Decimal, den: int) -> str:
    """三分之一 "one-third", 四分之三 "three-quarters", 十五分之二 "2/15"."""
    if den in _FRACTION_WORDS and 1 <= numer <= 9 and numer == int(numer):
        n = int(numer)
        return f"{_WORDS[n - 1]}-{_FRACTION_WORDS[den]}{'s' if n > 1 and den > 2 else ''}"
    return f"{plain(numer)}/{den}"


def _count(fig: Figure) -> bool:
    """A numeral before a measure word: 三所."""
    return len(fig.surface) == 1 and not fig.surface.isdigit() and 2 <= fig.value <= 9


def _figure(fig: Figure) -> str:
    """The English of one figure, before its unit, qualified as the source qualifies it."""
    if fig.unit.startswith("/"):
        number = _fraction(fig.value, int(fig.unit[1:]))
    elif fig.unit == "ordinal":
        n = int(fig.value)
        number = "the " + _nth(n)
    elif fig.surface.startswith("翻") and fig.unit == "times":  # 翻一番 "double", 翻两番 "quadruple"
        number = {2: "double", 4: "quadruple"}.get(int(fig.value), f"increase {plain(fig.value)}-fold")
    elif _count(fig):
        number = _WORDS[int(fig.value) - 1]  # 三所 "three", as a desk spells out one to nine
    elif fig.to is not None:  # 二三十 "20 to 30", 三五年 "three to five years", 一两个 "one or two"
        low, high = ((_WORDS[int(v) - 1] for v in (fig.value, fig.to)) if fig.to <= 9 and not fig.percent
                     else (desk_number(v) for v in (fig.value, fig.to)))
        number = f"{low} {'or' if fig.value == 1 else 'to'} {high}" + (" percent" if fig.percent else "")
        number += " times" if fig.unit == "times" else ""
    else:
        number = desk_number(abs(fig.value))
        if fig.percent or fig.unit == "points":
            number = _as_written(number, fig.surface)
        if fig.value < 0:
            number = f"minus {number}"
        if fig.unit == "points":
            number += " percentage point" if fig.value == 1 else " percentage points"
        elif fig.percent:
            number += " percent"
        elif fig.unit == "times":
            number += " times"  # 1.6倍: the 倍 is part of the figure
    return f"{APPROX_WORDS[fig.approx]} {number}" if fig.approx else number


_WRITTEN_DECIMALS = re.compile(r"[0-9０-９][.．]([0-9０-９]+)")


def _as_written(number: str, surface: str) -> str:
    """A rate keeps the decimal places its source gives it: 增長8.0% grew "8.0 percent", as
    statistics are reported, not "8 percent", which claims less precision."""
    m = _WRITTEN_DECIMALS.search(surface)
    if m is None or not number.replace(".", "", 1).isdigit():
        return number
    places = len(m.group(1))
    whole, _, frac = number.partition(".")
    return f"{whole}.{frac.ljust(places, '0')}" if len(frac) < places else number


def _special(fig: Figure) -> bool:
    """A figure whose words come first: the 一個 of 一個百分點 is no "a"."""
    return fig.percent or fig.unit == "points" or fig.unit.startswith("/") or fig.value < 0


# A ratio as written (2.0∶1, 3:2): its figures keep their decimals.
_RATIO = re.compile(r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)\s*[:：∶]\s*(?P<b>\d+(?:\.\d+)?)(?![\d.:])")


def _nth(n: int) -> str:
    """3 "third", 13 "13th": words to ten, as a desk writes ordinals."""
    return _ORDINALS[n - 1] if n <= 10 else ordinal(n)


def _after_term(text: str, start: int) -> bool:
    """Whether a congress's term (十三届) stands just before ``start``: its 四次会议 is a session."""
    return "届" in text[max(0, start - 16):start]


def figures(text: str, taken: list[Span]) -> list[Span]:
    out: list[Span] = [(m.start(), m.end(), f"{m.group('a')}:{m.group('b')}") for m in _RATIO.finditer(text)
                       if not _overlaps(m.start(), m.end(), taken)]
    found = zh_figures(text)
    _write_figures([f for f in found if _special(f)], text, taken, out)
    for m in _ORDINAL.finditer(text):
        n = small_numeral(m.group("num"))
        if n and not _overlaps(m.start(), m.end(), taken + out):
            end = m.end()
            if u := re.match(r"次|个|届|名|位|章|条|号|期|轮|天|年|批|代", text[end:]):
                end += u.end()
            word = _nth(n)
            time = " time" if text[m.end():end] == "次" else ""
            if time and (session := re.match(r"(全体)?会议", text[end:])) and _after_term(text, m.start()):
                time, end = " plenary session" if session.group(1) else " session", end + session.end()
            out.append((m.start(), end, f"the {word}{time}"))
    # 十三届人大四次会议 "the 13th ... the fourth session"; 四中全会 "the fourth plenary session".
    for m in _SESSION.finditer(text):
        n = small_numeral(m.group("n"))
        meeting = (m.group("meeting") or m.group("plenary")) and not _after_term(text, m.start())
        if n and not meeting and not _overlaps(m.start(), m.end(), taken + out):
            word = _nth(n)
            plenary = m.group("plenum") or m.group("full") or m.group("plenary")
            kind = "" if m.group("term") else " plenary session" if plenary else " session"
            out.append((m.start(), m.end(), f"the {word}{kind}"))
    for m in _AND_A_HALF.finditer(text):
        n = small_numeral(m.group("num"))
        if n and not _overlaps(m.start(), m.end(), taken + out):
            number = _WORDS[n - 1] if not m.group("num").isdigit() and n <= 10 else english_number(n)
            out.append((m.start(), m.end(), f"{number} and a half {UNITS[m.group('unit')]}"))
    for m in _SMALL_COUNT.finditer(text):
        if _overlaps(m.start(), m.end(), taken + out):
            continue
        n = small_numeral(m.group("num"))
        if n is None:
            continue  # not a numeral the rules read
        unit = UNITS.get(m.group("unit"), "")
        if n == 1 and m.group("unit") == "倍" and re.search(r"(?:增长|增加|提高|扩大|翻)了?$", text[:m.start()]):
            english = "double"  # 增长一倍: grew by one time, that is, doubled
        elif n == 1:
            english = {"次": "once", "倍": "once"}.get(m.group("unit")) or (f"one {_SINGULAR.get(unit, unit.rstrip('s'))}"
                                                                          if unit else "a")
        else:
            english = f"{_WORDS[n - 1]} {unit}".strip()
        out.append((m.start(), m.end(), english))
    _write_figures([f for f in found if not _special(f)], text, taken, out)
    return out


def _write_figures(found: list[Figure], text: str, taken: list[Span], out: list[Span]) -> None:
    for fig in found:
        start, end = fig.start, fig.start + len(fig.surface)
        if _overlaps(start, end, taken + out) or (fig.surface[0].isdigit() and _is_code(text, start, end)):
            continue
        if _count(fig) and not _UNIT.match(text, end):
            continue  # 两国 "both countries", 七大洲: the gloss says it better than "two", "seven"
        plain_figure = not fig.percent and fig.unit in ("", "times")
        unit = _UNIT.match(text, end) if plain_figure else None
        word = ""
        if unit:
            if unit.group() == "年" and fig.value == int(fig.value) and 1000 <= fig.value <= 2100:
                unit = None  # a year the date patterns did not take
            else:
                end = unit.end()
                word = UNITS.get(unit.group(), "")
        number = _figure(fig)
        if unit and unit.group() in _PREFIX_UNITS:
            # $ goes before the number, after its qualifier: "more than $5,000".
            qualifier = APPROX_WORDS[fig.approx] + " " if fig.approx else ""
            number = qualifier + _PREFIX_UNITS[unit.group()] + number[len(qualifier):]
        if word and fig.value == 1:
            word = _SINGULAR.get(word, word)
        out.append((start, end, f"{number} {word}" if word else number))


def spans(text: str) -> list[Span]:
    """The dates and figures of ``text``, sorted, never overlapping (a dateline is the caller's)."""
    taken: list[Span] = dates(text, [])
    taken += figures(text, taken)
    return sorted(taken)
