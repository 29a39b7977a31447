"""`make bench`: every performance and quality claim, measured side by side with its baseline."""

from __future__ import annotations

import os
import random
import re
import tempfile
import time
from pathlib import Path
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from bench.ud import UD, paragraphs
from pipeline.glossary.table import Glossary, load_glossary
from pipeline.model import Term
from pipeline.text.segment import split_sentences

REGEX = re.compile(r"(?<=[。！？!?])")
# The one-line splitter a user would write: a run of terminals plus the closing quotes after it.
REGEX_QUOTES = re.compile(r"[。？！?!]+[”」』’）)]*")
CORES = os.cpu_count()
# (claim, input, ours, baseline, ratio, goal, met): one row per claim for the closing table.
SUMMARY: list[tuple[str, str, str, str, str, str, bool | None]] = []  # met None: no goal, shown for context


def regex_split(text: str) -> list[str]:
    return [s for s in REGEX.split(text) if s.strip()]


def regex_quotes_split(text: str) -> list[str]:
    cuts = [0, *(m.end() for m in REGEX_QUOTES.finditer(text)), len(text)]
    return [text[s:e] for s, e in zip(cuts, cuts[1:]) if text[s:e].strip()]


def pysbd_splitter() -> Callable[[str], list[str]]:
    import pysbd

    seg = pysbd.Segmenter(language="zh", clean=False)
    return lambda text: [s for s in seg.segment(text) if s.strip()]


def best_time(work: Callable[[], object], rounds: int = 5, min_round: float = 0.2) -> float:
    """Seconds per call: the best of ``rounds`` rounds, each repeating the work
    for at least ``min_round`` seconds so that millisecond workloads are not
    drowned in timer and scheduler noise on a shared machine."""
    start = time.perf_counter()
    work()
    once = time.perf_counter() - start
    reps = max(1, int(min_round / max(once, 1e-6)))
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(reps):
            work()
        best = min(best, (time.perf_counter() - start) / reps)
    return best


def boundaries(sents: list[str]) -> set[int]:
    out, pos = set(), 0
    for s in sents[:-1]:
        pos += len(s.strip())
        out.add(pos)
    return out


def score(split: Callable[[str], list[str]], paras: list[list[str]]) -> tuple[float, float, float, float]:
    tp = fp = fn = 0
    chars = 0
    joined = ["".join(p) for p in paras]
    predicted = [split(t) for t in joined]
    elapsed = best_time(lambda: [split(t) for t in joined])
    for gold, pred in zip(paras, predicted):
        g, p = boundaries(gold), boundaries([s.strip() for s in pred])
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        chars += sum(len(s) for s in gold)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, chars / elapsed


def bench_segmentation(console: Console) -> None:
    splitters = {"zhen": split_sentences, "pysbd zh": pysbd_splitter(), "regex": regex_split}
    table = Table(title=f"Sentence segmentation on UD Chinese (gold boundaries; {CORES} cores)")
    for col in ("file", "paragraphs", "chars", "segmenter", "P", "R", "F1", "chars/s", "speed vs pysbd"):
        table.add_column(col, justify="right" if col not in ("file", "segmenter") else "left")
    for name in ("zh_pud-ud-test.conllu", "zh_gsd-ud-test.conllu", "zh_gsd-ud-dev.conllu"):
        paras = paragraphs(name)
        chars = sum(len(s) for p in paras for s in p)
        results = {k: score(f, paras) for k, f in splitters.items()}
        base = results["pysbd zh"][3]
        for k, (p, r, f1, cps) in results.items():
            table.add_row(name, str(len(paras)), str(chars), k, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}",
                          f"{cps:,.0f}", f"{cps / base:.1f}×")
        ours, best_other = results["zhen"][2], max(results["pysbd zh"][2], results["regex"][2])
        where = f"{name} ({chars:,} chars)"
        SUMMARY.append(("segmentation F1 vs best baseline", where, f"{ours:.3f}", f"{best_other:.3f}",
                        f"{ours - best_other:+.3f}", "above both", ours > best_other))
        speed = results["zhen"][3] / base
        SUMMARY.append(("segmentation speed vs pysbd", where, f"{results['zhen'][3]:,.0f} chars/s",
                        f"{base:,.0f} chars/s", f"{speed:.1f}×", "≥ 50×", speed >= 50))
    console.print(table)
    bench_segmentation_runs(console, splitters)


