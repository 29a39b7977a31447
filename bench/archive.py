"""An archive of small articles: ``--jobs 1`` against ``--jobs 2``, the pipeline's cost per
article, the peak RSS of a worker, and zhen with the Argos-size random model against one raw
``translate_batch`` over the same sentences.

    python -m bench.archive [ARTICLES [ARGOS_ARTICLES]]
    # defaults 2,000 (ZHEN_BENCH_ARTICLES) and 48 (ZHEN_BENCH_ARGOS_ARTICLES)

Every ``zhen translate`` is a process of its own, timed from outside; its peak RSS is
wait4's, which with ``--jobs 2`` is the parent's alone (the forkserver reaps the workers).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devkit import ROOT

SENTENCES = 8
ARTICLES = int(os.environ.get("ZHEN_BENCH_ARTICLES", "2000"))
UD_SETS = ("zh_pud-ud-test.conllu", "zh_gsd-ud-test.conllu", "zh_gsd-ud-dev.conllu")


def make_archive(root: Path, n: int) -> None:
    """``n`` article folders of ``SENTENCES`` UD sentences each (the 8,000 sentences repeat past 1,000 articles)."""
    from bench.ud import UD, sentences

    pool = [t for name in UD_SETS for _, t in sentences(UD / name)]
    for i in range(n):
        folder = root / "translations" / f"a{i:05d}"
        folder.mkdir(parents=True)
        chunk = [pool[(i * SENTENCES + j) % len(pool)] for j in range(SENTENCES)]
        (folder / "source.zh.txt").write_text("\n".join(chunk) + "\n", encoding="utf-8")
    (root / "zhen.toml").write_text("", encoding="utf-8")


def zhen(root: Path, *args: str, env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one ``zhen translate --json`` over the project at ``root``."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "translate", "--json", "--summary", *args],
                            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError(f"zhen translate failed: {err.decode()[-500:]}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def measure_jobs(n: int) -> dict:
    """The same archive translated from scratch with one worker and with two."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in (1, 2):
            root = Path(tmp) / f"jobs{jobs}"
            make_archive(root, n)
            out[jobs] = zhen(root, "--engine", "dictionary", "--glossary", str(ROOT / "glossary"),
                             "--jobs", str(jobs))
    return out


def measure_pipeline(n: int) -> dict:
    """CPU milliseconds per article in one process, once the engine and dictionaries are loaded:
    a first run (the dictionary engine drafting), a forced re-run (no drafting: the pipeline
    alone), and the file work a forced re-run cannot avoid, done bare (``io``): reading the
    source and the three outputs it compares, and writing the state file atomically."""
    from pipeline.glossary.enforcement import word_forms
    from pipeline.session import Recipe
    from pipeline.workspace.articles import resolve
    from pipeline.workspace.files import write_atomic
    from pipeline.workspace.layout import STATE

    with tempfile.TemporaryDirectory() as tmp:
        make_archive(Path(tmp), n + 1)
        articles = [resolve(p) for p in sorted((Path(tmp) / "translations").iterdir())]
        run = Recipe(engine="dictionary", glossary=ROOT / "glossary", engine_settings={})()
        run(articles[0], "warm", lambda done, of: None)  # loading is not what is measured
        word_forms("build")  # nor lemminflect's tables, which the first glossary hit loads
        per = {}
        for name in ("first", "forced"):
            start = time.process_time()
            for article in articles[1:]:
                run(article, name, lambda done, of: None)
            per[name] = 1000 * (time.process_time() - start) / n
        start = time.process_time()
        for article in articles[1:]:
            for path in (article.source, article.catalog, article.text, article.html):
                path.read_bytes()
            state = article.folder / STATE
            write_atomic(state, state.read_bytes())
        per["io"] = 1000 * (time.process_time() - start) / n
    return per


# The Argos row: few articles, each hypothesis forced to a fixed length (a random model never
# stops by itself), so that it runs in a few minutes on two cores; zhen and raw decode the same.
ARGOS_ARTICLES = int(os.environ.get("ZHEN_BENCH_ARGOS_ARTICLES", "48"))  # and a third of it
ARGOS_DECODE_LENGTH = 32  # tokens per hypothesis, about an English sentence of the archive's
ARGOS_ROUNDS = 1  # best of, alternating, so that a busy moment on a shared machine hits all alike
RAW_BATCH_TOKENS = (1024, 2048)  # raw translate_batch at each; its fastest is the baseline


def drive(inflight: int) -> None:
    """In a process of its own, in the project folder: ``zhen translate`` as the command runs it,
    with ``inflight`` articles at once (1: each article's drafts in a call of its own, as before
    articles shared calls); prints the sentences of each CTranslate2 call to stderr as JSON."""
    from pipeline.cli import main as cli
    from pipeline.engines import coalesce
    from pipeline.engines.argos.engine import ArgosEngine

    coalesce.ARTICLES_IN_FLIGHT = inflight
    sizes: list[int] = []
    finished = ArgosEngine._finished

    def counted(self, batch, **kwargs):
        sizes.append(len(batch))
        return finished(self, batch, **kwargs)

    ArgosEngine._finished = counted
    cli(["translate", "--json", "--engine", "argos", "--glossary", str(ROOT / "glossary"), "--jobs", "1"],
        standalone_mode=False)
    print(json.dumps({"calls": sizes}), file=sys.stderr)


