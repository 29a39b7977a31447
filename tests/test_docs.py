"""The manual: README.md stays a front door, its links lead somewhere, and the command
reference in docs/ is click's own help for every command."""

import re
import subprocess
import sys

import click

from tests.conftest import ROOT

README = ROOT / "README.md"


def test_the_readme_stays_a_front_door():
    size = len(README.read_bytes())
    assert size <= 12 * 1024, f"README.md is {size} bytes; move detail into docs/ and link it"
    opening = "\n".join(README.read_text(encoding="utf-8").splitlines()[:10])
    assert "make translate" in opening and "make test" in opening


def test_every_link_in_the_readme_resolves():
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README.read_text(encoding="utf-8"))
    local = [link for link in links if "://" not in link]
    assert any(link.startswith("docs/") for link in local)
    missing = [link for link in local if not (ROOT / link).exists()]
    assert missing == []


def test_every_link_between_the_docs_resolves():
    missing = []
    for page in [*(ROOT / "docs").glob("*.md"), ROOT / "CONTRIBUTING.md"]:
        for link in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in link and not (page.parent / link).exists():
                missing.append((page.name, link))
    assert missing == []


def test_the_command_reference_is_current():
    """docs/commands.md is regenerated, never edited: it must say what --help says now."""
    from devkit import commands

    assert commands.DOC.read_text(encoding="utf-8") == commands.render(), \
        f"docs/commands.md is stale: run `{commands.REGENERATE}` (or `make docs`)"


def test_the_command_reference_has_every_command_and_subcommand():
    from devkit import commands
    from pipeline.cli import main

    def paths(command, prefix):
        yield prefix
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from paths(sub, f"{prefix} {name}")

    text = commands.DOC.read_text(encoding="utf-8")
    assert sorted(p for p in paths(main, "zhen") if f"## `{p}`" not in text) == []
    assert "zhen tm search" in text and "--reviewed-only" in text


def test_the_check_mode_says_how_to_regenerate(tmp_path, monkeypatch):
    from devkit import commands

    stale = tmp_path / "commands.md"
    stale.write_text(commands.render().replace("Draft and merge", "Draft, merge"), encoding="utf-8")
    monkeypatch.setattr(commands, "DOC", stale)
    monkeypatch.setattr(commands, "ROOT", tmp_path)
    assert commands.main(["--check"]) == 1
    assert commands.main([]) == 0
    assert stale.read_text(encoding="utf-8") == commands.render()
    assert commands.main(["--check"]) == 0


def test_the_generator_runs_as_a_module():
    done = subprocess.run([sys.executable, "-m", "devkit.commands", "--check"], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
