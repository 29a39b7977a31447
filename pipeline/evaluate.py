"""Draft quality on a parallel test set: the number a desk needs to choose an engine.

Each pair's Chinese goes through the real drafting path as one segment
(segmentation is bypassed so that hypotheses and references stay aligned):
script normalization, glossary matching, the engine with its glossary
enforcement, then QA. The drafts are scored against the references with
sacrebleu (chrF2 and BLEU, each with its signature so the number can be
reproduced), beside a floor: the source copied through unchanged, which
measures what figures and Latin names alone score.

Test sets: PUD zh→en (UD Chinese PUD, whose English PUD original is a fair
reference), a two-column TSV (zh, en), or the reviewed entries of catalogs.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.qa import checks as qa
from pipeline.catalog import po
from pipeline.text import script
from pipeline.catalog.entries import owned, state
from pipeline.engines.base import Engine
from pipeline.glossary.enforcement import verify
from pipeline.errors import EvalSetError, SourceError
from pipeline.glossary.table import Glossary, breaking_char
from pipeline.model import Progress, Segment, no_progress
from pipeline.text.source import MAX_SENTENCE_CHARS, decode
from pipeline.workspace.files import not_a_file, read_regular

MAX_SET_BYTES = 64 * 1024 * 1024  # a test set of some 300,000 pairs
MAX_CELL_CHARS = MAX_SENTENCE_CHARS  # drafting time grows with the square of a sentence's length

# The PUD files ship in zhen's repository, beside the package, and not in an installed
# zhen: they are the default only where zhen runs from a checkout that has them.
REPOSITORY_UD = Path(__file__).resolve().parent.parent / "data" / "ud"
PUD_ZH, PUD_EN = "zh_pud-ud-test.conllu", "en_pud-ud-test.conllu"
# Below this many chrF points above the floor, an engine is producing almost no
# English a reference recognises: a random-weight model scores near the floor,
# the dictionary engine some 35 points above it.
NEAR_FLOOR = 10.0


@dataclass(frozen=True)
class Pair:
    """One source sentence and its reference translation."""

    source: str
    reference: str
    origin: str  # where it comes from: "file:line", or a PUD sent_id


@dataclass(frozen=True)
class EvalResult:
    """What ``evaluate`` measured; ``as_json`` is the ``zhen eval --json`` object."""

    test_set: str
    pairs: int
    engine: str
    engine_signature: str
    caveats: tuple[str, ...]
    chrf: float
    chrf_signature: str
    bleu: float
    bleu_signature: str
    floor_chrf: float  # the source copied through, scored the same way
    length_ratio: float  # hypothesis/reference length in BLEU's tokens
    renderings_required: int
    renderings_present: int
    qa_findings: dict[str, int]  # check name → findings over all segments
    seconds: float  # drafting time, the engine's loading included
    source_chars: int
    # Pairs the engine left untranslated because of a fault (a timeout, an answer cut off or refused):
    # scored as empty hypotheses, which lowers chrF2 and BLEU for a reason that is not the translation.
    untranslated: int = 0
    first_fault: str = ""  # the reason given for the first of them

    @property
    def glossary_compliance(self) -> float | None:
        return self.renderings_present / self.renderings_required if self.renderings_required else None

    def qa_per_100(self) -> dict[str, float]:
        return {name: 100 * n / self.pairs for name, n in self.qa_findings.items()}

    def as_json(self) -> dict:
        rate = self.glossary_compliance
        return {
            "set": self.test_set,
            "pairs": self.pairs,
            "engine": self.engine,
            "engine_signature": self.engine_signature,
            "caveats": list(self.caveats),
            "chrf": round(self.chrf, 2),
            "chrf_signature": self.chrf_signature,
            "bleu": round(self.bleu, 2),
            "bleu_signature": self.bleu_signature,
            "floor_chrf": round(self.floor_chrf, 2),
            "length_ratio": round(self.length_ratio, 3),
            "glossary": {"required": self.renderings_required, "present": self.renderings_present,
                         "compliance": None if rate is None else round(rate, 4)},
            "qa_per_100_segments": {k: round(v, 2) for k, v in self.qa_per_100().items()},
            "untranslated": {"pairs": self.untranslated, "first_fault": self.first_fault or None},
            "seconds": round(self.seconds, 3),
            "segments_per_second": round(self.pairs / self.seconds, 1) if self.seconds else None,
            "source_chars_per_second": round(self.source_chars / self.seconds) if self.seconds else None,
        }


# --- test sets ---------------------------------------------------------------------------------


def conllu_sentences(path: Path) -> list[tuple[str | None, str]]:
    """(sent_id, text) pairs of a CoNLL-U file, from its ``# sent_id`` and ``# text`` lines."""
    out, sid = [], None
    data = read_regular(path, max_bytes=MAX_SET_BYTES, error=EvalSetError, what="a CoNLL-U file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise EvalSetError(f"not UTF-8 (byte {e.start})", path=path) from e
    for line in text.splitlines():
        if line.startswith("# sent_id = "):
            sid = line[12:].strip()
        elif line.startswith("# text = "):
            out.append((sid, line[9:].strip()))
    return out


def pud_pairs(folder: Path | None = None) -> list[Pair]:
    """UD Chinese PUD with English PUD as the reference, paired by sent_id.

    English PUD is the original the Chinese was translated from, so it is a
    fair zh→en reference. ``folder`` holds the two CoNLL-U files; by default
    the repository's data/ud/, where zhen runs from a checkout.
    """
    if folder is None and not REPOSITORY_UD.is_dir():
        raise EvalSetError(f"no PUD test set: it ships in zhen's repository (data/ud/), not with an installed "
                           f"zhen; pass --pud FOLDER holding {PUD_ZH} and {PUD_EN}, or --set FILE.tsv",
                           path=REPOSITORY_UD)
    folder = REPOSITORY_UD if folder is None else Path(folder)
    paths = [folder / PUD_ZH, folder / PUD_EN]
    for path in paths:
        if not path.is_file():
            raise EvalSetError(f"PUD test set file not found; pass --pud FOLDER holding {PUD_ZH} and {PUD_EN}, "
                               "or --set FILE.tsv", path=path)
    english = dict(conllu_sentences(paths[1]))
    return [Pair(zh, english[sid], sid) for sid, zh in conllu_sentences(paths[0])
            if sid is not None and sid in english]


def parse_tsv(text: str, *, name: str) -> list[Pair]:
    """Pairs from tab-separated lines ``zh<TAB>en``; an optional first line ``zh<TAB>en`` is a header."""
    pairs = []
    # Lines end at LF, CR LF or CR only: str.splitlines would also end one at U+2028 or a
    # form feed inside a cell, and every later line would be cited one too far.
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if number == 1 and [c.strip().lower() for c in cells] == ["zh", "en"]:
            continue
        if len(cells) != 2:
            raise EvalSetError(f"{len(cells)} tab-separated cells, expected 2 (zh, en)", path=name, line=number)
        for column, cell in zip(("zh", "en"), cells):
            bad = breaking_char(cell)
            if bad:
                raise EvalSetError(f"the {column} cell holds {bad}", path=name, line=number)
            if len(cell) > MAX_CELL_CHARS:  # one sentence, capped as an article's are
                raise EvalSetError(f"the {column} cell has {len(cell):,} characters, over the "
                                   f"{MAX_CELL_CHARS:,}-character limit for one sentence", path=name, line=number)
        zh, en = (c.strip() for c in cells)
        if not zh or not en:
            raise EvalSetError(f"empty {'zh' if not zh else 'en'} cell", path=name, line=number)
        if not script.HAN_CHAR.search(zh):
            swapped = " (columns swapped? zh comes first)" if script.HAN_CHAR.search(en) else ""
            raise EvalSetError(f"no Chinese in the first cell{swapped}", path=name, line=number)
        pairs.append(Pair(zh, en, f"{name}:{number}"))
    if not pairs:
        raise EvalSetError("no pairs (expected lines of zh<TAB>en)", path=name)
    return pairs


def read_tsv(path: Path) -> list[Pair]:
    """A desk's own pairs: UTF-8 (or UTF-16, GB18030, Big5, as articles are read)."""
    data = read_regular(path, max_bytes=MAX_SET_BYTES, error=EvalSetError, what="a TSV test set")
    try:
        text, _ = decode(data, name=str(path))
    except SourceError as e:
        raise EvalSetError(e.detail, path=path) from e
    return parse_tsv(text, name=str(path))


def catalog_files(path: Path) -> list[Path]:
    """A catalog, or every catalog in a folder and below, in path order."""
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.po") if p.is_file())
        if not found:
            raise EvalSetError("no catalogs (*.po) in this folder", path=path)
        return found
    if not path.exists():
        raise EvalSetError("a link to nothing" if path.is_symlink() else "no such file or directory", path=path)
    what = not_a_file(path)
    if what is not None:
        raise EvalSetError(f"is {what}, not a catalog", path=path)
    return [path]


def catalog_pairs(paths: Iterable[Path]) -> list[Pair]:
    """The reviewed entries of catalogs: a newsroom's best test set is its own reviewed work.

    Drafts (fuzzy) and untranslated entries are left out; a sentence reviewed
    in several catalogs counts once, with its first translation.
    """
    pairs: dict[str, Pair] = {}
    for path in (f for p in paths for f in catalog_files(p)):
        for entry in po.read_catalog(path):
            if entry.obsolete or not owned(entry) or state(entry) != "reviewed" or entry.msgid in pairs:
                continue
            line = entry.linenum if isinstance(entry.linenum, int) else None
            pairs[entry.msgid] = Pair(entry.msgid, entry.msgstr, f"{path}:{line}" if line else str(path))
    if not pairs:
        raise EvalSetError("no reviewed entries to use as a test set", path=", ".join(map(str, paths)))
    return list(pairs.values())


def subset(pairs: Sequence[Pair], *, limit: int | None = None, seed: int | None = None) -> list[Pair]:
    """``limit`` pairs: the first ones, or a random sample (kept in set order) when a seed is given."""
    pairs = list(pairs)
    if limit is None or limit >= len(pairs):
        return pairs
    if seed is None:
        return pairs[:limit]
    chosen = sorted(random.Random(seed).sample(range(len(pairs)), limit))
    return [pairs[i] for i in chosen]


# --- scoring -----------------------------------------------------------------------------------


def score(hypotheses: Sequence[str], references: Sequence[str]) -> dict:
    """chrF2 and BLEU with sacrebleu's defaults, and their signatures."""
    from sacrebleu.metrics import BLEU, CHRF

    chrf, bleu = CHRF(), BLEU()
    c = chrf.corpus_score(list(hypotheses), [list(references)])
    b = bleu.corpus_score(list(hypotheses), [list(references)])
    return {"chrf": c.score, "chrf_signature": str(chrf.get_signature()), "bleu": b.score,
            "bleu_signature": str(bleu.get_signature()), "length_ratio": b.sys_len / b.ref_len if b.ref_len else 0.0}


def caveats(engine: Engine, chrf: float, floor: float) -> tuple[str, ...]:
    """What the reader must know before taking the score for a quality claim."""
    out = []
    if engine.name == "dictionary":
        out.append("dictionary engine: word-by-word glosses, not machine translation; the score says how much "
                   "of the reference a gloss recovers, not what a translation model would reach")
    if chrf < floor + NEAR_FLOOR:
        out.append(f"chrF2 is within {NEAR_FLOOR:g} points of the floor (the source copied through): this engine "
                   "produces almost no English the references recognise, as a random-weight model does; "
                   "a plumbing check, not a quality claim")
    return tuple(out)


def evaluate(pairs: Sequence[Pair], engine: Engine, *, glossary: Glossary, test_set: str,
             progress: Progress | None = None, place: str | None = None) -> tuple[EvalResult, list[str]]:
    """Draft every pair's source as one segment and score the drafts; returns the result and the drafts.

    The glossary is scoped as an article's would be: to ``place``, else to the
    place the test set's sources show (``glossary.scope.detect``)."""
    from pipeline.glossary.scope import detect

    if not pairs:
        raise EvalSetError("no pairs to evaluate", path=test_set)
    segments = script.normalize(Segment(n, n, n, "body", p.source) for n, p in enumerate(pairs, start=1))
    glossary = glossary.for_place(place or detect([p.source for p in pairs]).place)
    hits = glossary.match_segments(segments)
    started = time.perf_counter()
    drafts = engine.draft(segments, hits, progress=progress or no_progress)
    seconds = time.perf_counter() - started
    english = [drafts[seg.id].text for seg in segments]
    faults = [drafts[seg.id].fault for seg in segments if drafts[seg.id].fault]
    required = present = 0
    found: Counter[str] = Counter({name: 0 for name in qa.CHECKS})
    for seg, text in zip(segments, english):
        seg_hits = hits.get(seg.id, ())
        wanted = {h.term.english for h in seg_hits}
        missing, _ = verify(text, seg_hits)
        required += len(wanted)
        present += len(wanted) - len(missing)
        found.update(f.check for f in qa.check_segment(seg.text, text, seg_hits, segment=seg.id))
    references = [p.reference for p in pairs]
    scores = score(english, references)
    floor = score([p.source for p in pairs], references)["chrf"]
    result = EvalResult(
        test_set=test_set, pairs=len(pairs), engine=engine.name, engine_signature=engine.signature(),
        caveats=caveats(engine, scores["chrf"], floor), chrf=scores["chrf"], chrf_signature=scores["chrf_signature"],
        bleu=scores["bleu"], bleu_signature=scores["bleu_signature"], floor_chrf=floor,
        length_ratio=scores["length_ratio"], renderings_required=required, renderings_present=present,
        qa_findings=dict(found), seconds=seconds, source_chars=sum(len(p.source) for p in pairs),
        untranslated=len(faults), first_fault=faults[0] if faults else "",
    )
    return result, english


def describe(result: EvalResult) -> str:
    """The human-readable report of ``zhen eval``."""
    per_100 = ", ".join(f"{name} {v:.1f}" for name, v in result.qa_per_100().items())
    rate = result.glossary_compliance
    compliance = ("no glossary term in this set" if rate is None else
                  f"{result.renderings_present:,} of {result.renderings_required:,} required renderings present "
                  f"({100 * rate:.1f}%)")
    speed = result.pairs / result.seconds if result.seconds else float("inf")
    lines = [f"zhen eval: {result.test_set}, {result.pairs:,} pairs, engine {result.engine} "
             f"({result.engine_signature})"]
    lines += [f"NOTE: {c}" for c in result.caveats]
    lines += [
        f"chrF2  {result.chrf:6.2f}  {result.chrf_signature}",
        f"BLEU   {result.bleu:6.2f}  {result.bleu_signature}",
        f"floor  {result.floor_chrf:6.2f}  chrF2 of the source copied through unchanged",
        f"glossary compliance: {compliance}",
        f"untranslated: {result.untranslated:,} of {result.pairs:,} (engine faults, scored as empty drafts)"
        + (f"; first: {result.first_fault}" if result.first_fault else ""),
        f"QA findings per 100 segments: {per_100}",
        f"length ratio: {result.length_ratio:.3f} (hypothesis/reference, BLEU tokens)",
        f"throughput: {result.pairs:,} segments in {result.seconds:.2f} s ({speed:,.1f} segments/s, "
        f"{result.source_chars / result.seconds if result.seconds else 0:,.0f} source chars/s; loading included)",
    ]
    return "\n".join(lines) + "\n"


def drafts_tsv(pairs: Sequence[Pair], drafts: Sequence[str]) -> str:
    """source, reference and draft per line, for reading the drafts beside the references."""
    clean = lambda s: " ".join(s.split())  # noqa: E731 - a tab or newline would break the columns
    return "".join(f"{clean(p.source)}\t{clean(p.reference)}\t{clean(d)}\n" for p, d in zip(pairs, drafts))
