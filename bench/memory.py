"""The translation memory at 10,000 and 100,000 units, built from UD sentences.

The memory holds, for 1,000 UD sentences and the sample's 45, one planted near
duplicate each (2-22 % of the characters substituted, inserted or deleted, so
most score 75 or more and some fall below), and filler units spliced from
clauses of random UD sentences, lightly edited. The queries are the sample's
45 sentences and the 2,000 UD sentences. Recall at 75: the share of planted
near-duplicates scoring 75 or more that the lookup finds (it, or a unit that
scores as well). The baseline is the index-free way: rapidfuzz's extractOne
over every unit's folded text, on the same keys; and, for the choice of
retrieval, SQLite FTS5's trigram tokenizer in place of our bigram postings.

Lookups are timed as the best of several rounds of wall time, and also per
CPU second (the process's own time), since on a shared machine wall time also
measures the neighbours. Each phase runs in its own process (``python -m bench.memory worker …``), so
the peak RSS it reports is that phase's alone.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from bench.ud import UD, sentences
from devkit import ROOT, SAMPLE

SIZES = (10_000, 100_000)
PLANTED_UD = 1_000
MIN_SCORE = 75
BASELINE_QUERIES = 200  # the scan costs ~10 ms a query at 100,000 units


def ud_sentences() -> list[str]:
    return [t for name in ("zh_gsd-ud-dev.conllu", "zh_gsd-ud-test.conllu", "zh_pud-ud-test.conllu")
            for _, t in sentences(UD / name)]


def sample_sentences() -> list[str]:
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    return list(dict.fromkeys(s.text for s in segment(read_article(SAMPLE))))


def _edit(text: str, rate: float, alphabet: list[str], rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, round(len(chars) * rate))):
        op, i = rng.random(), rng.randrange(len(chars))
        if op < 0.5:
            chars[i] = rng.choice(alphabet)
        elif op < 0.75 or len(chars) < 3:
            chars.insert(i, rng.choice(alphabet))
        else:
            del chars[i]
    return "".join(chars)


def units(n: int, seed: int = 17) -> tuple[list[str], list[tuple[str, int]]]:
    """``n`` memory sources, and (query, index of its planted near-duplicate) pairs."""
    rng = random.Random(seed)
    ud = ud_sentences()
    alphabet = sorted({c for s in ud for c in s if "\u4e00" <= c <= "\u9fff"})
    clauses = [c for s in ud for c in re.split(r"(?<=[，；：])", s) if len(c) > 3]
    out: list[str] = []
    planted: list[tuple[str, int]] = []
    for query in ud[:PLANTED_UD] + sample_sentences():
        planted.append((query, len(out)))
        out.append(_edit(query, rng.uniform(0.02, 0.22), alphabet, rng))
    while len(out) < n:
        spliced = "".join(rng.choice(clauses) for _ in range(rng.randint(1, 3)))
        out.append(_edit(spliced, rng.uniform(0.0, 0.1), alphabet, rng) if rng.random() < 0.5 else spliced)
    return out, planted


def write_tmx(sources: list[str], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN"/><body>\n')
        for n, s in enumerate(sources):
            f.write(f'<tu><tuv xml:lang="zh-CN"><seg>{escape(s)}</seg></tuv>'
                    f'<tuv xml:lang="en"><seg>Translation of unit {n}.</seg></tuv></tu>\n')
        f.write("</body></tmx>\n")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _memory(folder: Path):
    from pipeline.tm.index import Memory

    return Memory(folder / ".zhen" / "tm.sqlite", root=folder / "translations", tm_dir=folder / "tm")


def worker_build(folder: Path) -> dict:
    start = time.perf_counter()
    memory = _memory(folder)
    memory.sync()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": memory.path.stat().st_size, "units": memory.stats().units,
            "rss_mb": _rss_mb()}


def _rate(work, items, clock=time.perf_counter) -> float:
    start = clock()
    for x in items:
        work(x)
    return len(items) / (clock() - start)


def worker_lookup(folder: Path, n: int) -> dict:
    from pipeline.tm.index import fold_key, similarity

    memory = _memory(folder)
    sources, planted = units(n)
    sample, ud = sample_sentences(), ud_sentences()
    memory.best(ud[0], min_score=MIN_SCORE)  # open the file and import rapidfuzz outside the timing
    sample_rate = max(_rate(lambda q: memory.best(q, min_score=MIN_SCORE), sample) for _ in range(5))
    ud_rate = max(_rate(lambda q: memory.best(q, min_score=MIN_SCORE), ud) for _ in range(3))
    # Per CPU second too: on a shared machine, wall time also measures the neighbours.
    ud_cpu = _rate(lambda q: memory.best(q, min_score=MIN_SCORE), ud, time.process_time)
    eligible = found = 0
    for query, index in planted:
        true = similarity(fold_key(query), fold_key(sources[index]))
        if true >= MIN_SCORE:
            eligible += 1
            best = memory.best(query, min_score=MIN_SCORE)
            found += best is not None and best.score >= true
    return {"sample_lps": sample_rate, "ud_lps": ud_rate, "ud_cpu_lps": ud_cpu, "recall": found / eligible,
            "eligible": eligible,
            "planted": len(planted), "rss_mb": _rss_mb()}


def worker_baseline(folder: Path, n: int) -> dict:
    """The index-free way: score every unit with rapidfuzz's extractOne (the same keys and scorer)."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from pipeline.tm.index import fold_key

    sources, _ = units(n)
    keys = [fold_key(s) for s in sources]
    queries = [fold_key(q) for q in ud_sentences()[:BASELINE_QUERIES]]
    memory = _memory(folder)
    agree = 0
    start = time.perf_counter()
    found = [process.extractOne(q, keys, scorer=Levenshtein.normalized_similarity, score_cutoff=MIN_SCORE / 100)
             for q in queries]
    rate = len(queries) / (time.perf_counter() - start)
    for q, hit in zip(ud_sentences()[:BASELINE_QUERIES], found):
        ours = memory.best(q, min_score=MIN_SCORE)
        theirs = None if hit is None else min(99, int(hit[1] * 100 + 1e-9)) if hit[0] != fold_key(q) else 100
        agree += (ours.score if ours else None) == theirs or (ours is not None and ours.score == 100)
    return {"lps": rate, "agree": agree, "queries": len(queries), "rss_mb": _rss_mb()}


