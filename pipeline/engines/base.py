"""The engine interface: a batch of segments in, drafts out, with the engine's identity.

``Engine.draft`` is a template method: it prepares the MT input (Simplified
script, glossary renderings injected where the engine takes them), asks the
engine for one or more hypotheses per segment, repairs avoided renderings
in each hypothesis, picks the one that carries the most required renderings,
and verifies the result, so that a draft missing a required term or carrying a
forbidden one is flagged, never silently accepted.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from pipeline import __version__
from pipeline.glossary.enforcement import inject_renderings, repair, verify
from pipeline.errors import EngineError
from pipeline.glossary.table import Glossary
from pipeline.model import Draft, Progress, Segment, TermHit, Usage, no_progress
from pipeline.text.script import simplified

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
    notes: tuple[str, ...] = ()  # catalog notes that come with this text, e.g. what was cut from the answer


@dataclass(frozen=True)
class Fault:
    """Why an engine has no translation for one segment: the segment stays untranslated, the others are kept."""

    reason: str


class Engine(ABC):
    """Base class of the drafting engines."""

    name: str = ""
    label: str = ""  # what reviewers are told about this engine's drafts
    inject_terms: bool = True  # put renderings into the source before translating
    n_best: int = 1  # hypotheses asked for when a segment holds glossary terms
    repair_terms: bool = True  # swap avoided renderings for required ones in every hypothesis
    coalesce: bool = False  # one call over many articles' requests pays off (see ``coalesce``)
    # Set while a run shares this engine's calls between articles (``coalesce.Coalescer.stream``).
    shared_stream: Callable[[Sequence[Request]], Iterator[tuple[int, list[Hypothesis] | Fault]]] | None = None

    def __init__(self, glossary: Glossary | None = None):
        self.glossary = glossary or Glossary(())

    @abstractmethod
    def identity(self) -> str:
        """Engine-specific part of the signature (model, version, settings)."""

    @abstractmethod
    def _translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        """Hypotheses for each request, best first."""

    def _translate_stream(self, requests: Sequence[Request]) -> Iterator[tuple[int, list[Hypothesis] | Fault]]:
        """(request index, hypotheses) for each request, in the order they become ready.

        An engine that finishes requests one at a time while it works on the others
        overrides this: each finished draft is then checked against the glossary
        while the engine is still busy with the rest, rather than all of them after
        the last one.
        """
        results = self._translate_batch(requests)
        if len(results) != len(requests):
            raise EngineError(f"{self.name}: {len(results)} results for {len(requests)} inputs")
        yield from enumerate(results)

    def batch_key(self, requests: Sequence[Request]) -> Hashable:
        """What one article's requests must share with another's to go into the same call: requests
        are only put together where the call drafts each of them as the article's own call would."""
        return max(r.n_best for r in requests)

    def batch_weight(self, request: Request) -> int:
        """What a request counts towards ``batch_target``."""
        return 1

    def batch_target(self) -> int:
        """The weight of requests worth one call: a shared call is made once this much waits."""
        return 1

    def signature(self) -> str:
        return f"engine:{self.name}|{self.identity()}|glossary:{self.glossary.revision}|zhen:{__version__}"

    def prepare(self, seg: Segment, hits: Sequence[TermHit]) -> Request:
        # Converted once already by script.normalize, character for character, so the
        # hits (which index the original) index it too; OpenCC again per draft would
        # cost a fifth of a GPU batch's decoding time.
        text = simplified(seg)
        if self.inject_terms and hits:
            text = inject_renderings(text, hits)
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
        progress: Progress = no_progress,
        context: Sequence[Segment] = (),
        usage: Callable[[Usage], None] | None = None,
    ) -> dict[int, Draft]:
        """Draft every segment in one batch; returns drafts keyed by segment id.

        ``context``: the article's segments in order (default: ``segments``). ``usage`` is
        told what this call spent on a server, by engines that ask one: this call's own,
        whatever other calls draft at the same time.
        """
        if not segments:
            return {}
        if hits is None:
            hits = self.glossary.match_segments(segments)
        requests = self.requests(segments, hits, context or segments)
        signature = self.signature()
        done: dict[int, Draft] = {}
        for i, hyps in self._stream(requests, progress=progress, usage=usage):
            seg = segments[i]
            if isinstance(hyps, Fault):
                done[i] = Draft(text="", engine=self.name, signature=signature, label=self.label, fault=hyps.reason)
                continue
            if not hyps:
                raise EngineError(f"{self.name}: no translation for segment {seg.id}")
            seg_hits = hits.get(seg.id, ())
            best, fixed, (missing, forbidden) = self.choose(hyps, seg_hits, repair_terms=self.repair_terms)
            done[i] = Draft(
                text=best.text,
                engine=self.name,
                signature=signature,
                score=best.score,
                confidence=self.confidence(best),
                missing_terms=missing,
                forbidden_terms=forbidden,
                repaired_terms=fixed,
                label=self.label,
                notes=best.notes,
            )
        for i, seg in enumerate(segments):
            if i not in done:
                raise EngineError(f"{self.name}: no translation for segment {seg.id}")
        return {segments[i].id: done[i] for i in range(len(segments))}

    def _stream(self, requests: Sequence[Request], *, progress: Progress,
                usage: Callable[[Usage], None] | None) -> Iterator[tuple[int, list[Hypothesis] | Fault]]:
        """One ``draft`` call's results, as ``_translate_stream`` yields them, with ``progress`` told of
        each once it is drafted. An engine that reports per request, or spends on a server, overrides it."""
        stream = self.shared_stream or self._translate_stream
        for done, result in enumerate(stream(requests), 1):
            yield result
            progress(done, len(requests))

    def overlap(self) -> int:
        """How many articles pay off drafting at once in one process, each with calls of its own, from
        threads: more than 1 for an engine that waits on a server (see ``coalesce.Together``), which
        then keeps ready for them until ``close``."""
        return 1

    def close(self) -> None:
        """Let go of what ``overlap`` kept ready (connections, a thread)."""

    @staticmethod
    def choose(hyps: Sequence[Hypothesis], hits: Sequence[TermHit], *, repair_terms: bool = True):
        """The hypothesis with the fewest glossary violations once repaired (ties
        keep the engine's order), with its repairs and (missing, forbidden) renderings."""
        checked = []
        for h in hyps if hits else hyps[:1]:
            fixed: tuple[tuple[str, str], ...] = ()
            if repair_terms and hits:
                text, fixed = repair(h.text, hits)
                h = Hypothesis(text, h.score, h.notes)
            checked.append((h, fixed, verify(h.text, hits)))
        return min(checked, key=lambda c: len(c[2][0]) + len(c[2][1]))

    def confidence(self, hyp: Hypothesis) -> float | None:
        return None
