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
UD_SETS = ("zh_pud-ud-test.conllu", "zh_gsd-ud-test.conllu", "zh_gsd-ud-dev.conllu")


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


def segments_of(corpus: str):
    """The sample article's segments, or the 2,000 sentences of UD Chinese PUD and GSD test and dev."""
    from pipeline import script
    from pipeline.model import Segment
    from pipeline.segment import segment
    from pipeline.source import read_article

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
    from pipeline.engines.argos import ArgosEngine, ArgosOptions
    from pipeline.glossary import load_glossary

    glossary = load_glossary(ROOT / "glossary")
    segments = segments_of(corpus)
    hits = glossary.match_segments(segments)
    options = ArgosOptions(min_decoding_length=DECODE_LENGTH, max_decoding_length=DECODE_LENGTH,
                           intra_threads=os.cpu_count() or 1, device=device)
    engine = ArgosEngine(glossary, options=options)
    translator, _ = engine._load()  # loading the model is not what is measured
    n_best = max(1, options.n_best) if any(hits.values()) else 1
    tokens = sorted((toks for seg in segments for toks, _ in engine._pieces(engine.prepare(seg, ()).text)), key=len)
    kwargs = dict(beam_size=max(options.beam_size, n_best), num_hypotheses=n_best, return_scores=True,
                  max_batch_size=engine.max_batch_tokens, batch_type="tokens",
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
            "peak_rss_drafting_mb": _peak_rss_mb(), "batch_tokens": engine.max_batch_tokens,
            "compute_type": engine.compute_type}


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
    from pipeline.engines.packages import install

    packages = folder / "tiny-packages"
    install(build_package(folder / "translate-zh_en-tiny.argosmodel", TINY_LINES), directory=packages)
    return packages


def measure_own_work(tiny_packages: Path) -> dict:
    """Batched drafting and raw translate_batch, alternating, on the 2,000 UD sentences with the tiny model."""
    return _run(tiny_packages, ["batched", "raw translate_batch"], ROUNDS_ALTERNATING, corpus="ud")


def _run(packages: Path, modes: list[str], rounds: int, device: str = "cpu", corpus: str = "sample") -> dict:
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "bench.argos", str(rounds), device, corpus, *modes], env=env,
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def gpu_unavailable() -> str | None:
    """Why the GPU row cannot run here, or None when it can."""
    import ctranslate2

    from pipeline.engines import cuda
    from pipeline.errors import EngineError

    if ctranslate2.get_cuda_device_count() == 0:
        return "CTranslate2 sees no CUDA device on this machine"
    try:
        cuda.ensure_library()
    except EngineError as e:
        return str(e)
    return None


def measure_gpu(packages: Path) -> dict:
    """Batched and raw on CUDA, alternating, on the 2,000 UD sentences, with the device's defaults."""
    return _run(packages, ["batched", "raw translate_batch"], ROUNDS_ALTERNATING, device="cuda", corpus="ud")


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
