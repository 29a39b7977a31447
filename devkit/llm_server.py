"""A loopback OpenAI-compatible server: the network peer of the LLM engine in tests and the bench.

It implements the two endpoints OpenAI's API reference describes and local
servers (Ollama, llama-server, vLLM) copy:

- ``GET {base}/models``: ``{"object": "list", "data": [{"id", "object": "model", "created", "owned_by"}]}``;
- ``POST {base}/chat/completions`` with ``{"model", "messages": [{"role", "content"}], "temperature"?, ...}``,
  answered with ``{"id", "object": "chat.completion", "created", "model",
  "choices": [{"index", "message": {"role": "assistant", "content", "refusal"}, "logprobs", "finish_reason"}],
  "usage": {"prompt_tokens", "completion_tokens", "total_tokens"}}``; errors as
  ``{"error": {"message", "type", "param", "code"}}``.

Every request's shape is checked; what is wrong is recorded in ``problems`` (a
test asserts it stays empty) and answered with 400, as the real API does. The
English is deterministic (``answer(source)``), the latency random within
``latency`` (or fixed), so that answers arrive out of order. ``faults`` maps a
source text to the misbehaviours to show for it, one per request, in order:
``429`` (with ``Retry-After``), ``500``, ``hang``, ``malformed`` (not JSON),
``shape`` (JSON without ``choices``), ``think`` (the answer wrapped in a
reasoning block, a label and quotes), ``runaway`` (a model that does not stop:
the answer runs to ``max_tokens`` and ends with ``finish_reason: "length"``),
``turns`` (the answer, then the turn markers and another turn of a model whose
chat template the server does not apply), ``tokens`` (turn markers alone),
``echo`` (the prompt repeated), ``ctrl`` (a control character inside),
``surrogate`` (a lone surrogate escaped in the JSON), ``latin1`` (bytes that are
not UTF-8), ``endless`` (an answer streamed without end, until the client hangs
up or 256 MiB have gone) and ``huge`` (a Content-Length of 800 MB). ``props``, when given, is
served as ``GET /props``, where llama-server says how many parallel slots it has.

A "token" here is four characters of the answer: ``max_tokens`` cuts the
answer there, and ``usage.completion_tokens`` counts them. A follow-up (a
conversation with more than one user message) is answered with
``follow_up(source, last message)``, by default ``answer(source)`` again.
"""

from __future__ import annotations

import http.server
import json
import random
import socket
import threading
import time
from collections.abc import Callable

VALID_ROLES = {"system", "user", "assistant", "developer"}


def echo(source: str) -> str:
    """A deterministic 'translation' that says which source it answers."""
    return f"EN<{source}>"


