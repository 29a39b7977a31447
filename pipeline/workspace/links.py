"""Symbolic links that would carry a run outside its folders.

An article folder or glossary folder may come from anywhere (an archive, a
shared drive, a colleague's repository). A source that links to
``/etc/passwd`` would be drafted and its contents published in the catalog, the
English text and the page; a page that links to ``~/.bashrc`` would have it
overwritten. So, unless the user asks for links to be followed, a source must
resolve inside its article folder or the translations root, every file zhen
writes in an article folder must resolve inside that folder, and a glossary
file found in a folder must resolve inside that folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import GlossaryError, SourceError
from pipeline.workspace.layout import OUTPUTS

HINT = "pass --follow-symlinks to allow it"


def inside(path: Path, folders: Iterable[Path]) -> bool:
    """Does ``path``, links resolved, lie in one of ``folders`` (links resolved too)?"""
    real = Path(os.path.realpath(path))
    return any(real == f or f in real.parents for f in (Path(os.path.realpath(folder)) for folder in folders))


def check_article(source: Path, folder: Path, *, root: Path) -> None:
    """Refuse a source or an output whose links lead out of the article (see the module docstring)."""
    if not inside(source, (source.parent, folder, root)):
        raise SourceError(f"is a link to {os.path.realpath(source)}, outside the article folder and "
                          f"{root}; {HINT}", path=source)
    for name in OUTPUTS:
        output = folder / name
        if output.is_symlink() and not inside(output, (folder,)):
            raise SourceError(f"is a link to {os.path.realpath(output)}, outside the article folder; zhen "
                              f"would write there; {HINT}", path=output)


def check_glossary(files: Iterable[Path], folder: Path) -> list[Path]:
    """``files`` found in ``folder``, refusing one that links out of it."""
    files = list(files)
    for path in files:
        if not inside(path, (folder,)):
            raise GlossaryError(f"is a link to {os.path.realpath(path)}, outside the glossary folder; {HINT}",
                                path=path)
    return files
