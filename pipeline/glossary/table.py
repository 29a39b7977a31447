"""The curated glossary: loading, linting and term matching.

Files are tab-separated (``glossary/*.tsv``), one term per row, with a header
row naming the columns. Matching runs on the folded Simplified form of both
the terms and the text (see ``script.fold``), so a term written in either
script matches text in either; hits point into the original text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import GlossaryError
from pipeline.glossary.places import NATIONAL
from pipeline.model import Segment, Term, TermHit
from pipeline.text.script import fold
from pipeline.glossary.scope import declared_scope, scope_key

COLUMNS = ("term", "variants", "english", "accept", "avoid", "kind", "note", "source")
REQUIRED = ("term", "english", "note", "source")
LIST_SEP = "|"


@dataclass(frozen=True)
class Problem:
    """A lint finding about a glossary row."""

    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


# A glossary row is one line of a TSV file: a value holding a tab would shift
# the columns, and one holding a line break (any that str.splitlines knows) or
# another control character would start a row of its own or hide text.
_BREAKING = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def breaking_char(value: str) -> str | None:
    """Why ``value`` cannot be a glossary cell (a tab, line break or control character), or None."""
    for ch in value:
        if ch in _BREAKING or unicodedata.category(ch) == "Cc":
            kind = {"\t": "a tab", "\n": "a line break (LF)", "\r": "a carriage return (CR)"}.get(ch)
            return kind or f"control or line-separator character U+{ord(ch):04X}"
    return None


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line holding byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def split_list(value: str) -> tuple[str, ...]:
    """A `|`-separated cell (variants, accept, avoid) as its non-empty items."""
    return tuple(v.strip() for v in value.split(LIST_SEP) if v.strip())


def parse_rows(text: str, *, name: str) -> tuple[list[Term], list[Problem]]:
    """Parse one TSV file into terms; broken rows come back as problems."""
    terms: list[Term] = []
    problems: list[Problem] = []
    header: tuple[str, ...] | None = None
    scope: str | None = None
    # Rows end at LF (CRLF tolerated); splitlines would also end them at U+2028,
    # form feeds and the like, which are refused below instead.
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            value = declared_scope(raw) if header is None else None
            if value is not None:
                scope = scope_key(value)
                if scope is None:
                    problems.append(Problem(name, number, f"scope {value!r} is neither \"national\" nor a place zhen "
                                                          "knows (a province or a main city, in Chinese or English)"))
                    return terms, problems
            continue
        cells = raw.split("\t")
        bad = next(filter(None, map(breaking_char, cells)), None)
        if bad:
            problems.append(Problem(name, number, f"a value holds {bad}"))
            continue
        if header is None:
            header = tuple(c.strip().lower() for c in cells)
            missing = [c for c in REQUIRED if c not in header]
            unknown = [c for c in header if c not in COLUMNS]
            twice = sorted({c for c in header if header.count(c) > 1})
            if twice:  # a row would keep only the last cell of the name
                problems.append(Problem(name, number, f"header names the column {twice[0]!r} twice"))
                return terms, problems
            if missing or unknown:
                problems.append(
                    Problem(name, number, f"header must name the columns {', '.join(COLUMNS)}; "
                            f"missing {missing or 'none'}, unknown {unknown or 'none'}")
                )
                return terms, problems
            continue
        if len(cells) != len(header):
            problems.append(Problem(name, number, f"{len(cells)} cells, expected {len(header)} (tab-separated)"))
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        empty = [c for c in REQUIRED if not row.get(c)]
        if empty:
            problems.append(Problem(name, number, f"empty required field(s): {', '.join(empty)}"))
            continue
        terms.append(
            Term(
                term=row["term"],
                english=row["english"],
                variants=split_list(row.get("variants", "")),
                avoid=split_list(row.get("avoid", "")),
                accept=split_list(row.get("accept", "")),
                kind=row.get("kind", ""),
                note=row["note"],
                source=row["source"],
                file=name,
                line=number,
                scope=scope or NATIONAL,
            )
        )
    if header is None and not problems:  # nothing but blank lines and comments
        problems.append(Problem(name, 1, "the glossary file is empty: no header row and no terms"))
    elif header is None:
        problems.append(Problem(name, 1, "no header row"))
    return terms, problems


def scope_problem(text: str, *, name: str) -> Problem | None:
    """A warning for a file that declares no scope: lint refuses it, translation reads it as national."""
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw.strip() and not raw.lstrip().startswith("#"):
            break  # the header row: a declaration comes before it
        if declared_scope(raw) is not None:
            return None
    return Problem(name, 1, "no scope: declare `# scope: national` or `# scope: <place>` (天津, Zhejiang…) "
                            "in a comment above the header row", severity="warning")


def lint_terms(terms: Sequence[Term]) -> list[Problem]:
    """Duplicates, conflicting renderings, variants that are other terms, accepted renderings that clash.

    Terms are checked together as an article sees them: the national terms, and
    for each place a file is scoped to, that place's terms over the national
    ones (a local 市委 overrides the national one instead of clashing with it)."""
    from pipeline.glossary.scope import views

    problems: list[Problem] = []
    for view in views(terms):
        problems += [p for p in _lint_view(view) if p not in problems]
    return problems


def _lint_view(terms: Sequence[Term]) -> list[Problem]:
    problems: list[Problem] = []
    heads: dict[str, Term] = {}
    for t in terms:
        key = fold(t.term)
        if key in heads:
            other = heads[key]
            if other.english == t.english:
                msg = f"duplicate term {t.term!r} (also {other.file}:{other.line})"
            else:
                msg = (f"term {t.term!r} has two renderings: {t.english!r} here and "
                       f"{other.english!r} at {other.file}:{other.line}")
            problems.append(Problem(t.file, t.line, msg))
        else:
            heads[key] = t
    seen_forms: dict[str, Term] = {}
    for t in terms:
        for v in t.variants:
            key = fold(v)
            if key in heads and heads[key] is not t:
                h = heads[key]
                problems.append(Problem(t.file, t.line, f"variant {v!r} is itself the term at {h.file}:{h.line}"))
            elif key in seen_forms and seen_forms[key] is not t:
                o = seen_forms[key]
                problems.append(Problem(t.file, t.line, f"variant {v!r} is also a variant at {o.file}:{o.line}"))
            seen_forms[key] = t
        avoided = {fold(a) for a in t.avoid}
        if fold(t.english) in avoided:
            problems.append(Problem(t.file, t.line, f"rendering {t.english!r} is also listed under avoid"))
        for a in t.accept:
            if fold(a) in avoided:
                problems.append(Problem(t.file, t.line, f"accepted rendering {a!r} is also listed under avoid"))
            elif fold(a) == fold(t.english):
                problems.append(Problem(t.file, t.line, f"accepted rendering {a!r} is the rendering itself"))
    # Drafts swap an avoided rendering for the required one, which would undo
    # another term's correct rendering if the two were the same words. An
    # accepted rendering counts as the term being present: were it another
    # term's rendering, one phrase would pass for both terms; were it avoided
    # by another term, the gate would refuse what this row accepts.
    renderings = {fold(t.english): t for t in terms}
    avoiders = {fold(a): t for t in terms for a in t.avoid}
    accepters: dict[str, Term] = {}
    for t in terms:
        for a in t.accept:
            other = accepters.setdefault(fold(a), t)
            if other is not t and fold(other.english) != fold(t.english):
                problems.append(Problem(t.file, t.line, f"accepted rendering {a!r} is also accepted for "
                                                        f"{other.term!r} at {other.file}:{other.line}: one "
                                                        "phrase would pass for both terms"))
            inside = [v for v in t.avoid if fold(v) != fold(a) and re.search(rf"(?<!\w){re.escape(fold(v))}(?!\w)", fold(a))]
            if inside:
                problems.append(Problem(t.file, t.line, f"accepted rendering {a!r} holds the avoided "
                                                        f"{inside[0]!r}, so the check would refuse it"))
    for t in terms:
        for label, forms in (("avoided", t.avoid), ("accepted", t.accept)):
            for a in forms:
                owner = renderings.get(fold(a))
                if owner is not None and owner is not t and fold(owner.english) != fold(t.english):
                    problems.append(Problem(t.file, t.line, f"{label} rendering {a!r} is the rendering of "
                                                            f"{owner.term!r} at {owner.file}:{owner.line}"))
        for a in t.accept:
            avoider = avoiders.get(fold(a))
            if avoider is not None and avoider is not t:
                problems.append(Problem(t.file, t.line, f"accepted rendering {a!r} is avoided by "
                                                        f"{avoider.term!r} at {avoider.file}:{avoider.line}"))
    return problems


_NUMERAL_CHARS = frozenset("零〇○一二三四五六七八九十百千万萬亿億两兩0123456789点點.")


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _joined(a: str, b: str, numeral: bool) -> bool:
    """Are two neighbouring characters one word? Letters and digits are; and a term written in
    numerals (七一) is no term inside a longer number (一九七一, 二點五一)."""
    return (_is_word_char(a) and _is_word_char(b)) or (numeral and a in _NUMERAL_CHARS and b in _NUMERAL_CHARS)


def _numeral(folded: str) -> bool:
    return all(ch in _NUMERAL_CHARS for ch in folded)


class Glossary:
    """Terms plus a trie over their folded forms; leftmost-longest matching."""

    def __init__(self, terms: Iterable[Term]):
        self.terms: tuple[Term, ...] = tuple(terms)
        self._trie: dict = {}
        for t in self.terms:
            for form in t.forms:
                key = fold(form)
                if not key:
                    continue
                node = self._trie
                for ch in key:
                    node = node.setdefault(ch, {})
                # First definition wins; lint reports the clash.
                node.setdefault("", t)
        self.revision = self._revision()
        # Every article of a place sees the same terms: scope them (and build their trie) once a run.
        self._scoped: dict[str, Glossary] = {}

    def _revision(self) -> str:
        h = hashlib.sha256()
        for t in sorted(self.terms, key=lambda t: t.term):
            h.update("\t".join((t.term, LIST_SEP.join(t.variants), t.english, LIST_SEP.join(t.avoid))).encode())
            if t.accept:  # only when present, so a glossary without accepted renderings keeps its revision
                h.update(b"\taccept\t" + LIST_SEP.join(t.accept).encode())
            h.update(b"\n")
        return h.hexdigest()[:8]

    def for_place(self, place: str) -> Glossary:
        """The terms an article of ``place`` uses ("national": national terms only); see ``glossary.scope``."""
        found = self._scoped.get(place)
        if found is None:
            from pipeline.glossary.scope import resolve

            scoped = resolve(self.terms, place)
            found = self._scoped[place] = self if len(scoped) == len(self.terms) else Glossary(scoped)
        return found

    def __len__(self) -> int:
        return len(self.terms)

    def match(self, text: str, simplified: str = "") -> list[TermHit]:
        """Non-overlapping hits, leftmost first and longest at each position.

        Cost is the text length times the longest term's length, whatever the
        number of terms. ``simplified``: the text's Simplified form, when known.
        """
        folded = fold(text, simplified)
        hits: list[TermHit] = []
        i, n = 0, len(folded)
        while i < n:
            best: tuple[int, Term] | None = None
            for j, term in self._terms_from(folded, i):
                if j >= n or not _joined(folded[j - 1], folded[j], _numeral(folded[i:j])):
                    best = (j, term)
            if best and not (i > 0 and _joined(folded[i - 1], folded[i], _numeral(folded[i:best[0]]))):
                end, term = best
                hits.append(TermHit(term=term, start=i, end=end, surface=text[i:end]))
                i = end
            else:
                i += 1
        return hits

    def nested(self, hit: TermHit) -> list[TermHit]:
        """Other terms inside a hit (黨建品牌 inside a slogan), so reviewers see them too."""
        folded = fold(hit.surface)
        return [TermHit(term, hit.start + i, hit.start + j, hit.surface[i:j])
                for i in range(len(folded)) for j, term in self._terms_from(folded, i)
                if term is not hit.term and (i, j) != (0, len(folded))]

    def _terms_from(self, folded: str, i: int) -> list[tuple[int, Term]]:
        """Every term whose folded form starts at ``i``, as (end, term), shortest first."""
        found = []
        node = self._trie.get(folded[i])
        j, n = i, len(folded)
        while node is not None:
            j += 1
            term = node.get("")
            if term is not None:
                found.append((j, term))
            node = node.get(folded[j]) if j < n else None
        return found

    def match_segments(self, segments: Iterable[Segment]) -> dict[int, list[TermHit]]:
        return {seg.id: self.match(seg.text, seg.simplified) for seg in segments}


MAX_GLOSSARY_BYTES = 16 * 1024 * 1024  # a hundred times the largest glossary a desk keeps


def read_text(path: Path) -> str:
    """A glossary file's text; GlossaryError when unreadable, or not UTF-8 (citing the line)."""
    from pipeline.workspace.files import read_regular

    data = read_regular(path, max_bytes=MAX_GLOSSARY_BYTES, error=GlossaryError, what="a glossary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise GlossaryError(f"not UTF-8 (byte {e.start})", path=path, line=line_of(data, e.start)) from e


def load_terms(paths: Iterable[Path]) -> tuple[list[Term], list[Problem]]:
    terms: list[Term] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            text = read_text(path)
        except GlossaryError as e:
            if e.line is None:
                raise  # unreadable: nothing to lint
            problems.append(Problem(str(path), e.line, e.detail))
            continue
        t, p = parse_rows(text, name=str(path))
        terms += t
        problems += p
        missing = scope_problem(text, name=str(path))
        if missing:
            problems.append(missing)
    return terms, problems


def glossary_files(location: Path, *, follow_symlinks: bool = False) -> list[Path]:
    """``location`` itself, or every ``*.tsv`` in it (refusing links out of it unless ``follow_symlinks``)."""
    from pipeline.workspace import links

    from pipeline.workspace.files import not_a_file

    location = Path(location)
    if location.is_file():
        return [location]
    if not location.is_dir():
        what = not_a_file(location)
        raise GlossaryError(f"is {what}, not a glossary file or folder" if what else
                            "a link to nothing" if location.is_symlink() else "no such glossary file or folder",
                            path=location)
    found = sorted(location.glob("*.tsv"))
    return found if follow_symlinks else links.check_glossary(found, location)


def load_glossary(location: Path, *, follow_symlinks: bool = False) -> Glossary:
    """Load every ``*.tsv`` under ``location``; any broken row is fatal."""
    terms, problems = load_terms(glossary_files(location, follow_symlinks=follow_symlinks))
    problems += lint_terms(terms)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more; run `zhen glossary lint`)" if len(errors) > 1 else ""
        raise GlossaryError(first.message + more, path=first.file, line=first.line)
    return Glossary(terms)


# The glossaries that come with zhen's source tree (national and local); absent from a bare wheel.
SHIPPED = Path(__file__).resolve().parents[2] / "glossary"


def shipped_terms() -> list[Term]:
    """Every term of the shipped glossaries, of every scope; [] where they are not installed."""
    if not SHIPPED.is_dir():
        return []
    terms, _ = load_terms(sorted(SHIPPED.glob("*.tsv")))
    return terms
