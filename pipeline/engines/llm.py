"""The LLM engine: each segment sent to an OpenAI-compatible chat-completions server.

Ollama, llama.cpp's ``llama-server``, vLLM and LM Studio all serve
``POST {base_url}/chat/completions``. One request per segment: the system
message holds the instructions, the article's title, the previous segment and
the segment's glossary terms with their required renderings (and the avoided
ones, forbidden); the last user message holds the source text verbatim. Up to
``concurrency`` requests are in flight; answers are matched to their segments by
position, whatever order they arrive in. Reasoning blocks (``<think>…</think>``),
wrapping quotes and "Translation:" labels are stripped; the base class then
repairs, verifies and notes each draft as it does for every engine.

Faults: 429 and 5xx answers are retried with backoff, honouring Retry-After; a
timeout, a refused connection, any other HTTP error or an answer that is not a
chat completion raises ``EngineError`` naming the URL, so the article's catalog
is left as it was. The API key is read from the environment variable the config
names, sent as a Bearer token, and kept out of every message.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.engines.base import Engine, Hypothesis, Request
from pipeline.engines.options import LLMOptions, changed
from pipeline.errors import EngineError
from pipeline.model import Progress, Segment, TermHit, no_progress

__all__ = ["LLMEngine", "LLMOptions", "PROMPT_HASH", "clean_answer"]

SYSTEM = (
    "You translate Chinese news into English for a newsroom; an editor reviews every sentence you write.\n"
    "Translate the Chinese text in the user's last message into English. Answer with the English "
    "translation only: no notes, no explanations, no quotation marks around it, no label.\n"
    "Translate all of it and nothing else. Keep every figure, date and name; keep the meaning and the "
    "register of the original."
)
CONTEXT = "\n\nFor context only (do not translate it):\n{lines}"
TITLE = "- the article's title: {title}"
PREVIOUS = "- the sentence before this one: {previous}"
GLOSSARY = ("\n\nGlossary: wherever the text contains one of these terms, use the English rendering given, "
            "exactly as written.\n{lines}")
TERM = "- {term} → {english}"
AVOID = " (never: {avoided})"
USER = "Translate into English:\n\n{source}"
# The signature carries this, so a changed prompt refreshes drafts nobody touched.
PROMPT_HASH = hashlib.sha256("\0".join(
    (SYSTEM, CONTEXT, TITLE, PREVIOUS, GLOSSARY, TERM, AVOID, USER)).encode()).hexdigest()[:8]

MAX_RETRY_AFTER = 300.0  # seconds: a server asking for a longer pause is reported, not waited for
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
_LABEL = re.compile(r"^(?:\*\*)?(?:english(?:\s+translation)?|translation(?:\s+into\s+english)?)\s*[:：]"
                    r"(?:\*\*)?\s*", re.IGNORECASE)
_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’", "「": "」", "『": "』", "«": "»"}


@dataclass(frozen=True)
class LLMRequest(Request):
    segment: int = 0
    system: str = ""
    user: str = ""


def system_prompt(hits: Sequence[TermHit], *, title: str = "", previous: str = "") -> str:
    """The system message for one segment: instructions, context and its glossary terms."""
    text = SYSTEM
    context = [TITLE.format(title=title)] if title else []
    if previous:
        context.append(PREVIOUS.format(previous=previous))
    if context:
        text += CONTEXT.format(lines="\n".join(context))
    terms: dict[tuple[str, str], tuple[str, ...]] = {}
    for hit in hits:
        key = (hit.surface, hit.term.english)
        terms[key] = tuple(dict.fromkeys((*terms.get(key, ()), *hit.term.avoid)))
    if terms:
        lines = [TERM.format(term=term, english=english)
                 + (AVOID.format(avoided=", ".join(f'"{a}"' for a in avoid)) if avoid else "")
                 for (term, english), avoid in terms.items()]
        text += GLOSSARY.format(lines="\n".join(lines))
    return text


def clean_answer(answer: str, source: str = "") -> str:
    """The translation in a model's answer: reasoning blocks, a label and wrapping quotes removed."""
    if "</think>" in answer.lower() and "<think>" not in answer.lower():
        # Some chat templates open the block in the prompt, so only its end reaches us.
        answer = answer[answer.lower().rindex("</think>") + len("</think>"):]
    text = _THINK.sub("", answer).strip()
    quoted_source = source.strip()[:1] in _QUOTES
    for _ in range(3):
        before = text
        text = _LABEL.sub("", text).strip()
        close = _QUOTES.get(text[:1])
        if (close and not quoted_source and len(text) > 1 and text.endswith(close)
                and close not in text[1:-1] and (close == text[0] or text[0] not in text[1:-1])):
            text = text[1:-1].strip()
        if text == before:
            break
    return " ".join(text.split())