def raw(root: Path) -> None:
    """In a process of its own: read the archive's sentences and draft them all with one
    ``translate_batch`` at each of ``RAW_BATCH_TOKENS``, as the engine would, and no other zhen
    work; prints the seconds of each call as JSON."""
    from pipeline.config import argos_options, load_config
    from pipeline.engines.argos.engine import ArgosEngine
    from pipeline.glossary.table import load_glossary
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    glossary = load_glossary(ROOT / "glossary")
    options = argos_options(load_config(root / "zhen.toml"), path=root / "zhen.toml")
    engine = ArgosEngine(glossary, options=options)
    translator, _ = engine._load()
    segments = [seg for f in sorted((root / "translations").glob("*/source.zh.txt"))
                for seg in segment(read_article(f))]
    hits = glossary.match_segments(segments)
    requests = engine.requests(segments, hits, segments)
    tokens = [toks for r in requests for toks, _ in engine._pieces(r.text)]
    n_best = max(1, options.n_best) if any(hits.values()) else 1  # as the engine decodes them
    seconds, cpu = {}, {}
    for size in RAW_BATCH_TOKENS:
        start, start_cpu = time.perf_counter(), time.process_time()
        translator.translate_batch(tokens, max_batch_size=size, batch_type="tokens",
                                   beam_size=max(options.beam_size, n_best), num_hypotheses=n_best,
                                   return_scores=True, max_decoding_length=options.max_decoding_length,
                                   min_decoding_length=options.min_decoding_length)
        seconds[size], cpu[size] = time.perf_counter() - start, time.process_time() - start_cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "sentences": len(tokens)}))


