"""Glossary scope: national terms everywhere, a place's terms only for articles of that place."""

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.glossary import scope
from pipeline.glossary.places import place_named
from pipeline.glossary.table import load_glossary, load_terms, lint_terms
from pipeline.text.segment import segment
from pipeline.text.source import read_article
from tests.test_cli import invoke

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "scope"
HEADER = "term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n"


def _write(folder: Path, name: str, declared: str | None, *rows: str) -> Path:
    path = folder / name
    path.write_text((f"# scope: {declared}\n" if declared else "") + HEADER + "".join(r + "\n" for r in rows),
                    encoding="utf-8")
    return path


@pytest.fixture
def two_scopes(tmp_path):
    folder = tmp_path / "glossary"
    folder.mkdir()
    _write(folder, "national.tsv", "national", "市委\t\tmunicipal Party committee\t\tbody\tn\tsrc",
           "四风\t四風\tfour forms of decadence\t\tslogan\tn\tsrc")
    _write(folder, "tianjin.tsv", "天津", "市委\t\tCPC Tianjin Municipal Committee\t\tbody\tn\tsrc",
           "滨海新区\t濱海新區\tBinhai New Area\t\tplace\tn\tsrc")
    _write(folder, "zhejiang.tsv", "Zhejiang", "五水共治\t\tco-governance of five waters\t\tslogan\tn\tsrc")
    return folder


@pytest.mark.parametrize("name, key", [("天津", "天津"), ("天津市", "天津"), ("Tianjin", "天津"), ("紹興", "绍兴"),
                                       ("绍兴市", "绍兴"), ("Inner Mongolia", "内蒙古"), ("national", "national")])
def test_a_scope_names_a_place_in_either_script_or_english(name, key):
    assert scope.scope_key(name) == key


def test_a_city_takes_its_provinces_terms_and_the_local_term_wins(two_scopes):
    glossary = load_glossary(two_scopes)
    english = {t.term: t.english for t in glossary.for_place("绍兴").terms}
    assert english == {"市委": "municipal Party committee", "四风": "four forms of decadence",
                       "五水共治": "co-governance of five waters"}
    tianjin = {t.term: t.english for t in glossary.for_place("天津").terms}
    assert tianjin["市委"] == "CPC Tianjin Municipal Committee" and "五水共治" not in tianjin
    assert {t.term for t in glossary.for_place("national").terms} == {"市委", "四风"}
    [hit] = glossary.for_place("广州").match("廣州市委")
    assert hit.term.english == "municipal Party committee"


def test_lint_allows_a_national_local_pair_but_not_a_duplicate_within_one_scope(two_scopes):
    terms, problems = load_terms(sorted(two_scopes.glob("*.tsv")))
    assert problems == [] and lint_terms(terms) == []
    _write(two_scopes, "tianjin2.tsv", "天津", "市委\t\tTianjin Party committee\t\tbody\tn\tsrc")
    terms, _ = load_terms(sorted(two_scopes.glob("*.tsv")))
    assert [p.message for p in lint_terms(terms)] == [
        "term '市委' has two renderings: 'Tianjin Party committee' here and 'CPC Tianjin Municipal Committee' "
        f"at {two_scopes / 'tianjin.tsv'}:3"]


def test_a_file_without_a_scope_fails_lint_and_an_unknown_scope_is_an_error(tmp_path):
    _write(tmp_path, "bare.tsv", None, "四风\t\tfour forms of decadence\t\tslogan\tn\tsrc")
    _, problems = load_terms([tmp_path / "bare.tsv"])
    assert [(p.line, p.severity) for p in problems] == [(1, "warning")] and "no scope" in problems[0].message
    linted = invoke("glossary", "lint", "--glossary", tmp_path / "bare.tsv")
    assert linted.exit_code == 1 and "no scope" in linted.stdout
    _write(tmp_path, "atlantis.tsv", "Atlantis", "四风\t\tfour forms of decadence\t\tslogan\tn\tsrc")
    _, problems = load_terms([tmp_path / "atlantis.tsv"])
    assert [(p.line, p.severity) for p in problems] == [(1, "error")] and "'Atlantis'" in problems[0].message


def test_the_shipped_files_declare_their_scopes():
    terms, problems = load_terms(sorted((ROOT / "glossary").glob("*.tsv")))
    assert problems == []
    scopes = {Path(t.file).name: t.scope for t in terms}
    assert scopes["tianjin.tsv"] == "天津"
    assert all(s in ("national", "天津") for s in scopes.values())


def _detect(text: str) -> scope.Scope:
    return scope.detect([line for line in text.splitlines() if line.strip()])


