"""Which glossary-enforcement layer does the work? Drafts of the sample article
under each combination of layers, counted against the glossary.

Layers: injection (the required rendering replaces the term in the source before
the engine sees it), n-best choice (ask for 4 hypotheses, keep the one carrying
the most required renderings) and verification (flag a draft that still misses a
rendering or carries an avoided one). Measured for the dictionary engine and for
the Argos engine with the random-weight base model of ``bench.argos``; a real
zh→en model cannot be downloaded here, so the Argos rows show what the layers do
for a model that knows none of the terms, which is the worst case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.argos import ROOT, SAMPLE

CONFIGS = (  # (label, inject, n_best)
    ("nothing (1-best, no injection)", False, 1),
    ("injection", True, 1),
    ("n-best choice (4)", False, 4),
    ("injection + n-best choice (4)", True, 4),
)


def count(engine_name: str, inject: bool, n_best: int) -> dict:
    from pipeline import script
    from pipeline.engines import engine_class
    from pipeline.engines.base import verify
    from pipeline.glossary import load_glossary
    from pipeline.segment import segment
    from pipeline.source import read_article

    glossary = load_glossary(ROOT / "glossary")
    segments = script.normalize(segment(read_article(SAMPLE)))
    hits = glossary.match_segments(segments)
    kwargs = {}
    if engine_name == "argos":
        from pipeline.engines.argos import ArgosOptions

        kwargs["options"] = ArgosOptions(n_best=n_best, beam_size=max(4, n_best), max_decoding_length=64)
    engine = engine_class(engine_name)(glossary, **kwargs)
    engine.inject_terms, engine.n_best = inject, n_best
    drafts = engine.draft(segments, hits)
    required = present = avoided = flagged = silent = with_terms = complete = 0
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
        complete += not missing and not forbidden
        is_flagged = bool(d.missing_terms or d.forbidden_terms)
        flagged += is_flagged
        silent += bool(missing or forbidden) and not is_flagged
    return {"segments with terms": with_terms, "renderings required": required, "present": present,
            "avoided present": avoided, "segments complete": complete, "flagged": flagged, "silently wrong": silent}


def measure(packages: Path) -> list[tuple[str, str, dict]]:
    """Each (engine, layers) combination in a fresh process (the engines load models)."""
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "PYTHONPATH": str(ROOT)}
    out = []
    for engine in ("dictionary", "argos"):
        for label, inject, n_best in CONFIGS:
            if engine == "dictionary" and n_best > 1:
                continue  # one deterministic gloss per segment: nothing to choose from
            done = subprocess.run([sys.executable, "-m", "bench.enforcement", engine, str(int(inject)), str(n_best)],
                                  env=env, cwd=ROOT, capture_output=True, text=True, check=True)
            out.append((engine, label, json.loads(done.stdout)))
    return out


if __name__ == "__main__":
    print(json.dumps(count(sys.argv[1], bool(int(sys.argv[2])), int(sys.argv[3]))))
