"""What every command shares: the consoles, the context, the project and settings a command
reads, tables, and the common options. Only cli/ talks to the terminal: results go to stdout
(JSON lines with --json), progress and messages to stderr through one rich Console."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import re
from functools import cached_property
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.errors import ZhenError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

# rich is imported where it is used: a --json run that prints nothing to the
# terminal should not pay for it at start-up.


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


# Characters that would act on the terminal instead of showing: C0 and C1 controls
# (ESC starts colour, cursor and title sequences), line separators that would split
# a one-line message, and bidi overrides that reorder what follows.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """User text (paths, messages, renderings) made safe to show: controls as escapes."""
    return _UNSHOWABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


_UNSHOWABLE_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """Text with lines and tabs (an exported article, a TSV) made safe for a terminal:
    every other control character as an escape, as ``printable`` does."""
    return _UNSHOWABLE_IN_TEXT.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _to_terminal() -> bool:
    """Does stdout reach a terminal? Text meant for files goes to one as it is, to a terminal escaped."""
    return sys.stdout.isatty()


def labelled(out: Console, label: str, style: str, message: object) -> None:
    """Print ``label: message`` with only the label styled; the message is literal text."""
    from rich.text import Text

    out.print(Text.assemble((f"{label}:", style), " ", printable(message)), soft_wrap=True)


def cell(value: object):
    """A table cell that shows user text literally (rich parses markup in plain strings)."""
    from rich.text import Text

    return Text(printable(value))


class Context:
    def __init__(self) -> None:
        self._warned: set[str] = set()
        self.settings: str | None = None  # the settings file the run read, named when it ends

    @cached_property
    def err(self) -> Console:
        return console(stderr=True)

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            labelled(self.err, "warning", "yellow", message)

    def say(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.err.print(printable(message), soft_wrap=True, markup=False, highlight=False)

    def progress(self, *, enabled: bool) -> Progress | None:
        if not enabled or not self.err.is_terminal:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=self.err, transient=True)


class ZhenGroup(click.Group):
    """Turns a ZhenError into one clean line and the exit status it carries."""

    def invoke(self, ctx: click.Context):
        from pipeline.errors import from_os_error

        try:
            result = super().invoke(ctx)
        except ZhenError as e:
            labelled(console(stderr=True), "error", "red", e)
            ctx.exit(e.exit_code)
        except OSError as e:  # one the library did not wrap closer to its cause
            error = from_os_error(e)
            labelled(console(stderr=True), "error", "red", error)
            ctx.exit(error.exit_code)
        if isinstance(ctx.obj, Context) and ctx.obj.settings is not None:
            ctx.obj.say(f"settings: {ctx.obj.settings}")
        return result


def _glossary(glossary_path: Path | None, paths=()) -> Path:
    """The glossary given, else the project's (found from the first path or the working folder)."""
    from pipeline.workspace.project import find_project

    return glossary_path if glossary_path is not None else find_project(paths, need="glossary").glossary


def _project(paths=()):
    """The project of the first path given, else of the working folder; None outside every project."""
    from pipeline.workspace.project import project_for

    return project_for(paths)


def _root(paths) -> Path:
    """The project's translations/ folder: where articles are found when no path
    is given (a project is then required), and the root that links from an
    article may lead into."""
    from pipeline.workspace.project import TRANSLATIONS, find_project

    if not paths:
        return find_project().translations
    project = _project(paths)
    return project.translations if project is not None else Path(TRANSLATIONS)


def _settings(obj: Context, config_path: Path | None, paths=()) -> tuple[dict, Path | None]:
    """The settings file given, else the project's zhen.toml (found like its glossary,
    so a command run from a subfolder or elsewhere reads the same settings); with the
    file they came from, for messages (None: no file). Every run names the file on
    stderr when the run ends well (an error stays one line), so settings never act unseen."""
    from pipeline.config import load_config

    if config_path is None:
        project = _project(paths)
        if project is not None and os.path.lexists(project.config):  # a folder or a broken link says so
            config_path = project.config
    config = load_config(config_path, warn=obj.warn)
    obj.settings = str(config_path) if config_path is not None else "none (the defaults)"
    return config, config_path


