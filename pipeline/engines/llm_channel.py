"""The LLM engine's way to its server, shared by every article drafting at once in this process.

One asyncio event loop runs in a daemon thread; on it live one HTTP client (its connections kept
alive between articles) and one semaphore of the engine's concurrency. Each ``draft`` call, from
whichever thread runs its article, submits one coroutine per request and waits for its own
results: the server's slots stay full across article boundaries, and a slow answer holds up no
article but its own.

The channel is open while held: the first ``hold`` starts the thread and opens the client (and
asks the server how many requests to keep in flight), the last ``release`` closes the client,
ends the tasks still there and joins the thread. A run that translates many articles holds it
from its first article to its end; a lone ``draft`` call holds it for its own duration, so that
nothing outlives the call. ``http_client`` and ``server_slots`` are the engine's client and the
question of how many requests the server serves at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import json
import ssl
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pipeline.engines.options import MAX_CONCURRENCY, LLMOptions

if TYPE_CHECKING:
    import httpx

Client = TypeVar("Client")
T = TypeVar("T")

PROPS_BYTES = 1024 * 1024  # llama-server's /props carries the chat template: a few kB, rarely more


class _Open(Generic[Client]):
    """A running loop, its thread, and the client and semaphore on it."""

    def __init__(self, connect: Callable[[], Client], concurrency: Callable[[Client], Awaitable[int]],
                 close: Callable[[Client], Awaitable[None]], name: str):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self.thread.start()
        self._close = close
        self.client: Client | None = None
        self.slots: asyncio.Semaphore | None = None
        try:
            asyncio.run_coroutine_threadsafe(self._setup(connect, concurrency), self.loop).result()
        except BaseException:
            self.stop()
            raise

    async def _setup(self, connect: Callable[[], Client], concurrency: Callable[[Client], Awaitable[int]]) -> None:
        self.client = connect()  # on the loop: the client's connections belong to it
        self.slots = asyncio.Semaphore(await concurrency(self.client))

    async def _teardown(self) -> None:
        here = asyncio.current_task()
        rest = [t for t in asyncio.all_tasks() if t is not here]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)
        if self.client is not None:
            await self._close(self.client)
        await self.loop.shutdown_asyncgens()

    def stop(self) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._teardown(), self.loop).result()
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join()
            self.loop.close()


class Channel(Generic[Client]):
    """See the module's docstring. ``connect`` makes the client (called on the loop),
    ``concurrency`` says how many requests may be in flight (awaited once per opening, with
    the client), ``close`` closes the client."""

    def __init__(self, connect: Callable[[], Client], concurrency: Callable[[Client], Awaitable[int]],
                 close: Callable[[Client], Awaitable[None]], *, name: str = "zhen-llm"):
        self._connect, self._concurrency, self._close, self._name = connect, concurrency, close, name
        self._lock = threading.Lock()
        self._holders = 0
        self._open: _Open[Client] | None = None

    def hold(self) -> None:
        """Keep the channel open until the matching ``release``; the first hold opens it."""
        with self._lock:
            if self._open is None:
                self._open = _Open(self._connect, self._concurrency, self._close, self._name)
            self._holders += 1

    def release(self) -> None:
        """The last holder closes the client and ends the thread."""
        with self._lock:
            if self._holders == 0:
                return
            self._holders -= 1
            if self._holders or self._open is None:
                return
            opened, self._open = self._open, None
            opened.stop()  # under the lock: a hold meanwhile waits, then opens a fresh one

    def submit(self, work: Callable[[Client], Coroutine[Any, Any, T]]) -> cf.Future[T]:
        """``work(client)`` run on the loop once a slot is free; only while held."""
        opened = self._open
        if opened is None or opened.client is None or opened.slots is None:
            raise RuntimeError("the channel is not open: hold it first")
        client, slots = opened.client, opened.slots

        async def within_a_slot() -> T:
            async with slots:
                return await work(client)

        return asyncio.run_coroutine_threadsafe(within_a_slot(), opened.loop)


def tls_context(options: LLMOptions) -> ssl.SSLContext:
    """The certificates an https server is checked against, as httpx reads them: built once per
    engine, since building them takes tens of milliseconds, more than a short article's other work."""
    import httpx

    return httpx.create_ssl_context(trust_env=not _loopback(options))


def http_client(options: LLMOptions, key: str, tls: ssl.SSLContext) -> httpx.AsyncClient:
    """The HTTP client every request goes through; ``key``, when set, as a Bearer token."""
    import httpx

    cap = options.concurrency or MAX_CONCURRENCY
    # Compressed answers are not asked for, so that the byte cap counts what is decoded.
    headers = {"Accept-Encoding": "identity"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    limits = httpx.Limits(max_connections=cap, max_keepalive_connections=cap)
    return httpx.AsyncClient(headers=headers, limits=limits, trust_env=not _loopback(options), verify=tls,
                             timeout=httpx.Timeout(options.timeout_s))


def _loopback(options: LLMOptions) -> bool:
    """Is the server on this machine? A proxy from the environment cannot reach it: bypass it there."""
    import httpx

    host = httpx.URL(options.base_url).host
    return host == "localhost" or host == "::1" or host.startswith("127.")


async def close_client(client: httpx.AsyncClient) -> None:
    await client.aclose()


async def server_slots(client: httpx.AsyncClient, options: LLMOptions) -> int | None:
    """How many requests the server decodes in parallel, when it says: llama-server's /props
    ``total_slots``. Ollama and vLLM do not say; anything else the server sends is ignored."""
    root = options.base_url.removesuffix("/v1")
    try:
        async with client.stream("GET", f"{root}/props", timeout=min(10.0, options.timeout_s)) as response:
            if response.status_code != 200:
                return None
            raw = b""
            async for chunk in response.aiter_raw():
                raw += chunk
                if len(raw) > PROPS_BYTES:
                    return None
        slots = json.loads(raw.decode("utf-8")).get("total_slots")
    except Exception:  # a courtesy: without it the run goes on at the default concurrency
        return None
    whole = isinstance(slots, int) and not isinstance(slots, bool)
    return slots if whole and 1 <= slots <= 100_000 else None
