from pipeline.engines.dictionary import DictionaryEngine
from pipeline.model import Segment
from pipeline.segment import segment
from pipeline.source import read_article
from tests.conftest import SAMPLE


def test_glossary_renderings_are_exact_in_every_draft(glossary):
    engine = DictionaryEngine(glossary)
    segments = segment(read_article(SAMPLE))
    drafts = engine.draft(segments)
    assert len(drafts) == 45
    for seg in segments:
        d = drafts[seg.id]
        for hit in glossary.match(seg.text):
            assert hit.term.english.lower() in d.text.lower(), (seg.id, hit.term.term)
        assert d.missing_terms == () and d.forbidden_terms == ()
        assert d.engine == "dictionary" and "gloss" in d.label


def test_figures_and_punctuation(glossary):
    engine = DictionaryEngine(glossary)
    seg = Segment(1, 1, 1, "body", "深入基層一線開展調研1.5萬人次,解決問題2790餘件,選派480多名黨員。")
    text = engine.draft([seg])[1].text
    assert "15,000" in text and "more than 2,790" in text and "more than 480" in text
    assert not any(ch in text for ch in "，。、")
    assert text[0].isupper() and text.endswith(".")


def test_signature_names_the_dictionary_and_glossary(glossary):
    sig = DictionaryEngine(glossary).signature()
    assert sig.startswith("engine:dictionary|cedict:") and f"glossary:{glossary.revision}" in sig
