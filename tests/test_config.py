import subprocess
import sys

import pytest

from pipeline.config import argos_options, llm_options, load_config
from pipeline.engines.options import ArgosOptions, LLMOptions
from pipeline.errors import ConfigError
from tests.conftest import ROOT
from tests.test_cli import invoke


def test_defaults_file_then_command_line(tmp_path):
    assert argos_options({}) == ArgosOptions()
    path = tmp_path / "zhen.toml"
    path.write_text('[argos]\ndevice = "cuda"\nbeam_size = 2\n', encoding="utf-8")
    config = load_config(path)
    assert argos_options(config, path=path) == ArgosOptions(device="cuda", beam_size=2)
    assert argos_options(config, path=path, beam_size=5, device=None).beam_size == 5


@pytest.mark.parametrize(
    "text, message",
    [
        ("[argos]\nbeam_size = \n", "zhen.toml:2: not valid TOML"),
        ("[argos]\nbeam = 4\n", "unknown setting 'beam'"),
        ("[argos]\nbeam_size = 0\n", "beam_size: must be a whole number from 1 to 64, not 0"),
        ("[argos]\ndevice = \"tpu\"\n", "device: must be one of cpu, cuda, auto"),
        ("[argos]\nintra_threads = \"4\"\n", "intra_threads: must be a whole number"),
        ("[argoss]\n", "unknown table(s) argoss"),
    ],
)
def test_a_wrong_config_is_one_line_naming_the_file(tmp_path, article_dir, text, message):
    path = tmp_path / "zhen.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="zhen.toml"):
        argos_options(load_config(path), path=path)
    result = invoke("translate", article_dir, "--config", path, "--engine", "dictionary")
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (article_dir / "en.po").exists()


def test_a_named_config_must_exist(tmp_path, article_dir):
    result = invoke("translate", article_dir, "--config", tmp_path / "none.toml")
    assert result.exit_code == 2 and "no such config file" in result.stderr


LLM = '[llm]\nbase_url = "http://127.0.0.1:11434/v1/"\nmodel = "qwen2.5:14b-instruct"\n'


def test_llm_table_then_the_environment(tmp_path):
    path = tmp_path / "zhen.toml"
    path.write_text(LLM + 'api_key_env = "OPENAI_API_KEY"\nconcurrency = 8\ntimeout_s = 30\n', encoding="utf-8")
    options = llm_options(load_config(path), path=path, environ={})
    assert options == LLMOptions(base_url="http://127.0.0.1:11434/v1", model="qwen2.5:14b-instruct",
                                 api_key_env="OPENAI_API_KEY", concurrency=8, timeout_s=30.0)
    env = {"ZHEN_LLM_BASE_URL": "http://gpu-box:8000/v1", "ZHEN_LLM_MODEL": "Qwen/Qwen2.5-14B-Instruct"}
    overridden = llm_options(load_config(path), path=path, environ=env)
    assert (overridden.base_url, overridden.model, overridden.concurrency) == (
        "http://gpu-box:8000/v1", "Qwen/Qwen2.5-14B-Instruct", 8)
    # No table: the environment alone configures a server only when it names both.
    assert llm_options({}, environ=env).model == "Qwen/Qwen2.5-14B-Instruct"
    assert llm_options({}, environ={"ZHEN_LLM_MODEL": "x"}) is None
    assert llm_options({}, environ={}) is None
    # No concurrency: the engine asks the server; a stop list is kept as the API's "stop".
    path.write_text(LLM + 'stop = ["\\n\\n", "Note:"]\n', encoding="utf-8")
    options = llm_options(load_config(path), path=path, environ={})
    assert options.concurrency is None and options.stop == ("\n\n", "Note:")


