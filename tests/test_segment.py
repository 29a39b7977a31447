import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.model import Line
from pipeline.text.segment import segment, segment_lines, split_sentences, split_spans
from pipeline.text.source import read_article
from tests.conftest import SAMPLE


@pytest.mark.parametrize(
    "text, expected",
    [
        ("他以一句“好樣的！”結束了講話。", ["他以一句“好樣的！”結束了講話。"]),
        ("“我們一定能完成任務。”隊長的話鼓舞了大家。", ["“我們一定能完成任務。”", "隊長的話鼓舞了大家。"]),
        ("他說：「我們走吧。」大家都同意了。", ["他說：「我們走吧。」", "大家都同意了。"]),
        ("真的嗎？！是的。", ["真的嗎？！", "是的。"]),
        ("增長1.5萬人次，增幅12.3%。期限是2009.12.31。", ["增長1.5萬人次，增幅12.3%。", "期限是2009.12.31。"]),
        ("他獲得Ph.D.學位。例如e.g. this case.好的。", ["他獲得Ph.D.學位。", "例如e.g. this case.", "好的。"]),
        ("讀《你好！世界》一書。真好。", ["讀《你好！世界》一書。", "真好。"]),
        ("會議（為期兩天。地點在北京。）結束了。", ["會議（為期兩天。地點在北京。）結束了。"]),
        ("一是加強領導；二是完善制度：三是落實責任。", ["一是加強領導；二是完善制度：三是落實責任。"]),
        ("老師說了一句英語。Practice makes perfect. 我們都記住了。",
         ["老師說了一句英語。", "Practice makes perfect.", "我們都記住了。"]),
        ("他問道?我答道!", ["他問道?", "我答道!"]),
        ("取得實效。(記者李川)", ["取得實效。", "(記者李川)"]),
    ],
)
def test_sentence_rules(text, expected):
    assert list(split_sentences(text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # A reversed pair (”暴徒“) is a quotation, not an opener that swallows what follows.
        ("他是一個“法西斯分子”和一個”暴徒“。禁止什麼？可以嗎？",
         ["他是一個“法西斯分子”和一個”暴徒“。", "禁止什麼？", "可以嗎？"]),
        # A closer written where the opener belongs starts the next sentence.
        ("成本為103.7億美元。”我們面臨競爭，”主席說道。需時四分鐘。",
         ["成本為103.7億美元。", "”我們面臨競爭，”主席說道。", "需時四分鐘。"]),
        ("展示野心的機會。”不幸的是它”創始人寫道。", ["展示野心的機會。", "”不幸的是它”創始人寫道。"]),
        ("他說：「好。」然後走了。」", ["他說：「好。」", "然後走了。」"]),
        # A sentence ending in an ellipsis; an ellipsis inside one does not end it.
        ("我不知道為什麼我會選她……兩年後，她很鎮定。", ["我不知道為什麼我會選她……", "兩年後，她很鎮定。"]),
        ("我想……，算了。他說等等……。好。", ["我想……，算了。", "他說等等……。", "好。"]),
        ("信貸...雖然可控。", ["信貸...雖然可控。"]),
        ("“我不知道……”他說。", ["“我不知道……”他說。"]),
        # “ closed by an ASCII quote, and brackets mixing full and half width.
        ("補充道：“風險不應該被忽視。\"大眾汽車損失了。", ["補充道：“風險不應該被忽視。\"", "大眾汽車損失了。"]),
        ("基金（Return)和基金(Income funds），投資了。這意味著。", ["基金（Return)和基金(Income funds），投資了。", "這意味著。"]),
        # A quotation after a comma is a clause of its own: its end ends the sentence.
        ("他也表示，“這可能帶來後果。”對議案提出了建議。", ["他也表示，“這可能帶來後果。”", "對議案提出了建議。"]),
    ],
)
def test_damaged_quotes_and_ellipses(text, expected):
    assert split_sentences(text) == expected


