"""Golden end-to-end cases: an article, a glossary and a catalog as a reviewer left
it, run through `translate_article`, compared byte for byte with expected files
that a person has read.

tests/golden/review-loop/ holds:
- source.zh.txt: the article now (one sentence edited, one removed, one added
  since old.zh.txt, which produced the catalog);
- en.po: the catalog as the reviewer left it: the title approved with a human
  translation, the 480多 sentence's draft rewritten but left "Needs Work", the
  三個高地 sentence approved with a translator comment, the sentence later deleted
  approved, the rest machine drafts (saved by polib, which wraps long notes);
- expected/: en.po and en.txt after the run.

Regenerate with `pytest tests/test_golden.py --regen-golden`, then read the diff.
"""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from pipeline.workspace.articles import resolve
from pipeline.engines.registry import EngineProvider
from pipeline.glossary.table import load_glossary
from pipeline.run import translate_article
from tests.conftest import NOW

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected").is_dir())


@pytest.mark.parametrize("case", CASES)
def test_golden(case, tmp_path, request):
    folder = GOLDEN / case
    article_dir = tmp_path / case
    article_dir.mkdir()
    shutil.copy(folder / "source.zh.txt", article_dir / "source.zh.txt")
    shutil.copy(folder / "en.po", article_dir / "en.po")
    glossary = load_glossary(folder / "glossary.tsv")
    result = translate_article(resolve(article_dir), glossary=glossary, engines=EngineProvider("dictionary", glossary),
                               now=NOW + timedelta(days=1))
    outputs = {name: (article_dir / name).read_text(encoding="utf-8") for name in ("en.po", "en.txt")}
    if request.config.getoption("--regen-golden"):
        for name, text in outputs.items():
            (folder / "expected" / name).write_text(text, encoding="utf-8")
    for name, text in outputs.items():
        assert text == (folder / "expected" / name).read_text(encoding="utf-8"), f"{case}/{name} differs"
    assert result.reviewed == 1 and result.drafted == 1
