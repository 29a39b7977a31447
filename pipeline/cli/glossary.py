"""The glossary's commands and term discovery."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pipeline.cli.common import (
    tick,
    console,
    labelled,
    printable,
    Context,
    _glossary,
    _root,
    _print_table,
    _emit,
    _deliver,
    glossary_option,
    follow_option,
    _null,
    _reads,
)


@click.group()
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
    from pipeline.glossary.table import glossary_files, lint_terms, load_terms
    from pipeline.glossary.conventions import check_conventions

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
    """Show which glossary terms match where in TEXT (or in the segments of FILE); TEXT that is one
    term, in either script, also prints the term's whole row: renderings, avoided ones, the full note
    and its source (the catalog gives only the note's first sentence).

    \b
    Examples:
      zhen glossary find 三個高地
      zhen glossary find translations/tianjin-chuangxian-zhengyou/source.zh.txt --json
    """
    from pipeline.glossary.table import load_glossary
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    path = Path(text_or_file)
    if os.path.lexists(path) and not path.is_file():  # a pipe, a device, a folder or a broken link: never text
        from pipeline.errors import SourceError
        from pipeline.workspace.files import not_a_file

        raise SourceError(f"is {not_a_file(path) or 'a link to nothing'}, not a text file", path=path)
    g = load_glossary(_glossary(glossary_path, [path] if path.is_file() else []), follow_symlinks=follow_symlinks)
    units = ([(s.id, s.text) for s in segment(read_article(path))] if path.is_file()
             else [(1, text_or_file)])
    for seg_id, text in units:
        hits = g.match(text)
        for h in hits:
            t = h.term
            if as_json:
                _emit({"segment": seg_id, "start": h.start, "end": h.end, "surface": h.surface,
                       "term": t.term, "english": t.english, "accept": list(t.accept), "variants": list(t.variants),
                       "avoid": list(t.avoid), "kind": t.kind, "note": t.note, "source": t.source,
                       "file": t.file, "line": t.line})
                continue
            also = f" (also accepted: {', '.join(t.accept)})" if t.accept else ""
            click.echo(f"{seg_id}:{h.start}-{h.end}\t{printable(h.surface)}\t{printable(t.english + also)}")
            if len(hits) == 1 and h.surface == text.strip():  # the text is this term: its whole row
                row = {"term": " | ".join(t.forms), "english": t.english, "accept": " | ".join(t.accept),
                       "avoid": " | ".join(t.avoid), "kind": t.kind, "note": t.note, "source": t.source,
                       "file": f"{t.file}:{t.line}" if t.file else ""}
                for key, value in row.items():
                    click.echo(printable(f"  {key + ':':<8} {value}".rstrip()))


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "tsv"]), default="tbx", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here (default: stdout).")
@click.option("--place", metavar="PLACE",
              help="Only the terms an article of PLACE uses (\"national\", a province or a main city), "
                   "local rows over national ones, as one glossary scoped to PLACE.")
@glossary_option
@follow_option
def glossary_export(fmt, output, place, glossary_path, follow_symlinks) -> None:
    """Export the glossary as TBX (OmegaT, Trados, memoQ), CSV (spreadsheets) or TSV.

    Each term keeps its scope (TBX geographicalUsage, a CSV scope column). A TSV file has
    one scope: a glossary with national and local rows exports to TSV only with --place.
    """
    import dataclasses

    from pipeline.glossary import formats as gf
    from pipeline.glossary import scope
    from pipeline.glossary.table import glossary_files, load_glossary
    from pipeline.workspace.outputs import refuse_overwrites, with_backup

    glossary_path = _glossary(glossary_path)
    if output:
        refuse_overwrites(with_backup([(output, "the export")]),
                          [(f, "a glossary file") for f in glossary_files(glossary_path, follow_symlinks=follow_symlinks)]
                          + _reads())
    terms = list(load_glossary(glossary_path, follow_symlinks=follow_symlinks).terms)
    if place is not None:
        where = scope.option_scope(place).place
        terms = [dataclasses.replace(t, scope=where) for t in scope.resolve(terms, where)]
    if fmt == "tsv":
        gf.one_scope(terms, name=str(glossary_path))
    _deliver({"tbx": gf.to_tbx, "csv": gf.to_csv, "tsv": gf.to_tsv}[fmt](terms), output)


@glossary.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="TSV file to write.")
@click.option("--force", is_flag=True, help="Replace an existing OUTPUT (the old file is kept as OUTPUT~).")
def glossary_import(file, output, force) -> None:
    """Convert a TBX or CSV glossary into zhen's TSV format (checked before writing).

    A file that yields no terms, or a value holding a tab or line break, is
    refused with its file and line; an existing OUTPUT is replaced only with
    --force, and kept as OUTPUT~.
    """
    from pipeline.glossary.formats import import_file, invisible
    from pipeline.workspace.outputs import refuse_overwrites, with_backup

    refuse_overwrites(with_backup([(output, "the glossary written")]), [(file, "the file imported"), *_reads()])
    terms, kept = import_file(file, output, force=force)
    for warning in invisible(terms):
        labelled(console(stderr=True), "warning", "yellow", warning)
    kept_note = f" (previous file kept as {kept})" if kept else ""
    click.echo(printable(f"{len(terms)} terms → {output}{kept_note}"), err=True)


@click.group()
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
    or as a listed variant, are left out; each article counts only the terms
    of its scope (national, and its place's). The English column comes from a
    shipped glossary row with its source where one has the form (a place's
    row outside the article's scope is named as such), else it is a literal
    placeholder from CC-CEDICT and spelled-out numbers, never an official
    rendering. Nothing is written into glossary/: a person decides.

    \b
    Example:
      zhen terms suggest translations/tianjin-chuangxian-zhengyou --json
      zhen terms suggest new.txt --glossary empty/   # an empty folder: every candidate
    """
    from pipeline.workspace.articles import under
    from pipeline.glossary.table import load_glossary, shipped_terms
    from pipeline.glossary.discovery import article_units, excerpt, suggest, tsv_rows

    if as_json and as_tsv:
        raise click.UsageError("--json and --tsv are exclusive")
    glossary = load_glossary(_glossary(glossary_path, paths))
    units = article_units(a.source for a in under(paths, root=_root(paths)))
    bar = obj.progress(enabled=not (as_json or as_tsv))
    with bar or _null():
        found = suggest(units, glossary, shipped=[*glossary.terms, *shipped_terms()],
                        progress=tick(bar, "finding terms", total=len(units)))
    if as_json:
        for c in found:
            _emit(c.as_json())
    elif as_tsv:
        _deliver(tsv_rows(found), None)
    else:
        rows = []
        for c in found:
            first = c.contexts[0]
            more = f" (+{len(c.contexts) - 1})" if len(c.contexts) > 1 else ""
            english = c.english if c.literal or not c.english else f"{c.english} [attested: {c.source}]"
            rows.append((c.kind, str(c.count), c.term, english, first.reference + more,
                         excerpt(first.text, c.term, width=10)))
        _print_table("Term candidates (English: a literal placeholder, not official, unless attested)",
                     ("kind", "count", "term", "suggested English", "first seen", "context"), rows, numeric=("count",))
        obj.err.print(f"{len(found)} candidate(s); `--tsv` gives rows to review and paste into the glossary")
