"""Command-line interface: thin click commands over library functions.

Only this module talks to the terminal: results go to stdout (JSON lines with
--json), progress and messages to stderr through one rich Console.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline import __version__
from pipeline.engines import ENGINES
from pipeline.errors import ZhenError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

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
            return super().invoke(ctx)
        except ZhenError as e:
            labelled(console(stderr=True), "error", "red", e)
            ctx.exit(e.exit_code)
        except OSError as e:  # one the library did not wrap closer to its cause
            error = from_os_error(e)
            labelled(console(stderr=True), "error", "red", error)
            ctx.exit(error.exit_code)


def _glossary(glossary_path: Path | None, paths=()) -> Path:
    """The glossary given, else the project's (found from the first path or the working folder)."""
    from pipeline.project import find_project

    return glossary_path if glossary_path is not None else find_project(paths, need="glossary").glossary


def _project(paths=()):
    """The project of the first path given, else of the working folder; None outside every project."""
    from pipeline.project import project_for

    return project_for(paths)


def _root(paths) -> Path:
    """The project's translations/ folder: where articles are found when no path
    is given (a project is then required), and the root that links from an
    article may lead into."""
    from pipeline.project import TRANSLATIONS, find_project

    if not paths:
        return find_project().translations
    project = _project(paths)
    return project.translations if project is not None else Path(TRANSLATIONS)


def _settings(config_path: Path | None, paths=()) -> tuple[dict, Path | None]:
    """The settings file given, else the project's zhen.toml (found like its glossary,
    so a command run from a subfolder or elsewhere reads the same settings); with the
    file they came from, for messages (None: no file)."""
    from pipeline.config import load_config

    if config_path is None:
        project = _project(paths)
        if project is not None and os.path.lexists(project.config):  # a folder or a broken link says so
            config_path = project.config
    return load_config(config_path), config_path


def _print_table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]], *, numeric=()) -> None:
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
    click.echo(json.dumps(obj, ensure_ascii=False))


def _deliver(text: str, output: Path | None) -> None:
    """Write ``text`` atomically to ``output``, or to stdout when there is none."""
    from pipeline.files import write_atomic

    if output:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


@click.group(cls=ZhenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zhen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """zhen: Chinese→English drafts, glossary and review catalogs for news articles.

    \b
    Typical use:
      zhen translate                 # every article under translations/
      zhen status                    # how far review has come
      zhen segment article.txt --explain
    """
    ctx.obj = Context()


glossary_option = click.option(
    "--glossary", "glossary_path", type=click.Path(path_type=Path),
    help="Glossary folder (every *.tsv in it) or file [default: the project's glossary/].",
)
follow_option = click.option(
    "--follow-symlinks", is_flag=True,
    help="Allow a source, output or glossary file that links outside its article or glossary folder.",
)


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              help="Folder that plays the article folder's role: outputs go there, and its catalog is merged next time.")
@click.option("--engine", type=click.Choice(["auto", *sorted(ENGINES)]), default="auto", show_default=True,
              help="auto: the LLM server when [llm] is configured, else Argos when a zh→en model is "
                   "installed, else the dictionary engine.")
@click.option("--purge-obsolete", is_flag=True, help="Drop entries whose sentence left the article.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article on stdout.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Settings file (default: the project's zhen.toml when present).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]),
              help="Argos: where CTranslate2 runs [cpu]; auto: CUDA when it sees a GPU.")
