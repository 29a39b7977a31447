"""The glossary layers every engine's drafts go through: repair of avoided
renderings, choice among hypotheses, and verification."""

from datetime import datetime, timezone

import polib
import pytest

from pipeline.catalog import notes as catalog_notes
from pipeline.catalog import merge as cat
from pipeline.catalog import po
from pipeline.glossary.enforcement import repair, verify
from pipeline.engines.base import Engine, Hypothesis
from pipeline.engines.dictionary.engine import DictionaryEngine
from pipeline.model import Term, TermHit
from pipeline.text.segment import segment
from pipeline.text.source import read_article
from tests.conftest import SAMPLE

HIGHLANDS = Term("三個高地", "three highlands", avoid=("three highland", "three heights"))
BATTLES = Term("五個攻堅戰", "five tough battles", avoid=("offensive battles", "five offensive battles"))
TEN = Term("十大戰役", "Ten Major Battles", avoid=("ten big", "ten big campaigns"))
UPLANDS = Term("高地", "uplands", avoid=("highlands",))


def hits(*terms: Term) -> list[TermHit]:
    return [TermHit(t, 0, len(t.term), t.term) for t in terms]


@pytest.mark.parametrize("text, expected, fixed", [
    ("Build the three heights now.", "Build the three highlands now.", [("three heights", "three highlands")]),
    # A capital on the replaced words is kept; any spacing and case match.
    ("Three  HEIGHTS first.", "Three highlands first.", [("three heights", "three highlands")]),
    # Whole words: the avoided "three highland" is not inside the required "three highlands".
    ("the three highlands stay", "the three highlands stay", []),
    ("the three highland-ish", "the three highlands-ish", [("three highland", "three highlands")]),
    # The leftmost phrase wins: "five offensive battles" is not rewritten to "five five tough battles".
    ("win the five offensive battles", "win the five tough battles",
     [("five offensive battles", "five tough battles")]),
    ("win both offensive battles", "win both five tough battles", [("offensive battles", "five tough battles")]),
    # A required capital is kept even where the avoided words were lower case; of two
    # phrases starting at one word the longer wins (not "Ten Major Battles campaigns").
    ("the ten big campaigns", "the Ten Major Battles", [("ten big campaigns", "Ten Major Battles")]),
    ("ten big towns", "Ten Major Battles towns", [("ten big", "Ten Major Battles")]),
])
def test_repair_swaps_avoided_renderings(text, expected, fixed):
    new, done = repair(text, hits(HIGHLANDS, BATTLES, TEN))
    assert new == expected and list(done) == fixed
    assert verify(new, hits(HIGHLANDS, BATTLES, TEN))[1] == ()


def test_repair_never_rewrites_its_own_replacement():
    # 高地's avoided "highlands" would fire inside 三個高地's replacement on a second pass.
    new, done = repair("the three heights", hits(HIGHLANDS, UPLANDS))
    assert new == "the three highlands" and done == (("three heights", "three highlands"),)


def test_a_phrase_two_terms_avoid_differently_is_left_flagged():
    other = Term("三個高峰", "three peaks", avoid=("three heights",))
    new, done = repair("the three heights", hits(HIGHLANDS, other))
    assert new == "the three heights" and done == ()
    assert verify(new, hits(HIGHLANDS, other))[1] == ("three heights",)


def test_choice_prefers_the_hypothesis_that_repair_completes():
    hyps = [Hypothesis("Win the tough fights.", -0.1), Hypothesis("Win the five offensive battles.", -0.5)]
    best, fixed, (missing, forbidden) = Engine.choose(hyps, hits(BATTLES))
    assert best.text == "Win the five tough battles." and fixed and missing == forbidden == ()
    best, fixed, (missing, forbidden) = Engine.choose(hyps, hits(BATTLES), repair_terms=False)
    assert best.text == "Win the tough fights." and missing == ("five tough battles",) and not fixed


OFFICIALS = Term("幹部", "officials", accept=("cadre",), avoid=("dry department",))


@pytest.mark.parametrize("text, missing", [
    ("The officials went.", ()),
    ("The cadres went.", ()),  # an accepted rendering: inflection as for the required one
    ("A Cadre went.", ()),
    ("The staff went.", ("officials",)),
    ("The officialdom went.", ("officials",)),  # a rendering counts as whole words only
    ("A cadreship went.", ("officials",)),
])
def test_an_accepted_rendering_makes_the_term_present(text, missing):
    assert verify(text, hits(OFFICIALS)) == (missing, ())


REFORM = Term("改革", "reform", accept=("change",))


@pytest.mark.parametrize("text, missing", [
    ("Reform goes on.", ()), ("Reforms go on.", ()), ("The change goes on.", ()), ("Changes go on.", ()),
    ("The reform's pace.", ()),
    ("Exchange rates rose.", ("reform",)), ("The file was reformatted.", ("reform",)),
    ("Unchanged rates.", ("reform",)),
])
def test_renderings_are_found_as_whole_words_not_inside_other_words(text, missing):
    assert verify(text, hits(REFORM)) == (missing, ())


