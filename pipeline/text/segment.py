"""Sentence segmentation for Chinese news text.

A sentence ends after 。！？!? (or a run of them), with the closing quotes and
brackets that follow attached to it. No break inside brackets or book titles,
nor inside a quotation embedded in a sentence (他以一句“好樣的！”結束了講話。);
a quotation that opens a sentence, or follows a colon, ends the sentence with
its closing mark. ；and ： never end a sentence. A Latin sentence ends at a
full stop that is not part of a number or an abbreviation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.model import Line, Segment, Source
from pipeline.text.script import is_han

TERMINALS = frozenset("。！？!?｡‼⁇⁈⁉")
QUOTES = {"「": "」", "『": "』", "“": "”", "‘": "’", "﹁": "﹂", "﹃": "﹄"}
BRACKETS = {
    "（": "）", "(": ")", "《": "》", "〈": "〉", "【": "】",
    "［": "］", "[": "]", "〔": "〕", "〖": "〗", "｛": "｝", "{": "}",
}
CLOSERS = frozenset(QUOTES.values()) | frozenset(BRACKETS.values()) | {'"', "'"}
_OPENERS = {**QUOTES, **BRACKETS}
_INTERESTING = re.compile("[" + re.escape("".join(TERMINALS) + "".join(_OPENERS) + "".join(CLOSERS) + ".…⋯") + "]")
_PAIRED = re.compile("[" + re.escape("".join(_OPENERS) + '"') + "]")
# Paragraphs the one-regex fast path cannot cut: Latin full stops, ellipses, and
# ASCII quotes and quote closers without their openers (reversed or lost quotes).
_NEEDS_SCAN = re.compile("[" + re.escape(".…⋯\"" + "".join(QUOTES.values())) + "]")
_COLONS = frozenset("：:")
# After these a quotation opens a clause of its own (他表示，“……。”), so its
# closing mark can end the sentence; after anything else it is embedded.
_CLAUSE_BREAKS = _COLONS | frozenset("，,")
# Full-width and ASCII brackets are mixed in scraped text ("（Return)"): either
# closes the other's opener.
_SAME_CLOSER = {"）": ")", ")": "）", "］": "]", "]": "］", "｝": "}", "}": "｝"}
_QUOTE_OPENER = {closer: opener for opener, closer in QUOTES.items()}
ELLIPSES = frozenset("…⋯")
# What may follow an ellipsis inside a sentence (我想……，算了); anything else
# after a doubled ellipsis (……) starts the next sentence.
_GOES_ON = frozenset("，,、；;：:—-") | TERMINALS | ELLIPSES
# With nothing to track (no balanced pairs, no full stops) a sentence is just a
# run of terminals plus the closers after it; one regex finds every end.
_PLAIN_END = re.compile(
    "[" + re.escape("".join(TERMINALS)) + "][" + re.escape("".join(TERMINALS) + "…⋯") + "]*"
    "[" + re.escape("".join(sorted(CLOSERS - {'"', "'"}))) + "]*"
)
# Latin abbreviations whose full stop never ends a sentence (lower case, no final dot).
ABBREVIATIONS = frozenset(
    "e.g i.e etc vs cf al mr mrs ms dr prof st jr sr no nos vol fig p pp ed eds "
    "inc ltd co corp dept univ gov gen col lt sgt capt u.s u.k u.n ph.d m.a b.a "
    "a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec approx est".split()
)
_LATIN_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_BYLINE = re.compile(
    r"[（(]\s*(?:記者|记者|通訊員|通讯员|實習生|实习生|特約|特约|編輯|编辑|責任編輯|责任编辑|"
    r"本報|本报|來源|来源|完|完結|完结|終|终)[^()（）]{0,30}[)）]$"
)
_PAREN_ONLY = re.compile(r"[（(][^()（）]{1,30}[)）]")
HEADING_MAX = 80


def _is_cjk(ch: str) -> bool:
    return is_han(ch) or "\u3000" <= ch <= "\u303f"  # or CJK punctuation


def _latin_full_stop(text: str, i: int) -> bool:
    """Is the '.' at ``i`` the end of a Latin sentence?"""
    before = _LATIN_WORD_BEFORE.search(text, 0, i)
    if not before:
        return False
    word = before.group(1).rstrip(".")
    if len(word) == 1 or word.lower() in ABBREVIATIONS or "." in word and len(word) <= 6:
        return False
    j = i + 1
    if j >= len(text):
        return True
    nxt = text[j]
    if _is_cjk(nxt) or nxt in CLOSERS:
        return True
    if nxt.isspace():
        k = j
        while k < len(text) and text[k].isspace():
            k += 1
        return k >= len(text) or text[k].isupper() or _is_cjk(text[k]) or text[k] in _OPENERS
    return False


def _balanced_openers(text: str) -> set[str]:
    """Openers worth tracking: those whose pairs balance in this paragraph.

    Scraped text often carries a stray 「 or (; tracking it would suppress
    every later boundary in the paragraph.
    """
    present = set(_PAIRED.findall(text))
    if not present:
        return present
    tracked = {o for o in present if o in _OPENERS and text.count(o) == text.count(_OPENERS[o])}
    if '"' in present and text.count('"') % 2 == 0:
        tracked.add('"')
    return tracked


def split_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one paragraph, whitespace trimmed."""
    tracked = _balanced_openers(text)
    if not tracked and not _NEEDS_SCAN.search(text):
        return _finish(text, [0, *(m.end() for m in _PLAIN_END.finditer(text))])
    stack: list[tuple[str, bool]] = []  # (closer, opened at a sentence start or after a colon)
    cuts = [0]
    start = 0
    n = len(text)
    resume = 0
    # Only marks, terminals and full stops matter; the regex skips everything else in C.
    for m in _INTERESTING.finditer(text):
        i = m.start()
        if i < resume:
            continue
        ch = text[i]
        if ch == '"' and '"' in tracked:
            if stack and stack[-1][0] == '"':
                stack.pop()
            else:
                stack.append(('"', _opens_sentence(text, start, i)))
            continue
        if stack and (ch == stack[-1][0] or _SAME_CLOSER.get(ch) == stack[-1][0]):
            stack.pop()
            continue
        if ch in _OPENERS and ch in tracked:
            stack.append((_OPENERS[ch], _opens_sentence(text, start, i)))
            continue
        if ch in _QUOTE_OPENER and _QUOTE_OPENER[ch] in tracked:
            # A reversed pair (”暴徒“): this closer opens, and its opener closes.
            stack.append((_QUOTE_OPENER[ch], _opens_sentence(text, start, i)))
            continue
        if ch in ELLIPSES:
            j = i
            while j < n and text[j] in ELLIPSES:
                j += 1
            terminal = j - i >= 2 and not stack and _ellipsis_ends(text, j)
            if not terminal:
                resume = j
                continue
        else:
            terminal = ch in TERMINALS or (ch == "." and _latin_full_stop(text, i))
        if not terminal:
            continue
        j = i + 1
        while j < n and (text[j] in TERMINALS or text[j] in ELLIPSES):
            j += 1
        closed_opened_sentence = None
        while j < n and text[j] in CLOSERS:
            if stack and (text[j] == stack[-1][0] or _SAME_CLOSER.get(text[j]) == stack[-1][0]):
                _, closed_opened_sentence = stack.pop()
            elif text[j] in ('"', "'") and not (stack and stack[-1][0] == text[j]):
                if not (text[j] == '"' and _closes_curly(text, start, j)):
                    break  # an opening ASCII quote of the next sentence
            elif text[j] in _QUOTE_OPENER and not stack and _opens_next(text, start, j):
                break  # a closer written for an opener: it opens the next sentence
            j += 1
        inside = bool(stack)
        # A quotation or parenthesis that opened mid-sentence does not end it.
        embedded = closed_opened_sentence is False
        if not inside and not embedded:
            cuts.append(j)
            start = j
        resume = j
    return _finish(text, cuts)


def _finish(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Spans between cut points, trimmed, empty ones dropped, byline split off."""
    cuts.append(len(text))
    spans = []
    for s, e in zip(cuts, cuts[1:]):
        if s < e and (text[s].isspace() or text[e - 1].isspace()):
            s, e = _trim(text, s, e)
        if s < e:
            spans.append((s, e))
    return _split_byline(spans, text)


def _opens_sentence(text: str, start: int, i: int) -> bool:
    before = text[start:i].strip()
    return not before or before[-1] in _CLAUSE_BREAKS or all(c in _OPENERS for c in before)


def _ellipsis_ends(text: str, j: int) -> bool:
    """Does the doubled ellipsis ending before ``j`` end its sentence?"""
    while j < len(text) and text[j] in CLOSERS:
        j += 1
    rest = text[j:].lstrip()
    return bool(rest) and rest[0] not in _GOES_ON and not rest[0].islower()


def _closes_curly(text: str, start: int, j: int) -> bool:
    """Is the ASCII quote at ``j`` the close of a “ left open in this sentence (“……。")?"""
    piece = text[start:j]
    return piece.count("“") > piece.count("”")


def _opens_next(text: str, start: int, j: int) -> bool:
    """Is the closer at ``j`` (after a sentence end) the opener of the next
    sentence, written backwards? Yes when it closes nothing opened in this
    sentence and the rest of the paragraph closes more quotations than it
    opens (”不幸的是……它”黑客論壇說).
    """
    closer, opener = text[j], _QUOTE_OPENER[text[j]]
    before, rest = text[start:j], text[j + 1:]
    return before.count(opener) <= before.count(closer) and rest.count(closer) > rest.count(opener)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    piece = text[s:e]
    left = piece.lstrip()
    s += len(piece) - len(left)
    return s, s + len(left.rstrip())


def _split_byline(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Cut a trailing reporter credit such as (記者李川) into its own span."""
    if not spans:
        return spans
    s, e = spans[-1]
    if text[e - 1] not in ")）":
        return spans
    m = _BYLINE.search(text, s, e)
    if m and m.end() == e and m.start() > s:
        return [*spans[:-1], _trim(text, s, m.start()), (m.start(), e)]
    return spans


def is_byline(text: str) -> bool:
    return bool(_BYLINE.fullmatch(text) or _PAREN_ONLY.fullmatch(text))


def _has_sentence_end(text: str) -> bool:
    stripped = text.rstrip("".join(CLOSERS) + " ")
    return any(ch in TERMINALS for ch in text) or stripped.endswith(".")


def _paragraph_role(text: str, index: int, first_role: str | None) -> str:
    if _has_sentence_end(text) or len(text) > HEADING_MAX:
        return "body"
    if index == 0:
        return "title"
    if index == 1 and first_role == "title" and text.startswith(("——", "—", "--")):
        return "title"  # the subtitle under a headline
    return "heading"


def segment_lines(lines: Iterable[Line]) -> list[Segment]:
    """Segment paragraphs into numbered segments with roles."""
    segments: list[Segment] = []
    first_role = None
    for index, line in enumerate(lines):
        spans = split_spans(line.text)
        role = _paragraph_role(line.text, index, first_role)
        if index == 0:
            first_role = role
        for k, (s, e) in enumerate(spans):
            piece = line.text[s:e]
            seg_role = role
            if role == "body" and k == len(spans) - 1 and is_byline(piece) and (
                len(spans) > 1 or _BYLINE.fullmatch(piece)
            ):
                seg_role = "byline"
            elif role != "body" and is_byline(piece) and _BYLINE.fullmatch(piece):
                seg_role = "byline"
            segments.append(
                Segment(id=len(segments) + 1, paragraph=index + 1, line=line.number, role=seg_role, text=piece)
            )
    return segments


def segment(source: Source) -> list[Segment]:
    return segment_lines(source.lines)


def split_sentences(text: str) -> list[str]:
    """Sentences of a plain paragraph (for benchmarks and quick use)."""
    return [text[s:e] for s, e in split_spans(text)]
