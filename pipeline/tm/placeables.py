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

from pipeline.text.numbers import en_figures, zh_figures

_EN_SURFACE = re.compile(r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<space>\s*)(?P<mult>thousand|million|billion)?", re.I)
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@dataclass(frozen=True)
class Substitution:
    text: str
    changes: tuple[tuple[str, str], ...] = ()  # (the memory's English figure, the new one)
    unmapped: str = ""  # why figures that differ were left alone; "" when none were


def _render(value: float, like: str) -> str | None:
    """``value`` written as ``like`` writes its figure; None when that notation cannot say it."""
    m = _EN_SURFACE.fullmatch(like)
    if m is None:
        return None
    scale = _SCALE[m.group("mult").lower()] if m.group("mult") else 1
    scaled = value / scale
    text = f"{scaled:.6f}".rstrip("0").rstrip(".")
    if abs(float(text) * scale - value) > 1e-6 * max(1.0, abs(value)):
        return None  # 5,120 cannot be written in millions to a sensible precision
    whole, _, frac = text.partition(".")
    old_whole = m.group("num").split(".")[0]
    if "," in old_whole or len(old_whole) < 4:
        whole = f"{int(whole):,}"
    return whole + (f".{frac}" if frac else "") + (m.group("space") + m.group("mult") if m.group("mult") else "")


def substitute(source: str, tm_source: str, tm_target: str) -> Substitution:
    """The memory's English with the figures of ``source`` in place of those of ``tm_source``."""
    new = zh_figures(unicodedata.normalize("NFKC", source))
    old = zh_figures(unicodedata.normalize("NFKC", tm_source))

    def facts(f):
        return f.value, f.approx, f.percent

    if [facts(f) for f in new] == [facts(f) for f in old]:
        return Substitution(tm_target)
    if len(new) != len(old):
        return Substitution(tm_target, unmapped=f"the memory's sentence has {len(old)} figure(s), this one {len(new)}")
    english = en_figures(tm_target)
    edits: list[tuple[int, int, str, str]] = []
    for was, now in zip(old, new):
        if facts(was) == facts(now):
            continue
        if (was.approx, was.percent) != (now.approx, now.percent):
            return Substitution(tm_target, unmapped=f"{was.surface} and {now.surface} are not the same kind of figure")
        same_source = sum(f.value == was.value for f in old)
        found = [e for e in english if e.value == was.value]
        if same_source != 1 or len(found) != 1:
            return Substitution(tm_target, unmapped=f"{was.surface} cannot be paired with one figure in the English")
        fig = found[0]
        rendered = _render(now.value, fig.surface)
        if rendered is None:
            return Substitution(tm_target, unmapped=f"{now.surface} cannot be written as {fig.surface} is")
        edits.append((fig.start, fig.start + len(fig.surface), fig.surface, rendered))
    text = tm_target
    for start, end, _, rendered in sorted(edits, reverse=True):
        text = text[:start] + rendered + text[end:]
    return Substitution(text, tuple((was, now) for _, _, was, now in sorted(edits)))
