"""What ``--executor ray`` costs against ``--jobs`` on the same archive of small articles: Ray's
start-up (a local instance started by zhen) and its overhead per article (on an instance
already running, the difference between two archive sizes).

    python -m bench.cluster [ARTICLES]     # default 40, and twice as many for the per-article cost

Every ``zhen translate`` is a process of its own, timed from outside (``bench.archive.zhen``),
dictionary engine, two workers or two actors. Needs the zhen[ray] extra.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.archive import SENTENCES, make_archive, zhen
from devkit import ROOT


def run(n: int, *args: str, env: dict | None = None) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        make_archive(Path(tmp), n)
        seconds, _ = zhen(Path(tmp), "--engine", "dictionary", "--glossary", str(ROOT / "glossary"), "--jobs", "2",
                          *args, env=env)
    return seconds


@dataclass(frozen=True)
class Echo:
    """A recipe whose runner does no work: what is left is the executor's cost per article."""

    def __call__(self):
        return lambda article, key, progress: article.slug


def dispatch(n: int) -> dict:
    """Milliseconds of wall time per article through each executor, two workers, no article work."""
    from pipeline.workspace import cluster, pool
    from pipeline.workspace.articles import SourcedArticle

    tasks = [(i, SourcedArticle(slug=f"a{i}", source=Path(f"a{i}/source.zh.txt"), folder=Path(f"a{i}")), "k")
             for i in range(n)]
    out = {}
    for name, run_tasks in {"jobs": pool.run_tasks, "ray": cluster.run_tasks}.items():
        list(run_tasks(tasks[:4], recipe=Echo(), jobs=2))  # the workers' start-up is not what is measured
        start = time.perf_counter()
        done = list(run_tasks(tasks, recipe=Echo(), jobs=2))
        out[name] = 1000 * (time.perf_counter() - start) / n
        if len(done) != n:
            raise RuntimeError(f"{name}: {len(done)} of {n} tasks came back")
    return out


def measure(n: int) -> dict:
    import ray

    out = {"jobs": {m: run(m) for m in (n, 2 * n)}, "ray, its own instance": {n: run(n, "--executor", "ray")}}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        address = {"RAY_ADDRESS": ray.get_runtime_context().gcs_address}
        out["ray, a running instance"] = {m: run(m, "--executor", "ray", env=address) for m in (n, 2 * n)}
        out["dispatch"] = dispatch(20 * n)
    finally:
        ray.shutdown()
    return out


def rows(n: int) -> list[tuple]:
    """(claim, input, ours, baseline, ratio, goal, met) rows, as bench/__main__.py prints them."""
    m = measure(n)
    jobs, own, running = m["jobs"], m["ray, its own instance"], m["ray, a running instance"]
    where = f"{n} articles × {SENTENCES} UD sentences, dictionary engine, 2 workers"
    per_jobs = 1000 * (jobs[2 * n] - jobs[n]) / n
    per_ray = 1000 * (running[2 * n] - running[n]) / n
    return [
        ("--executor ray (zhen starts a local instance) vs --jobs 2, whole run", where, f"{own[n]:.1f} s",
         f"{jobs[n]:.1f} s", f"{own[n] / jobs[n]:.2f}×", "", None),
        ("--executor ray on a running instance (RAY_ADDRESS) vs --jobs 2, whole run", where, f"{running[n]:.1f} s",
         f"{jobs[n]:.1f} s", f"{running[n] / jobs[n]:.2f}×", "", None),
        ("Ray's start-up: its own instance minus a running one", where, f"{own[n] - running[n]:.1f} s", "", "",
         "", None),
        ("wall time per added article, Ray (running instance) vs --jobs 2", f"{n} → {2 * n} articles",
         f"{per_ray:.0f} ms", f"{per_jobs:.0f} ms", "", "", None),
        ("the executor's own cost per article (a runner that does nothing), Ray vs the process pool",
         f"{20 * n} articles, 2 workers", f"{m['dispatch']['ray']:.1f} ms", f"{m['dispatch']['jobs']:.1f} ms",
         "", "", None),
    ]


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    table = Table(title=f"--executor ray against --jobs ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")
    for col in ("claim", "input", "ours", "baseline", "ratio", "goal", "met"):
        table.add_column(col)
    for row in rows(n):
        table.add_row(*row[:6], "" if row[6] is None else "yes" if row[6] else "NO")
    Console(width=150).print(table)
    print(json.dumps({"load": os.getloadavg()}))


if __name__ == "__main__":
    main()