def test_pud_paragraphs_of_five_beat_the_one_line_regex():
    """Boundary F1 on UD Chinese PUD with every 5 gold sentences joined into a paragraph."""
    import re

    from bench.ud import paragraphs

    regex = re.compile(r"[。？！?!]+[”」』’）)]*")

    def f1(split):
        tp = fp = fn = 0
        for gold in paragraphs("zh_pud-ud-test.conllu", group=5, by_document=False):
            ends = {sum(len(s) for s in gold[:k + 1]) for k in range(len(gold) - 1)}
            text = "".join(gold)
            found = {e for e in split(text) if 0 < e < len(text)}
            tp, fp, fn = tp + len(ends & found), fp + len(found - ends), fn + len(ends - found)
        return 2 * tp / (2 * tp + fp + fn)

    ours = f1(lambda t: {e for _, e in split_spans(t)})
    baseline = f1(lambda t: {m.end() for m in regex.finditer(t)})
    assert round(baseline, 3) == 0.993
    assert ours >= 0.995


def test_stray_quote_does_not_swallow_the_paragraph():
    assert list(split_sentences("他說「好。然後走了。再見。")) == ["他說「好。", "然後走了。", "再見。"]


def test_roles():
    lines = [Line(1, "標題沒有句號"), Line(2, "——副標題"), Line(3, "正文第一句。正文第二句。"),
             Line(4, "小標題"), Line(5, "最後一句。（完）")]
    segs = segment_lines(lines)
    assert [(s.role, s.text) for s in segs] == [
        ("title", "標題沒有句號"), ("title", "——副標題"), ("body", "正文第一句。"), ("body", "正文第二句。"),
        ("heading", "小標題"), ("body", "最後一句。"), ("byline", "（完）"),
    ]
    assert [s.paragraph for s in segs] == [1, 2, 3, 3, 4, 5, 5]
    assert [s.line for s in segs] == [1, 2, 3, 3, 4, 5, 5]


def test_sample_article_segmentation_reviewed_by_hand():
    """Pinned after reading every segment of the sample against its source."""
    segs = segment(read_article(SAMPLE))
    assert len(segs) == 45
    roles = [s.role for s in segs]
    assert roles[:2] == ["title", "title"]
    assert [s.id for s in segs if s.role == "heading"] == [4, 12, 28, 37]
    assert roles[-1] == "byline" and segs[-1].text == "(記者李川)"
    assert roles.count("body") == 45 - 2 - 4 - 1
    # Line 19 holds three sentences; the ASCII ? of line 8 ends its sentence.
    assert [s.text[:8] for s in segs if s.line == 19] == ["圍繞科學發展創先", "市委金融工委各級", "市委城鄉規劃建設"]
    assert segs[4].text.endswith("經常性動力?")
    # 『…』 quotes and the parenthesis of line 20 stay inside their sentences.
    assert sum(1 for s in segs if s.line == 20) == 3
    assert "(即在鄉鎮街設立" in segs[19].text
    # Every character of every kept line is in exactly one segment.
    src = read_article(SAMPLE)
    for line in src.lines:
        assert "".join(s.text for s in segs if s.line == line.number) == line.text.replace(" ", "") or \
            line.text == "注重典型引路 強化輿論宣傳"


# Characters that exercise every rule: terminals, runs, closers, pairs, colons,
# full stops, ASCII quotes, spaces and byline words.
_ALPHABET = st.sampled_from(list("。！？!?…」』”’）)\"'「『“‘（(《》 .a中文，；：記者完Ab1"))


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=40))
def test_spans_tile_the_paragraph(text):
    spans = split_spans(text)
    pos = 0
    for s, e in spans:
        assert pos <= s < e <= len(text)
        assert not text[pos:s].strip(), "text between segments must be whitespace"
        assert text[s:e] == text[s:e].strip()
        pos = e
    assert not text[pos:].strip()


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET.filter(lambda c: c not in "《》.記完"), max_size=40))
def test_plain_fast_path_agrees_with_the_general_scan(text):
    # A leading sentence with a book title forces the general scan (a balanced
    # pair to track); the rest of the paragraph must be cut exactly where the
    # fast path cuts it on its own. (No byline words: a byline splits off only
    # after other text. No leading closer or terminal: those attach to the
    # sentence before.)
    assume(text[:1] not in "。！？!?…」』”’）)")
    expected = [(0, 4), *((s + 4, e + 4) for s, e in split_spans(text))]
    assert split_spans("《書》。" + text) == expected
