"""The dictionary engine: an honest word-by-word gloss from CC-CEDICT and jieba.

It needs no model, so ``make translate`` works offline on a fresh machine. Its
drafts are glosses, labelled as such in the catalog, but the mechanical parts
are what a reviewer can keep: glossary renderings exact (injected before
glossing), datelines, dates and figures written as English copy writes them
(see ``mechanical``), punctuation in English form.

Words are cut by jieba on the Simplified text and glossed from their written
form: a Traditional source is looked up under its Traditional headwords, which
tell apart what Simplified merges (後 "after" and 后 "queen", 裡 "inside" and
里 "li"). Characters damaged by a careless Simplified→Traditional conversion
(乾部 for 幹部) are repaired first, using the damaged forms the glossary lists
as variants.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import resources

from pipeline.text import cedict, lexicon
from pipeline.engines.dictionary import mechanical
from pipeline.engines.base import Engine, Hypothesis, Request
from pipeline.glossary.table import Glossary
from pipeline.model import Segment, Term, TermHit
from pipeline.text.script import HAN, HAN_CHAR, HAN_UNIFIED, simplify, to_simplified

# Revision of the glossing rules, part of the draft signature: raise it whenever a
# change here, in ``cedict`` or in ``mechanical`` changes what a gloss says, so that
# catalogs refresh the drafts an older gloss wrote.
RULES = 14

PUNCT = {
    "，": ",", "。": ".", "、": ",", "丶": ",", "；": ";", "：": ":", "？": "?", "！": "!",
    "（": "(", "）": ")", "「": '"', "」": '"', "『": '"', "』": '"', "“": '"', "”": '"',
    "‘": "'", "’": "'", "《": '"', "》": '"', "〈": '"', "〉": '"', "【": "[", "】": "]", "——": " - ", "—": "-",
    "…": "...", "……": "...", "·": " ", "～": "~",
}
# Particles a word-by-word gloss is clearer without.
_DROP = frozenset("的 了 着 著 地 之 得 所 个 名 次 场 件 位 项 们".split())
# Senses CC-CEDICT lists after a rarer one, for Traditional headwords whose Simplified
# form is shared with another word (the Simplified ones are in ``preferred_senses``).
_PREFERRED_TRADITIONAL = {"幹": "do", "幹事": "work", "後": "after", "裡": "in", "於": "in"}
_CJK_RUN = re.compile(f"([{HAN}]+)")
_PUNCT_RUN = re.compile("|".join(sorted(map(re.escape, PUNCT), key=len, reverse=True)) + r"|[^\s" + "".join(PUNCT) + r"]+|\s+")
_SPACE_BEFORE = re.compile(r"\s+([,.;:?!%)\]”])")
_SPACE_AFTER = re.compile(r"([(\[“])\s+")
# A number or demonstrative with its measure word (两个, 这件, 每位): the measure word has no English.
_MEASURED = re.compile("^([一二三四五六七八九十百千万两几数这那每各某该哪此]+)"
                       "[个名件位座次家项条只本张所场间栋辆架艘台部篇块枚颗首届批支套份起笔户处层段节章句封幅根片群类]$")
_LATIN_GLOSS = re.compile(rf"(?P<before>[{HAN_UNIFIED}·]{{1,12}})[（(](?P<latin>[A-Z][A-Za-z .'&-]*)[）)]")
# Injected glossary renderings travel between these private-use marks, so that
# nothing (jieba, figures, dates) touches them.
_OPEN, _CLOSE = "\ue000", "\ue001"
# Marks a syllable spelled out in pinyin; neighbouring ones join into one capitalized name.
_NAME = "\ue002"
_NAMES = re.compile(f"{_NAME}([a-z]*)")
_PROTECTED = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
_FULLWIDTH: dict[str | int, str | int | None] = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) not in "，；：？！（）"}
_FULLWIDTH["\u3000"] = " "
# A comma between digits is a thousands separator only before exactly three digits.
_GROUP_COMMA = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")
_ARTICLES = re.compile(r"\b(a|an|the) (a|an|the)\b", re.IGNORECASE)
_RANGE = re.compile(r"(\d[-–]) (?=\d)")
_ABBREVIATION_STOP = re.compile(r"\b(Mr|Ms|Mrs|Dr|St|Jr|Inc|Co|Ltd)\.\s*\.(?!\.)")
_A_VOWEL = re.compile(r"\b([Aa]) ([aeioAEIO])")
_CLAUSE_COMMA = re.compile(r",(?!(?<=\d,)\d{3}(?!\d))(?=\S)")


def halfwidth(text: str) -> str:
    """Full-width digits, letters and signs as ASCII (５０％ → 50%), one character for one."""
    return _GROUP_COMMA.sub(",", text).translate(str.maketrans(_FULLWIDTH))


def conversion_damage(terms: Iterable[Term], known: Callable[[str], bool]) -> dict[str, str]:
    """Damaged character → intended one, read off the glossary's variants.

    A variant that differs from its term only in characters with the same
    Simplified form records either a second correct spelling (週年 beside
    周年, 巡迴 beside 巡回) or conversion damage (乾部 for 幹部, 人纔 for
    人才): it is damage where the term's two-character word around the
    difference is a Traditional headword (``known``) and the variant's is not.
    """
    out: dict[str, str] = {}
    for term in terms:
        simplified = to_simplified(term.term)
        for variant in term.variants:
            if len(variant) != len(term.term) or variant == simplified or to_simplified(variant) != simplified:
                continue
            for i, (bad, good) in enumerate(zip(variant, term.term)):
                if bad == good:
                    continue
                windows = [(a, a + 2) for a in (i - 1, i) if 0 <= a and a + 2 <= len(variant)]
                if any(known(term.term[a:b]) and not known(variant[a:b]) for a, b in windows):
                    out.setdefault(bad, good)
    return out


# Verbs whose verb object English joins with "to".
_TAKES_TO = frozenset("开始 继续 希望 决定 试图 想 要 需要 打算 计划 准备 同意 拒绝 设法 选择 企图 渴望 愿意 "
                      "喜欢 学习 学会 努力 争取 帮助 允许 要求 迫使 鼓励 邀请".split())
_NOUN_TAGS = frozenset("n nr ns nt nz nrt nrfg vn".split())
_POSTPOSITIONS = {"中": "", "里": "", "内": "", "上": "on", "之中": "", "当中": "", "之间": "between",
                  "中间": "between", "时": "when", "时候": "when", "之时": "when", "期间": "during",
                  "之前": "before", "以前": "before", "之后": "after", "以后": "after", "后": "after", "前": "before"}
# Prepositions after which a common noun takes "the" in English news copy.
_PREPOSITIONS = frozenset("在 于 从 对 向 由 通过 关于 对于 为 到 跟 与 往 朝 自 被 给 除了 经过 沿 随着".split())


def _tidy_quotes(text: str) -> str:
    """Straight double quotes against what they enclose: an opening one loses the space after it,
    a closing one the space before it."""
    parts = text.split('"')
    if len(parts) % 2 == 0:  # unbalanced: leave the spacing alone rather than guess
        return text
    out = [parts[0]]
    for n, part in enumerate(parts[1:], start=1):
        if n % 2:  # inside quotes
            out.append('"' + part.strip() + '"')
        else:
            out.append(part)
    return "".join(out)


@lru_cache(maxsize=1)
def preferred_senses() -> dict[str, str]:
    """Simplified headword → the sense a news sentence means, where CC-CEDICT lists a rarer one
    first; kept as data in senses.tsv beside this module."""
    text = resources.files(__package__).joinpath("senses.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def _the(gloss: str) -> str:
    """The gloss of a common noun with the definite article (not a name, not one that has an article)."""
    if not gloss[:1].islower() or gloss.startswith(("the ", "a ", "an ")) or gloss.endswith(("wide", "ly")):
        return gloss  # a name, an article already, or an adverb jieba calls a noun (全市 "citywide")
    return f"the {gloss}"


def _english_order(glossed: list[tuple[str, str]], *, clause_start: bool = False) -> list[str]:
    """(word, gloss) pairs of one run of Chinese as English words, with the few reorderings and
    function words English needs and a gloss can supply reliably:

    - 共和國的命運 "the fate of the republic", 奧巴馬的助理 "Obama's assistant",
      美麗的城市 "the beautiful city";
    - 在戰爭開始時 "when the war begins", 在學校裡 "in the school": the postposition's
      English where 在 opens the phrase;
    - "the" before a common noun after a preposition or verb, or opening a clause;
    - 繼續使用 "continue to use"; 被殺 "be killed".

    Parts of speech come from jieba's dictionary; where it is wrong, the gloss is still word for word.
    """
    tags = lexicon.tags()
    tag = lambda n: tags.get(glossed[n][0], "") if 0 <= n < len(glossed) else ""  # noqa: E731
    words: list[str] = []
    opened: int | None = None  # position in words of an open 在's gloss
    i = 0
    while i < len(glossed):
        token, gloss = glossed[i]
        if token in _POSTPOSITIONS and opened is not None:
            if _POSTPOSITIONS[token]:
                words[opened] = _POSTPOSITIONS[token]
            opened = None
            i += 1
            continue
        if token in ("在", "于") and opened is None:
            opened = len(words)
        modifies = i + 2 < len(glossed) and glossed[i + 1][0] == "的"
        if modifies and tag(i)[:1] == "a" and tag(i + 2) == "n":
            if i and tag(i - 1) == "d" and words and words[-1] == glossed[i - 1][1]:
                words[-1] = _the(words[-1])  # 最嚴重的地方 "the most serious place"
            else:
                gloss = _the(gloss)
        proper = gloss[:1].isupper() or gloss.startswith(_NAME)
        if (modifies and gloss and glossed[i + 2][1] and (tag(i) in ("n", "nt", "nz") or proper)
                and tag(i + 2) in _NOUN_TAGS):
            head = glossed[i + 2][1]
            words.append(f"{gloss}'s {head}" if proper else f"the {head} of {_the(gloss)}")
            i += 3
            continue
        if token in _TAKES_TO and tag(i + 1)[:1] == "v":
            gloss = f"{gloss} to"
        if token == "被" and tag(i + 1)[:1] == "v":
            gloss = "be"  # no agent follows: the marker is the passive itself
        if token != "的":
            if i == 0 and clause_start and tag(i) == "n":
                gloss = _the(gloss)  # a clause opening with a common noun: its subject
            elif i and (glossed[i - 1][0] in _PREPOSITIONS or tag(i - 1) == "v") and tag(i) in ("n", "nz"):
                gloss = _the(gloss)
            words.append(gloss)
        i += 1
    return words


class DictionaryEngine(Engine):
    name = "dictionary"
    label = "word-by-word gloss from CC-CEDICT, not a translation: rewrite before approving"

    def __init__(self, glossary: Glossary | None = None):
        super().__init__(glossary)
        self.damage = conversion_damage(self.glossary.terms, lambda w: self._cedict.has(w, traditional=True))

    @property
    def _cedict(self) -> cedict.Cedict:
        return cedict.load()

    def identity(self) -> str:
        return f"cedict:{cedict.release_date()}|jieba:0.42.1|rules:{RULES}"

    # --- input ---------------------------------------------------------------------------------

    def repair(self, text: str) -> str:
        """Undo the conversion damage the glossary records, where no real word holds the character.

        乾 stays in 乾淨 ("clean"), a word of its own, and becomes 幹 in 乾部 and
        乾事創業, where no Traditional headword contains it.
        """
        if not self.damage or not any(c in self.damage for c in text):
            return text
        chars = list(text)
        for i, ch in enumerate(text):
            good = self.damage.get(ch)
            if good is None:
                continue
            known = self._cedict.has
            genuine = any(known(text[a:b], traditional=True) and not known(text[a:i] + good + text[i + 1:b], traditional=True)
                          for a in range(max(0, i - 3), i + 1) for b in range(i + 2, min(len(text), i + 4) + 1)
                          if b - a >= 2)
            if not genuine:
                chars[i] = good
        return "".join(chars)

    def prepare(self, seg: Segment, hits: Sequence[TermHit]) -> Request:
        """The segment in its own script, repaired, with its dateline and glossary renderings in English."""
        request = super().prepare(seg, hits)
        text = self.repair(halfwidth(seg.text))
        pieces: list[tuple[int, int, str]] = []
        head = 0
        simple = simplify(text)
        line = mechanical.dateline(simple, self._gloss_run)
        # A dateline replaces the terms inside it only when it carries their renderings ("Enorth").
        if line and all(h.term.english in line[2] for h in hits if h.start < line[1]):
            pieces.append((line[0], line[1], f" {line[2]} "))
            head = line[1]
        marks = (mechanical.credits(simple, self._cedict.romanize) + mechanical.end_marks(text)
                 + mechanical.officials(simple, self._cedict.romanize))
        names = [c for c in marks if c[0] >= head
                 and not any(h.start < c[1] and c[0] < h.end for h in hits)]
        pieces += [(start, end, f" {_OPEN}{english}{_CLOSE} ") for start, end, english in names]
        if self.inject_terms:
            pieces += [(h.start, h.end, f" {_OPEN}{h.term.english}{_CLOSE} ") for h in hits if h.start >= head]
        out, pos = [], 0
        for start, end, english in sorted(pieces):
            out.append(text[pos:start] + english)
            pos = end
        out.append(text[pos:])
        return dataclasses.replace(request, text=" ".join("".join(out).split()))

    def _translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        return [[Hypothesis(self.gloss(r.text))] for r in requests]

    # --- glossing ------------------------------------------------------------------------------

    def _lookup(self, simplified: str, written: str) -> str | None:
        if written != simplified:
            if written in _PREFERRED_TRADITIONAL:
                return _PREFERRED_TRADITIONAL[written]
            # Where Simplified merges words, a Traditional spelling other than the usual one says
            # which is meant (乾 "dry", not 幹 "do"); the curated senses below are the usual word's.
            if self._cedict.unusual(simplified, written) and (found := self._cedict.gloss(written, traditional=True)):
                return found
        if (preferred := preferred_senses().get(simplified)) is not None:
            return preferred
        if written != simplified and (found := self._cedict.gloss(written, traditional=True)) is not None:
            return found
        return self._cedict.gloss(simplified)

    def _gloss_word(self, simplified: str, written: str | None = None) -> str:
        """The word's gloss; a word the dictionary cannot translate comes back as ``_NAME`` + pinyin."""
        written = written or simplified
        if simplified in PUNCT:
            return PUNCT[simplified]
        found = self._lookup(simplified, written)
        if found is not None:
            return found
        if self._cedict.is_counter(simplified):
            return ""
        if m := _MEASURED.match(simplified):
            head = m.group(1)
            return "a" if head == "一" else self._gloss_word(head, written[:len(head)])
        # Unknown compound: longest known prefixes; characters with no translation are a name's sounds.
        out, i = [], 0
        while i < len(simplified):
            for j in range(len(simplified), i, -1):
                found = self._lookup(simplified[i:j], written[i:j])
                if found is not None:
                    out.append(found)
                    i = j
                    break
            else:
                sound = self._cedict.romanize(simplified[i])
                if out and out[-1].startswith(_NAME):
                    out[-1] += sound
                else:
                    out.append(_NAME + sound)
                i += 1
        return " ".join(o for o in out if o)

    def _gloss_run(self, simplified: str) -> str:
        """A run of Chinese glossed word by word (a dateline's place name)."""
        return " ".join(self._gloss_word(w) for w in lexicon.jieba().lcut(simplified, HMM=False) if w not in _DROP)

    def _words(self, text: str) -> list[str]:
        """English words and punctuation for ``text`` (no protected renderings inside)."""
        simplified = simplify(text)
        words: list[str] = []
        pos = 0
        spans = mechanical.spans(simplified)
        spans = sorted(spans + [n for n in self._named(simplified) if not any(s < n[1] and n[0] < e for s, e, _ in spans)])
        for start, end, english in [*spans, (len(text), len(text), "")]:
            words += self._gloss_plain(simplified[pos:start], text[pos:start])
            if english:
                words.append(english)
            pos = end
        return words

    def _named(self, simplified: str) -> list[tuple[int, int, str]]:
        """A transliterated name followed by its original in brackets, 溫特科恩（Winterkorn）: the original alone."""
        out = []
        for m in _LATIN_GLOSS.finditer(simplified):
            tokens = self._tokens(m.group("before"))
            start = m.start("latin") - 1
            taken = 0
            for token in reversed(tokens):
                gloss = self._lookup(token, token)
                name_like = (self._cedict.looks_like_name(token) or gloss is None or gloss[:1].isupper()
                             or (len(token) == 1 and self._cedict.name_share.get(token, 0.0) >= 0.2))
                if token != "·" and not name_like:
                    break
                start -= len(token)
                taken += token != "·"
            if taken:
                out.append((start, m.end(), m.group("latin")))
        return out

    def _tokens(self, run: str) -> list[str]:
        """jieba's words, with neighbours joined where CC-CEDICT has the longer word (之一, 一些人)."""
        tokens = lexicon.jieba().lcut(run, HMM=True)
        out, i = [], 0
        while i < len(tokens):
            for j in range(min(len(tokens), i + 4), i + 1, -1):
                joined = "".join(tokens[i:j])
                if len(joined) <= 8 and (joined in preferred_senses() or self._cedict.gloss(joined) is not None):
                    out.append(joined)
                    i = j
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _gloss_plain(self, simplified: str, written: str) -> list[str]:
        words: list[str] = []
        pos = 0
        for run in _CJK_RUN.split(simplified):
            original = written[pos:pos + len(run)]
            pos += len(run)
            if HAN_CHAR.match(run):
                # Only CJK runs go to jieba: it would cut figures and Latin names apart.
                k = 0
                glossed = []
                for token in self._tokens(run):
                    orig, k = original[k:k + len(token)], k + len(token)
                    if token == "的":
                        glossed.append((token, "的"))
                        continue
                    if token in _DROP:
                        continue
                    if (len(token) > 1 and self._lookup(token, orig) is None
                            and self._cedict.looks_like_name(token)):
                        # A word no dictionary knows, written with the characters of transliterations.
                        glossed.append((token, _NAME + self._cedict.romanize(token)))
                    else:
                        glossed.append((token, self._gloss_word(token, orig)))
                clause = [w for w in words if w != " "][-1:] in ([","], [";"], [":"])
                words += _english_order(glossed, clause_start=clause)
            elif run:
                for token in _PUNCT_RUN.findall(run):
                    words.append(" " if not token.strip() else PUNCT.get(token, token))
        return words

    def _subject_article(self, text: str, english: str) -> str:
        """"The" before a sentence that opens with a common noun: 調查於六月開始 "The investigation …"."""
        m = _CJK_RUN.match(simplify(text.strip()))
        if not m:
            return english
        first = self._tokens(m.group())[0]
        gloss = self._lookup(first, first) or ""
        if lexicon.tags().get(first) == "n" and english.startswith(gloss) and _the(gloss) != gloss:
            return f"the {english}"
        return english

    def gloss(self, text: str) -> str:
        words: list[str] = []
        pos = 0
        for m in _PROTECTED.finditer(text):
            words += self._words(halfwidth(text[pos:m.start()]))
            words.append(m.group(1))
            pos = m.end()
        words += self._words(halfwidth(text[pos:]))
        english = " ".join("".join(w if w == " " else f" {w} " for w in words if w).split())
        english = _NAMES.sub(lambda m: m.group(1).capitalize(), english)
        english = _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", english))
        english = _CLAUSE_COMMA.sub(", ", english)
        english = _ARTICLES.sub(lambda m: m.group(2), english)  # 一名 + 男子 "a man": one article
        english = self._subject_article(text, english)
        english = _A_VOWEL.sub(r"\1n \2", english)
        english = _ABBREVIATION_STOP.sub(r"\1.", english)
        english = _RANGE.sub(r"\1", english)
        english = _tidy_quotes(english)
        return english[:1].upper() + english[1:]
