"""What gettext accepts as a PO file, checked line by line before polib reads it.

polib accepts some broken files silently (an unterminated string comes back
truncated, a msgid without msgstr comes back translated as empty, a duplicate
hides the first entry). msgfmt refuses them. This module refuses what msgfmt
refuses, at the line msgfmt would name, so that zhen never rewrites such a
catalog: the tests replay random damage and compare with msgfmt's verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import CatalogError

_STRING = r'"(?:[^"\\]|\\.)*"'
_WS = " \t\f\v"  # gettext's white space; Python's str.strip() takes more (U+001F, U+3000, …)
_S = f"[{_WS}]"
_KEYWORD = re.compile(rf'^(msgctxt|msgid|msgid_plural|msgstr(?:\[([0-9]+)\])?){_S}+({_STRING}){_S}*$')
_PREVIOUS = re.compile(rf'^(?:(msgctxt|msgid|msgid_plural){_S}+)?({_STRING}){_S}*$')
_CONTINUATION = re.compile(rf"^({_STRING}){_S}*$")
_ESCAPES = re.compile(r'\\(.)')
_VALID_ESCAPES = set('ntrabfv"\\01234567x')
_ESCAPE = re.compile(r'\\(x[0-9A-Fa-f]+|[0-7]{1,3}|.)')
_NAMED = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
# The order of "#|" lines: each keyword may follow only these.
_PREVIOUS_AFTER = {"msgctxt": (None,), "msgid": (None, "msgctxt"), "msgid_plural": ("msgid",)}


def unescape(literal: str) -> str:
    """The text of a quoted PO string, C escapes (octal and hex too) resolved."""

    def one(m: re.Match) -> str:
        code = m.group(1)
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16) & 0xFF)
        if code[0] in "01234567":
            return chr(int(code, 8) & 0xFF)
        return _NAMED.get(code, code)

    return _ESCAPE.sub(one, literal[1:-1])


class _Entry:
    """An entry being read: which keywords it has had, for the checks msgfmt makes."""

    def __init__(self, *, obsolete: bool, fuzzy: bool, line: int):
        self.obsolete = obsolete
        self.fuzzy = fuzzy
        self.line = line  # its first keyword
        self.msgid_line: int | None = None
        self.strings: dict[str, list[str]] = {}  # keyword → its string pieces
        self.lines: dict[str, int] = {}  # keyword → the line it is on
        self.previous: dict[str, str] = {}  # "#|" keyword → its text
        self.forms = 0  # msgstr[n] read so far
        self.last = ""  # the keyword a continuation line extends

    @property
    def complete(self) -> bool:
        return "msgstr" in self.strings or self.forms > 0

    def value(self, keyword: str) -> str | None:
        pieces = self.strings.get(keyword)
        return None if pieces is None else "".join(unescape(p) for p in pieces)


class _Checker:
    """A state machine over the lines of one catalog; raises at the first fault."""

    def __init__(self, name: str):
        self.name = name
        self.entry: _Entry | None = None
        self.seen: dict[tuple[str | None, str | None], int] = {}
        self.fuzzy: bool | None = None  # None until a "#," line is read for the next entry
        self.previous: str | None = None  # the last "#|" keyword since the last entry
        self.previous_obsolete = False  # that it was "#~|"
        self.previous_strings: dict[str, list[str]] = {}  # "#|" keyword → its string pieces
        self.read: list[_Entry] = []  # the entries read so far, checked
        self.line = 0

    def fail(self, message: str, line: int | None = None) -> CatalogError:
        return CatalogError(message, path=self.name, line=line or self.line)

    def feed(self, number: int, raw: str) -> None:
        self.line = number
        stripped = raw.rstrip("\r").strip(_WS)
        if not stripped:
            return  # blank lines separate nothing to gettext: msgid and msgstr may have one between
        body, obsolete = stripped, False
        if stripped.startswith("#~"):
            body, obsolete = stripped[2:].lstrip(_WS), True
            if not body:
                return
            if body.startswith("|"):
                return self.previous_line(body[1:].lstrip(_WS), "#~|")
        elif stripped.startswith("#|"):
            return self.previous_line(stripped[2:].lstrip(_WS), "#|")
        elif stripped.startswith("#"):
            return self.comment(stripped)
        m = _KEYWORD.match(body)
        if m:
            self.keyword(m.group(1).split("[")[0], m.group(2), obsolete=obsolete)
            self.string(m.group(3))
        elif _CONTINUATION.match(body):
            if self.entry is None or not self.entry.last:
                raise self.fail("string continuation outside an entry")
            if self.entry.obsolete != obsolete:
                raise self.fail("an entry partly obsolete (#~) and partly not")
            self.string(body.rstrip(_WS))
        elif body.startswith(('"', "msgid", "msgstr", "msgctxt")):
            raise self.fail("unterminated or malformed string")
        else:
            raise self.fail(f"not PO syntax: {body[:40]!r}")

    def comment(self, line: str) -> None:
        if self.previous is not None:
            raise self.fail("a comment after a previous-msgid line (#|): #| lines come last before msgid")
        if self.entry is not None and (self.entry.strings or self.entry.complete):
            self.close()  # a comment belongs to the next entry
        if line.startswith("#,"):
            if self.fuzzy is not None:
                # gettext keeps only the last "#," line's flags, polib all of them: they would disagree.
                raise self.fail("a second flags line (#,) for one entry; put all flags on one line")
            self.fuzzy = "fuzzy" in re.split(r"[\s,]+", line[2:])

    def previous_line(self, body: str, marker: str) -> None:
        m = _PREVIOUS.match(body)
        if not m:
            raise self.fail(f"malformed previous-msgid line ({marker})")
        if self.entry is not None:
            if not self.entry.complete:
                raise self.fail(f"a {marker} line inside an entry")
            self.close()
        keyword = m.group(1)
        if keyword is None:
            if self.previous is None:
                raise self.fail(f"string continuation outside a {marker} line")
        elif self.previous not in _PREVIOUS_AFTER[keyword]:
            raise self.fail(f"{marker} {keyword} out of place")
        else:
            self.previous, self.previous_obsolete = keyword, marker == "#~|"
            self.previous_strings[keyword] = []
        self.previous_strings[self.previous].append(m.group(2))
        self.check_string(m.group(2))

    def keyword(self, keyword: str, index: str | None, *, obsolete: bool) -> None:
        entry = self.entry
        if keyword in ("msgctxt", "msgid"):
            if entry is not None and (entry.complete or keyword == "msgctxt" or "msgid" in entry.strings):
                self.close()
                entry = None
            if entry is None:
                if self.previous is not None and self.previous_obsolete != obsolete:
                    raise self.fail("an entry partly obsolete (#~) and partly not")
                if self.previous == "msgctxt":
                    raise self.fail("a previous msgctxt (#|) without a previous msgid")
                entry = self.entry = _Entry(obsolete=obsolete, fuzzy=bool(self.fuzzy), line=self.line)
                entry.previous = {k: "".join(map(unescape, v)) for k, v in self.previous_strings.items()}
                self.fuzzy, self.previous, self.previous_strings = None, None, {}
            if keyword == "msgid":
                entry.msgid_line = self.line
        elif entry is None or entry.msgid_line is None:
            raise self.fail(f"{keyword} without a msgid")
        elif keyword == "msgid_plural":
            if entry.complete or "msgid_plural" in entry.strings:
                raise self.fail("msgid_plural after the translation" if entry.complete else "second msgid_plural")
        elif index is None:  # msgstr
            if "msgid_plural" in entry.strings:
                raise self.fail("msgstr in an entry with msgid_plural (it needs msgstr[0], msgstr[1], …)")
            if entry.complete:
                raise self.fail("second msgstr")
        else:
            if "msgid_plural" not in entry.strings:
                raise self.fail(f"msgstr[{index}] without msgid_plural")
            if int(index) != entry.forms:
                raise self.fail(f"msgstr[{index}] out of order (msgstr[{entry.forms}] expected)")
            entry.forms += 1
        if entry.obsolete != obsolete:
            raise self.fail("an entry partly obsolete (#~) and partly not")
        entry.last = f"{keyword}[{index}]" if index is not None else keyword
        entry.strings[entry.last] = []
        entry.lines[entry.last] = self.line

    def string(self, literal: str) -> None:
        entry = self.entry
        if entry is None:  # a keyword line opens an entry; a continuation outside one is refused before
            raise self.fail("string continuation outside an entry")
        entry.strings[entry.last].append(literal)
        self.check_string(literal)

    def check_string(self, literal: str) -> None:
        for m in _ESCAPES.finditer(literal):
            if m.group(1) not in _VALID_ESCAPES:
                raise self.fail(f"invalid escape sequence \\{m.group(1)}")
        # gettext ends a string at U+0000; in a compiled catalog U+0004 separates msgctxt from msgid.
        text = unescape(literal)
        for ch, what in (("\x00", "ends a string in gettext"), ("\x04", "is gettext's context separator")):
            if ch in text:
                raise self.fail(f"U+{ord(ch):04X} in a string: it {what}")

    def close(self) -> None:
        """Check a finished entry: it has a translation, and no other entry has its key."""
        entry, self.entry = self.entry, None
        if entry is None:
            return
        if entry.msgid_line is None:
            raise self.fail("msgctxt without a msgid", entry.line)
        if not entry.complete:
            missing = "msgstr[0]" if "msgid_plural" in entry.strings else "msgstr"
            raise self.fail(f"msgid without {missing}", entry.msgid_line)
        # gettext identifies an entry by (msgctxt, msgid), obsolete ones included.
        key = (entry.value("msgctxt"), entry.value("msgid"))
        if key in self.seen:
            what = "msgctxt and msgid" if key[0] is not None else "msgid"
            raise self.fail(f"duplicate entry: same {what} as the entry at line {self.seen[key]}", entry.msgid_line)
        self.seen[key] = entry.msgid_line
        self.read.append(entry)
        if entry.fuzzy or entry.obsolete or not key[1]:
            return
        # msgfmt refuses a translated entry whose strings disagree on a leading or trailing
        # newline (in C programs it is markup); an empty form counts as having none.
        forms = [k for k in entry.strings if k.startswith("msgstr")]
        if not any(entry.value(k) for k in forms):
            return
        for keyword in [k for k in entry.strings if k == "msgid_plural"] + forms:
            text = entry.value(keyword) or ""  # a keyword it holds has a value
            for edge, test in (("begins", str.startswith), ("ends", str.endswith)):
                if test(text, "\n") != test(key[1], "\n"):
                    raise self.fail(f"{keyword} {edge} with a newline and msgid does not, or the other way round",
                                    entry.lines[keyword])

    def finish(self) -> None:
        if self.previous is not None:
            raise self.fail("a previous-msgid line (#|) with no entry after it")
        self.close()


@dataclass(frozen=True)
class ParsedEntry:
    """What the checker learnt of an entry that polib does not keep."""

    msgctxt: str | None
    msgid: str
    obsolete: bool
    previous: dict[str, str]  # "#|" or "#~|" keyword → text


def validate_text(text: str, *, name: str) -> list[ParsedEntry]:
    """Raise CatalogError at the first line gettext would reject or polib would misread.

    Beyond the syntax of each line: each entry is complete (msgctxt, msgid, then
    msgstr, or msgid_plural and msgstr[0], msgstr[1], …), no two entries share
    (msgctxt, msgid), no string holds U+0000 or U+0004, and a translated entry's
    msgid and msgstr agree on a leading and a trailing newline.
    """
    checker = _Checker(name)
    for number, raw in enumerate(text.split("\n"), start=1):
        checker.feed(number, raw)
    checker.finish()
    return [ParsedEntry(e.value("msgctxt"), e.value("msgid") or "", e.obsolete, e.previous) for e in checker.read]
