"""The catalog damage matrix: every kind of damage stops `zhen translate` with one
line naming file and line, exit status 2, and the catalog left byte for byte as
it was. Each case also records msgfmt's own verdict, and the test holds msgfmt
to it, so that the table cannot drift from what gettext really does.

tests/test_fuzz.py replays random damage against msgfmt's verdict; this table
names the classes.
"""

import re
import subprocess

import pytest

from tests.test_cli import invoke, snapshot

# (damage appended to a catalog zhen wrote, line of the fault within it, message, msgfmt rejects it too)
CASES = {
    "msgid without msgstr at the end": ('\nmsgid "a"\n', 2, "msgid without msgstr", True),
    "msgid without msgstr in the middle": ('\nmsgid "a"\n\nmsgid "b"\nmsgstr "B"\n', 2, "msgid without msgstr", True),
    "msgctxt without msgid": ('\nmsgctxt "c"\nmsgstr "x"\n', 3, "msgstr without a msgid", True),
    "duplicate msgid": ('\nmsgid "a"\nmsgstr "A"\n\n# a note\nmsgid "a"\nmsgstr "B"\n', 6,
                        "duplicate entry: same msgid as the entry at line {2}", True),
    "duplicate of an obsolete entry": ('\nmsgid "a"\nmsgstr "A"\n\n#~ msgid "a"\n#~ msgstr "B"\n', 5,
                                       "duplicate entry: same msgid as the entry at line {2}", True),
    "duplicate msgctxt and msgid": ('\nmsgctxt "m"\nmsgid "a"\nmsgstr "A"\n\nmsgctxt "m"\nmsgid "a"\nmsgstr "B"\n', 7,
                                    "duplicate entry: same msgctxt and msgid as the entry at line {3}", True),
    "msgstr[1] without msgstr[0]": ('\nmsgid "a"\nmsgid_plural "as"\nmsgstr[1] "B"\n', 4,
                                    "msgstr[1] out of order (msgstr[0] expected)", True),
    "msgstr in a plural entry": ('\nmsgid "a"\nmsgid_plural "as"\nmsgstr "B"\n', 4,
                                 "msgstr in an entry with msgid_plural", True),
    "msgstr[0] without msgid_plural": ('\nmsgid "a"\nmsgstr[0] "B"\n', 3, "msgstr[0] without msgid_plural", True),
    "msgid_plural without msgstr[0]": ('\nmsgid "a"\nmsgid_plural "as"\n', 2, "msgid without msgstr[0]", True),
    "second msgstr": ('\nmsgid "a"\nmsgstr "A"\nmsgstr "B"\n', 4, "second msgstr", True),
    "U+0004 in a string": ('\nmsgid "a"\nmsgstr "A\\004"\n', 3, "U+0004 in a string", True),
    "U+0000 in a string": ('\nmsgid "a\\0b"\nmsgstr "A"\n', 2, "U+0000 in a string", False),
    "newline at the end of msgstr only": ('\nmsgid "a"\nmsgstr "A\\n"\n', 3,
                                          "msgstr ends with a newline and msgid does not", True),
    "partly obsolete entry": ('\nmsgid "a"\n#~ msgstr "A"\n', 3, "an entry partly obsolete (#~) and partly not", True),
    "comment after #|": ('\n#| msgid "p"\n# note\nmsgid "a"\nmsgstr "A"\n', 3,
                         "a comment after a previous-msgid line", True),
    "#| msgid_plural before #| msgid": ('\n#| msgid_plural "p"\nmsgid "a"\nmsgstr "A"\n', 2,
                                        "#| msgid_plural out of place", True),
    "#| msgctxt without #| msgid": ('\n#| msgctxt "p"\nmsgid "a"\nmsgstr "A"\n', 3,
                                    "a previous msgctxt (#|) without a previous msgid", True),
    "string outside an entry": ('\n# note\n"stray"\n', 3, "string continuation outside an entry", True),
    "unterminated string": ('\nmsgid "a\nmsgstr "A"\n', 2, "unterminated or malformed string", True),
    "invalid escape": ('\nmsgid "a\\q"\nmsgstr "A"\n', 2, "invalid escape sequence \\q", True),
    "U+001F alone on a line": ('\n\x1f\nmsgid "a"\nmsgstr "A"\n', 2, "not PO syntax", True),
    # Stricter than msgfmt where polib would read something else than gettext does.
    "two flag lines": ('\n#, fuzzy\n#, c-format\nmsgid "a"\nmsgstr "A"\n', 3, "a second flags line (#,)", False),
}
HEADER_CASES = {
    # msgfmt reads this header's bytes as Latin-1 and accepts; zhen would write UTF-8 under it.
    "charset=latin1 over UTF-8": ("charset=UTF-8", "charset=latin1",
                                  "header declares charset=latin1, but zhen catalogs are UTF-8", False),
    "charset=CHARSET": ("charset=UTF-8", "charset=CHARSET", "header declares charset=CHARSET", False),
}


