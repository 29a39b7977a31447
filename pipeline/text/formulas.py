"""Numbered formulas and quoted slogans, recognised by their structure.

CPC discourse names policies by counting them: 三個高地, 八項規定, 十大戰役,
and in compact form 兩學一做, 三嚴三實, 一崗雙責, 十三五. The rules work on the
folded Simplified text (``script.fold``, one character per character of the
original, so spans point back into what the reviewer sees):

1. **Counted form**: a Chinese numeral up to 20 (两, 兩 and 双 included), an
   optional measure word (个 项 条 种 点 类) or 大, then a short noun phrase:
   jieba's next word, or its next two when the dictionaries know them as one
   word (四项基本原则). Not a formula when the noun phrase is a counting unit
   or time word (两个月, 三年来, 三名), starts with an approximation (多, 余,
   来, 几), is a generic counted noun (三个方面, 两个问题), a place or a
   person, or a function word; when the numeral is 一 (一个 is "a"); when it
   follows 第, 每, 前, 后, 近, 约, 周 or another figure (第三个, 前三个月,
   周三); when it is written in Arabic digits (54个先进社区党组织, 387个,
   3200多名, 1.5万人次, 89周年: figures count things, formulas do not), unless
   quoted. Without a measure word the noun phrase must be two characters or
   more (三评议), because a bare numeral before one character is ordinary
   counting (两国, 三地).
2. **Compact form**: two to four units of a numeral and one or two other
   characters (两学|一做, 三学|五比|一考核, 一站|三中心), the last unit ending
   where jieba ends a word. A unit that starts with a counting unit
   (一年一度, 一级抓一级, 一人一票) breaks the chain.
3. **Five-year plans**: 十一五 … 十九五.
4. **Dictionaries**: a numeral-initial word that CC-CEDICT glosses as a
   policy, slogan or named set (三个代表 "the Three Represents", 一国两制,
   八荣八耻, 四个全面) is a formula whatever rules 1-2 say; one it glosses as
   an idiom or ordinary word (一心一意, 三心二意, 四面八方, 一定, 两岸) is not.
   A word jieba tags as an abbreviation or fixed expression that CC-CEDICT
   lacks (三讲, 两委, 三公, 一岗双责, 两手抓) is a formula.
5. **Quotes**: the content of 『』「」“” is a candidate slogan (2-40
   characters, no sentence end inside, not a date); when the whole content
   reads as a formula under the rules above, with Arabic digits and 一个
   allowed, it is a formula.

Known misses: formulas on 百, 千 and 万 (千村示范万村整治); 一个 + noun
unquoted (一个中心、两个基本点); counted forms whose noun is a generic counted
noun (三个方面 if it were a formula); formulas jieba splits oddly before the
noun (五个好企业 unquoted reads as 五个好企业 only when a dictionary joins
it); idioms that neither dictionary knows in the compact shape (they read as
formulas). Known false alarms: an ordinary count with an abstract noun
(三个高地 and "three problems" share one structure; 两个问题 is caught by the
generic-noun list, rarer nouns are not).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.text import lexicon
from pipeline.text.numbering import FRAME, NOT_COINED, proper_name, numbering_end
from pipeline.text.dates import zh_dates
from pipeline.text.numbers import chinese_numeral
from pipeline.text.script import HAN_BMP, fold

NUMERALS = "一二两三四五六七八九十双"
_NUMERAL_SET = frozenset(NUMERALS)
MEASURES = frozenset("个项条种点类")  # 大 is handled with them: 十大战役, 三大攻坚战
# Counting units and time words: a numeral before them counts or dates something.
UNITS = frozenset(
    "年 月 日 天 周 周年 岁 小时 时 分 分钟 秒 星期 季度 世纪 代 次 回 遍 人 名 位 家 所 座 户 件 元 块 角 "
    "万 亿 千 百 倍 成 届 期 批 轮 层 级 米 公里 里 吨 斤 亩 公斤 克 升 号 页 章 节 篇 本 张 台 辆 艘 架 只 头 "
    "条 个 项 种 点 类 些 样 半 多 余 来 几 对 双 套 份 笔 场 起 例 宗 股 支 队 组 班 排 连 营 团 师 军 钟 "
    "版 部 集 封 句 字 行 声 下 步 手 口 顿 阵 分之 首 棵 颗 粒 间 栋 幢 扇 把 根 枝 朵 片 道 门 匹 尾 幅 段 "
    "册 卷 局 盘 圈 趟 番 者 方 边 侧 线 度".split())
# Nouns that are counted in ordinary prose, not named in formulas.
COUNTED = frozenset(
    "方面 问题 部分 阶段 环节 方向 层次 领域 步骤 方式 途径 原因 特点 条件 因素 措施 办法 内容 目标 任务 "
    "国家 城市 地区 省 市 县 区 村 乡 镇 社区 街道 单位 部门 企业 公司 学校 医院 项目 小组 家庭 孩子 学生 "
    "人员 干部 党员 群众 代表团 会议 文件 地方 方 国 地 人们 男子 女子 孩子们 儿子 女儿 兄弟 姐妹 朋友 "
    "月份 工作日 民族 世界杯 球队 选手 队员 党支部 党组织 机构 委员会 政府 条款 房间 楼层 车道 国家队 "
    "工作 政策 指标 技术 研究 成果 奖项 荣誉 比赛 冠军 金牌 课程 专业 产品 品种 语言 版本 作品 案件".split())
# Characters before a numeral that make it an ordinal, a range or part of a figure.
_BEFORE = frozenset("第每前后近约逾数周期拜初余多.%")
# Units no formula's noun phrase starts with (unlike 代 in 三个代表): enough to
# reject a numeral without loading jieba.
_PLAIN_UNITS = frozenset("年月日天周岁次名人位家户件元万亿千百倍届期批轮多余来几半米吨号篇首辆座所台张只本")
# Units that break a compact formula; 位 is left out for 五位一体.
COMPACT_BREAK = UNITS - {"位"}
_STOP_CHARS = frozenset("的了是在和与及或也都就而把被将对为于从向到给让使")
_NOT_AFTER = frozenset("的之中下上里内外间了着过")
_DEICTIC = frozenset("这那该其此有")
_FUNCTION_POS = ("u", "p", "c", "r", "d", "m", "q", "f", "y", "x", "e", "o", "t", "nr", "ns", "nt", "eng")
_STOP_NP = frozenset("的 了 是 在 和 与 及 或 也 都 就 又 而 把 被 将 对 为 于 以 从 向 到 给 让 使 中 上 下 里 内 外".split())
_QUOTE = re.compile(r"『([^『』]{1,60})』|「([^「」]{1,60})」|“([^“”]{1,60})”")
_SENTENCE_END = re.compile(r"[。！？!?]")
_CJK = re.compile(f"[{HAN_BMP}]")
_DIGITS = re.compile(r"\d{1,2}")
_FIVE_YEAR = re.compile(r"十[一二三四五六七八九]五")
_PUNCT = re.compile(f"[^{HAN_BMP}0-9a-z]")

_FORMULA_GLOSS = re.compile(
    r"\b(?:CCP|CPC|PRC|Communist|(?-i:Party)|slogan|campaign|polic(?:y|ies)|guidelines?|ideology|political|"
    r"plan|initiative|government|Deng Xiaoping|Mao Zedong|Jiang Zemin|Hu Jintao|Xi Jinping|"
    r"(?-i:Congress)|modernizations?|plenum|plenary)\b", re.IGNORECASE)
# "the Three Represents", "Four Comprehensives", or a named set spelled out after a
# colon ("the three rural issues: agriculture, rural areas and peasants").
_NAMED_SET = re.compile(r"^(?:the )?(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Double)\b|"
                        r"^the (?:two|three|four|five|six|seven|eight|nine|ten) [^/:]+:")
_IDIOM_GLOSS = re.compile(r"\(idiom\)|\blit\. |\bfig\. ")


@dataclass(frozen=True)
class Mention:
    """A formula or quoted slogan found in a text; ``start``/``end`` index the original text."""

    start: int
    end: int
    surface: str  # as written in the original
    kind: str  # "formula" or "quoted"
    key: str  # folded Simplified form: one candidate in either script
    english: str = ""  # a literal suggestion, never an official rendering
    certain: bool = True  # False: a counted noun phrase with no second sign yet (see rule 1)


@dataclass(frozen=True)
class Lexeme:
    """What the dictionaries say about a numeral-initial word."""

    verdict: str  # "formula", "ordinary" or "unknown"
    english: str = ""


# --- dictionaries -------------------------------------------------------------------------------


def _short_sense(defs: str) -> str:
    """The name in a CC-CEDICT definition: "the Four Cardinal Principles enunciated by…" → the name."""
    sense = re.sub(rf"\s*\([^)]*\)|\S*[{HAN_BMP}]\S*", "", defs.split("/")[0])
    sense = re.split(r"[:;]", sense)[0].strip()
    if len(sense.split()) > 6:
        named = re.search(r"\b(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Double)"
                          r"(?: (?:and |of |on |the )?[A-Z][\w-]*)+", sense)
        sense = named.group(0) if named else sense.split(", ")[0]
        sense = re.split(r" (?:practiced|proposed|enunciated|introduced|announced|launched|adopted|put forward)\b",
                         sense)[0]
        sense = re.sub(r"^[A-Z]\w+(?: [A-Z]\w+)*'s ", "", sense)
    return re.sub(r"^the ", "", sense.strip())


def lexeme(word: str) -> Lexeme:
    """CC-CEDICT's view of a numeral-initial word, then jieba's."""
    entries = [(p, d) for p, d in lexicon.cedict().definitions(word) if not d.startswith("see ")]
    if entries:
        for _, defs in entries:
            if _IDIOM_GLOSS.search(defs):
                continue
            if _FORMULA_GLOSS.search(defs) or _NAMED_SET.match(defs):
                return Lexeme("formula", _short_sense(defs))
        return Lexeme("ordinary")
    jieba = lexicon.jieba()
    if jieba.get_FREQ(word):
        flag = lexicon.tags().get(word, "")
        if _starts_with_unit(word[len(_numeral_prefix(word)):], COMPACT_BREAK):
            return Lexeme("ordinary")  # 一年一度; 五位一体 is not a count of persons
        if flag in ("j", "nz"):  # abbreviations and special nouns: 三讲, 两委, 三农
            return Lexeme("formula")
        if flag in ("l", "i"):  # fixed expressions, idioms or formulas: the structure decides
            return Lexeme("unknown")
        return Lexeme("ordinary")
    return Lexeme("unknown")


def _known_word(word: str) -> bool:
    return bool(lexicon.jieba().get_FREQ(word)) or lexicon.cedict().has(word)


# --- structure ----------------------------------------------------------------------------------


def _numeral_prefix(s: str) -> str:
    n = 0
    while n < len(s) and s[n] in _NUMERAL_SET and n < 3:
        n += 1
    return s[:n]


def _starts_with_unit(rest: str, units: frozenset[str] = UNITS) -> bool:
    return any(rest.startswith(u) for u in units)


def _value(numeral: str) -> int | None:
    if numeral.isdigit():
        return int(numeral)
    if len(numeral) > 1 and "十" not in numeral:
        return None  # 一一, 三五: a reduplication or a range, not a number
    return chinese_numeral(numeral.replace("双", "二"))


def _tokens(s: str) -> list[tuple[str, str]]:
    """jieba's words with their part of speech, dictionary words only (no HMM guesses)."""
    return [(p.word, p.flag) for p in lexicon.posseg().lcut(s, HMM=False)]


