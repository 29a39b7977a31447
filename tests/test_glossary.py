
import json

import pytest

from pipeline.errors import GlossaryError
from pipeline.glossary.table import Glossary, lint_terms, load_glossary, load_terms, parse_rows
from pipeline.model import Segment, Term
from pipeline.text.segment import segment
from pipeline.text.source import read_article
from tests.conftest import GLOSSARY_DIR, SAMPLE

HEADER = "term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n"

# The campaigns, slogans and bodies the product owner listed for the sample
# article; each must be in the glossary and match the article.
LISTED = """創先爭優活動 科學發展觀 打造新濱海、建設新天津、實現新跨越 學先進、趕先進、作貢獻、當表率 三個高地
五個攻堅戰 解難題、促轉變、上水平 十大戰役 黨員作承諾、項目大提速 黨員示範崗 國資系統 科教興市 人才強市 黨建品牌
市委金融工委 市委城鄉規劃建設交通工委 五比一創 黨建共建 一站三中心 民主議政日 全覆蓋 一庫四清 抓強促弱 三學五比一考核
村幹部百日培訓 五比三創一考評 三評議 七一 五個好 市委組織部 1+X 濱海新區 濱海高新區 非公有制企業 基層黨組織 先進典型
聯繫點""".split()


def test_shipped_glossary_lints_clean():
    terms, problems = load_terms(sorted(GLOSSARY_DIR.glob("*.tsv")))
    assert problems == [] and lint_terms(terms) == []
    assert all(t.note and t.source and t.english for t in terms)


def test_every_listed_term_is_in_the_glossary_and_found_in_the_sample(glossary):
    by_form = {f: t for t in glossary.terms for f in t.forms}
    missing = [t for t in LISTED if not glossary.match(t) or glossary.match(t)[0].end != len(t)]
    assert missing == []
    found = {h.term.term for s in segment(read_article(SAMPLE)) for h in glossary.match(s.text)}
    # 黨建品牌 sits inside a longer slogan; the catalog lists it as a nested term.
    assert {by_form.get(t, glossary.match(t)[0].term).term for t in LISTED} - found <= {"黨建品牌"}


@pytest.mark.parametrize("text", ["村乾部百日培訓", "村干部百日培训", "村幹部百日培訓"])
def test_matching_is_script_insensitive_and_knows_damaged_forms(glossary, text):
    hits = glossary.match(f"實施{text}工程")
    assert [h.term.english for h in hits] == ["100-day training for village officials"]
    assert hits[0].surface == text and hits[0].start == 2


def test_longest_match_wins_and_spans_point_into_the_original():
    g = Glossary([Term("創先爭優", "strive for excellence"), Term("創先爭優活動", "Strive for Excellence campaign"),
                  Term("活動主題", "theme")])
    text = "開展創先爭優活動主題"
    hits = g.match(text)
    assert [(h.term.term, h.start, h.end, text[h.start:h.end]) for h in hits] == [("創先爭優活動", 2, 8, "創先爭優活動")]
    assert [h.term.term for h in g.match("创先争优")] == ["創先爭優"]


def test_latin_terms_respect_word_boundaries():
    g = Glossary([Term("1+X", "1+X")])
    assert len(g.match("以『1+X』模式")) == 1
    assert g.match("以21+XY模式") == []


def test_lint_finds_duplicates_conflicts_and_variant_clashes():
    text = HEADER + "\n".join([
        "三個高地\t\tthree highlands\t\t\tn\ts",
        "三个高地\t\tthree heights\t\t\tn\ts",
        "全覆蓋\t三個高地\tfull coverage\t\t\tn\ts",
        "七一\t\tJuly 1\tJuly 1\t\tn\ts",
        "五比一創\t\tfive comparisons\tfull coverage\t\tn\ts",
    ]) + "\n"
    terms, problems = parse_rows(text, name="g.tsv")
    assert problems == []
    messages = [str(p) for p in lint_terms(terms)]
    assert any("g.tsv:3:" in m and "two renderings" in m for m in messages)
    assert any("g.tsv:4:" in m and "is itself the term" in m for m in messages)
    assert any("g.tsv:5:" in m and "also listed under avoid" in m for m in messages)
    # Repair would turn 全覆蓋's correct rendering into 五比一創's.
    assert any("g.tsv:6:" in m and "'full coverage' is the rendering of '全覆蓋' at g.tsv:4" in m for m in messages)
    assert len(messages) == 4


