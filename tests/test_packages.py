"""Argos packages under attack: broken neighbours, archive tricks, stale leftovers, hostile servers."""

import io
import json
import random
import re
import socketserver
import threading
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.engines.argos import packages as argos_packages
from pipeline.engines.argos.download import Limits
from pipeline.errors import ModelError

TOP = "translate-zh_en-fake"
METADATA = {"package_version": "1.0", "from_code": "zh", "to_code": "en", "type": "translate"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def archive(entries=None, *, metadata=METADATA, method=zipfile.ZIP_DEFLATED) -> bytes:
    """A package-shaped zip (install checks shape, not weights); ``entries`` adds (ZipInfo|name, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as zf:
        zf.writestr(f"{TOP}/metadata.json", json.dumps(metadata) if not isinstance(metadata, bytes) else metadata)
        zf.writestr(f"{TOP}/model/model.bin", bytes(range(256)) * 64)
        zf.writestr(f"{TOP}/sentencepiece.model", b"spm")
        for name, data in entries or ():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def packages(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


def installed(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- a broken package beside ours -------------------------------------------------------------------------

BROKEN_METADATA = {
    "list": b"[1, 2]", "string": b'"translate-zh_en"', "null": b"null", "number": b"5", "bool": b"true",
    "not-json": b"{", "not-utf8": b'{"from_code": "\xff"}', "deep": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("content", BROKEN_METADATA.values(), ids=BROKEN_METADATA.keys())
def test_a_broken_third_party_package_is_skipped_with_a_warning(tmp_path, packages, content, article_dir):
    good = tmp_path / "good.argosmodel"
    good.write_bytes(archive())
    argos_packages.install(good)
    broken = packages / "someone-elses-package"
    broken.mkdir()
    (broken / "metadata.json").write_bytes(content)

    listed = invoke("model", "list", "--json")
    assert listed.exit_code == 0
    assert [json.loads(line)["path"] for line in listed.stdout.splitlines()] == [str(packages / TOP)]
    assert f"warning: {broken}: skipped this package" in listed.stderr

    (packages / TOP / "metadata.json").unlink()  # now only the broken one is left: translate falls back
    result = invoke("translate", article_dir, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr.count(f"{broken}: skipped this package") == 1
    assert "engine:dictionary" in (article_dir / "en.po").read_text(encoding="utf-8")


# --- archive tricks ----------------------------------------------------------------------------------------

def _info(name, mode):
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


def _quietly(build, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is told to write
        return build(*args)


def _encrypted(data: bytes, name: str) -> bytes:
    """Set the 'encrypted' flag of ``name`` in its local and central headers (zipfile cannot write one)."""
    data = bytearray(data)
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = 0
        while (at := data.find(signature, at)) != -1:
            if data[at + name_at:at + name_at + len(name)] == name.encode():
                data[at + flag_at] |= 0x1
            at += 4
    return bytes(data)


def _many_megabyte_entries(count):
    # The shape that slipped through a per-entry check: entries of exactly 1 MiB each.
    return [(f"{TOP}/pad/{n}.bin", bytes(2**20)) for n in range(count)]


TRICKS = {
    "absolute-path": (lambda: archive([("/etc/evil", b"x")]), "unsafe path"),
    "dot-dot": (lambda: archive([(f"{TOP}/../../evil", b"x")]), "unsafe path"),
    "backslash": (lambda: archive([(f"{TOP}\\..\\evil", b"x")]), "unsafe path"),
    "drive-letter": (lambda: archive([("C:/evil", b"x")]), "unsafe path"),
    "symlink": (lambda: archive([(_info(f"{TOP}/link", 0o120777), b"/etc/passwd")]), "link"),
    "second-top-folder": (lambda: archive([("other/file", b"x")]), "one top-level folder"),
    "duplicate-entry": (lambda: _quietly(archive, [(f"{TOP}/metadata.json", json.dumps(METADATA))]), "twice"),
    "encrypted-flag": (lambda: _encrypted(archive([(f"{TOP}/secret", b"x")]), f"{TOP}/secret"), "encrypted"),
    "one-entry-bomb": (lambda: archive([(f"{TOP}/zeros.bin", bytes(64 * 2**20))]), "compression ratio"),
    "600-entries-of-1MiB": (lambda: archive(_many_megabyte_entries(600)), "implausible compression ratio"),
    "too-many-entries": (lambda: archive([(f"{TOP}/e/{n}", b"") for n in range(1_200)]), "entries"),
    "metadata-a-list": (lambda: archive(metadata=b"[]"), "not an object"),
    "metadata-null": (lambda: archive(metadata=b"null"), "not an object"),
    "metadata-deep": (lambda: archive(metadata=b"[" * 20_000), "not valid JSON"),
    "wrong-language": (lambda: archive(metadata={**METADATA, "to_code": "fr"}), "zh→fr"),
    "no-model": (lambda: _without("model.bin"), "no CTranslate2 model"),
    "truncated": (lambda: archive()[:300], "not an Argos package"),
    "not-a-zip": (lambda: b"<html>404</html>", "not an Argos package"),
    "bzip2-wrong-crc": (lambda: _corrupt_crc(), "corrupt archive"),
}


def _without(name):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if not item.filename.endswith(name):
                dst.writestr(item, src.read(item))
    return out.getvalue()


def _corrupt_crc():
    data = bytearray(archive(method=zipfile.ZIP_STORED))
    at = data.index(b"spm")  # the stored tokenizer's bytes: flip one, and its CRC no longer matches
    data[at] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize("name", TRICKS)
def test_archive_tricks_are_refused_before_anything_is_written(tmp_path, packages, name):
    build, message = TRICKS[name]
    path = tmp_path / f"{name}.argosmodel"
    path.write_bytes(build())
    with pytest.raises(ModelError, match=message):
        argos_packages.install(path)
    assert [p for p in installed(packages) if p != ".zhen-install.lock"] == []
    assert not (tmp_path / "evil").exists() and not Path("/etc/evil").exists()


def test_a_clean_archive_of_the_same_shape_installs(tmp_path, packages):
    """The control for the matrix above: its refusals come from the tricks, not the shape."""
    path = tmp_path / "clean.argosmodel"
    weights = random.Random(0).randbytes(2**20)  # like real weights: barely compressible
    path.write_bytes(archive([(f"{TOP}/pad/{n}.bin", weights) for n in range(3)]))
    info = argos_packages.install(path)
    assert info.path == packages / TOP and (packages / TOP / "model" / "model.bin").is_file()


def test_the_whole_archive_ratio_is_checked_not_only_each_entry(tmp_path, packages):
    limits = argos_packages.ArchiveLimits(max_ratio=100, ratio_floor=64 * 1024)
    # 40 entries of 60 KiB zeros: each under the floor, together 2.4 MB from about 10 KB.
    data = archive([(f"{TOP}/pad/{n}", bytes(60 * 1024)) for n in range(40)])
    with zipfile.ZipFile(io.BytesIO(data)) as zf, pytest.raises(ModelError, match="zip bomb"):
        argos_packages._check_archive(zf, "x", len(data), limits)
    with zipfile.ZipFile(io.BytesIO(data)) as zf, pytest.raises(ModelError, match="more than 1000000 bytes"):
        argos_packages._check_archive(zf, "x", len(data), argos_packages.ArchiveLimits(max_unpacked=1_000_000, max_ratio=1e9))


# --- what killed installs leave behind ----------------------------------------------------------------------

def test_a_killed_install_s_leftovers_are_swept_by_the_next_install(tmp_path, packages):
    packages.mkdir()
    # A kill mid-install leaves a staging folder, and may leave the previous install
    # moved aside before the new one took its name.
    for stale in (".install-k1lled", f".old-{TOP}-4242", ".old-translate-zh_en-other-4243"):
        (packages / stale / "model").mkdir(parents=True)
        (packages / stale / "model" / "model.bin").write_bytes(bytes(4096))
    someone = packages / ".cache"  # not ours: left alone
    someone.mkdir()
    path = tmp_path / "clean.argosmodel"
    path.write_bytes(archive())
    argos_packages.install(path)
    # The moved-aside install whose name is free again is put back, never deleted.
    assert installed(packages) == [".cache", ".zhen-install.lock", TOP, "translate-zh_en-other"]
    assert (packages / "translate-zh_en-other" / "model" / "model.bin").stat().st_size == 4096
    assert (packages / TOP / "metadata.json").is_file()


def test_an_install_while_another_holds_the_folder_is_refused_and_sweeps_nothing(tmp_path, packages):
    from pipeline.workspace.files import exclusive_lock

    packages.mkdir()
    (packages / ".install-inprogress").mkdir()
    path = tmp_path / "clean.argosmodel"
    path.write_bytes(archive())
    with exclusive_lock(packages / ".zhen-install.lock", RuntimeError("held")):
        with pytest.raises(ModelError, match="another zhen model install is running"):
            argos_packages.install(path)
    assert (packages / ".install-inprogress").is_dir()


# --- hostile servers ----------------------------------------------------------------------------------------

class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(behaviours):
    """A loopback HTTP server; ``behaviours`` maps a path to a function writing the raw response."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            request = self.rfile.readline().decode("latin-1").split()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            behaviour = behaviours.get(request[1] if len(request) > 1 else "", _not_found)
            try:
                behaviour(self.wfile, port)
            except OSError:
                pass  # the client hung up, as it should

    server = Server(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"


def _not_found(w, port):
    w.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def body(payload: bytes, *, headers=b""):
    def send(w, port):
        data = payload.replace(b"PORT", str(port).encode())
        w.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n%s\r\n" % (len(data), headers) + data)
    return send


def index_of(links):
    return body(json.dumps([{**METADATA, "links": links}]).encode())


def drip(head: bytes, unit: bytes):
    """Send ``head``, then ``unit`` every 0.2 s for ever: each read is quick, the whole never ends."""
    def send(w, port):
        w.write(head)
        while True:
            w.write(unit)
            w.flush()
            time.sleep(0.2)
    return send


drip_body = drip(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n", b"[")
drip_headers = drip(b"HTTP/1.1 200 OK\r\n", b"X-Slow: 1\r\n")


def endless(w, port):
    w.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")  # no length: the body ends when the peer closes
    chunk = b"[" * 65536
    while True:
        w.write(chunk)


def endless_chunked(w, port):
    w.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"10000\r\n" + b"0" * 65536 + b"\r\n"
    while True:
        w.write(chunk)


def declared_huge(w, port):
    w.write(b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n")
    time.sleep(60)  # refused on the header: no byte of the body is waited for


def silent(w, port):
    time.sleep(60)


def short(w, port):
    w.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n[1, 2")


def redirect(target):
    def send(w, port):
        location = target.replace("PORT", str(port))
        w.write(b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % location.encode())
    return send


def hang_up(w, port):
    pass  # closes the connection without a response


PKG = "http://127.0.0.1:PORT/pkg"
HOSTILE_INDEXES = {
    "null": (body(b"null"), "not a list of packages"),
    "number": (body(b"5"), "not a list of packages"),
    "string": (body(b'"index"'), "not a list of packages"),
    "object": (body(json.dumps({"links": [PKG]}).encode()), "not a list of packages"),
    "links-a-dict": (index_of({"url": PKG}), "no list of download links"),
    "links-a-string": (index_of(PKG), "no list of download links"),
    "links-empty": (index_of([]), "no list of download links"),
    "link-a-number": (index_of([5]), "is not an http"),
    "link-file-scheme": (index_of(["file:///etc/passwd"]), "is not an http"),
    "link-ftp": (index_of(["ftp://127.0.0.1/x"]), "is not an http"),
    "no-zh-en": (body(json.dumps([{**METADATA, "to_code": "fr", "links": [PKG]}]).encode()), "lists no zh→en"),
    "entries-not-objects": (body(b"[1, null, \"x\", []]"), "lists no zh→en"),
    "not-json": (body(b"<html>hello</html>"), "is not JSON"),
    "not-utf8": (body(b"\xff\xfe["), "is not JSON"),
    "deeply-nested": (body(b"[" * 200_000), "is not JSON"),
    "declared-huge": (declared_huge, "99999999999 bytes, over the 1048576-byte limit"),
    "endless": (endless, "over the 1048576-byte limit"),
    "endless-chunked": (endless_chunked, "over the 1048576-byte limit"),
    "drip-body": (drip_body, "did not arrive within 1.5 s"),
    "drip-headers": (drip_headers, "did not arrive within 1.5 s"),
    "silent": (silent, "cannot download|did not arrive"),
    "short-body": (short, "cannot download|ended after"),
    "hang-up": (hang_up, "cannot download"),
    "404": (_not_found, "cannot download.*404"),
    "redirect-loop": (redirect("http://127.0.0.1:PORT/index.json"), "cannot download.*redirect"),
    "redirect-to-file": (redirect("file:///etc/passwd"), "file:///etc/passwd' is not"),
}
LIMITS = Limits(deadline=1.5, max_bytes=2**20, stall=1)


def download_bounded(url, directory):
    """Run a download in a thread and give it 30 s: a hang is a failure, not a stuck test run."""
    outcome = {}

    def target():
        try:
            outcome["info"] = argos_packages.download(index=url, directory=directory, index_limits=LIMITS,
                                              package_limits=LIMITS)
        except Exception as e:  # noqa: BLE001 - the test inspects whatever came out
            outcome["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "download still running after 30 s"
    return outcome


HOSTILE_PACKAGES = {
    "endless": (endless, "over the 1048576-byte limit"),
    "drip-body": (drip_body, "did not arrive within 1.5 s"),
    "drip-headers": (drip_headers, "did not arrive within 1.5 s"),
    "silent": (silent, "cannot download|did not arrive"),
    "short-body": (short, "cannot download|ended after"),
    "html-page": (body(b"<html>Not found</html>"), "not an Argos package"),
    "zip-bomb": (body(archive(_many_megabyte_entries(600))), "implausible compression ratio"),
    "redirect-to-file": (redirect("file:///etc/passwd"), "file:///etc/passwd' is not"),
}


HOSTILE = {**{f"index-{k}": ("/index.json", v) for k, v in HOSTILE_INDEXES.items()},
           **{f"package-{k}": ("/pkg", v) for k, v in HOSTILE_PACKAGES.items()}}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_server_ends_in_one_bounded_error(tmp_path, name):
    path, (behaviour, message) = HOSTILE[name]
    server, base = serve({"/index.json": index_of([PKG]), path: behaviour})
    try:
        outcome = download_bounded(f"{base}/index.json", tmp_path / "packages")
    finally:
        server.shutdown()
    assert isinstance(outcome.get("error"), ModelError), outcome
    assert re.search(message, str(outcome["error"])), outcome["error"]
    assert [p for p in installed(tmp_path / "packages") if p != ".zhen-install.lock"] == []


def test_a_good_server_behind_a_redirect_still_installs(tmp_path):
    server, base = serve({"/index.json": redirect("http://127.0.0.1:PORT/real.json"),
                          "/real.json": index_of(["http://127.0.0.1:PORT/moved"]),
                          "/moved": redirect(PKG), "/pkg": body(archive())})
    try:
        outcome = download_bounded(f"{base}/index.json", tmp_path / "packages")
    finally:
        server.shutdown()
    assert outcome.get("info") is not None, outcome
    assert (tmp_path / "packages" / TOP / "metadata.json").is_file()


def test_a_hostile_index_through_the_cli_is_one_line_and_exit_2(packages):
    server, base = serve({"/index.json": body(b"null")})
    try:
        result = invoke("model", "download", "--index", f"{base}/index.json")
    finally:
        server.shutdown()
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: the package index at {base}/index.json is not a list of packages (it is JSON NoneType)"]