def _bounds(s: str, start: int, end: int) -> set[int]:
    """Positions in ``s`` where jieba ends a word, for the window ``s[start:end]``."""
    out, pos = set(), start
    for word, _ in _tokens(s[start:end]):
        pos += len(word)
        out.add(pos)
    return out


def _compact(s: str, i: int) -> tuple[int, list[tuple[str, str]]] | None:
    """End of a compact formula starting at ``i`` (两学一做), with its units."""
    units: list[tuple[str, str]] = []
    p, n = i, len(s)
    while p < n and s[p] in _NUMERAL_SET and len(units) < 4:
        q, x = p + 1, 0
        while q + x < n and x < 2 and _CJK.match(s[q + x]) and s[q + x] not in _NUMERAL_SET:
            x += 1
        if x == 0:
            break
        units.append((s[p], s[q:q + x]))
        p = q + x
        if x == 2 and not (p < n and s[p] in _NUMERAL_SET):
            break  # the last unit: one or two characters, settled below
    if len(units) < 2:
        return None
    end = p
    bounds = _bounds(s, i, min(n, end + 6))
    if len(units[-1][1]) == 2 and end - 1 in bounds:
        end -= 1  # 两学一做学习教育: the last unit is 做, where jieba ends a word
        units[-1] = (units[-1][0], units[-1][1][0])
    if any(_starts_with_unit(x, COMPACT_BREAK) or set(x) & _STOP_CHARS for _, x in units):
        return None
    # Each unit ends where jieba ends a word, unless one word covers the whole
    # formula (一岗双责): 十全街两侧 is a street, not 十全|街两.
    ends, pos = [], i
    for unit in units:
        pos += 1 + len(unit[1])
        ends.append(pos)
    if end not in bounds or (any(e not in bounds for e in ends[:-1]) and not _one_word(s, i, end)):
        return None
    if end - i > 9:
        return None
    return end, units


