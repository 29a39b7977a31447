"""Paragraphs with gold sentence boundaries from the UD Chinese treebanks in data/ud/ (CC BY-SA 4.0, see its README)."""

from __future__ import annotations

from pathlib import Path

from pipeline.evaluate import conllu_sentences

UD = Path(__file__).resolve().parent.parent / "data" / "ud"


sentences = conllu_sentences  # (sent_id, text) pairs of a CoNLL-U file


def pud_documents() -> dict[str, str]:
    """sent_id → document id, from English PUD's newdoc markers (Chinese PUD marks every sentence)."""
    doc, mapping = None, {}
    for line in (UD / "en_pud-ud-test.conllu").read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc id = "):
            doc = line[14:].strip()
        elif line.startswith("# sent_id = "):
            mapping[line[12:].strip()] = doc
    return mapping


def paragraphs(name: str, *, group: int = 5, by_document: bool = True) -> list[list[str]]:
    """Gold sentences grouped into paragraphs: PUD by document (unless ``by_document``
    is false), GSD and the rest by runs of ``group``."""
    sents = sentences(UD / name)
    if name.startswith("zh_pud") and by_document:
        docs = pud_documents()
        out: list[list[str]] = []
        last = object()
        for sid, text in sents:
            if docs.get(sid) != last:
                out.append([])
                last = docs.get(sid)
            out[-1].append(text)
        return out
    return [[t for _, t in sents[i:i + group]] for i in range(0, len(sents), group)]
