"""Script normalization with OpenCC (Traditional→Simplified for matching and MT).

The original text stays what reviewers see; the Simplified form is only for
matching and for the engine. ``fold`` additionally maps full-width forms and
case so that glossary matching is insensitive to them, keeping one output
character per input character so spans point back into the original.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pipeline.model import Segment


@lru_cache(maxsize=1)
def _converter():
    # opencc-python-reimplemented and the `opencc` C++ binding both install
    # the `opencc` module; the project depends on the former only.
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1 << 16)  # the pure-Python OpenCC is slow, and a run meets the same words again and again
def to_simplified(text: str) -> str:
    return _converter().convert(text)


# Ranges of characters, written once: each goes inside a regular expression's
# character class (f"[{HAN}]"). The modules differ in which they mean, on purpose
# or by history; tests/test_script.py pins each module's choice.
HAN_UNIFIED = "\u4e00-\u9fff"  # CJK Unified Ideographs: the characters of everyday text
# Extension A (rare characters, often in names) through the Unified Ideographs; the
# Yijing hexagram symbols between the two come along.
HAN_BMP = "\u3400-\u9fff"
HAN_COMPAT = "\uf900-\ufaff"  # CJK Compatibility Ideographs: duplicates kept for legacy character sets
HAN_SUPPLEMENTARY = "\U00020000-\U0003ffff"  # Extension B and later, outside the BMP (planes 2 and 3)
CJK_BMP = "\u2e80-\u9fff"  # radicals, CJK punctuation, kana and bopomofo, then the BMP ideographs
# Chinese characters as QA and glossing count them: the BMP ideographs and the compatibility ones.
HAN = HAN_BMP + HAN_COMPAT
HAN_CHAR = re.compile(f"[{HAN}]")


def is_han(ch: str) -> bool:
    return HAN_CHAR.match(ch) is not None


# Characters OpenCC's t2s tables can change: CJK ideographs and compatibility forms.
_CONVERTIBLE = re.compile(f"[{CJK_BMP}{HAN_COMPAT}{HAN_SUPPLEMENTARY}]")


@lru_cache(maxsize=1 << 16)
def simplify(text: str) -> str:
    """t2s with one output character per input character.

    OpenCC's phrase tables occasionally change length; then fall back to
    character-by-character conversion, which keeps offsets valid.
    """
    if not _CONVERTIBLE.search(text):
        return text  # English drafts: nothing to convert, and OpenCC is slow at it
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    out = []
    for ch in text:
        c = to_simplified(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


class _FoldTable(dict):
    """Code point → its half-width, case-folded character (itself where that is not one
    character), filled as characters are met: ``str.translate`` folds a text in one call."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch).casefold()
        value = self[code] = folded if len(folded) == 1 else ch
        return value


_FOLD = _FoldTable()  # bounded by the characters there are


def fold(text: str, simplified: str = "") -> str:
    """Simplified, half-width, case-folded; same length as ``text``.

    ``simplified``: the text's ``simplify`` form where the caller has it (a
    normalized segment's), to spare a second OpenCC pass.
    """
    if text.isascii():
        return text.lower()  # NFKC leaves ASCII alone, and casefold is lower() there
    return (simplified or simplify(text)).translate(_FOLD)


# Share of Chinese characters that t2s changes: Traditional news text runs at
# 20-30 %, Simplified text near 0 (a few characters such as 乾 are converted in
# some phrases either way).
_HANT_SHARE = 0.03


def fold_english(text: str) -> str:
    """Half-width and case-folded, for comparing English renderings (no t2s)."""
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()


def detect_script(pairs: Iterable[tuple[str, str]]) -> str:
    """"zh-Hant" or "zh-Hans", from (original, Simplified) text pairs already converted."""
    changed = cjk = 0
    for text, simplified in pairs:
        cjk += len(_CONVERTIBLE.findall(text))
        changed += sum(a != b for a, b in zip(text, simplified))
    return "zh-Hant" if cjk and changed / cjk > _HANT_SHARE else "zh-Hans"


def gettext_language(script: str) -> str:
    """The X-Source-Language value Poedit understands for a script."""
    return "zh_TW" if script == "zh-Hant" else "zh_CN"


def normalize(segments: Iterable[Segment]) -> list[Segment]:
    """Fill each segment's Simplified form, which matching and the engines then use."""
    return [dataclasses.replace(seg, simplified=simplify(seg.text)) for seg in segments]


def simplified(seg: Segment) -> str:
    """The segment's Simplified form: the one ``normalize`` filled in, else converted now."""
    return seg.simplified or simplify(seg.text)
