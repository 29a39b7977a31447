"""``--jobs 2`` with the Argos-size random model on the CPU: each worker running its articles at once
and sharing its CTranslate2 calls between them, against each worker drafting one article per call
(as workers did before).

    python -m bench.workers [ARTICLES]     # default 24 (ZHEN_BENCH_ARGOS_JOBS_ARTICLES)

Each mode is ``zhen translate --engine argos --jobs 2 --threads 1`` as the command runs it, a
process of its own timed from outside, over the same archive (``bench.archive.make_archive``,
every hypothesis forced to ``ARGOS_DECODE_LENGTH`` tokens). The workers print the sentences of each
CTranslate2 call they make to stderr, so the table says how many calls each mode made.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.archive import ARGOS_DECODE_LENGTH, SENTENCES, make_archive
from devkit import ROOT
from pipeline.session import Recipe

ARTICLES = int(os.environ.get("ZHEN_BENCH_ARGOS_JOBS_ARTICLES", "24"))
ROUNDS = 2  # best of, the modes alternating: a busy moment on a shared machine hits both alike
MODES = ("shared", "per article")


def _count_calls() -> None:
    """In a worker: each CTranslate2 call's sentences, and at its end the CPU time of all its
    threads, to stderr (the forkserver, not the timed process, reaps the workers)."""
    import resource
    from multiprocessing.util import Finalize

    from pipeline.engines.argos.engine import ArgosEngine

    def spent() -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime}), file=sys.stderr, flush=True)

    Finalize(None, spent, exitpriority=1)

    finished = ArgosEngine._finished

    def counted(self, batch, **kwargs):
        print(json.dumps({"call": len(batch)}), file=sys.stderr, flush=True)
        return finished(self, batch, **kwargs)

    ArgosEngine._finished = counted


@dataclass(frozen=True)
class Shared(Recipe):
    """The command's recipe, its calls counted in the worker."""

    def __call__(self):
        _count_calls()
        return super().__call__()


@dataclass(frozen=True)
class PerArticle(Recipe):
    """The command's recipe with one article at a time in each worker: a call per article."""

    inflight: int | None = 1

    def __call__(self):
        _count_calls()
        return super().__call__()


def drive(mode: str) -> None:
    """In a process of its own, in the project folder: ``zhen translate`` with ``mode``'s recipe."""
    import pipeline.session
    from pipeline.cli import main as cli

    pipeline.session.Recipe = {"shared": Shared, "per article": PerArticle}[mode]  # what the command builds
    cli(["translate", "--json", "--engine", "argos", "--glossary", str(ROOT / "glossary"), "--jobs", "2",
         "--threads", "1"], standalone_mode=False)


def measure(n: int = ARTICLES, *, rounds: int = ROUNDS) -> dict[str, dict]:
    """Per mode: the best wall seconds of ``rounds`` (the modes alternating) and its calls' sizes, and
    the least CPU time its workers spent."""
    from bench.argos import build

    out: dict[str, dict] = {mode: {"seconds": float("inf")} for mode in MODES}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "ARGOS_PACKAGES_DIR": str(build(Path(tmp)))}
        for r in range(rounds):
            for mode in MODES:
                root = Path(tmp) / f"{mode}-{r}".replace(" ", "-")
                make_archive(root, n)
                (root / "zhen.toml").write_text(f"[argos]\nmax_decoding_length = {ARGOS_DECODE_LENGTH}\n"
                                                f"min_decoding_length = {ARGOS_DECODE_LENGTH}\n", encoding="utf-8")
                start = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "bench.workers", "drive", mode], cwd=root,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
                seconds = time.perf_counter() - start
                if proc.returncode != 0:
                    raise RuntimeError(f"bench.workers {mode} failed: {proc.stderr[-500:]}")
                said = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
                calls = [d["call"] for d in said if "call" in d]
                cpu = sum(d["cpu"] for d in said if "cpu" in d)
                if seconds < out[mode]["seconds"]:
                    out[mode] = {**out[mode], "seconds": seconds, "calls": calls}
                out[mode]["cpu"] = min(out[mode].get("cpu", cpu), cpu)
    return out


def rows(n: int = ARTICLES) -> list[tuple]:
    """(claim, input, ours, baseline, ratio, goal, met) rows, as bench/__main__.py prints them."""
    m = measure(n)
    shared, alone = m["shared"], m["per article"]
    ratio = alone["seconds"] / shared["seconds"]
    where = f"{n:,} articles × {SENTENCES} sentences, {ARGOS_DECODE_LENGTH} tokens each, --threads 1"
    return [("--jobs 2, random Argos-size model, CPU: each worker's articles sharing its calls vs a call per "
             "article (speed-up)", where,
             f"{shared['seconds']:.1f} s, {len(shared['calls'])} calls of ≤ {max(shared['calls'])} sentences",
             f"{alone['seconds']:.1f} s, {len(alone['calls'])} calls of ≤ {max(alone['calls'])}",
             f"{ratio:.2f}×", "", None),
            ("the same, CPU time of the two workers (all their threads)", where, f"{shared['cpu']:.1f} s",
             f"{alone['cpu']:.1f} s", f"{alone['cpu'] / shared['cpu']:.2f}×", "", None)]


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "drive":
        drive(" ".join(sys.argv[2:]))
        return
    from rich.console import Console
    from rich.table import Table

    n = int(sys.argv[1]) if len(sys.argv) > 1 else ARTICLES
    table = Table(title=f"--jobs 2 with Argos ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    for col in ("claim", "input", "ours", "baseline", "ratio"):
        table.add_column(col)
    for row in rows(n):
        table.add_row(*row[:5])
    Console(width=150).print(table)
    print(json.dumps({"load": os.getloadavg()}))


if __name__ == "__main__":
    main()
