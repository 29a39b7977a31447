"""Entries zhen does not own (msgctxt, plural forms) survive every run unchanged.

A person or another gettext tool may add them; gettext keys an entry by
(msgctxt, msgid). The real gettext tools put them in (msgcat), check the result
(msgfmt --check), and Python's gettext runtime reads the compiled catalog back.
"""

import gettext
import subprocess

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import entries as catalog_entries
from pipeline.catalog import merge as cat
from pipeline.catalog import po
from pipeline.errors import CatalogError
from pipeline.model import Draft, Segment
from tests.conftest import NOW
from tests.test_cli import invoke

pytestmark = pytest.mark.gettext

FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "flags", "comment", "tcomment",
          "occurrences", "previous_msgctxt", "previous_msgid", "previous_msgid_plural", "obsolete")


def foreign_text(sentence: str) -> str:
    """What a person or a gettext tool might add: every kind of entry zhen does not write."""
    return f'''msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

# The headline as a menu item: same msgid, its own context.
#: menu.c:12
msgctxt "menu"
msgid "{sentence}"
msgstr "Headline"

msgctxt ""
msgid "Empty context"
msgstr "An empty msgctxt is a context too"

#, c-format
msgid "%d article"
msgid_plural "%d articles"
msgstr[0] "%d article"
msgstr[1] "%d articles"

#, fuzzy
#| msgctxt "old"
#| msgid "one file"
#| msgid_plural "many files"
msgctxt "count"
msgid "one reviewer"
msgid_plural "{{n}} reviewers"
msgstr[0] "one reviewer"
msgstr[1] "several reviewers"

msgctxt "nav"
msgid "Next"
msgstr "Next ›"

#~ msgctxt "gone"
#~ msgid "Retired label"
#~ msgstr "Kept anyway"
'''


def foreign_entries(path):
    return [{f: getattr(e, f) for f in FIELDS} for e in polib.pofile(str(path)) if not catalog_entries.owned(e)]


