"""TMX, the memory format CAT tools exchange: read from other tools, and written for them.

Reading: files other tools wrote (OmegaT, Trados, memoQ, ``zhen export tmx``).

A TMX file comes from outside, so it is read as hostile: no DTD internal
subset and no entity declaration is accepted (so no entity expansion, the
"billion laughs"), no external entity or DTD is fetched, and the file, the
number of units, a segment's length and the element depth are capped. The
parser is expat driven by handlers, so nothing builds a tree of the whole file.

A usable unit has a Chinese variant (``xml:lang`` zh, zh-CN, zh-TW, …; TMX 1.1's
``lang`` too) and an English one (en, en-US, …), each with text. Inline codes
(``bpt``, ``ept``, ``ph``, ``it``, ``ut``) hold the formatting of the tool that
wrote them and are left out; the text inside ``hi`` is kept.

Writing: TMX 1.4b (LISA/GALA) is what CAT tools (OmegaT, Trados, memoQ, Phrase) import as
a translation memory. Only reviewed pairs go in: a memory of unreviewed machine
drafts would teach the next translator the engine's mistakes.
"""

from __future__ import annotations

import codecs
import re
import xml.parsers.expat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import polib

from pipeline import __version__
from pipeline.catalog.entries import EntryInfo, read_entries
from pipeline.catalog.merge import DATE_FORMAT
from pipeline.errors import CatalogError, TMError
from pipeline.text.xmlsafe import Refused, harden

MAX_BYTES = 64 * 1024 * 1024
MAX_UNITS = 500_000
MAX_SEGMENT = 10_000  # characters; longer segments are not sentences
MAX_DEPTH = 32
VERSIONS = ("1.1", "1.2", "1.3", "1.4", "1.4b")
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})


@dataclass(frozen=True)
class TmxUnit:
    source: str
    target: str
    article: str = ""  # from zhen's own x-zhen-article property
    line: int = 0


@dataclass(frozen=True)
class TmxReport:
    units: tuple[TmxUnit, ...]
    skipped: int  # translation units without a usable zh/en pair


class _Reader:
    def __init__(self, line: Callable[[], int]) -> None:
        self.line = line  # the parser's current line, for the units' positions
        self.stack: list[str] = []
        self.units: list[TmxUnit] = []
        self.skipped = 0
        self.seen_root = False
        self._tu: dict | None = None
        self._lang = ""
        self._seg: list[str] | None = None
        self._codes = 0  # depth inside inline codes
        self._prop: list[str] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise Refused(f"elements nested deeper than {MAX_DEPTH}")
        if not self.stack:
            if name != "tmx":
                raise Refused(f"the root element is <{name}>, not <tmx>")
            if attrs.get("version", "") not in VERSIONS:
                raise Refused(f"TMX version {attrs.get('version', '(none)')!r}; zhen reads {', '.join(VERSIONS)}")
            self.seen_root = True
        self.stack.append(name)
        if name == "tu":
            self._tu = {"tuvs": [], "article": "", "line": self.line()}
        elif name == "tuv" and self._tu is not None:
            self._lang = (attrs.get("xml:lang") or attrs.get("lang") or "").lower()
        elif name == "seg" and self._tu is not None:
            self._seg = []
        elif name in _CODES and self._seg is not None:
            self._codes += 1
        elif name == "prop" and self._tu is not None and attrs.get("type") == "x-zhen-article":
            self._prop = []

    def end(self, name: str) -> None:
        self.stack.pop()
        if name in _CODES and self._seg is not None:
            self._codes -= 1
        elif name == "prop" and self._prop is not None and self._tu is not None:
            self._tu["article"] = " ".join("".join(self._prop).split())  # it becomes a note: one line
            self._prop = None
        elif name == "seg" and self._seg is not None and self._tu is not None:
            self._tu["tuvs"].append((self._lang, "".join(self._seg).strip()))
            self._seg = None
        elif name == "tu" and self._tu is not None:
            self._finish(self._tu)
            self._tu = None

    def text(self, data: str) -> None:
        if self._seg is not None and not self._codes:
            self._seg.append(data)
            if len(self._seg) > MAX_SEGMENT:
                self._seg = [("".join(self._seg))[:MAX_SEGMENT + 1]]
        elif self._prop is not None:
            self._prop.append(data)

    def _finish(self, tu: dict) -> None:
        zh = next((t for lang, t in tu["tuvs"] if lang.split("-")[0] == "zh" and t), "")
        en = next((t for lang, t in tu["tuvs"] if lang.split("-")[0] == "en" and t), "")
        if not zh or not en or len(zh) > MAX_SEGMENT or len(en) > MAX_SEGMENT:
            self.skipped += 1
            return
        self.units.append(TmxUnit(" ".join(zh.split()), " ".join(en.split()), tu["article"], tu["line"]))
        if len(self.units) > MAX_UNITS:
            raise Refused(f"more than {MAX_UNITS:,} translation units")


