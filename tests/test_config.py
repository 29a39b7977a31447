import pytest

from pipeline.config import argos_options, load_config
from pipeline.engines.argos import ArgosOptions
from pipeline.errors import ConfigError
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
        ("[argos]\nbeam_size = 0\n", "beam_size: must be at least 1"),
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
