"""The LLM engine against a loopback OpenAI-compatible server with a fixed latency.

The server (``devkit/llm_server.py``, in a process of its own so that it does
not share the engine's interpreter) answers every chat completion after the same
delay, as a model that takes that long per sentence would, and serves requests
in parallel, as vLLM or ``llama-server --parallel N`` do. What is
measured is how well the engine keeps ``concurrency`` requests in flight: the
sample article's 45 segments, drafted end to end by ``LLMEngine.draft`` (prompt
building, HTTP, answer cleaning, repair and verification), at each concurrency;
and ``translate`` over many short articles, one at a time against several in flight,
whose requests share the server's slots (``pipeline/engines/llm_channel.py``).
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


ARTICLES, ARTICLE_SENTENCES, SLOTS = 40, 3, 8  # short articles: fewer sentences than the server has slots


def measure_articles(articles: int = ARTICLES, sentences: int = ARTICLE_SENTENCES, slots: int = SLOTS,
                     latency: float = LATENCY) -> dict[str, dict]:
    """``translate`` over short articles of PUD sentences against a server of ``slots`` parallel slots
    (which it reports in /props), one article at a time and with articles in flight (the default):
    wall seconds, and the most requests the server saw at once. No glossary, so one request per sentence."""
    import tempfile
    from pathlib import Path

    from bench.ud import UD, sentences as read
    from pipeline.engines.options import LLMOptions
    from pipeline.glossary.table import Glossary
    from pipeline.model import ArticleResult
    from pipeline.session import Settings, open_run, read_settings
    from pipeline.workspace.articles import resolve

    pool = [t for _, t in read(UD / "zh_pud-ud-test.conllu")]
    out = {}
    server = subprocess.Popen([sys.executable, "-m", "devkit.llm_server", str(latency), str(slots)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base_url = server.stdout.readline().strip()
        stats_url = base_url.rsplit("/", 1)[0] + "/_stats"
        settings = Settings(argos=read_settings(None).argos, llm=LLMOptions(base_url=base_url, model="test-model"),
                            min_score=read_settings(None).min_score)
        # A warm-up first: the lexicons the QA checks load on first use are the process's, not a run's.
        for label, inflight, count in (("warm-up", 1, 2), ("one at a time", 1, articles), ("in flight", None, articles)):
            with tempfile.TemporaryDirectory() as tmp:
                folders = []
                for a in range(count):
                    folder = Path(tmp) / f"a{a:03d}"
                    folder.mkdir()
                    first = (a if label != "warm-up" else articles + a) * sentences  # other sentences
                    chunk = pool[first:first + sentences]
                    (folder / "source.zh.txt").write_text("\n".join(chunk) + "\n", encoding="utf-8")
                    folders.append(resolve(folder))
                run = open_run(settings, glossary=Glossary(()), engine="llm")
                start = time.perf_counter()
                results = list(run.translate_all(folders, glossary_files=[], inflight=inflight))
                seconds = time.perf_counter() - start
            with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(stats_url) as response:
                stats = json.load(response)
            drafted = sum(r.drafted for r in results if isinstance(r, ArticleResult))
            if drafted != count * sentences or stats["problems"]:
                raise SystemExit(f"LLM articles bench: {drafted} drafts for {count * sentences} sentences; "
                                 f"{stats['problems']}")
            if label != "warm-up":
                out[label] = {"articles": articles, "segments": drafted, "seconds": seconds, "peak": stats["peak"]}
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    return out


REAL_PAIRS, REAL_SEED = 100, 1  # `zhen eval --limit 100 --seed 1`
# A 135M model rambles: at temperature 0 it goes on after its one-line answer with a blank line and
# more ("The translation is: …"), so "\n\n" ends the answer, and 128 tokens bound the rest.
REAL_MAX_TOKENS = 128
REAL_STOP = ("\n\n",)


def real_server_available() -> bool:
    from devkit.llama_server import INSTRUCT, find_model, find_server

    return find_server() is not None and find_model(INSTRUCT) is not None


def real_options(server, concurrency: int):
    from pipeline.engines.llm import LLMOptions

    return LLMOptions(base_url=server.base_url, model=server.model_name, concurrency=concurrency, timeout_s=600.0,
                      max_tokens=REAL_MAX_TOKENS, stop=REAL_STOP, temperature=0.0)


def measure_sample(options) -> dict:
    """The sample article's glossary compliance in the first answers and after the follow-up question."""
    from pipeline.engines.base import Fault
    from pipeline.engines.llm import LLMEngine
    from pipeline.glossary.enforcement import repair, verify
    from pipeline.glossary.table import load_glossary
    from pipeline.text import script
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    glossary = load_glossary(ROOT / "glossary")
    engine = LLMEngine(glossary, options=options)
    segments = script.normalize(segment(read_article(SAMPLE)))
    hits = glossary.match_segments(segments)
    requests = engine.requests(segments, hits, segments)
    started = time.perf_counter()
    required = first = chosen = faults = cut = 0
    spent: list = []
    for seg, answer in zip(segments, engine.answers(requests, usage=spent.append)):
        seg_hits = hits.get(seg.id, ())
        wanted = len({h.term.english for h in seg_hits})
        required += wanted
        if isinstance(answer, Fault):
            faults += 1
            cut += "cut off" in answer.reason
            continue
        before = verify(repair(answer[0].text, seg_hits)[0], seg_hits)[0]
        _, _, (after, _) = engine.choose(answer, seg_hits)
        first += wanted - len(before)
        chosen += wanted - len(after)
    return {"segments": len(segments), "required": required, "before": first, "after": chosen,
            "faults": faults, "cut_off": cut, "usage": spent[0], "seconds": time.perf_counter() - started}


