"""Which source an article folder belongs to, so that no source is merged into another's catalog.

The catalog's header records the source (``X-Zhen-Source``, its path relative to
the article folder's real location, links resolved, as the kernel resolves
``folder/../x.txt``). Sources are compared as real files. A run for a different source whose recorded source still
exists stops with one line naming both; a recorded source that is gone was
renamed or moved, and the record follows. Catalogs written before the record
existed are judged by their ``#:`` references.
"""

from __future__ import annotations

import os
from pathlib import Path

import polib

from pipeline.workspace import naming
from pipeline.workspace.articles import Article, SourcedArticle, source_from_folder
from pipeline.catalog.entries import owned
from pipeline.errors import CatalogError

FIELD = "X-Zhen-Source"


def _real(folder: Path) -> Path:
    return Path(os.path.realpath(folder))


def recorded(article: SourcedArticle) -> str:
    """The header value naming this article's source (read back from the folder's real location)."""
    return naming.header_value(source_from_folder(article))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _referenced(catalog: polib.POFile) -> str | None:
    """The source file an older catalog's references name."""
    for entry in catalog:
        if entry.occurrences and not entry.obsolete and owned(entry):  # not a reference another tool wrote
            text = " ".join(f"{f}:{n}" if n else f for f, n in entry.occurrences)
            return text.rsplit(":", 1)[0].strip("\u2068\u2069")
    return None


def check(article: Article, catalog: polib.POFile | None) -> None:
    """Refuse to merge ``article``'s source into a catalog that belongs to another source that still exists."""
    if catalog is None or not isinstance(article, SourcedArticle):
        return  # an article known by its catalog alone (see ``locate``) is that catalog's
    owner = catalog.metadata.get(FIELD)
    if owner is not None:
        if owner == recorded(article):
            return
        candidates = [_real(article.folder) / owner]
    else:
        name = _referenced(catalog)
        if name is None or name == naming.reference(article.source.name):
            return
        candidates = [_real(article.folder) / name, _real(article.folder).parent / name]
    for other in map(Path, map(os.path.normpath, candidates)):
        if other.is_file() and not _same_file(other, article.source):
            raise CatalogError(f"belongs to {other}, not to {article.source}: translate {article.source.name} "
                               "into a folder of its own (-o DIR)", path=article.catalog)


def recorded_source(catalog_path: Path) -> Path | None:
    """The source the catalog at ``catalog_path`` records, as an absolute path (None: no record).

    Read from the folder's real location, as the kernel would resolve ``folder/../x.txt``:
    through a link to an article folder, the record names that folder's source."""
    from pipeline.catalog import po

    owner = po.read_catalog(catalog_path).metadata.get(FIELD)
    return Path(os.path.normpath(_real(Path(catalog_path).parent) / owner)) if owner else None


def stamp(catalog: polib.POFile, article: SourcedArticle) -> None:
    """Record the article's source in the catalog header."""
    catalog.metadata[FIELD] = recorded(article)
