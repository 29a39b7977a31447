"""Real Poedit (Debian's 3.2.2) on a virtual screen: a reviewer approves two
drafts, rewrites a third and saves; zhen reads the file back, re-runs with a
changed glossary, and keeps all three exactly as the reviewer left them."""

import os
import shutil
import subprocess
import time

import polib
import pytest

from pipeline.catalog import po
from pipeline.workspace.articles import resolve
from pipeline.catalog.entries import state
from pipeline.engines.registry import EngineProvider
from pipeline.run import translate_article
from tests.conftest import GLOSSARY_DIR, NOW, ROOT

EDITED = "Edited in Poedit by a reviewer."


@pytest.fixture
def screen(tmp_path):
    """A private Xvfb display; yields its DISPLAY value."""
    read, write = os.pipe()
    log = tmp_path / "xvfb.log"
    with open(log, "wb") as err:
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
                                pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=err)
    os.close(write)
    # Xvfb writes the number and the newline separately, and dies if the pipe is
    # gone before the newline: read up to it.
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read, 16)
        if not chunk:
            break
        number += chunk
    os.close(read)
    number = number.decode().strip()
    assert number, f"Xvfb did not start: {log.read_text(errors='replace')[-500:]}"
    display = f":{number}"
    yield display
    xvfb.kill()
    xvfb.wait()


def xdo(display, *args):
    done = subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, f"xdotool {' '.join(args)}: {done.stderr.strip()}"
    return done.stdout.strip()


