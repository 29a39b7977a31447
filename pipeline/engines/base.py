"""The engine interface: a batch of segments in, drafts out, with the engine's identity.

``Engine.draft`` is a template method: it prepares the MT input (Simplified
script, glossary renderings injected where the engine takes them), asks the
engine for one or more hypotheses per segment, repairs avoided renderings
in each hypothesis, picks the one that carries the most required renderings,
and verifies the result, so that a draft missing a required term or carrying a
forbidden one is flagged, never silently accepted.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pipeline import __version__
from pipeline.errors import EngineError
from pipeline.glossary import Glossary
from pipeline.model import Draft, Segment, TermHit
from pipeline.script import _aligned, fold_english

Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class Request:
    """What an engine is asked to translate for one segment."""

    text: str  # Simplified, with glossary renderings injected when the engine takes them
    n_best: int  # hypotheses wanted: >1 when the glossary layer should choose
    avoid: tuple[str, ...] = ()  # renderings the glossary forbids here, for engines that can suppress them


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float | None = None


def inject_renderings(text: str, hits: Sequence[TermHit]) -> str:
    """Replace each matched term by its required English rendering."""
    out, pos = [], 0
    for hit in sorted(hits, key=lambda h: h.start):
        out.append(text[pos:hit.start])
        out.append(f" {hit.term.english} ")
        pos = hit.end
    out.append(text[pos:])
    return "".join(out)


def verify(text: str, hits: Sequence[TermHit]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Required renderings missing from ``text``, and forbidden ones present.

    Both sides are English, so width and case are folded but not script: OpenCC
    has nothing to do here and is the slowest part of folding.
    """
    folded = fold_english(text)
    missing = tuple(dict.fromkeys(h.term.english for h in hits if fold_english(h.term.english) not in folded))
    # Whole words only: "three highland" must not fire inside "three highlands".
    forbidden = tuple(dict.fromkeys(
        a for h in hits for a in h.term.avoid
        if re.search(rf"(?<!\w){re.escape(fold_english(a))}(?!\w)", folded)
    ))
    return missing, forbidden


def repair(text: str, hits: Sequence[TermHit]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Replace each avoided rendering in ``text`` by its term's required one.

    The glossary lists an avoided rendering because it is a known wrong way to
    say that term, so swapping it is safe where the term is in the source; the
    (avoided, required) pairs returned go into the catalog note so that a
    reviewer checks the grammar around each swap. Whole words, any case, any
    spacing; one pass, so a replacement is never itself rewritten, and where two
    phrases start at the same word the longer wins. A phrase avoided by two
    terms with different renderings is left alone (verification flags it). A
    capital on the replaced words is kept.
    """
    wanted: dict[str, set[str]] = {}
    listed: dict[str, str] = {}  # the phrase as the glossary spells it, for the note
    for h in hits:
        for a in h.term.avoid:
            if a.split():
                key = " ".join(a.lower().split())
                wanted.setdefault(key, set()).add(h.term.english)
                listed.setdefault(key, a)
    targets = {k: v.pop() for k, v in wanted.items() if len(v) == 1}
    if not targets:
        return text, ()
    alternatives = sorted(targets, key=lambda k: (-len(k), k))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, k.split())) for k in alternatives)
                         + r")(?!\w)", re.IGNORECASE)
    done: dict[tuple[str, str], None] = {}

    def swap(m: re.Match) -> str:
        key = " ".join(m.group().lower().split())
        if key not in targets:  # a case mapping lower() and the regex disagree on: leave it to verification
            return m.group()
        required = targets[key]
        done[(listed[key], required)] = None
        capital = m.group()[:1].isupper() and required[:1].islower()
        return required[:1].upper() + required[1:] if capital else required

    return pattern.sub(swap, text), tuple(done)


class Engine(ABC):
    """Base class of the drafting engines."""

    name: str = ""
    label: str = ""  # what reviewers are told about this engine's drafts
    inject_terms: bool = True  # put renderings into the source before translating
    n_best: int = 1  # hypotheses asked for when a segment holds glossary terms
    repair_terms: bool = True  # swap avoided renderings for required ones in every hypothesis

    def __init__(self, glossary: Glossary | None = None):
        self.glossary = glossary or Glossary(())

    @abstractmethod
    def identity(self) -> str:
        """Engine-specific part of the signature (model, version, settings)."""

    @abstractmethod
    def _translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        """Hypotheses for each request, best first."""

    def signature(self) -> str:
        return f"engine:{self.name}|{self.identity()}|glossary:{self.glossary.revision}|zhen:{__version__}"

    def prepare(self, seg: Segment, hits: Sequence[TermHit]) -> Request:
        if self.inject_terms and hits:
            # Hits index the original text: convert it character for character.
            text = inject_renderings(_aligned(seg.text), hits)
        else:
            # Converted once already by script.normalize; OpenCC again per draft would cost
            # a fifth of a GPU batch's decoding time.
            text = seg.simplified or _aligned(seg.text)
        avoid = tuple(dict.fromkeys(a for h in hits for a in h.term.avoid))
        return Request(text=" ".join(text.split()), n_best=self.n_best if hits else 1, avoid=avoid)

    def requests(self, segments: Sequence[Segment], hits: Mapping[int, Sequence[TermHit]],
                 context: Sequence[Segment]) -> list[Request]:
        """One request per segment; ``context`` is the whole article, for engines that read around a segment."""
        return [self.prepare(seg, hits.get(seg.id, ())) for seg in segments]

    def draft(
        self,
        segments: Sequence[Segment],
        hits: Mapping[int, Sequence[TermHit]] | None = None,
        *,
        progress: Progress = _no_progress,
        context: Sequence[Segment] = (),
    ) -> dict[int, Draft]:
        """Draft every segment in one batch; returns drafts keyed by segment id.

        ``context``: the article's segments in order (default: ``segments``).
        """
        if not segments:
            return {}
        if hits is None:
            hits = self.glossary.match_segments(segments)
        requests = self.requests(segments, hits, context or segments)
        results = self._translate_batch(requests)
        if len(results) != len(requests):
            raise EngineError(f"{self.name}: {len(results)} results for {len(requests)} inputs")
        signature = self.signature()
        drafts: dict[int, Draft] = {}
        for n, (seg, hyps) in enumerate(zip(segments, results), start=1):
            if not hyps:
                raise EngineError(f"{self.name}: no translation for segment {seg.id}")
            seg_hits = hits.get(seg.id, ())
            best, fixed, (missing, forbidden) = self.choose(hyps, seg_hits, repair_terms=self.repair_terms)
            drafts[seg.id] = Draft(
                text=best.text,
                engine=self.name,
                signature=signature,
                score=best.score,
                confidence=self.confidence(best),
                missing_terms=missing,
                forbidden_terms=forbidden,
                repaired_terms=fixed,
                label=self.label,
            )
            progress(n, len(segments))
        return drafts

    @staticmethod
    def choose(hyps: Sequence[Hypothesis], hits: Sequence[TermHit], *, repair_terms: bool = True):
        """The hypothesis with the fewest glossary violations once repaired (ties
        keep the engine's order), with its repairs and (missing, forbidden) renderings."""
        checked = []
        for h in hyps if hits else hyps[:1]:
            fixed: tuple[tuple[str, str], ...] = ()
            if repair_terms and hits:
                text, fixed = repair(h.text, hits)
                h = Hypothesis(text, h.score)
            checked.append((h, fixed, verify(h.text, hits)))
        return min(checked, key=lambda c: len(c[2][0]) + len(c[2][1]))

    def confidence(self, hyp: Hypothesis) -> float | None:
        return None
