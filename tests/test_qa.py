import pytest

from pipeline.qa import check_segment


def checks(source, english, glossary):
    return {(f.check, f.severity) for f in check_segment(source, english, glossary.match(source))}


@pytest.mark.parametrize(
    "source, good, bad",
    [
        ("選派480多名黨員乾部。", "More than 480 officials were sent.", "More than 48 officials were sent."),
        ("深入基層開展調研1.5萬人次。", "They made 15,000 research visits.", "They made 1,500 research visits."),
        ("新建黨組織387個。", "387 new Party organizations were set up.", "Many new Party organizations were set up."),
        ("共召開動員部署會議6823次。", "They held 6,823 mobilization meetings.", "They held 6,832 mobilization meetings."),
    ],
)
def test_numbers_from_the_sample(glossary, source, good, bad):
    assert ("numbers", "error") not in checks(source, good, glossary)
    assert ("numbers", "error") in checks(source, bad, glossary)


def test_glossary_rendering_required_and_avoided(glossary):
    source = "加快構築『三個高地』。"
    assert ("glossary", "error") not in checks(source, 'Build the "three highlands" faster.', glossary)
    assert ("glossary", "error") in checks(source, 'Build the "three heights" faster.', glossary)


def test_leftovers_and_loops(glossary):
    assert ("leftovers", "error") in checks("創新活動主題和載體", "Innovate 活動 themes", glossary)
    assert ("leftovers", "warning") in checks("創新。", "Innovate，themes。", glossary)
    assert ("repetition", "error") in checks("創新。", "the the the the campaign", glossary)
    assert check_segment("創新活動主題和載體", "Innovate activity themes and vehicles", []) == []
