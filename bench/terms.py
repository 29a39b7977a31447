"""Formula detection: recall and precision on a labelled set, and throughput.

The labelled set has two parts. ``bench/data/formulas.tsv``: sentences written
for this benchmark (national and Tianjin formulas in both scripts, quoted and
not, and figures, dates, counts and idioms that are not formulas), each with
its formulas listed by hand. And every sentence of the UD Chinese treebanks in
``data/ud/`` (PUD test, GSD test and dev: news and encyclopedia text) that holds
a Chinese numeral: ``bench/data/formulas-ud.tsv`` lists the numbered names found
in them by reading every detection and every numeral-initial word jieba or
CC-CEDICT knows there; all other sentences count as formula-free.

A prediction is a formula the detector is certain of (``find_mentions``:
kind ``formula``, ``certain``); counted noun phrases waiting for a second sign
are not predictions here (``terms suggest`` accepts them when they recur).
Throughput is over the whole UD text, beside jieba's segmentation of the same
text, the work a detector built on jieba cannot avoid.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from bench.ud import UD, sentences

DATA = Path(__file__).resolve().parent / "data"
UD_FILES = ("zh_pud-ud-test.conllu", "zh_gsd-ud-test.conllu", "zh_gsd-ud-dev.conllu")
_NUMERAL = re.compile(r"[一二两兩三四五六七八九十双雙]")


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def labelled() -> list[tuple[str, str, list[str]]]:
    """(where, text, gold formulas as written) for every labelled sentence."""
    out = [("own", r["text"], [f for f in r["formulas"].split("|") if f]) for r in _rows(DATA / "formulas.tsv")]
    ud_gold = {r["sent_id"]: [f for f in r["formulas"].split("|") if f] for r in _rows(DATA / "formulas-ud.tsv")}
    for name in UD_FILES:
        for sid, text in sentences(UD / name):
            if _NUMERAL.search(text):
                out.append((name, text, ud_gold.get(sid, [])))
    return out


def predict(text: str) -> list[str]:
    from pipeline.text.formulas import find_mentions

    return [m.surface for m in find_mentions(text) if m.kind == "formula" and m.certain]


def score(items) -> dict[str, dict[str, float]]:
    """Precision and recall per part and overall; formulas compared as written, per sentence."""
    totals: dict[str, Counter] = {}
    for where, text, gold in items:
        part = "own" if where == "own" else "UD"
        for key in (part, "all"):
            c = totals.setdefault(key, Counter())
            predicted, expected = Counter(predict(text)), Counter(gold)
            tp = sum((predicted & expected).values())
            c["tp"] += tp
            c["fp"] += sum(predicted.values()) - tp
            c["fn"] += sum(expected.values()) - tp
            c["sentences"] += 1
            c["gold"] += sum(expected.values())
    out = {}
    for key, c in totals.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        out[key] = {"sentences": c["sentences"], "gold": c["gold"], "tp": c["tp"], "fp": c["fp"], "fn": c["fn"],
                    "precision": p, "recall": r}
    return out


def errors(items) -> list[tuple[str, str, str]]:
    """(kind, formula, sentence) for every miss and false alarm, for the table's footnote."""
    out = []
    for _, text, gold in items:
        predicted, expected = Counter(predict(text)), Counter(gold)
        out += [("false alarm", f, text) for f in (predicted - expected).elements()]
        out += [("missed", f, text) for f in (expected - predicted).elements()]
    return out


def ud_text() -> str:
    return "\n".join(text for name in UD_FILES for _, text in sentences(UD / name))


def throughput(best_time) -> tuple[int, float, float]:
    """(chars, detector chars/s, jieba chars/s) over the UD text, dictionaries loaded beforehand."""
    from pipeline.text.formulas import find_mentions
    from pipeline.text.lexicon import cedict
    from pipeline.text.lexicon import jieba as _jieba

    text = ud_text()
    lines = text.splitlines()
    jieba = _jieba()
    cedict()
    for line in lines[:50]:
        find_mentions(line)  # warm: posseg tables, caches
    detector = best_time(lambda: [find_mentions(line) for line in lines], rounds=3)
    segmenter = best_time(lambda: [jieba.lcut(line, HMM=False) for line in lines], rounds=3)
    return len(text), len(text) / detector, len(text) / segmenter


def report(console, summary: list, best_time) -> None:
    """Print the tables and add the claims to ``summary`` (``bench.__main__``'s closing table)."""
    from rich.table import Table

    items = labelled()
    scores = score(items)
    table = Table(title="Formula detection on a labelled set (certain detections; see bench/terms.py)")
    for col in ("part", "sentences", "formulas", "found", "false alarms", "missed", "precision", "recall"):
        table.add_column(col, justify="left" if col == "part" else "right")
    for key, label in (("own", "written for the benchmark"), ("UD", "UD sentences with a numeral"), ("all", "all")):
        s = scores[key]
        table.add_row(label, str(s["sentences"]), str(s["gold"]), str(s["tp"]), str(s["fp"]), str(s["fn"]),
                      f"{s['precision']:.3f}", f"{s['recall']:.3f}")
    console.print(table)
    for kind, formula, text in errors(items):
        console.print(f"  {kind}: {formula} in {text}", markup=False)
    chars, ours, jieba = throughput(best_time)
    console.print(f"Throughput over {chars:,} UD characters: formula detection {ours:,.0f} chars/s, "
                  f"jieba segmentation alone {jieba:,.0f} chars/s")
    s = scores["all"]
    summary.append(("formula detection precision", f"{s['sentences']} labelled sentences", f"{s['precision']:.3f}",
                    "", "", "≥ 0.9", s["precision"] >= 0.9))
    summary.append(("formula detection recall", f"{s['gold']} labelled formulas", f"{s['recall']:.3f}",
                    "", "", "≥ 0.9", s["recall"] >= 0.9))
    summary.append(("formula detection speed vs jieba segmentation", f"UD ({chars:,} chars)",
                    f"{ours:,.0f} chars/s", f"{jieba:,.0f} chars/s", f"{ours / jieba:.2f}", "", None))
