"""Argos drafting three ways on a random-weight model of the zh→en package's size.

The model is a Transformer base (6+6 layers, d_model 512, 8 heads, FFN 2048,
32,000-entry vocabulary), as in Argos Translate's zh→en package, with random
weights; every hypothesis is forced to the same length, so the three ways do the
same decoding work and differ only in how it is driven:

- per segment: our engine called once per segment (what a naive loop does);
- batched: our engine called once for the article (what ``zhen translate`` does);
- raw: one ``ctranslate2.Translator.translate_batch`` on pre-tokenized input with
  the same settings, no zhen code at all: the floor for our overhead.

Each way runs in its own process, so its peak RSS is its own.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from devkit import ROOT, SAMPLE
from pipeline.engines.argos import cuda

DECODE_LENGTH = 48  # tokens per hypothesis, forced: min = max decoding length
ROUNDS = 3  # per-segment drafting, the slow baseline
ROUNDS_ALTERNATING = 5  # batched and raw, alternating in one process
MODES = ("per segment", "batched", "raw translate_batch")
UD_SETS = ("zh_pud-ud-test.conllu", "zh_gsd-ud-test.conllu", "zh_gsd-ud-dev.conllu")
# Ours and raw translate_batch at each of these tokens per batch (zhen's defaults
# among them); the fastest raw setting is the floor zhen is held to.
RAW_BATCH_TOKENS = tuple(sorted({1024, 4096, 8192, 32768, *cuda.BATCH_TOKENS.values()}))


def raw_mode(batch_tokens: int) -> str:
    return f"raw at {batch_tokens}"


def ours_mode(batch_tokens: int) -> str:
    return f"ours at {batch_tokens}"


OUTSIDE = "ours, outside decoding"  # our draft at the default batch size, timed around CTranslate2's work
SWEEP = [OUTSIDE, *(mode(n) for n in RAW_BATCH_TOKENS for mode in (ours_mode, raw_mode))]


def build(folder: Path) -> Path:
    """Build and install the random-weight package; returns the packages folder."""
    from bench.ud import UD, sentences
    from pipeline.engines.argos.packages import install
    from devkit.random_argos_package import build_package

    lines = [t for name in ("zh_pud-ud-test.conllu", "zh_gsd-ud-test.conllu", "en_pud-ud-test.conllu")
             for _, t in sentences(UD / name)]
    lines += [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if len(line) > 5]
    archive = build_package(folder / "translate-zh_en-base.argosmodel", lines, vocab_size=8000,
                            model_vocab=32_000, layers=6, d_model=512, heads=8, ffn=2048,
                            folder="translate-zh_en-base", version="bench")
    packages = folder / "packages"
    install(archive, directory=packages)
    return packages


def segments_of(corpus: str):
    """The sample article's segments, or the 2,000 sentences of UD Chinese PUD and GSD test and dev."""
    from pipeline.text import script
    from pipeline.model import Segment
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    if corpus == "sample":
        return script.normalize(segment(read_article(SAMPLE)))
    from bench.ud import UD, sentences

    texts = [t for name in UD_SETS for _, t in sentences(UD / name)]
    return script.normalize([Segment(i, i, i, "body", t) for i, t in enumerate(texts, start=1)])


def worker(modes: list[str], rounds: int, device: str = "cpu", corpus: str = "sample") -> dict:
    """Run in a fresh process with ARGOS_PACKAGES_DIR set: time the given ways of drafting.

    Several ways in one process alternate round by round, so a busy moment on a
    shared machine hits them alike; the best round of each counts.
    """
    from pipeline.engines.argos.engine import ArgosEngine, ArgosOptions
    from pipeline.glossary.table import load_glossary

    glossary = load_glossary(ROOT / "glossary")
    segments = segments_of(corpus)
    hits = glossary.match_segments(segments)
    options = ArgosOptions(min_decoding_length=DECODE_LENGTH, max_decoding_length=DECODE_LENGTH,
                           intra_threads=os.cpu_count() or 1, device=device)
    engine = ArgosEngine(glossary, options=options)
    translator, _ = engine._load()  # loading the model is not what is measured
    n_best = max(1, options.n_best) if any(hits.values()) else 1
    requests = engine.requests(segments, hits, segments)
    # The engine's own input: the same pieces, in its longest-first order, with the
    # avoided renderings it suppresses, so raw and ours decode exactly the same batches.
    tokens = sorted((toks for r in requests for toks, _ in engine._pieces(r.text)), key=lambda t: -len(t))
    kwargs = dict(beam_size=max(options.beam_size, n_best), num_hypotheses=n_best, return_scores=True,
                  batch_type="tokens", min_decoding_length=DECODE_LENGTH, max_decoding_length=DECODE_LENGTH)
    suppress = engine._suppressions(requests)
    if suppress:
        kwargs["suppress_sequences"] = suppress

    def raw(batch_tokens: int):
        return lambda: translator.translate_batch(tokens, max_batch_size=batch_tokens, **kwargs)

    def ours(batch_tokens: int):
        sized = ArgosEngine(glossary, package=engine.info, options=replace(options, max_batch_tokens=batch_tokens))
        sized._translator, sized._package = engine._load()  # one model in memory, shared as raw shares it
        return lambda: sized.draft(segments, hits)

    ways = {
        "per segment": lambda: [engine.draft([seg], {seg.id: hits.get(seg.id, ())}) for seg in segments],
        "batched": lambda: engine.draft(segments, hits),
        "raw translate_batch": raw(engine.max_batch_tokens),
    }
    for n in RAW_BATCH_TOKENS:
        if ours_mode(n) in modes:
            ways[ours_mode(n)] = ours(n)
        ways[raw_mode(n)] = raw(n)
    outside = {"before": float("inf"), "after": float("inf")}

    def outside_decoding():
        timed = _Timed(translator)
        engine._translator = timed
        try:
            start = time.perf_counter()
            engine.draft(segments, hits)
            end = time.perf_counter()
        finally:
            engine._translator = translator
        outside["before"] = min(outside["before"], timed.submitted - start)
        outside["after"] = min(outside["after"], end - timed.received)

    ways[OUTSIDE] = outside_decoding
    loaded = _peak_rss_mb()
    _reset_peak_rss()
    best = {m: float("inf") for m in modes}
    for _ in range(rounds):
        for m in modes:
            start = time.perf_counter()
            ways[m]()
            best[m] = min(best[m], time.perf_counter() - start)
    return {"seconds": best, "segments": len(segments), "peak_rss_load_mb": loaded,
            "peak_rss_drafting_mb": _peak_rss_mb(), "batch_tokens": engine.max_batch_tokens,
            "compute_type": engine.compute_type, "outside_decoding": outside if OUTSIDE in modes else None}


