"""The notes zhen keeps on a catalog entry: their format, reading them, writing them.

Everything the pipeline must remember about an entry lives in ``#.`` notes,
because Poedit drops flags it does not know. Poedit's notes panel does not
scroll, so the notes are for the entry at hand and come in this order:

    qa: error (numbers): figure 480多 (480) is missing or altered   (refreshed every run; first, so always seen)
    三個高地 = "three highlands" (Tianjin Municipal Committee strategy (2009): build highlands of…)
    三個高地 = "three highlands"                    (one line per term, with every rendering the check
                                                    accepts; the note's first sentence where the catalog
                                                    first names the term, within the budget below)
    glossary (inside a longer term): 創先爭優 = "strive for excellence"   (until it has been explained)
    draft: dictionary (label) [<draft id> <setup>]   (the origin; the label with the engine's first draft)
    tm-match: 84% from article jinnan (translations/jinnan/en.po)   (a translation-memory draft;
    tm-source: …, tm-figures: 4,512 → 5,120                          also its source and figures)
    draft-setup: <setup> = engine:…|glossary:…|zhen:…  (with the engine's first draft only)
    role: title                                       (bookkeeping; body text, the usual role, unsaid)

An entry's notes stay within NOTE_BUDGET characters and a catalog's glossary
explanations within EXPLAIN_BUDGET: the renderings always come, a term's
explanation moves to its next mention or is left to ``zhen glossary find``
and the page. The draft id is a hash of the draft text (a different msgstr
means a reviewer edited it); the setup is a hash of the draft's signature
(engine, model, glossary revision, zhen version: a new one refreshes drafts
nobody touched), spelled out once per engine in a catalog.
Catalogs written with the older ``glossary:`` keys, ``role: body`` lines, notes
in another order, or ``draft-signature:`` and ``draft-id:`` lines are read as
well, and rewritten in this form.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polib

from pipeline.model import Draft, Term, TermHit


DRAFT_KEYS = ("draft", "draft-setup", "draft-signature", "draft-id", "draft-score", "draft-check", "tm-match", "tm-source",
              "tm-figures")
# Notes rewritten on every write rather than kept as they were: the draft line, and the older bookkeeping lines.
_BOOKKEEPING = ("draft", "draft-setup", "draft-signature", "draft-id")
_BRACKET = re.compile(r" \[(?P<id>[0-9a-f]{12}) (?P<setup>[0-9a-f]{8})\]")
_LABEL = re.compile(r" \((?P<label>.*)\)")
# Poedit's notes panel does not scroll and shows about 40 lines: an entry's notes stay within this many
# characters (QA findings excepted), and a glossary note is cut to its first sentence, about NOTE_CUT long.
NOTE_BUDGET = 1200
NOTE_CUT = 100
# Characters of glossary explanations one catalog gives, to the terms in the order the article first names
# them: renderings, which the check needs, come first; the rest is a `zhen glossary find` away.
EXPLAIN_BUDGET = 3500
_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "no.", "vs.", "cf.", "approx.", "art.", "vol."})
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)'’\]][.!?])(?=\s|$)")


def draft_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def setup_hash(signature: str) -> str:
    """The short form of a draft signature that each entry carries."""
    return hashlib.sha256(signature.encode("utf-8")).hexdigest()[:8]


# draft-fault: why the engine left this sentence undrafted on the last run (rewritten every run).
NOTE_KEYS = ("role", "glossary", "glossary (inside a longer term)", *DRAFT_KEYS, "draft-fault", "edited", "match",
             "qa")
_WORD_HYPHEN = re.compile(r"[^\W\d_]-$")  # where textwrap breaks a hyphenated word
_NOTE_START = re.compile("(" + "|".join(re.escape(k) for k in sorted(NOTE_KEYS, key=len, reverse=True)) + r"):(?: |$)")
# A glossary line as written since the notes were cut to fit Poedit: `術語 = "rendering" …`, no key (older
# catalogs have `glossary: 術語 = …`); every other note starts with a key and a colon.
_TERM_LINE = re.compile(r'[^\s"=]*[^\s"=:] = "')


# Everything a reader splits lines at: a value that came from outside (a TMX property,
# a file name) must not start a note of its own.
_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_INNER_NOTE = re.compile(" (" + "|".join(re.escape(k) for k in NOTE_KEYS) + r"):(?= |$)")


def note_line(line: str) -> str:
    """One note as one line, whatever its value holds; a note keyword inside the value is
    bound to the word before it by a no-break space, so a tool that wraps ``#.`` lines
    (polib does) never breaks the line there and makes it read back as a note."""
    key, sep, value = _BREAKS.sub(" ", line).partition(": ")
    return key + sep + _INNER_NOTE.sub("\u00a0\\1:", value)


def notes(entry: polib.POEntry) -> dict[str, list[str]]:
    """The entry's ``#.`` notes by key.

    A line that starts no known note continues the one before: tools that wrap
    long ``#.`` lines at 79 columns (polib does; Poedit does not) split a note
    at a space, or after the hyphen inside a word ("translate-" / "zh_en"), so
    the pieces are joined with a space, or with none after such a hyphen. A
    wrapped piece that happens to start like a note ("… an earlier draft: kept")
    cannot be told from one here; ``draft_note`` guards the note that matters.
    """
    return _notes(entry.comment or "")


def _notes(comment: str) -> dict[str, list[str]]:
    pairs: list[list[str]] = []
    for line in comment.split("\n"):
        m = _NOTE_START.match(line)
        if m:
            pairs.append([m.group(1), line[m.end():]])
        elif _TERM_LINE.match(line):
            pairs.append(["glossary", line])
        elif pairs and line.strip():
            before, piece = pairs[-1][1], line.strip()
            glue = "" if _WORD_HYPHEN.search(before) and piece[0].isalnum() else " "
            pairs[-1][1] = f"{before}{glue}{piece}".strip()
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out



@dataclass(frozen=True)
class DraftNote:
    """What an entry's notes say of its machine draft."""

    engine: str  # "" when no note says
    label: str  # "" when this entry's line does not give it
    id: str | None  # the draft text's hash; None once a reviewer edited the draft
    setup: str | None  # the signature's hash


