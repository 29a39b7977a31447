"""The attack classes of docs/reliability.md: one regression test (or table) per class, named after it."""

import json
import os
import shutil
import signal
import sqlite3
import textwrap
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pipeline.workspace import trust
from pipeline.catalog.notes import note_line, notes
from pipeline.cli import main
from tests.conftest import GLOSSARY_DIR
from tests.test_tm import BINHAI_PO, JINNAN_ENGLISH, project, review, translate  # noqa: F401 - the memory's project

OTHER = 65534  # nobody: a user the tests (run as root or not) are not
ZH = "天津市召開工作會議。\n全市共有4512個基層黨組織參加活動。\n"


def invoke(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


def one_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def give_away(path: Path) -> None:
    """Make ``path`` another user's (the tests run as root, so chown works)."""
    os.chown(path, OTHER, OTHER, follow_symlinks=False)


@pytest.fixture
def user(tmp_path, monkeypatch):
    """A user with a home of their own and nothing marked safe."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv(trust.ENVIRONMENT, raising=False)
    return home


# ---------------------------------------------------------------- 1. settings from someone else


PLANTED = '[llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m"\napi_key_env = "ZHEN_TEST_SECRET"\n'


@pytest.fixture
def planted(tmp_path, user, monkeypatch):
    """A zhen.toml another user planted above an inbox holding one article."""
    top = tmp_path / "srv"
    (top / "inbox").mkdir(parents=True)
    (top / "zhen.toml").write_text(PLANTED, encoding="utf-8")
    (top / "inbox" / "a.txt").write_text(ZH, encoding="utf-8")
    give_away(top / "zhen.toml")
    monkeypatch.chdir(top / "inbox")
    return top


def test_settings_from_someone_else_are_refused_unless_marked_safe(planted, user):
    before = sorted(planted.rglob("*"))
    result = invoke("translate", "a.txt", "--engine", "dictionary", "--glossary", GLOSSARY_DIR)
    assert result.exit_code == 2
    line = one_line(result)
    assert line.startswith(f"error: {planted / 'zhen.toml'}: owned by another user (uid {OTHER})")
    assert "safe_directories" in line and trust.ENVIRONMENT in line
    assert sorted(planted.rglob("*")) == before  # nothing written
    # The same for a project folder another user owns (glossary/ and translations/, no zhen.toml).
    (planted / "zhen.toml").unlink()
    (planted / "glossary").mkdir()
    (planted / "translations").mkdir()
    give_away(planted)
    assert invoke("tm", "stats").exit_code == 2
    assert invoke("check", "--glossary", GLOSSARY_DIR).exit_code == 2


@pytest.mark.parametrize("how", ["environment", "user config", "star"])
def test_settings_from_someone_else_marked_safe_are_used_but_name_no_key(planted, user, monkeypatch, how):
    if how == "environment":
        monkeypatch.setenv(trust.ENVIRONMENT, f"/elsewhere:{planted}")
    else:
        (user / ".config" / "zhen").mkdir(parents=True)
        listed = '["*"]' if how == "star" else json.dumps([str(planted)])
        (user / ".config" / "zhen" / "config.toml").write_text(f"safe_directories = {listed}\n", encoding="utf-8")
    result = invoke("translate", "a.txt", "--engine", "dictionary", "--glossary", GLOSSARY_DIR, "--json")
    assert result.exit_code == 0, result.output
    assert f"{planted / 'zhen.toml'}:4: [llm] api_key_env not honoured" in result.stderr
    assert f"settings: {planted / 'zhen.toml'}" in result.stderr
    assert json.loads(result.stdout)["settings"] == str(planted / "zhen.toml")


def test_settings_from_someone_else_a_user_config_another_user_owns_marks_nothing(planted, user):
    (user / ".config" / "zhen").mkdir(parents=True)
    (user / ".config" / "zhen" / "config.toml").write_text('safe_directories = ["*"]\n', encoding="utf-8")
    give_away(user / ".config" / "zhen" / "config.toml")
    assert invoke("tm", "search", "天津").exit_code == 2


def test_settings_from_someone_else_given_with_config_are_refused_too(tmp_path, user, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = tmp_path / "theirs.toml"
    settings.write_text(PLANTED, encoding="utf-8")
    give_away(settings)
    (tmp_path / "a.tsv").write_text("天津市召開會議。\tTianjin held a meeting.\n", encoding="utf-8")
    result = invoke("eval", "--set", "a.tsv", "--engine", "dictionary", "--config", settings,
                    "--glossary", GLOSSARY_DIR)
    assert result.exit_code == 2 and "owned by another user" in one_line(result)


def test_settings_from_someone_else_the_current_user_is_injectable(tmp_path, user):
    (tmp_path / "zhen.toml").write_text("", encoding="utf-8")  # owned by whoever runs the tests
    me = os.geteuid()
    trust.check_project(tmp_path, tmp_path / "zhen.toml", uid=me)
    with pytest.raises(trust.UntrustedProject, match=f"uid {me}"):
        trust.check_project(tmp_path, tmp_path / "zhen.toml", uid=me + 1)
    trust.check_project(tmp_path, tmp_path / "zhen.toml", uid=me + 1, environ={trust.ENVIRONMENT: str(tmp_path),
                                                                            "HOME": str(user)})


def test_every_run_names_the_settings_file_it_read(tmp_path, user, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.tsv").write_text("天津市召開會議。\tTianjin held a meeting.\n", encoding="utf-8")
    result = invoke("eval", "--set", "a.tsv", "--engine", "dictionary", "--glossary", GLOSSARY_DIR, "--json")
    assert result.exit_code == 0, result.output
    assert "settings: none" in result.stderr and json.loads(result.stdout)["settings"] is None


# ---------------------------------------------------------------- 3. notes planted through TMX

PLANTED_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="zh"/><body>
<tu><prop type="x-zhen-article">a
qa: error (planted): the reviewer is told to publish
role: planted</prop>
<tuv xml:lang="zh"><seg>滨海新区召开工作会议</seg></tuv><tuv xml:lang="en"><seg>Binhai meets</seg></tuv></tu>
</body></tmx>
"""


def test_notes_planted_through_tmx_stay_one_line_and_read_back_as_nothing_else(project):
    Path("tm").mkdir()
    Path("tm/desk\nqa: error (file): planted by the name.tmx").write_text(PLANTED_TMX, encoding="utf-8")
    translate("translations/binhai")
    text = BINHAI_PO.read_text(encoding="utf-8")
    assert "planted" in text  # the values are there, for a person to read
    assert not [line for line in text.splitlines() if line.startswith(("#. qa: error (planted", "#. qa: error (file",
                                                                       "#. role: planted", "#. planted"))]
    title = next(e for e in polib.pofile(str(BINHAI_PO)) if e.msgid == "滨海新区召开工作会议")
    read = notes(title)
    assert read["role"] == ["title"]
    assert not any("planted" in v for v in read.get("qa", []))
    assert len(read["tm-match"]) == 1 and "planted" in read["tm-match"][0]


def test_notes_planted_through_tmx_a_keyword_inside_a_value_never_starts_a_wrapped_line():
    line = note_line("tm-match: 100% from article " + "x " * 30 + "qa: error (planted): publish")
    assert "\n" not in line
    for width in range(20, 90):
        assert not any(piece.startswith("qa:") for piece in textwrap.wrap(line, width))


# ---------------------------------------------------------------- 2. links the memory follows


def test_links_the_memory_follows_an_index_linked_elsewhere_is_refused(project, tmp_path):
    victim = tmp_path / "victim.sqlite"
    db = sqlite3.connect(victim)
    db.execute("CREATE TABLE units (precious TEXT)")
    db.execute("INSERT INTO units VALUES ('keep me')")
    db.commit()
    db.close()
    before = victim.read_bytes()
    index = Path(".zhen/tm.sqlite")
    for name in ("", "-journal", "-wal", "-shm"):
        Path(f"{index}{name}").unlink(missing_ok=True)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.sqlite"
    outside.write_bytes(before)
    os.symlink(outside, index)
    for command in (("tm", "stats"), ("tm", "search", "天津")):
        result = invoke(*command)
        assert result.exit_code == 2 and one_line(result).startswith(f"error: {index}: is a link to {outside}")
    result = invoke("translate", "translations/binhai", "--engine", "dictionary", "--glossary", "glossary")
    assert result.exit_code == 2 and "is a link to" in one_line(result)
    assert outside.read_bytes() == before
    # The index's folder as a link out of the project is refused the same way.
    index.unlink()
    os.rename(".zhen", tmp_path.parent / f"{tmp_path.name}-zhen")
    os.symlink(tmp_path.parent / f"{tmp_path.name}-zhen", ".zhen")
    assert "outside the project" in one_line(invoke("tm", "stats"))


def test_links_the_memory_follows_catalogs_and_tmx_linking_out_are_left_out(project, tmp_path):
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    (elsewhere / "x").mkdir(parents=True)
    jinnan = Path("translations/jinnan/en.po")
    os.rename(jinnan, elsewhere / "x" / "en.po")
    os.symlink(elsewhere / "x" / "en.po", jinnan)
    Path("tm").mkdir()
    (elsewhere / "desk.tmx").write_text(PLANTED_TMX, encoding="utf-8")
    os.symlink(elsewhere / "desk.tmx", "tm/desk.tmx")
    shutil.rmtree(".zhen", ignore_errors=True)
    result = invoke("tm", "stats", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["units"] == 0
    assert f"{jinnan}: is a link to" in result.stderr and "tm/desk.tmx: is a link to" in result.stderr
    assert "left out of the translation memory" in result.stderr
    # As everywhere in zhen, --follow-symlinks lets them in.
    result = invoke("translate", "translations/binhai", "--engine", "dictionary", "--glossary", "glossary",
                    "--json", "--follow-symlinks")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tm"] > 0


# ---------------------------------------------------------------- 7. encodings TMX may declare


def _declared(encoding: str, zh: str, en: str) -> bytes:
    text = (f'<?xml version="1.0" encoding="{encoding}"?>\n<tmx version="1.4"><header srclang="zh"/><body>\n'
            f'<tu><tuv xml:lang="zh"><seg>{zh}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv></tu>\n'
            "</body></tmx>\n")
    return text.encode(encoding if encoding.lower() != "x-klingon" else "utf-8")


def test_encodings_tmx_may_declare_are_read_and_a_bad_file_blocks_nothing(project, tmp_path):
    Path("tm").mkdir()
    Path("tm/gb.tmx").write_bytes(_declared("GB18030", "天津市召開會議", "Tianjin holds a meeting"))
    Path("tm/big5.tmx").write_bytes(_declared("Big5", "天津市舉行會議", "Tianjin convenes"))
    Path("tm/sjis.tmx").write_bytes(_declared("Shift_JIS", "会議", "the meeting"))
    Path("tm/klingon.tmx").write_bytes(_declared("x-klingon", "会议", "meeting"))
    result = invoke("tm", "stats", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tmx_files"] == 3
    assert "tm/klingon.tmx:1: declares the encoding 'x-klingon'" in result.stderr
    assert "left out of the translation memory" in result.stderr
    hits = [json.loads(line) for line in invoke("tm", "search", "天津市舉行會議", "--json").stdout.splitlines()]
    assert hits[0]["target"] == "Tianjin convenes"
    outside = tmp_path / "in.tmx"
    outside.write_bytes(_declared("x-klingon", "会议", "meeting"))
    result = invoke("tm", "import", outside)
    assert result.exit_code == 2 and "declares the encoding 'x-klingon'" in one_line(result)
    outside.write_bytes(_declared("GB18030", "会议", "meeting")[:-30] + b"\xff\xff</body></tmx>")
    result = invoke("tm", "import", outside)
    assert result.exit_code == 2 and "not GB18030 as its declaration says" in one_line(result)


# ---------------------------------------------------------------- 6. index faults


@pytest.fixture
def read_only_index(monkeypatch):
    """The index refuses to write, as on a read-only file system: from the start, or once synced."""
    from pipeline.tm import index

    real_connect, real_sync = sqlite3.connect, index.Memory.sync

    def connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        db.execute("PRAGMA query_only = ON")
        return db

    def sync(self, **kwargs):
        digest = real_sync(self, **kwargs)
        self._connect().execute("PRAGMA query_only = ON")
        return digest

    def install(*, after_sync: bool = False):
        if after_sync:
            monkeypatch.setattr(index.Memory, "sync", sync)
        else:
            monkeypatch.setattr(index.sqlite3, "connect", connect)
    return install


def _outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("en.po", "en.txt", "en.html", ".zhen.state")
            if (folder / name).exists()}


def test_index_faults_are_one_line_and_leave_the_article_consistent(project, read_only_index):
    binhai = Path("translations/binhai")
    read_only_index(after_sync=True)
    # The index cannot take the new catalog: the article's outputs are all written, then one line.
    result = invoke("translate", binhai, "--engine", "dictionary", "--glossary", "glossary", "--json")
    assert result.exit_code == 2
    assert one_line(result).startswith("error: .zhen/tm.sqlite: the memory index failed: attempt to write a readonly")
    written = _outputs(binhai)
    assert set(written) == {"en.po", "en.txt", "en.html", ".zhen.state"}
    assert "全区新建社区服务中心415个" in written["en.po"].decode() and b"415" in written["en.txt"]
    # The index cannot take a changed catalog at the start: nothing of the article is touched.
    read_only_index()
    review(Path("translations/jinnan/en.po"), {k: v + " (edited)" for k, v in JINNAN_ENGLISH.items()})
    (binhai / "source.zh.txt").write_text("滨海新区召开会议\n全区新建社区服务中心416个。\n", encoding="utf-8")
    result = invoke("translate", binhai, "--engine", "dictionary", "--glossary", "glossary", "--json")
    assert result.exit_code == 2 and one_line(result).startswith("error: .zhen/tm.sqlite: ")
    assert _outputs(binhai) == written
    for command in (("tm", "stats"), ("tm", "search", "会议")):
        result = invoke(*command)
        assert result.exit_code == 2 and one_line(result).startswith("error: .zhen/tm.sqlite: ")


def test_index_faults_a_locked_index_past_the_busy_timeout_is_one_line(project, monkeypatch):
    from pipeline.tm import index

    monkeypatch.setattr(index, "BUSY_TIMEOUT_S", 0.2)
    review(Path("translations/jinnan/en.po"), {k: v + " (edited)" for k, v in JINNAN_ENGLISH.items()})
    other = sqlite3.connect(".zhen/tm.sqlite", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        for command in (("tm", "stats"), ("translate", "translations/binhai", "--engine", "dictionary",
                                           "--glossary", "glossary")):
            result = invoke(*command)
            assert result.exit_code == 2
            assert one_line(result).startswith("error: .zhen/tm.sqlite: ") and "locked" in result.output
        assert not Path("translations/binhai/en.po").exists()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_index_faults_a_full_disk_is_one_line(project, monkeypatch):
    from pipeline.tm import index

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(index.Memory, "_replace", full)
    Path("tm").mkdir()
    Path("tm/gb.tmx").write_bytes(_declared("GB18030", "天津市召開會議", "Tianjin holds a meeting"))
    result = invoke("tm", "stats")
    assert result.exit_code == 2
    assert one_line(result).startswith("error: .zhen/tm.sqlite: the memory index failed: database or disk is full")


# ---------------------------------------------------------------- 8. special files (the matrix)

KINDS = ("fifo", "dev-zero-link", "folder", "dangling-link", "other-users")
G = ("--glossary", GLOSSARY_DIR)
# command (X: the special file), its name's ending, and the kinds that do not apply: a folder
# where a folder is a valid answer (a glossary folder, a folder of catalogs), and another user's
# file where reading it is normal (only settings are a matter of whose they are).
READERS = {
    "translate": (("translate", "X", "--engine", "dictionary", *G), ".txt", {"folder", "other-users"}),
    "segment": (("segment", "X"), ".txt", {"other-users"}),
    "glossary find": (("glossary", "find", "X", *G), ".txt", {"other-users"}),
    "glossary lint": (("glossary", "lint", "--glossary", "X"), ".tsv", {"folder", "other-users"}),
    "glossary export": (("glossary", "export", "--glossary", "X"), ".tsv", {"folder", "other-users"}),
    "glossary import": (("glossary", "import", "X", "-o", "out.tsv"), ".csv", {"other-users"}),
    "tm import": (("tm", "import", "X"), ".tmx", {"other-users"}),
    "eval --set": (("eval", "--set", "X", "--engine", "dictionary", *G), ".tsv", {"other-users"}),
    "eval --from-catalogs": (("eval", "--from-catalogs", "X", "--engine", "dictionary", *G), ".po",
                             {"folder", "other-users"}),
    "check": (("check", "X", *G), ".po", {"other-users"}),
    "status": (("status", "X", *G), ".po", {"other-users"}),
    "html": (("html", "X", *G), ".po", {"other-users"}),
    "export text": (("export", "text", "X", *G), ".po", {"other-users"}),
    "export tmx": (("export", "tmx", "X"), ".po", {"other-users"}),
    "terms suggest": (("terms", "suggest", "X", *G), ".txt", {"folder", "other-users"}),
    "model install": (("model", "install", "X"), ".argosmodel", {"other-users"}),
    "--config": (("eval", "--set", "pairs.tsv", "--engine", "dictionary", "--config", "X", *G), ".toml", set()),
}
MATRIX = [(c, k) for c, (_, _, skip) in READERS.items() for k in KINDS if k not in skip]


def _special(folder: Path, name: str, kind: str) -> Path:
    path = folder / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero-link":
        os.symlink("/dev/zero", path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "dangling-link":
        os.symlink(folder / "gone", path)
    else:
        path.write_text('[argos]\nbeam_size = 2\n', encoding="utf-8")
        give_away(path)
    return path


def _tree(folder: Path) -> dict[str, tuple]:
    return {str(p.relative_to(folder)): (p.is_symlink(), p.lstat().st_mode, p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


class _Hung(Exception):
    pass


@pytest.mark.parametrize("command,kind", MATRIX, ids=[f"{c}-{k}" for c, k in MATRIX])
def test_special_files_are_one_line_exit_2_promptly_and_nothing_is_written(tmp_path, user, monkeypatch, command,
                                                                          kind):
    args, ending, _ = READERS[command]
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    (work / "glossary").mkdir()
    (work / "translations").mkdir()
    (work / "pairs.tsv").write_text("天津市召開會議。\tTianjin held a meeting.\n", encoding="utf-8")
    special = _special(work, f"special{ending}", kind)
    before = _tree(tmp_path)

    def hung(signum, frame):
        raise _Hung(f"{command} on a {kind} still running after 20 s")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)  # a guard against a hang (a pipe opened for reading waits forever), not a timing
    try:
        result = invoke(*(special if a == "X" else a for a in args))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert line.startswith("error: ") and special.name in line, line
    assert _tree(tmp_path) == before


# ---------------------------------------------------------------- 11. minor


def test_minor_a_fifo_given_to_check_says_what_it_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkfifo("en.po")
    result = invoke("check", "en.po", *G)
    assert result.exit_code == 2 and one_line(result) == "error: en.po: is a named pipe (FIFO), not an article, " \
                                                          "catalog or folder"


TBX_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY name "創先爭優">]>
<martif type="TBX"><text><body><termEntry id="t1"><descrip type="definition">n</descrip>
<admin type="source">s</admin>
<langSet xml:lang="zh"><tig><term>&name;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>Strive for Excellence</term></tig></langSet></termEntry></body></text></martif>
"""


def test_minor_tbx_and_tmx_refuse_an_internal_entity_alike(tmp_path, monkeypatch):
    from pipeline.errors import GlossaryError, TMError
    from pipeline.glossary.formats import from_tbx
    from pipeline.tm.tmx import read_tmx

    with pytest.raises(GlossaryError, match="not accepted as TBX: the DOCTYPE declares an internal subset") as tbx:
        from_tbx(TBX_ENTITY, name="g.tbx")
    tmx = TBX_ENTITY.replace("martif", "tmx")
    with pytest.raises(TMError, match="not accepted as TMX: the DOCTYPE declares an internal subset") as tm:
        read_tmx(tmx.encode(), name="m.tmx")
    assert tbx.value.detail.split(": ", 1)[1] == tm.value.detail.split(": ", 1)[1]
    monkeypatch.chdir(tmp_path)
    Path("g.tbx").write_text(TBX_ENTITY, encoding="utf-8")
    result = invoke("glossary", "import", "g.tbx", "-o", "out.tsv")
    assert result.exit_code == 2 and "internal subset" in one_line(result) and not Path("out.tsv").exists()


def test_minor_invisible_and_direction_characters_in_glossary_import_warn(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("g.csv").write_text("term,variants,english,avoid,kind,note,source\n"
                             "創先\u200b爭優,,Strive for \u202eExcellence,,campaign,n,s\n", encoding="utf-8")
    result = invoke("glossary", "import", "g.csv", "-o", "out.tsv")
    assert result.exit_code == 0, result.output
    assert "g.csv:2: term holds the invisible or direction-changing character(s) U+200B" in result.stderr
    assert "g.csv:2: english holds the invisible or direction-changing character(s) U+202E" in result.stderr


# ---------------------------------------------------------------- 9. numbers without bounds

BOUNDS = {
    "[argos]\nmax_batch_tokens = 4294967296\n": "zhen.toml:2: [argos] max_batch_tokens: must be a whole number from 1",
    "[argos]\nintra_threads = 4096\n": "zhen.toml:2: [argos] intra_threads: must be a whole number from 0 to 256",
    "[argos]\n\ninter_threads = 100000\n": "zhen.toml:3: [argos] inter_threads: must be a whole number from 1 to 256",
    "[argos]\nbeam_size = 1000000\n": "zhen.toml:2: [argos] beam_size: must be a whole number from 1 to 64",
    "[argos]\nn_best = 65\n": "zhen.toml:2: [argos] n_best",
    "[argos]\nmax_input_tokens = 99999999\n": "zhen.toml:2: [argos] max_input_tokens",
    "[argos]\nmax_decoding_length = 99999999\n": "zhen.toml:2: [argos] max_decoding_length",
    "[argos]\nmin_decoding_length = 99999999\n": "zhen.toml:2: [argos] min_decoding_length",
    "[tm]\nmin_score = 1000\n": "zhen.toml:2: [tm] min_score: must be a whole number from 1 to 100",
    '[llm]\nbase_url = "http://127.0.0.1:9/v1"\nmodel = "m"\ntimeout_s = 1e300\n':
        "zhen.toml:4: [llm] timeout_s: must be a number of seconds above 0, at most 3600",
}


@pytest.mark.parametrize("text", BOUNDS)
def test_numbers_without_bounds_are_refused_as_the_settings_are_read(tmp_path, user, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    Path("zhen.toml").write_text(text, encoding="utf-8")
    Path("glossary").mkdir()
    Path("translations").mkdir()
    # tm search reads the settings for its threshold alone: a wrong [argos] value still stops it.
    result = invoke("tm", "search", "天津")
    assert result.exit_code == 2 and one_line(result).startswith(f"error: {tmp_path}/{BOUNDS[text]}"), result.output


# ---------------------------------------------------------------- 10. eval input


def test_eval_input_cells_are_capped_and_lines_counted_as_written(tmp_path, user, monkeypatch):
    from pipeline.errors import EvalSetError
    from pipeline.evaluate import parse_tsv

    monkeypatch.chdir(tmp_path)
    Path("big.tsv").write_text("天津市召開會議。\tTianjin held a meeting.\n" + "天" * 80_000 + "\tHeaven\n",
                               encoding="utf-8")
    result = invoke("eval", "--set", "big.tsv", "--engine", "dictionary", *G)
    assert result.exit_code == 2
    assert one_line(result) == "error: big.tsv:2: the zh cell has 80,000 characters, over the 5,000-character " \
                               "limit for one sentence"
    text = "天津市召開會議。\tTianjin\u2028held a meeting.\n天津。\tTianjin.\n\x0c\n天津\n"
    with pytest.raises(EvalSetError, match="U\\+2028") as e:
        parse_tsv(text, name="s.tsv")
    assert e.value.line == 1
    with pytest.raises(EvalSetError, match="1 tab-separated cells") as e:
        parse_tsv(text.replace("\u2028", " "), name="s.tsv")
    assert e.value.line == 4  # the form feed on line 3 ends no line


# ---------------------------------------------------------------- 4. terminal escapes

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b2J\u202e"  # set the title, clear the screen (7-bit and C1), reorder


def _reviewed_with_escapes(project: Path, escapes: str = ESCAPES) -> Path:
    catalog = project / "translations" / "jinnan" / "en.po"
    entry = next(e for e in polib.pofile(str(catalog)) if not e.obsolete and e.msgid.startswith("津南"))
    review(catalog, {entry.msgid: f"Jinnan{escapes} meets"})
    return catalog


TERMINAL_COMMANDS = {
    "export text": ("export", "text", "translations/jinnan"),
    "export tmx": ("export", "tmx"),
    "status --json": ("status", "--json", "--glossary", "glossary"),
    "check --json": ("check", "--json", "--glossary", "glossary"),
    "tm search --json": ("tm", "search", "津南區召開", "--json"),
    "tm search": ("tm", "search", "津南區召開"),
    "segment": ("segment", "translations/jinnan/source.zh.txt"),
}


@pytest.mark.parametrize("name", TERMINAL_COMMANDS)
def test_terminal_escapes_are_never_printed_raw(project, monkeypatch, name):
    import pipeline.cli.common

    # XML cannot carry ESC or BEL at all (export tmx refuses them): its test has the rest.
    _reviewed_with_escapes(project, "\x9b2J\u202e" if name == "export tmx" else ESCAPES)
    source = project / "translations" / "jinnan" / "source.zh.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("會議", "會議\u202e", 1), encoding="utf-8")
    monkeypatch.setattr(pipeline.cli.common, "_to_terminal", lambda: True)
    result = invoke(*TERMINAL_COMMANDS[name])
    assert result.exit_code in (0, 1), result.output
    for ch in "\x1b\x07\x9b\u202e":
        assert ch not in result.stdout, (name, result.stdout)
    if "--json" in name:
        for line in result.stdout.splitlines():
            json.loads(line)  # the escapes are JSON's own: the data is unchanged


def test_terminal_escapes_files_written_with_o_keep_the_text(project, monkeypatch):
    import pipeline.cli.common

    _reviewed_with_escapes(project)
    monkeypatch.setattr(pipeline.cli.common, "_to_terminal", lambda: True)
    assert invoke("export", "text", "translations/jinnan", "-o", "jinnan.txt").exit_code == 0
    written = Path("jinnan.txt").read_text(encoding="utf-8")
    assert all(ch in written for ch in "\x1b\x07\x9b\u202e")
    # And stdout that is not a terminal (a pipe, a redirect) gets the text as it is.
    monkeypatch.setattr(pipeline.cli.common, "_to_terminal", lambda: False)
    assert invoke("export", "text", "translations/jinnan").stdout == written
    hits = [json.loads(line) for line in invoke("tm", "search", "津南區召開", "--json").stdout.splitlines()]
    assert any(ESCAPES in h["target"] for h in hits)


# ---------------------------------------------------------------- 5. outputs over inputs


def _tmx_in_memory() -> bytes:
    Path("tm").mkdir(exist_ok=True)
    Path("tm/desk.tmx").write_bytes(_declared("UTF-8", "天津市召開會議", "Tianjin holds a meeting"))
    return Path("tm/desk.tmx").read_bytes()


OVER_INPUTS = {
    "export tmx onto the memory's TMX": (("export", "tmx", "-o", "tm/desk.tmx"), "tm/desk.tmx"),
    "export text onto the memory's TMX": (("export", "text", "translations/jinnan", "-o", "tm/desk.tmx"),
                                          "tm/desk.tmx"),
    "export text onto the index": (("export", "text", "translations/jinnan", "-o", ".zhen/tm.sqlite"),
                                   ".zhen/tm.sqlite"),
    "export text onto a glossary file": (("export", "text", "translations/jinnan", "-o", "glossary/g.tsv"),
                                         "glossary/g.tsv"),
    "glossary export onto the memory's TMX": (("glossary", "export", "-o", "tm/desk.tmx"), "tm/desk.tmx"),
    "glossary import onto what it imports": (("glossary", "import", "g.csv", "-o", "g.csv", "--force"), "g.csv"),
    "glossary import onto a catalog": (("glossary", "import", "g.csv", "-o", "translations/jinnan/en.po",
                                        "--force"), "translations/jinnan/en.po"),
    "eval --drafts onto --set": (("eval", "--set", "pairs.tsv", "--drafts", "pairs.tsv", "--engine", "dictionary"),
                                 "pairs.tsv"),
    "eval --drafts onto --glossary": (("eval", "--set", "pairs.tsv", "--drafts", "glossary/g.tsv", "--engine",
                                       "dictionary"), "glossary/g.tsv"),
    "eval --drafts onto a catalog read": (("eval", "--from-catalogs", "translations/jinnan", "--drafts",
                                           "translations/jinnan/en.po", "--engine", "dictionary"),
                                          "translations/jinnan/en.po"),
    "eval --drafts onto the settings": (("eval", "--set", "pairs.tsv", "--drafts", "zhen.toml", "--engine",
                                         "dictionary"), "zhen.toml"),
    "eval --drafts onto the memory's TMX": (("eval", "--set", "pairs.tsv", "--drafts", "tm/desk.tmx", "--engine",
                                             "dictionary"), "tm/desk.tmx"),
    "translate -o onto the memory's index": (("translate", "translations/binhai/source.zh.txt", "-o", ".zhen",
                                              "--engine", "dictionary", "--glossary", "glossary"), None),
}


@pytest.mark.parametrize("name", OVER_INPUTS)
def test_outputs_over_inputs_are_refused_and_nothing_is_written(project, name):
    args, victim = OVER_INPUTS[name]
    _tmx_in_memory()
    Path("zhen.toml").write_text("[tm]\nmin_score = 80\n", encoding="utf-8")
    Path("pairs.tsv").write_text("天津市召開會議。\tTianjin held a meeting.\n", encoding="utf-8")
    Path("g.csv").write_text("term,variants,english,avoid,kind,note,source\n創先爭優,,Strive for Excellence,,,n,s\n",
                             encoding="utf-8")
    if name.startswith("translate"):  # an index that is a hard link to what translate writes
        invoke("tm", "stats")
        os.link(".zhen/tm.sqlite", ".zhen/en.html")
        victim = ".zhen/tm.sqlite"
    before = {p: p.read_bytes() for p in Path().rglob("*") if p.is_file()}
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    line = one_line(result)
    assert line.startswith("error: ") and f"{victim}: is " in line and "would be written over it" in line, line
    after = {p: p.read_bytes() for p in Path().rglob("*") if p.is_file()}
    assert after == before


def test_outputs_over_inputs_a_file_replaced_on_purpose_is_kept_as_a_backup(project):
    Path("pairs.tsv").write_text("天津市召開會議。\tTianjin held a meeting.\n", encoding="utf-8")
    for args, target in ((("export", "tmx", "-o", "memory.tmx"), "memory.tmx"),
                         (("export", "text", "translations/jinnan", "-o", "jinnan.txt"), "jinnan.txt"),
                         (("glossary", "export", "-o", "glossary.tbx"), "glossary.tbx"),
                         (("eval", "--set", "pairs.tsv", "--drafts", "drafts.tsv", "--engine", "dictionary"),
                          "drafts.tsv")):
        Path(target).write_text("precious work\n", encoding="utf-8")
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert Path(f"{target}~").read_text(encoding="utf-8") == "precious work\n"
        assert Path(target).read_text(encoding="utf-8") != "precious work\n"
