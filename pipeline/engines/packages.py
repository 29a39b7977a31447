"""Argos Translate packages: find, validate, install, remove and download them.

Packages are installed into the directory argostranslate itself uses
(``ARGOS_PACKAGES_DIR``, else ``$XDG_DATA_HOME/argos-translate/packages``), so
packages installed by argospm or LibreTranslate are found, and ours are found
by them. argostranslate's own installer and index updater are avoided: the
first imports its translate module (and with it stanza), the second recurses
until RecursionError when offline.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import ModelError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
MAX_UNPACKED = 4 * 1024**3  # the largest real packages are a few hundred MB
MAX_RATIO = 200  # compression ratio beyond which an entry is a zip bomb
TIMEOUT = 10


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


def list_packages(directory: Path | None = None) -> list[PackageInfo]:
    directory = directory or packages_dir()
    if not directory.is_dir():
        return []
    out = []
    for child in sorted(directory.iterdir()):
        meta = child / "metadata.json"
        if child.is_dir() and not child.name.startswith(".") and meta.is_file():
            try:
                out.append(_info(child, json.loads(meta.read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                continue  # someone else's broken package is not ours to fail on
    return out


def find_package(from_code: str, to_code: str, directory: Path | None = None) -> PackageInfo | None:
    for p in list_packages(directory):
        if p.from_code == from_code and p.to_code == to_code and (p.path / "model").is_dir():
            return p
    return None


def _check_archive(zf: zipfile.ZipFile, name: str) -> tuple[str, dict]:
    """Validate a package archive without extracting; return its top folder and metadata."""
    tops: set[str] = set()
    total = 0
    for info in zf.infolist():
        p = PurePosixPath(info.filename)
        if info.filename.startswith("/") or p.is_absolute() or ".." in p.parts or "\\" in info.filename \
                or (p.parts and ":" in p.parts[0]):
            raise ModelError(f"unsafe path in archive: {info.filename!r}", path=name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ModelError(f"archive holds a link: {info.filename!r}", path=name)
        total += info.file_size
        if total > MAX_UNPACKED:
            raise ModelError(f"archive unpacks to more than {MAX_UNPACKED} bytes", path=name)
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 2**20:
            raise ModelError(f"implausible compression ratio for {info.filename!r}", path=name)
        if p.parts:
            tops.add(p.parts[0])
    if len(tops) != 1:
        raise ModelError(f"a package holds exactly one top-level folder, found {len(tops)}", path=name)
    top = tops.pop()
    names = set(zf.namelist())
    try:
        metadata = json.loads(zf.read(f"{top}/metadata.json"))
    except KeyError as e:
        raise ModelError("no metadata.json in the package", path=name) from e
    except ValueError as e:
        raise ModelError(f"metadata.json is not valid JSON: {e}", path=name) from e
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
        raise ModelError("no such file", path=archive)
    if not zipfile.is_zipfile(archive):
        raise ModelError("not an Argos package (not a zip archive)", path=archive)
    try:
        with zipfile.ZipFile(archive) as zf:
            top, metadata = _check_archive(zf, str(archive))
            if (metadata.get("from_code"), metadata.get("to_code")) != (from_code, to_code):
                raise ModelError(f"package translates {metadata.get('from_code')}→{metadata.get('to_code')}, "
                                 f"not {from_code}→{to_code}", path=archive)
            directory.mkdir(parents=True, exist_ok=True)
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
    except zipfile.BadZipFile as e:
        raise ModelError(f"corrupt archive: {e}", path=archive) from e
    except OSError as e:
        raise ModelError(f"cannot install: {e}", path=archive) from e
    return _info(directory / top, metadata)


def remove(name: str, *, directory: Path | None = None) -> PackageInfo:
    for p in list_packages(directory):
        if name in (p.name, p.label, p.path.name):
            shutil.rmtree(p.path)
            return p
    raise ModelError(f"no installed package named {name!r} (see `zhen model list`)")


def _fetch(url: str, what: str) -> bytes:
    import urllib.error  # only downloads need the HTTP stack; every run imports this module
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
            return r.read()
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        raise ModelError(f"cannot download the {what} from {url} ({reason}); offline, install a package "
                         "file instead: zhen model install FILE.argosmodel") from e


def index_url(override: str | None = None) -> str:
    url = override or os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    # argostranslate's variable names the index folder; accept both forms.
    return url if url.endswith(".json") else url.rstrip("/") + "/index.json"


def download(*, index: str | None = None, from_code: str = "zh", to_code: str = "en",
             directory: Path | None = None) -> PackageInfo:
    """Fetch the package index, pick the from→to package, download and install it."""
    url = index_url(index)
    try:
        entries = json.loads(_fetch(url, "package index"))
    except ValueError as e:
        raise ModelError(f"package index at {url} is not JSON: {e}") from e
    chosen = [e for e in entries if isinstance(e, dict) and e.get("from_code") == from_code
              and e.get("to_code") == to_code and e.get("type", "translate") == "translate"]
    if not chosen:
        raise ModelError(f"the package index at {url} lists no {from_code}→{to_code} package")
    best = max(chosen, key=lambda e: [int(x) if x.isdigit() else 0 for x in str(e.get("package_version", "0")).split(".")])
    links = best.get("links") or []
    if not links:
        raise ModelError(f"the {from_code}→{to_code} package in the index has no download link")
    data = _fetch(links[0], f"{from_code}→{to_code} package")
    with tempfile.NamedTemporaryFile(suffix=".argosmodel", delete=False) as f:
        f.write(data)
        tmp = Path(f.name)
    try:
        return install(tmp, from_code=from_code, to_code=to_code, directory=directory)
    finally:
        tmp.unlink(missing_ok=True)
