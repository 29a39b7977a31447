"""The catalogs a path names, for the commands that read what ``translate`` wrote
(check, status, export, html).

A path may be an article folder with or without its source (``translate x.txt``
and ``-o DIR`` write folders without one), a catalog file, a loose source file,
or a folder of articles. A path that holds no catalog is an error, never an
empty report. An article known only by its catalog is rebuilt from it: the
catalog's ``#:`` lines give each sentence's line, its ``#.`` notes the role.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.workspace import links, naming
from pipeline.workspace.articles import (Article, CatalogArticle, SourcedArticle, collect, refuse_outside_links,
                                         resolve, slugify, source_in)
from pipeline.workspace.layout import CATALOG, SOURCE, SOURCE_GLOB
from pipeline.errors import SourceError, ZhenError
from pipeline.workspace.files import not_a_file
from pipeline.model import ROLES, Segment
from pipeline.workspace.project import project_of

if TYPE_CHECKING:
    import polib

# The catalog modules (and polib) are imported where a catalog is read: `translate`
# finds its articles here, and a re-run that skips every article never reads one.


class NothingToCheck(ZhenError):
    """A path under which no catalog exists."""


# A name with a space is isolated in U+2068 … U+2069 (see naming.reference).
_REFERENCE = re.compile("^#: (?:\u2068([^\u2069\n]+)\u2069|(\\S+?)):\\d+", re.M)


def _loose_source(folder: Path, catalog: Path) -> Path | None:
    """The text file beside ``folder`` that ``translate`` drafted into it, if it is still there."""
    if not catalog.is_file():
        return None
    with open(catalog, encoding="utf-8", errors="replace") as f:
        m = _REFERENCE.search(f.read(64 * 1024))
    if not m:
        return None
    candidate = Path(os.path.abspath(folder)).parent / (m.group(1) or m.group(2))  # "." has no parent of its own
    if candidate.is_file() and not candidate.name.startswith("source"):
        if resolve(candidate).folder.resolve() == folder.resolve():
            return candidate
    return None


def article_at(folder: Path, catalog_name: str = CATALOG) -> Article | None:
    """The article whose files are in ``folder``, or None when it holds neither source nor catalog."""
    folder = Path(folder)
    catalog = folder / catalog_name
    has_source = any(folder.glob(SOURCE_GLOB))
    if not has_source and not catalog.is_file():
        return None
    source = source_in(folder) if has_source else _loose_source(folder, catalog)
    slug = slugify(folder.resolve().name)
    if source is None:
        return CatalogArticle(slug=slug, folder=folder, catalog_name=catalog_name)
    return SourcedArticle(slug=slug, source=source, folder=folder, catalog_name=catalog_name)


def _folders_under(root: Path) -> list[Path]:
    found = {p.parent for p in root.rglob(CATALOG) if p.is_file()}
    found |= {p.parent for p in root.rglob(SOURCE_GLOB) if p.exists() and not p.is_dir()}
    return sorted(found)


def _articles_at(path: Path) -> list[Article]:
    if path.is_file():
        if path.suffix == ".po":
            here = article_at(path.parent, path.name)  # a catalog: never None
            return [here] if here is not None else []
        return [resolve(path)]  # a source file: its article's folder
    if not path.is_dir():
        what = not_a_file(path)
        raise SourceError(f"is {what}, not an article, catalog or folder" if what else
                          "a link to nothing" if path.is_symlink() else "no such file or directory", path=path)
    here = article_at(path)
    if here is not None:
        return [here]
    return [a for folder in _folders_under(path) if (a := article_at(folder)) is not None]


def locate(paths: Iterable[Path], *, root: Path, follow_symlinks: bool = False) -> list[Article]:
    """Every article the paths name (``root`` when there are none), each at most once.

    Each path must hold at least one catalog; articles without one (a source
    not yet translated) are listed, for ``zhen status``. Unless
    ``follow_symlinks``, links that lead out of an article are refused.
    """
    out: dict[Path, Article] = {}
    for path in [Path(p) for p in paths] or [Path(root)]:
        found = refuse_outside_links(_articles_at(path), path if path.is_dir() else path.parent, follow_symlinks)
        if not any(a.catalog.is_file() for a in found):
            raise NothingToCheck(f"nothing to check in {path}: no {CATALOG} catalog there; "
                                 "run `zhen translate` first")
        for a in found:
            out.setdefault(a.catalog.resolve(), a)
    return list(out.values())


def with_catalogs(paths: Iterable[Path], *, root: Path, follow_symlinks: bool = False) -> list[Article]:
    """The articles the paths name that have a catalog."""
    return [a for a in locate(paths, root=root, follow_symlinks=follow_symlinks) if a.catalog.is_file()]


def _instead(path: Path) -> str | None:
    """What to run on a file ``translate`` was given that is not an article (None: it may be one)."""
    folder, suffix = path.parent, path.suffix.lower()
    return {
        ".po": f"is a gettext catalog, not an article: open it in Poedit, or run `zhen translate {folder}` "
               "to update it from its source",
        ".pot": "is a gettext catalog template, not an article: zhen translates Chinese text files "
                "(`zhen translate ARTICLE.txt`)",
        ".mo": f"is a compiled catalog (Poedit writes it on save), not an article: run `zhen translate {folder}`",
        ".html": f"is a page, not an article: `zhen html {folder}` rebuilds the page zhen wrote there",
        ".htm": f"is a page, not an article: `zhen html {folder}` rebuilds the page zhen wrote there",
        ".tmx": f"is a translation memory, not an article: run `zhen tm import {path}`",
        ".tbx": f"is a glossary, not an article: run `zhen glossary import {path} -o glossary/NAME.tsv`",
        ".tsv": f"is a table, not an article: check a glossary with `zhen glossary lint --glossary {path}`, "
                f"or score a test set with `zhen eval --set {path}`",
    }.get(suffix)


def refuse_non_article(path: Path) -> None:
    """Refuse a file named to ``translate`` that is plainly not an article, before anything is written."""
    path = Path(path)
    what = _instead(path) if not path.is_dir() else None
    if what is not None:
        raise SourceError(what, path=path)


def require_chinese(segments: Sequence[Segment], path: Path | None) -> None:
    """Refuse a source that is not Chinese text, which the engines would only copy or garble.

    A Chinese news article is mostly Han characters even where it quotes Latin
    names and figures; less than half of its letters Han, it is something else.
    """
    from pipeline.text.script import HAN_CHAR

    text = "".join(s.text for s in segments)
    letters = sum(1 for ch in text if ch.isalpha())
    han = len(HAN_CHAR.findall(text))
    if letters and 2 * han < letters:
        raise SourceError(f"is not Chinese text ({han} of {letters} letters are Chinese): zhen translates Chinese "
                          f"articles; `zhen segment {path}` shows what it read", path=path)


def loose_texts(translations: Path) -> list[tuple[Path, str]]:
    """Text files directly under translations/, which no run translates, each with what to do about it."""
    translations = Path(translations)
    if not translations.is_dir():
        return []
    out = []
    for path in sorted(translations.glob("*.txt")):
        if not path.is_file():
            continue
        folder = translations / naming.article_folder(path.name)
        if _loose_source(folder, folder / CATALOG) is not None:
            hint = (f"its translation in {folder} is updated only by `zhen translate {path}`; to make it an "
                    f"article of its own, move it in as {folder / SOURCE}")
        else:
            hint = f"make it one with `mkdir {folder} && mv {path} {folder / SOURCE}`"
        out.append((path, f"a text file directly under {translations} is not an article, and `zhen translate` "
                          f"skips it; {hint}"))
    return out


def to_translate(paths: Iterable[Path], *, output: Path | None = None, root: Path,
                 follow_symlinks: bool = False) -> list[SourcedArticle]:
    """The articles ``translate`` is given: article folders and text files as ``collect``
    reads them, and folders that ``translate x.txt`` or ``-o DIR`` wrote (a catalog, no
    source inside), translated again from the source their catalog records, as
    ``translate SOURCE -o DIR`` would."""
    paths = [Path(p) for p in paths]
    for path in paths:
        refuse_non_article(path)
    if not paths or (output is not None and len(paths) > 1):
        return collect(paths, output=output, root=root, follow_symlinks=follow_symlinks)
    articles: list[SourcedArticle] = []
    for path in paths:
        if path.is_dir() and not any(path.glob(SOURCE_GLOB)) and (path / CATALOG).is_file():
            # The link policy first: a catalog that links out of its folder is never read.
            refuse_outside_links([CatalogArticle(slug="", folder=path)], None, follow_symlinks)
            folder = Path(output or path)
            article = SourcedArticle(slug=slugify(path.resolve().name), source=_recorded_source(path), folder=folder)
            articles += refuse_outside_links([article], root, follow_symlinks)
        else:
            articles += collect([path], output=output, root=root, follow_symlinks=follow_symlinks)
    return articles


def _recorded_source(folder: Path) -> Path:
    """The source a folder's catalog was translated from.

    The record is followed only to a file beside the folder (in the folder's own
    parent, where ``translate x.txt`` found it), in the folder itself (``translate
    desk/a.txt -o desk``) or in its project's translations/:
    a catalog brought from elsewhere must not make zhen read, and copy into the
    catalog, a file nobody named. Both are judged on real paths, so ``.``, ``..``
    and links in the record or in the folder's path change nothing.
    """
    from pipeline.workspace import ownership

    catalog = folder / CATALOG
    source = ownership.recorded_source(catalog) or _loose_source(folder, catalog)
    hint = (f"run `zhen translate SOURCE -o {folder}` to translate it again, or `zhen html {folder}` "
            "to rebuild its pages from the catalog")
    if source is None:
        raise SourceError(f"holds a catalog but no source, and the catalog names none; {hint}", path=folder)
    real, home = Path(os.path.realpath(source)), Path(os.path.realpath(folder))
    project = project_of(folder)
    if real.parent not in (home.parent, home) and not (project and links.inside(real, [project.translations])):
        where = f"beside or in {folder}" + (f" nor in {project.translations}" if project else "")
        named = f"{source}, a link to {real}," if os.path.islink(source) else f"{source},"
        raise SourceError(f"holds a catalog but no source, and its catalog names {named} which is not {where}; "
                          f"{hint}", path=folder)
    what = not_a_file(source)
    if what is not None:
        raise SourceError(f"holds a catalog but no source, and {source}, the source its catalog names, is {what}, "
                          f"not a text file; {hint}", path=folder)
    if not source.is_file():
        raise SourceError(f"holds a catalog but no source, and {source}, the source it was translated from, "
                          f"is gone; {hint}", path=folder)
    return source


def segments_from_catalog(catalog: polib.POFile) -> list[Segment]:
    """The article's segments as the catalog records them, for an article whose source is elsewhere.

    Live entries in line order; sentences on one source line form a paragraph.
    """
    from pipeline.catalog.notes import notes

    placed: list[tuple[int, int, str, str]] = []
    for n, entry in enumerate(catalog):
        if entry.obsolete or not entry.msgid:
            continue
        roles = notes(entry).get("role", [])
        role = roles[0] if roles and roles[0] in ROLES else "body"
        lines = [int(line) for _, line in entry.occurrences if str(line).isdigit()] or [0]
        placed += [(line, n, entry.msgid, role) for line in lines]
    placed.sort(key=lambda p: (p[0], p[1]))
    segments: list[Segment] = []
    paragraph, last = 0, None
    for line, _, text, role in placed:
        if line != last or line == 0:
            paragraph, last = paragraph + 1, line
        segments.append(Segment(id=len(segments) + 1, paragraph=paragraph, line=line, role=role, text=text))
    return segments


def catalog_paths(articles: Sequence[Article]) -> list[Path]:
    return [a.catalog for a in articles if a.catalog.is_file()]