def _print_table(title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]], *, numeric=()) -> None:
    """Print a table that fits the terminal, wrapping cells between words and
    never cutting anything off with "…". Where even one word per column does
    not fit, each row is printed as a record instead: its first cell, then
    every other column as "name value", wrapped to the terminal.
    """
    from rich.cells import cell_len
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    out = console()
    title = printable(title)
    rows = [tuple(map(printable, r)) for r in rows]

    def longest_word(text: str) -> int:
        return max(map(cell_len, text.split()), default=0)

    minimum = [max([longest_word(c), *(longest_word(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    natural = [max([minimum[i], *(cell_len(r[i]) for r in rows)]) for i in range(len(columns))]
    room = out.width - 2 * (len(columns) - 1)  # two spaces between columns
    if sum(minimum) > room:
        out.print(Text(title, style="bold"), justify="center")
        for r in rows:
            out.print(Text(r[0], style="bold"))
            fields = [f"{col} {value}" for col, value in zip(columns[1:], r[1:]) if value]
            out.print(Padding(Text(" · ".join(fields)), (0, 0, 0, 2)))
        return
    widths, extra = list(minimum), room - sum(minimum)
    # What is left goes to the columns that want more, the least needy served first.
    needy = sorted((i for i in range(len(columns)) if natural[i] > minimum[i]), key=lambda i: natural[i] - minimum[i])
    for n, i in enumerate(needy):
        give = min(natural[i] - minimum[i], extra // (len(needy) - n))
        widths[i] += give
        extra -= give
    table = Table(title=Text(title, style="table.title"), box=None, pad_edge=False, header_style="bold underline")
    for col, w in zip(columns, widths):
        table.add_column(col, width=w, justify="right" if col in numeric else "left")
    for r in rows:
        table.add_row(*map(Text, r))  # literal text: rich would read [llm] in a message as markup
    out.print(table)


def _emit(obj: dict) -> None:
    # JSON escapes C0 controls itself; the rest that would act on a terminal (DEL, C1 controls such
    # as the one-byte CSI, line separators, bidi overrides) are escaped too: the same data, as \uXXXX.
    text = json.dumps(obj, ensure_ascii=False)
    click.echo(_UNSHOWABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def _deliver(text: str, output: Path | None) -> None:
    """Write ``text`` atomically to ``output`` (a file replaced is kept as ``NAME~``), or to stdout."""
    from pipeline.workspace.files import write_atomic
    from pipeline.workspace.outputs import keep_backup

    if output:
        with contextlib.suppress(OSError):
            if output.is_file() and output.read_bytes() == text.encode("utf-8"):
                return  # the same bytes: no backup of a file identical to the new one
        keep_backup(output)
        write_atomic(output, text)
    else:
        # color=True: click would otherwise strip what looks like a colour code from text it pipes.
        click.echo(terminal_text(text) if _to_terminal() else text, nl=False, color=True)



glossary_option = click.option(
    "--glossary", "glossary_path", type=click.Path(path_type=Path),
    help="Glossary folder (every *.tsv in it) or file [default: the project's glossary/].",
)
follow_option = click.option(
    "--follow-symlinks", is_flag=True,
    help="Allow a source, output or glossary file that links outside its article or glossary folder.",
)



def _warn_loose_texts(obj: Context, paths) -> None:
    """Name every text file lying loose in the project's translations/, which no run picks up
    (unless this run names it)."""
    from pipeline.workspace.locate import loose_texts

    project = _project(paths)
    if project is None:
        return
    named = {os.path.realpath(p) for p in paths}
    for path, message in loose_texts(Path(os.path.relpath(project.translations))):
        if os.path.realpath(path) not in named:
            obj.warn(f"{path}: {message}")


def _warn_unread_settings(obj: Context, paths, articles) -> None:
    from pipeline.workspace.project import unread_settings

    project = _project(paths)
    for path in unread_settings(project, (a.folder for a in articles)):
        used = project.config if project.config.is_file() else f"the defaults (there is no {project.config})"
        obj.warn(f"{path}: not read: a folder under {project.translations} is an article, not a project; "
                 f"every article takes its settings from {used}")


def _base(paths=(), *, required: bool = False) -> Path:
    """The project's folder (of the first path, else of the working folder); outside every project,
    the working folder, or with ``required`` (the memory's own commands) the one-line error."""
    from pipeline.workspace.project import find_project

    project = find_project(paths) if required else _project(paths)
    return Path(os.path.relpath(project.root)) if project is not None else Path()


def _memory_of(paths=(), *, required: bool = False, follow_symlinks: bool = False):
    """The translation memory of the project (else of the working folder), as it is."""
    from pipeline.workspace.project import TRANSLATIONS
    from pipeline.tm.index import DB_PATH, TM_DIR, Memory

    base = _base(paths, required=required)
    return Memory(base / DB_PATH, root=base / TRANSLATIONS, tm_dir=base / TM_DIR, base=base,
                  follow_symlinks=follow_symlinks)


def _reads(paths=(), *, config: Path | None = None, glossary: Path | None = None,
           follow_symlinks: bool = False, catalogs: bool = True) -> list[tuple[Path, str]]:
    """What a command reads besides its own inputs, and what the memory reads: no output may be any of them."""
    from pipeline.glossary.table import glossary_files
    from pipeline.workspace.outputs import memory_reads

    reads = memory_reads(_memory_of(paths), catalogs=catalogs)
    if config is not None:
        reads.append((config, "the settings file"))
    if glossary is not None:
        with contextlib.suppress(ZhenError):  # a glossary that cannot be listed says so when it is loaded
            reads += [(f, "a glossary file") for f in glossary_files(glossary, follow_symlinks=follow_symlinks)]
    return reads


def _memory(obj: Context, paths=(), *, quiet: bool = False, required: bool = False, follow_symlinks: bool = False):
    """The translation memory of the project (else of the working folder), brought up to date."""
    memory = _memory_of(paths, required=required, follow_symlinks=follow_symlinks)
    bar = obj.progress(enabled=not quiet)
    with bar or _null():
        memory.sync(warn=obj.warn, progress=tick(bar, "translation memory", totals=True))
    return memory


def tick(bar: Progress | None, description: str, *, total: int | None = None,
         totals: bool = False) -> Callable[[int, int], None] | None:
    """A progress callback that advances a new task on ``bar`` (and its total, with ``totals``);
    None without a bar."""
    if bar is None:
        return None
    task = bar.add_task(description, total=total)

    def progress(done: int, of: int) -> None:
        if totals:
            bar.update(task, completed=done, total=of)
        else:
            bar.update(task, completed=done)
    return progress


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