def measure_eval(options, pairs: int = REAL_PAIRS, seed: int = REAL_SEED) -> dict:
    """`zhen eval` on PUD with the LLM engine, next to the dictionary engine on the same pairs."""
    from pipeline import evaluate as ev
    from pipeline.engines.dictionary.engine import DictionaryEngine
    from pipeline.engines.llm import LLMEngine
    from pipeline.glossary.table import load_glossary

    glossary = load_glossary(ROOT / "glossary")
    chosen_pairs = ev.subset(ev.pud_pairs(), limit=pairs, seed=seed)
    llm_result, _ = ev.evaluate(chosen_pairs, LLMEngine(glossary, options=options), glossary=glossary,
                                test_set="PUD zh→en")
    dictionary, _ = ev.evaluate(chosen_pairs, DictionaryEngine(glossary), glossary=glossary, test_set="PUD zh→en")
    return {"llm": llm_result, "dictionary": dictionary, "untranslated": llm_result.untranslated,
            "pairs": len(chosen_pairs), "seed": seed}


def measure_real(pairs: int = REAL_PAIRS, seed: int = REAL_SEED, concurrency: int = 2) -> dict:
    """A real llama.cpp server with the instruct model from PyPI: the sample article's glossary
    compliance before and after the follow-up question, and `zhen eval` on PUD next to the
    dictionary engine on the same pairs."""
    from devkit.llama_server import INSTRUCT, LlamaServer, find_model

    model = find_model(INSTRUCT)
    with LlamaServer(model, parallel=concurrency) as server:
        options = real_options(server, concurrency)
        sample = measure_sample(options)
        quality = measure_eval(options, pairs, seed)
    return {"model": model.name, "settings": {"max_tokens": REAL_MAX_TOKENS, "stop": REAL_STOP, "temperature": 0,
                                              "concurrency": concurrency, "threads": 1},
            "sample": sample, **quality}


if __name__ == "__main__":
    # python -m bench.llm sample|eval [pairs]: one part of the real-server row, printed as JSON.
    import dataclasses

    from devkit.llama_server import INSTRUCT, LlamaServer, find_model

    part = sys.argv[1]
    with LlamaServer(find_model(INSTRUCT), parallel=2) as server:
        opts = real_options(server, 2)
        got = measure_sample(opts) if part == "sample" else measure_eval(opts, int(sys.argv[2]))
    print(json.dumps(got, default=lambda o: dataclasses.asdict(o) if dataclasses.is_dataclass(o) else str(o),
                     indent=1))
