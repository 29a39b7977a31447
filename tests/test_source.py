import pytest

from pipeline.errors import SourceError
from pipeline.text.segment import segment
from pipeline.text.source import debris_reason, decode, parse, read_article
from tests.conftest import SAMPLE

TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"])
def test_every_encoding_gives_the_same_segments(tmp_path, encoding):
    path = tmp_path / f"a.{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))
    src = read_article(path)
    assert [s.text for s in segment(src)] == [s.text for s in segment(read_article(SAMPLE))]
    assert src.encoding.replace("-sig", "").replace("cp950", "big5") in (encoding.replace("-sig", ""), "big5")


def test_line_ends_are_normalized(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(TEXT.replace("\n", "\r\n").encode())
    cr = tmp_path / "cr.txt"
    cr.write_bytes(TEXT.replace("\n", "\r").encode())
    expected = [s.text for s in segment(read_article(SAMPLE))]
    assert [s.text for s in segment(read_article(crlf))] == expected
    assert [s.text for s in segment(read_article(cr))] == expected


def test_debris_lines_of_the_sample_are_dropped_and_reported():
    src = read_article(SAMPLE)
    assert [d.number for d in src.dropped] == [1, 2, 3]
    assert [d.text for d in src.dropped] == ["![]() |", "|", "|||"]
    assert src.lines[0].number == 4


@pytest.mark.parametrize("line", ["![]() |", "|||", "— — —", "分享到：微信 微博 QQ空間", "【打印】【關閉窗口】", "＊＊＊"])
def test_debris_is_recognised(line):
    assert debris_reason(line) is not None


@pytest.mark.parametrize("line", ["首頁 > 新聞中心 > 雲南要聞", "当前位置：首页 > 要闻 > 正文", "首页 » 时政",
                                  "發佈時間：2018-06-12 10:25:33  來源：雲南日報",
                                  "2021-09-14 08:30  来源：绍兴日报", "作者：李娟  编辑：王芳", "責任編輯：張三",
                                  "浏览次数：1024",
                                  "（责任编辑：王芳）", "相關閱讀：", "相关新闻"])
def test_page_furniture_is_recognised(line):
    """Breadcrumbs, publication data, the editor's credit and a related-reading heading are no article text."""
    assert debris_reason(line) is not None


@pytest.mark.parametrize("line", ["他在微博上分享到了照片。", "A", "1", "（完）", "| 表格 |", "字號大的標題", "七一",
                                  "数据来源：省统计局。", "会议指出，编辑出版工作要守正创新。", "增长率 > 5%",
                                  "编辑记者节座谈会召开", "相关阅读材料已经印发，请各地认真学习。",
                                  "作者：李明（省委党校教授）", "来源：新华社"])
def test_real_text_is_never_dropped(line):
    assert debris_reason(line) is None


def test_indentation_is_stripped_and_inner_spacing_kept():
    src = parse("\u3000\u3000注重典型引路 強化輿論宣傳\n")
    assert src.lines[0].text == "注重典型引路 強化輿論宣傳"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"  \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"abc\x80\xff\x80\xff", "undecodable"),
    ],
)
def test_bad_input_is_a_clear_error_naming_the_file(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError) as info:
        read_article(path)
    assert str(path) in str(info.value) and message in str(info.value)
    assert "\n" not in str(info.value)


def test_control_characters_are_rejected_with_the_line(tmp_path):
    path = tmp_path / "ctl.txt"
    path.write_text("第一行。\n第二\x07行。\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"ctl.txt:2: control character U\+0007"):
        read_article(path)


def test_big5_and_gb18030_are_told_apart():
    text = "市委組織部評選表彰了50個企業黨組織。"
    assert decode(text.encode("big5"))[1] in ("cp950", "big5hkscs")
    simplified = "市委组织部评选表彰了50个企业党组织。"
    assert decode(simplified.encode("gb18030"))[1] == "gb18030"


def _ud_pieces(low: int, high: int) -> list[str]:
    """Clauses of low..high characters from the UD Chinese treebanks (Traditional), each a short line."""
    import re

    from tests.conftest import ROOT

    pieces = set()
    for name in ("zh_gsd-ud-test.conllu", "zh_gsd-ud-dev.conllu", "zh_pud-ud-test.conllu"):
        for line in (ROOT / "data" / "ud" / name).read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                for part in re.findall(r"[^，。！？；：]+[，。！？；：]?", line[9:]):
                    if low <= len(part.strip()) <= high and re.search(r"[\u4e00-\u9fff]", part):
                        pieces.add(part.strip())
    return sorted(pieces)


SHORT_LINES = _ud_pieces(2, 12) + ["講話全文。", "歡迎光臨。", "其中講到，", "拒絕繳稅，", "五樓為演藝廳。"]


@pytest.mark.parametrize("encoding, script", [("big5", "traditional"), ("gbk", "simplified"),
                                              ("gb18030", "simplified")])
def test_short_legacy_lines_decode_as_written(encoding, script):
    """Every short line of the treebanks that the encoding can hold comes back as written.

    Short Big5 lines often decode as GB18030 too (into kana, bopomofo and private-use
    characters); the most plausible Chinese wins."""
    import unicodedata

    from pipeline.text.script import to_simplified

    tried, wrong = 0, []
    for line in SHORT_LINES:
        text = line if script == "traditional" else to_simplified(line)
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        tried += 1
        got, _ = decode(data)
        # Big5 has one byte pair for £ that cp950 reads as the full-width ￡: same text, NFKC-equal.
        if unicodedata.normalize("NFKC", got) != unicodedata.normalize("NFKC", text):
            wrong.append((text, got))
    assert tried > 1500
    assert wrong == []