def _engine_and_label(head: str) -> tuple[str, str] | None:
    """"ENGINE" or "ENGINE (LABEL)"; None for text of any other shape."""
    engine, _, rest = head.partition(" ")
    if not engine:
        return None
    if not rest:
        return engine, ""
    m = _LABEL.fullmatch(" " + rest)
    return (engine, m.group("label")) if m else None


def draft_note(entry: polib.POEntry) -> DraftNote:
    """The entry's draft line, read so that text merely looking like one cannot pass for it: a
    line carrying the bookkeeping bracket wins, then one of the line's shape, and text a tool
    glued on after the bracket is ignored."""
    return _draft_note(entry.comment or "")


@functools.lru_cache(maxsize=4096)  # a merge reads each entry's draft line several times
def _draft_note(comment: str) -> DraftNote:
    n = _notes(comment)
    values = n.get("draft", [])
    for value in values:
        brackets = list(_BRACKET.finditer(value))
        head = _engine_and_label(value[:brackets[-1].start()]) if brackets else None
        if head is not None:
            return DraftNote(*head, brackets[-1].group("id"), brackets[-1].group("setup"))
    head = next((h for h in map(_engine_and_label, values) if h is not None), ("", ""))
    old_signature = n.get("draft-signature", [None])[0]  # the older, longer bookkeeping
    return DraftNote(*head, n.get("draft-id", [None])[0],
                     setup_hash(old_signature) if old_signature is not None else None)


def draft_origin(entry: polib.POEntry) -> tuple[str, int | None]:
    """Who wrote a draft (tm, argos, dictionary, …) and, for the memory, the match %."""
    score = notes(entry).get("tm-match", [""])[0].split("%")[0]
    return draft_note(entry).engine, int(score) if score.isdigit() else None



@dataclass
class Shown:
    """What the entries written so far have explained, so that later ones need not repeat it."""

    terms: set[str]
    engines: set[str]
    setup_engines: set[str]  # the engines whose setup has been spelled out
    labels: dict[str, str]  # each engine's label, from this run's drafts and the old catalog's notes
    signatures: dict[str, str]  # each setup's whole signature, from the same
    explained: int = 0  # characters of glossary explanations given so far

    @classmethod
    def start(cls, old: polib.POFile | None, drafts: Iterable[Draft]) -> Shown:
        labels = {d.engine: d.label for d in drafts if d.label}  # this run's words win over the old catalog's
        sigs: dict[str, str] = {}
        for e in old or ():
            note = draft_note(e)
            if note.label:
                labels.setdefault(note.engine, note.label)
            n = notes(e)
            for s in n.get("draft-signature", []):
                sigs.setdefault(setup_hash(s), s)
            for s in n.get("draft-setup", []):
                setup, _, whole = s.partition(" = ")
                # A hand-edited line is not believed; a tool's wrap may have left a space inside.
                for candidate in (whole, "".join(whole.split())):
                    if setup_hash(candidate) == setup:
                        sigs.setdefault(setup, candidate)
        return cls(set(), set(), set(), labels, sigs)


