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
from pathlib import Path

from devkit import ROOT, SAMPLE

DECODE_LENGTH = 48  # tokens per hypothesis, forced: min = max decoding length
ROUNDS = 3  # per-segment drafting, the slow baseline
ROUNDS_ALTERNATING = 5  # batched and raw, alternating in one process
MODES = ("per segment", "batched", "raw translate_batch")


def build(folder: Path) -> Path:
    """Build and install the random-weight package; returns the packages folder."""
    from bench.ud import UD, sentences
    from pipeline.engines.packages import install
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


def worker(modes: list[str], rounds: int) -> dict:
    """Run in a fresh process with ARGOS_PACKAGES_DIR set: time the given ways of drafting.

    Several ways in one process alternate round by round, so a busy moment on a
    shared machine hits them alike; the best round of each counts.
    """
    from pipeline import script
    from pipeline.engines.argos import ArgosEngine, ArgosOptions
    from pipeline.glossary import load_glossary
    from pipeline.segment import segment
    from pipeline.source import read_article

    glossary = load_glossary(ROOT / "glossary")
    segments = script.normalize(segment(read_article(SAMPLE)))
    hits = glossary.match_segments(segments)
    options = ArgosOptions(min_decoding_length=DECODE_LENGTH, max_decoding_length=DECODE_LENGTH,
                           intra_threads=os.cpu_count() or 1)
    engine = ArgosEngine(glossary, options=options)
    translator, _ = engine._load()  # loading the model is not what is measured
    n_best = max(1, options.n_best) if any(hits.values()) else 1
    tokens = sorted((toks for seg in segments for toks, _ in engine._pieces(engine.prepare(seg, ()).text)), key=len)
    kwargs = dict(beam_size=max(options.beam_size, n_best), num_hypotheses=n_best, return_scores=True,
                  max_batch_size=options.max_batch_tokens, batch_type="tokens",
                  min_decoding_length=DECODE_LENGTH, max_decoding_length=DECODE_LENGTH)
    ways = {
        "per segment": lambda: [engine.draft([seg], {seg.id: hits.get(seg.id, ())}) for seg in segments],
        "batched": lambda: engine.draft(segments, hits),
        "raw translate_batch": lambda: translator.translate_batch(tokens, **kwargs),
    }
    loaded = _peak_rss_mb()
    _reset_peak_rss()
    best = {m: float("inf") for m in modes}
    for _ in range(rounds):
        for m in modes:
            start = time.perf_counter()
            ways[m]()
            best[m] = min(best[m], time.perf_counter() - start)
    return {"seconds": best, "segments": len(segments), "peak_rss_load_mb": loaded,
            "peak_rss_drafting_mb": _peak_rss_mb()}


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


def _run(packages: Path, modes: list[str], rounds: int) -> dict:
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "bench.argos", str(rounds), *modes], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


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
    print(json.dumps(worker(sys.argv[2:], int(sys.argv[1]))))