def bench_segmentation_runs(console: Console, splitters: dict[str, Callable[[str], list[str]]]) -> None:
    """PUD with every 5 gold sentences joined into a paragraph, regardless of document:
    more boundaries between unrelated sentences than the per-document grouping."""
    splitters = {**splitters, "regex + closing quotes": regex_quotes_split}
    name = "zh_pud-ud-test.conllu"
    paras = paragraphs(name, group=5, by_document=False)
    chars = sum(len(s) for p in paras for s in p)
    table = Table(title=f"Sentence segmentation on UD Chinese PUD, paragraphs of 5 gold sentences ({chars:,} chars)")
    for col in ("segmenter", "P", "R", "F1"):
        table.add_column(col, justify="left" if col == "segmenter" else "right")
    results = {k: score(f, paras) for k, f in splitters.items()}
    for k, (p, r, f1, _) in results.items():
        table.add_row(k, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}")
    console.print(table)
    ours, regex = results["zhen"][2], results["regex + closing quotes"][2]
    SUMMARY.append(("segmentation F1, 5-sentence paragraphs, vs one-line regex", f"PUD ({chars:,} chars)",
                    f"{ours:.4f}", f"{regex:.4f}", f"{ours - regex:+.4f}", "≥ 0.995, above regex",
                    ours >= 0.995 and ours > regex))