class LLMEngine(Engine):
    name = "llm"
    inject_terms = False  # the model sees the source as written; the glossary goes in the system prompt

    def __init__(self, glossary=None, *, options: LLMOptions | None = None,
                 environ: Mapping[str, str] | None = None):
        super().__init__(glossary)
        if options is None:
            raise EngineError("the llm engine needs a server: set base_url and model in zhen.toml's [llm] "
                              "table, or ZHEN_LLM_BASE_URL and ZHEN_LLM_MODEL")
        self.options = options
        self.label = f"machine translation by {options.model}, an LLM"
        self.url = f"{options.base_url}/chat/completions"
        environ = os.environ if environ is None else environ
        self._key = ""
        if options.api_key_env:
            self._key = environ.get(options.api_key_env, "")
            if not self._key:
                raise EngineError(f"[llm] api_key_env names {options.api_key_env}, which is not set")
        self._progress: Progress = no_progress

    def identity(self) -> str:
        return f"model:{self.options.model}|prompt:{PROMPT_HASH}" + changed(self.options, self.options.OUTPUT)

    def requests(self, segments: Sequence[Segment], hits, context: Sequence[Segment]) -> list[Request]:
        ordered = sorted(context, key=lambda s: s.id)
        title = next((s.text for s in ordered if s.role == "title"), "")
        previous = {b.id: a.text for a, b in zip(ordered, ordered[1:])}
        out: list[Request] = []
        for seg in segments:
            seg_hits = tuple(hits.get(seg.id, ()))
            system = system_prompt(seg_hits, title="" if seg.text == title else title,
                                   previous=previous.get(seg.id, ""))
            out.append(LLMRequest(text=seg.text, n_best=1, avoid=(), segment=seg.id, system=system,
                                  user=USER.format(source=seg.text)))
        return out

    def draft(self, segments, hits=None, *, progress: Progress = no_progress, context=()):
        # Answers take seconds each: report them as they arrive, not after the last one.
        self._progress = progress
        try:
            return super().draft(segments, hits, context=context)
        finally:
            self._progress = no_progress

    def _translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        texts = asyncio.run(self._ask_all(requests))  # type: ignore[arg-type]  # built by requests()
        return [[Hypothesis(text)] for text in texts]

    async def _ask_all(self, requests: Sequence[LLMRequest]) -> list[str]:
        import httpx

        n = self.options.concurrency
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
        # A proxy from the environment cannot reach a server on this machine: bypass it there.
        host = httpx.URL(self.options.base_url).host
        loopback = host == "localhost" or host == "::1" or host.startswith("127.")
        done = 0
        async with httpx.AsyncClient(headers=headers, limits=limits, trust_env=not loopback,
                                     timeout=httpx.Timeout(self.options.timeout_s)) as client:
            slots = asyncio.Semaphore(n)

            async def one(request: LLMRequest) -> str:
                nonlocal done
                async with slots:
                    text = await self._ask(client, request)
                done += 1
                self._progress(done, len(requests))
                return text

            tasks = [asyncio.create_task(one(r)) for r in requests]
            try:
                return list(await asyncio.gather(*tasks))
            finally:
                # The first fault ends the article: stop the requests still in flight.
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _ask(self, client, request: LLMRequest) -> str:
        import httpx

        o = self.options
        body = {"model": o.model, "temperature": o.temperature, "stream": False,
                "messages": [{"role": "system", "content": request.system},
                             {"role": "user", "content": request.user}]}
        attempt = 0
        while True:
            try:
                response = await asyncio.wait_for(client.post(self.url, json=body), o.timeout_s)
            except (asyncio.TimeoutError, httpx.TimeoutException) as e:
                raise self._error(f"no answer within {o.timeout_s:g} s (timeout_s in [llm])") from e
            except httpx.ConnectError as e:
                raise self._error(f"cannot connect: {e or type(e).__name__}; is the server running?") from e
            except httpx.HTTPError as e:
                raise self._error(f"{type(e).__name__}: {e}") from e
            status = response.status_code
            if status == 429 or status >= 500:
                if attempt == o.max_retries:
                    raise self._error(f"HTTP {status} {response.reason_phrase} after {o.max_retries} "
                                      f"retries{_detail(response)}")
                await asyncio.sleep(self._delay(response, attempt))
                attempt += 1
                continue
            if status != 200:
                raise self._error(f"HTTP {status} {response.reason_phrase}{_detail(response)}"
                                  f"{await self._served(client) if status == 404 else ''}")
            return self._answer(response, request)

    def _delay(self, response, attempt: int) -> float:
        """Seconds to wait before retrying: the server's Retry-After, else 0.5, 1, 2 … up to 30."""
        asked = _retry_after(response.headers.get("retry-after"))
        if asked is None:
            return min(30.0, 0.5 * 2 ** attempt)
        if asked > MAX_RETRY_AFTER:
            raise self._error(f"HTTP {response.status_code}: the server asks to wait {asked:.0f} s before "
                              f"retrying; try again later")
        return asked

    def _answer(self, response, request: LLMRequest) -> str:
        try:
            data = response.json()
        except ValueError as e:
            raise self._error(f"the answer is not JSON ({len(response.content)} bytes: "
                              f"{response.text[:60]!r})") from e
        try:
            message = data["choices"][0]["message"]
            content = message["content"]
        except (KeyError, IndexError, TypeError) as e:
            raise self._error("the answer is not a chat completion (no choices[0].message.content)") from e
        if not isinstance(content, str):
            refusal = message.get("refusal") if isinstance(message, dict) else None
            raise self._error(f"the model refused segment {request.segment}: {refusal}" if refusal else
                              "the answer is not a chat completion (choices[0].message.content is not text)")
        text = clean_answer(content, request.text)
        if not text:
            raise self._error(f"the answer for segment {request.segment} holds no translation "
                              f"({content[:60]!r})")
        return text

    async def _served(self, client) -> str:
        """What a 404 means: a wrong base_url, or a model the server does not have."""
        url = f"{self.options.base_url}/models"
        try:
            response = await asyncio.wait_for(client.get(url), self.options.timeout_s)
            ids = [m["id"] for m in response.json()["data"]]
        except Exception:  # the diagnosis is a courtesy: without it the 404 still stands
            return ""
        if self.options.model in ids:
            return ""
        return f"; the server has no model {self.options.model!r}, it serves: {', '.join(map(str, ids)) or 'none'}"

    def _error(self, problem: str) -> EngineError:
        message = f"{self.url}: {problem}"
        if self._key:
            message = message.replace(self._key, "***")
        return EngineError(message)


def _detail(response) -> str:
    """The server's own error message, when it sent one, on one line."""
    try:
        error = response.json().get("error")
        text = error.get("message") if isinstance(error, dict) else error
    except (ValueError, AttributeError):
        text = response.text
    text = " ".join(str(text or "").split())
    return f": {text[:200]}" if text else ""


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
