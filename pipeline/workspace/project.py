"""Where the project is: the folder with ``zhen.toml``, or with ``glossary/`` and
``translations/``, found by walking up from a path as git finds its repository.

Commands can then be run from any folder inside the project, on any path in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ZhenError
from pipeline.workspace import trust
from pipeline.workspace.files import member

CONFIG = "zhen.toml"
GLOSSARY = "glossary"
TRANSLATIONS = "translations"


@dataclass(frozen=True)
class Project:
    root: Path

    config = member(CONFIG, of="root")
    glossary = member(GLOSSARY, of="root")
    translations = member(TRANSLATIONS, of="root")


class NoProject(ZhenError):
    """No folder holding zhen.toml, or glossary/ and translations/, at or above a path."""


def is_project(folder: Path) -> bool:
    return (folder / CONFIG).is_file() or ((folder / GLOSSARY).exists() and (folder / TRANSLATIONS).is_dir())


def project_of(path: Path, *, uid: int | None = None, environ: Mapping[str, str] | None = None) -> Project | None:
    """The project holding ``path`` (a file or folder, existing or not), or None.

    The nearest folder that is a project, unless it lies inside an outer
    project's translations/: an article folder holding a zhen.toml (or a copied
    project among the articles) is one of that project's articles, so the
    glossary, settings, memory and articles of a run are the outer project's
    whichever path or working folder names it.

    A project that another user owns, unless marked safe, is refused
    (``trust.UntrustedProject``): its settings would choose where articles go.
    """
    here = Path(os.path.abspath(path))
    found: Path | None = None
    for folder in (here, *here.parents):
        if folder.is_dir() and is_project(folder) and (found is None or _within(found, folder / TRANSLATIONS)):
            found = folder
    if found is None:
        return None
    trust.check_project(found, found / CONFIG, uid=uid, environ=environ)
    return Project(found)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def unread_settings(project: Project | None, folders: Iterable[Path]) -> list[Path]:
    """The zhen.toml files in or above ``folders`` inside the project's translations/: never read
    (see ``project_of``), so a run says so rather than ignoring them silently."""
    if project is None:
        return []
    top = Path(os.path.abspath(project.translations))
    found: dict[Path, None] = {}
    for folder in map(os.path.abspath, folders):
        for here in (Path(folder), *Path(folder).parents):
            if not _within(here, top):
                break
            if (here / CONFIG).is_file():
                found[here / CONFIG] = None
    return list(found)


def project_for(paths: Iterable[Path] = (), *, cwd: Path | None = None) -> Project | None:
    """The project of the first path given, else of the working folder; None outside every project."""
    paths = list(paths)[:1]
    return (project_of(paths[0]) if paths else None) or project_of(Path.cwd() if cwd is None else cwd)


def find_project(paths: Iterable[Path] = (), *, cwd: Path | None = None, need: str = "") -> Project:
    """``project_for``, where a project is required.

    With ``need`` ("glossary"), a project lacking that folder (a zhen.toml kept
    beside some articles only for its settings) gives way to the working folder's;
    the first project found is returned if neither has it.
    """
    starts = [*list(paths)[:1], Path.cwd() if cwd is None else cwd]
    found = [p for p in dict.fromkeys(project_of(s) for s in starts) if p is not None]
    for project in found:
        if not need or getattr(project, need).exists():
            return project
    if found:
        return found[0]
    where = " or ".join(dict.fromkeys(os.path.abspath(s) for s in starts))
    hint = "run zhen from the project, or give --glossary" if need == "glossary" else "run zhen from the project"
    raise NoProject(f"not inside a zhen project: no {CONFIG}, nor {GLOSSARY}/ and {TRANSLATIONS}/, in {where} "
                    f"or any folder above it ({hint})")
