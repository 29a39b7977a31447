"""One error family. The CLI turns any ZhenError into one line and an exit status."""

from __future__ import annotations

import errno
import os


class ZhenError(Exception):
    """Base of every error the pipeline raises on purpose.

    ``exit_code``: 2 for bad input, 1 for failed checks (so that CI can gate
    publication on ``zhen check`` and still tell a broken file from a bad translation).
    """

    exit_code = 2

    def __init__(self, message: str, *, path: object = None, line: int | None = None):
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")

    def __reduce__(self):
        # Errors cross from worker processes to the parent: rebuilt from their parts, not their line.
        return _rebuild, (type(self), self.detail, self.path, self.line)


def _rebuild(cls: type[ZhenError], message: str, path: object, line: int | None) -> ZhenError:
    error = cls.__new__(cls)
    ZhenError.__init__(error, message, path=path, line=line)
    return error


class SourceError(ZhenError):
    """An article that cannot be read: missing, empty, binary, undecodable."""


class GlossaryError(ZhenError):
    """A glossary file with broken rows or contradictory entries."""


class ConfigError(ZhenError):
    """A config file (zhen.toml) or option value that makes no sense."""


class CatalogError(ZhenError):
    """A PO catalog that does not parse or does not belong to this pipeline."""


class EngineError(ZhenError):
    """An MT engine that cannot be loaded or fails to draft."""


class ModelError(ZhenError):
    """An Argos package that cannot be installed, found or downloaded."""


class WriteError(ZhenError):
    """An output that the operating system would not let us write (full disk, read-only, a folder)."""


def from_os_error(e: OSError) -> ZhenError:
    """An OS failure nobody wrapped closer to its cause, as one line naming its file."""
    if e.filename is None and e.errno == errno.ENOENT and _working_folder_gone():
        # Every relative path, and the search for the project, start from the working folder.
        # The shell's $PWD names it, unless it was set by a process that never went there.
        pwd = os.environ.get("PWD")
        where = pwd if pwd and not os.path.isdir(pwd) else None
        return ZhenError("the working folder no longer exists (deleted or moved); cd to one that does", path=where)
    return ZhenError(e.strerror or str(e), path=e.filename)


def _working_folder_gone() -> bool:
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    return False


class EvalSetError(ZhenError):
    """A parallel test set for ``zhen eval`` that cannot be read or holds a bad row."""


class LockError(ZhenError):
    """Another run holds the article."""


class CheckFailed(ZhenError):
    """QA found errors (exit 1, so a newsroom can gate publication on it)."""

    exit_code = 1


class TMError(ZhenError):
    """A translation-memory file (TMX) that cannot be read or imported."""