@pytest.mark.parametrize("text, place", [
    ("標題\n天津北方網訊：全市創先爭優活動部署以來", "天津"),
    ("标题\n新华社杭州3月5日电（记者 王某）浙江省委召开会议。", "浙江"),  # a province's news from its capital
    ("标题\n新华社宁波3月5日电 宁波港吞吐量创新高。", "宁波"),
    ("标题\n本报讯 绍兴市柯桥区召开会议。绍兴将继续推进。杭州也有安排。", "绍兴"),
    ("标题\n本报讯 浙江省绍兴市召开会议。", "绍兴"),  # a city and its province named as often: the city
    ("标题\n本报讯 杭州、宁波两地召开会议。", "浙江"),  # two cities of one province: the province
    ("标题\n本报讯 杭州、广州两地召开会议。", "national"),  # a tie across provinces
    ("标题\n新华社北京5月1日电 国务院召开常务会议。", "national"),  # Beijing in a Xinhua dateline
    ("标题\n本报讯 全国各地召开会议。", "national"),
    # Districts name their municipality: a Tianjin article that never says 天津.
    ("標題\n本報訊 濱海新區和南開區召開會議，西青區也有安排。", "天津"),
    ("标题\n本报讯 河北区召开会议。", "天津"),  # a Tianjin district, not the province 河北
    ("标题\n本报讯 浦东新区召开会议。", "上海"),
    ("标题\n本报讯 和平区召开会议。", "national"),  # Tianjin's and Shenyang's: no place
])
def test_an_articles_place_is_detected_from_its_dateline_then_its_text(text, place):
    assert _detect(text).place == place


@pytest.mark.parametrize("name, place", [("shaoxing-2021", "绍兴"), ("guangdong-2015", "广东")])
def test_an_article_outside_tianjin_never_gets_a_tianjin_rendering(name, place):
    segments = segment(read_article(DATA / f"{name}.zh.txt"))
    found = scope.detect([s.text for s in segments])
    assert found.place == place
    glossary = load_glossary(ROOT / "glossary")
    everywhere = {h.term.scope for hits in glossary.match_segments(segments).values() for h in hits}
    assert "天津" in everywhere  # the text holds terms the Tianjin file defines (市委, 區委…)
    scoped = glossary.for_place(found.place).match_segments(segments)
    assert {h.term.scope for hits in scoped.values() for h in hits} == {"national"}


