"""Catalog merge: build an article's PO catalog, never losing a reviewer's work.

Reviewed entries are never touched; drafts nobody edited are refreshed when their setup
changed; entries another tool added are kept as they were. What the merge writes into each
entry's notes is ``catalog.notes``."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import polib

from pipeline import __version__
from pipeline.catalog import po
from pipeline.catalog.entries import is_machine_draft, needs_draft, owned, references, state
from pipeline.catalog.notes import (NOTE_BUDGET, Shown, draft_lines, draft_note, kept_draft_lines, note_cost, note_line,
                                    notes, term_lines)
from pipeline.errors import CatalogError
from pipeline.model import Draft, MergeStats, Segment, TermHit
from pipeline.text.placeables import substitute

FUZZY_MATCH_MIN = 0.6
DATE_FORMAT = "%Y-%m-%d %H:%M%z"


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
             tuple(e.flags), e.comment.rstrip(), e.tcomment.rstrip(), _references(e), e.previous_msgctxt,
             e.previous_msgid, e.previous_msgid_plural) for e in entries]


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
                 annotate: Annotator | None, counts: dict[str, int], shown: Shown) -> polib.POEntry:
    """One live entry: a fresh draft, the previous translation kept, a fuzzy match, or empty."""
    first = segs[0]
    entry = polib.POEntry(msgid=msgid, msgstr="", occurrences=[(source_name, str(s.line)) for s in segs])
    # Bookkeeping: most sentences are body text, and an entry without a role line is read as one.
    lines = [f"role: {first.role}"] if first.role != "body" else [""]
    old_entry = plan.olds.get(msgid)
    if old_entry is not None:
        entry.tcomment = old_entry.tcomment
    n = len(segs)  # the counts are of segments, so that they add up to the article's
    fault = drafts[first.id].fault if first.id in drafts else ""
    if first.id in drafts and not fault:
        counts["drafted"] += n
        d = drafts[first.id]
        entry.msgstr = d.text
        entry.flags = ["fuzzy"]
        entry.previous_msgid = d.previous or None
        lines += draft_lines(d, shown)
    elif old_entry is not None and state(old_entry) != "untranslated":
        entry.msgstr = old_entry.msgstr
        entry.flags = list(old_entry.flags)  # a draft's fuzzy with it: a reviewed entry has none
        if state(old_entry) == "reviewed":
            counts["reviewed"] += n
        elif is_machine_draft(old_entry):
            counts["reused"] += n
            entry.previous_msgid = old_entry.previous_msgid
            lines += kept_draft_lines(old_entry, shown, machine=True)
        elif draft_note(old_entry).engine:
            counts["edited"] += n
            entry.previous_msgid = old_entry.previous_msgid
            lines += kept_draft_lines(old_entry, shown, machine=False)
            lines.append("edited: a reviewer changed this draft; it is kept and no longer refreshed")
        else:  # a person's own unfinished text, or the translation of an earlier version, as it was
            matched = notes(old_entry).get("match", [])
            counts["fuzzy" if matched else "edited"] += n
            entry.previous_msgid = old_entry.previous_msgid
            lines += [f"match: {v}" for v in matched]
    elif msgid in plan.matches:
        src, ratio = plan.matches[msgid]
        # The earlier version's figures give way to this one's, as a memory match's do.
        sub = substitute(msgid, src.msgid, src.msgstr)
        entry.msgstr = sub.text
        entry.flags = ["fuzzy"]
        entry.previous_msgid = src.msgid
        entry.tcomment = src.tcomment
        counts["fuzzy"] += n
        lines.append(f"match: translation of an earlier version of this sentence ({ratio:.0%} similar); "
                     "compare with the previous source")
        if sub.changes:
            lines.append("match: figures of this version put in: " + "; ".join(f"{w} → {n}" for w, n in sub.changes))
        elif sub.unmapped:
            lines.append(f"match: figures not carried over ({sub.unmapped}); check every figure")
    else:
        counts["untranslated"] += n
    if fault:
        counts["failed"] += n
        lines.append(f"draft-fault: {drafts[first.id].engine}: {fault}")
    # QA first, where Poedit's notes panel, which does not scroll, always shows it; then the terms
    # (explained within what is left of the entry's budget), the draft's origin and the bookkeeping.
    qa = list(annotate(first, entry.msgstr)) if annotate is not None and entry.msgstr else []
    room = NOTE_BUDGET - sum(note_cost(line) for line in qa + lines if line)
    terms = term_lines(hits.get(first.id, ()), nested.get(first.id, ()), shown, room=room)
    entry.comment = "\n".join(note_line(line) for line in qa + terms + lines[1:] + lines[:1] if line)
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
    counts = dict(drafted=0, reused=0, reviewed=0, edited=0, fuzzy=0, untranslated=0, failed=0)
    shown = Shown.start(old, [d for d in drafts.values() if not d.fault])
    for msgid, segs in plan.order.items():
        catalog.append(_build_entry(msgid, segs, plan, drafts, source_name=source_name, hits=hits,
                                    nested=nested or {}, annotate=annotate, counts=counts, shown=shown))
    for e in _foreign(old, plan.order):
        catalog.append(e)  # the same object: every field as it was read
    obsolete = _keep_obsolete(catalog, old, plan.order) if old is not None and not purge_obsolete else 0
    changed = _set_header(catalog, old, slug=slug, source_language=source_language, now=now)
    stats = MergeStats(
        segments=len(segments), entries=len(plan.order), drafted=counts["drafted"], reused=counts["reused"],
        reviewed=counts["reviewed"], edited=counts["edited"], fuzzy_matched=counts["fuzzy"],
        untranslated=counts["untranslated"], obsolete=obsolete, changed=changed, failed=counts["failed"],
    )
    return catalog, stats
