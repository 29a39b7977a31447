"""The terms check: formulas and quoted slogans the glossary does not fix yet."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.model import Flaw, TermHit

# Only sentences with a numeral or a quotation mark can hold a candidate; the
# rest never load jieba or CC-CEDICT.
_MAYBE = re.compile(r"[一二两兩三四五六七八九十双雙『「“]")


def check_terms(source: str, english: str, hits: Sequence[TermHit]) -> list[Flaw]:
    """Terms: a numbered formula or quoted slogan the glossary lacks, so its rendering is not fixed."""
    if not _MAYBE.search(source):
        return []
    from pipeline.text.formulas import find_mentions

    out = []
    for m in find_mentions(source, covered=[(h.start, h.end) for h in hits]):
        if not m.certain:
            continue
        what = "numbered formula" if m.kind == "formula" else "quoted slogan"
        out.append(Flaw("warning", f"{what} {m.surface} is not in the glossary, so its English is not fixed "
                                   "across drafts (see `zhen terms suggest`)", m.surface))
    return out
