"""`zhen glossary import`: nothing overwritten without --force, nothing injected into a row."""

import csv
import io

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.glossary.table import COLUMNS, load_glossary

# Files written before the optional accept column: they must keep importing.
COLUMNS = tuple(c for c in COLUMNS if c != "accept")
GOOD_ROW = ["創新", "创新", "innovation", "", "word", "A plain word.", "zhen tests"]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def csv_text(*rows):
    out = io.StringIO()
    writer = csv.writer(out)  # Excel's dialect, CRLF: every CR or LF in a cell is quoted
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def tbx_text(term, english, note="A note."):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <text>
    <body>
      <termEntry id="t1">
        <descrip type="definition">A plain word.</descrip>
        <admin type="source">zhen tests</admin>
        <langSet xml:lang="zh"><tig><term>創新</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>innovation</term></tig></langSet>
      </termEntry>
      <termEntry id="t2">
        <descrip type="definition">{note}</descrip>
        <admin type="source">zhen tests</admin>
        <langSet xml:lang="zh"><tig><term>{term}</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>{english}</term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""


@pytest.fixture
def existing(tmp_path):
    target = tmp_path / "glossary.tsv"
    target.write_text("\t".join(COLUMNS) + "\n" + "\t".join(GOOD_ROW) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("name, content", [
    ("empty.tbx", '<?xml version="1.0"?><martif type="TBX"><text><body/></text></martif>'),
    ("page.tbx", "<html><body><p>Not a glossary</p></body></html>"),
    ("header-only.csv", csv_text()),
    ("blank.csv", ",".join(COLUMNS) + "\n,,,,,,\n"),
])
def test_an_import_that_yields_no_terms_is_an_error_and_touches_nothing(tmp_path, existing, name, content):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    before = existing.read_bytes()
    result = invoke("glossary", "import", source, "-o", existing, "--force")
    assert result.exit_code == 2
    assert f"{source}: no glossary terms" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert existing.read_bytes() == before
    assert not existing.with_name("glossary.tsv~").exists()


def test_an_existing_file_needs_force_and_is_then_kept_as_a_backup(tmp_path, existing):
    source = tmp_path / "new.csv"
    source.write_text(csv_text(["改革", "", "reform", "", "word", "A plain word.", "zhen tests"]), encoding="utf-8")
    before = existing.read_bytes()
    refused = invoke("glossary", "import", source, "-o", existing)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert existing.read_bytes() == before

    forced = invoke("glossary", "import", source, "-o", existing, "--force")
    assert forced.exit_code == 0, forced.output
    assert existing.with_name("glossary.tsv~").read_bytes() == before
    assert [t.english for t in load_glossary(existing).terms] == ["reform"]

    fresh = tmp_path / "fresh.tsv"
    assert invoke("glossary", "import", source, "-o", fresh).exit_code == 0  # nothing to replace: no --force
    assert not fresh.with_name("fresh.tsv~").exists()


# Every character a TSV row cannot hold, in every column, through both formats.
BREAKERS = ["\n", "\r", "\r\n", "\t", "\n\t\t\tinjected\t\t\t\t", "\x0b", "\x0c", "\x1c", "\x85", "\u2028",
            "\u2029", "\x00", "\x1b[31m"]


@pytest.mark.parametrize("breaker", BREAKERS, ids=[repr(b) for b in BREAKERS])
@pytest.mark.parametrize("column", ["term", "variants", "english", "avoid", "kind", "note", "source"])
def test_a_csv_cell_that_would_break_a_row_is_refused_with_file_and_line(tmp_path, existing, breaker, column):
    row = dict(zip(COLUMNS, GOOD_ROW))
    row[column] = row[column] + breaker + "x"
    source = tmp_path / "cells.csv"
    # Row 2 is clean, row 3 carries the breaker; a quoted CR/LF makes a row span lines.
    source.write_text(csv_text(["改革", "", "reform", "", "word", "A plain word.", "zhen tests"],
                               [row[c] for c in COLUMNS]), encoding="utf-8", newline="")
    before = existing.read_bytes()
    result = invoke("glossary", "import", source, "-o", existing, "--force")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {source}:3: {column} holds "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert existing.read_bytes() == before


XML_LEGAL = set("\t\n\r\x85\u2028\u2029")


@pytest.mark.parametrize("breaker", BREAKERS, ids=[repr(b) for b in BREAKERS])
@pytest.mark.parametrize("field", ["term", "english", "note"])
def test_a_tbx_value_that_would_break_a_row_is_refused_with_file_and_line(tmp_path, existing, breaker, field):
    values = {"term": "改革", "english": "reform", "note": "A note."}
    values[field] += "".join(f"&#{ord(ch)};" if ch in "\t\n\r" or ch not in XML_LEGAL else ch
                             for ch in breaker if not ch.isalnum() and ch != "[") + "x"
    source = tmp_path / "terms.tbx"
    source.write_text(tbx_text(**values), encoding="utf-8")
    before = existing.read_bytes()
    result = invoke("glossary", "import", source, "-o", existing, "--force")
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    if set(breaker) <= XML_LEGAL | set("injected[31m"):
        assert result.stderr.startswith(f"error: {source}:11: {field} holds "), result.stderr
    else:  # XML 1.0 cannot carry other C0 controls even as references: the parser refuses them
        assert result.stderr.startswith(f"error: {source}:") and "not valid XML" in result.stderr
    assert existing.read_bytes() == before


def test_a_raw_newline_in_a_tbx_term_cannot_become_a_row(tmp_path, existing):
    source = tmp_path / "terms.tbx"
    source.write_text(tbx_text("改革\n\t\t\t\t注入\t\tinjected\t\t\t", "reform"), encoding="utf-8")
    result = invoke("glossary", "import", source, "-o", existing, "--force")
    assert result.exit_code == 2 and f"{source}:11: term holds a line break (LF)" in result.stderr


def test_a_non_utf8_import_cites_the_line_of_the_bad_byte(tmp_path, existing):
    source = tmp_path / "legacy.csv"
    source.write_bytes(csv_text(GOOD_ROW).encode("utf-8") + "改革,,reform,,word,note,src\n".encode("big5"))
    result = invoke("glossary", "import", source, "-o", existing, "--force")
    assert result.exit_code == 2 and f"{source}:3: not UTF-8" in result.stderr


def test_a_non_utf8_glossary_cites_the_line_of_the_bad_byte(tmp_path):
    bad = tmp_path / "g.tsv"
    bad.write_bytes(("\t".join(COLUMNS) + "\n" + "\t".join(GOOD_ROW) + "\n").encode("utf-8")
                    + "\t".join(["改革", "", "reform", "", "word", "note", "src"]).encode("big5") + b"\n")
    result = invoke("glossary", "lint", "--glossary", bad)
    assert f"{bad}:3: error: not UTF-8" in result.stdout


@pytest.mark.parametrize("separator", ["\u2028", "\x0c", "\x85", "\x1e"])
def test_a_tsv_row_holding_a_line_separator_is_one_broken_row_not_two(tmp_path, separator):
    bad = tmp_path / "g.tsv"
    row = "\t".join(GOOD_ROW[:5] + ["note" + separator + "改革\t\treform\t\tword\tinjected", "src"])
    bad.write_text("\t".join(COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    result = invoke("glossary", "lint", "--glossary", bad)
    assert result.exit_code == 1
    assert f"{bad}:2: error: a value holds" in result.stdout
    assert "reform" not in {t.english for t in _terms(bad)}


def _terms(path):
    from pipeline.glossary.table import load_terms

    return load_terms([path])[0]


def _status(term, status):
    note = f'<termNote type="administrativeStatus">{status}</termNote>' if status else ""
    return f"<tig><term>{term}</term>{note}</tig>"


@pytest.mark.parametrize("english, message", [
    ([("officials", "preferredTerm-admn-sts"), ("cadres", "preferredTerm-admn-sts")],
     "termEntry t2: 2 English terms could be the rendering ('officials', 'cadres')"),
    ([("officials", ""), ("cadres", "")], "termEntry t2: 2 English terms could be the rendering"),
    ([("officials", "preferredTerm-admn-sts"), ("cadres", "supersededTerm-admn-sts")],
     "termEntry t2: English administrativeStatus 'supersededTerm-admn-sts' is none of"),
    ([("cadres", "admittedTerm-admn-sts")], "termEntry t2: no preferred English term, only admitted or deprecated"),
])
def test_a_tbx_entry_whose_english_zhen_cannot_carry_whole_is_refused_not_dropped(tmp_path, existing, english,
                                                                                 message):
    tigs = "".join(_status(t, s) for t, s in english)
    text = tbx_text("幹部", "PLACEHOLDER").replace("<tig><term>PLACEHOLDER</term></tig>", tigs)
    source = tmp_path / "terms.tbx"
    source.write_text(text, encoding="utf-8")
    before = existing.read_bytes()
    result = invoke("glossary", "import", source, "-o", existing, "--force")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {source}:11: {message}"), result.stderr
    assert existing.read_bytes() == before


def test_a_tbx_entry_with_one_preferred_and_other_statuses_imports_whole(tmp_path, existing):
    tigs = "".join(_status(t, s) for t, s in [("cadres", "admittedTerm-admn-sts"), ("officials", "preferredTerm-admn-sts"),
                                               ("dry department", "deprecatedTerm-admn-sts")])
    text = tbx_text("幹部", "PLACEHOLDER").replace("<tig><term>PLACEHOLDER</term></tig>", tigs)
    source = tmp_path / "terms.tbx"
    source.write_text(text, encoding="utf-8")
    assert invoke("glossary", "import", source, "-o", existing, "--force").exit_code == 0
    term = next(t for t in load_glossary(existing).terms if t.term == "幹部")
    assert (term.english, term.accept, term.avoid) == ("officials", ("cadres",), ("dry department",))
