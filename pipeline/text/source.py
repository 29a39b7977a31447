"""Read an article: detect its encoding, normalize line ends, drop scraping debris.

Paragraphs are lines. Only lines that carry no text at all, or that are
nothing but share-widget chrome, are dropped; everything dropped is reported.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.workspace.files import not_a_file
from pipeline.model import Dropped, Line, Source
from pipeline.text.script import HAN_UNIFIED

# The 400 most frequent ideographs of the UD Chinese treebanks (Traditional);
# their Simplified forms are added when a legacy decoding has to be chosen
# (``_common_chars``, so that UTF-8 input never loads OpenCC). Legacy double-byte encodings
# decode each other's bytes without error, so the decoding that yields common
# characters wins.
_COMMON_TRAD = (
    "的在一年是了為國人有中他大和於個這地斯時不以會後學成來們上到月公作多發其之生出對部日家被爾區方法用行"
    "可要能與自分但也主最而特同軍前過及位西世因長開並利經市南美現加動名所代由本建得間下克教任民亞當政北工期"
    "德天說電立戰平高海面事場拉第此我里該機就理業力新著者都影內安些從約度化總統進她外至馬將使全物子兩數定文"
    "羅表種重道次合員然體如通關起性常隊還達接尼很格明十英巴相小受它設司水比已那三球務入布山變選實等始產奧演"
    "量城治元語史原提聯二目東沒賽台科稱保運議蘭界系品直車處女樣資手口意正洲無府程據少更島校展制紀認州路色共"
    "回阿金卡希河向義歐氣參領太基每站件心院導華四普論門流型命示或只解結古線計投管首非視交信術幾爭根包式持報"
    "調活造近米港許集裡歷維形好劇王言曾樂鐵省權去情音士威別應組決獲林屬條萬令括圖響則助隨空供未標石極育五灣"
    "點際且改指京帶印想納眾把查果取片引積土風協瑪商波看放塔反官製類均越需告源身頭夫域候給研獨"
)

# Share widgets and page furniture that scrapers pick up with the article.
_CHROME = re.compile(
    r"分享到|分享至|分享|轉發|转发|微信|朋友圈|微博|QQ空間|QQ空间|QQ好友|豆瓣|人人網|人人网|"
    r"Facebook|Twitter|LINE|打印|列印|關閉窗口|关闭窗口|關閉|关闭|收藏|返回頂部|返回顶部|"
    r"字號|字号|[大中小](?=\s|$|[|｜／/])",
    re.IGNORECASE,
)

# Page furniture around the text: a breadcrumb trail (首頁 > 新聞中心 > 要聞), the line of
# publication data (發佈時間：… 來源：…), the editor's credit, a "related reading" heading.
_CRUMB = re.compile(r"\s*(?:>|›|»|＞|->)\s*")
# A line of it has a time stamp or a view count, or two fields at least: "作者：李明" alone
# is an op-ed's byline, which the reader keeps.
_STAMP = re.compile(r"(?:發佈|发布|發布|更新)(?:時間|时间|日期)\s*[：:]|\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}"
                    r"|(?:瀏覽|浏览|點擊|点击|閱讀|阅读)(?:次數|次数|量)\s*[：:]")
_FIELD = re.compile(r"(?:來源|来源|作者|編輯|编辑|責任編輯|责任编辑)\s*[：:]")
_EDITOR = re.compile(r"^[（(【\[]?\s*(?:責任編輯|责任编辑|編輯|编辑|審核|审核|校對|校对|值班編輯|值班编辑)\s*[：:]")
_RELATED = re.compile(r"^(?:相關閱讀|相关阅读|相關新聞|相关新闻|延伸閱讀|延伸阅读|推薦閱讀|推荐阅读|相關鏈接|相关链接)"
                      r"\s*[：:]?$")
_SENTENCE_MARKS = re.compile(r"[。！？；，]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = ("gb18030", "cp950", "big5hkscs")
_INDENT = " \t\u3000\u00a0"


@functools.cache
def _common_chars() -> frozenset[str]:
    from pipeline.text.script import to_simplified

    return frozenset(_COMMON_TRAD) | frozenset(to_simplified(_COMMON_TRAD))


# Punctuation of Chinese text in either script. Legacy double-byte decodings of
# the wrong encoding turn it into kana, bopomofo, box drawing or private-use
# characters, which a Chinese article does not contain.
_CJK_PUNCT = frozenset("。，、；：？！「」『』（）《》〈〉【】“”‘’—…·．﹐﹑﹔﹕﹖﹗")
# Ideographs that count for Chinese beyond the common ones: outside the Unified block
# (Extension A and beyond) they are rare enough that a wrong decoding is the likelier cause.
_UNIFIED = re.compile(f"[{HAN_UNIFIED}]")


def _score(text: str, common: frozenset[str]) -> float:
    """How plausible ``text`` is as a Chinese article: per non-ASCII character, +1 for a
    common ideograph or Chinese punctuation, +0.25 for another ideograph, 0 for a
    full-width letter or digit, -1 for anything else (kana, hangul, bopomofo,
    private use, rare extension ideographs, symbols)."""
    total = 0.0
    counted = 0
    for ch in text:
        if ch.isascii():
            continue  # every legacy encoding decodes ASCII alike
        counted += 1
        if ch in common or ch in _CJK_PUNCT:
            total += 1
        elif _UNIFIED.match(ch):
            total += 0.25
        elif not ("\uff01" <= ch <= "\uff5e" or ch == "\u3000"):
            total -= 1
    return total / counted if counted else 0.0


def decode(data: bytes, *, name: str = "<input>") -> tuple[str, str]:
    """Return ``(text, encoding)``; raise SourceError for empty, binary or undecodable input."""
    if not data.strip():
        raise SourceError("empty file", path=name)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as e:
                raise SourceError(f"undecodable {encoding} at byte {e.start}", path=name) from e
    if b"\x00" in data:
        raise SourceError("binary file (NUL bytes and no UTF-16 byte-order mark)", path=name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    candidates = []
    for encoding in _LEGACY:
        try:
            candidates.append((data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise SourceError(
            f"undecodable bytes at offset {utf8_error.start}: not UTF-8, UTF-16, GB18030 or Big5",
            path=name,
        )
    common = _common_chars()
    # Stable: on a tie the earlier (GB18030) candidate wins.
    text, encoding = max(candidates, key=lambda c: _score(c[0], common))
    return text, encoding


def has_text(line: str) -> bool:
    """True when the line holds any letter, digit or CJK character."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in line)


