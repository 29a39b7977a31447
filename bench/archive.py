"""An archive of small articles: ``--jobs 1`` against ``--jobs 2``, the pipeline's cost per
article, the peak RSS of a worker, and zhen with the Argos-size random model against one raw
``translate_batch`` over the same sentences.

    python -m bench.archive [ARTICLES]     # default 2,000 (ZHEN_BENCH_ARTICLES too)

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


def raw(packages: Path, root: Path) -> None:
    """In a process of its own: read the archive's sentences and draft them all with one
    ``translate_batch``, as the engine would, and no other zhen work."""
    from pipeline.engines.argos.engine import ArgosEngine, ArgosOptions
    from pipeline.glossary.table import load_glossary
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    glossary = load_glossary(ROOT / "glossary")
    engine = ArgosEngine(glossary, options=ArgosOptions())
    translator, _ = engine._load()
    segments = [seg for f in sorted((root / "translations").glob("*/source.zh.txt"))
                for seg in segment(read_article(f))]
    hits = glossary.match_segments(segments)
    requests = engine.requests(segments, hits, segments)
    tokens = [toks for r in requests for toks, _ in engine._pieces(r.text)]
    options = engine.options
    n_best = max(1, options.n_best) if any(hits.values()) else 1  # as the engine decodes them
    translator.translate_batch(tokens, max_batch_size=engine.max_batch_tokens, batch_type="tokens",
                               beam_size=max(options.beam_size, n_best), num_hypotheses=n_best,
                               return_scores=True, max_decoding_length=options.max_decoding_length,
                               min_decoding_length=options.min_decoding_length)


def measure_argos(n: int) -> dict:
    """zhen (one process, the random Argos-size model) against raw translate_batch, model load in both."""
    from bench.argos import build

    with tempfile.TemporaryDirectory() as tmp:
        packages = build(Path(tmp))
        env = {"ARGOS_PACKAGES_DIR": str(packages)}
        make_archive(Path(tmp) / "p", n)
        ours = zhen(Path(tmp) / "p", "--engine", "argos", "--glossary", str(ROOT / "glossary"), "--jobs", "1",
                    env=env)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bench.archive", "raw", str(packages), str(Path(tmp) / "p")],
                       cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, check=True)
        return {"ours": ours[0], "raw": time.perf_counter() - start}


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
    m = argos_articles if argos_articles is not None else n
    if m:
        a = measure_argos(m)
        ratio = a["ours"] / a["raw"]
        out.append(("zhen vs raw translate_batch in one call, random Argos-size model, CPU",
                    f"{m:,} articles × {SENTENCES} sentences", f"{a['ours']:.1f} s", f"{a['raw']:.1f} s",
                    f"{ratio:.2f}×", "≤ 1.2×", ratio <= 1.2))
    return out


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "raw":
        raw(Path(sys.argv[2]), Path(sys.argv[3]))
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
