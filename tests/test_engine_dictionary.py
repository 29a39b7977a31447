import pytest

from pipeline.engines.dictionary.engine import RULES, DictionaryEngine, conversion_damage
from pipeline.model import Segment
from pipeline.text.segment import segment
from pipeline.text.source import read_article
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
    assert f"|rules:{RULES}|" in sig


def draft(engine, *texts: str) -> list[str]:
    drafts = engine.draft([Segment(n, n, n, "body", t) for n, t in enumerate(texts, start=1)])
    return [drafts[n].text for n in range(1, len(texts) + 1)]


@pytest.mark.parametrize("source, english", [
    ("7月15日，代表們抵達天津。", "July 15"),
    ("2024年7月15日", "July 15, 2024"),
    ("2024年上半年，產值增長12%。", "The first half of 2024"),
    ("今年下半年", "the second half of this year"),
    ("1945年10月", "October 1945"),
    ("10月初", "early October"),
    ("20世紀80年代", "the 1980s"),
    ("第一季度", "the first quarter"),
])
def test_dates_are_english_dates(glossary, source, english):
    text = draft(DictionaryEngine(glossary), source)[0]
    assert english.lower() in text.lower(), text
    assert "moon" not in text and " sun" not in text and "NEC" not in text


def test_figures_always_carry_thousands_separators_but_years_do_not(glossary):
    text = draft(DictionaryEngine(glossary),
                 "共選樹典型4512個,優秀共產黨員典型12216名,組織報告會628場,2010年起共召開會議6823次。")[0]
    for figure in ("4,512", "12,216", "628", "2010", "6,823"):
        assert figure in text, text
    assert "4512" not in text and "12216" not in text and "2,010" not in text


def test_codes_and_existing_groups_keep_their_digits(glossary):
    text = draft(DictionaryEngine(glossary), "F1賽車和B29轟炸機，貸款15，001到19，999英鎊。")[0]
    assert "F1" in text and "B29" in text and "15,001" in text and "19,999" in text, text


def test_a_comma_is_followed_by_a_space(glossary):
    text = draft(DictionaryEngine(glossary), "表彰了50個企業黨組織,54個先進社區黨組織,16個社區黨建工作示范點。")[0]
    assert ", 54" in text and ", 16" in text and ",54" not in text, text


@pytest.mark.parametrize("source, english, wrong", [
    ("開展調研1.5萬人次", "15,000 visits", "person-times"),
    ("選派480多名黨員", "more than 480 Party member", "name"),
    ("最高限額為每人5000美元", "$5,000", "American dollar"),
    ("投資3000多萬元", "more than 30 million yuan", "10,000"),
    ("兩個月的繁殖期", "two months", "individual"),
    ("一名男子", "A man", "name"),
    ("第二次放棄了意大利", "the second time", "next in sequence"),
    ("百分之九十的人", "90 percent", "100"),
])
def test_units_and_counters_are_sensible(glossary, source, english, wrong):
    text = draft(DictionaryEngine(glossary), source)[0]
    assert english.lower() in text.lower() and wrong not in text, text


@pytest.mark.parametrize("source, dateline", [
    ("新華社天津7月15日電 全市黨組織開展活動。", "Tianjin, July 15 (Xinhua) -- "),
    ("天津北方網訊:全市創先爭優活動部署以來,各級黨組織緊緊圍繞主題。", "Tianjin (Enorth) -- "),
    ("本報北京3月2日訊 會議開幕。", "Beijing, March 2 -- "),
])
def test_datelines_read_as_datelines(glossary, source, dateline):
    engine = DictionaryEngine(glossary)
    text = draft(engine, source)[0]
    assert text.startswith(dateline), text
    # The glossary's rendering of 天津北方網 survives inside the dateline.
    assert engine.draft([Segment(1, 1, 1, "body", source)])[1].missing_terms == ()


def test_conversion_damage_is_read_off_the_glossary_variants(glossary):
    known = DictionaryEngine(glossary)._cedict.has
    # 乾部 for 幹部, 人纔 for 人才, 示范 for 示範, 聯系 for 聯繫; not 週年 or 巡迴, which are correct spellings.
    assert conversion_damage(glossary.terms, lambda w: known(w, traditional=True)) == {
        "乾": "幹", "纔": "才", "范": "範", "系": "繫"}


