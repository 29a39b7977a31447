"""devkit/llama_server.py: the server it starts never outlives the process that started it.

A stand-in server (a Python program that answers /health, as llama-server does) keeps
these tests free of llama.cpp; the one test that uses the real server is marked llama.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devkit import ROOT

STAND_IN = """
import http.server, json, sys
port = int(sys.argv[sys.argv.index("--port") + 1])
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
"""

# The parent starts the server, says its pid, then waits to be killed; a SIGTERM handler set before
# the server starts must still run after the server is stopped.
PARENT = """
import sys, time
from pathlib import Path
from devkit.llama_server import LlamaServer
command = None if sys.argv[1] == "real" else [sys.executable, sys.argv[1]]
server = LlamaServer(Path(sys.argv[2]), command=command).__enter__()
print(server._process.pid, flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state


def start_parent(tmp_path, server: str, model: str) -> tuple[subprocess.Popen, int]:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, server, model], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    line = parent.stdout.readline()
    assert line.strip().isdigit(), f"the parent said {line!r}"
    child = int(line)
    assert alive(child)
    return parent, child


def wait_gone(pid: int, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def stand_in(tmp_path) -> str:
    path = tmp_path / "stand_in_server.py"
    path.write_text(STAND_IN, encoding="utf-8")
    return str(path)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's death signal is Linux's")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_the_server_dies_with_its_parent(tmp_path, stand_in, how):
    parent, child = start_parent(tmp_path, stand_in, str(tmp_path / "model.gguf"))
    try:
        parent.send_signal(how)
        parent.wait(timeout=30)
        assert wait_gone(child), f"the server (pid {child}) outlived its parent killed by {how.name}"
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)


def test_sigterm_to_the_parent_runs_its_own_handler_after_stopping_the_server(tmp_path, stand_in):
    from devkit.llama_server import LlamaServer

    seen = []

    def mine(*_):
        seen.append(server._process.poll())

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        server = LlamaServer(tmp_path / "model.gguf", command=[sys.executable, stand_in]).__enter__()
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.5)  # the handler runs in the main thread between bytecodes
            assert seen and seen[0] is not None, "the server still ran when the parent's handler was called"
        finally:
            server.__exit__()
        assert signal.getsignal(signal.SIGTERM) is mine, "leaving restores the handler that was there before"
    finally:
        signal.signal(signal.SIGTERM, previous)


@pytest.mark.llama
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's death signal is Linux's")
def test_the_real_server_dies_with_its_parent(tmp_path):
    from devkit.llama_server import INSTRUCT, find_model

    parent, child = start_parent(tmp_path, "real", str(find_model(INSTRUCT)))
    try:
        parent.kill()
        parent.wait(timeout=30)
        assert wait_gone(child, 60), f"the llama.cpp server (pid {child}) outlived its parent"
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)