def wait_until(condition, what, *, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"Poedit: {what} within {timeout:.0f} s"
        time.sleep(0.1)


def settle(proc, *, quiet=0.5, timeout=60.0):
    """Wait until Poedit has sat idle for `quiet` seconds: asleep, with no CPU time spent.

    Poedit fills its list and lays out its editor after the window maps, and saves
    the .mo after the .po. Keys sent before then are lost; a fixed pause is too
    short on a loaded machine. An idle process has handled every event it had.
    """
    def sample():
        fields = open(f"/proc/{proc.pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
        return fields[0], int(fields[11]) + int(fields[12])  # state, utime + stime

    deadline = time.monotonic() + timeout
    last, since = sample(), time.monotonic()
    while time.monotonic() - since < quiet:
        assert proc.poll() is None, f"Poedit exited with status {proc.returncode}"
        assert time.monotonic() < deadline, f"Poedit still busy after {timeout:.0f} s"
        time.sleep(0.05)
        now = sample()
        if now[0] != "S" or now[1] != last[1]:
            since = time.monotonic()
        last = now


def poedit_review(catalog_path, display, home):
    """Open the catalog in Poedit, approve entries 1 and 2, rewrite entry 3, save, quit."""
    before = catalog_path.read_bytes()
    compiled = catalog_path.with_suffix(".mo")
    assert not compiled.exists()
    # A fresh profile every time, wherever the caller's settings point: no first-run
    # state, no user session bus, no other Poedit instance to hand the file over to.
    home.mkdir()
    env = {**os.environ, "DISPLAY": display, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_RUNTIME_DIR": str(home / "run"), "DBUS_SESSION_BUS_ADDRESS": "disabled:", "NO_AT_BRIDGE": "1"}
    (home / "run").mkdir(mode=0o700)
    proc = subprocess.Popen(["poedit", str(catalog_path)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        # Mapped, not merely created: focus can only go to a viewable window.
        window = xdo(display, "search", "--sync", "--onlyvisible", "--name", catalog_path.name).split()[-1]
        settle(proc)
        # No window manager on the virtual screen: give the window the keyboard ourselves.
        xdo(display, "windowfocus", "--sync", window)
        xdo(display, "key", "ctrl+u")  # Needs Work off: entry 1 approved
        xdo(display, "key", "ctrl+Down")
        xdo(display, "key", "ctrl+u")  # entry 2 approved
        xdo(display, "key", "ctrl+Down")
        settle(proc)
        # Click into the translation editor (lower left of the window) and retype entry 3.
        geometry = xdo(display, "getwindowgeometry", window)
        width, height = (int(v) for v in geometry.split("Geometry: ")[1].split("x"))
        xdo(display, "mousemove", "--window", window, str(int(width * 0.3)), str(int(height * 0.87)), "click", "1")
        xdo(display, "key", "ctrl+a")
        xdo(display, "type", "--delay", "5", EDITED)
        settle(proc)
        xdo(display, "key", "ctrl+s")
        # Poedit writes the .po, then compiles the .mo beside it.
        wait_until(lambda: catalog_path.read_bytes() != before, "catalog saved")
        wait_until(compiled.exists, ".mo written")
        settle(proc)
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.poedit
def test_reviewing_in_real_poedit_survives_reruns(article_dir, glossary, screen, tmp_path):
    article = resolve(article_dir)
    translate_article(article, glossary=glossary, engines=EngineProvider("dictionary", glossary), now=NOW)
    drafts = [e for e in polib.pofile(str(article.catalog))]
    assert all(state(e) == "draft" for e in drafts)

    poedit_review(article.catalog, screen, tmp_path / "home")

    saved = po.read_catalog(article.catalog)  # strict reader on Poedit's own output
    assert saved.metadata["X-Generator"].startswith("Poedit")
    live = [e for e in saved if not e.obsolete]
    assert [state(e) for e in live[:4]] == ["reviewed", "reviewed", "reviewed", "draft"]
    assert [e.msgstr for e in live[:2]] == [e.msgstr for e in drafts[:2]]
    assert live[2].msgstr == EDITED
    approved = {e.msgid: e.msgstr for e in live[:3]}
    # Poedit keeps zhen's notes line for line and in order, so the panel shows them as written: QA first.
    assert [e.comment for e in live] == [e.comment for e in drafts]

    # `zhen next` on what Poedit saved: everything but the approved entries QA finds no error in,
    # most urgent first, each by its source line.
    from pipeline.catalog.entries import read_entries
    from pipeline.qa.checks import check_files
    from pipeline.catalog.todo import review_queue

    findings = check_files([article.catalog], glossary)
    queue = review_queue({str(article.catalog): read_entries(saved)}, findings)
    errors = {f.entry for f in findings if f.severity == "error"}
    assert sorted(t.entry for t in queue) == [n for n, e in enumerate(saved, start=1)
                                              if not e.obsolete and (state(e) != "reviewed" or n in errors)]
    assert [t.rank for t in queue] == sorted(t.rank for t in queue)
    assert all(t.rank == 1 for t in queue if t.state == "reviewed")
    assert all(t.reference.startswith("source.zh.txt:") for t in queue)

    # A grown glossary changes the draft signature: untouched drafts are refreshed,
    # the three reviewed entries are not touched.
    grown = tmp_path / "glossary"
    shutil.copytree(GLOSSARY_DIR, grown)
    with open(grown / "tianjin.tsv", "a", encoding="utf-8") as f:
        f.write("測試術語\t\ttest term\t\t\tword\tA term only this glossary has.\tzhen tests\n")
    from pipeline.glossary.table import load_glossary

    g2 = load_glossary(grown)
    result = translate_article(article, glossary=g2, engines=EngineProvider("dictionary", g2), now=NOW)
    assert result.reviewed == 3 and result.drafted == len(drafts) - 3
    after = {e.msgid: e for e in po.read_catalog(article.catalog) if not e.obsolete}
    for msgid, text in approved.items():
        assert after[msgid].msgstr == text and state(after[msgid]) == "reviewed"
    # The rewritten entry lost its glossary renderings: the sample's longest entry now, whose notes panel,
    # which does not scroll, starts with its QA findings.
    longest = max(after.values(), key=lambda e: len(e.comment))
    assert longest.msgstr == EDITED
    assert longest.comment.split("\n")[0].startswith("qa: error (glossary): missing required rendering")
    assert (article.folder / "en.mo").exists()  # Poedit's compiled catalog: left alone, ignored by git
    assert ROOT.joinpath(".gitignore").read_text().count("*.mo") == 1
