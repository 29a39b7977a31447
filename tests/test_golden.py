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

This test only compares. `make golden` rewrites the expected files and prints the
diff, and fails when anything changed, so that a person reads it (docs/testing.md).
"""

import pytest

from devkit.golden import cases, expected, produce


@pytest.mark.parametrize("case", cases())
def test_golden(case, tmp_path):
    outputs, result = produce(case, tmp_path)
    for name, text in outputs.items():
        assert text == expected(case, name), (f"{case}/{name} differs from its expected file; "
                                              "`make golden` shows the diff")
    assert result.reviewed == 1 and result.drafted == 1


def test_there_are_golden_cases():
    assert cases(), "tests/golden/ holds no case with an expected/ folder"