STRIVE = Term("創先爭優", "strive for excellence")
ORGANIZATIONS = Term("黨組織", "Party organizations")
BINHAI = Term("打造新濱海", "build a new Binhai")


@pytest.mark.parametrize("term, text, present", [
    (STRIVE, "They strive for excellence.", True),
    (STRIVE, "He strives for excellence.", True),
    (STRIVE, "Striving for excellence in serving the people.", True),
    (STRIVE, "They strove for excellence.", True),
    (STRIVE, "They have striven for excellence.", True),
    (STRIVE, "They constrive for excellence.", False),  # still whole words
    (STRIVE, "They strive for excellent work.", False),  # "excellent" is another word, not an inflection
    (ORGANIZATIONS, "One Party organization took part.", True),
    (ORGANIZATIONS, "The Party organizations took part.", True),
    (ORGANIZATIONS, "The Party organizers took part.", False),
    (BINHAI, "Building a new Binhai.", True),
    (BINHAI, "They built a new Binhai.", True),
    (BINHAI, "They rebuild a new Binhai.", False),
    (Term("三個高地", "highlands of talent"), "a highland of talent", True),
    (Term("好", "good example"), "a better example", False),  # adjectives keep their form
])
def test_a_rendering_matches_its_inflected_forms_as_whole_words(term, text, present):
    assert verify(text, hits(term)) == ((() if present else (term.english,)), ())


def test_an_avoided_rendering_is_matched_as_written_not_inflected():
    assert verify("They built three highlands.", hits(HIGHLANDS)) == ((), ())


def test_choice_and_repair_leave_an_accepted_rendering_alone():
    hyps = [Hypothesis("The staff went.", -0.1), Hypothesis("The cadres went.", -0.5)]
    best, fixed, (missing, forbidden) = Engine.choose(hyps, hits(OFFICIALS))
    assert best.text == "The cadres went." and not fixed and missing == forbidden == ()
    assert repair("The dry department and the cadres.", hits(OFFICIALS)) == (
        "The officials and the cadres.", (("dry department", "officials"),))


def test_engines_still_draft_the_required_rendering(glossary):
    """The shipped glossary accepts 'cadre' and 'grassroots Party organizations'; drafts carry the required forms."""
    from pipeline.text import script
    from pipeline.model import Segment

    segs = list(script.normalize([Segment(1, 1, 1, "body", "選派黨員幹部。"), Segment(2, 2, 2, "body", "加強基層黨組織。")]))
    drafts = DictionaryEngine(glossary).draft(segs)
    assert "officials" in drafts[1].text and "cadre" not in drafts[1].text.lower()
    assert "primary-level Party organizations" in drafts[2].text and "grassroots" not in drafts[2].text.lower()


@pytest.fixture(scope="module")
def sample():
    return segment(read_article(SAMPLE))


def engine_without_injection(glossary, *, repair_terms: bool = True) -> DictionaryEngine:
    engine = DictionaryEngine(glossary)
    engine.inject_terms, engine.repair_terms = False, repair_terms
    return engine


def drafts_without_injection(glossary, segments, *, repair_terms: bool):
    return engine_without_injection(glossary, repair_terms=repair_terms).draft(segments)


def test_repair_removes_every_avoided_rendering_the_engine_wrote(glossary, sample):
    """The dictionary engine, with injection off, writes some avoided renderings
    (it glosses 三個高地 word by word); repair must leave none, and say where it worked."""
    raw = drafts_without_injection(glossary, sample, repair_terms=False)
    fixed = drafts_without_injection(glossary, sample, repair_terms=True)
    carried = {i for i, d in raw.items() if d.forbidden_terms}
    assert carried, "the sample should exercise repair"
    for i, d in fixed.items():
        assert d.forbidden_terms == ()
        if i in carried:
            assert {a for a, _ in d.repaired_terms} == set(raw[i].forbidden_terms)
            assert all(required.lower() in d.text.lower() for _, required in d.repaired_terms)
            assert len(d.missing_terms) < len(raw[i].missing_terms)
        else:
            assert d.text == raw[i].text and d.repaired_terms == ()


def test_repairs_are_noted_for_the_reviewer(glossary, sample):
    engine = engine_without_injection(glossary)
    hits_by_id = glossary.match_segments(sample)
    catalog, _ = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=sample,
                           hits=hits_by_id, old=None, signature=engine.signature(),
                           drafter=lambda todo: engine.draft(todo, hits_by_id),
                           now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    reread = polib.pofile(po.render(catalog))
    noted = [e for e in reread if any("replaced by the required" in v for v in catalog_notes.notes(e).get("draft-check", []))]
    assert noted
    for e in noted:
        for note in (n for n in catalog_notes.notes(e)["draft-check"] if "replaced by" in n):
            required = note.split('the required "', 1)[1].split('"', 1)[0]
            assert required.lower() in e.msgstr.lower()
