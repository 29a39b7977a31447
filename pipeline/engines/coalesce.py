"""Drafting many articles in one engine call: engine-sized batches across articles.

Each article's ``Engine.draft`` asks for the drafts of a few segments, a few hundred
tokens; CTranslate2 is fastest with thousands in one call, and most with a GPU. With
several articles in flight at once (threads: CTranslate2 releases the GIL while it
decodes, so the other articles' reading, matching and merging go on meanwhile), each
article's requests go to one ``Coalescer``, whose drafting thread hands the engine the
requests of many articles in one ``_translate_stream`` call, once they weigh the
engine's batch target or once no article in flight is doing anything but waiting for
drafts. Each article gets back its own results, as the engine finishes them.

A draft does not depend on which other articles share its call: requests are only
put together when the engine's ``batch_key`` says the call would decode them exactly
as the article's own call would (Argos: the same number of hypotheses and the same
suppressed renderings, which CTranslate2 applies to a whole call). A fault on one
segment reaches that segment's article only, and an engine error on a call of several
articles is retried article by article, so that it fails only the article it belongs to.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.errors import ZhenError

if TYPE_CHECKING:
    from pipeline.engines.base import Engine, Fault, Hypothesis, Request

# Articles a process translates at once when its engine coalesces: enough to fill a few
# engine batches while some articles wait for drafts and others are read or written.
ARTICLES_IN_FLIGHT = 64


@dataclass(eq=False)
class _Ticket:
    """One article's requests, and where their results go."""

    requests: Sequence[Request]
    key: Hashable
    weight: int
    results: queue.SimpleQueue = field(default_factory=queue.SimpleQueue)
    delivered: set[int] = field(default_factory=set)  # only the drafting thread reads and writes it


class Coalescer:
    """The drafting thread shared by the articles in flight; see the module's docstring."""

    def __init__(self, engine: Engine, *, target: int | None = None):
        self.engine = engine
        self.target = target if target is not None else engine.batch_target()
        self._cond = threading.Condition()
        self._pending: dict[Hashable, list[_Ticket]] = {}
        self._fresh = 0  # articles in flight that have not asked for drafts yet: they may add to a call
        self._local = threading.local()  # whether this thread's article is one of them
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="zhen-drafting", daemon=True)
        self._thread.start()

    @contextlib.contextmanager
    def article(self) -> Iterator[None]:
        """Around one article's work: while it runs, the coalescer may wait for its requests."""
        with self._cond:
            self._fresh += 1
        self._local.fresh = True
        try:
            yield
        finally:
            with self._cond:
                if self._local.fresh:
                    self._local.fresh = False
                    self._fresh -= 1
                self._cond.notify_all()

    def stream(self, requests: Sequence[Request]) -> Iterator[tuple[int, list[Hypothesis] | Fault]]:
        """What ``Engine._translate_stream`` yields for ``requests``, from a call shared with other articles."""
        if not requests:
            return
        ticket = _Ticket(requests, self.engine.batch_key(requests),
                         sum(self.engine.batch_weight(r) for r in requests))
        with self._cond:
            if self._closed:
                raise ZhenError("drafting has stopped: the run is over")
            self._pending.setdefault(ticket.key, []).append(ticket)
            if getattr(self._local, "fresh", False):
                # An article asks for its drafts once (``merge`` calls its drafter once): it adds no more.
                self._local.fresh = False
                self._fresh -= 1
            self._cond.notify_all()
        for _ in requests:
            item = ticket.results.get()
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        """Stop the drafting thread once the requests already submitted are drafted."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()

    def _ready(self) -> Hashable | None:
        """The key of the requests to draft now, if any: a full batch, else whatever waits
        once every article in flight has asked for its drafts (the oldest first)."""
        keys = list(self._pending)
        if not keys:
            return None
        for key in keys:
            if sum(t.weight for t in self._pending[key]) >= self.target:
                return key
        return keys[0] if self._fresh == 0 or self._closed else None

    def _loop(self) -> None:
        while True:
            with self._cond:
                while (key := self._ready()) is None:
                    if self._closed and not self._pending:
                        return
                    self._cond.wait()
                tickets = self._pending.pop(key)
            self._draft(tickets)

    def _draft(self, tickets: list[_Ticket]) -> None:
        try:
            self._call(tickets)
        except ZhenError as e:
            if len(tickets) == 1:
                self._fail(tickets, e)
                return
            for ticket in tickets:  # whose requests broke the call: each article's rest alone
                try:
                    self._call([ticket])
                except BaseException as e:  # noqa: BLE001 - handed to the article that waits for it
                    self._fail([ticket], e)
        except BaseException as e:  # noqa: BLE001 - a bug in the engine: every waiting article raises it
            self._fail(tickets, e)

    def _call(self, tickets: list[_Ticket]) -> None:
        """One engine call over the tickets' requests not delivered yet."""
        owner = [(t, j) for t in tickets for j in range(len(t.requests)) if j not in t.delivered]
        if not owner:
            return
        requests = [t.requests[j] for t, j in owner]
        for i, hyps in self.engine._translate_stream(requests):
            ticket, j = owner[i]
            if j in ticket.delivered:
                continue
            ticket.delivered.add(j)
            ticket.results.put((j, hyps))
        for ticket, j in owner:
            if j not in ticket.delivered:
                from pipeline.errors import EngineError

                raise EngineError(f"{self.engine.name}: no result for one of {len(requests)} inputs")

    @staticmethod
    def _fail(tickets: list[_Ticket], error: BaseException) -> None:
        for ticket in tickets:
            if len(ticket.delivered) < len(ticket.requests):
                ticket.results.put(error)


class Together:
    """The runner of a run that translates several articles at once in one process.

    ``start`` is called when the first article needs a run (an up-to-date run builds
    no engine): it says how many articles may be in flight: ``inflight`` where the engine
    gains from shared calls; where it gains from calls of its own at once (a server's
    slots kept full, ``Engine.overlap``), as many as it says, at most ``inflight``; else 1.
    Calling the object runs one article, registered with the coalescer. ``close`` ends the
    drafting thread and detaches it from the engine, or lets the engine go.
    """

    def __init__(self, engine: Callable[[], Engine], run: Callable[..., Any], *,
                 inflight: int = ARTICLES_IN_FLIGHT):
        self._engine = engine
        self._run = run
        self.inflight = inflight
        self.coalescer: Coalescer | None = None
        self.overlapping: Engine | None = None  # an engine whose own calls run at once, to close at the end

    def start(self) -> int:
        if self.inflight < 2:
            return 1
        try:
            engine = self._engine()
        except ZhenError:
            return 1  # each article meets the error when it asks for its drafts, as one at a time
        if not engine.coalesce:
            self.overlapping = engine
            return max(1, min(self.inflight, engine.overlap()))
        self.coalescer = Coalescer(engine)
        engine.shared_stream = self.coalescer.stream
        return self.inflight

    def __call__(self, *args, **kwargs):
        if self.coalescer is None:
            return self._run(*args, **kwargs)
        with self.coalescer.article():
            return self._run(*args, **kwargs)

    def close(self) -> None:
        if self.coalescer is not None:
            self.coalescer.close()
            self.coalescer.engine.shared_stream = None
        if self.overlapping is not None:
            self.overlapping.close()
            self.overlapping = None
