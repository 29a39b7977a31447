"""zhen eval: drafts a parallel test set through the real engines and scores it as sacrebleu does."""

import json
import shutil
from pathlib import Path

import polib
import pytest
import sacrebleu
from click.testing import CliRunner

from devkit.random_argos_package import build_package
from pipeline import evaluate as ev
from pipeline.cli import main
from pipeline.engines.argos.engine import ArgosEngine, ArgosOptions
from pipeline.engines.dictionary.engine import DictionaryEngine
from pipeline.engines.argos.packages import install
from pipeline.errors import EvalSetError
from tests.conftest import GLOSSARY_DIR, SAMPLE

SAMPLE_LINES = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if len(line) > 5]
# Pairs with glossary terms (from the sample) and with figures, dates and Latin names (from PUD's style).
DESK = [
    ("濱海新區堅持把服務『十大戰役』作為創先爭優活動的著力點。",
     "Binhai New Area made serving the Ten Major Battles the focus of the Strive for Excellence campaign."),
    ("全市各級黨組織共召開動員部署會議6823次。",
     "Party organizations at all levels across the city held 6,823 mobilization meetings."),
    ("奧巴馬周一在白宮發表講話。", "Obama spoke at the White House on Monday."),
    ("這家公司去年的收入增長了12%。", "The company's revenue grew 12% last year."),
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def write_tsv(path: Path, rows) -> Path:
    path.write_text("".join(f"{zh}\t{en}\n" for zh, en in rows), encoding="utf-8")
    return path


def assert_scored_like_sacrebleu(result, pairs, drafts):
    refs = [[p.reference for p in pairs]]
    chrf_metric, bleu_metric = sacrebleu.CHRF(), sacrebleu.BLEU()
    chrf, bleu = chrf_metric.corpus_score(drafts, refs), bleu_metric.corpus_score(drafts, refs)
    assert result.chrf == pytest.approx(chrf.score)
    assert result.bleu == pytest.approx(bleu.score)
    assert result.length_ratio == pytest.approx(bleu.sys_len / bleu.ref_len)
    assert result.floor_chrf == pytest.approx(sacrebleu.corpus_chrf([p.source for p in pairs], refs).score)
    assert result.chrf_signature == str(chrf_metric.get_signature())
    assert result.bleu_signature == str(bleu_metric.get_signature())
    assert result.chrf_signature.startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:")


def test_pud_pairs_are_matched_by_sent_id():
    pairs = ev.pud_pairs()
    assert len(pairs) == 1000
    assert pairs[0].origin == "n01001011"
    assert pairs[0].source.startswith("\"雖然美國的許多數字化轉型都是史無前例的")
    assert pairs[0].reference.startswith("“While much of the digital transition is unprecedented")


def test_dictionary_engine_scores_equal_sacrebleu_on_the_same_strings(glossary):
    pairs = ev.subset(ev.pud_pairs(), limit=60, seed=3)
    result, drafts = ev.evaluate(pairs, DictionaryEngine(glossary), glossary=glossary, test_set="PUD")
    assert len(drafts) == 60 and all(drafts)
    assert_scored_like_sacrebleu(result, pairs, drafts)
    assert result.chrf > result.floor_chrf + ev.NEAR_FLOOR
    assert any("dictionary engine" in c for c in result.caveats)
    assert not any("random-weight" in c for c in result.caveats)


@pytest.fixture(scope="module")
def random_argos(tmp_path_factory, glossary):
    """A random-weight zh→en package, installed and loaded through the real Argos engine."""
    folder = tmp_path_factory.mktemp("argos")
    package = build_package(folder / "tiny.argosmodel", SAMPLE_LINES + [en for _, en in DESK] * 2)
    info = install(package, directory=folder / "packages")
    return ArgosEngine(glossary, package=info, options=ArgosOptions(beam_size=2, n_best=2, max_decoding_length=24))


def test_random_weight_argos_model_is_scored_and_labelled(random_argos, glossary, tmp_path):
    pairs = ev.read_tsv(write_tsv(tmp_path / "desk.tsv", DESK))
    result, drafts = ev.evaluate(pairs, random_argos, glossary=glossary, test_set="desk.tsv", place="天津")
    assert result.engine == "argos" and result.engine_signature.startswith("engine:argos|package:")
    assert_scored_like_sacrebleu(result, pairs, drafts)
    assert any("random-weight model" in c and "not a quality claim" in c for c in result.caveats)
    # Four glossary terms in the first two pairs; the random model carries none of them.
    assert result.renderings_required == 4 and result.renderings_present < 4
    assert result.qa_findings["glossary"] >= 1


def test_glossary_compliance_counts_required_renderings(glossary, tmp_path):
    pairs = ev.read_tsv(write_tsv(tmp_path / "desk.tsv", DESK))
    result, drafts = ev.evaluate(pairs, DictionaryEngine(glossary), glossary=glossary, test_set="desk.tsv",
                                 place="天津")  # the desk's Tianjin sentences name no place
    assert (result.renderings_required, result.renderings_present) == (4, 4)
    assert result.glossary_compliance == 1.0
    assert set(result.qa_findings) == {"numbers", "glossary", "leftovers", "repetition", "length", "terms", "doubled",
                                       "whitespace"}
    assert result.as_json()["qa_per_100_segments"]["glossary"] == 0


def test_glossary_compliance_counts_an_accepted_rendering_as_present(tmp_path):
    from pipeline.glossary.table import Glossary
    from pipeline.model import Term

    # Glossed word by word (no rendering put into the input), 幹部 comes out as CC-CEDICT's "cadre".
    pairs = ev.read_tsv(write_tsv(tmp_path / "desk.tsv", [("選派黨員幹部。", "Party member officials were sent.")]))
    for accept, present in (((), 0), (("cadre",), 1)):
        glossary = Glossary([Term("幹部", "officials", accept=accept)])
        engine = DictionaryEngine(glossary)
        engine.inject_terms = False
        result, drafts = ev.evaluate(pairs, engine, glossary=glossary, test_set="desk.tsv")
        assert "cadre" in drafts[0] and "officials" not in drafts[0]
        assert (result.renderings_required, result.renderings_present) == (1, present)


def test_cli_json_is_one_object_with_every_measure(tmp_path):
    result = run("eval", "--engine", "dictionary", "--limit", "25", "--seed", "1", "--json",
                 "--glossary", Path(__file__).parent.parent / "glossary")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert obj["set"] == "PUD zh→en" and obj["pairs"] == 25 and obj["engine"] == "dictionary"
    assert set(obj) >= {"chrf", "chrf_signature", "bleu", "bleu_signature", "floor_chrf", "length_ratio", "glossary",
                        "qa_per_100_segments", "seconds", "segments_per_second", "caveats"}
    assert obj["caveats"] and "dictionary engine" in obj["caveats"][0]


def test_cli_text_report_names_the_scores_and_says_what_the_engine_is(tmp_path):
    tsv = write_tsv(tmp_path / "desk.tsv", DESK)
    drafts = tmp_path / "drafts.tsv"
    result = run("eval", "--engine", "dictionary", "--set", tsv, "--drafts", drafts, "--place", "天津")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "NOTE: dictionary engine: word-by-word glosses, not machine translation" in out
    for label in ("chrF2", "BLEU", "floor", "glossary compliance: 4 of 4", "QA findings per 100 segments",
                  "length ratio", "throughput: 4 segments"):
        assert label in out
    rows = [line.split("\t") for line in drafts.read_text(encoding="utf-8").splitlines()]
    assert [r[:2] for r in rows] == [list(p) for p in DESK] and all(r[2] for r in rows)
    # The drafts written out are the ones scored.
    chrf = sacrebleu.corpus_chrf([r[2] for r in rows], [[r[1] for r in rows]]).score
    assert f"chrF2  {chrf:6.2f}" in out


def test_limit_and_seed_pick_a_reproducible_subset_in_set_order():
    pairs = ev.pud_pairs()
    a, b = ev.subset(pairs, limit=10, seed=7), ev.subset(pairs, limit=10, seed=7)
    assert a == b and len(a) == 10
    assert ev.subset(pairs, limit=10, seed=8) != a
    index = {p.origin: n for n, p in enumerate(pairs)}
    assert [index[p.origin] for p in a] == sorted(index[p.origin] for p in a)
    assert ev.subset(pairs, limit=3) == pairs[:3]
    assert ev.subset(pairs[:5], limit=10, seed=1) == pairs[:5]


@pytest.mark.parametrize("content, line, message", [
    ("中文一\tone\n中文二\ttwo\tthree\n", 2, "3 tab-separated cells, expected 2 (zh, en)"),
    ("中文一\tone\n\n中文三 no tab\n", 3, "1 tab-separated cells, expected 2"),
    ("中文一\t  \n", 1, "empty en cell"),
    ("zh\ten\nEnglish first\t中文在後\n", 2, "no Chinese in the first cell (columns swapped? zh comes first)"),
])
def test_bad_tsv_rows_name_file_and_line(tmp_path, content, line, message):
    path = tmp_path / "pairs.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalSetError) as err:
        ev.read_tsv(path)
    assert str(err.value).startswith(f"{path}:{line}: {message}")
    result = run("eval", "--engine", "dictionary", "--set", path)
    assert result.exit_code == 2
    assert f"{path}:{line}: {message}" in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_tsv_header_and_legacy_encoding_are_accepted(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_bytes("zh\ten\n中文句子。\tA sentence.\n".encode("gb18030"))
    assert ev.read_tsv(path) == [ev.Pair("中文句子。", "A sentence.", f"{path}:2")]


@pytest.mark.parametrize("content", ["", "\n\n", "zh\ten\n"])
def test_empty_tsv_is_an_error(tmp_path, content):
    path = tmp_path / "pairs.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalSetError, match=str(path)):
        ev.read_tsv(path)


def test_missing_tsv_is_one_line_error(tmp_path):
    result = run("eval", "--engine", "dictionary", "--set", tmp_path / "nope.tsv")
    assert result.exit_code == 2 and "nope.tsv" in result.stderr


def test_reviewed_catalogs_become_a_test_set(article_dir):
    assert run("translate", article_dir, "--engine", "dictionary", "--glossary",
               Path(__file__).parent.parent / "glossary").exit_code == 0
    catalog_path = article_dir / "en.po"
    catalog = polib.pofile(str(catalog_path))
    live = [e for e in catalog if not e.obsolete]
    for entry in live[:3]:  # a reviewer approves three entries, rewriting one
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    live[1].msgstr = "A reviewer's own sentence."
    catalog.save(str(catalog_path))
    pairs = ev.catalog_pairs([article_dir])
    assert [p.source for p in pairs] == [e.msgid for e in live[:3]]
    assert pairs[1].reference == "A reviewer's own sentence."
    assert pairs[0].origin.startswith(f"{catalog_path}:")
    result = run("eval", "--engine", "dictionary", "--from-catalogs", catalog_path, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pairs"] == 3


def test_catalogs_without_reviewed_entries_are_an_error(article_dir, tmp_path):
    assert run("translate", article_dir, "--engine", "dictionary").exit_code == 0
    result = run("eval", "--from-catalogs", article_dir)
    assert result.exit_code == 2 and "no reviewed entries" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("eval", "--from-catalogs", empty)
    assert result.exit_code == 2 and "no catalogs" in result.stderr


def test_caveats_flag_scores_near_the_floor(glossary):
    engine = DictionaryEngine(glossary)
    assert any("random-weight" in c for c in ev.caveats(engine, chrf=5.0, floor=2.0))
    assert not any("random-weight" in c for c in ev.caveats(engine, chrf=35.0, floor=2.0))


def test_an_llm_server_is_scored_through_the_same_command(tmp_path, monkeypatch):
    from devkit.llm_server import LLMServer

    references = dict(DESK)
    tsv = write_tsv(tmp_path / "desk.tsv", DESK)
    # A server that answers every pair with its reference: a perfect engine must score 100.
    with LLMServer(answer=lambda source: references[source]) as server:
        monkeypatch.setenv("ZHEN_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("ZHEN_LLM_MODEL", server.model)
        result = run("eval", "--engine", "llm", "--set", tsv, "--json", "--place", "Tianjin")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert obj["engine"] == "llm" and obj["pairs"] == len(DESK)
    assert obj["chrf"] == 100.0 and obj["bleu"] == 100.0 and obj["caveats"] == []
    assert obj["glossary"] == {"required": 4, "present": 4, "compliance": 1.0}


def test_pairs_left_untranslated_by_engine_faults_are_counted_and_said(tmp_path, monkeypatch):
    from devkit.llm_server import LLMServer

    references = dict(DESK)
    tsv = write_tsv(tmp_path / "desk.tsv", DESK)
    broken = {DESK[1][0]: ["malformed"] * 4, DESK[3][0]: ["tokens"] * 4}
    with LLMServer(answer=lambda source: references[source], faults=broken) as server:
        monkeypatch.setenv("ZHEN_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("ZHEN_LLM_MODEL", server.model)
        as_json = run("eval", "--engine", "llm", "--set", tsv, "--json", "--place", "Tianjin")
        text = run("eval", "--engine", "llm", "--set", tsv, "--place", "Tianjin")
    assert as_json.exit_code == 0 and text.exit_code == 0, as_json.output + text.output
    obj = json.loads(as_json.stdout)
    assert obj["untranslated"]["pairs"] == 2 and "not JSON" in obj["untranslated"]["first_fault"]
    assert obj["chrf"] < 100.0  # the two empty drafts are scored, as they must be, and now explained
    assert "untranslated: 2 of 4 (engine faults, scored as empty drafts); first: the answer is not JSON" in text.stdout


def test_a_clean_run_reports_no_untranslated_pair(glossary):
    result, _ = ev.evaluate([ev.Pair(zh, en, f"desk:{n}") for n, (zh, en) in enumerate(DESK, 1)],
                            DictionaryEngine(glossary), glossary=glossary, test_set="desk")
    assert result.untranslated == 0 and result.as_json()["untranslated"] == {"pairs": 0, "first_fault": None}
    assert "untranslated: 0 of 4" in ev.describe(result)


def test_eval_reads_the_projects_settings_from_any_folder(tmp_path, monkeypatch):
    """zhen.toml is the project's, found from the test set's path or the working folder,
    not a file that happens to sit in the working folder."""
    from devkit.llm_server import LLMServer

    monkeypatch.delenv("ZHEN_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("ZHEN_LLM_MODEL", raising=False)
    root = tmp_path / "proj"
    (root / "translations" / "desk").mkdir(parents=True)
    shutil.copytree(GLOSSARY_DIR, root / "glossary")
    tsv = write_tsv(root / "translations" / "desk" / "desk.tsv", DESK)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    references = dict(DESK)
    with LLMServer(answer=lambda source: references[source]) as server:
        (root / "zhen.toml").write_text(f'[llm]\nbase_url = "{server.base_url}"\nmodel = "{server.model}"\n',
                                        encoding="utf-8")
        for cwd, given in ((tsv.parent, tsv.name), (elsewhere, tsv)):
            monkeypatch.chdir(cwd)
            result = run("eval", "--set", given, "--json")  # auto: the LLM when [llm] is configured
            assert result.exit_code == 0, result.output
            assert json.loads(result.stdout)["engine"] == "llm" and json.loads(result.stdout)["chrf"] == 100.0
        assert len(server.requests) == 2 * len(DESK)
    # A wrong setting in the project's file is reported from a subfolder too, naming that file.
    (root / "zhen.toml").write_text("[argos]\nbeam_size = 0\n", encoding="utf-8")
    monkeypatch.chdir(tsv.parent)
    result = run("eval", "--set", tsv.name, "--engine", "dictionary")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {root / 'zhen.toml'}:2: [argos] beam_size: must be a whole number from 1 to 64, not 0"


def write_pud(folder: Path, pairs) -> Path:
    """PUD-shaped CoNLL-U files (only the comment lines zhen reads) for ``pairs`` of (zh, en)."""
    folder.mkdir()
    for name, column in ((ev.PUD_ZH, 0), (ev.PUD_EN, 1)):
        (folder / name).write_text("".join(f"# sent_id = s{n}\n# text = {pair[column]}\n1\t_\n\n"
                                           for n, pair in enumerate(pairs, start=1)), encoding="utf-8")
    return folder


def test_the_pud_set_is_read_from_the_folder_given(tmp_path):
    folder = write_pud(tmp_path / "ud", DESK[:3])
    assert [(p.source, p.reference, p.origin) for p in ev.pud_pairs(folder)] == \
        [(zh, en, f"s{n}") for n, (zh, en) in enumerate(DESK[:3], start=1)]
    result = run("eval", "--engine", "dictionary", "--pud", folder, "--json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert (obj["set"], obj["pairs"]) == ("PUD zh→en", 3)


def test_without_the_repository_the_pud_set_is_a_one_line_error(tmp_path, monkeypatch):
    # An installed zhen: no data/ud beside the package.
    absent = tmp_path / "site-packages" / "data" / "ud"
    monkeypatch.setattr(ev, "REPOSITORY_UD", absent)
    result = run("eval", "--engine", "dictionary")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    message = " ".join(result.stderr.split())
    assert str(absent) in message and "--pud FOLDER" in message


def test_a_pud_folder_without_its_files_is_named(tmp_path):
    result = run("eval", "--engine", "dictionary", "--pud", tmp_path)
    assert result.exit_code == 2 and str(tmp_path / ev.PUD_ZH) in " ".join(result.stderr.split())
    tsv = write_tsv(tmp_path / "desk.tsv", DESK)
    assert run("eval", "--set", tsv, "--pud", tmp_path).exit_code == 2


def test_eval_scopes_the_glossary_like_an_article(glossary, tmp_path):
    unplaced = [(zh.replace("濱海新區", "該區"), en) for zh, en in DESK]
    pairs = ev.read_tsv(write_tsv(tmp_path / "desk.tsv", unplaced))
    result, _ = ev.evaluate(pairs, DictionaryEngine(glossary), glossary=glossary, test_set="desk.tsv")
    # No place named: only the national 黨組織 counts, not Tianjin's 十大戰役 or 創先爭優活動.
    assert result.renderings_required == 1
    # 濱海新區 is a district of Tianjin alone: named, it makes the set Tianjin's, and its terms count.
    pairs = ev.read_tsv(write_tsv(tmp_path / "tianjin.tsv", DESK))
    result, _ = ev.evaluate(pairs, DictionaryEngine(glossary), glossary=glossary, test_set="tianjin.tsv")
    assert result.renderings_required == 4
