"""The shipped national glossary (glossary/national.tsv): size, script, citations, lint."""

import re
from urllib.parse import urlsplit

import pytest

from pipeline.glossary.conventions import check_conventions
from pipeline.glossary.table import lint_terms, parse_rows, read_text
from pipeline.text.script import fold
from tests.conftest import GLOSSARY_DIR

NATIONAL = GLOSSARY_DIR / "national.tsv"
# Every row is cited; the shipped file is meant to cover at least this many national terms
# (see docs/glossary-sources.md).
MIN_ROWS = 200
# Official and state-media hosts a row may cite (a host matches itself or any subdomain).
OUTLETS = (
    "gov.cn", "china.org.cn", "china.com.cn", "chinadaily.com.cn", "people.cn", "xinhuanet.com", "news.cn",
    "cgtn.com", "qstheory.cn", "theorychina.org.cn", "humanrights.cn", "beijingreview.com.cn", "fmprc.gov.cn",
    "bjreview.com.cn", "ecns.cn", "chinagate.cn", "globaltimes.cn", "newschinamag.com", "chinamil.com.cn", "taiwan.cn", "gmw.cn", "chinatoday.com.cn", "cctv.com", "cri.cn",
)
URL = re.compile(r"https://[^\s;,]+")
DATE = re.compile(r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?\b")


@pytest.fixture(scope="module")
def terms():
    found, problems = parse_rows(read_text(NATIONAL), name=str(NATIONAL))
    assert problems == []
    return found


def test_file_declares_its_scope_first():
    assert read_text(NATIONAL).splitlines()[0] == "# scope: national"


def test_holds_enough_rows(terms):
    assert len(terms) >= MIN_ROWS


def test_every_source_has_an_https_url_from_a_known_outlet_and_a_date(terms):
    for t in terms:
        urls = URL.findall(t.source)
        assert urls, f"{t.term}: no https URL in {t.source!r}"
        for url in urls:
            parts = urlsplit(url)
            assert parts.netloc and "." in parts.netloc and parts.path not in ("", "/"), (t.term, url)
            host = parts.netloc.lower()
            assert any(host == o or host.endswith("." + o) for o in OUTLETS), (t.term, host)
        assert DATE.search(t.source), f"{t.term}: no date in {t.source!r}"


def test_terms_are_traditional_with_the_simplified_form_as_a_variant(terms):
    for t in terms:
        if fold(t.term) != t.term:  # the term changes under t2s: its Simplified form must be listed
            assert fold(t.term) in t.variants, t.term


def test_no_row_claims_editorial_english(terms):
    assert not [t.term for t in terms if "editorial" in t.source.lower()]


def test_lints_clean_together_with_every_shipped_file():
    shipped = []
    for path in sorted(GLOSSARY_DIR.glob("*.tsv")):
        found, problems = parse_rows(read_text(path), name=str(path))
        assert problems == []
        shipped += found
    assert [str(p) for p in lint_terms(shipped) + check_conventions(shipped)] == []


def test_a_tianjin_article_passes_the_attested_forms_the_audit_found():
    """The forms an audit found attested pass in a Tianjin article, whichever file now holds the row."""
    from pipeline.glossary.table import load_glossary

    rows = {t.term: t for t in load_glossary(GLOSSARY_DIR).for_place("天津").terms}
    passing = {term: {rows[term].english, *rows[term].accept} for term in ("非公有制企業", "十大戰役", "又好又快")}
    assert "non-public enterprises" in passing["非公有制企業"]
    assert "10 Major Projects" in passing["十大戰役"]
    assert {"sound and rapid", "sound and fast"} <= passing["又好又快"]
    assert not [t.term for t in rows.values() if "sound and fast" in (a.lower() for a in t.avoid)]


@pytest.mark.parametrize("text, english", [("「十三五」規劃實施良好。", "13th Five-Year Plan"),
                                           ("十四五规划开局良好。", "14th Five-Year Plan"),
                                           ("“十一五”期间，全省生产总值增长。", "11th Five-Year Plan"),
                                           ("「十二五」時期，城鎮居民收入增長。", "12th Five-Year Plan"),
                                           ("深入推进“十五五”规划编制工作。", "15th Five-Year Plan")])
def test_a_five_year_plan_is_drafted_by_its_name_and_passes_the_figure_check(text, english):
    """十三五 is no figure; glossed word by word it was "thirteen five", and "13th" must not
    then read to QA as a figure the source lacks."""
    from pipeline.engines.dictionary.engine import DictionaryEngine
    from pipeline.glossary.table import load_glossary
    from pipeline.model import Segment
    from pipeline.qa.checks import check_segment

    glossary = load_glossary(GLOSSARY_DIR).for_place("national")
    seg = Segment(1, 1, 1, "body", text)
    hits = glossary.match_segments([seg])
    draft = DictionaryEngine(glossary).draft([seg], hits)[1].text
    assert english in draft and not re.search(r"\b(?:eleven|twelve|thirteen|fourteen|fifteen)\b", draft.lower())
    assert [f for f in check_segment(text, draft, hits.get(1, ())) if f.severity == "error"] == []
