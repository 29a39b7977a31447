"""Glossary exchange formats: TBX (for CAT tools) and CSV (for spreadsheets), both ways.

The round trip TSV → TBX/CSV → TSV loses nothing: every column survives.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from pipeline.errors import GlossaryError
from pipeline.glossary import COLUMNS, LIST_SEP, split_list
from pipeline.model import Term

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"


def _row(t: Term) -> list[str]:
    return [t.term, LIST_SEP.join(t.variants), t.english, LIST_SEP.join(t.avoid), t.kind, t.note, t.source]


def to_tsv(terms: Sequence[Term]) -> str:
    lines = ["\t".join(COLUMNS)] + ["\t".join(_row(t)) for t in terms]
    return "\n".join(lines) + "\n"


def to_csv(terms: Sequence[Term]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for t in terms:
        writer.writerow(_row(t))
    return out.getvalue()


def from_csv(text: str, *, name: str = "<csv>") -> list[Term]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != COLUMNS:
        raise GlossaryError(f"CSV header must be {','.join(COLUMNS)}", path=name, line=1)
    terms = []
    for number, row in enumerate(reader, start=2):
        if len(row) != len(COLUMNS):
            raise GlossaryError(f"{len(row)} cells, expected {len(COLUMNS)}", path=name, line=number)
        d = dict(zip(COLUMNS, row))
        terms.append(Term(term=d["term"], english=d["english"], variants=split_list(d["variants"]),
                          avoid=split_list(d["avoid"]), kind=d["kind"], note=d["note"], source=d["source"]))
    return terms


def to_tbx(terms: Sequence[Term], *, source_lang: str = "zh", target_lang: str = "en") -> str:
    """TBX (ISO 30042, martif) as OmegaT, Trados and memoQ import it."""
    martif = ET.Element("martif", {"type": "TBX", XML_LANG: target_lang})
    header = ET.SubElement(martif, "martifHeader")
    desc = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(desc, "p").text = "zhen curated glossary"
    body = ET.SubElement(ET.SubElement(martif, "text"), "body")
    for n, t in enumerate(terms, start=1):
        entry = ET.SubElement(body, "termEntry", {"id": f"t{n}"})
        if t.kind:
            ET.SubElement(entry, "descrip", {"type": "subjectField"}).text = t.kind
        ET.SubElement(entry, "descrip", {"type": "definition"}).text = t.note
        ET.SubElement(entry, "admin", {"type": "source"}).text = t.source
        zh = ET.SubElement(entry, "langSet", {XML_LANG: source_lang})
        for form, kind in [(t.term, "fullForm"), *((v, "variant") for v in t.variants)]:
            tig = ET.SubElement(zh, "tig")
            ET.SubElement(tig, "term").text = form
            ET.SubElement(tig, "termNote", {"type": "termType"}).text = kind
        en = ET.SubElement(entry, "langSet", {XML_LANG: target_lang})
        for form, status in [(t.english, PREFERRED), *((a, DEPRECATED) for a in t.avoid)]:
            tig = ET.SubElement(en, "tig")
            ET.SubElement(tig, "term").text = form
            ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    ET.indent(martif)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(martif, encoding="unicode") + "\n"


def from_tbx(text: str, *, name: str = "<tbx>") -> list[Term]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise GlossaryError(f"not valid XML: {e}", path=name, line=e.position[0]) from e
    terms = []
    for entry in root.iter("termEntry"):
        fields = {d.get("type"): (d.text or "") for d in entry.findall("descrip")}
        source = next((a.text or "" for a in entry.findall("admin") if a.get("type") == "source"), "")
        forms: dict[str, list[tuple[str, str]]] = {}
        for ls in entry.findall("langSet"):
            lang = ls.get(XML_LANG, "")
            for tig in ls.findall("tig"):
                notes = [n.text or "" for n in tig.findall("termNote")]
                forms.setdefault(lang[:2], []).append((tig.findtext("term") or "", notes[0] if notes else ""))
        zh, en = forms.get("zh", []), forms.get("en", [])
        if not zh or not en:
            raise GlossaryError(f"termEntry {entry.get('id')} lacks a zh or en term", path=name)
        english = next((f for f, s in en if s == PREFERRED), en[0][0])
        terms.append(Term(term=zh[0][0], english=english, variants=tuple(f for f, _ in zh[1:]),
                          avoid=tuple(f for f, s in en if s == DEPRECATED), kind=fields.get("subjectField", ""),
                          note=fields.get("definition", ""), source=source))
    return terms
