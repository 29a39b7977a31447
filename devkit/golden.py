"""`make golden`: rewrite the expected files of the golden cases from the code's
output and print the diff; exits 1 when anything changed, so that a person reads
the diff before committing it. tests/test_golden.py only compares.

    python -m devkit.golden [CASE ...]
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from devkit import ROOT

GOLDEN = ROOT / "tests" / "golden"
OUTPUTS = ("en.po", "en.txt")
# The day after the reviewer's catalog was written, fixed so that the outputs are the same bytes every run.
RUN_AT = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def cases() -> list[str]:
    return sorted(p.name for p in GOLDEN.iterdir() if (p / "expected").is_dir())


def produce(case: str, workdir: Path):
    """Run the case's article through `translate_article` in ``workdir``; its outputs by name, and the result."""
    from pipeline.engines.registry import EngineProvider
    from pipeline.glossary.table import load_glossary
    from pipeline.run import translate_article
    from pipeline.workspace.articles import resolve

    folder = GOLDEN / case
    article_dir = workdir / case
    article_dir.mkdir()
    shutil.copy(folder / "source.zh.txt", article_dir / "source.zh.txt")
    shutil.copy(folder / "en.po", article_dir / "en.po")
    glossary = load_glossary(folder / "glossary.tsv")
    result = translate_article(resolve(article_dir), glossary=glossary,
                               engines=EngineProvider("dictionary", glossary), now=RUN_AT)
    return {name: (article_dir / name).read_text(encoding="utf-8") for name in OUTPUTS}, result


def expected(case: str, name: str) -> str:
    path = GOLDEN / case / "expected" / name
    return path.read_text(encoding="utf-8") if path.exists() else ""


def regenerate(names: list[str]) -> int:
    from pipeline.workspace.files import write_atomic

    changed = []
    for case in names:
        with tempfile.TemporaryDirectory(prefix="zhen-golden-") as tmp:
            outputs, _ = produce(case, Path(tmp))
        for name, text in outputs.items():
            before = expected(case, name)
            if text == before:
                continue
            label = f"tests/golden/{case}/expected/{name}"
            sys.stdout.writelines(difflib.unified_diff(before.splitlines(keepends=True), text.splitlines(keepends=True),
                                                       f"a/{label}", f"b/{label}"))
            write_atomic(GOLDEN / case / "expected" / name, text)
            changed.append(label)
    if changed:
        print(f"\n{len(changed)} expected file(s) rewritten: {', '.join(changed)}\n"
              "Read the diff above line by line; commit it only if every change is right.", file=sys.stderr)
        return 1
    print("golden: every expected file matches the code's output", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", metavar="CASE", help="which cases (default: all)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.cases if c not in cases()]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r} (cases: {', '.join(cases())})")
    return regenerate(args.cases or cases())


if __name__ == "__main__":
    sys.exit(main())