class _Timed:
    """The real translator, noting when the engine hands it the batch and when the last result reaches the engine.

    What the engine does before the first time and after the second is work a GPU
    cannot hide: it waits for it, however fast it decodes.
    """

    def __init__(self, translator):
        self._translator = translator
        self.submitted = 0.0
        self.received = 0.0

    def translate_batch(self, *args, **kwargs):
        self.submitted = time.perf_counter()
        out = self._translator.translate_batch(*args, **kwargs)
        return [_TimedResult(r, self) for r in out] if kwargs.get("asynchronous") else self._received(out)

    def _received(self, value):
        self.received = max(self.received, time.perf_counter())
        return value

    def __getattr__(self, name):
        return getattr(self._translator, name)


class _TimedResult:
    def __init__(self, pending, owner: _Timed):
        self._pending, self._owner = pending, owner

    def result(self):
        return self._owner._received(self._pending.result())


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss() -> None:
    # Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0), so the next reading is
    # the peak while drafting, not the peak while loading the model.
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def build_tiny(folder: Path) -> Path:
    """The tests' tiny real package, installed; returns the packages folder.

    For measuring zhen's own work (preparing, tokenizing, detokenizing, repair and
    verification) on many sentences: that work does not depend on the model's
    size, and with a tiny model decoding does not drown it.
    """
    from devkit.random_argos_package import TINY_LINES, build_package
    from pipeline.engines.argos.packages import install

    packages = folder / "tiny-packages"
    install(build_package(folder / "translate-zh_en-tiny.argosmodel", TINY_LINES), directory=packages)
    return packages


def measure_own_work(tiny_packages: Path) -> dict:
    """Ours and raw translate_batch at each batch size, alternating, on the 2,000 UD sentences with the tiny model."""
    return _run(tiny_packages, SWEEP, ROUNDS_ALTERNATING, corpus="ud")


def _run(packages: Path, modes: list[str], rounds: int, device: str = "cpu", corpus: str = "sample") -> dict:
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "bench.argos", str(rounds), device, corpus, *modes], env=env,
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def gpu_unavailable() -> str | None:
    """Why the GPU row cannot run here, or None when it can."""
    import ctranslate2

    from pipeline.engines.argos import cuda
    from pipeline.errors import EngineError

    if ctranslate2.get_cuda_device_count() == 0:
        return "CTranslate2 sees no CUDA device on this machine"
    try:
        cuda.ensure_library()
    except EngineError as e:
        return str(e)
    return None


def measure_gpu(packages: Path) -> dict:
    """As measure_own_work, on CUDA with the random-weight base model and the device's defaults."""
    return _run(packages, SWEEP, ROUNDS_ALTERNATING, device="cuda", corpus="ud")


def against_raw(result: dict) -> dict:
    """From one sweep: ours at the device's default batch size, raw at the same size, and the fastest raw setting."""
    seconds = result["seconds"]
    raws = {n: seconds[raw_mode(n)] for n in RAW_BATCH_TOKENS}
    fastest = min(raws, key=raws.get)
    default = result["batch_tokens"]
    return {"default": default, "ours": seconds[ours_mode(default)], "raw_same": raws[default],
            "fastest": fastest, "raw_fastest": raws[fastest]}


def measure(packages: Path) -> list[dict]:
    """Per way: best seconds and peak RSS. Each way's memory is measured in a process
    of its own; batched and raw are timed together, alternating."""
    alone = {m: _run(packages, [m], ROUNDS if m == "per segment" else 1) for m in MODES}
    together = _run(packages, ["batched", "raw translate_batch"], ROUNDS_ALTERNATING)
    out = []
    for m in MODES:
        r = alone[m]
        seconds = r["seconds"][m] if m == "per segment" else together["seconds"][m]
        out.append({"mode": m, "segments": r["segments"], "seconds": seconds,
                    "peak_rss_load_mb": r["peak_rss_load_mb"], "peak_rss_drafting_mb": r["peak_rss_drafting_mb"]})
    return out


if __name__ == "__main__":
    print(json.dumps(worker(sys.argv[4:], int(sys.argv[1]), device=sys.argv[2], corpus=sys.argv[3])))
