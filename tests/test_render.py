import re

import polib

from pipeline.catalog.entries import read_entries
from pipeline.model import Segment, Term, TermHit
from pipeline.render import english_text, html_page, rows

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def make(entries):
    catalog = polib.POFile()
    for msgid, msgstr, fuzzy in entries:
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else []))
    return read_entries(catalog)


def test_everything_is_escaped():
    seg = Segment(1, 1, 1, "body", "他說" + EVIL + "。")
    term = Term(EVIL, EVIL, note=EVIL)
    hit = TermHit(term, 2, 2 + len(EVIL), EVIL)
    page = html_page(rows([seg], make([(seg.text, EVIL, False)]), {1: [hit]}), title=EVIL, source_lang="zh-Hant")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_text_keeps_paragraphs_and_marks_untranslated():
    segs = [Segment(1, 1, 1, "title", "標題"), Segment(2, 2, 2, "body", "甲。"), Segment(3, 2, 2, "body", "乙。")]
    catalog = make([("標題", "Title", False), ("甲。", "A.", True)])
    text = english_text(rows(segs, catalog, {}))
    assert text == ("[Not for publication: 1 of 3 segments are unreviewed machine drafts, 1 untranslated.]\n\n"
                    "Title\n\nA. [untranslated: 乙。]\n")
    assert english_text(rows(segs, catalog, {}), reviewed_only=True) == \
        "Title\n\n[not reviewed: 甲。] [untranslated: 乙。]\n"


def test_the_draft_notice_goes_once_every_segment_is_reviewed():
    segs = [Segment(1, 1, 1, "title", "標題"), Segment(2, 2, 2, "body", "甲。")]
    drafts = make([("標題", "Title", True), ("甲。", "A.", True)])
    assert english_text(rows(segs, drafts, {})).startswith(
        "[Not for publication: 2 of 2 segments are unreviewed machine drafts.]\n\nTitle\n\n")
    assert english_text(rows(segs, make([("標題", "Title", False), ("甲。", "A.", False)]), {})) == "Title\n\nA.\n"


def test_status_is_shown_by_label_not_colour_alone():
    segs = [Segment(1, 1, 1, "body", "甲。"), Segment(2, 1, 1, "body", "乙。"), Segment(3, 1, 1, "body", "丙。")]
    page = html_page(rows(segs, make([("甲。", "A.", False), ("乙。", "B.", True)]), {}), title="t",
                     source_lang="zh-Hans")
    # Each row, not just the legend, carries its state as a class and as a word.
    body = page.split("<tbody", 1)[1]
    assert re.findall(r'<tr id="s(\d)" class="seg role-body status-(\w+)[^"]*".*?<span class="status">(\w+)', body) == [
        ("1", "reviewed", "Reviewed"), ("2", "draft", "Draft"), ("3", "untranslated", "Untranslated")]
    assert '3 segments · 1 reviewed · 1 drafts · 1 untranslated' in page
    assert 'lang="zh-Hans"' in page and '<html lang="en">' in page


def test_the_page_marks_an_accepted_rendering_as_the_term():
    seg = Segment(1, 1, 1, "body", "幹部參加。")
    hit = TermHit(Term("幹部", "officials", accept=("cadre",), note="n"), 0, 2, "幹部")
    page = html_page(rows([seg], make([(seg.text, "The cadres took part.", False)]), {1: [hit]}), title="t",
                     source_lang="zh-Hant")
    assert re.search(r'<mark class="term"[^>]*>cadre</mark>s took part', page)


def _badges(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="s(\d+)"[^>]*>.*?<span class="status">([^<]*)</span>', page))


def test_a_reviewed_entry_with_errors_is_never_badged_plain_reviewed():
    from pipeline.model import Finding

    segs = [Segment(1, 1, 1, "body", "甲387個。"), Segment(2, 1, 1, "body", "乙。"), Segment(3, 1, 1, "body", "丙。")]
    findings = [Finding("numbers", "error", "figure 387 is missing", segment=1),
                Finding("leftovers", "error", "Chinese left", segment=1),
                Finding("length", "warning", "short", segment=2)]
    page = html_page(rows(segs, make([("甲387個。", "A.", False), ("乙。", "B.", False), ("丙。", "C.", False)]), {},
                          findings), title="t", source_lang="zh-Hant")
    assert _badges(page) == {"1": "Reviewed · 2 errors", "2": "Reviewed", "3": "Reviewed"}
    # Red, not green: the row says it is flagged, and it is one to review again.
    assert re.search(r'<tr id="s1" class="[^"]*\bflagged\b[^"]*\bneeds-review\b|'
                     r'<tr id="s1" class="[^"]*\bneeds-review\b[^"]*\bflagged\b', page)
    assert not re.search(r'<tr id="s2" class="[^"]*\b(flagged|needs-review)\b', page)


def test_an_edited_draft_says_it_was_edited_and_not_approved():
    from pipeline.catalog.notes import draft_id

    seg = Segment(1, 1, 1, "body", "甲。")
    catalog = polib.POFile()
    for english, note in (("A machine draft.", draft_id("A machine draft.")), ("A reviewer's change.", draft_id("x"))):
        catalog.append(polib.POEntry(msgid=seg.text, msgstr=english, flags=["fuzzy"],
                                     comment=f"draft: dictionary (word-by-word gloss) [{note} 0123abcd]"))
    machine, edited = ([e] for e in read_entries(catalog))
    assert _badges(html_page(rows([seg], machine, {}), title="t", source_lang="zh-Hant")) == {"1": "Draft · dictionary"}
    assert _badges(html_page(rows([seg], edited, {}), title="t", source_lang="zh-Hant")) == \
        {"1": "Draft · edited, not approved"}


def test_the_summary_counts_findings_per_check_and_the_page_carries_full_glossary_notes():
    from pipeline.model import Finding

    segs = [Segment(n, 1, 1, "body", f"第{n}句。") for n in (1, 2, 3)]
    findings = [Finding("glossary", "error", "m", segment=1), Finding("glossary", "error", "m", segment=2),
                Finding("numbers", "error", "m", segment=2), Finding("length", "warning", "m", segment=2)]
    note = "A long note. " * 30 + "The end of the note."
    hit = TermHit(Term("第1", "first", note=note, source="https://example.org/"), 0, 2, "第1")
    page = html_page(rows(segs, make([(s.text, "x", True) for s in segs]), {1: [hit]}, findings), title="t",
                     source_lang="zh-Hant")
    summary = re.search(r'id="qa-summary">(.*?)</div>', page).group(1)
    assert "QA: 3 errors, 1 warning in 2 segments" in summary
    assert re.findall(r'data-check="(\w+)">\w+ <b>(\d+)</b>', summary) == [("glossary", "2"), ("length", "1"),
                                                                          ("numbers", "1")]
    assert "The end of the note." in page.split('id="glossary"')[1]  # the whole note, not its first sentence
