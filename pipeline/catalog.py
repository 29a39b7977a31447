"""Catalog merge: build an article's PO catalog, never losing a reviewer's work.

An entry is *untranslated* (empty), a *draft* (machine text, flagged fuzzy)
or *reviewed* (non-empty, not fuzzy). Reviewed entries are never touched.
Everything the pipeline must remember about an entry lives in ``#.`` notes,
because Poedit drops flags it does not know. Poedit shows every note to the
reviewer, so an explanation is given in full once per catalog, where it first
occurs, and bookkeeping takes one short bracket:

    role: body
    glossary: 三個高地 = "three highlands" (note)     (the first entry with the term; later ones
    glossary: 三個高地 = "three highlands"            give the rendering alone)
    draft: dictionary (label) [<draft id> <setup>]   (the label with the engine's first draft only)
    draft-setup: <setup> = engine:…|glossary:…|zhen:…  (with the engine's first draft only)
    tm-match: 84% from article jinnan (translations/jinnan/en.po)   (a translation-memory draft;
    tm-source: …, tm-figures: 4,512 → 5,120                          also its source and figures)
    qa: error (numbers): figure 480多 (480) is missing or altered   (refreshed every run)

The draft id is a hash of the draft text (a different msgstr means a reviewer
edited it); the setup is a hash of the draft's signature (engine, model,
glossary revision, zhen version: a new one refreshes drafts nobody touched),
spelled out once per engine in a catalog.
Catalogs written with the older ``draft-signature:`` and ``draft-id:`` lines
are read as well, and rewritten in this form.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import polib

from pipeline import __version__, po
from pipeline.errors import CatalogError
from pipeline.model import Draft, Finding, MergeStats, Segment, Term, TermHit

if TYPE_CHECKING:
    from pipeline.articles import Article

FUZZY_MATCH_MIN = 0.6
DATE_FORMAT = "%Y-%m-%d %H:%M%z"
DRAFT_KEYS = ("draft", "draft-setup", "draft-signature", "draft-id", "draft-score", "draft-check", "tm-match", "tm-source",
              "tm-figures")
# Notes rewritten on every write rather than kept as they were: the draft line, and the older bookkeeping lines.
_BOOKKEEPING = ("draft", "draft-setup", "draft-signature", "draft-id")
_BRACKET = re.compile(r" \[(?P<id>[0-9a-f]{12}) (?P<setup>[0-9a-f]{8})\]")
_LABEL = re.compile(r" \((?P<label>.*)\)")


def state(entry: polib.POEntry) -> str:
    if not entry.msgstr.strip():
        return "untranslated"
    return "draft" if "fuzzy" in entry.flags else "reviewed"


def owned(entry: polib.POEntry) -> bool:
    """Is this one of zhen's entries (one source sentence), rather than one a person or
    another gettext tool added (a msgctxt, plural forms)? Those are kept as they are."""
    return entry.msgctxt is None and not (entry.msgid_plural or entry.msgstr_plural) and entry.msgid != ""


def draft_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def setup_hash(signature: str) -> str:
    """The short form of a draft signature that each entry carries."""
    return hashlib.sha256(signature.encode("utf-8")).hexdigest()[:8]


# draft-fault: why the engine left this sentence undrafted on the last run (rewritten every run).
NOTE_KEYS = ("role", "glossary", "glossary (inside a longer term)", *DRAFT_KEYS, "draft-fault", "edited", "match", "qa")
_WORD_HYPHEN = re.compile(r"[^\W\d_]-$")  # where textwrap breaks a hyphenated word
_NOTE_START = re.compile("(" + "|".join(re.escape(k) for k in sorted(NOTE_KEYS, key=len, reverse=True)) + r"):(?: |$)")


def notes(entry: polib.POEntry) -> dict[str, list[str]]:
    """The entry's ``#.`` notes by key.

    A line that starts no known note continues the one before: tools that wrap
    long ``#.`` lines at 79 columns (polib does; Poedit does not) split a note
    at a space, or after the hyphen inside a word ("translate-" / "zh_en"), so
    the pieces are joined with a space, or with none after such a hyphen. A
    wrapped piece that happens to start like a note ("… an earlier draft: kept")
    cannot be told from one here; ``draft_note`` guards the note that matters.
    """
    pairs: list[list[str]] = []
    for line in (entry.comment or "").split("\n"):
        m = _NOTE_START.match(line)
        if m:
            pairs.append([m.group(1), line[m.end():]])
        elif pairs and line.strip():
            before, piece = pairs[-1][1], line.strip()
            glue = "" if _WORD_HYPHEN.search(before) and piece[0].isalnum() else " "
            pairs[-1][1] = f"{before}{glue}{piece}".strip()
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def references(entry: polib.POEntry) -> tuple[str, ...]:
    """The entry's source references, "file:line", as its `#:` lines give them."""
    return tuple(f"{name}:{line}" if line else name for name, line in entry.occurrences)


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
    n = notes(entry)
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