def bench_glossary(console: Console) -> None:
    text = "".join("".join(p) for p in paragraphs("zh_pud-ud-test.conllu"))
    shipped = load_glossary(Path("glossary"))
    rng = random.Random(0)
    alphabet = sorted(set(text) - set("，。、；：？！「」『』（）《》 "))
    generated = [Term("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 8))), f"term {i}")
                 for i in range(10_000)]
    sizes = {"50 terms": Glossary([*shipped.terms][:50]), "10,000 terms": Glossary([*shipped.terms][:50] + generated)}
    table = Table(title=f"Glossary matching over PUD ({len(text):,} chars; {CORES} cores)")
    for col in ("glossary", "hits", "ms (best of 5)", "ratio vs 50 terms"):
        table.add_column(col)
    base = None
    for label, g in sizes.items():
        hits = g.match(text)
        best = best_time(lambda: g.match(text))
        base = base or best
        table.add_row(label, str(len(hits)), f"{best * 1000:.1f}", f"{best / base:.2f}")
    console.print(table)
    SUMMARY.append(("glossary matching, 10,000 vs 50 terms", f"PUD ({len(text):,} chars)", f"{best * 1000:.1f} ms",
                    f"{base * 1000:.1f} ms", f"{best / base:.2f}", "< 2", best / base < 2))


def bench_argos(console: Console, packages) -> None:
    from bench import argos

    results = {r["mode"]: r for r in argos.measure(packages)}
    per, raw = results["per segment"]["seconds"], results["raw translate_batch"]["seconds"]
    table = Table(title=f"Argos drafting of the sample article: random-weight Transformer base (6+6 layers, d512, "
                        f"FFN 2048, 32k vocab), CPU int8, beam 4, {argos.DECODE_LENGTH} tokens per hypothesis; "
                        f"{CORES} cores; best of {argos.ROUNDS} (per segment) or "
                        f"{argos.ROUNDS_ALTERNATING} alternating rounds (batched, raw)")
    for col in ("way", "segments", "seconds", "segments/s", "speed vs per segment", "time vs raw",
                "peak RSS after load (MB)", "peak RSS drafting (MB)"):
        table.add_column(col, justify="left" if col == "way" else "right")
    for mode, r in results.items():
        table.add_row(mode, str(r["segments"]), f"{r['seconds']:.2f}", f"{r['segments'] / r['seconds']:.1f}",
                      f"{per / r['seconds']:.1f}×", f"{r['seconds'] / raw:.3f}", f"{r['peak_rss_load_mb']:.0f}",
                      f"{r['peak_rss_drafting_mb']:.0f}")
    console.print(table)
    batched = results["batched"]["seconds"]
    where = f"sample article ({results['batched']['segments']} segments)"
    SUMMARY.append(("Argos document batch vs per-segment calls", where, f"{batched:.2f} s", f"{per:.2f} s",
                    f"{per / batched:.1f}×", "≥ 3×", per / batched >= 3))
    SUMMARY.append(("Argos: our batch vs raw translate_batch", where, f"{batched:.2f} s", f"{raw:.2f} s",
                    f"{batched / raw:.3f}", "≤ 1.10", batched / raw <= 1.10))


def bench_argos_devices(console: Console, packages, folder: Path) -> None:
    """zhen's own work on many sentences (CPU, tiny model), and the GPU row where CUDA is present."""
    from bench import argos

    tiny = argos.measure_own_work(argos.build_tiny(folder))
    rows = [("CPU, tests' tiny model", tiny)]
    reason = argos.gpu_unavailable()
    if reason is None:
        rows.append(("CUDA, random-weight Transformer base", argos.measure_gpu(packages)))
    title = (f"Argos on {tiny['segments']:,} UD sentences (PUD test, GSD test and dev): our draft vs raw "
             f"translate_batch on the same tokens and settings, at each batch size, on each device with its default "
             f"compute type; beam 4, {argos.DECODE_LENGTH} tokens per hypothesis; best of "
             f"{argos.ROUNDS_ALTERNATING} alternating rounds. Outside decoding: our work before CTranslate2 gets "
             f"the batch and after the last result reaches us, which no faster device can hide")
    table = Table(title=title)
    for n, col in enumerate(("device, model", "compute", "tokens per batch", "ours s", "raw s", "ours vs raw",
                             "ours vs fastest raw", "our segments/s", "ours outside decoding: before, after ms",
                             "")):
        table.add_column(col, justify="right" if 0 < n < 9 else "left")
    for label, r in rows:
        c = argos.against_raw(r)
        outside = r["outside_decoding"]
        for n in argos.RAW_BATCH_TOKENS:
            ours, raw = r["seconds"][argos.ours_mode(n)], r["seconds"][argos.raw_mode(n)]
            marks = [m for m, hit in (("our default", n == c["default"]), ("fastest raw", n == c["fastest"])) if hit]
            table.add_row(label if n == argos.RAW_BATCH_TOKENS[0] else "", r["compute_type"], f"{n:,}",
                          f"{ours:.2f}", f"{raw:.2f}", f"{ours / raw:.3f}", f"{ours / c['raw_fastest']:.3f}",
                          f"{r['segments'] / ours:,.0f}",
                          f"{outside['before'] * 1000:.1f}, {outside['after'] * 1000:.1f}" if n == c["default"] else "",
                          ", ".join(marks))
        device, model = label.split(", ")
        where = f"{r['segments']:,} UD sentences, {model}"
        overhead = c["ours"] / c["raw_same"]
        SUMMARY.append((f"Argos: our draft vs raw translate_batch, same batch size ({c['default']:,}), {device}", where,
                        f"{c['ours']:.2f} s", f"{c['raw_same']:.2f} s", f"{overhead:.3f}", "≤ 1.10", overhead <= 1.10))
        versus = c["ours"] / c["raw_fastest"]
        # Held to 1.10 on a GPU. On a CPU the tiny model, with little work per token, runs fastest at the
        # GPU's batch sizes: there the row shows the CPU default's fit to that model, not zhen's overhead.
        on_gpu = device == "CUDA"
        SUMMARY.append((f"Argos: our draft at the default batch size vs the fastest raw translate_batch, {device}",
                        where, f"{c['ours']:.2f} s", f"{c['raw_fastest']:.2f} s ({c['fastest']:,} tokens per batch)",
                        f"{versus:.3f}", "≤ 1.10" if on_gpu else "", versus <= 1.10 if on_gpu else None))
        serial = outside["before"] + outside["after"]
        SUMMARY.append((f"Argos: our work outside decoding (before it, after it), {device}", where,
                        f"{serial * 1000:.1f} ms ({outside['before'] * 1000:.1f}, {outside['after'] * 1000:.1f})",
                        f"{c['ours']:.2f} s (our draft)", f"{serial / c['ours']:.3f}", "", None))
    console.print(table)
    if reason is not None:
        console.print(f"GPU row skipped: {reason}.")


def bench_runs(console: Console) -> None:
    from bench import runs

    r = runs.measure()
    table = Table(title=f"zhen translate, dictionary engine, fresh process per run ({CORES} cores)")
    for col in ("run", "articles", "segments", "sent to engine", "process wall s", "pipeline s",
                "vs first run (wall)", "vs first run (pipeline)", "peak RSS (MB)"):
        table.add_column(col, justify="left" if col == "run" else "right")
    first = r["sample"]["first"]
    for label, (wall, rss, records) in (("sample article, first run", first),
                                        ("sample article, re-run, nothing changed", r["sample"]["rerun"]),
                                        ("sample article, re-run with --force", r["sample"]["forced"]),
                                        ("20 UD articles, first run", r[20]), ("200 UD articles, first run", r[200])):
        pipeline_s = sum(x["seconds"] for x in records)
        base = "sample" in label
        table.add_row(label, str(len(records)), str(sum(x["segments"] for x in records)),
                      str(sum(x["drafted"] for x in records)), f"{wall:.2f}", f"{pipeline_s:.3f}",
                      f"{wall / first[0]:.2f}" if base else "", 
                      f"{pipeline_s / sum(x['seconds'] for x in first[2]):.3f}" if base else "", f"{rss:.0f}")
    console.print(table)
    rerun = r["sample"]["rerun"]
    p_first, p_rerun = (sum(x["seconds"] for x in run[2]) for run in (first, rerun))
    SUMMARY.append(("re-run on an unchanged article (pipeline time)", "sample article (45 segments)",
                    f"{p_rerun:.3f} s", f"{p_first:.3f} s", f"{p_rerun / p_first:.3f}", "< 0.1",
                    p_rerun / p_first < 0.1))
    SUMMARY.append(("re-run on an unchanged article (whole process)", "sample article (45 segments)",
                    f"{rerun[0]:.2f} s", f"{first[0]:.2f} s", f"{rerun[0] / first[0]:.3f}", "< 0.1",
                    rerun[0] / first[0] < 0.1))
    forced = r["sample"]["forced"]
    SUMMARY.append(("re-run with --force, every stage (whole process)", "sample article (45 segments)",
                    f"{forced[0]:.2f} s", f"{first[0]:.2f} s", f"{forced[0] / first[0]:.3f}", "", None))
    SUMMARY.append(("re-run: sentences sent to the engine", "sample article (45 segments)",
                    str(sum(x["drafted"] for x in rerun[2])), "45", "", "0", sum(x["drafted"] for x in rerun[2]) == 0))
    SUMMARY.append(("peak RSS, 200 vs 20 articles in one call", "UD sentences, 5 per article",
                    f"{r[200][1]:.0f} MB", f"{r[20][1]:.0f} MB", f"{r[200][1] / r[20][1]:.2f}", "flat (≤ 1.2)",
                    r[200][1] / r[20][1] <= 1.2))
    console.print("pipeline s: the articles' own time as `--json` reports it (engine loading included); "
                  "process wall s adds interpreter start-up and imports, which every zhen command pays. "
                  "A re-run on an untouched article is skipped after hashing its inputs and outputs "
                  "(pipeline/workspace/incremental.py); --force runs every stage.")


def bench_enforcement(console: Console, packages, model: str = "random weights") -> None:
    from bench import enforcement

    rows = enforcement.measure(packages)
    table = Table(title="Glossary enforcement on the sample article: which layer puts the required renderings in")
    columns = ("segments with terms", "renderings required", "present", "avoided present", "repaired",
               "segments complete", "flagged", "silently wrong")
    for col in ("engine", "layers", *columns):
        table.add_column(col, justify="left" if col in ("engine", "layers") else "right")
    for engine, label, counts in rows:
        table.add_row(engine + (f" ({model})" if engine == "argos" else ""), label,
                      *(str(counts[c]) for c in columns))
    console.print(table)
    silent = sum(c["silently wrong"] for _, _, c in rows)
    SUMMARY.append(("drafts missing a rendering without a flag", "sample article, every engine and layer",
                    str(silent), "", "", "0", silent == 0))
    console.print("Verification runs under every row: 'flagged' drafts carry a draft-check note and a QA error; "
                  "'silently wrong' must stay 0.")


def bench_llm(console: Console) -> None:
    from bench import llm

    results = llm.measure()
    one = results[1]["seconds"]
    table = Table(title=f"LLM engine: the sample article against a loopback OpenAI-compatible server answering "
                        f"each request after {llm.LATENCY * 1000:.0f} ms, served in parallel ({CORES} cores)")
    for col in ("concurrency", "segments", "seconds", "segments/s", "most in flight", "time vs concurrency 1"):
        table.add_column(col, justify="right")
    for n, r in results.items():
        table.add_row(str(n), str(r["segments"]), f"{r['seconds']:.2f}", f"{r['segments'] / r['seconds']:.1f}",
                      str(r["peak"]), f"{r['seconds'] / one:.3f}")
    console.print(table)
    eight = results[8]["seconds"]
    SUMMARY.append(("LLM engine, concurrency 8 vs 1", f"sample article ({results[8]['segments']} segments), "
                    f"{llm.LATENCY * 1000:.0f} ms per answer", f"{eight:.2f} s", f"{one:.2f} s",
                    f"{eight / one:.3f}", "≤ 1/6 (0.167)", eight / one <= 1 / 6))


def bench_llm_articles(console: Console) -> None:
    from bench import llm

    r = llm.measure_articles()
    alone, together = r["one at a time"], r["in flight"]
    table = Table(title=f"LLM engine: `translate` over {alone['articles']} articles of {llm.ARTICLE_SENTENCES} PUD "
                        f"sentences against a loopback server with {llm.SLOTS} parallel slots (said in /props), "
                        f"{llm.LATENCY * 1000:.0f} ms per answer ({CORES} cores)")
    for col in ("articles", "segments", "seconds", "segments/s", "most in flight", "time vs one at a time"):
        table.add_column(col, justify="left" if col == "articles" else "right")
    for label, row in r.items():
        table.add_row(label, str(row["segments"]), f"{row['seconds']:.2f}", f"{row['segments'] / row['seconds']:.1f}",
                      str(row["peak"]), f"{row['seconds'] / alone['seconds']:.3f}")
    console.print(table)
    floor = -(-together["segments"] // llm.SLOTS) * llm.LATENCY
    console.print(f"The server's time alone: {alone['articles'] * llm.LATENCY:.1f} s one article at a time (each "
                  f"article's {llm.ARTICLE_SENTENCES} requests at once), {floor:.1f} s with every slot busy.")
    speed = alone["seconds"] / together["seconds"]
    SUMMARY.append((f"LLM engine, articles in flight vs one at a time, {llm.SLOTS} slots",
                    f"{alone['articles']} articles × {llm.ARTICLE_SENTENCES} sentences, "
                    f"{llm.LATENCY * 1000:.0f} ms per answer", f"{together['seconds']:.2f} s",
                    f"{alone['seconds']:.2f} s", f"{speed:.1f}×", "≥ 2×", speed >= 2))


def bench_llm_real(console: Console) -> None:
    """A real llama.cpp server and a small instruct model from PyPI, when devkit/install_llama_server.sh ran."""
    from bench import llm

    if not llm.real_server_available():
        console.print("LLM engine against a real llama.cpp server: skipped (no server or model; run "
                      "devkit/install_llama_server.sh)")
        return
    r = llm.measure_real()
    s, u = r["sample"], r["sample"]["usage"]
    console.print(f"LLM engine, {r['model']} on a real llama.cpp server ({CORES} cores; {r['settings']}): a 135M "
                  "model tests the plumbing, not translation quality; a desk runs a 7B-14B instruct model on "
                  "Ollama or vLLM (docs/engines.md)")
    console.print(f"sample article: {s['segments']} segments, {s['faults']} left untranslated; glossary "
                  f"renderings {s['before']}/{s['required']} in the first answers, {s['after']}/{s['required']} "
                  f"after the follow-up question; {u.answers} answers, {u.tokens:,} tokens, "
                  f"{u.tokens_per_s} tokens/s")
    table = Table(title=f"`zhen eval --limit {r['pairs']} --seed {r['seed']}` on PUD zh→en, the same pairs")
    for col in ("engine", "chrF2", "BLEU", "glossary", "untranslated", "segments/s"):
        table.add_column(col, justify="left" if col == "engine" else "right")
    for name, e, left in ((f"llm: {r['model']}", r["llm"], r["untranslated"]), ("dictionary", r["dictionary"], 0)):
        table.add_row(name, f"{e.chrf:.2f}", f"{e.bleu:.2f}", f"{e.renderings_present}/{e.renderings_required}",
                      str(left), f"{e.pairs / e.seconds:,.2f}")
    console.print(table)
    SUMMARY.append((f"LLM engine ({r['model']}) chrF2 vs dictionary", f"PUD zh→en ({r['pairs']} pairs, seed "
                    f"{r['seed']})", f"{r['llm'].chrf:.2f}", f"{r['dictionary'].chrf:.2f}",
                    f"{r['llm'].chrf - r['dictionary'].chrf:+.2f}", "", None))
    SUMMARY.append(("LLM glossary renderings after the follow-up vs before", f"sample article, {r['model']}",
                    f"{s['after']}/{s['required']}", f"{s['before']}/{s['required']}", "", "more after",
                    s["after"] >= s["before"]))


def bench_quality(console: Console) -> None:
    from bench import quality

    r = quality.measure()
    table = Table(title=f"Draft quality: `zhen eval` on {r['set']} ({r['pairs']:,} pairs), one segment per pair")
    for col in ("engine", "chrF2", "BLEU", "length ratio", "glossary", "numbers QA /100", "segments/s"):
        table.add_column(col, justify="left" if col == "engine" else "right")
    g = r["glossary"]
    table.add_row("dictionary", f"{r['chrf']:.2f}", f"{r['bleu']:.2f}", f"{r['length_ratio']:.3f}",
                  f"{g['present']}/{g['required']}", f"{r['qa_per_100_segments']['numbers']:.1f}",
                  f"{r['segments_per_second']:,.0f}")
    table.add_row("floor: source copied through", f"{r['floor_chrf']:.2f}", "", "", "", "", "")
    console.print(table)
    console.print(f"chrF2: {r['chrf_signature']}\nBLEU: {r['bleu_signature']}")
    SUMMARY.append(("dictionary engine chrF2 vs the source copied through", f"PUD zh→en ({r['pairs']:,} pairs)",
                    f"{r['chrf']:.2f}", f"{r['floor_chrf']:.2f}", f"{r['chrf'] - r['floor_chrf']:+.2f}",
                    f"≥ {quality.GOAL:g}", r["chrf"] >= quality.GOAL))


def bench_memory(console: Console) -> None:
    from bench import memory

    r = memory.measure()
    small, big = (r[n] for n in memory.SIZES)
    table = Table(title=f"Translation memory built from UD sentences (tm/*.tmx → .zhen/tm.sqlite; {CORES} cores, "
                        "one process per phase)")
    for col in ("units", "build s", "index MB", "lookups/s: sample (45)", "lookups/s: UD (2,000)",
                "UD lookups per CPU s", "recall at 75", "peak RSS build / lookups (MB)", "scan baseline lookups/s",
                "agrees with scan"):
        table.add_column(col, justify="right")
    for n in memory.SIZES:
        b, lk, base = r[n]["build"], r[n]["lookup"], r[n]["baseline"]
        table.add_row(f"{n:,}", f"{b['seconds']:.1f}", f"{b['bytes'] / 1e6:.1f}", f"{lk['sample_lps']:,.0f}",
                      f"{lk['ud_lps']:,.0f}", f"{lk['ud_cpu_lps']:,.0f}", f"{lk['recall']:.3f} ({lk['eligible']:,})",
                      f"{b['rss_mb']:.0f} / {lk['rss_mb']:.0f}", f"{base['lps']:,.0f}",
                      f"{base['agree']}/{base['queries']}")
    console.print(table)
    fts = big["fts5"]
    console.print(f"FTS5 trigram retrieval instead of bigram postings, {memory.SIZES[-1]:,} units: "
                  f"{fts['lps']:,.0f} lookups/s (UD), recall at 75 {fts['recall']:.3f}, "
                  f"index {fts['bytes'] / 1e6:.1f} MB. "
                  "Recall counts a planted near-duplicate scoring 75 or more as found when the lookup returns it "
                  "or a unit scoring as well; the scan baseline scores every unit with rapidfuzz.")
    where = f"{memory.SIZES[-1]:,} units from UD"
    lps, base_lps = big["lookup"]["ud_lps"], big["baseline"]["lps"]
    SUMMARY.append(("TM lookups/s, 2,000 UD sentences, vs scanning every unit", where, f"{lps:,.0f}/s",
                    f"{base_lps:,.0f}/s", f"{lps / base_lps:.0f}×", "≥ 1,000/s", lps >= 1000))
    SUMMARY.append(("TM lookups/s, the sample's 45 sentences", where, f"{big['lookup']['sample_lps']:,.0f}/s", "", "",
                    "≥ 1,000/s", big["lookup"]["sample_lps"] >= 1000))
    SUMMARY.append(("TM lookups/s: bigram postings vs FTS5 trigram", where, f"{lps:,.0f}/s", f"{fts['lps']:,.0f}/s",
                    f"{lps / fts['lps']:.1f}×", "", None))
    growth = small["lookup"]["ud_lps"] / lps
    SUMMARY.append(("TM lookup time, 100,000 vs 10,000 units", "2,000 UD sentences", f"{1000 / lps:.2f} ms",
                    f"{1000 / small['lookup']['ud_lps']:.2f} ms", f"{growth:.2f}", "< 10 (sub-linear)", growth < 10))
    peak = max(big["build"]["rss_mb"], big["lookup"]["rss_mb"])
    SUMMARY.append(("TM peak RSS (build, lookups)", where, f"{peak:.0f} MB", "", "", "< 300 MB", peak < 300))
    SUMMARY.append(("TM recall at 75 of planted near-duplicates", where, f"{big['lookup']['recall']:.3f}",
                    f"{fts['recall']:.3f} (FTS5)", "", "", None))
    SUMMARY.append(("TM build time and index size", where, f"{big['build']['seconds']:.1f} s",
                    f"{big['build']['bytes'] / 1e6:.0f} MB", "", "", None))


def bench_terms(console: Console) -> None:
    from bench import terms

    terms.report(console, SUMMARY, best_time)


def bench_archive(console: Console) -> None:
    from bench import archive, workers

    table = Table(title=f"An archive of small articles (ZHEN_BENCH_ARTICLES={archive.ARTICLES:,}; load "
                        f"{os.getloadavg()[0]:.1f} on {CORES} cores)")
    for col in ("claim", "input", "ours", "baseline", "ratio", "goal"):
        table.add_column(col)
    for row in [*archive.rows(), *workers.rows()]:
        table.add_row(*row[:6])
        SUMMARY.append(row)
    console.print(table)


def main() -> None:
    console = Console(width=150)
    if not UD.is_dir():
        raise SystemExit(f"benchmarks need the UD treebanks in {UD}")
    bench_segmentation(console)
    bench_glossary(console)
    bench_runs(console)
    bench_archive(console)
    bench_llm(console)
    bench_llm_articles(console)
    bench_llm_real(console)
    bench_quality(console)
    bench_memory(console)
    bench_terms(console)
    with tempfile.TemporaryDirectory() as tmp:
        from bench.argos import build

        packages = build(Path(tmp))
        bench_enforcement(console, packages)
        bench_argos(console, packages)
        bench_argos_devices(console, packages, Path(tmp))
    summary = Table(title=f"Summary: every performance claim, measured in this run ({CORES} cores)")
    for col in ("claim", "input", "ours", "baseline", "ratio", "goal", "met", "cores"):
        summary.add_column(col)
    for row in SUMMARY:
        summary.add_row(*row[:6], "" if row[6] is None else "yes" if row[6] else "NO", str(CORES))
    console.print(summary)


if __name__ == "__main__":
    main()
