"""QA checks: small functions over (source, English, glossary hits) returning findings.

The first line of each check's docstring is the title users see. The runner
collects; the CLI decides the exit status.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import po
from pipeline.catalog import state
from pipeline.engines.base import verify
from pipeline.model import Finding, TermHit
from pipeline.numbers import en_figures, zh_figures

Check = Callable[[str, str, Sequence[TermHit]], list[tuple[str, str]]]
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FULLWIDTH = re.compile(r"[，。：；（）『』「」、！？]")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def check_numbers(source: str, english: str, hits: Sequence[TermHit]) -> list[tuple[str, str]]:
    """Figures: every figure in the source appears in the English."""
    covered = [(h.start, h.end) for h in hits]  # 七一, 建黨89周年 … are the glossary's business
    target = {(f.value, f.percent) for f in en_figures(english)}
    out = []
    for fig in zh_figures(_nfkc(source)):
        if any(s <= fig.start < e for s, e in covered):
            continue
        if (fig.value, fig.percent) not in target:
            out.append(("error", f"figure {fig.surface} ({fig.value:g}) is missing or altered"))
    return out


def check_glossary(source: str, english: str, hits: Sequence[TermHit]) -> list[tuple[str, str]]:
    """Glossary: required renderings present, avoided renderings absent."""
    missing, forbidden = verify(english, hits)
    return ([("error", f'missing required rendering "{m}"') for m in missing]
            + [("error", f'carries avoided rendering "{f}"') for f in forbidden])


def check_leftovers(source: str, english: str, hits: Sequence[TermHit]) -> list[tuple[str, str]]:
    """Leftovers: CJK characters, full-width punctuation or doubled spaces in the English."""
    out = []
    if _CJK.search(english):
        out.append(("error", f"Chinese characters left in the English: {''.join(_CJK.findall(english))[:20]}"))
    if _FULLWIDTH.search(english):
        out.append(("warning", f"full-width punctuation: {''.join(_FULLWIDTH.findall(english))}"))
    if "  " in english:
        out.append(("warning", "doubled space"))
    if english.strip() == source.strip():
        out.append(("error", "English identical to the source"))
    return out


def check_repetition(source: str, english: str, hits: Sequence[TermHit]) -> list[tuple[str, str]]:
    """Repetition: a word or phrase repeated in a loop, a known MT failure."""
    words = re.findall(r"\w+", english.lower())
    for n in (1, 2, 3):
        for i in range(len(words) - 3 * n + 1):
            gram = words[i:i + n]
            if gram == words[i + n:i + 2 * n] == words[i + 2 * n:i + 3 * n]:
                return [("error", f"repeated {' '.join(gram)!r} three times in a row")]
    return []


CHECKS: dict[str, Check] = {
    "numbers": check_numbers,
    "glossary": check_glossary,
    "leftovers": check_leftovers,
    "repetition": check_repetition,
}


def check_segment(source: str, english: str, hits: Sequence[TermHit], *, segment: int | None = None,
                  catalog: str = "") -> list[Finding]:
    if not english.strip():
        return []
    return [Finding(check=name, severity=sev, message=msg, segment=segment, catalog=catalog)
            for name, check in CHECKS.items() for sev, msg in check(source, english, hits)]


def check_file(path: Path, glossary) -> list[Finding]:
    """Every translated entry of one catalog."""
    findings: list[Finding] = []
    for n, entry in enumerate(po.read_catalog(path), start=1):
        if entry.obsolete or state(entry) == "untranslated":
            continue
        findings += check_segment(entry.msgid, entry.msgstr, glossary.match(entry.msgid), segment=n,
                                  catalog=str(path))
    return findings