@pytest.mark.parametrize(
    "text, message",
    [
        (LLM + "concurrency = 0\n", "zhen.toml:4: [llm] concurrency: must be a whole number from 1 to 256, not 0"),
        (LLM + "timeout_s = -1\n", "zhen.toml:4: [llm] timeout_s: must be a number of seconds above 0"),
        (LLM + "max_retries = 1.5\n", "zhen.toml:4: [llm] max_retries: must be a whole number from 0 to 20"),
        (LLM + "temperature = 3\n", "zhen.toml:4: [llm] temperature: must be a number from 0 to 2, not 3"),
        (LLM + "tempreature = 0\n", "zhen.toml:4: [llm] unknown setting 'tempreature'"),
        (LLM + 'stop = "\\n\\n"\n', "zhen.toml:4: [llm] stop: must be a list of at most 4 strings"),
        (LLM + 'stop = ["a|b"]\n', "zhen.toml:4: [llm] stop: must be a list of at most 4 strings"),
        (LLM + 'stop = [""]\n', "zhen.toml:4: [llm] stop: must be a list of at most 4 strings"),
        ("\n[llm]\nmodel = \"m\"\nbase_url = \"localhost:8080\"\n",
         "zhen.toml:4: [llm] base_url: must be an http:// or https:// URL"),
        ("[llm]\nmodel = \"m\"\n", "zhen.toml:1: [llm] needs base_url (or the environment variable ZHEN_LLM_BASE_URL)"),
        ("[llm]\nbase_url = \"http://h/v1\"\nmodel = \"\"\n", "zhen.toml:3: [llm] model: must be the model's name"),
        ("llm = 3\n", "zhen.toml:1: [llm] must be a table"),
        ("[argos]\nbeam_size = 4\n\n[argos]\n", "zhen.toml:4: not valid TOML"),
        ("[argos]\nbeam_size = 4\n\n[llm]\nbase_url = \"http://h/v1\"\nmodel = \"m\"\n[argos.x]\n",
         "zhen.toml:7: [argos] unknown setting 'x'"),
        ("[argos]\n\nbeam_size = 0\n", "zhen.toml:3: [argos] beam_size: must be a whole number from 1 to 64, not 0"),
    ],
)
def test_a_wrong_llm_table_names_file_and_line(tmp_path, article_dir, text, message, monkeypatch):
    monkeypatch.delenv("ZHEN_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("ZHEN_LLM_MODEL", raising=False)
    path = tmp_path / "zhen.toml"
    path.write_text(text, encoding="utf-8")
    result = invoke("translate", article_dir, "--config", path, "--engine", "dictionary")
    assert result.exit_code == 2 and f"{path.parent}/{message}" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (article_dir / "en.po").exists()


def test_a_pasted_key_is_refused_without_being_echoed(tmp_path, article_dir):
    path = tmp_path / "zhen.toml"
    path.write_text(LLM + 'api_key_env = "sk-proj-abc123/xyz"\n', encoding="utf-8")
    result = invoke("translate", article_dir, "--config", path, "--engine", "dictionary")
    assert result.exit_code == 2 and "zhen.toml:4: [llm] api_key_env: must be the NAME" in result.stderr
    assert "sk-proj" not in result.stderr


def test_a_wrong_environment_value_names_the_variable(article_dir, monkeypatch):
    monkeypatch.setenv("ZHEN_LLM_BASE_URL", "127.0.0.1:11434")
    monkeypatch.setenv("ZHEN_LLM_MODEL", "m")
    result = invoke("translate", article_dir, "--config", ROOT / "tests" / "data" / "missing.toml")
    assert result.exit_code == 2  # the named file is missing: that comes first
    with pytest.raises(ConfigError, match="^ZHEN_LLM_BASE_URL: must be an http:// or https:// URL"):
        llm_options({})


def test_reading_settings_imports_no_engine():
    """Commands that only read zhen.toml must not pay for importing the engines (and CTranslate2's
    neighbours); the engines re-export their options from the light module instead."""
    code = ("import sys, pipeline.config; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('pipeline.engines.'))))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == ["pipeline.engines.options"]


def test_the_engines_offer_their_own_options():
    from pipeline.engines import llm
    from pipeline.engines.argos import engine as argos

    assert argos.ArgosOptions is ArgosOptions and llm.LLMOptions is LLMOptions


@pytest.mark.parametrize("kind", ["folder", "fifo", "dangling link"])
def test_a_settings_file_that_is_not_a_file_is_refused_not_ignored(tmp_path, kind):
    import os

    from tests.test_cli import invoke

    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "g.tsv").write_text("term\tvariants\tenglish\tavoid\tkind\tnote\tsource\n",
                                                 encoding="utf-8")
    (tmp_path / "translations" / "a").mkdir(parents=True)
    (tmp_path / "translations" / "a" / "source.zh.txt").write_text("創新。\n", encoding="utf-8")
    settings = tmp_path / "zhen.toml"
    {"folder": settings.mkdir, "fifo": lambda: os.mkfifo(settings),
     "dangling link": lambda: settings.symlink_to(tmp_path / "gone.toml")}[kind]()
    result = invoke("translate", tmp_path / "translations" / "a", "--engine", "dictionary")
    assert result.exit_code == 2, result.output
    message = {"folder": "is a folder, not a settings file", "fifo": "is a named pipe (FIFO), not a settings file",
               "dangling link": "a link to nothing"}[kind]
    assert result.stderr.strip() == f"error: {settings}: {message}"
    assert not (tmp_path / "translations" / "a" / "en.po").exists()
