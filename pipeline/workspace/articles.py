"""Where articles live: a folder under translations/ holding its source and outputs (their
names: ``layout``), and which article a path given to ``translate`` names.

An article is one of two kinds: a ``SourcedArticle`` has a source file, which a run reads;
a ``CatalogArticle`` is known only through its catalog (a folder holding a catalog and no
source, see ``locate``), which commands that read what ``translate`` wrote can still use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pipeline.workspace import links
from pipeline.workspace import naming
from pipeline.errors import SourceError
from pipeline.workspace.files import member, not_a_file
from pipeline.workspace.layout import CATALOG, HTML, SOURCE_GLOB, TEXT


@dataclass(frozen=True)
class Article:
    """What both kinds of article have: a name, and a folder where the catalog and outputs live."""

    slug: str
    folder: Path
    catalog_name: str = CATALOG

    @property
    def catalog(self) -> Path:
        return self.folder / self.catalog_name

    text = member(TEXT, of="folder")
    html = member(HTML, of="folder")


@dataclass(frozen=True)
class SourcedArticle(Article):
    """An article with its source file: what ``translate`` reads."""

    source: Path = field(kw_only=True)


@dataclass(frozen=True)
class CatalogArticle(Article):
    """An article known only through its catalog: no source file beside it."""


A = TypeVar("A", bound=Article)


def source_from_folder(article: SourcedArticle) -> str:
    """The article's source as a path from where its folder really is (folders' links resolved,
    the source's own name kept): how its catalog records it, the same whichever path (``.``,
    a link to the folder) named the article."""
    source = Path(os.path.realpath(article.source.parent)) / article.source.name
    return Path(os.path.relpath(source, os.path.realpath(article.folder))).as_posix()


def slugify(name: str) -> str:
    """An article's name as zhen shows it (in --json, catalog headers, exports): the folder's name, cleaned."""
    return naming.readable(name)


def source_in(folder: Path) -> Path:
    found = sorted(folder.glob(SOURCE_GLOB))
    if not found:
        raise SourceError(f"directory without an article (no {SOURCE_GLOB})", path=folder)
    if len(found) > 1:
        raise SourceError(f"more than one source file: {', '.join(p.name for p in found)}", path=folder)
    return found[0]


def resolve(path: Path, *, output: Path | None = None) -> SourcedArticle:
    """An article from a folder or a text file; ``output`` takes the folder's role."""
    path = Path(path)
    if path.is_dir():
        source = source_in(path)
        folder = output or path
        return SourcedArticle(slug=slugify(path.resolve().name), source=source, folder=Path(folder))
    if not path.exists():
        raise SourceError("a link to nothing" if path.is_symlink() else "no such file or directory", path=path)
    what = not_a_file(path)
    if what is not None:  # refused before an article folder is made for it
        raise SourceError(f"is {what}, not a text file", path=path)
    slug = naming.article_folder(path.name)  # readable, and distinct for distinct files in one folder
    if output is not None:
        return SourcedArticle(slug=slug, source=path, folder=Path(output))
    if path.name.startswith("source"):
        return SourcedArticle(slug=slugify(path.resolve().parent.name), source=path, folder=path.parent)
    return SourcedArticle(slug=slug, source=path, folder=path.parent / slug)


def discover(root: Path) -> list[SourcedArticle]:
    """Every article folder under ``root`` (recursively), in path order."""
    root = Path(root)
    if not root.is_dir():
        raise SourceError("no such directory", path=root)
    # Anything but a folder: a FIFO named source.zh.txt is an article whose run says what it is.
    return [resolve(p.parent) for p in sorted(root.rglob(SOURCE_GLOB)) if p.exists() and not p.is_dir()]


def collect(paths: Iterable[Path], *, output: Path | None = None, root: Path = Path("translations"),
            follow_symlinks: bool = False) -> list[SourcedArticle]:
    """Articles named by ``paths`` (every one under ``root`` when there are none).

    Unless ``follow_symlinks``, links that lead out of an article are refused (see ``links``).
    """
    paths = list(paths)
    if not paths:
        found = discover(root)
        if not found:
            raise SourceError(f"no articles (no {SOURCE_GLOB} in any folder)", path=root)
        return refuse_outside_links(found, root, follow_symlinks)
    if output is not None and len(paths) > 1:
        raise SourceError("-o/--output takes a single article", path=output)
    return refuse_outside_links([resolve(p, output=output) for p in paths], root, follow_symlinks)


def refuse_outside_links(articles: Sequence[A], root: Path | None, follow_symlinks: bool) -> list[A]:
    """``articles``, after refusing links that lead out of them (``root``: the folder they were found in)."""
    if not follow_symlinks:
        for article in articles:
            entry = article.source if isinstance(article, SourcedArticle) else article.catalog
            links.check_article(entry, article.folder, root=root or article.folder)
    return list(articles)


def under(paths: Iterable[Path], *, root: Path = Path("translations"),
          follow_symlinks: bool = False) -> list[SourcedArticle]:
    """Article sources named by paths that may be article folders, source files, or folders of articles."""
    articles: list[SourcedArticle] = []
    for p in list(paths) or [root]:
        p = Path(p)
        if p.is_dir() and not list(p.glob(SOURCE_GLOB)):
            articles += refuse_outside_links(discover(p), p, follow_symlinks)
        else:
            articles += collect([p], root=root, follow_symlinks=follow_symlinks)
    return articles
