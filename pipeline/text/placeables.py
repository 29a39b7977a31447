"""Carry the new sentence's figures into a matched translation (placeable substitution).

When the memory's source says 4512個 and the new sentence 5120個, the
memory's English "4,512" becomes "5,120", written the way the memory's
English wrote it (thousands separators or none, "1.5 million" stays in
millions). Figures are paired in order between the two Chinese sentences;
each changed figure must appear exactly once in the English. When that does
not hold (a different number of figures, a figure the English writes another
way or twice, a changed approximation or percentage), nothing is substituted:
the match is left as it is and QA's number check flags what disagrees.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from pipeline.text.numbers import (EN_DIGIT_SURFACE, EN_SCALES, EXACT, Figure, decimals, en_figures, figure_keys, keys_of,
                                   ordinal, plain, zh_figures)
from pipeline.text.spelling import number_words, ordinal_words

_ORDINAL_DIGITS = re.compile(r"\d+(?:,\d{3})*(?:st|nd|rd|th)", re.I)
_FRACTION_WORDS = {2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters"), 5: ("fifth", "fifths"),
                   6: ("sixth", "sixths"), 7: ("seventh", "sevenths"), 8: ("eighth", "eighths"),
                   9: ("ninth", "ninths"), 10: ("tenth", "tenths")}


@dataclass(frozen=True)
class Substitution:
    text: str
    changes: tuple[tuple[str, str], ...] = ()  # (the memory's English figure, the new one)
    unmapped: str = ""  # why figures that differ were left alone; "" when none were


def _like_case(text: str, like: str) -> str:
    return text[:1].upper() + text[1:] if like[:1].isupper() else text


def _render_words(value: Decimal, fig: Figure) -> str | None:
    """``value`` in words, as the memory's English wrote ``fig``: "four", "second", "a third"."""
    if value != value.to_integral_value() or value < 0:
        return None
    n = int(value)
    if fig.unit == "ordinal":
        words = ordinal_words(n)
    elif fig.unit.startswith("/"):
        den = int(fig.unit[1:])
        if den not in _FRACTION_WORDS or n < 1:
            return None
        one, many = _FRACTION_WORDS[den]
        joiner = "-" if "-" in fig.surface else " "
        first = "a" if n == 1 and fig.surface.lower().startswith(("a ", "a-")) else number_words(n)
        words = f"{first}{joiner}{one if n == 1 else many}"
    elif fig.unit == "times":
        if not fig.surface.lower().endswith("fold"):
            return None  # "twice", "tripled": no word says every other multiple in the same sentence
        words = None if (w := number_words(n)) is None else f"{w}fold"
    else:
        words = number_words(n)
    return None if words is None else _like_case(words, fig.surface)


def _render(value: Decimal, fig: Figure) -> str | None:
    """``value`` written as the memory's English wrote ``fig``; None when that notation cannot say it."""
    like = fig.surface
    if _ORDINAL_DIGITS.fullmatch(like):
        return ordinal(int(value)) if value == value.to_integral_value() and value > 0 else None
    m = EN_DIGIT_SURFACE.fullmatch(like)
    if m is None:
        return _render_words(value, fig)
    power = EN_SCALES[m.group("mult").lower()] if m.group("mult") else 0
    short = abs(value).scaleb(-power, EXACT)
    if decimals(short) > 6:
        return None  # 5,120 cannot be written in millions to a sensible precision
    text = plain(short)
    old_whole = m.group("num").split(".")[0]
    if "," not in old_whole and len(old_whole) >= 4:
        text = text.replace(",", "")  # the memory wrote 4512, or a year
    return text + (m.group("space") + m.group("mult") if m.group("mult") else "")


def _kind(f: Figure) -> tuple:
    return f.approx, f.percent, f.unit, f.value < 0


def substitute(source: str, tm_source: str, tm_target: str) -> Substitution:
    """The memory's English with the figures of ``source`` in place of those of ``tm_source``."""
    new = zh_figures(unicodedata.normalize("NFKC", source))
    old = zh_figures(unicodedata.normalize("NFKC", tm_source))

    def facts(f):
        return f.value, f.approx, f.percent, f.unit

    if [facts(f) for f in new] == [facts(f) for f in old]:
        return Substitution(tm_target)
    if len(new) != len(old):
        return Substitution(tm_target, unmapped=f"the memory's sentence has {len(old)} figure(s), this one {len(new)}")
    english = en_figures(tm_target)
    edits: list[tuple[int, int, str, str]] = []
    for was, now in zip(old, new):
        if facts(was) == facts(now):
            continue
        if _kind(was) != _kind(now):
            return Substitution(tm_target, unmapped=f"{was.surface} and {now.surface} are not the same kind of figure")
        same_source = sum(bool(figure_keys(f) & figure_keys(was)) for f in old)
        found = [e for e in english if keys_of(e) & figure_keys(was)]
        if same_source != 1 or len(found) != 1:
            return Substitution(tm_target, unmapped=f"{was.surface} cannot be paired with one figure in the English")
        fig = found[0]
        value = now.value
        if was.growth and (was.value + 1, False, "times") in keys_of(fig):
            value += 1  # 增長兩倍 was "threefold": 增長三倍 is "fourfold"
        rendered = _render(value, fig)
        if rendered is None:
            return Substitution(tm_target, unmapped=f"{now.surface} cannot be written as {fig.surface} is")
        edits.append((fig.start, fig.start + len(fig.surface), fig.surface, rendered))
    text = tm_target
    for start, end, _, rendered in sorted(edits, reverse=True):
        text = text[:start] + rendered + text[end:]
    return Substitution(text, tuple((was, now) for _, _, was, now in sorted(edits)))
