"""QA for one article in a run: findings per (segment, English), computed once and
shared by the catalog's notes and the bilingual page."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from pipeline.catalog.entries import EntryInfo
from pipeline.glossary.table import Glossary
from pipeline.model import Finding, Segment, TermHit
from pipeline.qa.checks import check_segment
from pipeline.qa.checks import note_lines


class SegmentQA:
    """QA findings per (segment, English), computed once per run and shared by the
    catalog's notes and the page."""

    def __init__(self, hits: Mapping[int, Sequence[TermHit]], glossary: Glossary | None = None):
        self.hits = hits
        self.glossary = glossary  # for the consistency of term renderings across the article
        self._seen: dict[tuple[int, str], list[Finding]] = {}

    def __call__(self, seg: Segment, english: str) -> list[Finding]:
        key = (seg.id, english)
        if key not in self._seen:
            self._seen[key] = check_segment(seg.text, english, self.hits.get(seg.id, ()), segment=seg.id)
        return self._seen[key]

    def notes(self, seg: Segment, english: str) -> list[str]:
        return note_lines(self(seg, english))

    def for_page(self, segments: Sequence[Segment], entries: Sequence[EntryInfo]) -> list[Finding]:
        """Findings for the page's rows, from the article's catalog entries (``catalog.read_entries``)."""
        english = {e.msgid: e.msgstr for e in entries if not e.obsolete and e.owned}
        found = [f for seg in segments for f in self(seg, english.get(seg.text, ""))]
        if self.glossary is not None:
            # Consistency findings name catalog entries; the page's rows are segments.
            from pipeline.qa.consistency import term_forms

            msgid_of: dict[int | None, str] = {e.number: e.msgid for e in entries}
            segs_of: dict[str, list[Segment]] = {}
            for seg in segments:
                segs_of.setdefault(seg.text, []).append(seg)
            known = {seg.text: self.hits[seg.id] for seg in segments if seg.id in self.hits}
            found += [dataclasses.replace(f, segment=seg.id) for f in term_forms(entries, self.glossary, known=known)
                      for seg in segs_of.get(msgid_of.get(f.entry, ""), ())]
        return found