def test_damaged_characters_are_repaired_before_glossing(glossary):
    engine = DictionaryEngine(glossary)
    busy, career, clean = draft(engine, "全市各級黨組織以正在乾的事情為中心。", "轉化為乾事創業的實際行動。", "把房間打掃乾淨。")
    assert "dry" not in busy and " do " in busy, busy
    assert "administrator" not in career, career
    assert "clean" in clean, clean  # 乾淨 is a word of its own: nothing to repair
    # Without the glossary's variants there is nothing to repair from.
    assert "dry" in draft(DictionaryEngine(), "以正在乾的事情為中心。")[0]


@pytest.mark.parametrize("source, wrong", [
    ("一方面注重老典型的鞏固和提升", "prefix used before"),
    ("他在1832年出生", "grain"),
    ("他打了一場比賽", "dozen"),
    ("英國退歐後", "Northern Ireland"),
    ("新聞媒體", "esp."),
    ("你來了嗎", "("),
    ("她出生在附近的一個小鎮裡", "lining"),
])
def test_glosses_are_words_not_dictionary_notes(glossary, source, wrong):
    text = draft(DictionaryEngine(glossary), source)[0]
    assert wrong not in text, text


def test_particles_stay_out_of_the_english(glossary):
    text = draft(DictionaryEngine(glossary), "他們已經吃過飯了嗎？我們走吧，好嗎？")[0]
    for noise in ("particle", "what?", "bar", "cross", "woolen"):
        assert noise not in text, text


def test_unknown_names_are_spelled_in_pinyin(glossary):
    text = draft(DictionaryEngine(glossary), "奧巴馬的特別助理科瑞·舒爾曼在周一發布的博客中寫道。")[0]
    assert "Kerui Shuerman" in text and "lucky" not in text, text


def test_sample_drafts_pass_the_figure_and_glossary_checks(glossary):
    from pipeline.qa import checks as qa
    from pipeline.text import script

    segments = script.normalize(segment(read_article(SAMPLE)))
    hits = glossary.match_segments(segments)
    drafts = DictionaryEngine(glossary).draft(segments, hits)
    findings = [f for s in segments for f in qa.check_segment(s.text, drafts[s.id].text, hits.get(s.id, ()))
                if f.check in ("numbers", "glossary", "leftovers")]
    assert findings == []


def test_pud_chrf_is_above_the_glossing_baseline(glossary):
    """chrF2 34.48 was the word-by-word baseline on PUD; the mechanical fixes and sense choices lift it."""
    from pipeline import evaluate as ev

    result, _ = ev.evaluate(ev.pud_pairs(), DictionaryEngine(glossary), glossary=glossary, test_set="PUD")
    assert result.chrf >= 37.5  # 38.0 when written; the bench reports it against the goal of 38
    assert result.qa_per_100()["numbers"] <= 3.0  # 5.4 figure or date errors per 100 segments before


@pytest.mark.parametrize("source, english", [
    ("公司的員工", "The employees of the company"),
    ("奧巴馬的助理", "Barack Obama's assistant"),
    ("在戰爭開始時", "When the war"),
    ("部隊還繼續使用這項技術", "continue to use this technology"),
    ("調查對象是溫特科恩（Winterkorn）先生", "Winterkorn Mr."),
    ("他說：“好樣的！”", 'say: "a good person!"'),
    ("建黨六十週年", "60th anniversary"),
    ("2015年8月30這一天", "August 30, 2015"),
])
def test_the_little_english_a_gloss_can_supply(glossary, source, english):
    text = draft(DictionaryEngine(glossary), source)[0]
    assert english in text, text
    assert "warm" not in text and "“" not in text


