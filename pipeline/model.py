"""Plain frozen values that flow between the stages."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from collections.abc import Callable
from dataclasses import dataclass

# Long stages report (done, total) through this; no_progress is the default.
Progress = Callable[[int, int], None]
Warn = Callable[[str], None]  # a message for the person running zhen


def no_progress(done: int, total: int) -> None:
    pass


ROLES = ("title", "heading", "body", "byline")


@dataclass(frozen=True)
class Line:
    """One paragraph of the source: a non-empty line after debris removal."""

    number: int  # 1-based line number in the file as received
    text: str  # indentation stripped, inner spacing kept


@dataclass(frozen=True)
class Dropped:
    """A source line the reader left out, and why (``zhen segment --explain``)."""

    number: int
    text: str
    reason: str


@dataclass(frozen=True)
class Source:
    """An article as read from disk: decoded, normalized, debris removed."""

    name: str  # file name used in catalog references
    encoding: str
    lines: tuple[Line, ...]
    dropped: tuple[Dropped, ...] = ()


@dataclass(frozen=True)
class Segment:
    """One translation unit: a sentence, heading, title or byline."""

    id: int  # 1-based position in the article
    paragraph: int  # 1-based paragraph index
    line: int  # source line number
    role: str  # one of ROLES
    text: str  # as written in the source
    simplified: str = ""  # t2s, one character per character of text (script.normalize); matching and MT read it


@dataclass(frozen=True)
class Term:
    """A curated glossary entry."""

    term: str
    english: str
    variants: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    note: str = ""
    source: str = ""
    kind: str = ""
    file: str = ""
    line: int = 0
    accept: tuple[str, ...] = ()  # other renderings a reviewer may keep; engines still draft ``english``
    scope: str = "national"  # or the gazetteer key of the place its file is scoped to (see glossary.scope)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.variants)

    @property
    def renderings(self) -> tuple[str, ...]:
        """The required rendering, then every accepted one: any of them makes the term present."""
        return (self.english, *self.accept)


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a text; ``start``/``end`` index the original text."""

    term: Term
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class Draft:
    """A machine translation of one segment and what produced it."""

    text: str
    engine: str  # engine name, e.g. "argos" or "dictionary"
    signature: str  # everything that decides whether the draft is stale
    score: float | None = None
    confidence: float | None = None
    missing_terms: tuple[str, ...] = ()  # required renderings the draft lacks
    forbidden_terms: tuple[str, ...] = ()  # avoided renderings the draft carries
    repaired_terms: tuple[tuple[str, str], ...] = ()  # (avoided, required) swapped in the engine's output
    label: str = ""  # shown to reviewers, e.g. "word-by-word gloss"
    notes: tuple[str, ...] = ()  # further catalog notes, e.g. where a memory match came from
    previous: str = ""  # the source sentence this translation was made for, when not this one (#| msgid)
    fault: str = ""  # why the engine gave no usable text: the segment stays untranslated, this in its notes


@dataclass(frozen=True)
class Flaw:
    """What one QA check found in one entry's English; the runner places it (``Finding``)."""

    severity: str  # "error" or "warning"
    message: str
    subject: str = ""  # the figure or term concerned


@dataclass(frozen=True)
class Finding:
    """A QA result; ``severity`` is "error" or "warning"."""

    check: str
    severity: str
    message: str
    segment: int | None = None  # segment id in the article (the page's rows)
    subject: str = ""  # the figure or term concerned
    catalog: str = ""
    entry: int | None = None  # 1-based position of the entry in the catalog
    reference: str = ""  # where the sentence is in the source, e.g. "source.zh.txt:12"


@dataclass(frozen=True)
class MergeStats:
    """What merging drafts into an article's catalog did, counted in segments (a sentence that
    occurs twice counts twice): drafted + reused + reviewed + edited + fuzzy_matched + untranslated
    = segments."""

    segments: int
    entries: int
    drafted: int
    reused: int
    reviewed: int
    edited: int
    fuzzy_matched: int
    untranslated: int
    obsolete: int
    changed: bool
    failed: int = 0  # sentences the engine could not draft (each with a draft-fault note), left as they were


