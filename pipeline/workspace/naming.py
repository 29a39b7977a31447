"""Names zhen derives from file names: article folders, slugs, and names in catalogs.

A loose file gets an article folder beside it, named after the file: readable
(Chinese stays Chinese), free of what file systems and shells choke on, the
same on every run, and different for different files in one folder. Where
cleaning a name changed it, a hash of the original name keeps it apart from
every other name that cleans the same way.

Names written into a catalog (``#:`` references, the header) must read back
as they were written: gettext and polib end a line at U+2028 and friends,
and polib splits references at any white space.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

SUFFIX = ".txt"
MAX_BYTES = 200  # room under the usual 255-byte limit for the hash and the outputs' names
# ASCII that shells or some file system treat specially; non-ASCII letters, digits,
# punctuation and symbols (《》、·—) are kept.
_HATED = set(" \t/\\:*?\"'`<>|$!&;()[]{}#~=%^,")
_UNSAFE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_ISOLATE = ("\u2068", "\u2069")  # how gettext marks a file name holding a space in a reference


def _clean(name: str) -> str:
    out = []
    for ch in name:
        category = unicodedata.category(ch)
        hated = ch in _HATED or ch.isspace() or category in _UNSAFE_CATEGORIES or category.startswith("Z")
        out.append("-" if hated else ch)
    text = re.sub(r"-{2,}", "-", "".join(out)).strip("-.")  # no hidden folder, no option-like name
    while len(text.encode("utf-8")) > MAX_BYTES:
        text = text[:-1]
    return text


def _tag(name: str) -> str:
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:8]


def readable(name: str) -> str:
    """A folder or file name made safe to use in a path and on a command line (not unique)."""
    return _clean(name) or "article"


def article_folder(file_name: str) -> str:
    """The folder for a loose source file: ``天津.txt`` → ``天津``, ``a.one.txt`` → ``a.one``.

    The name is the file's name without ``.txt``; when that is not usable as it
    is, the cleaned name gets ``-`` and 8 hex digits of the original name's hash.
    """
    stem = file_name[: -len(SUFFIX)] if file_name.lower().endswith(SUFFIX) and len(file_name) > len(SUFFIX) \
        else file_name
    clean = _clean(stem)
    if clean and clean == stem and file_name.endswith(SUFFIX) and clean.split(".")[0].upper() not in _RESERVED:
        return clean
    return f"{clean or 'article'}-{_tag(file_name)}"


def _printable(text: str) -> str:
    """Spaces (U+3000 too) become a plain space; anything else that breaks, hides or splits
    a line (controls, format characters, line separators) becomes U+FFFD."""
    out = []
    for ch in text:
        if ch == "\t" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif ch.isspace() or unicodedata.category(ch) in _UNSAFE_CATEGORIES:
            out.append("\N{REPLACEMENT CHARACTER}")
        else:
            out.append(ch)
    return "".join(out)


def reference(file_name: str) -> str:
    """A source file's name as a catalog reference (``#: NAME:LINE``), one that reads back the same.

    A name with a space is wrapped in U+2068 … U+2069, as xgettext does.
    """
    text = _printable(file_name)
    return f"{_ISOLATE[0]}{text}{_ISOLATE[1]}" if " " in text else text


def header_value(text: str) -> str:
    """Text for a catalog header field: one line, no white space at either end."""
    return _printable(text).strip(" ")
