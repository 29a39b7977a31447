"""Where the project is: the folder with ``zhen.toml``, or with ``glossary/`` and
``translations/``, found by walking up from a path as git finds its repository.

Commands can then be run from any folder inside the project, on any path in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ZhenError
from pipeline.files import member

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


def project_of(path: Path) -> Project | None:
    """The project holding ``path`` (a file or folder, existing or not), or None."""
    here = Path(path).absolute()
    for folder in (here, *here.parents):
        if folder.is_dir() and is_project(folder):
            return Project(folder)
    return None


def find_project(paths: Iterable[Path] = (), *, cwd: Path | None = None, need: str = "") -> Project:
    """The project of the first path given, else of the working folder.

    With ``need`` ("glossary" or "translations"), a project lacking that folder
    gives way to the working folder's (a zhen.toml kept beside some articles
    only for its settings); the first project found is returned if neither has it.
    """
    cwd = Path.cwd() if cwd is None else cwd
    starts = [*list(paths)[:1], cwd]
    found = [p for p in dict.fromkeys(project_of(s) for s in starts) if p is not None]
    for project in found:
        if not need or getattr(project, need).exists():
            return project
    if found:
        return found[0]
    where = " or ".join(dict.fromkeys(str(Path(s).absolute()) for s in starts))
    raise NoProject(f"not inside a zhen project: no {CONFIG}, nor {GLOSSARY}/ and {TRANSLATIONS}/, in {where} "
                    f"or any folder above it (run zhen from the project, or give --glossary)")