def _translated(article_dir):
    assert invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0
    return article_dir / "en.po"


def _damaged(article_dir, case):
    """A catalog zhen wrote, damaged as the table's case says; the message zhen must give for it."""
    catalog = _translated(article_dir)
    if case in CASES:
        damage, offset, message, _ = CASES[case]
        base = catalog.read_text(encoding="utf-8").count("\n")
        with open(catalog, "a", encoding="utf-8") as f:
            f.write(damage)
        # Lines inside the damage are written {n}; the file's line is base + n.
        message = re.sub(r"\{(\d+)\}", lambda m: str(base + int(m.group(1))), message)
        return catalog, f"{base + offset}: {message}"
    old, new, message, _ = HEADER_CASES[case]
    text = catalog.read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.split("\n"), 1) if old in t)
    catalog.write_text(text.replace(old, new, 1), encoding="utf-8")
    return catalog, f"{line}: {message}"


@pytest.mark.parametrize("case", [*CASES, *HEADER_CASES])
def test_damaged_catalog_is_refused_at_its_line_and_left_untouched(article_dir, case):
    """One line naming file and line, exit 2, nothing touched."""
    catalog, message = _damaged(article_dir, case)
    before = snapshot(article_dir)
    result = invoke("translate", article_dir, "--engine", "dictionary")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"error: {catalog}:{message}"), lines[0]
    assert snapshot(article_dir) == before


@pytest.mark.gettext
@pytest.mark.parametrize("case", [*CASES, *HEADER_CASES])
def test_msgfmt_judges_each_damaged_catalog_as_the_table_says(article_dir, case):
    catalog, _ = _damaged(article_dir, case)
    rejects = {**CASES, **HEADER_CASES}[case][3]
    proc = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalog)], capture_output=True, text=True)
    assert (proc.returncode != 0) == rejects, f"msgfmt's verdict is not the table's: {proc.stderr}"


def test_export_tmx_refuses_a_character_xml_cannot_carry_and_names_its_line(article_dir, tmp_path):
    catalog = _translated(article_dir)
    text = catalog.read_text(encoding="utf-8").split("\n")
    at = next(n for n, t in enumerate(text) if t.startswith("#, fuzzy"))
    del text[at]  # approve the first entry, with a raw U+0001 pasted into it
    msgstr = next(n for n in range(at, len(text)) if text[n].startswith("msgstr"))
    text[msgstr] = 'msgstr "Pasted\x01 text"'
    catalog.write_text("\n".join(text), encoding="utf-8")
    entry_start = max(n for n in range(at) if not text[n].strip()) + 2  # the entry's first line (1-based)
    out = tmp_path / "memory.tmx"
    result = invoke("export", "tmx", article_dir, "-o", out)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {catalog}:{entry_start}: msgstr holds U+0001, which XML (TMX) cannot carry; remove it from the catalog"]
    assert not out.exists()
