"""Fuzzing: no input makes the reader, segmenter, glossary, catalog reader or merge
fail with anything but the project's own error.

Text inputs are what a strict UTF-8 decode can produce (no lone surrogates):
every file is decoded that way before these functions see it, and bytes that
do not decode are tested as bytes.
"""

import subprocess
import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import entries as catalog_entries
from pipeline.catalog import merge as cat
from pipeline.catalog import po
from pipeline.errors import ZhenError
from pipeline.glossary.table import Glossary, parse_rows
from pipeline.model import Draft, Segment
from pipeline.text.segment import segment_lines, split_spans
from pipeline.text.source import decode, parse
from tests.conftest import NOW, SAMPLE

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
# Text that looks like news: CJK, punctuation of both widths, digits, Latin, odd spaces.
newsy = st.text(st.one_of(st.sampled_from(list(SAMPLE_TEXT[:400] + "「」『』“”\"'()（）《》.!?。！？；：\u3000\u00a0\t\r")),
                          st.characters(codec="utf-8")), max_size=200)


@FUZZ
@given(st.binary(max_size=400))
def test_reader_on_any_bytes(data):
    try:
        text, _ = decode(data, name="fuzz.txt")
        source = parse(text, name="fuzz.txt")
    except ZhenError:
        return
    assert source.lines and all(line.text == line.text.strip(" \t\u3000\u00a0") for line in source.lines)


@FUZZ
@given(newsy)
def test_reader_and_segmenter_on_any_text(text):
    try:
        source = parse(text, name="fuzz.txt")
    except ZhenError:
        return
    segments = segment_lines(source.lines)
    assert segments, "a source with text has segments"
    by_line = {line.number: line.text for line in source.lines}
    for seg in segments:
        assert seg.text and seg.text in by_line[seg.line]


@FUZZ
@given(st.text(max_size=300))
def test_segmenter_on_arbitrary_unicode(text):
    for s, e in split_spans(text):
        assert 0 <= s < e <= len(text)


def _glossary():
    from pipeline.glossary.table import load_glossary
    from tests.conftest import GLOSSARY_DIR

    return load_glossary(GLOSSARY_DIR)


GLOSSARY = _glossary()


@FUZZ
@given(newsy)
def test_matcher_spans_point_into_the_text(text):
    for hit in GLOSSARY.match(text):
        assert 0 <= hit.start < hit.end <= len(text) and text[hit.start:hit.end] == hit.surface


@FUZZ
@given(st.lists(st.lists(st.text(st.characters(codec="utf-8", blacklist_characters="\t\n\r"), max_size=12),
                         max_size=8), max_size=6))
def test_glossary_rows_parse_or_report(rows):
    text = "term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n" + "\n".join("\t".join(r) for r in rows)
    terms, problems = parse_rows(text, name="fuzz.tsv")
    lines = text.split("\n")  # rows end at LF only; other line separators are refused inside a row
    # Every row is either a term or a problem at its own line, never both, never lost.
    reported, parsed = {p.line for p in problems}, {t.line for t in terms}
    assert reported <= set(range(1, len(lines) + 1)) and not reported & parsed
    rows_ = {n for n, line in enumerate(lines, start=1) if n > 1 and line.strip() and not line.lstrip().startswith("#")}
    assert reported | parsed == rows_
    Glossary(terms).match("創先爭優活動在濱海新區開展")


VALID = po.render(cat.merge(
    slug="t", source_name="source.zh.txt", source_language="zh_TW",
    segments=[Segment(1, 1, 1, "body", "甲「乙」。"), Segment(2, 1, 1, "body", "丙\\丁。")], hits={}, old=None,
    signature="s", drafter=lambda todo: {s.id: Draft(f'D "{s.id}"\n', "fake", "s") for s in todo}, now=NOW)[0])


