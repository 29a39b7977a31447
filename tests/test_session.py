"""A run as a library call (pipeline/session.py): what ``translate`` and ``eval`` draft with,
assembled by ``open_run`` and used without the command line."""

import pytest

from pipeline.config import load_config
from pipeline.errors import ConfigError, EngineError, GlossaryError
from pipeline.glossary.table import glossary_files
from pipeline.session import open_run, read_settings
from pipeline.workspace.articles import resolve
from pipeline.workspace.batch import Failure
from tests.conftest import GLOSSARY_DIR, NOW

DEFAULTS = read_settings(None)


def test_a_run_translates_an_article_without_the_command_line(article_dir):
    run = open_run(DEFAULTS, glossary=GLOSSARY_DIR, engine="dictionary", now=NOW)
    result = run.translate(resolve(article_dir))
    assert result.segments == 45 and result.drafted > 0 and result.reviewed == 0
    catalog = (article_dir / "en.po").read_text(encoding="utf-8")
    assert "#. draft: dictionary" in catalog
    assert (article_dir / "en.html").is_file() and (article_dir / "en.txt").is_file()


def test_translate_all_skips_what_is_up_to_date_and_force_runs_it(article_dir, runs):
    run = open_run(DEFAULTS, glossary=GLOSSARY_DIR, engine="dictionary", now=NOW)
    article, files = resolve(article_dir), glossary_files(GLOSSARY_DIR)
    first = list(run.translate_all([article], glossary_files=files))
    again = list(run.translate_all([article], glossary_files=files))
    forced = list(run.translate_all([article], glossary_files=files, force=True))
    assert not any(isinstance(r, Failure) for r in first + again + forced)
    assert runs == ["tianjin", "tianjin"]  # the second run was skipped
    assert again[0].catalog == first[0].catalog and forced[0].drafted == 0  # nothing left to draft


def test_nothing_loads_until_an_article_needs_it(tmp_path):
    missing = tmp_path / "no-glossary"
    run = open_run(DEFAULTS, glossary=missing, engine="dictionary")  # no error yet: nothing read
    assert "glossary" not in vars(run) and "engines" not in vars(run)
    with pytest.raises(GlossaryError, match="no-glossary"):
        run.engines


def test_a_loaded_glossary_is_used_as_it_is(glossary):
    run = open_run(DEFAULTS, glossary=glossary, engine="dictionary")
    assert run.glossary is glossary and run.engines.glossary is glossary
    assert run.engines.get(drafting=True).name == "dictionary"
    assert run.recall is None  # no memory given


def test_an_unknown_engine_is_refused():
    with pytest.raises(EngineError, match="unknown engine 'nope'"):
        open_run(DEFAULTS, glossary=GLOSSARY_DIR, engine="nope")


def test_the_command_line_wins_over_the_settings_file(tmp_path):
    toml = tmp_path / "zhen.toml"
    toml.write_text("[argos]\nbeam_size = 2\ndevice = \"cpu\"\n[tm]\nmin_score = 90\n", encoding="utf-8")
    settings = read_settings(load_config(toml), path=toml, beam_size=6)
    assert settings.argos.beam_size == 6 and settings.argos.device == "cpu" and settings.min_score == 90
    assert settings.for_engines()["argos"]["options"] is settings.argos
    assert settings.llm is None and settings.for_engines()["llm"]["options"] is None


def test_a_wrong_setting_names_its_file(tmp_path):
    toml = tmp_path / "zhen.toml"
    toml.write_text("[argos]\nbeem_size = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="beem_size") as e:
        read_settings(load_config(toml), path=toml)
    assert str(toml) in str(e.value)


def test_the_state_key_changes_with_what_changes_the_output():
    key = open_run(DEFAULTS, glossary=GLOSSARY_DIR, engine="dictionary").state_key
    assert key == open_run(DEFAULTS, glossary=GLOSSARY_DIR, engine="dictionary").state_key
    assert key != open_run(DEFAULTS, glossary=GLOSSARY_DIR, engine="dictionary", purge_obsolete=True).state_key
    assert key != open_run(DEFAULTS, glossary=GLOSSARY_DIR, engine="auto").state_key
    assert key != open_run(read_settings(None, beam_size=2), glossary=GLOSSARY_DIR, engine="dictionary").state_key