@dataclass(frozen=True)
class EntryInfo:
    """One catalog entry as the later stages read it, parsed once from its lines
    and notes; the PO notes stay the storage format."""

    number: int  # 1-based position in the catalog
    msgid: str
    msgstr: str
    state: str  # untranslated | draft | reviewed
    origin: str  # who wrote the draft: tm, argos, dictionary, llm, … ("" when no note says)
    match: int | None  # a memory draft's match %
    terms: tuple[str, ...]  # the glossary terms its notes name
    references: tuple[str, ...]  # "file:line", as the #: lines give them
    findings: tuple[str, ...]  # the qa notes
    comment: str  # the translator's comment
    obsolete: bool
    owned: bool  # one of zhen's sentence entries (see ``owned``), not one another tool added
    line: int | None = None  # where the entry starts in the file, when it was read from one

    @property
    def reference(self) -> str:
        """The first source reference ("" when there is none)."""
        return self.references[0] if self.references else ""


def read_entry(entry: polib.POEntry, number: int) -> EntryInfo:
    n = notes(entry)
    origin, match = draft_origin(entry)
    return EntryInfo(
        number=number, msgid=entry.msgid, msgstr=entry.msgstr, state=state(entry), origin=origin, match=match,
        terms=tuple(t.split(" = ")[0] for t in n.get("glossary", [])), findings=tuple(n.get("qa", [])),
        references=references(entry), comment=entry.tcomment or "", obsolete=entry.obsolete,
        owned=owned(entry), line=entry.linenum if isinstance(entry.linenum, int) else None)


def read_entries(catalog: polib.POFile) -> list[EntryInfo]:
    """Every entry of a catalog, numbered as in the file."""
    return [read_entry(e, n) for n, e in enumerate(catalog, start=1)]


def is_machine_draft(entry: polib.POEntry) -> bool:
    """A fuzzy entry whose text is exactly what an engine wrote."""
    if state(entry) != "draft":
        return False
    return draft_note(entry).id == draft_id(entry.msgstr)


def needs_draft(entry: polib.POEntry | None, signature: str) -> bool:
    if entry is None or state(entry) == "untranslated":
        return True
    if not is_machine_draft(entry):
        return False  # reviewed, or a draft a person edited
    return draft_note(entry).setup != setup_hash(signature)


@dataclass
class _Shown:
    """What the entries written so far have explained, so that later ones need not repeat it."""

    terms: set[str]
    engines: set[str]
    setup_engines: set[str]  # the engines whose setup has been spelled out
    labels: dict[str, str]  # each engine's label, from this run's drafts and the old catalog's notes
    signatures: dict[str, str]  # each setup's whole signature, from the same

    @classmethod
    def start(cls, old: polib.POFile | None, drafts: Iterable[Draft]) -> _Shown:
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


def _term_line(key: str, term: Term, shown: _Shown) -> str:
    # The renderings a reviewer may keep come along every time, as they are what the check accepts.
    line = f'{key}: {term.term} = ' + " or ".join(f'"{r}"' for r in term.renderings)
    if term.term in shown.terms:
        return line
    shown.terms.add(term.term)
    return f"{line} ({term.note})" if term.note else line


def _term_lines(hits: Sequence[TermHit], nested: Sequence[TermHit], shown: _Shown) -> list[str]:
    """Each term's explanation in full where the catalog first names it; later, its rendering alone.
    A term inside a longer one is named only until it has been explained."""
    lines = [_term_line("glossary", t, shown) for t in dict.fromkeys(h.term for h in hits)]
    lines += [_term_line("glossary (inside a longer term)", t, shown)
              for t in dict.fromkeys(h.term for h in nested) if t.term not in shown.terms]
    return lines


def _draft_line(engine: str, shown: _Shown, draft: str | None = None, setup: str | None = None) -> list[str]:
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


def _draft_lines(d: Draft, shown: _Shown) -> list[str]:
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