def _timed(args: list[str], root: Path, env: dict) -> tuple[float, float, str, str]:
    """(wall seconds, CPU seconds of all its threads, stdout, stderr) of ``python -m bench.archive ARGS``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "bench.archive", *args], cwd=root, stdout=out, stderr=err,
                                env={**os.environ, "PYTHONPATH": str(ROOT), **env})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if status != 0:
        raise RuntimeError(f"bench.archive {args[0]} failed: {stderr[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, stdout, stderr


def measure_argos(sizes: tuple[int, ...], *, rounds: int = ARGOS_ROUNDS) -> dict[int, dict]:
    """For an archive of each size: zhen with articles sharing engine calls (now) and with a call
    per article (before), against raw translate_batch at its fastest batch size; whole processes,
    start-up and model load in all. Two sizes give the cost of the articles alone, without the
    start-up that a whole archive makes small."""
    from bench.argos import build

    with tempfile.TemporaryDirectory() as tmp:
        packages = build(Path(tmp))
        return {n: _measure_argos(n, Path(tmp) / str(n), {"ARGOS_PACKAGES_DIR": str(packages)}, rounds)
                for n in sizes}


def _measure_argos(n: int, folder: Path, env: dict, rounds: int) -> dict:
    # Wall and CPU seconds, each the best of the rounds: on a shared machine the wall time
    # follows the other work on it, the CPU time much less.
    best = {k: float("inf") for k in ("shared", "per article", "raw")}
    cpu = dict(best)
    calls: dict[str, list[int]] = {}
    for r in range(rounds):
        for mode, inflight in (("per article", 1), ("shared", _default_inflight())):
            root = folder / f"{mode}-{r}".replace(" ", "-")
            make_archive(root, n)
            (root / "zhen.toml").write_text(f"[argos]\nmax_decoding_length = {ARGOS_DECODE_LENGTH}\n"
                                            f"min_decoding_length = {ARGOS_DECODE_LENGTH}\n", encoding="utf-8")
            seconds, used, _, err = _timed(["drive", str(inflight)], root, env)
            best[mode], cpu[mode] = min(best[mode], seconds), min(cpu[mode], used)
            calls[mode] = json.loads(err.strip().splitlines()[-1])["calls"]
        seconds, used, out, _ = _timed(["raw", str(root)], root, env)
        raw_calls = json.loads(out)
        timed = {int(k): v for k, v in raw_calls["seconds"].items()}
        fastest = min(timed, key=timed.get)
        # The process's start-up, model load and preparation, and its fastest call alone.
        if seconds - sum(timed.values()) + timed[fastest] < best["raw"]:
            best["raw"] = seconds - sum(timed.values()) + timed[fastest]
            best["raw batch tokens"] = fastest
        cpu["raw"] = min(cpu["raw"], used - sum(raw_calls["cpu"].values()) + min(raw_calls["cpu"].values()))
    return {**best, "cpu": cpu, "calls": calls}


def _default_inflight() -> int:
    from pipeline.engines.coalesce import ARTICLES_IN_FLIGHT

    return ARTICLES_IN_FLIGHT


def rows(n: int = ARTICLES, *, argos_articles: int | None = None) -> list[tuple]:
    """(claim, input, ours, baseline, ratio, goal, met) rows, as bench/__main__.py prints them."""
    where = f"{n:,} articles × {SENTENCES} UD sentences, dictionary engine"
    jobs = measure_jobs(n)
    speedup = jobs[1][0] / jobs[2][0]
    per = measure_pipeline(min(n, 200))
    out = [
        ("--jobs 2 vs --jobs 1, whole run", where, f"{jobs[2][0]:.1f} s", f"{jobs[1][0]:.1f} s", f"{speedup:.2f}×",
         "≥ 1.7×", speedup >= 1.7),
        ("pipeline CPU per article, forced re-run (no drafting) vs its bare file reads and state write",
         f"{min(n, 200)} articles", f"{per['forced']:.1f} ms", f"{per['io']:.1f} ms",
         f"{per['forced'] / per['io']:.1f}×", "≤ 10 ms", per["forced"] <= 10),
        ("CPU per article, first run (dictionary engine drafting) vs the forced re-run", f"{min(n, 200)} articles",
         f"{per['first']:.1f} ms", f"{per['forced']:.1f} ms", f"{per['first'] / per['forced']:.1f}×", "", None),
        # wait4 sees the parent only: the forkserver, not zhen, reaps the workers. A worker loads
        # what the serial process loads, so the serial figure is the one to plan a worker's memory by.
        ("peak RSS, the --jobs 2 parent (workers not counted) vs the serial process", where,
         f"{jobs[2][1]:.0f} MB", f"{jobs[1][1]:.0f} MB", "", "", None),
    ]
    m = argos_articles if argos_articles is not None else ARGOS_ARTICLES
    if m:
        out += argos_rows(measure_argos((m // 3, m)))
    return out


def argos_rows(measured: dict[int, dict]) -> list[tuple]:
    """The rows of ``measure_argos``'s result: the largest archive, and the articles alone."""
    small, m = min(measured), max(measured)
    a, b = measured[m], measured[small]
    where = f"{m:,} articles × {SENTENCES} sentences, {ARGOS_DECODE_LENGTH} tokens each"
    ratio, cpu = a["shared"] / a["raw"], a["cpu"]
    shared, alone = (a["calls"][k] for k in ("shared", "per article"))
    extra = {k: a[k] - b[k] for k in ("shared", "raw")}
    extra_cpu = {k: a["cpu"][k] - b["cpu"][k] for k in ("shared", "raw")}
    return [
        ("zhen vs raw translate_batch in one call, random Argos-size model, CPU", where, f"{a['shared']:.1f} s",
         f"{a['raw']:.1f} s (at {a['raw batch tokens']:,} tokens)", f"{ratio:.2f}×", "≤ 1.2×", ratio <= 1.2),
        ("the same, CPU time of all the process's threads", where, f"{cpu['shared']:.1f} s", f"{cpu['raw']:.1f} s",
         f"{cpu['shared'] / cpu['raw']:.2f}×", "", None),
        (f"the same, the last {m - small} articles alone (wall, CPU): the start-up left out", where,
         f"{extra['shared']:.1f} s, {extra_cpu['shared']:.1f} s", f"{extra['raw']:.1f} s, {extra_cpu['raw']:.1f} s",
         f"{extra['shared'] / extra['raw']:.2f}×, {extra_cpu['shared'] / extra_cpu['raw']:.2f}×", "", None),
        ("zhen, articles sharing engine calls vs a call per article (before)", where,
         f"{a['shared']:.1f} s ({cpu['shared']:.1f} s CPU), {len(shared)} calls of ≤ {max(shared)} sentences",
         f"{a['per article']:.1f} s ({cpu['per article']:.1f} s CPU), {len(alone)} calls of ≤ {max(alone)}",
         f"{a['per article'] / a['shared']:.2f}×", "", None),
    ]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "raw":
        raw(Path(sys.argv[2]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "drive":
        drive(int(sys.argv[2]))
        return
    from rich.console import Console
    from rich.table import Table

    n = int(sys.argv[1]) if len(sys.argv) > 1 else ARTICLES
    argos = int(sys.argv[2]) if len(sys.argv) > 2 else None
    table = Table(title=f"An archive of small articles ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    for col in ("claim", "input", "ours", "baseline", "ratio", "goal", "met"):
        table.add_column(col)
    for row in rows(n, argos_articles=argos):
        table.add_row(*row[:6], "" if row[6] is None else "yes" if row[6] else "NO")
    Console(width=150).print(table)
    print(json.dumps({"load": os.getloadavg()}))


if __name__ == "__main__":
    main()