def _one_word(s: str, i: int, end: int) -> bool:
    tokens = _tokens(s[i:end])
    return len(tokens) == 1


def _noun_phrase(tokens: list[tuple[str, str]], *, limit: int) -> tuple[str, str]:
    """The short noun phrase after a numeral: one word, or two the dictionaries know as one."""
    if not tokens:
        return "", ""
    word, flag = tokens[0]
    if len(tokens) > 1:
        two = word + tokens[1][0]
        if len(two) <= limit and (_known_word(two) or (flag == "vn" and tokens[1][1].startswith("n"))):
            return two, tokens[1][1]
    return word, flag


@dataclass(frozen=True)
class _Counted:
    end: int
    numeral: str
    measure: str
    noun: str
    flag: str
    certain: bool


def _counted(s: str, i: int, *, quoted: bool, stop: int) -> _Counted | None:
    """A counted formula at ``i`` (三个高地, 十大战役, 五个好), or None."""
    digits = _DIGITS.match(s, i)
    numeral = digits.group(0) if digits else _numeral_prefix(s[i:])
    if digits and not quoted:
        return None  # figures count things; formulas are written in Chinese numerals
    value = _value(numeral)
    if value is None or not 1 <= value <= 20:
        return None
    if numeral == "一" and not quoted:
        return None  # 一个 is "a"; 一 formulas are compact (一岗双责) or known words
    j = i + len(numeral)
    measure = s[j] if j < stop and (s[j] in MEASURES or s[j] == "大") else ""
    k = j + len(measure)
    rest = s[k:stop]
    if not rest or not _CJK.match(rest[0]) or rest[0] in _NUMERAL_SET or _starts_with_unit(rest):
        return None
    if quoted:
        noun = rest
        tokens = _tokens(noun)
        flag = tokens[-1][1] if tokens else ""
        if len(noun) > 4 or set(noun) & _STOP_CHARS:
            return None
        return _Counted(k + len(noun), numeral, measure, noun, flag, True)
    noun, flag = _noun_phrase(_tokens(rest[:8]), limit=4)
    if not noun or not _CJK.match(noun[0]) or noun in _STOP_NP or noun in COUNTED or noun in UNITS:
        return None
    if flag.startswith(_FUNCTION_POS) or (not measure and len(noun) < 2) or (measure == "大" and len(noun) < 2):
        return None
    end = k + len(noun)
    after = s[end:end + 1]
    if after and after in _NOT_AFTER:
        return None  # 两个独立的大陆, 两个事实中, 九个低估了: the phrase goes on
    before = s[i - 1:i] if i else ""
    # Evidence that this is a name and not a count: 大 (十大战役), a non-noun the
    # count cannot apply to (四个全面, 两个维护) ending the phrase. A counted noun
    # (三个高地, 两个尖塔) needs a second sign: see ``find_mentions``.
    ends_phrase = not after or not _CJK.match(after) or after in "和与及并等"
    named = measure in ("大", "项") or (not flag.startswith(("n", "vn")) and ends_phrase)
    if before in _DEICTIC:
        named = False  # 这两个族群: a count of something already mentioned
    return _Counted(end, numeral, measure, noun, flag, named and bool(measure))


