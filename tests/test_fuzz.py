"""Fuzzing: no input makes the reader, segmenter, glossary, catalog reader or merge
fail with anything but the project's own error.

Text inputs are what a strict UTF-8 decode can produce (no lone surrogates):
every file is decoded that way before these functions see it, and bytes that
do not decode are tested as bytes.
"""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import catalog as cat
from pipeline import po
from pipeline.errors import ZhenError
from pipeline.glossary import Glossary, parse_rows
from pipeline.model import Draft, Segment
from pipeline.segment import segment_lines, split_spans
from pipeline.source import decode, parse
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
    from pipeline.glossary import load_glossary
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


@st.composite
def damaged_catalogs(draw):
    lines = VALID.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "cut", "insert"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        else:
            lines.insert(i, draw(st.text(max_size=20)))
        if not lines:
            lines = [""]
    return "\n".join(lines)


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
