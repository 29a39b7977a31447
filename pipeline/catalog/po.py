"""The gettext PO format: strict reading through polib, and a writer that wraps like msgcat.

polib accepts some broken files silently, so every catalog is first checked
line by line against gettext's grammar (``po_grammar``). The writer produces what ``msgcat`` would write for the
same entries (79 columns, East Asian wide characters counting two), so a
save in Poedit, which runs msgcat-compatible formatting, changes nothing
but what the reviewer changed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import polib

from pipeline.errors import CatalogError
from pipeline.catalog.grammar import ParsedEntry, validate_text

WIDTH = 79
_CHARSET = re.compile(r"charset\s*=\s*([\w.:-]+)", re.I)


class _Lines(str):
    """Catalog text that polib splits at newlines only.

    polib splits text with ``str.splitlines``, which also breaks at U+2028,
    U+2029, U+0085, form feeds and a few more: a reviewer's msgstr or a file
    name holding one would come back cut in two. gettext breaks at LF alone.
    """

    def splitlines(self, keepends: bool = False) -> list[str]:
        return [line.rstrip("\r") for line in str.split(self, "\n")]


def _check_charset(catalog: polib.POFile, text: str, name: str) -> None:
    """zhen reads and writes UTF-8: a header naming another charset would be a lie after the next write."""
    m = _CHARSET.search(catalog.metadata.get("Content-Type", ""))
    if m and m.group(1).lower() not in ("utf-8", "utf8"):
        line = next((n for n, t in enumerate(text.split("\n"), start=1) if "Content-Type:" in t), None)
        raise CatalogError(f"header declares charset={m.group(1)}, but zhen catalogs are UTF-8 (fix the header, "
                           "or convert the file with msgconv --to-code=UTF-8)", path=name, line=line)


def _restore_obsolete_previous(catalog: polib.POFile, infos: list[ParsedEntry]) -> None:
    """polib skips "#~|" lines: give obsolete entries back the previous msgid msgmerge wrote for them."""
    infos = [i for i in infos if i.msgid or i.msgctxt is not None]  # polib keeps the header apart
    if len(infos) != len(catalog):
        return
    for info, entry in zip(infos, catalog):
        if info.obsolete and info.previous and entry.obsolete and (entry.msgctxt, entry.msgid) == (info.msgctxt,
                                                                                                   info.msgid):
            entry.previous_msgctxt = info.previous.get("msgctxt")
            entry.previous_msgid = info.previous.get("msgid")
            entry.previous_msgid_plural = info.previous.get("msgid_plural")


MAX_CATALOG_BYTES = 64 * 1024 * 1024  # some 30,000 articles' worth of entries: anything larger is not a catalog


def read_catalog(path: Path) -> polib.POFile:
    """Parse a catalog strictly; any doubt is a CatalogError naming file and line."""
    from pipeline.workspace.files import read_regular

    path = Path(path)
    raw = read_regular(path, max_bytes=MAX_CATALOG_BYTES, error=CatalogError, what="a catalog")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise CatalogError("not UTF-8", path=path, line=line) from e
    infos = validate_text(text, name=str(path))
    try:
        catalog = polib.pofile(_Lines(text), wrapwidth=WIDTH, encoding="utf-8")
    except (OSError, ValueError) as e:
        # polib says "Syntax error in po file (line 6)"; the line belongs in front, like every other error.
        at = re.search(r"\s*\(line (\d+)\)", str(e))
        message = str(e).replace(at.group(0), "") if at else str(e)
        raise CatalogError(f"cannot parse: {message}", path=path, line=int(at.group(1)) if at else None) from e
    _check_charset(catalog, text, str(path))
    _restore_obsolete_previous(catalog, infos)
    catalog.fpath = str(path)  # so that later errors about an entry can name the file
    language = catalog.metadata.get("Language", "en")
    if language and not language.lower().startswith("en"):
        raise CatalogError(f"header says Language: {language}, this pipeline writes English catalogs",
                           path=path)
    return catalog


# ---------------------------------------------------------------- writing


@functools.lru_cache(maxsize=None)
def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            .replace("\r", "\\r").replace("\n", "\\n"))


# Characters a line may not start with (closing punctuation, UAX #14 CL/CP/EX/IS/NS)
# and may not end with (opening punctuation, OP/QU-open).
_NO_START = set("、。，．：；？！）」』】〕〉》〗〙〛｝］,.:;?!)]}%‰°℃ー・…‥々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ”’")
_NO_END = set("（「『【〔〈《〖〘〚｛［([{“‘")


@functools.lru_cache(maxsize=None)
def _is_ideographic(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


_TOKEN = re.compile(r"\\.|.", re.S)
# In ASCII text only three places allow a break: after an escaped newline, after a space
# before a non-space, and after a hyphen between letters. ``_pieces`` finds them with one scan
# (escapes matched whole, so a backslash never starts a token in the middle of one).
_ASCII_BREAK = re.compile(r"\\n(?=.)|\\.| (?=[^ ])|(?<=[A-Za-z])-(?=[A-Za-z])", re.S)


def _pieces(escaped: str) -> list[str]:
    """Split an escaped string into unbreakable pieces (break allowed between pieces)."""
    if escaped.isascii():
        return _ascii_pieces(escaped)
    tokens = _TOKEN.findall(escaped)
    pieces: list[str] = []
    current = ""
    for tok, nxt in zip(tokens, tokens[1:]):
        current += tok
        prev = tok[-1]
        if tok == "\\n" or (prev == " " and nxt != " "):
            pass
        elif nxt[0] in _NO_START or nxt == " " or prev in _NO_END:
            continue
        elif not (_is_ideographic(nxt[0]) or (_is_ideographic(prev) and len(tok) == 1)
                  or (prev == "-" and nxt[0].isalpha() and len(current) > 1 and current[-2].isalpha())):
            continue
        pieces.append(current)
        current = ""
    if tokens:
        current += tokens[-1]
    if current:
        pieces.append(current)
    return pieces


def _ascii_pieces(escaped: str) -> list[str]:
    """``_pieces`` for ASCII text: no character there is wide or forbidden at a line's start
    but the punctuation the three break rules never look at."""
    pieces: list[str] = []
    cut = 0
    after_newline = -1  # where the last escaped newline ended: a hyphen there starts a piece alone
    for m in _ASCII_BREAK.finditer(escaped):
        tok = m.group()
        if tok == "\\n" and m.end() < len(escaped):
            after_newline = m.end()
        elif tok[0] == "\\" or (tok == "-" and m.start() == after_newline):
            continue
        pieces.append(escaped[cut:m.end()])
        cut = m.end()
    if cut < len(escaped):
        pieces.append(escaped[cut:])
    return pieces


def _display(s: str) -> int:
    if s.isascii():
        return len(s)  # no ASCII character is wide or combining, and English is most of a catalog
    if len(s) == 1:
        return _width(s)  # a Chinese line breaks between any two characters: most pieces are one
    return sum(map(_width, s))


def format_string(keyword: str, text: str, *, prefix: str = "") -> list[str]:
    """Lines for ``keyword "text"``, wrapped the way msgcat wraps them."""
    escaped = escape(text)
    single = f'{prefix}{keyword} "{escaped}"'
    if _display(single) <= WIDTH and "\\n" not in escaped[:-2]:
        return [single]
    room = WIDTH - _display(prefix) - 2
    lines: list[str] = []
    current, width = "", 0
    for piece in _pieces(escaped):
        piece_width = _display(piece)
        if current and (width + piece_width > room or current.endswith("\\n")):
            lines.append(current)
            current, width = "", 0
        current += piece
        width += piece_width
    if current:
        lines.append(current)
    return [f'{prefix}{keyword} ""'] + [f'{prefix}"{chunk}"' for chunk in lines]


def format_references(refs: list[str]) -> list[str]:
    lines: list[str] = []
    current = "#:"
    for ref in refs:
        if current != "#:" and len(current) + 1 + len(ref) > WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + ref
    if current != "#:":
        lines.append(current)
    return lines


def format_entry(entry: polib.POEntry) -> list[str]:
    out: list[str] = []
    for line in entry.tcomment.split("\n") if entry.tcomment else ():
        out.append(f"# {line}".rstrip() if line else "#")
    for line in entry.comment.split("\n") if entry.comment else ():
        out.append(f"#. {line}".rstrip())
    if entry.occurrences:
        out += format_references([f"{f}:{n}" if n else f for f, n in entry.occurrences])
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "
    for keyword, text in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                          ("msgid_plural", entry.previous_msgid_plural)):
        if text:
            out += format_string(keyword, text, prefix=previous)
    if entry.msgctxt is not None:
        out += format_string("msgctxt", entry.msgctxt, prefix=prefix)
    out += format_string("msgid", entry.msgid, prefix=prefix)
    if entry.msgid_plural or entry.msgstr_plural:
        out += format_string("msgid_plural", entry.msgid_plural, prefix=prefix)
        for n in sorted(entry.msgstr_plural, key=int):
            out += format_string(f"msgstr[{n}]", entry.msgstr_plural[n], prefix=prefix)
    else:
        out += format_string("msgstr", entry.msgstr, prefix=prefix)
    return out


def render(catalog: polib.POFile) -> str:
    """The whole catalog as text: header, live entries, then obsolete ones."""
    lines: list[str] = []
    for line in (catalog.header or "").split("\n") if catalog.header else ():
        lines.append(f"# {line}".rstrip() if line else "#")
    if catalog.metadata_is_fuzzy:
        lines.append("#, fuzzy")
    lines.append('msgid ""')
    lines.append('msgstr ""')
    # Insertion order, not polib's ordered_metadata(): keep the order Poedit saved.
    lines += [f'"{escape(f"{k}: {v}")}\\n"' for k, v in catalog.metadata.items()]
    for entry in [e for e in catalog if not e.obsolete] + [e for e in catalog if e.obsolete]:
        lines.append("")
        lines += format_entry(entry)
    return "\n".join(lines) + "\n"