@click.option("--compute-type", help="Argos: CTranslate2 compute type [int8 on CPU, float16 on CUDA].")
@click.option("--beam-size", type=click.IntRange(1), help="Argos: beam size [4].")
@click.option("--threads", "intra_threads", type=click.IntRange(0), help="Argos: threads per translation [0: auto].")
@click.option("--force", is_flag=True, help="Run every stage even where nothing changed since the last run.")
@glossary_option
@follow_option
@click.pass_obj
def translate(obj: Context, sources, output, engine, purge_obsolete, as_json, config_path, device, compute_type,
              beam_size, intra_threads, force, glossary_path, follow_symlinks) -> None:
    """Draft and merge the review catalog, English text and bilingual page.

    SOURCES are article folders (holding source*.txt), text files, or folders
    this command wrote for a text file (translated again from the source their
    catalog records); with none, every article under translations/ is
    translated. Reviewed entries are never overwritten. An article whose source,
    glossary, settings, catalog and outputs are all as the last run left them is
    skipped (--force runs it).

    \b
    Example:
      zhen translate translations/tianjin-chuangxian-zhengyou --json
    """
    from pipeline import incremental
    from pipeline.batch import Failure, translate_all
    from pipeline.config import argos_options, llm_options, tm_min_score
    from pipeline.glossary import glossary_files
    from pipeline.locate import to_translate

    config, config_file = _settings(config_path, sources)
    options = argos_options(config, path=config_file, device=device,
                            compute_type=compute_type, beam_size=beam_size, intra_threads=intra_threads)
    from pipeline.outputs import check_articles

    llm = llm_options(config, path=config_file)
    min_score = tm_min_score(config, path=config_file)
    glossary_path = _glossary(glossary_path, sources)
    files = glossary_files(glossary_path, follow_symlinks=follow_symlinks)
    articles = to_translate(sources, output=output, root=_root(sources), follow_symlinks=follow_symlinks)
    check_articles(articles)  # before anything is written: no output may be a source
    _warn_unread_settings(obj, sources, articles)
    memory = _memory(obj, sources, quiet=as_json)
    # LLMOptions holds the key's variable name, never the key: nothing secret reaches the state file.
    settings = incremental.settings_key(engine=engine, options=(options, llm), purge_obsolete=purge_obsolete,
                                        memory=f"{memory.digest}|min:{min_score}")
    @functools.cache
    def engines():
        # Loaded for the first article that needs a run, and only then.
        from pipeline.engines import EngineProvider
        from pipeline.glossary import load_glossary

        glossary = load_glossary(glossary_path, follow_symlinks=follow_symlinks)
        return EngineProvider(engine, glossary, settings={"argos": {"options": options}, "llm": {"options": llm}},
                              warn=obj.warn, say=obj.say)

    @functools.cache
    def recall():
        from pipeline.tm.draft import MemoryDrafter

        return MemoryDrafter(memory, engines().glossary, min_score)

    def run(article, key, progress):
        from pipeline.run import translate_article

        provider = engines()
        return translate_article(article, glossary=provider.glossary, engines=provider,
                                 purge_obsolete=purge_obsolete, progress=progress, state_key=key, memory=recall())

    bar = obj.progress(enabled=not as_json)

    def progress_for(article):
        task = bar.add_task(article.slug, total=None) if bar else None

        def progress(done: int, total: int) -> None:
            if bar:
                bar.update(task, completed=done, total=total)
        return progress

    failures = 0
    with bar or _null():
        for result in translate_all(articles, run=run, glossary_files=files, settings=settings, force=force,
                                    progress_for=progress_for):
            if isinstance(result, Failure):
                failures += 1
                labelled(obj.err, "error", "red", result.error)
            else:
                _report_faults(obj, result)
                if as_json:
                    _emit(result.as_json())
                    continue
                obj.err.print(printable(f"{result.article}: {result.segments} segments, {result.drafted} drafted, "
                                        f"{result.tm} from memory, {result.reused} reused, "
                                        f"{result.reviewed} reviewed, {result.untranslated} untranslated "
                                        f"→ {result.catalog}"), soft_wrap=True, markup=False)
                if result.usage is not None:
                    u = result.usage
                    speed = (f"{u.tokens:,} tokens generated, {u.tokens_per_s:g} tokens/s" if u.tokens_per_s is not None
                             else "the server reported no token counts")
                    obj.err.print(f"{result.article}: {u.answers} answers in {u.seconds:.1f} s, {speed}",
                                  soft_wrap=True, markup=False)
    if failures:
        sys.exit(2)