def test_preferred_senses_are_one_gloss_per_headword(glossary):
    from importlib import resources

    from pipeline.engines.dictionary.engine import preferred_senses
    from pipeline.text.script import HAN_CHAR

    rows = [line.split("\t") for line in
            resources.files("pipeline.engines.dictionary").joinpath("senses.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert all(len(row) == 2 and HAN_CHAR.match(row[0]) for row in rows)
    headwords = [row[0] for row in rows]
    assert len(headwords) == len(set(headwords)) == len(preferred_senses())
    engine = DictionaryEngine(glossary)
    # A sense from the table, and a word the table says has no English of its own.
    assert engine._gloss_word("抓住") == "seize" and engine._gloss_word("第") == ""


@pytest.mark.parametrize("source, english", [
    ("（記者 李明）", "(reporter Li Ming)"),
    ("（记者李川通讯员王芳）", "(reporter Li Chuan, correspondent Wang Fang)"),
    ("（记者 王建安、欧阳小华）", "(reporters Wang Jian'an and Ouyang Xiaohua)"),
    ("本报成都1月24日讯（记者 李明）记者从省统计局获悉。", "Chengdu, January 24 -- (reporter Li Ming)"),
    # A two-character name spaced out to the width of three, with a half- or full-width space.
    ("（記者 陳 強）", "(reporter Chen Qiang)"),
    ("（记者　陈　强　李明）", "(reporters Chen Qiang and Li Ming)"),
    ("（记者 陈 强、王建安 通讯员 刘 洋）", "(reporters Chen Qiang and Wang Jian'an, correspondent Liu Yang)"),
])
def test_a_credit_names_its_people_surname_first_and_apart(source, english):
    """A reporter's name is a person's name, not a gloss ("plum river") nor one run of pinyin ("Lichuan")."""
    assert english in _drafted(source)


@pytest.mark.parametrize("source", ["（完）", "(完)", "【完】", "（ 完 ）"])
def test_the_closing_mark_of_a_dispatch_reads_end(source):
    english = _drafted(source)
    assert "(End)" in english and "finish" not in english


@pytest.mark.parametrize("source, english", [
    ("省委書記盧展工主持召開會議。", "Lu Zhangong"),
    ("省委常委、秘书长李明指出，要加强领导。", "Li Ming"),
    ("市长王向东、副市长欧阳小华出席会议。", "Wang Xiangdong"),
    ("市长王向东、副市长欧阳小华出席会议。", "Ouyang Xiaohua"),
    ("省長馬興瑞作政府工作報告時說。", "Ma Xingrui"),
    ("省長朱小丹就規劃建議稿作說明。", "Zhu Xiaodan"),
    # A transliterated name: its parts read apart, at least pinyin rather than a gloss.
    ("自治區主席努爾·白克力在會上講話。", "Nuer Baikeli"),
    ("自治区主席雪克来提·扎克尔说，要加强团结。", "Xuekelaiti Zhake'er"),
])
def test_an_official_named_after_the_title_is_a_name_in_pinyin(source, english):
    """省委書記盧展工 was glossed "black spread out work" character by character."""
    assert english in _drafted(source)


@pytest.mark.parametrize("source, english, absent", [
    ("【大河網訊】11月20日上午，會議召開。", "(Dahe.cn) --", "river"),
    ("【本报讯】会议召开。", "The meeting", "newspaper"),
    ("郑州大河网讯：会议召开。", "Zhengzhou (Dahe.cn) --", "river"),
    ("本报讯（记者 王晓明）会议召开。", "(reporter Wang Xiaoming)", "newspaper"),
])
def test_a_bracketed_or_web_dateline_names_its_source(source, english, absent):
    draft = _drafted(source)
    assert english in draft and absent not in draft.lower()


def _drafted(source: str) -> str:
    """The dictionary engine's draft of one body segment, without a glossary."""
    from pipeline.engines.dictionary.engine import DictionaryEngine
    from pipeline.model import Segment

    return DictionaryEngine().draft([Segment(1, 1, 1, "body", source)], {})[1].text


def test_a_people_s_congress_below_the_national_one_is_not_the_npc():
    """人大 alone is a people's congress at any level; only 全國人大 (a glossary row) is the NPC."""
    english = _drafted("廣東省十三屆人大四次會議開幕。")
    assert "people's congress" in english.lower() and "National" not in english