def msgfmt(path, mo):
    proc = subprocess.run(["msgfmt", "--check", "-o", str(mo), str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_foreign_entries_survive_reruns_edits_and_purges(article_dir, tmp_path):
    assert invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0
    catalog_path = article_dir / "en.po"
    headline = next(e for e in polib.pofile(str(catalog_path)) if not e.obsolete).msgid
    (tmp_path / "foreign.po").write_text(foreign_text(headline), encoding="utf-8")
    subprocess.run(["msgcat", "--use-first", "-o", str(catalog_path), str(catalog_path), str(tmp_path / "foreign.po")],
                   check=True)
    catalog = polib.pofile(str(catalog_path))
    zhen_entry = next(e for e in catalog if e.msgid == headline and e.msgctxt is None)
    zhen_entry.msgstr, zhen_entry.flags = "Learn from the best", []  # a reviewer approves zhen's own entry
    catalog.save(str(catalog_path))
    before = foreign_entries(catalog_path)
    assert len(before) == 6

    source = article_dir / "source.zh.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    steps = [
        ("rerun", lambda: None, ()),
        ("source edited", lambda: source.write_text("\n".join(lines[:-3]) + "\n改寫的一句。\n", encoding="utf-8"), ()),
        ("purge", lambda: None, ("--purge-obsolete",)),
        ("forced", lambda: None, ("--force",)),
    ]
    for name, change, options in steps:
        change()
        result = invoke("translate", article_dir, "--engine", "dictionary", *options)
        assert result.exit_code == 0, (name, result.output)
        assert foreign_entries(catalog_path) == before, name
        msgfmt(catalog_path, tmp_path / "en.mo")
        with open(tmp_path / "en.mo", "rb") as f:
            runtime = gettext.GNUTranslations(f)
        assert runtime.pgettext("menu", headline) == "Headline", name
        assert runtime.gettext(headline) == "Learn from the best", name
        assert runtime.pgettext("", "Empty context") == "An empty msgctxt is a context too", name
        assert runtime.ngettext("%d article", "%d articles", 3) == "%d articles", name
        assert runtime.pgettext("nav", "Next") == "Next ›", name
        # msgcat writes what zhen wrote, byte for byte: plural and context entries included.
        assert subprocess.run(["msgcat", str(catalog_path)], capture_output=True, check=True).stdout \
            == catalog_path.read_bytes(), name


def test_a_plural_entry_holding_a_sentences_msgid_is_refused_with_its_line(article_dir):
    assert invoke("translate", article_dir, "--engine", "dictionary").exit_code == 0
    catalog_path = article_dir / "en.po"
    catalog = polib.pofile(str(catalog_path))
    entry = next(e for e in catalog if not e.obsolete)
    catalog.remove(entry)
    catalog.append(polib.POEntry(msgid=entry.msgid, msgid_plural="many", msgstr_plural={0: "one", 1: "many"}))
    catalog.save(str(catalog_path))
    before = catalog_path.read_bytes()
    line = next(n for n, t in enumerate(before.decode().split("\n"), 1) if t == f'msgid "{entry.msgid}"')
    result = invoke("translate", article_dir, "--engine", "dictionary")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {catalog_path}:{line}: a plural entry has the msgid of a source sentence")
    assert catalog_path.read_bytes() == before


# Any text a string can hold, line separators (U+2028, U+0085, VT, FF, CR) included.
plain = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\n\x00\x04"), max_size=12)


@st.composite
def foreign(draw):
    ctxt = draw(st.one_of(st.none(), plain))
    entry = polib.POEntry(msgctxt=ctxt, msgid=draw(plain) or "m", obsolete=draw(st.booleans()),
                          tcomment=draw(st.sampled_from(["", "a note", "two\nlines"])),
                          flags=draw(st.sampled_from([[], ["fuzzy"]])),
                          previous_msgid=draw(st.one_of(st.none(), plain.filter(bool))))
    if entry.previous_msgid and draw(st.booleans()):
        entry.previous_msgctxt = draw(plain.filter(bool))
    if ctxt is None or draw(st.booleans()):
        entry.msgid_plural = draw(plain) or "p"
        entry.msgstr_plural = {n: draw(plain) for n in range(draw(st.integers(1, 3)))}
    else:
        entry.msgstr = draw(plain)
    return entry


def _merge(old, segments, signature, *, purge=False):
    return cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=segments, hits={},
                     old=old, signature=signature, now=NOW, purge_obsolete=purge,
                     drafter=lambda todo: {s.id: Draft(f"D{s.id}", "fake", signature) for s in todo})[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(foreign(), max_size=5, unique_by=lambda e: (e.msgctxt, e.msgid)), st.booleans())
def test_any_foreign_entry_survives_merges(tmp_path_factory, entries, purge):
    """Random contexts, plural forms, flags and text go through read, merge and write
    three times, with sentences coming and going, and come back as they were."""
    segments = [Segment(1, 1, 1, "body", "甲。"), Segment(2, 1, 2, "body", "乙。")]
    entries = [e for e in entries if e.msgctxt is not None or e.msgid not in {s.text for s in segments}]
    path = tmp_path_factory.mktemp("c") / "en.po"
    first = _merge(None, segments, "s1")
    for e in entries:
        first.append(e)
    path.write_text(po.render(first), encoding="utf-8")
    expected = [{f: getattr(e, f) for f in FIELDS} for e in po.read_catalog(path) if not catalog_entries.owned(e)]
    assert len(expected) == len(entries)
    for n, segs in enumerate([segments[:1], segments, segments[1:]]):
        path.write_text(po.render(_merge(po.read_catalog(path), segs, f"s{n}", purge=purge)), encoding="utf-8")
        assert [{f: getattr(e, f) for f in FIELDS} for e in po.read_catalog(path) if not catalog_entries.owned(e)] == expected
    proc = subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_merge_refuses_a_plural_entry_that_holds_a_sentence_key():
    old = _merge(None, [Segment(1, 1, 1, "body", "甲。")], "s")
    old.append(polib.POEntry(msgid="乙。", msgid_plural="x", msgstr_plural={0: "a", 1: "b"}))
    with pytest.raises(CatalogError, match="plural entry has the msgid of a source sentence"):
        _merge(old, [Segment(1, 1, 1, "body", "甲。"), Segment(2, 1, 2, "body", "乙。")], "s")