def _kept_draft_lines(entry: polib.POEntry, shown: _Shown, *, machine: bool) -> list[str]:
    """An old entry's draft notes, its draft line rewritten; ``machine``: the text is still the engine's."""
    note = draft_note(entry)
    lines = _draft_line(note.engine, shown, note.id if machine else None, note.setup) if note.engine else []
    n = notes(entry)
    return lines + [f"{k}: {v}" for k in DRAFT_KEYS if k not in _BOOKKEEPING for v in n.get(k, [])]


def _old_entries(old: polib.POFile | None) -> dict[str, polib.POEntry]:
    if old is None:
        return {}
    found: dict[str, polib.POEntry] = {}
    for e in old:
        if owned(e) and (e.msgid not in found or found[e.msgid].obsolete):
            found[e.msgid] = e
    return found


def _closest(msgid: str, candidates: Iterable[polib.POEntry]) -> tuple[polib.POEntry, float] | None:
    best: tuple[polib.POEntry, float] | None = None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(msgid)
    for e in candidates:
        matcher.set_seq1(e.msgid)
        if matcher.real_quick_ratio() < FUZZY_MATCH_MIN or matcher.quick_ratio() < FUZZY_MATCH_MIN:
            continue
        ratio = matcher.ratio()
        if ratio >= FUZZY_MATCH_MIN and (best is None or ratio > best[1]):
            best = (e, ratio)
    return best


def new_header(*, slug: str, source_language: str, now: datetime) -> dict[str, str]:
    stamp = now.strftime(DATE_FORMAT)
    return {
        "Project-Id-Version": slug,
        "POT-Creation-Date": stamp,
        "PO-Revision-Date": stamp,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "en",
        "X-Source-Language": source_language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Generator": f"zhen {__version__}",
    }


def _body(catalog: polib.POFile) -> list[tuple]:
    """What the entries say, in written order: equal exactly when our writer would
    write the same entries, without paying for writing them."""
    entries = [e for e in catalog if not e.obsolete] + [e for e in catalog if e.obsolete]
    return [(e.obsolete, e.msgctxt, e.msgid, e.msgstr, e.msgid_plural, sorted(e.msgstr_plural.items()),
             tuple(e.flags), e.comment.rstrip(), e.tcomment.rstrip(), _references(e), e.previous_msgctxt or "",
             e.previous_msgid or "", e.previous_msgid_plural or "") for e in entries]


def _references(entry: polib.POEntry) -> str:
    # As written: a file name with a space reads back as two references, and is the same line.
    return " ".join(references(entry))


def _foreign(old: polib.POFile | None, sentences: Mapping[str, object]) -> list[polib.POEntry]:
    """Entries zhen does not own, kept unchanged; a plural entry holding a sentence's key is refused."""
    if old is None:
        return []
    kept = [e for e in old if not owned(e)]
    for e in kept:
        if e.msgctxt is None and e.msgid in sentences:
            raise CatalogError("a plural entry has the msgid of a source sentence, whose entry zhen writes; "
                               "give it a msgctxt or remove it", path=old.fpath, line=e.linenum)
    return kept


Drafter = Callable[[Sequence[Segment]], Mapping[int, Draft]]
# Extra notes for an entry from its first segment and its final English (QA findings).
Annotator = Callable[[Segment, str], Sequence[str]]


@dataclass(frozen=True)
class _Plan:
    """What the merge will do with each source sentence, decided before any drafting."""

    olds: dict[str, polib.POEntry]  # the previous catalog's entries by msgid
    order: dict[str, list[Segment]]  # each distinct sentence, in source order, with its segments
    matches: dict[str, tuple[polib.POEntry, float]]  # new sentences close to an earlier one a person translated
    to_draft: list[Segment]  # the first segment of each sentence that needs a machine draft


def _plan(segments: Sequence[Segment], old: polib.POFile | None,
          signature: str | Callable[[Segment], str], exact: Callable[[Segment], bool] | None = None) -> _Plan:
    olds = _old_entries(old)
    order: dict[str, list[Segment]] = {}
    for seg in segments:
        order.setdefault(seg.text, []).append(seg)
    # Old human work that no current sentence matches exactly: candidates for fuzzy matching.
    spare = [e for mid, e in olds.items() if mid not in order and state(e) != "untranslated"
             and not is_machine_draft(e)]
    matches: dict[str, tuple[polib.POEntry, float]] = {}
    to_draft: list[Segment] = []
    for msgid, segs in order.items():
        entry = olds.get(msgid)
        # A translation of this very sentence (an exact memory match) beats one of an earlier version of it.
        if entry is None and not (exact is not None and exact(segs[0])):
            m = _closest(msgid, spare)
            if m:
                matches[msgid] = m
                continue
        expected = signature if isinstance(signature, str) else (
            signature(segs[0]) if entry is not None and is_machine_draft(entry) else "")
        if needs_draft(entry, expected):
            to_draft.append(segs[0])
    return _Plan(olds, order, matches, to_draft)