def _article(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "translations" / name
    folder.mkdir(parents=True)
    (folder / "source.zh.txt").write_bytes((DATA / f"{name}.zh.txt").read_bytes())
    return folder


def test_translate_records_the_scope_and_keeps_tianjin_out_of_a_shaoxing_article(tmp_path):
    folder = _article(tmp_path, "shaoxing-2021")
    result = invoke("translate", folder, "--engine", "dictionary", "--glossary", ROOT / "glossary")
    assert result.exit_code == 0, result.output
    catalog = (folder / "en.po").read_text(encoding="utf-8")
    assert '"X-Zhen-Scope: 绍兴; detected: named 3× in the text\\n"' in catalog
    assert "Tianjin" not in catalog
    assert invoke("check", folder, "--glossary", ROOT / "glossary").exit_code in (0, 1)
    assert "Tianjin" not in invoke("check", folder, "--glossary", ROOT / "glossary").stdout

    forced = invoke("translate", folder, "--engine", "dictionary", "--glossary", ROOT / "glossary", "--place", "天津")
    assert forced.exit_code == 0, forced.output
    catalog = (folder / "en.po").read_text(encoding="utf-8")
    assert '"X-Zhen-Scope: 天津; declared with --place\\n"' in catalog
    assert '#. 市委 = "CPC Tianjin Municipal Committee"' in catalog


def test_a_shaoxing_article_gets_the_national_renderings_of_the_generic_bodies(tmp_path):
    glossary = load_glossary(ROOT / "glossary")
    shaoxing, tianjin = glossary.for_place("绍兴"), glossary.for_place("天津")
    assert [h.term.english for h in shaoxing.match("市委")] == ["municipal Party committee"]
    assert [h.term.english for h in tianjin.match("市委")] == ["CPC Tianjin Municipal Committee"]
    # Where the Tianjin file has the same term, the national row reads the same, so the sample keeps its English.
    for term in ("區委", "基層黨組織", "幹部", "又好又快"):
        assert shaoxing.match(term)[0].term.english == tianjin.match(term)[0].term.english, term

    folder = _article(tmp_path, "shaoxing-2021")
    result = invoke("translate", folder, "--engine", "dictionary", "--glossary", ROOT / "glossary")
    assert result.exit_code == 0, result.output
    catalog = (folder / "en.po").read_text(encoding="utf-8")
    for line in ('#. 市委 = "municipal Party committee"', '#. 區委 = "district Party committee"',
                 '#. 組織部 = "organization department"'):
        assert line in catalog, line
    text = (folder / "en.txt").read_text(encoding="utf-8")
    assert "municipal Party committee, district Party committee" in text
    assert "Tianjin" not in text and "Tianjin" not in catalog


def test_zhen_toml_declares_places_for_folder_globs(tmp_path):
    folder = _article(tmp_path, "shaoxing-2021")
    (tmp_path / "zhen.toml").write_text('[places]\n"translations/shaoxing-*" = "Tianjin"\n', encoding="utf-8")
    result = invoke("translate", folder, "--engine", "dictionary", "--glossary", ROOT / "glossary",
                    "--config", tmp_path / "zhen.toml")
    assert result.exit_code == 0, result.output
    catalog = (folder / "en.po").read_text(encoding="utf-8")
    assert "\"X-Zhen-Scope: 天津; declared in zhen.toml [places] 'translations/shaoxing-*'\\n\"" in catalog


@pytest.mark.parametrize("value, line", [('"Atlantis"', 3), ("3", 3)])
def test_a_bad_place_in_zhen_toml_is_an_error_with_its_line(tmp_path, value, line):
    folder = _article(tmp_path, "shaoxing-2021")
    config = tmp_path / "zhen.toml"
    config.write_text(f'[places]\n"translations/a" = "national"\n"translations/shaoxing-*" = {value}\n',
                      encoding="utf-8")
    result = invoke("translate", folder, "--engine", "dictionary", "--config", config)
    assert result.exit_code == 2
    assert f"{config}:{line}:" in result.stderr and not (folder / "en.po").exists()


def test_an_unknown_place_option_is_an_error(tmp_path):
    folder = _article(tmp_path, "shaoxing-2021")
    result = invoke("translate", folder, "--engine", "dictionary", "--place", "Atlantis")
    assert result.exit_code == 2 and "Atlantis" in result.stderr and not (folder / "en.po").exists()


def test_the_gazetteer_has_every_province_level_division():
    for name in ("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
                 "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门").split():
        assert place_named(name) is not None and not place_named(name).province
    assert place_named("Shaoxing").province == "浙江"


def test_the_sample_is_detected_as_tianjin_and_records_it():
    folder = ROOT / "translations" / "tianjin-chuangxian-zhengyou"
    segments = segment(read_article(folder / "source.zh.txt"))
    assert scope.detect([s.text for s in segments]) == scope.Scope("天津", "detected from the dateline")
    assert '"X-Zhen-Scope: 天津; detected from the dateline\\n"' in (folder / "en.po").read_text(encoding="utf-8")


def test_a_henan_article_gets_the_national_renderings_of_national_formulas_and_no_tianjin_one():
    """National formulas once kept only in the Tianjin file (科學發展觀) and the Party congresses reach
    any article; a Tianjin formula (三個高地) does not, though a Henan article may quote it."""
    from pipeline.engines.dictionary.engine import DictionaryEngine
    from pipeline.qa.checks import check_segment

    segments = segment(read_article(DATA / "henan-2012.zh.txt"))
    found = scope.detect([s.text for s in segments])
    assert found.place == "河南"
    glossary = load_glossary(ROOT / "glossary").for_place(found.place)
    hits = glossary.match_segments(segments)
    english = {h.term.term: h.term.english for found_hits in hits.values() for h in found_hits}
    assert english["科學發展觀"] == "Scientific Outlook on Development"
    assert english["十八大"] == "18th CPC National Congress"
    assert english["轉變經濟發展方式"] == "transformation of the pattern of economic development"
    assert english["七一"] == "July 1"
    assert "三個高地" not in english
    assert {h.term.scope for found_hits in hits.values() for h in found_hits} == {"national"}

    drafts = DictionaryEngine(glossary).draft(segments, hits)
    by_text = {s.text: (s, drafts[s.id].text) for s in segments}
    seg, draft = next(v for t, v in by_text.items() if "科学发展观" in t)
    assert "Scientific Outlook on Development" in draft
    seg18, draft18 = next(v for t, v in by_text.items() if "十八大" in t)
    assert "18th CPC National Congress" in draft18 and "big" not in draft18.lower()
    assert [f for f in check_segment(seg18.text, draft18, hits[seg18.id]) if f.check == "glossary"] == []
    # The QA glossary check asks for the national renderings.
    missing = check_segment(seg.text, "The Party organizations studied the outlook.", hits[seg.id])
    assert any(f.check == "glossary" and f.severity == "error" and f.subject == "科學發展觀" for f in missing)