ACCEPT_HEADER = "term\tvariants\tenglish\taccept\tavoid\tkind\tnote\tsource\n"


def test_accepted_renderings_are_read_from_their_column_and_old_files_have_none():
    terms, problems = parse_rows(ACCEPT_HEADER + "幹部\t干部\tofficials\tcadres|cadre\t\tword\tn\ts\n", name="g.tsv")
    assert problems == [] and terms[0].accept == ("cadres", "cadre")
    assert terms[0].renderings == ("officials", "cadres", "cadre")
    old, problems = parse_rows(HEADER + "幹部\t干部\tofficials\t\tword\tn\ts\n", name="g.tsv")
    assert problems == [] and old[0].accept == () and old[0].avoid == ()


def test_lint_refuses_accepted_renderings_that_are_avoided_or_another_terms(tmp_path):
    text = ACCEPT_HEADER + "\n".join([
        "幹部\t\tofficials\tcadres\tcadres|staff\tword\tn\ts",
        "全覆蓋\t\tfull coverage\ttotal coverage\t\tword\tn\ts",
        "五比一創\t\tfive comparisons\tFull Coverage\t\tword\tn\ts",
        "黨組織\t\tParty organizations\t\tParty bodies\tword\tn\ts",
        "基層黨組織\t\tprimary-level Party organizations\tparty bodies\t\tbody\tn\ts",
        "七一\t\tJuly 1\tjuly 1\t\tdate\tn\ts",
    ]) + "\n"
    terms, problems = parse_rows(text, name="g.tsv")
    assert problems == []
    messages = [str(p) for p in lint_terms(terms)]
    assert any("g.tsv:2:" in m and "accepted rendering 'cadres' is also listed under avoid" in m for m in messages)
    assert any("g.tsv:4:" in m and "accepted rendering 'Full Coverage' is the rendering of '全覆蓋' at g.tsv:3" in m
               for m in messages)
    assert any("g.tsv:6:" in m and "accepted rendering 'party bodies' is avoided by '黨組織' at g.tsv:5" in m
               for m in messages)
    assert any("g.tsv:7:" in m and "is the rendering itself" in m for m in messages)
    assert len(messages) == 4
    # Loading refuses the file as lint does, citing the first row at fault.
    path = tmp_path / "g.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"g.tsv:2: accepted rendering 'cadres' is also listed under avoid"):
        load_glossary(path)
    from click.testing import CliRunner

    from pipeline.cli import main

    linted = CliRunner().invoke(main, ["glossary", "lint", "--glossary", str(path)])
    assert linted.exit_code == 1 and f"{path}:2: error: accepted rendering 'cadres' is also listed" in linted.stdout


def test_broken_rows_are_errors_with_file_and_line(tmp_path):
    path = tmp_path / "broken.tsv"
    path.write_text("# scope: national\n" + HEADER + "only\ttwo\n" + "term\t\t\t\t\tnote\tsrc\n", encoding="utf-8")
    terms, problems = load_terms([path])
    assert [p.line for p in problems] == [3, 4]
    assert "cells" in problems[0].message and "english" in problems[1].message
    with pytest.raises(GlossaryError, match=r"broken.tsv:3:"):
        load_glossary(path)


def test_revision_changes_with_content():
    a = Glossary([Term("七一", "July 1")])
    b = Glossary([Term("七一", "1 July")])
    assert a.revision != b.revision and a.revision == Glossary([Term("七一", "July 1")]).revision