# What expat decodes itself; any other encoding a TMX declares is decoded here first.
_EXPAT_ENCODINGS = frozenset({"utf8", "utf16", "usascii", "ascii", "iso88591", "latin1"})
_DECLARATION = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1""")


def _transcoded(data: bytes, *, name: str) -> bytes:
    """``data`` as expat can read it: a TMX may declare any encoding XML allows (GB18030,
    Big5, Shift_JIS...), which expat cannot decode; Python can, and the text goes to
    expat as UTF-8 with its declaration changed to say so. Line numbers are kept."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data
    m = _DECLARATION.match(data)
    if m is None:
        return data
    declared = m.group(2).decode("ascii")
    if re.sub(r"[^a-z0-9]", "", declared.lower()) in _EXPAT_ENCODINGS:
        return data
    try:
        text = data.decode(codecs.lookup(declared).name)
    except LookupError as e:
        raise TMError(f"declares the encoding {declared!r}, which zhen cannot decode; save it as UTF-8",
                      path=name, line=1) from e
    except UnicodeDecodeError as e:
        raise TMError(f"not {declared} as its declaration says (byte {e.start})", path=name,
                      line=data[:e.start].count(b"\n") + 1) from e
    start, end = m.span(2)
    return data[:start] + b"UTF-8" + text[len(data[:end].decode("ascii")):].encode("utf-8")