class LLMServer:
    def __init__(self, *, model: str = "test-model", key: str | None = None,
                 answer: Callable[[str], str] = echo, latency: tuple[float, float] = (0.0, 0.0),
                 faults: dict[str, list[str]] | None = None, retry_after: str = "1", prefix: str = "/v1",
                 seed: int = 0, follow_up: Callable[[str, str], str] | None = None, props: bytes | None = None):
        self.model, self.key, self.answer, self.latency = model, key, answer, latency
        self.follow_up = follow_up or (lambda source, message: answer(source))
        self.faults = {k: list(v) for k, v in (faults or {}).items()}
        self.retry_after, self.prefix = retry_after, prefix
        self.props = props  # the body of GET /props, as llama-server serves it; None: 404, as other servers do
        self.requests: list[dict] = []  # every chat request body, in arrival order
        self.sent_bytes = 0  # of the endless answers, before the client hung up
        self.headers: list[dict] = []
        self.finished: list[str] = []  # sources in the order their answers were sent
        self.times: dict[str, list[float]] = {}  # source → arrival time of each attempt
        self.problems: list[str] = []
        self.in_flight = self.peak = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.prefix}"

    def __enter__(self) -> LLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()  # let hanging handlers finish
        self._server.shutdown()
        self._server.server_close()

    def _delay(self) -> float:
        lo, hi = self.latency
        with self._lock:
            return lo if lo == hi else self._rng.uniform(lo, hi)

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                # Headers and body leave in two writes; without this, Nagle's algorithm and the
                # client's delayed ACK add about 40 ms to every answer, which no real server has.
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, obj: dict, headers: dict | None = None) -> None:
                self._send(status, json.dumps(obj).encode(), headers)

            def _error(self, status: int, message: str, kind: str, code: str | None = None,
                       param: str | None = None, headers: dict | None = None) -> None:
                self._json(status, {"error": {"message": message, "type": kind, "param": param, "code": code}},
                           headers)

            def _authorized(self) -> bool:
                if server.key is None:
                    return True
                if self.headers.get("Authorization") == f"Bearer {server.key}":
                    return True
                # Quoting the key back, as some servers do: the client must keep it out of its messages.
                given = self.headers.get("Authorization", "").removeprefix("Bearer ")
                self._error(401, f"Incorrect API key provided: {given}.", "invalid_request_error", "invalid_api_key")
                return False

            def do_GET(self):
                if self.path == "/_stats":  # not OpenAI's: how the bench reads a server in another process
                    with server._lock:
                        stats = {"requests": len(server.requests), "peak": server.peak, "problems": server.problems}
                    server.peak = 0
                    return self._json(200, stats)
                if self.path == server.prefix.removesuffix("/v1") + "/props" and server.props is not None:
                    return self._send(200, server.props)
                if self.path != f"{server.prefix}/models":
                    return self._error(404, f"Unknown path {self.path}", "invalid_request_error")
                if self._authorized():
                    self._json(200, {"object": "list", "data": [
                        {"id": server.model, "object": "model", "created": 1767225600, "owned_by": "zhen-tests"}]})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path != f"{server.prefix}/chat/completions":
                    return self._error(404, f"Unknown path {self.path}", "invalid_request_error")
                with server._lock:
                    server.headers.append(dict(self.headers))
                if not self._authorized():
                    return
                problem = self._check(raw)
                if problem:
                    with server._lock:
                        server.problems.append(problem)
                    return self._error(400, problem, "invalid_request_error")
                body = json.loads(raw)
                if body["model"] != server.model:
                    return self._error(404, f"The model `{body['model']}` does not exist.", "invalid_request_error",
                                       "model_not_found", "model")
                # The segment's source is in the first user message; a follow-up adds more after it.
                source = next(m for m in body["messages"] if m["role"] == "user")["content"].split("\n\n", 1)[-1]
                with server._lock:
                    server.requests.append(body)
                    server.times.setdefault(source, []).append(time.monotonic())
                    fault = server.faults[source].pop(0) if server.faults.get(source) else None
                    server.in_flight += 1
                    server.peak = max(server.peak, server.in_flight)
                try:
                    time.sleep(server._delay())
                    self._reply(fault, body, source)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _reply(self, fault: str | None, body: dict, source: str) -> None:
                if fault == "429":
                    return self._error(429, "Rate limit reached.", "requests", "rate_limit_exceeded",
                                       headers={"Retry-After": server.retry_after})
                if fault == "500":
                    return self._error(500, "The server had an error.", "server_error")
                if fault == "hang":
                    server._release.wait(60)
                    return
                if fault == "malformed":
                    return self._send(200, b'{"id": "chatcmpl-1", "choices": [{"message": ')
                if fault == "shape":
                    return self._json(200, {"id": "chatcmpl-1", "object": "chat.completion", "result": "hello"})
                if fault == "huge":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(800_000_000))
                    self.end_headers()
                    self.wfile.write(b'{"choices": [{"message": {"content": "' + b"a" * 65536)
                    return
                if fault == "endless":
                    return self._endless()
                users = [m for m in body["messages"] if m["role"] == "user"]
                content = (server.answer(source) if len(users) == 1
                           else server.follow_up(source, users[-1]["content"]))
                content = {
                    "think": f"<think>\nThe user wants English. 天津 is Tianjin.\n</think>\n\nTranslation: “{content}”",
                    "runaway": f"{content} " + "and so on " * 100_000,
                    "turns": f"{content}<|im_end|>\n<|im_start|>reporter\n{source}<|im_end|>\n<|im_start|>assistant\n",
                    "tokens": "<|im_start|>assistant\n<|im_end|>\n<|im_start|>assistant\n<|im_end|>",
                    "echo": body["messages"][-1]["content"],
                    "ctrl": content[:3] + "\x04" + content[3:],
                }.get(fault or "", content)
                limit = body.get("max_tokens")
                finish = "stop"
                if isinstance(limit, int) and len(content) > 4 * limit:
                    content, finish = content[:4 * limit], "length"
                tokens = -(-len(content) // 4)
                reply = json.dumps({
                    "id": f"chatcmpl-{len(server.requests)}", "object": "chat.completion",
                    "created": int(time.time()), "model": body["model"], "system_fingerprint": None,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None},
                                 "logprobs": None, "finish_reason": finish}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": tokens, "total_tokens": 10 + tokens},
                }).encode()
                if fault == "surrogate":
                    reply = reply.replace(b'"content": "', b'"content": "\\ud800', 1)
                if fault == "latin1":
                    reply = reply.replace(b'"content": "', b'"content": "caf\xe9 ', 1)
                self._send(200, reply)
                with server._lock:
                    server.finished.append(source)

            def _endless(self) -> None:
                """An answer that never ends, sent in chunks until the client hangs up (or 256 MiB)."""
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                piece = b"and so on " * 6554
                chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
                try:
                    self.wfile.write(b'5\r\n{"id"\r\n')
                    for _ in range(4096):
                        self.wfile.write(chunk)
                        with server._lock:
                            server.sent_bytes += len(piece)
                except OSError:
                    pass  # the client hung up, as it should
                self.close_connection = True

            def _check(self, raw: bytes) -> str | None:
                if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                    return f"Content-Type is {self.headers.get('Content-Type')!r}, not application/json"
                try:
                    body = json.loads(raw)
                except ValueError:
                    return "body is not JSON"
                if not isinstance(body, dict):
                    return "body is not a JSON object"
                if not isinstance(body.get("model"), str) or not body["model"]:
                    return "missing required parameter: 'model'"
                messages = body.get("messages")
                if not isinstance(messages, list) or not messages:
                    return "'messages' must be a non-empty array"
                for m in messages:
                    if not isinstance(m, dict) or m.get("role") not in VALID_ROLES:
                        return f"invalid message {m!r}"
                    if not isinstance(m.get("content"), str):
                        return f"message content must be a string: {m!r}"
                if messages[-1]["role"] != "user":
                    return "the last message must be the user's"
                t = body.get("temperature", 1)
                if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= 2:
                    return f"temperature {t!r} is not a number from 0 to 2"
                n = body.get("max_tokens")
                if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
                    return f"max_tokens {n!r} is not a whole number above 0"
                if body.get("stream") not in (None, False):
                    return "streaming was not asked for by this test"
                return None

        return Handler


def main() -> None:
    """Serve until stdin closes: ``python -m devkit.llm_server LATENCY_S [SLOTS]`` prints the base URL, then
    serves; with SLOTS, ``/props`` says the server has that many parallel slots, as llama-server does."""
    import sys

    latency = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    props = json.dumps({"total_slots": int(sys.argv[2])}).encode() if len(sys.argv) > 2 else None
    with LLMServer(latency=(latency, latency), props=props) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