def test_export_import_round_trip_loses_nothing(glossary, tmp_path):
    from pipeline.glossary import formats as gf

    terms = [t for t in glossary.terms]
    strip = lambda ts: [(t.term, t.variants, t.english, t.accept, t.avoid, t.kind, t.note, t.source) for t in ts]
    assert any(t.accept for t in terms)
    assert strip(gf.from_tbx(gf.to_tbx(terms))) == strip(terms)
    assert strip(gf.from_csv(gf.to_csv(terms))) == strip(terms)
    tbx = gf.to_tbx(terms)
    assert "<martif" in tbx and 'xml:lang="zh"' in tbx and "preferredTerm-admn-sts" in tbx
    # TBX-Basic's status for a rendering allowed beside the preferred one.
    import xml.etree.ElementTree as ET

    status = {tig.findtext("term"): tig.findtext("termNote") for tig in ET.fromstring(tbx).iter("tig")}
    assert status["officials"] == "preferredTerm-admn-sts" and status["cadre"] == "admittedTerm-admn-sts"
    # A TSV file holds one scope: each shipped file's terms make the trip on their own, since a
    # national and a local row may define the same term.
    for scope in {t.scope for t in terms}:
        own = [t for t in terms if t.scope == scope]
        path = tmp_path / "back.tsv"
        path.write_text(gf.to_tsv(own), encoding="utf-8")
        assert strip(load_glossary(path).terms) == strip(own)


def test_a_glossary_without_accepted_renderings_exports_its_old_columns():
    from pipeline.glossary import formats as gf

    terms = [Term("七一", "July 1", avoid=("seven one",), note="n", source="s")]
    assert gf.to_tsv(terms).splitlines()[:2] == ["# scope: national", HEADER.strip()]
    assert gf.to_csv(terms).splitlines()[0] == HEADER.strip().replace("\t", ",")
    assert gf.from_csv(gf.to_csv(terms))[0].avoid == ("seven one",)


def test_an_independent_tbx_reader_sees_every_term_and_its_rendering(glossary):
    """translate-toolkit's TBX reader (as used by Pootle and Weblate) takes the first
    term of each language, which must be the term and its required rendering."""
    from translate.storage import tbx

    from pipeline.glossary import formats as gf

    store = tbx.tbxfile.parsestring(gf.to_tbx(glossary.terms).encode("utf-8"))
    assert [(u.source, u.target) for u in store.units] == [(t.term, t.english) for t in glossary.terms]


def test_glossary_commands(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["glossary", "lint", "--glossary", str(GLOSSARY_DIR)]).exit_code == 0
    bad = tmp_path / "bad.tsv"
    bad.write_text(HEADER + "三個高地\t\tthree highlands\t\t\tn\ts\n三个高地\t\tthree heights\t\t\tn\ts\n",
                   encoding="utf-8")
    result = runner.invoke(main, ["glossary", "lint", "--glossary", str(bad)])
    assert result.exit_code == 1 and f"{bad}:3:" in result.stdout
    found = runner.invoke(main, ["glossary", "find", "加快構築『三個高地』", "--glossary", str(GLOSSARY_DIR)])
    assert found.stdout == "1:5-9\t三個高地\tthree highlands\n"
    # The national row, with the forms its pages attest (a Tianjin article gets it too).
    national = str(GLOSSARY_DIR / "national.tsv")
    found = runner.invoke(main, ["glossary", "find", "基層黨組織", "--glossary", national])
    assert found.stdout.splitlines()[0] == ("1:0-5\t基層黨組織\tprimary-level Party organizations (also accepted: "
                                            "grassroots Party organizations, basic-level Party organizations)")
    found = runner.invoke(main, ["glossary", "find", "基層黨組織", "--json", "--glossary", national])
    assert json.loads(found.stdout)["accept"] == ["grassroots Party organizations", "basic-level Party organizations"]
    # Each shipped file (one scope) makes the trip on its own, its scope line included.
    for shipped in sorted(GLOSSARY_DIR.glob("*.tsv")):
        out = tmp_path / f"{shipped.stem}.tbx"
        assert runner.invoke(main, ["glossary", "export", "--format", "tbx", "-o", str(out),
                                    "--glossary", str(shipped)]).exit_code == 0
        back = tmp_path / f"{shipped.stem}.back.tsv"
        assert runner.invoke(main, ["glossary", "import", str(out), "-o", str(back)]).exit_code == 0
        lines = back.read_text(encoding="utf-8").splitlines()
        assert lines[0] == shipped.read_text(encoding="utf-8").splitlines()[0]  # "# scope: …"
        assert len(lines) == len(load_glossary(shipped).terms) + 2
        assert [(t.term, t.english, t.scope) for t in load_glossary(back).terms] == [
            (t.term, t.english, t.scope) for t in load_glossary(shipped).terms]