def _report_faults(obj: Context, result) -> None:
    """A warning per sentence the engine left undrafted: the run goes on, and a re-run asks for them again."""
    for line, why in result.faults:
        obj.warn(f"{result.article}: line {line} left untranslated: {why}")
    if result.faults:
        obj.warn(f"{result.article}: {len(result.faults)} sentence(s) left untranslated; run `zhen translate` "
                 "again to ask for them (the drafts written are kept)")


def _warn_unread_settings(obj: Context, paths, articles) -> None:
    from pipeline.project import unread_settings

    project = _project(paths)
    for path in unread_settings(project, (a.folder for a in articles)):
        used = project.config if project.config.is_file() else f"the defaults (there is no {project.config})"
        obj.warn(f"{path}: not read: a folder under {project.translations} is an article, not a project; "
                 f"every article takes its settings from {used}")


def _base(paths=(), *, required: bool = False) -> Path:
    """The project's folder (of the first path, else of the working folder); outside every project,
    the working folder, or with ``required`` (the memory's own commands) the one-line error."""
    from pipeline.project import find_project

    project = find_project(paths) if required else _project(paths)
    return Path(os.path.relpath(project.root)) if project is not None else Path()


def _memory(obj: Context, paths=(), *, quiet: bool = False, required: bool = False):
    """The translation memory of the project (else of the working folder), brought up to date."""
    from pipeline.project import TRANSLATIONS
    from pipeline.tm.index import DB_PATH, TM_DIR, Memory

    base = _base(paths, required=required)
    memory = Memory(base / DB_PATH, root=base / TRANSLATIONS, tm_dir=base / TM_DIR, base=base)
    bar = obj.progress(enabled=not quiet)
    with bar or _null():
        task = bar.add_task("translation memory", total=None) if bar else None
        memory.sync(warn=obj.warn, progress=lambda done, total: bar and bar.update(task, completed=done, total=total))
    return memory


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


@main.command("segment")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per segment: id, paragraph, role, text.")
@click.option("--explain", is_flag=True, help="Also report the lines dropped as scraping debris, and why.")
@click.pass_obj
def segment_cmd(obj: Context, file, as_json, explain) -> None:
    """Show how an article is split into segments (nothing is written).

    \b
    Example:
      zhen segment translations/tianjin-chuangxian-zhengyou/source.zh.txt --json
    """
    from pipeline.segment import segment
    from pipeline.source import read_article

    source = read_article(file)
    segments = segment(source)
    if explain:
        for d in source.dropped:
            if as_json:
                _emit({"dropped": d.number, "text": d.text, "reason": d.reason})
            else:
                obj.err.print(printable(f"dropped line {d.number}: {d.text!r} ({d.reason})"), markup=False)
    for seg in segments:
        if as_json:
            _emit({"id": seg.id, "paragraph": seg.paragraph, "role": seg.role, "text": seg.text})
        else:
            click.echo(f"{seg.id:>3}  {seg.role:<8} {seg.text}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article.")
@glossary_option
@follow_option
@click.pass_obj
def status(obj: Context, paths, as_json, glossary_path, follow_symlinks) -> None:
    """How far review has come, per article, with the QA errors and warnings `zhen check` finds.

    PATHS are article folders, catalogs or folders of articles (default: the
    project's translations/).

    \b
    Example:
      zhen status translations/
    """
    from pipeline.catalog import catalog_status
    from pipeline.glossary import load_glossary
    from pipeline.locate import catalog_paths, locate
    from pipeline.qa import check_files

    articles = locate(paths, root=_root(paths), follow_symlinks=follow_symlinks)
    glossary = load_glossary(_glossary(glossary_path, paths), follow_symlinks=follow_symlinks)
    findings = check_files(catalog_paths(articles), glossary)
    by_catalog: dict[str, list] = {}
    for f in findings:
        by_catalog.setdefault(f.catalog, []).append(f)
    rows = [catalog_status(a, by_catalog.get(str(a.catalog), ())) for a in articles]
    if as_json:
        for r in rows:
            _emit(r)
        return
    numeric = ("segments", "reviewed", "drafts", "untranslated", "errors", "warnings", "% reviewed")
    _print_table("Review status", ("article", *numeric, "drafts by origin", "TM match %"),
                 [(r["article"], str(r["segments"]), str(r["reviewed"]), str(r["drafts"]), str(r["untranslated"]),
                   str(r["errors"]), str(r["warnings"]), f"{r['percent_reviewed']:.0f}%",
                   ", ".join(f"{k} {v}" for k, v in r["origins"].items()),
                   " ".join(str(m["score"]) for m in r["tm_matches"])) for r in rows],
                 numeric=numeric)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@glossary_option