def _build_entry(msgid: str, segs: Sequence[Segment], plan: _Plan, drafts: Mapping[int, Draft], *,
                 source_name: str, hits: Mapping[int, Sequence[TermHit]], nested: Mapping[int, Sequence[TermHit]],
                 annotate: Annotator | None, counts: dict[str, int], shown: _Shown) -> polib.POEntry:
    """One live entry: a fresh draft, the previous translation kept, a fuzzy match, or empty."""
    first = segs[0]
    entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[(source_name, str(s.line)) for s in segs])
    lines = [f"role: {first.role}"] + _term_lines(hits.get(first.id, ()), nested.get(first.id, ()), shown)
    old_entry = plan.olds.get(msgid)
    if old_entry is not None:
        entry.tcomment = old_entry.tcomment
    fault = drafts[first.id].fault if first.id in drafts else ""
    if first.id in drafts and not fault:
        d = drafts[first.id]
        entry.msgstr = d.text
        entry.flags = ["fuzzy"]
        entry.previous_msgid = d.previous or None
        lines += _draft_lines(d, shown)
    elif old_entry is not None and state(old_entry) != "untranslated":
        entry.msgstr = old_entry.msgstr
        entry.flags = [f for f in old_entry.flags if f != "fuzzy" or state(old_entry) == "draft"]
        if state(old_entry) == "reviewed":
            counts["reviewed"] += 1
        elif is_machine_draft(old_entry):
            counts["reused"] += 1
            entry.previous_msgid = old_entry.previous_msgid
            lines += _kept_draft_lines(old_entry, shown, machine=True)
        elif draft_note(old_entry).engine:
            counts["edited"] += 1
            entry.previous_msgid = old_entry.previous_msgid
            lines += _kept_draft_lines(old_entry, shown, machine=False)
            lines.append("edited: a reviewer changed this draft; it is kept and no longer refreshed")
        else:  # a person's own unfinished text, or the translation of an earlier version, as it was
            matched = notes(old_entry).get("match", [])
            counts["fuzzy" if matched else "edited"] += 1
            entry.previous_msgid = old_entry.previous_msgid
            lines += [f"match: {v}" for v in matched]
    elif msgid in plan.matches:
        src, ratio = plan.matches[msgid]
        entry.msgstr = src.msgstr
        entry.flags = ["fuzzy"]
        entry.previous_msgid = src.msgid
        entry.tcomment = src.tcomment
        counts["fuzzy"] += 1
        lines.append(f"match: translation of an earlier version of this sentence ({ratio:.0%} similar); "
                     "compare with the previous source")
    else:
        counts["untranslated"] += 1
    if fault:
        counts["failed"] += 1
        lines.append(f"draft-fault: {drafts[first.id].engine}: {fault}")
    if annotate is not None and entry.msgstr:
        lines += annotate(first, entry.msgstr)
    entry.comment = "\n".join(lines)
    return entry


def _keep_obsolete(catalog: polib.POFile, old: polib.POFile, order: Mapping[str, object]) -> int:
    """Append the old entries whose sentence left the article, as obsolete; returns how many."""
    kept: set[str] = set()
    for e in sorted(old, key=lambda e: e.obsolete):  # live entries first
        if not owned(e) or e.msgid in order or e.msgid in kept:
            continue
        kept.add(e.msgid)
        catalog.append(polib.POEntry(msgid=e.msgid, msgstr=e.msgstr, flags=list(e.flags),
                                     tcomment=e.tcomment, comment=e.comment, obsolete=True,
                                     previous_msgid=e.previous_msgid))
    return len(kept)


