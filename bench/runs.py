"""Whole `zhen translate` runs in fresh processes: first run vs re-run (skipped as
up to date, and forced through every stage), and 20 vs 200 articles.

Each run is its own process, timed from the outside and measured with wait4's
peak RSS, so start-up (Python, jieba's dictionary, CC-CEDICT) is included as a
user sees it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devkit import ROOT, SAMPLE

SENTENCES_PER_ARTICLE = 5


def zhen(args: list[str], cwd: Path) -> tuple[float, float, list[dict]]:
    """(seconds, peak RSS in MB, JSON records) of one `zhen translate` process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "translate", "--engine", "dictionary",
                             "--glossary", str(ROOT / "glossary"), "--json", *args],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"zhen translate failed: {err.decode()[-500:]}")
    records = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    return seconds, usage.ru_maxrss / 1024, records


def ud_articles(n: int, root: Path) -> None:
    """``n`` article folders of UD sentences (PUD, then GSD), five sentences each."""
    from bench.ud import UD, sentences

    pool = [t for name in ("zh_pud-ud-test.conllu", "zh_gsd-ud-test.conllu", "zh_gsd-ud-dev.conllu")
            for _, t in sentences(UD / name)]
    if n * SENTENCES_PER_ARTICLE > len(pool):
        raise ValueError(f"UD holds sentences for {len(pool) // SENTENCES_PER_ARTICLE} articles, not {n}")
    for i in range(n):
        chunk = pool[i * SENTENCES_PER_ARTICLE:(i + 1) * SENTENCES_PER_ARTICLE]
        folder = root / "translations" / f"ud-{i:03d}"
        folder.mkdir(parents=True)
        (folder / "source.zh.txt").write_text("\n".join(chunk) + "\n", encoding="utf-8")
    (root / "zhen.toml").write_text("", encoding="utf-8")


def measure() -> dict:
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        article = tmp / "sample" / "translations" / "tianjin"
        article.mkdir(parents=True)
        shutil.copy(SAMPLE, article / "source.zh.txt")
        (tmp / "sample" / "zhen.toml").write_text("", encoding="utf-8")  # a project; the glossary is the repo's
        first = zhen([], tmp / "sample")
        rerun = zhen([], tmp / "sample")
        forced = zhen(["--force"], tmp / "sample")
        out["sample"] = {"first": first, "rerun": rerun, "forced": forced}
        for n in (20, 200):
            ud_articles(n, tmp / f"ud{n}")
            out[n] = zhen([], tmp / f"ud{n}")
    return out