def test_catalog_of_the_sample_shows_every_listed_term(glossary, article_dir):
    from pipeline.workspace.articles import resolve
    from pipeline.engines.registry import EngineProvider
    from pipeline.run import translate_article
    from pipeline.glossary import scope

    article = resolve(article_dir)
    translate_article(article, glossary=glossary, engines=EngineProvider("dictionary", glossary))
    text = article.catalog.read_text(encoding="utf-8")
    seen = Glossary(scope.resolve(glossary.terms, scope.scope_key("天津")))  # the terms a Tianjin article sees
    for form in LISTED:
        term = seen.match(form)[0].term
        assert f'{term.term} = "{term.english}"' in text, form


def test_matching_and_drafting_reuse_the_normalized_simplified_form(glossary, monkeypatch):
    from pipeline.text import script
    from pipeline.engines.base import Engine
    from pipeline.engines.dictionary.engine import DictionaryEngine

    segments = script.normalize(segment(read_article(SAMPLE)))
    assert all(len(s.simplified) == len(s.text) for s in segments)  # hits index both alike
    engine = DictionaryEngine(glossary)
    calls = []
    real = script.to_simplified
    monkeypatch.setattr(script, "to_simplified", lambda text: calls.append(text) or real(text))
    hits = glossary.match_segments(segments)
    # The base preparation, which the Argos and LLM engines use (the dictionary
    # engine glosses the original script and repairs it first).
    requests = [Engine.prepare(engine, seg, hits.get(seg.id, ())) for seg in segments]
    assert calls == []  # neither matching nor the engines' input converts the script again
    plain = next(i for i, seg in enumerate(segments) if not hits[seg.id])
    assert requests[plain].text == " ".join(segments[plain].simplified.split())
    assert sum(len(h) for h in hits.values()) > 100
    # The form matched is the segment's own: a term written only there is found.
    seg = Segment(1, 1, 1, "body", "他見甲乙。", simplified="他见区委。")
    (hit,) = glossary.match_segments([seg])[1]
    assert (hit.surface, hit.term.term, hit.start) == ("甲乙", "區委", 2)


def test_lint_refuses_one_accepted_rendering_for_two_terms_and_one_holding_its_avoided_words():
    text = ACCEPT_HEADER + "\n".join([
        "幹部\t\tofficials\tcadres\t\tword\tn\ts",
        "領導\t\tleaders\tCadres\t\tword\tn\ts",
        "黨員\t\tParty members\tcadre members\tcadre\tword\tn\ts",
        "官員\t\tofficials\tcadres\t\tword\tn\ts",  # the same English as 幹部: sharing is fine
    ]) + "\n"
    terms, problems = parse_rows(text, name="g.tsv")
    assert problems == []
    messages = [str(p) for p in lint_terms(terms)]
    assert messages == [
        "g.tsv:3: error: accepted rendering 'Cadres' is also accepted for '幹部' at g.tsv:2: one phrase would pass "
        "for both terms",
        "g.tsv:4: error: accepted rendering 'cadre members' holds the avoided 'cadre', so the check would refuse it"]