def _set_header(catalog: polib.POFile, old: polib.POFile | None, *, slug: str, source_language: str,
                now: datetime) -> bool:
    """Give the catalog its header; returns whether its entries differ from the old catalog's.

    The old header is kept, and its revision date and generator move only when
    an entry changed, so that a run that changes nothing writes the same bytes.
    """
    fresh = new_header(slug=slug, source_language=source_language, now=now)
    changed = old is None or _body(catalog) != _body(old)
    if old is None:
        catalog.metadata = fresh
        catalog.header = f"English translation of {slug}.\n"
        return changed
    meta = dict(old.metadata)
    for key, value in fresh.items():
        meta.setdefault(key, value)
    if changed:
        meta["PO-Revision-Date"] = fresh["PO-Revision-Date"]
        meta["X-Generator"] = fresh["X-Generator"]
    catalog.metadata = meta
    catalog.header = old.header
    catalog.metadata_is_fuzzy = False
    return changed


def merge(
    *,
    slug: str,
    source_name: str,
    source_language: str,
    segments: Sequence[Segment],
    hits: Mapping[int, Sequence[TermHit]],
    old: polib.POFile | None,
    signature: str | Callable[[Segment], str],
    drafter: Drafter,
    nested: Mapping[int, Sequence[TermHit]] | None = None,
    now: datetime,
    purge_obsolete: bool = False,
    annotate: Annotator | None = None,
    exact: Callable[[Segment], bool] | None = None,
) -> tuple[polib.POFile, MergeStats]:
    """Build the new catalog from the segments and the previous catalog.

    ``drafter`` is called once, with the first occurrence of every source
    sentence that needs a machine draft. ``signature`` is what a fresh draft
    would be signed with, or says so per sentence (a memory match or the engine).
    ``exact`` says which new sentences the drafter knows word for word (the
    memory): they are drafted, not matched to an earlier version of the sentence.
    Phases: plan, draft, build the live entries, keep the obsolete ones, header.
    """
    plan = _plan(segments, old, signature, exact)
    drafts = drafter(plan.to_draft) if plan.to_draft else {}
    catalog = polib.POFile(wrapwidth=po.WIDTH)
    counts = dict(reused=0, reviewed=0, edited=0, fuzzy=0, untranslated=0, failed=0)
    shown = _Shown.start(old, [d for d in drafts.values() if not d.fault])
    for msgid, segs in plan.order.items():
        catalog.append(_build_entry(msgid, segs, plan, drafts, source_name=source_name, hits=hits,
                                    nested=nested or {}, annotate=annotate, counts=counts, shown=shown))
    for e in _foreign(old, plan.order):
        catalog.append(e)  # the same object: every field as it was read
    obsolete = _keep_obsolete(catalog, old, plan.order) if old is not None and not purge_obsolete else 0
    changed = _set_header(catalog, old, slug=slug, source_language=source_language, now=now)
    stats = MergeStats(
        segments=len(segments), entries=len(plan.order), drafted=len(plan.to_draft) - counts["failed"],
        reused=counts["reused"],
        reviewed=counts["reviewed"], edited=counts["edited"], fuzzy_matched=counts["fuzzy"],
        untranslated=counts["untranslated"], obsolete=obsolete, changed=changed, failed=counts["failed"],
    )
    return catalog, stats


def catalog_status(article: Article, findings: Sequence[Finding] = ()) -> dict:
    """Counts per entry state for one article's catalog, and its QA findings by
    severity (``findings``: what ``zhen check`` found in it); a missing catalog
    counts as nothing done."""
    counts = {"reviewed": 0, "draft": 0, "untranslated": 0}
    origins: dict[str, int] = {}
    matches: list[dict] = []
    segments = 0
    live = [e for e in read_entries(po.read_catalog(article.catalog)) if not e.obsolete and e.owned] \
        if article.catalog.exists() else []
    for e in live:
        n = len(e.references) or 1
        segments += n
        counts[e.state] += n
        if e.state == "draft":
            origins[e.origin or "other"] = origins.get(e.origin or "other", 0) + n
            if e.match is not None:
                matches.append({"entry": e.number, "score": e.match})
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    return {
        "article": article.slug,
        "catalog": str(article.catalog),
        "segments": segments,
        "reviewed": counts["reviewed"],
        "drafts": counts["draft"],
        "untranslated": counts["untranslated"],
        "errors": errors,
        "warnings": warnings,
        "origins": dict(sorted(origins.items())),  # drafts by who wrote them: tm, argos, dictionary, …
        "tm_matches": matches,  # each memory draft's catalog entry and match %
        "percent_reviewed": 100.0 * counts["reviewed"] / segments if segments else 0.0,
    }