@dataclass(frozen=True)
class Usage:
    """What a server-backed engine spent on one article, as the server reported it."""

    answers: int  # answers received, retries and glossary follow-ups included
    tokens: int  # tokens generated, from each answer's ``usage.completion_tokens``
    seconds: float  # wall time from the first request to the last answer
    reported: int = 0  # answers that carried a token count
    over_budget: int = 0  # answers longer than the max_tokens they were asked with
    concurrency: tuple[int, str] | None = None  # requests in flight, and why that many

    @property
    def tokens_per_s(self) -> float | None:
        return round(self.tokens / self.seconds, 1) if self.seconds > 0 and self.reported else None

    def as_json(self) -> dict:
        return {"answers": self.answers, "tokens": self.tokens if self.reported else None,
                "tokens_per_s": self.tokens_per_s, "seconds": round(self.seconds, 3),
                "over_budget": self.over_budget,
                "concurrency": None if self.concurrency is None else
                {"requests": self.concurrency[0], "why": self.concurrency[1]}}


@dataclass(frozen=True)
class ArticleResult:
    """What one ``translate`` run did to one article."""

    article: str
    catalog: str
    html: str
    text: str
    merge: MergeStats
    tm: int = 0  # segments drafted from the translation memory (merge.drafted counts them too)
    seconds: float = 0.0  # wall time spent on this article, the engine's loading included
    faults: tuple[tuple[int, str], ...] = ()  # (source line, why) for each sentence left undrafted
    usage: Usage | None = None  # what the engine's server spent, for engines that report it
    up_to_date: bool = False  # skipped: nothing changed since the run these counts come from

    # ``zhen translate --json``: one object per article with these keys. The counts add up:
    # segments = drafted + tm + reused + reviewed + edited + carried_over + untranslated.
    # ``failed`` counts the segments among them that the engine could not draft (``faults`` says why).
    COUNTS = ("drafted", "tm", "reused", "reviewed", "edited", "carried_over", "untranslated")
    JSON_KEYS = ("article", "segments", *COUNTS, "up_to_date", "failed", "faults", "catalog", "html", "text",
                 "seconds", "usage")

    @property
    def segments(self) -> int:
        return self.merge.segments

    @property
    def drafted(self) -> int:
        """Sentences the engine drafted (the memory's drafts are ``tm``)."""
        return self.merge.drafted - self.tm

    @property
    def reused(self) -> int:
        return self.merge.reused

    @property
    def reviewed(self) -> int:
        return self.merge.reviewed

    @property
    def untranslated(self) -> int:
        return self.merge.untranslated

    @property
    def failed(self) -> int:
        return self.merge.failed

    @property
    def edited(self) -> int:
        """Drafts a reviewer changed but has not approved, and a person's own unfinished text."""
        return self.merge.edited

    @property
    def carried_over(self) -> int:
        """Translations of an earlier version of the sentence, kept as drafts to compare."""
        return self.merge.fuzzy_matched

    def as_json(self) -> dict:
        special = {"seconds": round(self.seconds, 3),
                   "faults": [{"line": line, "reason": why} for line, why in self.faults],
                   "usage": self.usage.as_json() if self.usage is not None else None}
        return {key: special[key] if key in special else getattr(self, key) for key in self.JSON_KEYS}

    def to_state(self) -> dict:
        """Everything, for the state file; ``from_state`` reads it back."""
        return dataclasses.asdict(self)

    @classmethod
    def from_state(cls, data: dict) -> ArticleResult:
        usage = data.get("usage")
        if usage and usage.get("concurrency"):
            usage = {**usage, "concurrency": tuple(usage["concurrency"])}
        return cls(**{**data, "merge": MergeStats(**data["merge"]),
                      "faults": tuple(tuple(f) for f in data.get("faults", ())),
                      "usage": Usage(**usage) if usage else None})


def now_utc() -> datetime:
    """A run's revision date: now, to the minute (one per run, whichever process writes an article)."""
    return datetime.now(timezone.utc).replace(second=0, microsecond=0)
