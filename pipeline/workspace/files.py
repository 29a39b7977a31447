"""File I/O at the edges: where named files are, atomic writes, backups and per-article locks."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import LockError, WriteError, ZhenError
from pipeline.workspace.layout import BACKUP, LOCK



def member(name: str, *, of: str) -> property:
    """A read-only property: the path ``name`` in the folder an object keeps in its attribute ``of``
    (an article's outputs in its folder, a project's glossary in its root)."""
    return property(lambda self: getattr(self, of) / name, doc=f"{name} in the object's {of}")


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def not_a_file(path: Path) -> str | None:
    """What ``path`` (links followed) is when it exists but is not a regular file ("a named pipe
    (FIFO)", "a folder"...); None for a regular file or nothing. Decided by stat alone: opening
    a FIFO waits for a writer, and reading a device may never end."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, *, max_bytes: int, error: type[ZhenError], what: str = "a file") -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them, or ``error`` in one line.

    Every command that reads a file named from outside reads it through here: a named
    pipe would wait for a writer forever, ``/dev/zero`` (through a link) would fill the
    memory, a folder or a link to nothing would end in a traceback. The file is opened
    without blocking and judged by what was opened, so nothing swapped in after a check
    gets read.
    """
    path = Path(path)
    if not os.path.exists(path):
        raise error("a link to nothing" if os.path.islink(path) else "no such file", path=path)
    kind = not_a_file(path)
    if kind is not None:
        raise error(f"is {kind}, not {what}", path=path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise error(f"cannot read: {e.strerror or e}", path=path) from e
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error(f"is {not_a_file(path) or 'not a regular file'}, not {what}", path=path)
        if st.st_size > max_bytes:
            raise error(f"{st.st_size:,} bytes is over the {max_bytes:,}-byte limit; split it", path=path)
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise error(f"cannot read: {e.strerror or e}", path=path) from e
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # it grew while being read
        raise error(f"over the {max_bytes:,}-byte limit; split it", path=path)
    return data


def write_atomic(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``.

    A crash at any moment leaves either the old file or the new one. A link is
    written through (the file it names is replaced, the link kept); a device or a
    pipe (``-o /dev/stdout``) is written to directly, as renaming over it would
    replace the device node. Any OS failure (a full disk, a read-only file
    system, a folder where the file should be) is a WriteError naming the file,
    and leaves the old file as it was.
    """
    path = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        target = Path(os.path.realpath(path)) if path.is_symlink() else path
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        if target.exists() and not target.is_file():
            with open(target, "wb") as f:
                f.write(payload)
            return
        _replace(target, payload)
    except OSError as e:
        raise WriteError(f"cannot write: {e.strerror or e}", path=path) from e


def _replace(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_if_changed(path: Path, text: str) -> bool:
    """Atomically write ``text`` unless the file already holds exactly it."""
    path = Path(path)
    data = text.encode("utf-8")
    with contextlib.suppress(OSError):  # unreadable or not a file: write_atomic says why
        if path.is_file() and path.read_bytes() == data:
            return False
    write_atomic(path, data)
    return True


def backup(path: Path) -> Path | None:
    """Keep the previous version as ``NAME~`` (replaced by the next successful run)."""
    path = Path(path)
    if not path.exists():
        return None
    target = path.with_name(path.name + BACKUP)
    write_atomic(target, path.read_bytes())
    return target


def _missing_folders(folder: Path) -> list[Path]:
    """The folder and those of its parents that do not exist yet, innermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


@contextlib.contextmanager
def article_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on an article folder for the whole run.

    The holder removes the lock file when it is done, and then the folders it
    created if they are empty, so a failed run leaves nothing behind. A run that
    opened the file just before it went checks, once locked, that the path
    still leads to the file it locked.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise LockError("is a file, not an article folder", path=folder)
    created = _missing_folders(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock_path = folder / LOCK
    locked = False
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise LockError("another zhen run is working on this article; try again when it ends",
                                path=folder) from e
            raise
        if os.fstat(fd).st_ino != _inode(lock_path):
            # The run we waited for removed the lock file as we opened it: a new one may be held now.
            raise LockError("another zhen run is working on this article; try again when it ends", path=folder)
        locked = True
        # Holding the lock, no other run writes here: temporary files are what a
        # killed run left behind.
        for stale in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
        yield
    finally:
        with contextlib.suppress(OSError):
            if locked and os.fstat(fd).st_ino == _inode(lock_path):
                lock_path.unlink()  # while still holding it: whoever opened it before now fails the check above
            for made in created:
                made.rmdir()  # stops at the first folder that is not empty
        os.close(fd)


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, busy: Exception) -> Iterator[None]:
    """Hold ``lock_path`` exclusively for the block; raise ``busy`` when another process holds it."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise busy from e
        yield
    finally:
        os.close(fd)