def _literal(value: int) -> str:
    words = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
    return words[value] if 0 < value < len(words) else str(value)


def _plural(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    if not last.isalpha() or last.endswith("s"):
        return phrase
    last = last[:-1] + "ies" if last.endswith("y") and last[-2:-1] not in "aeiou" else last + "s"
    return f"{head} {last}".strip()


# Characters whose first CC-CEDICT sense misreads them in a formula (创 "a wound",
# 会 "can"): the sense formulas use, for the literal suggestion only.
_FORMULA_SENSES = {"创": "creation", "比": "comparison", "学": "study", "做": "action", "严": "strictness",
                   "实": "substance", "会": "meeting", "课": "lesson", "稳": "stability", "保": "guarantee",
                   "去": "cut", "降": "reduction", "补": "shoring-up", "清": "clarity", "库": "database",
                   "岗": "post", "责": "responsibility", "重": "major", "大": "major", "考核": "assessment",
                   "考评": "evaluation", "评议": "review", "攻坚战": "tough battle", "高地": "highland",
                   "站": "station", "好": "good", "规定": "rule"}


def _gloss(word: str) -> str:
    """A literal English gloss: the word's sense, else its longest known parts'."""
    dictionary = lexicon.cedict()
    out, i = [], 0
    while i < len(word):
        for j in range(len(word), i, -1):
            piece = word[i:j]
            sense = _FORMULA_SENSES.get(piece) or dictionary.gloss(piece)
            if sense:
                out.append(sense.split(",")[0])
                i = j
                break
        else:
            return ""
    return " ".join(out)


def _counted_english(numeral: str, measure: str, noun: str, flag: str) -> str:
    value = _value(numeral) or 0
    gloss = _gloss(noun)
    if not gloss:
        return ""
    number = _literal(value)
    if flag.startswith("a") and " " not in gloss:
        return f"{number}-{gloss}"  # 五个好: "five-good"
    major = "major " if measure == "大" else ""
    return f"{number} {major}{_plural(gloss) if value > 1 and _is_noun(noun) else gloss}"


def _is_noun(word: str) -> bool:
    tokens = _tokens(word)
    return tokens[-1][1].startswith(("n", "vn")) or word in _FORMULA_SENSES


def _compact_english(units: list[tuple[str, str]]) -> str:
    glosses = [_gloss(x) for _, x in units]
    if not all(glosses):
        return ""
    parts = [f"{_literal(_value(num) or 0)} {_plural(g) if (_value(num) or 0) > 1 and _is_noun(x) else g}"
             for (num, x), g in zip(units, glosses)]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _formula_at(s: str, i: int, stop: int, *, quoted: bool) -> tuple[int, str, bool] | None:
    """End, suggested English and certainty of a formula starting at ``i`` of ``s``, or None."""
    from pipeline.text.numbers import ordinal

    if s[i] not in _NUMERAL_SET and not (quoted and s[i].isdigit()):
        return None
    m = _FIVE_YEAR.match(s, i)
    if m and (m.end() >= len(s) or s[m.end()] not in _NUMERAL_SET):
        return m.end(), f"{ordinal(10 + (_value(s[i + 1]) or 0))} Five-Year Plan", True
    if s[i] in _NUMERAL_SET:
        compact = _compact(s[:stop], i)
        if compact:
            end, units = compact
            lex = lexeme(s[i:end])
            if lex.verdict == "formula":
                return end, lex.english or _compact_english(units), True
            if lex.verdict == "unknown":
                return end, _compact_english(units), True
            return None  # an idiom: 一心一意, 三心二意
        # A word the dictionaries know, starting here (三个代表, 三讲, 一定, 两岸).
        head = _tokens(s[i:stop][:10])[0][0]
        rest = head[len(_numeral_prefix(head)):]
        if rest and rest not in MEASURES and rest != "大":
            lex = lexeme(head)
            if lex.verdict == "formula":
                return i + len(head), lex.english, True
            if lex.verdict == "ordinary":
                return None
    counted = _counted(s, i, quoted=quoted, stop=stop)
    if counted is None:
        return None
    whole = lexeme(s[i:counted.end]) if s[i] in _NUMERAL_SET else Lexeme("unknown")
    if whole.verdict == "formula":
        return counted.end, whole.english, True
    english = _counted_english(counted.numeral, counted.measure, counted.noun, counted.flag)
    return counted.end, english, counted.certain


def _inside_word(s: str, i: int) -> bool:
    """Is the numeral at ``i`` inside a word jieba reads across it (四面八方, 统一)?"""
    if not i or not _CJK.match(s[i - 1]):
        return False
    start = max(0, i - 4)
    while start < i and not _CJK.match(s[start]):
        start += 1
    pos = start
    for word, _ in _tokens(s[start:_stop(s, i)][:i - start + 6]):
        if pos < i < pos + len(word):
            return True
        pos += len(word)
        if pos >= i:
            return False
    return False


def _stop(s: str, i: int) -> int:
    m = _PUNCT.search(s, i)
    return m.start() if m else len(s)


def _hopeless(s: str, i: int) -> bool:
    """Cheap rejections, before jieba or CC-CEDICT are loaded: 一 without a second
    numeral close by (一方面, 一天: 一 formulas are compact), a counting unit after
    the numeral and its measure word (两个月, 三年来) with no compact form possible."""
    if _FIVE_YEAR.match(s, i):
        return False
    numeral = _numeral_prefix(s[i:])
    j = i + len(numeral)
    compact_possible = any(c in _NUMERAL_SET for c in s[j + 1:j + 3])
    if numeral == "一":
        return not compact_possible
    k = j + 1 if j < len(s) and (s[j] in MEASURES or s[j] == "大") else j
    return s[k:k + 1] in _PLAIN_UNITS and not compact_possible


# --- proper names and coinages: read from the characters and the dictionaries, never from jieba's cuts


def proper_name_end(s: str, i: int) -> int | None:
    """Where a numeral-initial proper name starting at ``i`` ends (三峡工程 → after 三峡), or None."""
    if _compact(s[:_stop(s, i)], i):
        return None  # 三重一大 is a formula, though 三重 is also a town
    for n in (4, 3, 2):
        if i + n <= len(s) and proper_name(s[i:i + n]):
            return i + n
    return None


def _framed(s: str, end: int, stop: int) -> bool:
    return end >= stop or not _CJK.match(s[end]) or s.startswith(FRAME, end)


def _coinage(s: str, i: int, stop: int) -> tuple[int, str] | None:
    """A coinage: a numeral (two to ten, or 双) with one to three characters
    (四风, 双循环, 五水共治), or a doubled numeral with a noun (八八战略),
    that no dictionary knows as an ordinary word, closing a phrase (see ``FRAME``)."""
    value = _value(s[i])
    if value is None or not 2 <= value <= 10:
        return None
    doubled = i + 1 < stop and s[i + 1] == s[i]
    j = i + 2 if doubled else i + 1
    if j >= stop or not _CJK.match(s[j]) or s[j] in _NUMERAL_SET or s[j] in NOT_COINED or s[j] in _STOP_CHARS:
        return None
    if _starts_with_unit(s[j:stop]) or s[j] in MEASURES or s[j] == "大":
        return None
    for n in ((2, 1) if doubled else (1, 2, 3)):
        end = j + n
        if end > stop or any(c in _NUMERAL_SET or c in _STOP_CHARS or c in NOT_COINED or not _CJK.match(c)
                             for c in s[j:end]):
            break
        word = s[i:end]
        if not _framed(s, end, stop) or _IDIOM_GLOSS.search(" ".join(d for _, d in lexicon.cedict().definitions(word))):
            continue
        if lexicon.cedict().definitions(word) and lexeme(word).verdict != "formula":
            continue  # 两国, 两岸, 四海: ordinary words
        return end, lexeme(word).english or _gloss_coinage(value, s[j:end], doubled=doubled)
    return None


def _gloss_coinage(value: int, rest: str, *, doubled: bool = False) -> str:
    gloss = _gloss(rest)
    number = f"{_literal(value)}-{_literal(value)}" if doubled else "double" if value == 2 else _literal(value)
    return f"{number} {gloss}" if gloss else ""


def find_formulas(text: str, *, folded: str | None = None,
                  covered: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Numbered formulas in running text, leftmost first, not overlapping.

    Counted noun phrases without a second sign come back with ``certain=False``;
    two of them in one enumeration (构筑三个高地、打好五个攻坚战) confirm each other.
    Numerals inside ``covered`` spans (glossary hits) are not looked at.
    """
    s = folded if folded is not None else fold(text)
    out: list[Mention] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch not in _NUMERAL_SET or (i and (s[i - 1] in _NUMERAL_SET or s[i - 1] in _BEFORE
                                             or s[i - 1].isdigit())):
            i += 1
            continue
        span = next((b for a, b in covered if a <= i < b), None)
        if span is not None:
            i = span
            continue
        skip = numbering_end(s, i)
        hopeless = _hopeless(s, i)  # cheap rejections first: jieba and CC-CEDICT load lazily
        if skip is None and not hopeless:
            skip = proper_name_end(s, i)
        if skip is not None:
            i = skip
            continue
        stop = _stop(s, i)
        inside = not hopeless and _inside_word(s, i)
        found = None if hopeless or inside else _formula_at(s, i, stop, quoted=False)
        if found is None and not (hopeless or inside or (i and s[i - 1] in _NUMERAL_SET)):
            coined = _coinage(s, i, stop)
            found = (coined[0], coined[1], True) if coined else None
        if found is None:
            i += 1
            continue
        end, english, certain = found
        out.append(Mention(i, end, text[i:end], "formula", s[i:end], english, certain))
        i = end
    return [_confirm(m, out, s) for m in out]


def _confirm(m: Mention, mentions: list[Mention], s: str) -> Mention:
    """A counted noun phrase next to another numbered phrase in one enumeration is a formula."""
    if m.certain:
        return m
    for other in mentions:
        if other is m:
            continue
        a, b = (other.end, m.start) if other.end <= m.start else (m.end, other.start)
        gap = s[a:b]
        if len(gap) <= 6 and re.search(r"[、,，和与及]", gap) and not _SENTENCE_END.search(gap):
            return dataclasses.replace(m, certain=True)
    return m


def find_quoted(text: str, *, folded: str | None = None,
                covered: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Quoted slogans (『』「」“”); a quote that reads whole as a formula is a formula.

    Quotes whose content lies inside a ``covered`` span are left out."""
    s = folded if folded is not None else fold(text)
    out: list[Mention] = []
    for m in _QUOTE.finditer(s):
        g = next(k for k in (1, 2, 3) if m.group(k) is not None)
        start, end = m.start(g), m.end(g)
        if any(a <= start and end <= b for a, b in covered):
            continue
        content = s[start:end]
        if len(content) < 2 or _SENTENCE_END.search(content) or not re.search(f"[{HAN_BMP}a-z]", content):
            continue
        if any(d.start == 0 and d.end == len(content) for d in zh_dates(content)):
            continue  # 『七一』 is a date, checked as one
        found = (_formula_at(content, 0, len(content), quoted=True)
                 if content[0] in _NUMERAL_SET or content[0].isdigit() else None)
        if found and found[0] == len(content):
            out.append(Mention(start, end, text[start:end], "formula", content, found[1]))
        else:
            out.append(Mention(start, end, text[start:end], "quoted", content, ""))
    return out


def find_mentions(text: str, *, covered: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Formulas and quoted slogans in one text; a quote wins over a formula inside it.

    What lies inside ``covered`` spans (glossary hits) is skipped, and costs nothing."""
    s = fold(text)
    quoted = find_quoted(text, folded=s, covered=covered)
    inside = [(q.start, q.end) for q in quoted]
    formulas = [f for f in find_formulas(text, folded=s, covered=covered)
                if not any(a <= f.start and f.end <= b for a, b in inside)]
    return sorted(quoted + formulas, key=lambda m: (m.start, -m.end))
