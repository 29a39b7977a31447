"""Kill `zhen translate` with SIGKILL just before and just after each file it
renames into place: every catalog must still parse strictly and hold every
reviewed line; every page and text must be whole."""

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys

import polib
import pytest

from pipeline.catalog import po
from tests.conftest import GLOSSARY_DIR, ROOT, SAMPLE

SAMPLE_BYTES = SAMPLE.read_bytes()

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def run_zhen(folder, glossary):
    cmd = [sys.executable, "-m", "pipeline", "translate", str(folder), "--engine", "dictionary",
           "--glossary", str(glossary)]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, timeout=300)
    assert proc.returncode == 0, proc.stderr


def run_killed(folder, glossary, n, when, log):
    """Run zhen and SIGKILL it just `when` ("before"/"after") its nth rename into `folder`."""
    cmd = [sys.executable, "-m", "tests.kill_at", str(folder), str(n), when, str(log), "--",
           "translate", str(folder), "--engine", "dictionary", "--glossary", str(glossary)]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV, timeout=300)
    steps = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    killed = any(s.startswith("killed ") for s in steps)
    assert proc.returncode == (-signal.SIGKILL if killed else 0), proc.stderr
    return steps, killed


def whole(folder, reviewed):
    catalog = po.read_catalog(folder / "en.po")  # strict: raises on a torn file
    live = {e.msgid: e for e in catalog if not e.obsolete}
    for msgid, text in reviewed.items():
        assert live[msgid].msgstr == text and "fuzzy" not in live[msgid].flags
    assert (folder / "en.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (folder / "en.txt").read_text(encoding="utf-8").endswith("\n")


def test_sigkill_at_every_rename_loses_nothing(article_dir, tmp_path):
    # Two glossaries that render the article's campaign differently: each run has
    # a new signature and new drafts, so it rewrites the catalog, the text and the page.
    glossaries = [tmp_path / "g1", tmp_path / "g2"]
    for g in glossaries:
        shutil.copytree(GLOSSARY_DIR, g)
    table = glossaries[1] / "tianjin.tsv"
    text = table.read_text(encoding="utf-8")
    assert "\tStrive for Excellence campaign\t" in text
    table.write_text(text.replace("\tStrive for Excellence campaign\t", "\tExcellence Drive\t"), encoding="utf-8")

    run_zhen(article_dir, glossaries[0])
    catalog = polib.pofile(str(article_dir / "en.po"))
    reviewed = {}
    for entry in list(catalog)[::3]:
        entry.msgstr, entry.flags = f"Reviewed: {entry.msgid[:10]}", []
        reviewed[entry.msgid] = entry.msgstr
    catalog.save(str(article_dir / "en.po"))
    run_zhen(article_dir, glossaries[1])
    whole(article_dir, reviewed)

    kills = []
    current = 1  # the catalog reflects glossaries[1]
    # Kill at the 1st, 2nd, ... rename until a run finishes before its nth:
    # every moment between two writes is then covered once.
    for n in range(1, 20):
        finished = False
        for when in ("before", "after"):
            # Always the other glossary, so that every run has a catalog to rewrite.
            before = (article_dir / "en.po").read_bytes()
            steps, killed = run_killed(article_dir, glossaries[1 - current], n, when, tmp_path / f"{n}-{when}.log")
            whole(article_dir, reviewed)
            replaced = (article_dir / "en.po").read_bytes() != before
            assert replaced == ("replaced en.po" in steps), steps
            current = 1 - current if replaced else current
            if killed:
                kills.append((steps[-1], "new" if replaced else "old"))
            finished = finished or not killed
        if finished:
            break
    else:
        raise AssertionError(f"a run renamed more than 19 files: {kills}")
    # The kills span the run's writes: before and after the catalog is replaced,
    # and around each of the text, the page and the backup.
    assert ("killed before en.po", "old") in kills and ("killed after en.po", "new") in kills, kills
    assert {"en.po~", "en.txt", "en.html"} <= {step.rsplit(" ", 1)[1] for step, _ in kills}, kills
    run_zhen(article_dir, glossaries[0])
    whole(article_dir, reviewed)
    assert not list(article_dir.glob(".*.tmp")), "a finished run sweeps what killed runs left"


def test_a_second_run_on_a_locked_article_stops_with_one_line(article_dir):
    from pipeline.workspace.files import article_lock

    with article_lock(article_dir):  # a first run is working on the article
        proc = subprocess.run([sys.executable, "-m", "pipeline", "translate", str(article_dir), "--engine",
                               "dictionary"], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: {article_dir}: another zhen run is working on this article; try again when it ends"]
    assert not (article_dir / "en.po").exists()


def test_the_previous_catalog_is_kept_as_a_backup(article_dir, tmp_path):
    run_zhen(article_dir, GLOSSARY_DIR)
    first = (article_dir / "en.po").read_bytes()
    assert not (article_dir / "en.po~").exists()  # nothing to back up on a first run
    grown = tmp_path / "g"
    shutil.copytree(GLOSSARY_DIR, grown)
    with open(grown / "tianjin.tsv", "a", encoding="utf-8") as f:
        f.write("測試術語\t\ttest term\t\t\tword\tA term only this glossary has.\tzhen tests\n")
    run_zhen(article_dir, grown)  # new signature: the catalog changes
    assert (article_dir / "en.po~").read_bytes() == first
    second = (article_dir / "en.po").read_bytes()
    assert second != first
    run_zhen(article_dir, grown)  # nothing changes: the backup stays the previous version
    assert (article_dir / "en.po~").read_bytes() == first and (article_dir / "en.po").read_bytes() == second


def test_failed_runs_leave_no_folders_or_locks_behind(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("創新。\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    for command in (["translate", tmp_path / "empty.txt"],
                    ["translate", tmp_path / "empty.txt", "-o", tmp_path / "new" / "deeper" / "out"]):
        proc = subprocess.run([sys.executable, "-m", "pipeline", *map(str, command), "--engine", "dictionary"],
                              cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.returncode == 2 and "empty file" in proc.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == before
    # A folder that was there already stays, and holds what it held.
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "notes.md").write_text("mine", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "translate", str(tmp_path / "empty.txt"), "-o",
                           str(tmp_path / "kept"), "--engine", "dictionary"], cwd=ROOT, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2
    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == ["notes.md"]


# --- the operating system says no ---------------------------------------------------------------------------

def _invoke(*args):
    from click.testing import CliRunner

    from pipeline.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _reviewed_article(article_dir):
    """An article whose catalog holds a reviewed line and needs rewriting on the next run."""
    assert _invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0
    catalog = polib.pofile(str(article_dir / "en.po"))
    catalog[3].msgstr, catalog[3].flags = "A line a reviewer wrote.", []
    catalog.save(str(article_dir / "en.po"))  # polib's layout: the next run rewrites the file
    return (article_dir / "en.po").read_bytes()


class _FailingFile:
    def __init__(self, real, err):
        self.real, self.err = real, err

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()

    def write(self, data):
        raise OSError(self.err, os.strerror(self.err))

    def __getattr__(self, name):
        return getattr(self.real, name)


def _fail(err):
    def raiser(*args, **kwargs):
        raise OSError(err, os.strerror(err))
    return raiser


# Where a write can fail, and with what: each must be one line naming the file, exit 2,
# the previous catalog byte for byte, and no temporary file left behind.
OS_FAULTS = {
    "read-only-fs-at-create": ("tempfile.mkstemp", errno.EROFS),
    "disk-full-at-write": ("os.fdopen", errno.ENOSPC),
    "quota-at-fsync": ("os.fsync", errno.EDQUOT),
    "io-error-at-fsync": ("os.fsync", errno.EIO),
    "permission-at-rename": ("os.replace", errno.EACCES),
}


@pytest.mark.parametrize("name", OS_FAULTS)
def test_an_os_failure_while_writing_is_one_line_exit_2_and_loses_nothing(article_dir, monkeypatch, name):
    import pipeline.workspace.files

    target, err = OS_FAULTS[name]
    before = _reviewed_article(article_dir)
    module, func = target.split(".")
    owner = getattr(pipeline.workspace.files, module)
    real = getattr(owner, func)
    faulty = (lambda fd, mode: _FailingFile(real(fd, mode), err)) if func == "fdopen" else _fail(err)
    monkeypatch.setattr(owner, func, faulty)
    result = _invoke("translate", article_dir, "--engine", "dictionary")
    monkeypatch.setattr(owner, func, real)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [f"error: {article_dir / 'en.po~'}: cannot write: {os.strerror(err)}"]
    assert (article_dir / "en.po").read_bytes() == before
    assert not list(article_dir.glob(".*.tmp"))
    assert _invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0  # and it recovers
    assert "A line a reviewer wrote." in (article_dir / "en.po").read_text(encoding="utf-8")


def test_a_full_disk_is_one_line_and_exit_2(article_dir, tmp_path):
    """/dev/full fails every write with ENOSPC: a real full disk, no injection. It is reached
    through a link, so that code which replaced the file instead of writing to it would
    replace the link, never the device node."""
    full = tmp_path / "full"
    full.symlink_to("/dev/full")
    assert _invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0
    for args in (("glossary", "export", "--format", "csv"), ("export", "text", article_dir), ("export", "tmx")):
        result = _invoke(*args, "-o", full)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.strip().splitlines() == [f"error: {full}: cannot write: No space left on device"]
    assert full.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("name", ["en.po", "en.txt", "en.html", ".zhen.state", ".zhen.lock"])
def test_an_output_that_is_a_folder_is_one_line_and_exit_2(article_dir, name):
    (article_dir / name).mkdir()
    result = _invoke("translate", article_dir, "--engine", "dictionary")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {article_dir / name}: ") and "Traceback" not in result.output
    assert (article_dir / "source.zh.txt").read_bytes() == SAMPLE_BYTES


@pytest.mark.parametrize("args, message", [
    (("glossary", "export"), "cannot write: is a folder, not a file"),
    (("export", "tmx"), "cannot write: is a folder, not a file"),
    (("glossary", "import", "FILE"), "is a folder; give the TSV file to write"),
])
def test_a_command_output_that_is_a_folder_is_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "out").mkdir()
    source = tmp_path / "g.csv"
    source.write_text("term,variants,english,avoid,kind,note,source\n創新,,innovation,,word,A word.,tests\n",
                      encoding="utf-8")
    result = _invoke(*[source if a == "FILE" else a for a in args], "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / 'out'}: {message}"]
    assert list((tmp_path / "out").iterdir()) == []


# --- hostile input through `zhen translate`, one of each class ---------------------------------------------

def _link_out(name):
    def setup(d, outside):
        (d / name).unlink(missing_ok=True)
        (d / name).symlink_to(outside / "secret.txt")
        return d / name, "is a link to"
    return setup


def _glossary_row(data: bytes, line: int, message: str):
    def setup(d, outside):
        g = outside / "g.tsv"
        g.write_bytes((GLOSSARY_DIR / "tianjin.tsv").read_bytes() + data)
        return g, message.replace("LINE", str(line))
    return setup


_ROWS = len((GLOSSARY_DIR / "tianjin.tsv").read_bytes().splitlines())
HOSTILE = {
    "source-linked-outside": _link_out("source.zh.txt"),
    "page-linked-outside": _link_out("en.html"),
    "catalog-linked-outside": _link_out("en.po"),
    "glossary-row-with-line-separator": _glossary_row("改革\t\treform\u2028注入\t\tword\tn\ttests\n".encode(), _ROWS + 1,
                                                      "g.tsv:LINE: a value holds control or line-separator"),
    "glossary-row-not-utf8": _glossary_row("改革\t\treform\t\tword\tn\ttests\n".encode("big5"), _ROWS + 1,
                                           "g.tsv:LINE: not UTF-8"),
    "catalog-line-that-looks-like-markup": lambda d, outside: (
        (d / "en.po").write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n[/note] \x1b[31m\n', encoding="utf-8"),
        ("en.po:5:", "[/note] \\x1b[31m"))[1],
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_is_one_line_exit_2_and_touches_nothing(article_dir, tmp_path, name):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("機密。\n", encoding="utf-8")
    found = HOSTILE[name](article_dir, outside)
    glossary = found[0] if str(found[0]).endswith(".tsv") else GLOSSARY_DIR
    expected = found[1:] if isinstance(found, tuple) else (found,)
    def files():  # the lock file is the locking's business, not this test's
        return {p: p.read_bytes() for p in (*article_dir.iterdir(), *outside.iterdir())
                if p.is_file() and p.name != ".zhen.lock"}

    before = files()
    result = _invoke("translate", article_dir, "--engine", "dictionary", "--glossary", glossary)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "\x1b" not in lines[0], lines
    assert all(part in lines[0] for part in expected), (expected, lines)
    assert files() == before