def note_cost(line: str) -> int:
    """What a note takes in the file, as a reviewer's tools count it: "#. ", the text, the line break."""
    return len(line) + 4


def first_sentence(note: str, limit: int = NOTE_CUT) -> str:
    """A glossary note's first sentence, cut on a word boundary near ``limit`` characters (with "…"):
    the catalog names the term for the entry at hand; the glossary holds the whole explanation."""
    note = " ".join(note.split())
    ends = (m for m in _SENTENCE_END.finditer(note)
            if note[:m.end()].rsplit(" ", 1)[-1].lower() not in _ABBREVIATIONS)
    m = next(ends, None)
    sentence = note[:m.end()] if m else note
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit + 1].rsplit(" ", 1)[0] if " " in sentence[:limit + 1] else sentence[:limit]
    return cut.rstrip(" ,;:(–-") + "…"


def term_lines(hits: Sequence[TermHit], nested: Sequence[TermHit], shown: Shown, *, room: int) -> list[str]:
    """One line per term with the renderings the check accepts; a term not yet explained in this catalog
    also gets its note's first sentence, while the entry's notes stay within ``room`` characters (a term
    left out is explained where it occurs next). A term inside a longer one is named only until then."""
    direct = dict.fromkeys(h.term for h in hits)
    terms = [("", t) for t in direct]
    terms += [("glossary (inside a longer term): ", t) for t in dict.fromkeys(h.term for h in nested)
              if t.term not in shown.terms and t not in direct]
    # The renderings come along every time, as they are what the check accepts.
    lines = [f'{key}{t.term} = ' + " or ".join(f'"{r}"' for r in t.renderings) for key, t in terms]
    room -= sum(map(note_cost, lines))
    for i, (_, t) in enumerate(terms):
        if t.term in shown.terms or not t.note:
            continue
        explained = f"{lines[i]} ({first_sentence(t.note)})"
        extra = len(explained) - len(lines[i])
        if extra > room or shown.explained + extra > EXPLAIN_BUDGET:
            continue
        room -= extra
        shown.explained += extra
        lines[i] = explained
        shown.terms.add(t.term)
    return lines


def _draft_line(engine: str, shown: Shown, draft: str | None = None, setup: str | None = None) -> list[str]:
    """The engine (with its label where the catalog first shows its drafts) and, for a draft
    nobody edited, its id and setup (spelled out with the engine's first draft)."""
    line = f"draft: {engine}"
    label = shown.labels.get(engine)
    if label and engine not in shown.engines:
        line += f" ({label})"
    shown.engines.add(engine)
    if draft is None or setup is None:
        return [line]
    lines = [f"{line} [{draft} {setup}]"]
    # Once per engine: an engine's drafts share one setup, and each memory draft has its own
    # (the unit it came from), which its tm-match line already names for a person.
    if engine not in shown.setup_engines and setup in shown.signatures:
        lines.append(f"draft-setup: {setup} = {shown.signatures[setup]}")
        shown.setup_engines.add(engine)
    return lines


def draft_lines(d: Draft, shown: Shown) -> list[str]:
    setup = setup_hash(d.signature)
    shown.signatures.setdefault(setup, d.signature)
    lines = _draft_line(d.engine, shown, draft_id(d.text), setup)
    if d.score is not None:
        conf = f", confidence {d.confidence:.2f}" if d.confidence is not None else ""
        lines.append(f"draft-score: {d.score:.3f}{conf}")
    for m in d.missing_terms:
        lines.append(f'draft-check: missing required rendering "{m}"')
    for f in d.forbidden_terms:
        lines.append(f'draft-check: carries avoided rendering "{f}"')
    for avoided, required in d.repaired_terms:
        lines.append(f'draft-check: "{avoided}" replaced by the required "{required}"; check the grammar around it')
    return lines + list(d.notes)


def kept_draft_lines(entry: polib.POEntry, shown: Shown, *, machine: bool) -> list[str]:
    """An old entry's draft notes, its draft line rewritten; ``machine``: the text is still the engine's."""
    note = draft_note(entry)
    lines = _draft_line(note.engine, shown, note.id if machine else None, note.setup) if note.engine else []
    n = notes(entry)
    return lines + [f"{k}: {v}" for k in DRAFT_KEYS if k not in _BOOKKEEPING for v in n.get(k, [])]