@follow_option
@click.pass_obj
def html(obj: Context, paths, glossary_path, follow_symlinks) -> None:
    """Rebuild the English text and bilingual pages from the catalogs, without drafting.

    \b
    Example:
      zhen html translations/tianjin-chuangxian-zhengyou
    """
    from pipeline.glossary import load_glossary
    from pipeline.locate import with_catalogs
    from pipeline.outputs import check_articles
    from pipeline.run import rebuild_html

    articles = with_catalogs(paths, root=_root(paths), follow_symlinks=follow_symlinks)
    glossary = load_glossary(_glossary(glossary_path, paths), follow_symlinks=follow_symlinks)
    check_articles(articles)
    for article in articles:
        click.echo(printable(rebuild_html(article, glossary=glossary)))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per finding.")
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@glossary_option
@follow_option
def check(paths, as_json, strict, glossary_path, follow_symlinks) -> None:
    """QA every translated segment: figures, glossary, leftovers, repetition loops.

    Exit status 1 when an error is found (with --strict, a warning too), so
    publication can be gated on it.

    \b
    Example:
      zhen check translations/ --json
    """
    from pipeline.errors import CheckFailed
    from pipeline.glossary import load_glossary
    from pipeline.locate import catalog_paths, locate
    from pipeline.qa import check_files

    catalogs = catalog_paths(locate(paths, root=_root(paths), follow_symlinks=follow_symlinks))
    findings = check_files(catalogs, load_glossary(_glossary(glossary_path, paths), follow_symlinks=follow_symlinks))
    if as_json:
        for f in findings:
            _emit({"catalog": f.catalog, "entry": f.entry, "reference": f.reference, "check": f.check,
                   "severity": f.severity, "subject": f.subject, "message": f.message})
    else:
        if not findings:
            pass  # an empty table says less than the count line below
        elif len(catalogs) == 1:  # one catalog: named once in the title, not on every row
            _print_table(f"QA findings in {catalogs[0]}", ("entry", "source", "check", "severity", "subject", "message"),
                         [(str(f.entry), f.reference, f.check, f.severity, f.subject, f.message) for f in findings],
                         numeric=("entry",))
        else:
            _print_table("QA findings", ("catalog", "entry", "source", "check", "severity", "subject", "message"),
                         [(f.catalog, str(f.entry), f.reference, f.check, f.severity, f.subject, f.message)
                          for f in findings], numeric=("entry",))
        errors = sum(f.severity == "error" for f in findings)
        console().print(f"{len(catalogs)} catalog(s): {errors} error(s), {len(findings) - errors} warning(s)")
    bad = [f for f in findings if f.severity == "error" or strict]
    if bad:
        raise CheckFailed(f"{len(bad)} finding(s) fail the check")


@main.group()
def glossary() -> None:
    """Check, search and exchange the curated glossary (glossary/*.tsv).

    \b
    Examples:
      zhen glossary lint
      zhen glossary find "創先爭優活動有力有序有效開展"
      zhen glossary export --format tbx -o glossary.tbx
    """


@glossary.command("lint")
@glossary_option
@follow_option
def glossary_lint(glossary_path, follow_symlinks) -> None:
    """Report broken rows, duplicates, conflicting renderings, clashing variants and breaches of the
    capitalisation and citation conventions (exit 1 on any)."""
    from pipeline.errors import CheckFailed
    from pipeline.glossary import glossary_files, lint_terms, load_terms
    from pipeline.glossary_conventions import check_conventions

    terms, problems = load_terms(glossary_files(_glossary(glossary_path), follow_symlinks=follow_symlinks))
    problems += lint_terms(terms) + check_conventions(terms)
    for p in problems:
        click.echo(printable(p))
    if problems:
        raise CheckFailed(f"{len(problems)} problem(s) in the glossary")
    click.echo(f"{len(terms)} terms, no problems", err=True)


