"""Kill `zhen translate` with SIGKILL at many moments: every catalog must still
parse strictly and hold every reviewed line; every page and text must be whole."""

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import polib
import pytest

from pipeline import po
from tests.conftest import GLOSSARY_DIR, ROOT, SAMPLE

SAMPLE_BYTES = SAMPLE.read_bytes()

# Fractions of a full run's duration: spread over start-up and drafting, then
# dense around the end, where the catalog, text and page are written.
KILL_POINTS = [0.3 + 0.5 * k / 7 for k in range(8)] + [0.85 + 0.25 * k / 7 for k in range(8)]


def run_zhen(folder, glossary, *, kill_after=None):
    cmd = [sys.executable, "-m", "pipeline", "translate", str(folder), "--engine", "dictionary",
           "--glossary", str(glossary)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    if kill_after is None:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        return
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)


def whole(folder, reviewed):
    catalog = po.read_catalog(folder / "en.po")  # strict: raises on a torn file
    live = {e.msgid: e for e in catalog if not e.obsolete}
    for msgid, text in reviewed.items():
        assert live[msgid].msgstr == text and "fuzzy" not in live[msgid].flags
    assert (folder / "en.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (folder / "en.txt").read_text(encoding="utf-8").endswith("\n")


def test_sigkill_at_many_points_loses_nothing(article_dir, tmp_path):
    # Two glossaries with different revisions: each run has a new signature,
    # so it re-drafts and rewrites the catalog, the text and the page.
    glossaries = [tmp_path / "g1", tmp_path / "g2"]
    for g in glossaries:
        shutil.copytree(GLOSSARY_DIR, g)
    with open(glossaries[1] / "tianjin.tsv", "a", encoding="utf-8") as f:
        f.write("測試術語\t\ttest term\t\tword\tA term only this glossary has.\tzhen tests\n")

    run_zhen(article_dir, glossaries[0])
    catalog = polib.pofile(str(article_dir / "en.po"))
    reviewed = {}
    for entry in list(catalog)[::3]:
        entry.msgstr, entry.flags = f"Reviewed: {entry.msgid[:10]}", []
        reviewed[entry.msgid] = entry.msgstr
    catalog.save(str(article_dir / "en.po"))

    start = time.perf_counter()
    run_zhen(article_dir, glossaries[1])
    duration = time.perf_counter() - start
    whole(article_dir, reviewed)

    outcomes = []
    current = 1  # the catalog reflects glossaries[1]
    for fraction in KILL_POINTS:
        # Always the other glossary, so that every run has a catalog to rewrite.
        before = (article_dir / "en.po").read_bytes()
        run_zhen(article_dir, glossaries[1 - current], kill_after=duration * fraction)
        whole(article_dir, reviewed)
        replaced = (article_dir / "en.po").read_bytes() != before
        outcomes.append("new" if replaced else "old")
        current = 1 - current if replaced else current
    # The kills must span the run: some before the catalog was replaced, some after.
    assert {"old", "new"} <= set(outcomes), outcomes
    run_zhen(article_dir, glossaries[0])
    whole(article_dir, reviewed)
    assert not list(article_dir.glob(".*.tmp")), "a finished run sweeps what killed runs left"


def test_a_second_run_on_a_locked_article_stops_with_one_line(article_dir):
    from pipeline.files import article_lock

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
        f.write("測試術語\t\ttest term\t\tword\tA term only this glossary has.\tzhen tests\n")
    run_zhen(article_dir, grown)  # new signature: the catalog changes
    assert (article_dir / "en.po~").read_bytes() == first
    second = (article_dir / "en.po").read_bytes()
    assert second != first
    run_zhen(article_dir, grown)  # nothing changes: the backup stays the previous version
    assert (article_dir / "en.po~").read_bytes() == first and (article_dir / "en.po").read_bytes() == second


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
    import pipeline.files

    target, err = OS_FAULTS[name]
    before = _reviewed_article(article_dir)
    module, func = target.split(".")
    owner = getattr(pipeline.files, module)
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
    for args in (("glossary", "export", "--format", "tsv"), ("export", "text", article_dir), ("export", "tmx")):
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
