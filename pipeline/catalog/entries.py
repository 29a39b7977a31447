"""Catalog entries as the later stages read them.

An entry is *untranslated* (empty), a *draft* (machine text, flagged fuzzy)
or *reviewed* (non-empty, not fuzzy)."""

from __future__ import annotations

from dataclasses import dataclass

import polib

from pipeline.catalog.notes import draft_id, draft_note, draft_origin, notes, setup_hash


def state(entry: polib.POEntry) -> str:
    if not entry.msgstr.strip():
        return "untranslated"
    return "draft" if "fuzzy" in entry.flags else "reviewed"


def owned(entry: polib.POEntry) -> bool:
    """Is this one of zhen's entries (one source sentence), rather than one a person or
    another gettext tool added (a msgctxt, plural forms)? Those are kept as they are."""
    return entry.msgctxt is None and not (entry.msgid_plural or entry.msgstr_plural) and entry.msgid != ""



def references(entry: polib.POEntry) -> tuple[str, ...]:
    """The entry's source references, "file:line", as its `#:` lines give them."""
    return tuple(f"{name}:{line}" if line else name for name, line in entry.occurrences)



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
    edited: bool = False  # a machine draft a person changed and has not approved yet

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
        owned=owned(entry), line=entry.linenum if isinstance(entry.linenum, int) else None,
        edited=state(entry) == "draft" and bool(origin) and not is_machine_draft(entry))


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
