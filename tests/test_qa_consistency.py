import polib

from pipeline.catalog.entries import read_entries
from pipeline.qa.consistency import across_articles, term_forms


def catalog(*pairs):
    """A catalog's entries, as the later stages read them."""
    c = polib.POFile()
    for n, (msgid, msgstr) in enumerate(pairs):  # source lines 10, 11, …: not the entries' numbers
        c.append(polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("source.zh.txt", str(10 + n))]))
    return read_entries(c)


def test_same_sentence_translated_two_ways_across_articles():
    a = catalog(("全覆蓋。", "Full coverage."), ("其他。", "Other."))
    b = catalog(("全覆蓋。", "Complete coverage."))
    same = catalog(("全覆蓋。", "Full  coverage."))  # whitespace is not a difference
    found = across_articles({"a.po": a, "b.po": b})
    assert {(f.catalog, f.entry) for f in found} == {("a.po", 1), ("b.po", 1)}
    # Findings name where a reviewer finds the sentence: its catalog and source line.
    assert "b.po (source.zh.txt:10)" in next(f.message for f in found if f.catalog == "a.po")
    assert across_articles({"a.po": a, "same.po": same}) == []


def test_a_term_written_two_ways_in_one_article(glossary):
    two_ways = catalog(("濱海新區發展很快。", "Binhai New Area grew fast."),
                       ("支持濱海新區。", "Support the Binhai new area."))
    found = term_forms(two_ways, glossary, path="x.po")
    assert {f.entry for f in found} == {1, 2} and all(f.subject == "濱海新區" for f in found)
    one_way = catalog(("濱海新區發展很快。", "Binhai New Area grew fast."), ("支持濱海新區。", "Support the Binhai New Area."))
    assert term_forms(one_way, glossary) == []


def test_hits_already_found_for_a_sentence_are_not_looked_up_again(glossary):
    two_ways = catalog(("濱海新區發展很快。", "Binhai New Area grew fast."),
                       ("支持濱海新區。", "Support the Binhai new area."))
    first = glossary.match("濱海新區發展很快。")
    # The page passes the hits of its own scoped glossary: a sentence said to hold no term is not matched here.
    assert term_forms(two_ways, glossary, known={"支持濱海新區。": []}) == []
    found = term_forms(two_ways, glossary, known={"濱海新區發展很快。": first})
    assert {f.entry for f in found} == {1, 2}


def test_sentence_case_and_nested_renderings_are_not_a_second_spelling(glossary):
    # "Strive for excellence" opens a sentence; "strive for excellence" inside the
    # campaign's name belongs to the campaign.
    c = catalog(("創先爭優是目標。", "Strive for excellence is the aim."),
                ("圍繞科學發展創先爭優。", "They strive for excellence around scientific development."),
                ("創先爭優活動開展。", "The Strive for Excellence campaign went on."))
    assert term_forms(c, glossary) == []


def test_the_page_shows_a_term_written_two_ways_on_both_segments(glossary):
    from pipeline.model import Segment
    from pipeline.qa.article import SegmentQA

    entries = catalog(("濱海新區發展很快。", "Binhai New Area grew fast."), ("支持濱海新區。", "Support the Binhai new area."))
    segments = [Segment(1, 1, 1, "body", "濱海新區發展很快。"), Segment(2, 2, 2, "body", "支持濱海新區。")]
    found = SegmentQA(glossary.match_segments(segments), glossary).for_page(segments, entries)
    assert sorted(f.segment for f in found if f.check == "consistency") == [1, 2]


def test_an_article_keeps_to_one_of_the_renderings_a_glossary_accepts(glossary):
    from pipeline.qa.consistency import check_catalogs

    required = catalog(("基層黨組織發揮作用。", "Primary-level Party organizations played their part."),
                       ("加強基層黨組織。", "Strengthen primary-level Party organizations."))
    accepted = catalog(("基層黨組織發揮作用。", "Grassroots Party organizations played their part."),
                       ("加強基層黨組織。", "Strengthen grassroots Party organizations."))
    mixed = catalog(("基層黨組織發揮作用。", "Primary-level Party organizations played their part."),
                    ("加強基層黨組織。", "Strengthen grassroots Party organizations."))
    assert term_forms(required, glossary) == [] and term_forms(accepted, glossary) == []
    found = term_forms(mixed, glossary, path="x.po")
    assert {f.entry for f in found} == {1, 2} and all(f.subject == "基層黨組織" for f in found)
    assert all(f.severity == "warning" and '"grassroots Party organizations" at source.zh.txt:11' in f.message
               for f in found)
    # Articles may differ: each one reads consistently on its own.
    other = catalog(("基層黨組織很多。", "There are many grassroots Party organizations."))
    assert check_catalogs({"a.po": required, "b.po": other}, glossary) == []


def test_a_plural_is_not_a_second_way_but_another_accepted_rendering_is(glossary):
    plural = catalog(("村幹部參加。", "A village cadre took part."), ("幹部參加。", "The cadres took part."))
    assert term_forms(plural, glossary) == []
    mixed = catalog(("村幹部參加。", "Village officials took part."), ("幹部參加。", "The cadres took part."))
    found = term_forms(mixed, glossary)
    assert {f.entry for f in found} == {1, 2} and all(f.subject == "幹部" for f in found)


def test_an_inflection_is_not_a_second_spelling_but_a_capital_is(glossary):
    inflected = catalog(("創先爭優是目標。", "We strive for excellence."),
                        ("圍繞科學發展創先爭優。", "Around scientific development they are striving for excellence."))
    assert term_forms(inflected, glossary) == []
    capital = catalog(("創先爭優是目標。", "We strive for excellence."),
                      ("圍繞科學發展創先爭優。", "Around scientific development they are Striving for Excellence."))
    assert {f.entry for f in term_forms(capital, glossary)} == {1, 2}
