"""Whose settings a run obeys: a project (its folder or its zhen.toml) that another
user owns is not used unless the user has marked it safe, as git does with
``safe.directory``.

A ``zhen.toml`` planted in a folder above an inbox would otherwise choose the
server an article is sent to and the environment variable whose key goes with
it. The user marks projects safe in their own settings file,

    # ~/.config/zhen/config.toml   ($XDG_CONFIG_HOME/zhen/config.toml)
    safe_directories = ["/srv/desk", "/srv/shared/*"]   # "*" alone: every project

or in ``ZHEN_SAFE_DIRECTORIES`` (folders separated by ``:``). A user settings
file that another user owns is not read either.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from pipeline.errors import ConfigError

ENVIRONMENT = "ZHEN_SAFE_DIRECTORIES"
HINT = (f"mark it safe in ~/.config/zhen/config.toml (safe_directories = [\"FOLDER\"]) or in {ENVIRONMENT}, "
        "if you trust whoever owns it")


class UntrustedProject(ConfigError):
    """A project that another user owns and the user has not marked safe."""


def current_user() -> int:
    return os.geteuid()


def owner(path: Path) -> int | None:
    """The owner of ``path`` (links followed), or None when it is not there."""
    try:
        return os.stat(path).st_uid
    except (OSError, ValueError):
        return None


def user_config(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    home = environ.get("XDG_CONFIG_HOME") or os.path.join(environ.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(home) / "zhen" / "config.toml"


def safe_directories(*, uid: int | None = None, environ: Mapping[str, str] | None = None) -> list[str]:
    """The folders the user marked safe: the environment's, then their own settings file's."""
    environ = os.environ if environ is None else environ
    uid = current_user() if uid is None else uid
    found = [p for p in environ.get(ENVIRONMENT, "").split(os.pathsep) if p.strip()]
    path = user_config(environ)
    if owner(path) != uid or not path.is_file():
        return found  # absent, or someone else's: marking safe is the user's own decision
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"cannot read: {e}", path=path) from e
    listed = data.get("safe_directories", [])
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        raise ConfigError("safe_directories must be a list of folders, such as [\"/srv/desk\"] or [\"*\"]", path=path)
    return found + listed


def _marked(folder: Path, safe: list[str]) -> bool:
    real = os.path.realpath(folder)
    for entry in safe:
        entry = entry.strip()
        if entry == "*":
            return True
        if entry.endswith("/*"):
            top = os.path.realpath(os.path.expanduser(entry[:-2]))
            if real == top or real.startswith(top.rstrip(os.sep) + os.sep):
                return True
        elif real == os.path.realpath(os.path.expanduser(entry)):
            return True
    return False


def foreign(paths, *, uid: int | None = None) -> tuple[Path, int] | None:
    """The first of ``paths`` that another user owns, with its owner; None when the user owns them all."""
    uid = current_user() if uid is None else uid
    for path in paths:
        found = owner(path)
        if found is not None and found != uid:
            return Path(path), found
    return None


def check_project(root: Path, config: Path, *, uid: int | None = None,
                  environ: Mapping[str, str] | None = None) -> None:
    """Refuse the project at ``root`` when another user owns it or its zhen.toml and it is not marked safe."""
    other = foreign((config, root), uid=uid)
    if other is None or _marked(root, safe_directories(uid=uid, environ=environ)):
        return
    path, by = other
    raise UntrustedProject(f"owned by another user (uid {by}); zhen does not use another user's project or "
                           f"settings: {HINT}", path=path)


def check_settings(path: Path, *, uid: int | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """May the settings file ``path`` be used (refused: UntrustedProject)? True when the user owns it,
    False when another user does and its folder is marked safe (then it may not name a key)."""
    other = foreign((path,), uid=uid)
    if other is None:
        return True
    if _marked(Path(os.path.abspath(path)).parent, safe_directories(uid=uid, environ=environ)):
        return False
    raise UntrustedProject(f"owned by another user (uid {other[1]}); zhen does not take settings from another "
                           f"user's file: {HINT}", path=path)
