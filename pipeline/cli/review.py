"""The review queue: `zhen next`."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pipeline.cli.common import (
    Context,
    _emit,
    _glossary,
    _root,
    follow_option,
    glossary_option,
    printable,
)


@click.command("next")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help='One JSON object per entry: {"rank", "why", "catalog", "reference", "entry", "state", "origin", '
                   '"match", "edited", "errors", "warnings", "finding", "excerpt", "source"}.')
@click.option("-n", "--limit", type=click.IntRange(1), help="Show only the first N entries.")
@glossary_option
@follow_option
@click.pass_obj
def next_cmd(obj: Context, paths, as_json, limit, glossary_path, follow_symlinks) -> None:
    """What to review next: every entry that needs a person, most urgent first.

    Reviewed entries with QA errors, then drafts with QA errors, then memory
    drafts (lowest match first), then other drafts, then untranslated entries.
    Each line gives the catalog, the source reference (Poedit shows it under
    the entry), the state, the first QA finding and the start of the source
    sentence, which pastes into Poedit's search. PATHS as for `zhen status`.

    \b
    Example:
      zhen next translations/tianjin-chuangxian-zhengyou -n 5
    """
    from pipeline.catalog import po
    from pipeline.catalog.entries import read_entries
    from pipeline.catalog.todo import RANKS, review_queue
    from pipeline.glossary.table import load_glossary
    from pipeline.qa.checks import check_files
    from pipeline.workspace.locate import catalog_paths, locate

    catalogs = catalog_paths(locate(paths, root=_root(paths), follow_symlinks=follow_symlinks))
    glossary = load_glossary(_glossary(glossary_path, paths), follow_symlinks=follow_symlinks)
    findings = check_files(catalogs, glossary)
    queue = review_queue({str(p): read_entries(po.read_catalog(p)) for p in catalogs}, findings)
    here = os.path.abspath(".")

    def shown(path: str) -> str:  # from the working folder when inside it: short, and what `cd` reaches
        rel = os.path.relpath(os.path.abspath(path), here)
        return rel if not rel.startswith("..") else path

    for todo in queue[:limit]:
        if as_json:
            _emit(todo.as_json())
            continue
        first = todo.findings[0] if todo.findings else None
        finding = f"{first.severity} ({first.check}): {first.message}" if first else "-"
        if len(finding) > 80:
            finding = finding[:79] + "…"
        click.echo(printable(f"{shown(todo.catalog)}  {todo.reference}  {todo.label}  {finding}  {todo.excerpt}"))
    if not as_json:
        if not queue:
            obj.say(f"nothing to review: every entry of {len(catalogs)} catalog(s) is reviewed without QA errors")
        else:
            by_rank = [f"{sum(t.rank == r for t in queue)} {why}" for r, why in RANKS.items()
                       if any(t.rank == r for t in queue)]
            obj.say(f"{len(queue)} to review: {'; '.join(by_rank)}")