@glossary.command("find")
@click.argument("text_or_file")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
@glossary_option
@follow_option
def glossary_find(text_or_file, as_json, glossary_path, follow_symlinks) -> None:
    """Show which glossary terms match where in TEXT (or in the segments of FILE)."""
    from pipeline.glossary import load_glossary
    from pipeline.segment import segment
    from pipeline.source import read_article

    path = Path(text_or_file)
    g = load_glossary(_glossary(glossary_path, [path] if path.is_file() else []), follow_symlinks=follow_symlinks)
    units = ([(s.id, s.text) for s in segment(read_article(path))] if path.is_file()
             else [(1, text_or_file)])
    for seg_id, text in units:
        for h in g.match(text):
            if as_json:
                _emit({"segment": seg_id, "start": h.start, "end": h.end, "surface": h.surface,
                       "term": h.term.term, "english": h.term.english, "accept": list(h.term.accept)})
            else:
                also = f" (also accepted: {', '.join(h.term.accept)})" if h.term.accept else ""
                click.echo(f"{seg_id}:{h.start}-{h.end}\t{printable(h.surface)}\t{printable(h.term.english + also)}")


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "tsv"]), default="tbx", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here (default: stdout).")
@glossary_option
@follow_option
def glossary_export(fmt, output, glossary_path, follow_symlinks) -> None:
    """Export the glossary as TBX (OmegaT, Trados, memoQ) or CSV (spreadsheets)."""
    from pipeline import glossary_formats as gf
    from pipeline.glossary import glossary_files, load_glossary
    from pipeline.outputs import refuse_overwrites

    glossary_path = _glossary(glossary_path)
    if output:
        refuse_overwrites([(output, "the export")], [(f, "a glossary file") for f in
                                                     glossary_files(glossary_path, follow_symlinks=follow_symlinks)])
    terms = load_glossary(glossary_path, follow_symlinks=follow_symlinks).terms
    _deliver({"tbx": gf.to_tbx, "csv": gf.to_csv, "tsv": gf.to_tsv}[fmt](terms), output)


@glossary.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="TSV file to write.")
@click.option("--force", is_flag=True, help="Replace an existing OUTPUT (the old file is kept as OUTPUT~).")
def glossary_import(file, output, force) -> None:
    """Convert a TBX or CSV glossary into zhen's TSV format (checked before writing).

    A file that yields no terms, or a value holding a tab or line break, is
    refused with its file and line; an existing OUTPUT is replaced only with
    --force, and kept as OUTPUT~.
    """
    from pipeline.glossary_formats import import_file

    terms, kept = import_file(file, output, force=force)
    kept_note = f" (previous file kept as {kept})" if kept else ""
    click.echo(printable(f"{len(terms)} terms → {output}{kept_note}"), err=True)


@main.group()
def terms() -> None:
    """Discover terms the glossary lacks: numbered formulas, quoted slogans, recurring expressions.

    \b
    Examples:
      zhen terms suggest translations/new-article
      zhen terms suggest new.txt --tsv > review.tsv
    """


