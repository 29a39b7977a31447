"""Glossary exchange formats: TBX (for CAT tools) and CSV (for spreadsheets), both ways.

The round trip TSV → TBX/CSV → TSV loses nothing: every column survives, and so does
each term's scope (a TBX ``geographicalUsage``, a CSV ``scope`` column, a TSV file's
``# scope:`` line). A TSV file has one scope, so terms of several scopes (a national and a
local row may define the same term) are refused there, never written as duplicates.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from xml.parsers import expat

from pipeline.errors import GlossaryError
from pipeline.glossary.scope import NATIONAL, scope_key
from pipeline.glossary.table import COLUMNS, LIST_SEP, REQUIRED, breaking_char, lint_terms, read_text, split_list
from pipeline.model import Term
from pipeline.text.xmlsafe import Refused, harden

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
# The accept column is optional: a glossary without accepted renderings is
# written, and may be read, in the columns it always had.
OPTIONAL = ("accept",)
SCOPE = "scope"  # the CSV column a term's scope goes in, when the terms have a local one
GEOGRAPHY = "geographicalUsage"  # TBX's data category for where a term is used


def _columns(terms: Sequence[Term]) -> tuple[str, ...]:
    return COLUMNS if any(t.accept for t in terms) else tuple(c for c in COLUMNS if c not in OPTIONAL)


def _row(t: Term, columns: Sequence[str]) -> list[str]:
    cells = {"term": t.term, "variants": LIST_SEP.join(t.variants), "english": t.english,
             "accept": LIST_SEP.join(t.accept), "avoid": LIST_SEP.join(t.avoid), "kind": t.kind, "note": t.note,
             "source": t.source}
    return [cells[c] for c in columns]


def scopes(terms: Sequence[Term]) -> list[str]:
    """The scopes ``terms`` belong to, national first."""
    return sorted({t.scope for t in terms}, key=lambda s: (s != NATIONAL, s))


def one_scope(terms: Sequence[Term], *, name: str = "") -> str:
    """The one scope of ``terms``; GlossaryError when they have several, as one TSV file cannot hold them."""
    found = scopes(terms) or [NATIONAL]
    if len(found) > 1:
        raise GlossaryError(f"holds terms of {len(found)} scopes ({', '.join(found)}), and a TSV glossary file has "
                            "one: export with --place PLACE (the terms an article of PLACE uses), or one file per "
                            "scope", path=name or None)
    return found[0]


def to_tsv(terms: Sequence[Term]) -> str:
    columns = _columns(terms)
    lines = [f"# scope: {one_scope(terms)}", "\t".join(columns)] + ["\t".join(_row(t, columns)) for t in terms]
    return "\n".join(lines) + "\n"


def to_csv(terms: Sequence[Term]) -> str:
    columns = _columns(terms)
    local = scopes(terms) != [NATIONAL] and bool(terms)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*columns, SCOPE] if local else columns)
    for t in terms:
        writer.writerow([*_row(t, columns), t.scope] if local else _row(t, columns))
    return out.getvalue()


def from_csv(text: str, *, name: str = "<csv>") -> list[Term]:
    reader = csv.reader(io.StringIO(text, newline=""))  # quoted CR and LF stay in their cell
    try:
        header = next(reader, None)
        columns = tuple(h.strip().lower() for h in header or ())
        if columns not in (COLUMNS, _columns(()), (*COLUMNS, SCOPE), (*_columns(()), SCOPE)):
            raise GlossaryError(f"CSV header must be {','.join(COLUMNS)} (accept may be left out; a last column "
                                f"{SCOPE} may follow)", path=name, line=1)
        terms = []
        number = reader.line_num + 1  # a quoted cell may span lines: rows are cited by their first
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) != len(columns):
                    raise GlossaryError(f"{len(row)} cells, expected {len(columns)}", path=name, line=number)
                terms.append(_term(dict(zip(columns, row)), name=name, line=number))
            number = reader.line_num + 1
    except csv.Error as e:
        raise GlossaryError(f"not valid CSV: {e}", path=name, line=reader.line_num) from e
    return terms


def _term(cells: dict[str, str], *, name: str, line: int) -> Term:
    """A term from imported cells, refusing what would break or inject a TSV row."""
    for column, value in cells.items():
        bad = breaking_char(value)
        if bad:
            raise GlossaryError(f"{column} holds {bad}, which a glossary row cannot", path=name, line=line)
    cells = {k: v.strip() for k, v in cells.items()}
    empty = [c for c in REQUIRED if not cells.get(c)]
    if empty:
        raise GlossaryError(f"empty required field(s): {', '.join(empty)}", path=name, line=line)
    where = scope_key(cells.get(SCOPE) or NATIONAL)
    if where is None:
        raise GlossaryError(f"scope {cells[SCOPE]!r} is neither \"national\" nor a place zhen knows",
                            path=name, line=line)
    return Term(term=cells["term"], english=cells["english"], variants=split_list(cells.get("variants", "")),
                avoid=split_list(cells.get("avoid", "")), accept=split_list(cells.get("accept", "")),
                kind=cells.get("kind", ""), note=cells["note"], source=cells["source"], file=name, line=line,
                scope=where)


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
        if t.scope != NATIONAL:
            ET.SubElement(entry, "descrip", {"type": GEOGRAPHY}).text = t.scope
        ET.SubElement(entry, "descrip", {"type": "definition"}).text = t.note
        ET.SubElement(entry, "admin", {"type": "source"}).text = t.source
        zh = ET.SubElement(entry, "langSet", {XML_LANG: source_lang})
        for form, kind in [(t.term, "fullForm"), *((v, "variant") for v in t.variants)]:
            tig = ET.SubElement(zh, "tig")
            ET.SubElement(tig, "term").text = form
            ET.SubElement(tig, "termNote", {"type": "termType"}).text = kind
        en = ET.SubElement(entry, "langSet", {XML_LANG: target_lang})
        # The required rendering comes first: readers that take one term per language take it.
        for form, status in [(t.english, PREFERRED), *((a, ADMITTED) for a in t.accept),
                             *((a, DEPRECATED) for a in t.avoid)]:
            tig = ET.SubElement(en, "tig")
            ET.SubElement(tig, "term").text = form
            ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    ET.indent(martif)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(martif, encoding="unicode") + "\n"


def _entry_lines(text: str) -> list[int]:
    """The line of every termEntry start tag, in document order (ElementTree keeps none)."""
    lines: list[int] = []
    parser = expat.ParserCreate(namespace_separator="}")  # names as ElementTree sees them

    def start(tag: str, attrs: dict) -> None:
        if tag == "termEntry":
            lines.append(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.Parse(text, True)
    return lines


def _preferred(en: list[tuple[str, str]], entry: str | None, *, name: str, line: int) -> str:
    """The one English term to draft with. Every English term has a status zhen knows, or the entry
    has a single English term; an English term nothing here would carry is refused, not dropped."""
    unknown = next((s for _, s in en if s not in ("", PREFERRED, ADMITTED, DEPRECATED)), None)
    if unknown is not None:
        raise GlossaryError(f"termEntry {entry}: English administrativeStatus {unknown!r} is none of "
                            f"{PREFERRED}, {ADMITTED}, {DEPRECATED}", path=name, line=line)
    preferred = [f for f, s in en if s == PREFERRED]
    unmarked = [f for f, s in en if s == ""]
    if len(preferred) + len(unmarked) == 1:
        return (preferred or unmarked)[0]
    if not preferred and not unmarked:
        raise GlossaryError(f"termEntry {entry}: no preferred English term, only admitted or deprecated ones",
                            path=name, line=line)
    raise GlossaryError(f"termEntry {entry}: {len(preferred) + len(unmarked)} English terms could be the "
                        f"rendering ({', '.join(map(repr, preferred + unmarked))}); mark one {PREFERRED} and the "
                        f"others {ADMITTED} or {DEPRECATED}", path=name, line=line)


def _refuse_entities(text: str, *, name: str) -> None:
    """TBX comes from outside as TMX does, and is held to the same rule (``xmlsafe``):
    ElementTree would expand an internal entity, a billion times over if it is told to."""
    parser = expat.ParserCreate()
    harden(parser)
    try:
        parser.Parse(text, True)
    except Refused as e:
        raise GlossaryError(f"not accepted as TBX: {e}", path=name, line=parser.CurrentLineNumber) from e
    except expat.ExpatError as e:
        raise GlossaryError(f"not valid XML: {expat.ErrorString(e.code)}", path=name, line=e.lineno) from e


def from_tbx(text: str, *, name: str = "<tbx>") -> list[Term]:
    _refuse_entities(text, name=name)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise GlossaryError(f"not valid XML: {e}", path=name, line=e.position[0]) from e
    lines = _entry_lines(text)
    terms = []
    for entry, line in zip(root.iter("termEntry"), lines):
        fields = {d.get("type"): (d.text or "") for d in entry.findall("descrip")}
        source = next((a.text or "" for a in entry.findall("admin") if a.get("type") == "source"), "")
        forms: dict[str, list[tuple[str, str]]] = {}
        for ls in entry.findall("langSet"):
            lang = ls.get(XML_LANG, "")
            for tig in ls.findall("tig"):
                status = next((n.text or "" for n in tig.findall("termNote")
                               if n.get("type") == "administrativeStatus"), "")
                forms.setdefault(lang[:2], []).append((tig.findtext("term") or "", status.strip()))
        zh, en = forms.get("zh", []), forms.get("en", [])
        if not zh or not en:
            raise GlossaryError(f"termEntry {entry.get('id')} lacks a zh or en term", path=name, line=line)
        english = _preferred(en, entry.get("id"), name=name, line=line)
        for value in (*(f for f, _ in zh), *(f for f, _ in en)):
            if LIST_SEP in value:
                raise GlossaryError(f"term {value!r} holds {LIST_SEP!r}, which separates list items",
                                    path=name, line=line)
        terms.append(_term({"term": zh[0][0], "variants": LIST_SEP.join(f for f, _ in zh[1:]), "english": english,
                            "accept": LIST_SEP.join(f for f, s in en if s == ADMITTED),
                            "avoid": LIST_SEP.join(f for f, s in en if s == DEPRECATED),
                            "kind": fields.get("subjectField", ""), "note": fields.get("definition", ""),
                            "source": source, SCOPE: fields.get(GEOGRAPHY, "")}, name=name, line=line))
    return terms


def read_terms(path: Path) -> list[Term]:
    """Terms from a TBX or CSV file, checked as ``zhen glossary lint`` would check a TSV."""
    text = read_text(path)
    parse = from_tbx if Path(path).suffix.lower() == ".tbx" else from_csv
    terms = parse(text, name=str(path))
    if not terms:
        raise GlossaryError("no glossary terms in this file; nothing to import", path=path)
    problems = lint_terms(terms)
    if problems:
        raise GlossaryError(problems[0].message, path=path, line=problems[0].line)
    return terms


def invisible(terms: Sequence[Term]) -> list[str]:
    """Warnings for values holding a character that shows nothing or reorders what follows
    (U+200B zero-width space, U+202E right-to-left override...): a term that reads like
    another but never matches, or a rendering that displays other than it is."""
    found = []
    for t in terms:
        for column, value in (("term", t.term), ("variants", LIST_SEP.join(t.variants)), ("english", t.english),
                              ("accept", LIST_SEP.join(t.accept)), ("avoid", LIST_SEP.join(t.avoid)),
                              ("note", t.note), ("source", t.source)):
            odd = sorted({f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) == "Cf"})
            if odd:
                found.append(f"{t.file}:{t.line}: {column} holds the invisible or direction-changing character(s) "
                             f"{', '.join(odd)}; check the term")
    return found


def import_file(source: Path, output: Path, *, force: bool = False) -> tuple[list[Term], Path | None]:
    """Convert ``source`` into a TSV at ``output``; return the terms and the backup kept, if any.

    An existing ``output`` is replaced only with ``force``, and then kept as ``NAME~``.
    """
    from pipeline.workspace.files import backup, write_atomic

    terms = read_terms(source)
    one_scope(terms, name=str(source))
    if output.is_dir():
        raise GlossaryError("is a folder; give the TSV file to write", path=output)
    if output.exists() and not force:
        raise GlossaryError("already exists; pass --force to replace it (the old file is kept as "
                            f"{output.name}~)", path=output)
    kept = backup(output)
    write_atomic(output, to_tsv(terms))
    return terms, kept