def worker_fts5(folder: Path, n: int) -> dict:
    """The other candidate retrieval we considered: SQLite FTS5's trigram tokenizer over the same keys,
    an OR of the query's trigrams ranked by bm25, the best CANDIDATES scored as ours are."""
    import sqlite3

    from rapidfuzz.distance import Levenshtein

    from pipeline.tm.index import CANDIDATES, fold_key, similarity

    sources, planted = units(n)
    db = sqlite3.connect(folder / "fts5.sqlite")
    db.execute("CREATE TABLE units (id INTEGER PRIMARY KEY, key TEXT)")
    db.execute("CREATE VIRTUAL TABLE grams USING fts5(key, content='units', content_rowid='id', tokenize='trigram')")
    db.executemany("INSERT INTO units VALUES (?, ?)", enumerate(fold_key(s) for s in sources))
    db.execute("INSERT INTO grams (rowid, key) SELECT id, key FROM units")
    db.commit()

    def best(query: str) -> int | None:
        key = fold_key(query)
        trigrams = sorted({key[i:i + 3] for i in range(len(key) - 2)})
        if not trigrams:
            return None
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in trigrams)
        rows = db.execute("SELECT u.key FROM grams JOIN units u ON u.id = grams.rowid WHERE grams MATCH ?"
                          " ORDER BY rank LIMIT ?", (match, CANDIDATES))
        scores = [Levenshtein.normalized_similarity(key, k) for (k,) in rows]
        return max((min(99, int(x * 100 + 1e-9)) for x in scores), default=None)

    rate = _rate(best, ud_sentences())
    eligible = found = 0
    for query, index in planted:
        true = similarity(fold_key(query), fold_key(sources[index]))
        if true >= MIN_SCORE:
            eligible += 1
            got = best(query)
            found += got is not None and got >= true
    return {"lps": rate, "recall": found / eligible, "bytes": (folder / "fts5.sqlite").stat().st_size,
            "rss_mb": _rss_mb()}


def _run(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.memory", "worker", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise RuntimeError(f"bench.memory worker {' '.join(args)} failed: {done.stderr[-800:]}")
    return json.loads(done.stdout)


def measure() -> dict[int, dict]:
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            folder = Path(tmp) / str(n)
            (folder / "tm").mkdir(parents=True)
            write_tmx(units(n)[0], folder / "tm" / "memory.tmx")
            results[n] = {"build": _run("build", str(folder)), "lookup": _run("lookup", str(folder), str(n)),
                          "baseline": _run("baseline", str(folder), str(n))}
        results[SIZES[-1]]["fts5"] = _run("fts5", str(folder), str(SIZES[-1]))
    return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        kind, folder = sys.argv[2], Path(sys.argv[3])
        n = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        work = {"build": lambda: worker_build(folder), "lookup": lambda: worker_lookup(folder, n),
                "baseline": lambda: worker_baseline(folder, n), "fts5": lambda: worker_fts5(folder, n)}[kind]
        print(json.dumps(work()))
    else:
        print(json.dumps(measure(), indent=1))