@terms.command("suggest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per candidate: {"term", "kind", "count", "contexts", "english"}.')
@click.option("--tsv", "as_tsv", is_flag=True,
              help="Rows in the glossary's columns (english empty, contexts in note), to review and paste.")
@glossary_option
@click.pass_obj
def terms_suggest(obj: Context, paths, as_json, as_tsv, glossary_path) -> None:
    """Propose glossary entries from articles: formulas (三個高地), slogans in quotes, repeated expressions.

    PATHS are article folders, source text files or folders of articles
    (default: translations/). Terms the glossary already has, in either script
    or as a listed variant, are left out. The English column is a literal
    suggestion from CC-CEDICT and spelled-out numbers, never an official
    rendering. Nothing is written into glossary/: a person decides.

    \b
    Example:
      zhen terms suggest translations/tianjin-chuangxian-zhengyou --json
      zhen terms suggest new.txt --glossary empty/   # an empty folder: every candidate
    """
    from pipeline.articles import under
    from pipeline.glossary import load_glossary
    from pipeline.terms import article_units, excerpt, suggest, tsv_rows

    if as_json and as_tsv:
        raise click.UsageError("--json and --tsv are exclusive")
    glossary = load_glossary(_glossary(glossary_path, paths))
    units = article_units(a.source for a in under(paths, root=_root(paths)))
    bar = obj.progress(enabled=not (as_json or as_tsv))
    with bar or _null():
        task = bar.add_task("finding terms", total=len(units)) if bar else None
        found = suggest(units, glossary, progress=(lambda d, t: bar.update(task, completed=d)) if bar else None)
    if as_json:
        for c in found:
            _emit(c.as_json())
    elif as_tsv:
        click.echo(tsv_rows(found), nl=False)
    else:
        rows = []
        for c in found:
            first = c.contexts[0]
            more = f" (+{len(c.contexts) - 1})" if len(c.contexts) > 1 else ""
            rows.append((c.kind, str(c.count), c.term, c.english, first.reference + more,
                         excerpt(first.text, c.term, width=10)))
        _print_table("Term candidates (English: literal suggestion, not official)",
                     ("kind", "count", "term", "suggested English", "first seen", "context"), rows, numeric=("count",))
        obj.err.print(f"{len(found)} candidate(s); `--tsv` gives rows to review and paste into the glossary")


@main.group()
def export() -> None:
    """Export reviewed work: the English article, or a TMX translation memory.

    \b
    Examples:
      zhen export text translations/tianjin-chuangxian-zhengyou --reviewed-only
      zhen export tmx -o memory.tmx
    """


@export.command("text")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--reviewed-only", is_flag=True,
              help="Mark segments nobody has reviewed instead of filling them with drafts.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write (a folder when exporting several articles; default: stdout).")
@glossary_option
@follow_option
def export_text(paths, reviewed_only, output, glossary_path, follow_symlinks) -> None:
    """The English article, paragraphs as in the source."""
    from pipeline.errors import ZhenError
    from pipeline.run import english_text
    from pipeline.glossary import load_glossary
    from pipeline.locate import with_catalogs
    from pipeline.outputs import check_export

    articles = with_catalogs(paths, root=_root(paths), follow_symlinks=follow_symlinks)
    glossary = load_glossary(_glossary(glossary_path, paths), follow_symlinks=follow_symlinks)
    if len(articles) == 1:
        if output:
            check_export([(output, f"the English text of article {articles[0].slug}")], articles)
        _deliver(english_text(articles[0], glossary, reviewed_only=reviewed_only), output)
        return
    if output is None or (output.exists() and not output.is_dir()):
        raise ZhenError(f"{len(articles)} articles: give -o FOLDER to write one <article>.en.txt each")
    targets = [(output / f"{a.slug}.en.txt", f"the English text of article {a.source}") for a in articles]
    check_export(targets, articles)
    output.mkdir(parents=True, exist_ok=True)
    for article, (target, _) in zip(articles, targets):
        _deliver(english_text(article, glossary, reviewed_only=reviewed_only), target)


@export.command("tmx")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="TMX file to write (default: stdout).")
@follow_option
def export_tmx(paths, output, follow_symlinks) -> None:
    """Reviewed pairs of every catalog as one TMX 1.4 translation memory for CAT tools."""
    from pipeline import po
    from pipeline.export import tmx
    from pipeline.locate import with_catalogs
    from pipeline.outputs import check_export

    articles = with_catalogs(paths, root=_root(paths), follow_symlinks=follow_symlinks)
    if output:
        check_export([(output, "the TMX memory")], articles)
    _deliver(tmx((a.slug, po.read_catalog(a.catalog)) for a in articles), output)


@main.group("tm")
def tm() -> None:
    """The translation memory: every reviewed sentence of every catalog under
    translations/, and the TMX files in tm/. Kept in .zhen/tm.sqlite (derived,
    safe to delete); `translate` drafts from it before asking the engine.

    \b
    Examples:
      zhen tm search "創先爭優活動" --json
      zhen tm import omegat-project.tmx
      zhen tm stats
    """


