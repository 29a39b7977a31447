"""Plain frozen values that flow between the stages."""

from __future__ import annotations

from dataclasses import dataclass

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
    simplified: str = ""  # OpenCC t2s form, for matching and MT


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

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.variants)


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
class ArticleResult:
    """What one ``translate`` run did to one article."""

    article: str
    segments: int
    drafted: int
    reused: int
    reviewed: int
    untranslated: int
    catalog: str
    html: str
    text: str
    seconds: float = 0.0  # wall time spent on this article, the engine's loading included
    tm: int = 0  # entries drafted from the translation memory (``drafted`` counts the engine's)

    def as_json(self) -> dict:
        return {
            "article": self.article,
            "segments": self.segments,
            "drafted": self.drafted,
            "reused": self.reused,
            "reviewed": self.reviewed,
            "untranslated": self.untranslated,
            "catalog": self.catalog,
            "html": self.html,
            "text": self.text,
            "seconds": round(self.seconds, 3),
            "tm": self.tm,
        }


@dataclass(frozen=True)
class ArgosOptions:
    """Settings of the Argos engine (CTranslate2), from zhen.toml and the command line."""

    device: str = "cpu"  # cpu, cuda or auto (CUDA when CTranslate2 sees a GPU)
    compute_type: str | None = None  # None: by device, int8 on CPU and float16 on CUDA
    beam_size: int = 4
    inter_threads: int = 1
    intra_threads: int = 0  # 0: CTranslate2 picks
    max_batch_tokens: int | None = None  # None: by device, 2,048 on CPU and 16,384 on CUDA
    max_input_tokens: int = 200
    max_decoding_length: int = 256
    min_decoding_length: int = 0  # benchmarks force a fixed length with min = max
    n_best: int = 4


@dataclass(frozen=True)
class LLMOptions:
    """Settings of the LLM engine, from zhen.toml's [llm] table and the environment.

    The API key is not here: only the name of the environment variable that holds
    it, so that no file, signature or state hash ever carries the key itself.
    """

    base_url: str  # e.g. http://127.0.0.1:11434/v1; requests go to {base_url}/chat/completions
    model: str
    api_key_env: str = ""  # the NAME of an environment variable; empty: no Authorization header
    concurrency: int = 4  # requests in flight
    timeout_s: float = 120.0  # per request, connection to last byte
    max_retries: int = 3  # for 429 and 5xx answers
    temperature: float = 0.0
