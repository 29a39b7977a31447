"""Export for people outside the review loop: reviewed pairs as a TMX memory.

TMX 1.4b (LISA/GALA) is what CAT tools (OmegaT, Trados, memoQ, Phrase) import as
a translation memory. Only reviewed pairs go in: a memory of unreviewed machine
drafts would teach the next translator the engine's mistakes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

import polib

from pipeline import __version__
from pipeline.catalog.entries import EntryInfo, read_entries
from pipeline.catalog.merge import DATE_FORMAT
from pipeline.errors import CatalogError


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
