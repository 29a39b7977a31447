"""Bounded HTTP fetches for `zhen model download`.

Every fetch has an overall deadline, a stall timeout and a byte cap. Socket
timeouts alone bound each read, not the whole exchange: a server that sends
one byte every few seconds, in its headers or its body, would hold a plain
``urlopen(...).read()`` for ever, and an endless body would fill memory. Here a
timer shuts the connection's socket down when the deadline passes, which ends
any read blocked on it, and the body is read chunk by chunk against the cap.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlsplit

from pipeline.errors import ModelError

STALL_SECONDS = 10  # no byte for this long: the peer is gone
CHUNK = 1 << 16
OFFLINE_HINT = "offline, install a package file instead: zhen model install FILE.argosmodel"


@dataclass(frozen=True)
class Limits:
    """What one fetch may cost: wall-clock seconds overall, seconds without a byte, bytes."""

    deadline: float
    max_bytes: int
    stall: float = STALL_SECONDS


INDEX_LIMITS = Limits(deadline=60, max_bytes=8 * 1024**2)  # the real index is about 100 KB
PACKAGE_LIMITS = Limits(deadline=30 * 60, max_bytes=2 * 1024**3)  # real packages are 100-500 MB


class _Watchdog:
    """Shuts down every socket it was given once ``seconds`` have passed."""

    def __init__(self, seconds: float):
        self.expired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                _shutdown(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                _shutdown(sock)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(base: type[http.client.HTTPConnection], watchdog: _Watchdog) -> type[http.client.HTTPConnection]:
    class Connection(base):  # type: ignore[valid-type, misc]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            create = self._create_connection  # how http.client opens its socket, TLS or not
            self._create_connection = lambda *a, **k: watchdog.track(create(*a, **k))

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req):
        return self.do_open(_watched(http.client.HTTPConnection, self.watchdog), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def https_open(self, req):
        return self.do_open(_watched(http.client.HTTPSConnection, self.watchdog), req, context=self._context)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Redirects stay on HTTP(S): no ftp:, file: or data: behind an index's back."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl, "redirect target")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_url(url: object, what: str) -> str:
    if not isinstance(url, str) or urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
        raise ModelError(f"the {what} {url!r} is not an http(s) URL")
    return url


def fetch(url: str, out: IO[bytes], *, what: str, limits: Limits) -> int:
    """Copy the body at ``url`` into ``out`` within ``limits``; return the byte count."""
    check_url(url, what + " URL")
    started = time.monotonic()
    with _Watchdog(limits.deadline) as watchdog:
        opener = urllib.request.build_opener(_HTTPHandler(watchdog), _HTTPSHandler(watchdog), _RedirectHandler())
        try:
            with opener.open(url, timeout=limits.stall) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                    raise ModelError(f"the {what} at {url} is {int(declared)} bytes, over the "
                                     f"{limits.max_bytes}-byte limit")
                total = 0
                while chunk := response.read1(CHUNK):
                    total += len(chunk)
                    if total > limits.max_bytes:
                        raise ModelError(f"the {what} at {url} is over the {limits.max_bytes}-byte limit; stopped")
                    out.write(chunk)
        except ModelError:
            raise
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as e:
            if watchdog.expired:
                raise _late(url, what, limits) from e
            reason = (f"HTTP {e.code} {e.reason}" if isinstance(e, urllib.error.HTTPError)
                      else getattr(e, "reason", None) or e)
            raise ModelError(f"cannot download the {what} from {url} ({reason}); {OFFLINE_HINT}") from e
        if watchdog.expired or time.monotonic() - started > limits.deadline:
            raise _late(url, what, limits)
    if declared and declared.isdigit() and total != int(declared):
        raise ModelError(f"the {what} at {url} ended after {total} of {declared} bytes")
    return total


def _late(url: str, what: str, limits: Limits) -> ModelError:
    return ModelError(f"the {what} at {url} did not arrive within {limits.deadline:g} s; stopped ({OFFLINE_HINT})")


def _version_key(entry: dict) -> list[int]:
    return [int(x) if x.isdigit() else 0 for x in str(entry.get("package_version", "0")).split(".")]


def choose_link(index: object, *, url: str, from_code: str, to_code: str) -> str:
    """The download link of the newest from→to package in an argospm index, checked for shape."""
    if not isinstance(index, list):
        raise ModelError(f"the package index at {url} is not a list of packages (it is JSON {type(index).__name__})")
    chosen = [e for e in index if isinstance(e, dict) and e.get("from_code") == from_code
              and e.get("to_code") == to_code and e.get("type", "translate") == "translate"]
    if not chosen:
        raise ModelError(f"the package index at {url} lists no {from_code}→{to_code} package")
    links = max(chosen, key=_version_key).get("links")
    if not isinstance(links, list) or not links:
        raise ModelError(f"the {from_code}→{to_code} package in the index at {url} has no list of download links")
    return check_url(links[0], "package link")


def read_index(url: str, *, limits: Limits = INDEX_LIMITS) -> object:
    body = io.BytesIO()
    fetch(url, body, what="package index", limits=limits)
    try:
        return json.loads(body.getvalue())
    except (ValueError, RecursionError) as e:  # nesting deep enough to exhaust the parser is not an index
        raise ModelError(f"package index at {url} is not JSON: {e}") from e