def read_tmx(data: bytes, *, name: str) -> TmxReport:
    """The usable units of a TMX document; ``TMError`` naming the file (and line) when it is not one."""
    if len(data) > MAX_BYTES:
        raise TMError(f"larger than {MAX_BYTES // 2**20} MiB; split it", path=name)
    data = _transcoded(data, name=name)
    parser = xml.parsers.expat.ParserCreate()
    reader = _Reader(lambda: parser.CurrentLineNumber)
    harden(parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except Refused as e:
        raise TMError(f"not accepted as TMX: {e}", path=name, line=parser.CurrentLineNumber) from e
    except xml.parsers.expat.ExpatError as e:
        raise TMError(f"not well-formed XML: {xml.parsers.expat.ErrorString(e.code)}", path=name,
                      line=e.lineno) from e
    except (ValueError, LookupError) as e:  # an encoding expat was handed and cannot use
        raise TMError(f"cannot be read: {e}", path=name) from e
    if not reader.seen_root:
        raise TMError("not a TMX file (no <tmx> element)", path=name)
    if not reader.units:
        raise TMError(f"no usable translation unit (each needs a zh and an en variant with text; "
                      f"{reader.skipped} unit(s) without one)", path=name)
    return TmxReport(tuple(reader.units), reader.skipped)


def read_tmx_file(path: Path) -> tuple[TmxUnit, ...]:
    from pipeline.workspace.files import read_regular

    path = Path(path)
    return read_tmx(read_regular(path, max_bytes=MAX_BYTES, error=TMError, what="a TMX file"), name=str(path)).units


def import_tmx(path: Path, tm_dir: Path) -> tuple[Path, TmxReport]:
    """Check a TMX file and copy it into ``tm_dir``; an identical copy already there is fine."""
    from pipeline.workspace.files import read_regular, write_atomic

    path = Path(path)
    if path.suffix.lower() != ".tmx":
        raise TMError("a TMX file's name ends in .tmx", path=path)
    data = read_regular(path, max_bytes=MAX_BYTES, error=TMError, what="a TMX file")
    report = read_tmx(data, name=str(path))
    target = Path(tm_dir) / path.name
    if target.exists() and target.resolve() != path.resolve():
        if target.read_bytes() != data:
            raise TMError(f"{target} already exists with other content; rename the file to import it beside that one",
                          path=path)
        return target, report
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            write_atomic(target, data)
    except OSError as e:
        raise TMError(f"cannot copy into {target.parent}: {e.strerror or e}", path=path) from e
    return target, report


# --- writing --------------------------------------------------------------------------------------

def bcp47(gettext_code: str) -> str:
    """zh_TW → zh-TW, as TMX's xml:lang wants."""
    return gettext_code.replace("_", "-") or "zh"


def _tmx_date(catalog: polib.POFile) -> str:
    stamp = catalog.metadata.get("PO-Revision-Date", "")
    try:
        return datetime.strptime(stamp, DATE_FORMAT).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    except ValueError:
        return ""


# What XML 1.0 cannot carry at all, not even as a character reference.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str, *, what: str, catalog: polib.POFile, entry: EntryInfo | None = None) -> str:
    """``text`` escaped for XML content; a character XML cannot hold is the catalog's error, with its line."""
    bad = _NOT_XML.search(text)
    if bad:
        raise CatalogError(f"{what} holds U+{ord(bad.group()):04X}, which XML (TMX) cannot carry; remove it "
                           "from the catalog", path=catalog.fpath, line=entry.line if entry else None)
    return escape(text, {"\r": "&#13;", '"': "&quot;"})  # a raw CR would read back as LF


def tmx(catalogs: Iterable[tuple[str, polib.POFile]]) -> str:
    """One TMX 1.4b document holding the reviewed pairs of every catalog.

    Deterministic: the dates come from the catalogs, not the clock, so an
    unchanged set of catalogs exports the same bytes.
    """
    units, langs, dates = [], set(), []
    for slug, catalog in catalogs:
        lang = _xml(bcp47(catalog.metadata.get("X-Source-Language", "zh")), what="X-Source-Language",
                    catalog=catalog)
        langs.add(lang)
        date = _tmx_date(catalog)
        dates.append(date)
        for entry in read_entries(catalog):
            if entry.obsolete or not entry.owned or entry.state != "reviewed":
                continue
            refs = " ".join(entry.references)
            when = f" changedate={quoteattr(date)}" if date else ""
            text = {k: _xml(v, what=k, catalog=catalog, entry=entry) for k, v in
                    (("article name", slug), ("reference", refs), ("translator comment", entry.comment),
                     ("msgid", entry.msgid), ("msgstr", entry.msgstr))}
            units.append(
                f'    <tu tuid="{text["article name"]}:{entry.number}"{when}>\n'
                f'      <prop type="x-zhen-article">{text["article name"]}</prop>\n'
                + (f'      <prop type="x-zhen-references">{text["reference"]}</prop>\n' if refs else "")
                + (f"      <note>{text['translator comment']}</note>\n" if entry.comment else "")
                + f'      <tuv xml:lang="{lang}"><seg>{text["msgid"]}</seg></tuv>\n'
                f'      <tuv xml:lang="en"><seg>{text["msgstr"]}</seg></tuv>\n'
                "    </tu>\n"
            )
    srclang = langs.pop() if len(langs) == 1 else "zh"
    created = max(dates, default="")
    header = (
        f'  <header creationtool="zhen" creationtoolversion={quoteattr(__version__)} segtype="sentence"'
        f' o-tmf="PO" adminlang="en" srclang={quoteattr(srclang)} datatype="plaintext"'
        + (f" creationdate={quoteattr(created)}" if created else "")
        + "/>\n"
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n'
            + header + "  <body>\n" + "".join(units) + "  </body>\n</tmx>\n")