def _damage(draw, text: str, *, rounds: int, insert, swap: bool) -> str:
    """Lines of ``text`` lost, doubled, cut, inserted (drawn from ``insert``) or swapped."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, rounds))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "cut", "insert", *(["swap"] if swap else [])]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        elif action == "insert":
            lines.insert(i, draw(insert))
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@st.composite
def damaged_catalogs(draw):
    return _damage(draw, VALID, rounds=4, insert=st.text(max_size=20), swap=False)


@FUZZ
@given(damaged_catalogs())
def test_damaged_catalogs_are_refused_or_merged(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "en.po"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates: bytes that are not UTF-8
        try:
            old = po.read_catalog(path)
        except ZhenError:
            return
        new, _ = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW",
                           segments=[Segment(1, 1, 1, "body", "甲「乙」。")], hits={}, old=old, signature="s2",
                           drafter=lambda todo: {s.id: Draft("x", "fake", "s2") for s in todo}, now=NOW)
        # Whatever was read is written back in a form the strict reader accepts.
        path.write_text(po.render(new), encoding="utf-8")
        po.read_catalog(path)


# The same catalog with entries zhen does not write (contexts, plural forms, an
# obsolete entry with a context), so that damage can reach those forms too.
WITH_FOREIGN = VALID + '''
#. a note
msgctxt "menu"
msgid "甲「乙」。"
msgstr "Menu"

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d file"
msgstr[1] "%d files"

#~ msgctxt "old"
#~ msgid "x"
#~ msgstr "y"
'''
KEYWORD_LINES = ['msgid "q"', 'msgstr "r"', 'msgctxt "c"', 'msgid_plural "qs"', 'msgstr[0] "r"', 'msgstr[1] "rs"',
                 'msgstr[2] "rz"', '"cont"', '#~ msgid "q"', '#~ msgstr "r"', "#| msgid \"p\"", "", "#. n",
                 '#| msgctxt "pc"', '#~| msgid "p"', 'msgid "甲「乙」。"', 'msgid ""', '"Content-Type: text/plain; charset=latin1\\n"', 'msgstr "\\004"']


@st.composite
def damaged_with_foreign(draw):
    """Damage that gettext's grammar cares about: lines lost, doubled, moved, cut, or
    replaced by another keyword line."""
    return _damage(draw, WITH_FOREIGN, rounds=3, insert=st.sampled_from(KEYWORD_LINES), swap=True)


def msgfmt_verdict(path: Path, *options: str) -> str:
    """"" when msgfmt accepts the catalog, else what it says."""
    proc = subprocess.run(["msgfmt", *options, "-o", "/dev/null", str(path)], capture_output=True, text=True)
    return "" if proc.returncode == 0 else proc.stderr or "rejected"


@pytest.mark.gettext
@FUZZ
@given(st.one_of(damaged_with_foreign(), damaged_catalogs()))
def test_zhen_refuses_every_catalog_msgfmt_rejects_and_writes_none(text):
    """msgfmt's verdict on damaged catalogs: what it rejects, zhen refuses with a line
    number; what zhen rewrites, msgfmt accepts (with --check, when it accepted the input so)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "en.po"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            old = po.read_catalog(path)
        except ZhenError as e:
            assert e.line is not None or "Language" in str(e), str(e)
            return
        assert not msgfmt_verdict(path), f"zhen accepted a catalog msgfmt rejects: {msgfmt_verdict(path)}"
        checked = not msgfmt_verdict(path, "--check")
        try:
            new, _ = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW",
                               segments=[Segment(1, 1, 1, "body", "甲「乙」。"), Segment(2, 1, 2, "body", "新。")],
                               hits={}, old=old, signature="s2", now=NOW,
                               drafter=lambda todo: {s.id: Draft("x", "fake", "s2") for s in todo})
        except ZhenError:
            return  # e.g. a plural entry that took a sentence's msgid: refused, nothing written
        path.write_text(po.render(new), encoding="utf-8")
        assert not msgfmt_verdict(path), f"zhen wrote a catalog msgfmt rejects: {msgfmt_verdict(path)}"
        if checked:
            assert not msgfmt_verdict(path, "--check"), msgfmt_verdict(path, "--check")
        po.read_catalog(path)


any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00\x04"),
                   max_size=30)


@FUZZ
@given(st.lists(st.tuples(any_text, any_text, any_text), min_size=1, max_size=4, unique_by=lambda t: t[0]))
def test_tmx_export_is_well_formed_xml_or_one_error_naming_the_line(pairs):
    """Any reviewed text (controls, U+FFFE, CR, markup) either comes back exactly from the
    TMX, or the export stops with the catalog's file and the entry's line."""
    import xml.etree.ElementTree as ET

    from pipeline.errors import CatalogError
    from pipeline.tm.tmx import tmx

    catalog = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=[], hits={},
                        old=None, signature="s", drafter=lambda todo: {}, now=NOW)[0]
    for msgid, msgstr, note in pairs:
        catalog.append(polib.POEntry(msgid=msgid or "m", msgstr=msgstr or "x", tcomment=note))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "en.po"
        path.write_text(po.render(catalog), encoding="utf-8")
        try:
            read = po.read_catalog(path)
        except ZhenError:
            return  # e.g. a msgstr ending with a newline its msgid lacks: msgfmt refuses it too
        try:
            xml = tmx([("t", read)])
        except CatalogError as e:
            assert e.path == str(path) and e.line is not None and "XML" in str(e)
            return
    root = ET.fromstring(xml.encode("utf-8"))
    units = [[seg.text or "" for seg in tu.iter("seg")] + [(tu.findtext("note") or "")] for tu in root.iter("tu")]
    assert units == [[e.msgid, e.msgstr, e.tcomment] for e in read if catalog_entries.state(e) == "reviewed"]
