"""Which glossary terms apply to an article: national ones, and its own place's.

A glossary file declares its scope in a comment before its header row::

    # scope: national
    # scope: 天津          (or 天津市, Tianjin: any name ``places.place_named`` knows)

An article's place comes, in this order, from ``translate --place``, from the
``[places]`` table of ``zhen.toml`` (a glob of article folders → a place or
"national"), or from its text (``detect``). Its glossary is every national term
and every term scoped to its place or the province above it; where two scopes
define one term (市委), the most specific wins. The catalog header
``X-Zhen-Scope`` records the place and how it was found, so commands that read
the catalog later (check, html, text) use the same terms.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.glossary.places import DISTRICTS, NATIONAL, PLACES, place_named, rank, within
from pipeline.model import Term
from pipeline.text.script import fold

HEADER = "X-Zhen-Scope"
TABLE = "places"
# "# scope: 天津", optionally followed by "; a comment".
_DECLARATION = re.compile(r"#\s*scope\s*:\s*([^;]*?)\s*(?:;.*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Scope:
    """An article's place ("national" or a key of ``places.PLACES``) and how it was decided."""

    place: str = NATIONAL
    how: str = "no place detected"

    def header(self) -> str:
        return f"{self.place}; {self.how}"


def declared_scope(line: str) -> str | None:
    """The value of a ``# scope: …`` comment line, or None when the line is not one."""
    m = _DECLARATION.match(line.strip())
    return m.group(1) if m else None


def scope_key(value: str) -> str | None:
    """"national", or the gazetteer key of the place ``value`` names; None when it names nothing known."""
    if value.strip().lower() == NATIONAL:
        return NATIONAL
    place = place_named(value)
    return place.name if place else None


def resolve(terms: Iterable[Term], place: str) -> list[Term]:
    """The terms that apply to an article of ``place``, each term from its most specific scope.

    Terms of one scope that define the same word are all kept (lint reports them)."""
    applicable = [t for t in terms if within(place, t.scope)]
    best: dict[str, int] = {}
    for t in applicable:
        key = fold(t.term)
        best[key] = max(best.get(key, 0), rank(place, t.scope))
    return [t for t in applicable if rank(place, t.scope) == best[fold(t.term)]]


def views(terms: Sequence[Term]) -> list[list[Term]]:
    """Every set of terms some article sees: the national one, and one per place a file is scoped to."""
    places = sorted({t.scope for t in terms if t.scope != NATIONAL})
    return [resolve(terms, NATIONAL), *(resolve(terms, p) for p in places)]


# --- detection ------------------------------------------------------------------------------------

# Longest first: 河北区 is a district of Tianjin, not 河北 and a 区.
_NAMES = sorted([*PLACES, *DISTRICTS], key=len, reverse=True)
_NAME_RE = re.compile("|".join(map(re.escape, _NAMES)))
# A dateline: an outlet with its place before the first colon or bracket
# (天津北方网讯：, 新华社广州3月5日电, 本报杭州讯). 北京 in a Xinhua or People's
# Daily dateline is where national news is filed, not what the article is about.
_DATELINE = re.compile(r"^[^。！？：:]{0,30}?(?:讯|电)\s*(?:[（(][^）)]{0,12}[）)])?\s*[：:（(　 ]")
_NATIONAL_DESKS = re.compile(r"新华社|人民日报|人民网|央视|中新社|中国新闻社|中新网|新华网")


def _dateline(paragraphs: Sequence[str]) -> tuple[str | None, str]:
    """The place a dateline names (None: none, or Beijing in a national desk's) and the dateline itself."""
    for para in paragraphs[:4]:
        m = _DATELINE.match(fold(para))
        if not m:
            continue
        names = [DISTRICTS.get(n, n) for n in _NAME_RE.findall(m.group(0))]
        if not names or (names[0] == "北京" and _NATIONAL_DESKS.search(m.group(0))):
            return None, m.group(0)  # 本报讯: the body decides
        return names[0], m.group(0)
    return None, ""


def count_places(text: str) -> Counter[str]:
    return Counter(DISTRICTS.get(n, n) for n in _NAME_RE.findall(fold(text)))


def _most_named(counts: Counter[str]) -> str | None:
    if not counts:
        return None
    top = max(counts.values())
    tied = {p for p, c in counts.items() if c == top}
    if len(tied) == 1:
        return tied.pop()
    provinces = {PLACES[p].province or p for p in tied}
    if len(provinces) != 1:
        return None  # a tie between places of different provinces: national terms only
    cities = [p for p in tied if PLACES[p].province]
    # A city and its province named as often (浙江省绍兴市): the city; two cities: their province.
    return cities[0] if len(cities) == 1 else provinces.pop()


def detect(paragraphs: Sequence[str]) -> Scope:
    """An article's place from its dateline, else the place its text names most (a tie: none)."""
    dated, dateline = _dateline(paragraphs)
    counts = count_places("\n".join(paragraphs)) - count_places(dateline if not dated else "")
    if dated:
        province = PLACES[dated].province
        if province and counts[province] >= counts[dated]:
            # 新华社广州电 over an article about Guangdong: the bureau's city, the province's news.
            return Scope(province, f"detected from the dateline ({dated}) and the text")
        return Scope(dated, "detected from the dateline")
    found = _most_named(counts)
    if found:
        return Scope(found, f"detected: named {counts[found]}× in the text")
    return Scope(NATIONAL, "no place detected" if not counts else "detected: no place named most")


def from_header(value: str) -> Scope | None:
    """The scope an ``X-Zhen-Scope`` header records, or None when it names no known scope."""
    place, _, how = value.partition(";")
    key = scope_key(place)
    return Scope(key, how.strip() or "recorded in the catalog") if key else None


def catalog_scope(metadata: Mapping[str, str], sources: Sequence[str]) -> Scope:
    """The scope a catalog's header records, else the one its source sentences show."""
    return from_header(metadata.get(HEADER, "")) or detect(sources)


# --- declaration ----------------------------------------------------------------------------------


def option_scope(value: str) -> Scope:
    """The scope ``translate --place`` names; ConfigError for a name the gazetteer lacks."""
    key = scope_key(value)
    if key is None:
        raise ConfigError(f"--place {value!r}: not a place zhen knows; give \"national\", a province or a main city "
                          "in Chinese or English (see docs/glossary.md)")
    return Scope(key, "declared with --place")


def declared_for(folder: Path, places: Sequence[tuple[str, str]], *, base: Path | None) -> Scope | None:
    """The scope ``[places]`` declares for an article folder (the first glob that matches), or None."""
    if not places or base is None:
        return None
    try:
        relative = Path(folder).resolve().relative_to(Path(base).resolve()).as_posix()
    except ValueError:
        return None
    for pattern, key in places:
        if fnmatch.fnmatchcase(relative, pattern):
            return Scope(key, f"declared in zhen.toml [{TABLE}] {pattern!r}")
    return None