def _control_chars(line: str) -> str | None:
    for ch in line:
        if unicodedata.category(ch) == "Cc" and ch != "\t":
            return f"control character U+{ord(ch):04X}"
    return None


def debris_reason(line: str) -> str | None:
    """Why a line is scraping debris, or None when it holds real text."""
    if not has_text(line):
        return "no letter, digit or CJK character"
    if not has_text(_CHROME.sub("", line)):
        return "share widget or page chrome"
    if _SENTENCE_MARKS.search(line) is None:
        parts = _CRUMB.split(line)
        home = re.match(r"(?:首頁|首页|當前位置|当前位置|您的位置|位置)", line) is not None
        if len(parts) >= (2 if home else 3) and all(0 < len(p) <= 12 for p in parts):
            return "breadcrumb trail"
        if len(line) <= 160 and (_STAMP.search(line) or len(_FIELD.findall(line)) >= 2):
            return "publication data (time, source, author)"
        if _RELATED.match(line):
            return "related-reading heading"
    if _EDITOR.match(line) and len(line) <= 40:
        return "editor's credit"
    return None


# Longest stretch of one line without a sentence end that can still be one segment.
# Real sentences in the UD treebanks stay under 300 characters; 5,000 characters
# without a full stop is a minified blob or a broken conversion, which no MT model
# and no reviewer could take as one unit.
MAX_SENTENCE_CHARS = 5_000
_SENTENCE_END = re.compile(r"[。！？!?.｡]")


def _longest_run(line: str) -> int:
    if len(line) <= MAX_SENTENCE_CHARS:
        return len(line)
    return max(len(part) for part in _SENTENCE_END.split(line))


def parse(text: str, *, name: str = "<input>", encoding: str = "utf-8", where: str | None = None) -> Source:
    """Split decoded text into paragraphs, dropping debris lines.

    ``name`` goes into catalog references; errors cite ``where`` (the path as
    given) when there is one.
    """
    where = where or name
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    dropped: list[Dropped] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip(_INDENT)
        if not stripped:
            continue
        bad = _control_chars(stripped)
        if bad:
            raise SourceError(bad, path=where, line=number)
        run = _longest_run(stripped)
        if run > MAX_SENTENCE_CHARS:
            raise SourceError(f"{run} characters without a sentence end; over the {MAX_SENTENCE_CHARS}-character "
                              "limit for one segment (is this really article text?)", path=where, line=number)
        reason = debris_reason(stripped)
        if reason:
            dropped.append(Dropped(number, raw, reason))
        else:
            lines.append(Line(number, stripped))
    if not lines:
        raise SourceError("no text left after dropping debris", path=where)
    return Source(name=name, encoding=encoding, lines=tuple(lines), dropped=tuple(dropped))


MAX_BYTES = 20 * 1024 * 1024


def read_article(path: Path, *, max_bytes: int = MAX_BYTES) -> Source:
    """Read and parse an article file."""
    path = Path(path)
    what = not_a_file(path)
    if what is not None:
        raise SourceError(f"is {what}, not a text file", path=path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(
                f"{size} bytes is over the {max_bytes}-byte limit for one article; split it",
                path=path,
            )
        data = path.read_bytes()
    except IsADirectoryError as e:
        raise SourceError("is a directory, not an article", path=path) from e
    except FileNotFoundError as e:
        raise SourceError("no such file", path=path) from e
    except OSError as e:
        raise SourceError(f"cannot read: {e.strerror}", path=path) from e
    text, encoding = decode(data, name=str(path))
    return parse(text, name=path.name, encoding=encoding, where=str(path))
