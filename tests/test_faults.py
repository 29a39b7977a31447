"""Kill `zhen translate` with SIGKILL at many moments: every catalog must still
parse strictly and hold every reviewed line; every page and text must be whole."""

import os
import shutil
import signal
import subprocess
import sys
import time

import polib

from pipeline import po
from tests.conftest import GLOSSARY_DIR, ROOT

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
