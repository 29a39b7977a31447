"""No output is ever written over an input: every path zhen writes is checked
against every file it reads (sources, catalogs an export reads, glossary files),
by real path and by inode, before anything is written."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from pipeline.workspace.articles import Article, SourcedArticle
from pipeline.errors import SourceError
from pipeline.workspace.layout import BACKUP, LOCK, STATE


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def refuse_overwrites(outputs: Iterable[tuple[Path, str]], inputs: Iterable[tuple[Path, str]]) -> None:
    """Raise SourceError when an output (path, what it is) is one of the inputs (path, what it is)."""
    by_path: dict[str, tuple[Path, str]] = {}
    by_inode: dict[tuple[int, int], tuple[Path, str]] = {}
    for path, what in inputs:
        by_path.setdefault(os.path.realpath(path), (path, what))
        ident = _identity(path)
        if ident is not None:
            by_inode.setdefault(ident, (path, what))
    for path, role in outputs:
        hit = by_path.get(os.path.realpath(path))
        if hit is None:
            ident = _identity(path)
            hit = by_inode.get(ident) if ident is not None else None
        if hit is not None:
            raise SourceError(f"is {hit[1]}, and {role} would be written over it; zhen never overwrites "
                              "what it reads (choose another output path)", path=hit[0])


def article_outputs(article: Article) -> list[tuple[Path, str]]:
    """Every file a translate run may write for the article."""
    name = f"article {article.slug}"
    return [(article.catalog, f"the catalog of {name}"), (article.catalog.with_name(article.catalog.name + BACKUP),
            f"the catalog backup of {name}"), (article.text, f"the English text of {name}"),
            (article.html, f"the page of {name}"), (article.folder / STATE, f"the run record of {name}"),
            (article.folder / LOCK, f"the lock file of {name}")]


def check_articles(articles: Sequence[Article]) -> None:
    """No article's outputs may be any article's source."""
    refuse_overwrites([o for a in articles for o in article_outputs(a)],
                      [(a.source, f"the source of article {a.slug}") for a in articles if isinstance(a, SourcedArticle)])


def check_export(outputs: Sequence[tuple[Path, str]], articles: Sequence[Article],
                 extra: Iterable[tuple[Path, str]] = ()) -> None:
    """An export's files (path, what it holds) may be no source or catalog it reads, nor share a path."""
    inputs = [(a.source, f"the source of article {a.slug}") for a in articles if isinstance(a, SourcedArticle)]
    inputs += [(a.catalog, f"the catalog of article {a.slug}") for a in articles]
    refuse_overwrites(outputs, [*inputs, *extra])
    seen: dict[str, str] = {}
    for path, what in outputs:
        key = os.path.realpath(path)
        if key in seen:
            raise SourceError(f"{seen[key]} and {what} would both be written here; export them separately",
                              path=path)
        seen[key] = what


def memory_reads(memory, *, catalogs: bool = True) -> list[tuple[Path, str]]:
    """Every file the translation memory reads or keeps: its catalogs (unless the command is the
    one that writes them), its TMX files and its index."""
    reads = [(path, "a catalog the translation memory reads" if kind == "catalog" else
              "a TMX file of the translation memory") for path, kind in memory.sources()
             if catalogs or kind != "catalog"]
    return reads + [(Path(f"{memory.path}{suffix}"), "the translation memory's index")
                    for suffix in ("", "-journal", "-wal", "-shm")]


def with_backup(outputs: Iterable[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """The outputs and the ``NAME~`` backups kept of them (see ``keep_backup``), for ``refuse_overwrites``."""
    out = []
    for path, what in outputs:
        out += [(path, what), (Path(path).with_name(Path(path).name + "~"), f"the backup of {what}")]
    return out


def keep_backup(path: Path) -> Path | None:
    """Before a command replaces a regular file on purpose (``-o``, ``--drafts``), keep it as ``NAME~``."""
    from pipeline.workspace.files import backup

    path = Path(path)
    if not path.is_file():  # nothing there, or a device such as /dev/stdout
        return None
    return backup(path)
