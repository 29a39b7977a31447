"""Writes docs/commands.md from click's own help for every command and subcommand, so the
reference cannot drift from the code (as sqlite-utils does with cog).

    python -m devkit.commands           # rewrite docs/commands.md
    python -m devkit.commands --check   # exit 1 when docs/commands.md is stale
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

from devkit import ROOT

DOC = ROOT / "docs" / "commands.md"
REGENERATE = "python -m devkit.commands"  # also `make docs`

# A fixed width, what click uses on any terminal 80 columns or wider: the reference must not
# depend on the terminal it was written from.
WIDTH = 78


def _commands(command: click.Command, parent: click.Context | None, name: str) -> Iterator[tuple[str, str]]:
    settings = {**command.context_settings, "terminal_width": WIDTH}
    ctx = click.Context(command, info_name=name, parent=parent, **settings)
    yield ctx.command_path, command.get_help(ctx)
    if isinstance(command, click.Group):
        for sub in sorted(command.list_commands(ctx)):
            child = command.get_command(ctx, sub)
            if child is not None and not child.hidden:
                yield from _commands(child, ctx, sub)


def render() -> str:
    """The whole reference, in command order: ``zhen`` first, then each command and its subcommands."""
    from pipeline.cli import main

    parts = ["# Command reference\n",
             f"Generated from each command's `--help` by `{REGENERATE}` (or `make docs`); do not edit by hand.\n"]
    for path, text in _commands(main, None, "zhen"):
        parts.append(f"## `{path}`\n\n```\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if argv == ["--check"]:
        if DOC.exists() and DOC.read_text(encoding="utf-8") == text:
            return 0
        print(f"{DOC.relative_to(ROOT)} is stale: run `{REGENERATE}`", file=sys.stderr)
        return 1
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    from pipeline.workspace.files import write_if_changed

    write_if_changed(DOC, text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
