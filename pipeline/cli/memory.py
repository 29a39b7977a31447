"""Exporting reviewed work, and the translation memory's commands."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import (
    printable,
    Context,
    _glossary,
    _root,
    _settings,
    _emit,
    _deliver,
    glossary_option,
    follow_option,
    _base,
    _memory,
    _reads,
)


@click.group()
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
    from pipeline.glossary.table import load_glossary
    from pipeline.workspace.articles import SourcedArticle
    from pipeline.workspace.locate import with_catalogs
    from pipeline.workspace.outputs import check_export, with_backup

    articles = with_catalogs(paths, root=_root(paths), follow_symlinks=follow_symlinks)
    glossary_path = _glossary(glossary_path, paths)
    glossary = load_glossary(glossary_path, follow_symlinks=follow_symlinks)
    reads = _reads(paths, glossary=glossary_path, follow_symlinks=follow_symlinks)
    if len(articles) == 1:
        if output:
            check_export(with_backup([(output, f"the English text of article {articles[0].slug}")]), articles,
                         reads)
        _deliver(english_text(articles[0], glossary, reviewed_only=reviewed_only), output)
        return
    if output is None or (output.exists() and not output.is_dir()):
        raise ZhenError(f"{len(articles)} articles: give -o FOLDER to write one <article>.en.txt each")
    targets = [(output / f"{a.slug}.en.txt", f"the English text of article {a.source if isinstance(a, SourcedArticle) else None}") for a in articles]
    check_export(with_backup(targets), articles, reads)
    output.mkdir(parents=True, exist_ok=True)
    for article, (target, _) in zip(articles, targets):
        _deliver(english_text(article, glossary, reviewed_only=reviewed_only), target)


@export.command("tmx")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="TMX file to write (default: stdout).")
@follow_option
def export_tmx(paths, output, follow_symlinks) -> None:
    """Reviewed pairs of every catalog as one TMX 1.4 translation memory for CAT tools."""
    from pipeline.catalog import po
    from pipeline.tm.tmx import tmx
    from pipeline.workspace.locate import with_catalogs
    from pipeline.workspace.outputs import check_export, with_backup

    articles = with_catalogs(paths, root=_root(paths), follow_symlinks=follow_symlinks)
    if output:
        # tm/*.tmx among them: an export over the memory's own TMX would replace what it holds.
        check_export(with_backup([(output, "the TMX export")]), articles, _reads(paths))
    _deliver(tmx((a.slug, po.read_catalog(a.catalog)) for a in articles), output)


@click.group("tm")
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
              help='One JSON object per hit: {"source", "target", "score", "match", "origin"}; '
                   'match is "fuzzy" (scored) or "containment" (its source contains TEXT; score null).')
@click.option("--min-score", type=click.IntRange(1, 100),
              help="Lowest fuzzy score shown [zhen.toml [tm] min_score, 75].")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Most hits shown.")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="Settings file (default: the project's zhen.toml when present).")
@click.pass_obj
def tm_search(obj: Context, text, as_json, min_score, limit, config_path) -> None:
    """Concordance: memory units whose source contains TEXT or matches it fuzzily, best first.

    The score is the one drafting uses: character similarity after folding
    Traditional/Simplified, width and case, with figures masked (100: the same sentence).
    A unit found only because its source contains TEXT is labelled "contains", not
    scored. No hit is said on stderr.

    \b
    Example:
      zhen tm search "天津市委" --json
    """
    from pipeline.config import tm_min_score

    config, config_file = _settings(obj, config_path)
    floor = min_score or tm_min_score(config, path=config_file)
    hits = _memory(obj, quiet=as_json, required=True).search(text, min_score=floor, limit=limit)
    for m in hits:
        if as_json:
            _emit({"source": m.unit.source, "target": m.unit.target, "score": None if m.containment else m.score,
                   "match": "containment" if m.containment else "fuzzy", "origin": m.unit.origin})
        else:
            label = "contains" if m.containment else f"{m.score:>3}%"
            click.echo(f"{label:>8}  {printable(m.unit.source)}\n          {printable(m.unit.target)}\n"
                       f"          {printable(m.unit.origin)}")
    if not hits:
        obj.say(f"no match: no memory unit contains {text!r} or matches it at {floor}% or more")


@tm.command("import")
@click.argument("file", type=click.Path(path_type=Path))
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
        click.echo(f"{name}\t{printable(value)}")