@tm.command("search")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per hit: {"source", "target", "score", "origin"}.')
@click.option("--min-score", type=click.IntRange(1, 100),
              help="Lowest fuzzy score shown [zhen.toml [tm] min_score, 75].")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Most hits shown.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Settings file (default: the project's zhen.toml when present).")
@click.pass_obj
def tm_search(obj: Context, text, as_json, min_score, limit, config_path) -> None:
    """Concordance: memory units whose source contains TEXT or matches it fuzzily, best first.

    The score is the one drafting uses: character similarity after folding
    Traditional/Simplified, width and case, with figures masked (100: the same sentence).

    \b
    Example:
      zhen tm search "天津市委" --json
    """
    from pipeline.config import tm_min_score

    config, config_file = _settings(config_path)
    floor = min_score or tm_min_score(config, path=config_file)
    for m in _memory(obj, quiet=as_json, required=True).search(text, min_score=floor, limit=limit):
        if as_json:
            _emit({"source": m.unit.source, "target": m.unit.target, "score": m.score, "origin": m.unit.origin})
        else:
            click.echo(f"{m.score:>3}%  {printable(m.unit.source)}\n      {printable(m.unit.target)}\n"
                       f"      {printable(m.unit.origin)}")


@tm.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def tm_import(obj: Context, file) -> None:
    """Check a TMX file (as zhen, OmegaT or Trados write it) and copy it into tm/.

    \b
    Example:
      zhen tm import project_save.tmx
    """
    from pipeline.tm.index import TM_DIR
    from pipeline.tm.tmx import import_tmx

    target, report = import_tmx(file, _base(required=True) / TM_DIR)
    _memory(obj)
    skipped = f" ({report.skipped} without a Chinese and an English text left out)" if report.skipped else ""
    click.echo(printable(f"{len(report.units)} units → {target}{skipped}"), err=True)


@tm.command("stats")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
def tm_stats(obj: Context, as_json) -> None:
    """Units, articles, files and the index's size.

    \b
    Example:
      zhen tm stats --json
    """
    from pipeline.tm.index import DB_PATH

    s = _memory(obj, quiet=as_json, required=True).stats()
    record = {"units": s.units, "articles": s.articles, "catalogs": s.catalogs, "tmx_files": s.tmx_files,
              "index": str(_base() / DB_PATH), "index_bytes": s.size_bytes}
    if as_json:
        _emit(record)
        return
    for name, value in record.items():
        click.echo(f"{name}\t{value}")


@main.group()
def model() -> None:
    """Manage Argos Translate packages (zh→en) used by the argos engine.

    \b
    Examples:
      zhen model install translate-zh_en-1_9.argosmodel
      zhen model list
    """


@model.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per package.")
@click.pass_obj
def model_list(obj: Context, as_json) -> None:
    """List installed Argos packages (also those installed by argospm or LibreTranslate)."""
    from pipeline.engines.packages import list_packages, packages_dir

    packages = list_packages(warn=obj.warn)
    for p in packages:
        if as_json:
            _emit({"name": p.name, "version": p.version, "from": p.from_code, "to": p.to_code, "path": str(p.path)})
        else:
            click.echo("\t".join(map(printable, (p.label, f"{p.from_code}→{p.to_code}", p.path))))
    if not packages and not as_json:
        click.echo(printable(f"no packages in {packages_dir()}"), err=True)


@model.command("install")
@click.argument("file", type=click.Path(path_type=Path))
def model_install(file) -> None:
    """Validate and install an .argosmodel file (zip-slip, links and wrong languages are refused)."""
    from pipeline.engines.packages import install

    info = install(file)
    click.echo(printable(f"installed {info.label} in {info.path}"))


@model.command("download")
@click.option("--index", "index", help="Package index URL (default: $ARGOS_PACKAGE_INDEX or the Argos index).")
def model_download(index) -> None:
    """Download and install the zh→en package from the Argos package index."""
    from pipeline.engines.packages import download

    info = download(index=index)
    click.echo(printable(f"installed {info.label} in {info.path}"))


@model.command("remove")
@click.argument("name")
def model_remove(name) -> None:
    """Remove an installed package by name (e.g. translate-zh_en)."""
    from pipeline.engines.packages import remove

    info = remove(name)
    click.echo(printable(f"removed {info.label}"))


@main.command("eval")
@click.option("--engine", type=click.Choice(["auto", *sorted(ENGINES)]), default="auto", show_default=True,
              help="auto: the LLM server when [llm] is configured, else Argos when a zh→en model is installed, "
                   "else the dictionary engine.")
@click.option("--set", "test_set", default="pud", show_default=True, metavar="pud|FILE.tsv",
              help="pud: UD Chinese PUD with its English original (1,000 pairs); or a TSV of zh<TAB>en lines.")
@click.option("--pud", "pud_folder", type=click.Path(path_type=Path, file_okay=False), metavar="FOLDER",
              help="Where --set pud reads zh_pud-ud-test.conllu and en_pud-ud-test.conllu (default: data/ud/ of "
                   "the zhen repository zhen runs from; an installed zhen has none).")
@click.option("--from-catalogs", "catalogs", multiple=True, type=click.Path(path_type=Path),
              help="Use the reviewed entries of these catalogs (files or folders) as the test set.")
@click.option("--limit", type=click.IntRange(1), help="Evaluate this many pairs only.")
@click.option("--seed", type=int, help="With --limit: a random sample drawn with this seed, not the first pairs.")
@click.option("--drafts", "drafts_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write source, reference and draft per line to this TSV file.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Settings file (default: the project's zhen.toml when present).")
@glossary_option
@click.pass_obj
def eval_cmd(obj: Context, engine, test_set, pud_folder, catalogs, limit, seed, drafts_path, as_json, config_path,
             glossary_path) -> None:
    """Score an engine's drafts on a parallel test set (chrF2, BLEU, glossary, QA).

    Each pair is drafted as one segment through the real pipeline (glossary,
    enforcement, QA) and scored with sacrebleu against its reference.

    \b
    Examples:
      zhen eval --engine dictionary --limit 200 --seed 1
      zhen eval --set desk-pairs.tsv --json
      zhen eval --from-catalogs translations/
    """
    from pipeline import evaluate as ev
    from pipeline.config import argos_options, llm_options
    from pipeline.files import write_atomic
    from pipeline.glossary import load_glossary
    from pipeline.engines import EngineProvider

    if pud_folder is not None and (catalogs or test_set != "pud"):
        raise click.UsageError("--pud is where --set pud reads its files; it does not go with another test set")
    if catalogs:
        name, pairs = "reviewed catalogs", ev.catalog_pairs(catalogs)
    elif test_set == "pud":
        name, pairs = "PUD zh→en", ev.pud_pairs(pud_folder)
    else:
        name, pairs = test_set, ev.read_tsv(Path(test_set))
    pairs = ev.subset(pairs, limit=limit, seed=seed)
    # The project is the one the test set lies in, else the working folder's.
    paths = catalogs or ([] if test_set == "pud" else [Path(test_set)])
    glossary = load_glossary(_glossary(glossary_path, paths))
    config, config_file = _settings(config_path, paths)
    settings = {"argos": {"options": argos_options(config, path=config_file)},
                "llm": {"options": llm_options(config, path=config_file)}}
    drafter = EngineProvider(engine, glossary, settings=settings, warn=obj.warn, say=obj.say).get(drafting=True)
    bar = obj.progress(enabled=not as_json)
    with bar or _null():
        task = bar.add_task("drafting", total=len(pairs)) if bar else None
        result, drafts = ev.evaluate(pairs, drafter, glossary=glossary, test_set=name,
                                     progress=(lambda done, total: bar.update(task, completed=done)) if bar else None)
    if drafts_path:
        write_atomic(drafts_path, ev.drafts_tsv(pairs, drafts))
    if as_json:
        _emit(result.as_json())
    else:
        click.echo(ev.describe(result), nl=False)


if __name__ == "__main__":
    main()
