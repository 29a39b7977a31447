"""The LLM engine against a loopback OpenAI-compatible server with a fixed latency.

The server (``devkit/llm_server.py``, in a process of its own so that it does
not share the engine's interpreter) answers every chat completion after the same
delay, as a model that takes that long per sentence would, and serves requests
in parallel, as vLLM or ``llama-server --parallel N`` do. What is
measured is how well the engine keeps ``concurrency`` requests in flight: the
sample article's 45 segments, drafted end to end by ``LLMEngine.draft`` (prompt
building, HTTP, answer cleaning, repair and verification), at each concurrency.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

from devkit import ROOT, SAMPLE

LATENCY = 0.2  # seconds per answer
CONCURRENCY = (1, 4, 8)


def measure(concurrency: tuple[int, ...] = CONCURRENCY, latency: float = LATENCY) -> dict[int, dict]:
    """Seconds to draft the sample article at each concurrency, and the most requests seen in flight."""
    from pipeline.text import script
    from pipeline.engines.llm import LLMEngine
    from pipeline.glossary.table import load_glossary
    from pipeline.engines.llm import LLMOptions
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    glossary = load_glossary(ROOT / "glossary")
    segments = script.normalize(segment(read_article(SAMPLE)))
    hits = glossary.match_segments(segments)
    out = {}
    server = subprocess.Popen([sys.executable, "-m", "devkit.llm_server", str(latency)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base_url = server.stdout.readline().strip()
        stats_url = base_url.rsplit("/", 1)[0] + "/_stats"
        for n in concurrency:
            engine = LLMEngine(glossary, options=LLMOptions(base_url=base_url, model="test-model", concurrency=n))
            start = time.perf_counter()
            drafts = engine.draft(segments, hits, context=segments)
            seconds = time.perf_counter() - start
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(stats_url) as response:
                stats = json.load(response)
            if len(drafts) != len(segments) or stats["problems"]:
                raise SystemExit(f"LLM bench: {len(drafts)} drafts for {len(segments)} segments; {stats['problems']}")
            out[n] = {"segments": len(segments), "seconds": seconds, "peak": stats["peak"]}
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    return out
