"""Which glossary-enforcement layer does the work? Drafts of the sample article
under each combination of layers, counted against the glossary.

Layers: injection (the required rendering replaces the term in the source before
the engine sees it), repair (an avoided rendering in the output is swapped for the
required one), n-best choice (ask for 4 hypotheses, keep the one carrying the most
required renderings once repaired) and verification (flag a draft that still
misses a rendering or carries an avoided one). The Argos engine also keeps
avoided renderings out of decoding (CTranslate2 ``suppress_sequences``) in
every row. Measured for the dictionary engine and for the Argos engine with the
random-weight base model of ``bench.argos``; a real zh→en model cannot be
downloaded here, so the Argos rows show what the layers do for a model that
knows none of the terms, which is the worst case. ``--packages DIR`` measures
an installed package instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.argos import ROOT, SAMPLE

CONFIGS = (  # (label, inject, n_best, repair)
    ("nothing (1-best, no injection, no repair)", False, 1, False),
    ("repair", False, 1, True),
    ("injection", True, 1, False),
    ("injection + repair", True, 1, True),
    ("n-best choice (4)", False, 4, False),
    ("n-best choice (4) + repair", False, 4, True),
    ("injection + n-best choice (4) + repair", True, 4, True),
)


def count(engine_name: str, inject: bool, n_best: int, repair: bool) -> dict:
    from pipeline.text import script
    from pipeline.engines.registry import engine_class
    from pipeline.glossary.enforcement import verify
    from pipeline.glossary.table import load_glossary
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    glossary = load_glossary(ROOT / "glossary")
    segments = script.normalize(segment(read_article(SAMPLE)))
    hits = glossary.match_segments(segments)
    kwargs = {}
    if engine_name == "argos":
        from pipeline.engines.argos.engine import ArgosOptions

        kwargs["options"] = ArgosOptions(n_best=n_best, beam_size=max(4, n_best), max_decoding_length=64)
    engine = engine_class(engine_name)(glossary, **kwargs)
    engine.inject_terms, engine.n_best, engine.repair_terms = inject, n_best, repair
    drafts = engine.draft(segments, hits)
    required = present = avoided = repaired = flagged = silent = with_terms = complete = 0
    for seg in segments:
        seg_hits = hits.get(seg.id, ())
        if not seg_hits:
            continue
        with_terms += 1
        d = drafts[seg.id]
        missing, forbidden = verify(d.text, seg_hits)
        wanted = {h.term.english for h in seg_hits}
        required += len(wanted)
        present += len(wanted) - len(missing)
        avoided += len(forbidden)
        repaired += len(d.repaired_terms)
        complete += not missing and not forbidden
        is_flagged = bool(d.missing_terms or d.forbidden_terms)
        flagged += is_flagged
        silent += bool(missing or forbidden) and not is_flagged
    return {"segments with terms": with_terms, "renderings required": required, "present": present,
            "avoided present": avoided, "repaired": repaired, "segments complete": complete, "flagged": flagged,
            "silently wrong": silent}


def measure(packages: Path) -> list[tuple[str, str, dict]]:
    """Each (engine, layers) combination in a fresh process (the engines load models)."""
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "PYTHONPATH": str(ROOT)}
    out = []
    for engine in ("dictionary", "argos"):
        for label, inject, n_best, repair in CONFIGS:
            if engine == "dictionary" and n_best > 1:
                continue  # one deterministic gloss per segment: nothing to choose from
            done = subprocess.run([sys.executable, "-m", "bench.enforcement", engine, str(int(inject)), str(n_best),
                                   str(int(repair))],
                                  env=env, cwd=ROOT, capture_output=True, text=True, check=True)
            out.append((engine, label, json.loads(done.stdout)))
    return out


def main(argv: list[str]) -> None:
    """``python -m bench.enforcement --packages DIR``: the table for the zh→en
    package installed in DIR (``zhen model install`` puts one in
    ``$ARGOS_PACKAGES_DIR``), e.g. a real trained one where it can be had."""
    if argv and argv[0] in ("dictionary", "argos"):  # one row, in the fresh process measure() starts
        print(json.dumps(count(argv[0], bool(int(argv[1])), int(argv[2]), bool(int(argv[3])))))
        return
    if len(argv) != 2 or argv[0] != "--packages":
        raise SystemExit("usage: python -m bench.enforcement --packages DIR")
    from rich.console import Console

    from bench.__main__ import bench_enforcement
    from pipeline.engines.argos.packages import find_package

    packages = Path(argv[1]).resolve()
    info = find_package("zh", "en", packages)
    if info is None:
        raise SystemExit(f"{packages}: no zh→en package installed there")
    bench_enforcement(Console(width=150), packages, model=info.label)


if __name__ == "__main__":
    main(sys.argv[1:])