def test_a_column_named_twice_is_refused(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("term\tvariants\tenglish\tavoid\tkind\tnote\tsource\tavoid\n"
                    "幹部\t\tofficials\tcadres\tword\tn\ts\t\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"g.tsv:1: header names the column 'avoid' twice"):
        load_glossary(path)


@pytest.mark.parametrize("text", ["三個高地", "三个高地"])
def test_glossary_find_of_one_term_prints_its_whole_row_in_either_script(glossary, text):
    from click.testing import CliRunner

    from pipeline.cli import main

    term = next(t for t in glossary.terms if t.term == "三個高地")
    found = CliRunner().invoke(main, ["glossary", "find", text, "--glossary", str(GLOSSARY_DIR)])
    assert found.exit_code == 0
    lines = found.stdout.splitlines()
    assert lines[0] == f"1:0-4\t{text}\tthree highlands"
    row = dict(line.strip().split(":", 1) for line in lines[1:])
    row = {k: v.strip() for k, v in row.items()}
    # The whole note, where the catalog gives its first sentence cut near 100 characters.
    assert row["note"] == term.note and len(term.note) > 110
    assert (row["english"], row["avoid"], row["source"]) == (term.english, " | ".join(term.avoid), term.source)
    assert row["term"].startswith("三個高地") and row["file"].endswith(f"tianjin.tsv:{term.line}")
    hit = json.loads(CliRunner().invoke(main, ["glossary", "find", text, "--json", "--glossary",
                                              str(GLOSSARY_DIR)]).stdout)
    assert (hit["note"], hit["source"], hit["avoid"]) == (term.note, term.source, list(term.avoid))


def test_export_keeps_each_terms_scope_and_import_refuses_a_file_of_several(tmp_path):
    """The shipped glossary has national and Tianjin rows for the same words (基層黨組織): exported
    whole, each entry says its scope; a TSV (one scope per file) takes them only with --place."""
    from click.testing import CliRunner

    from pipeline.cli import main

    runner = CliRunner()
    whole = load_glossary(GLOSSARY_DIR).terms
    assert {t.scope for t in whole} == {"national", "天津"}
    for fmt in ("tbx", "csv"):
        out = tmp_path / f"all.{fmt}"
        assert runner.invoke(main, ["glossary", "export", "--format", fmt, "-o", str(out),
                                    "--glossary", str(GLOSSARY_DIR)]).exit_code == 0
        from pipeline.glossary import formats as gf

        back = gf.read_terms(out)
        assert sorted((t.term, t.english, t.scope) for t in back) == sorted((t.term, t.english, t.scope) for t in whole)
        refused = runner.invoke(main, ["glossary", "import", str(out), "-o", str(tmp_path / "x.tsv")])
        assert refused.exit_code == 2 and "2 scopes (national, 天津)" in refused.output
        assert not (tmp_path / "x.tsv").exists()
    refused = runner.invoke(main, ["glossary", "export", "--format", "tsv", "--glossary", str(GLOSSARY_DIR)])
    assert refused.exit_code == 2 and "--place" in refused.output
    # --place: what a Tianjin article sees, one file scoped to Tianjin, loadable as it is.
    out = tmp_path / "tianjin.csv"
    assert runner.invoke(main, ["glossary", "export", "--format", "csv", "--place", "Tianjin", "-o", str(out),
                                "--glossary", str(GLOSSARY_DIR)]).exit_code == 0
    back_tsv = tmp_path / "tj.tsv"
    assert runner.invoke(main, ["glossary", "import", str(out), "-o", str(back_tsv)]).exit_code == 0
    assert back_tsv.read_text(encoding="utf-8").startswith("# scope: 天津\n")
    seen = Glossary(__import__("pipeline.glossary.scope", fromlist=["resolve"]).resolve(whole, "天津"))
    loaded = load_glossary(back_tsv)
    assert sorted((t.term, t.english) for t in loaded.terms) == sorted((t.term, t.english) for t in seen.terms)
    assert len({t.term for t in loaded.terms}) == len(loaded.terms)  # no term twice
    assert runner.invoke(main, ["glossary", "export", "--place", "Atlantis"]).exit_code == 2
