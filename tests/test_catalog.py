import dataclasses
import subprocess
from datetime import timedelta

import polib
import pytest

from pipeline.catalog import entries as catalog_entries
from pipeline.catalog import notes as catalog_notes
from pipeline.catalog import merge as cat
from pipeline.catalog import po
from pipeline.errors import CatalogError
from pipeline.model import Draft, Segment, Term, TermHit
from tests.conftest import NOW, POEDIT_SAVES

SIG = "engine:fake|glossary:0|zhen:test"


def segs(*texts):
    return [Segment(id=i, paragraph=i, line=i + 3, role="body", text=t) for i, t in enumerate(texts, start=1)]


class Recorder:
    """Stands in for an engine: the merge logic around it is what is tested here."""

    def __init__(self, prefix="draft"):
        self.prefix = prefix
        self.calls = []

    def __call__(self, todo):
        self.calls.append([s.text for s in todo])
        return {s.id: Draft(text=f"{self.prefix} {s.id}", engine="fake", signature=SIG) for s in todo}


def merge(segments, old=None, signature=SIG, drafter=None, **kw):
    return cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=segments,
                     hits={}, old=old, signature=signature, drafter=drafter or Recorder(), now=NOW, **kw)


def roundtrip(catalog):
    return polib.pofile(po.render(catalog))


def test_first_run_drafts_everything_fuzzy_with_notes():
    rec = Recorder()
    catalog, stats = merge(segs("甲。", "乙。"), drafter=rec)
    assert rec.calls == [["甲。", "乙。"]]
    assert stats.drafted == 2 and [e.flags for e in catalog] == [["fuzzy"], ["fuzzy"]]
    assert catalog_entries.is_machine_draft(catalog[0])
    # One short bookkeeping line per entry; the setup spelled out where the catalog first uses it.
    setup = catalog_notes.setup_hash(SIG)
    # Body text, the usual role, goes unsaid.
    assert catalog[0].comment == (f"draft: fake [{catalog_notes.draft_id('draft 1')} {setup}]\n"
                                  f"draft-setup: {setup} = {SIG}")
    assert catalog[1].comment == f"draft: fake [{catalog_notes.draft_id('draft 2')} {setup}]"


def test_identical_sentences_share_one_entry_with_all_references():
    catalog, stats = merge(segs("好。", "壞。", "好。"))
    assert stats.entries == 2 and stats.segments == 3
    assert catalog.find("好。").occurrences == [("source.zh.txt", "4"), ("source.zh.txt", "6")]


def test_reviewed_entries_are_never_overwritten():
    first, _ = merge(segs("甲。", "乙。"))
    old = roundtrip(first)
    old.find("甲。").msgstr = "Reviewed A."
    old.find("甲。").flags = []
    rec = Recorder("new")
    new, stats = merge(segs("甲。", "乙。"), old=roundtrip(old), signature="engine:other", drafter=rec)
    assert new.find("甲。").msgstr == "Reviewed A." and "fuzzy" not in new.find("甲。").flags
    assert rec.calls == [["乙。"]]  # the stale machine draft is refreshed, the reviewed one is not
    assert new.find("乙。").msgstr == "new 2" and stats.reviewed == 1


def test_unchanged_signature_reuses_drafts_and_changes_no_byte():
    first, _ = merge(segs("甲。", "乙。"))
    text = po.render(first)
    rec = Recorder("other")
    again, stats = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW",
                             segments=segs("甲。", "乙。"), hits={}, old=polib.pofile(text), signature=SIG,
                             drafter=rec, now=NOW + timedelta(days=3))
    assert rec.calls == [] and stats.reused == 2 and not stats.changed
    assert po.render(again) == text  # PO-Revision-Date too


def test_a_draft_edited_but_left_fuzzy_is_kept_and_marked():
    first, _ = merge(segs("甲。"))
    old = roundtrip(first)
    old[0].msgstr = "Edited by a person."
    new, stats = merge(segs("甲。"), old=roundtrip(old), signature="engine:newer")
    assert new[0].msgstr == "Edited by a person." and "fuzzy" in new[0].flags
    assert "edited: " in new[0].comment and stats.edited == 1 and stats.drafted == 0


def test_changed_source_gets_closest_reviewed_translation_with_previous_msgid():
    old = polib.POFile()
    old.metadata = cat.new_header(slug="t", source_language="zh_TW", now=NOW)
    old.append(polib.POEntry(msgid="大港分局海濱派出所民警顧金鍾的先進事跡感動津城。", msgstr="Gu moved Tianjin."))
    new, stats = merge(segs("大港分局海濱派出所民警顧金鍾的先進事跡感動了津城。"), old=roundtrip(old))
    entry = new[0]
    assert entry.msgstr == "Gu moved Tianjin." and "fuzzy" in entry.flags
    assert entry.previous_msgid == "大港分局海濱派出所民警顧金鍾的先進事跡感動津城。"
    assert stats.fuzzy_matched == 1 and stats.drafted == 0
    # The old entry is kept as obsolete, not lost.
    assert [e.msgstr for e in new if e.obsolete] == ["Gu moved Tianjin."]


def test_removed_sentences_become_obsolete_and_can_be_purged():
    first, _ = merge(segs("甲。", "乙。"))
    old = roundtrip(first)
    old.find("乙。").msgstr, old.find("乙。").flags = "B.", []
    kept, stats = merge(segs("甲。"), old=roundtrip(old))
    assert [(e.msgid, e.msgstr) for e in kept if e.obsolete] == [("乙。", "B.")] and stats.obsolete == 1
    assert "#~ msgid" in po.render(kept)
    purged, _ = merge(segs("甲。"), old=roundtrip(old), purge_obsolete=True)
    assert not [e for e in purged if e.obsolete]
    # A sentence that comes back revives its obsolete entry, reviewed text and all.
    back, stats = merge(segs("甲。", "乙。"), old=roundtrip(kept))
    assert back.find("乙。").msgstr == "B." and stats.reviewed == 1


def test_translator_comments_survive():
    first, _ = merge(segs("甲。"))
    old = roundtrip(first)
    old[0].tcomment = "checked with the desk"
    new, _ = merge(segs("甲。"), old=roundtrip(old))
    assert new[0].tcomment == "checked with the desk"


@pytest.mark.parametrize(
    "broken, line",
    [
        ('msgid "甲。"\nmsgstr "unterminated\n', 2),
        ('msgid "甲。"\nmsgstr "A."\nthis is not po\n', 3),
        ('msgstr "orphan"\n', 1),
        ('msgid "甲。"\nmsgstr "bad \\q escape"\n', 2),
    ],
)
def test_malformed_catalogs_fail_with_file_and_line(tmp_path, broken, line):
    path = tmp_path / "en.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n' + broken, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        po.read_catalog(path)
    assert f"{path}:{line + 4}:" in str(info.value)


def test_catalog_in_another_language_is_refused(tmp_path):
    path = tmp_path / "en.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="Language: fr"):
        po.read_catalog(path)


@pytest.mark.parametrize("name", ["1-as-generated.po", "2-poedit-saved-after-edit.po",
                                  "3-poedit-saved-after-approval.po"])
def test_real_poedit_saves_read_back(name):
    catalog = po.read_catalog(POEDIT_SAVES / name)
    first = catalog.find("學先進趕先進作貢獻當表率")
    if name == "1-as-generated.po":
        assert catalog_entries.state(first) == "draft"
    else:
        assert catalog_entries.state(first) == "reviewed"
        assert first.msgstr.startswith("Learn from the advanced")


def test_poedit_approval_survives_a_rerun():
    old = po.read_catalog(POEDIT_SAVES / "3-poedit-saved-after-approval.po")
    texts = ["學先進趕先進作貢獻當表率", "大港分局海濱派出所民警顧金鍾的先進事跡感動了津城。", "(記者李川)"]
    new, stats = merge(segs(*texts), old=old, signature="engine:other")
    for msgid in texts:
        assert new.find(msgid).msgstr == old.find(msgid).msgstr
        assert "fuzzy" not in new.find(msgid).flags
    assert stats.reviewed == 3
    # Header fields Poedit set are kept; ours are updated because entries changed.
    assert new.metadata["X-Source-Language"] == "zh_TW"
    assert list(new.metadata).index("X-Source-Language") > list(new.metadata).index("Plural-Forms")





@pytest.mark.gettext
def test_written_catalog_is_what_msgcat_writes_and_msgfmt_accepts(tmp_path, article_dir, glossary):
    from pipeline.workspace.articles import resolve
    from pipeline.engines.registry import EngineProvider
    from pipeline.run import translate_article

    article = resolve(article_dir)
    translate_article(article, glossary=glossary, engines=EngineProvider("dictionary", glossary), now=NOW)
    subprocess.run(["msgfmt", "--check", "--check-format", "--check-header", "-o", "/dev/null",
                    str(article.catalog)], check=True)
    out = tmp_path / "msgcat.po"
    subprocess.run(["msgcat", str(article.catalog), "-o", str(out)], check=True)
    assert out.read_text(encoding="utf-8") == article.catalog.read_text(encoding="utf-8")


@pytest.mark.gettext
def test_gettext_tools_resaves_keep_reviewed_lines(tmp_path, article_dir, glossary):
    from pipeline.workspace.articles import resolve
    from pipeline.engines.registry import EngineProvider
    from pipeline.run import translate_article

    article = resolve(article_dir)
    engines = EngineProvider("dictionary", glossary)
    translate_article(article, glossary=glossary, engines=engines, now=NOW)
    # A reviewer approves everything with the gettext tools and re-wraps at another width.
    subprocess.run(["msgattrib", "--clear-fuzzy", "-o", str(article.catalog), str(article.catalog)], check=True)
    subprocess.run(["msgcat", "--width=60", "-o", str(article.catalog), str(article.catalog)], check=True)
    approved = {e.msgid: e.msgstr for e in polib.pofile(str(article.catalog))}
    result = translate_article(article, glossary=glossary, engines=engines, now=NOW + timedelta(days=1))
    assert result.drafted == 0 and result.reviewed == len(approved)
    after = {e.msgid: e.msgstr for e in polib.pofile(str(article.catalog)) if not e.obsolete}
    assert after == approved


LABEL = "word-by-word gloss from CC-CEDICT, not a translation: rewrite before approving"
LONG_SIG = "engine:dictionary|cedict:2023-11-07|jieba:0.42.1|glossary:be9d8831|zhen:0.1.0"


def _long_drafter(todo):
    return {s.id: Draft(f"A{s.id}.", "dictionary", LONG_SIG, label=LABEL) for s in todo}


def test_notes_wrapped_by_another_tool_are_read_whole(tmp_path):
    """polib (and tools built on it) wrap long #. lines at 79 columns; Poedit does not."""
    first, _ = merge(segs("甲。"), signature=LONG_SIG, drafter=_long_drafter)
    path = tmp_path / "en.po"
    path.write_text(po.render(first), encoding="utf-8")
    foreign = polib.pofile(str(path))
    foreign.save(str(path))  # polib's writer wraps the notes
    assert "#. draft: dictionary (word-by-word gloss from CC-CEDICT, not a translation:\n#. rewrite before" \
        in path.read_text(encoding="utf-8")
    entry = po.read_catalog(path)[0]
    assert catalog_notes.notes(entry)["draft"] == [f"dictionary ({LABEL}) [{catalog_notes.draft_id('A1.')} {catalog_notes.setup_hash(LONG_SIG)}]"]
    rec = Recorder()
    again, stats = merge(segs("甲。"), old=po.read_catalog(path), signature=LONG_SIG, drafter=rec)
    assert rec.calls == [] and stats.reused == 1  # still recognised as the same, current draft
    assert again[0].comment == first[0].comment  # and written back as it was


OLD_STYLE = f"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#. role: body
#. draft: dictionary ({LABEL})
#. draft-signature:
#. {LONG_SIG}
#. draft-id: {catalog_notes.draft_id("A1.")}
#: source.zh.txt:4
#, fuzzy
msgid "甲。"
msgstr "A1."

#. role: body
#. draft: dictionary ({LABEL})
#. draft-signature: {LONG_SIG}
#. draft-id: {catalog_notes.draft_id("A2.")}
#: source.zh.txt:5
#, fuzzy
msgid "乙。"
msgstr "B edited by a reviewer."
"""


def test_catalogs_with_the_older_bookkeeping_lines_are_read_and_rewritten(tmp_path):
    path = tmp_path / "en.po"
    path.write_text(OLD_STYLE, encoding="utf-8")
    old = po.read_catalog(path)
    assert catalog_entries.is_machine_draft(old[0]) and not catalog_entries.is_machine_draft(old[1])
    assert not catalog_entries.needs_draft(old[0], LONG_SIG) and catalog_entries.needs_draft(old[0], LONG_SIG + "|rules:4")
    rec = Recorder()
    again, stats = merge(segs("甲。", "乙。"), old=old, signature=LONG_SIG, drafter=rec)
    assert rec.calls == [] and stats.reused == 1 and stats.edited == 1
    setup = catalog_notes.setup_hash(LONG_SIG)
    assert catalog_notes.notes(again[0])["draft"] == [f"dictionary ({LABEL}) [{catalog_notes.draft_id('A1.')} {setup}]"]
    assert catalog_notes.notes(again[0])["draft-setup"] == [f"{setup} = {LONG_SIG}"]
    assert "draft-signature" not in again[0].comment and "draft-id" not in again[0].comment
    assert catalog_notes.notes(again[1])["draft"] == ["dictionary"]  # edited: no id, so never taken for the engine's text
    # A newer setup redrafts the untouched draft only.
    rec = Recorder()
    merge(segs("甲。", "乙。"), old=old, signature=LONG_SIG + "|rules:4", drafter=rec)
    assert rec.calls == [["甲。"]]


def test_each_explanation_is_given_once_per_catalog_and_each_label_once_per_engine():
    long = Term(term="創先爭優活動", english="Strive for Excellence campaign", note="A CPC campaign (2010–2012).")
    short = Term(term="創先爭優", english="strive for excellence", note="The verb phrase behind it.")
    plain = Term(term="黨組織", english="Party organizations", note="", accept=("Party bodies",))
    hits = {1: [TermHit(long, 0, 6, long.term)], 2: [TermHit(long, 0, 6, long.term), TermHit(plain, 6, 9, plain.term)],
            3: [TermHit(short, 0, 4, short.term)]}
    nested = {1: [TermHit(short, 0, 4, short.term)], 2: [TermHit(short, 0, 4, short.term)]}
    catalog, _ = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW",
                           segments=segs("創先爭優活動甲。", "創先爭優活動黨組織乙。", "創先爭優丙。"), hits=hits,
                           nested=nested, old=None, signature=LONG_SIG, drafter=_long_drafter, now=NOW)
    glossary = [catalog_notes.notes(e).get("glossary", []) for e in catalog]
    assert glossary == [['創先爭優活動 = "Strive for Excellence campaign" (A CPC campaign (2010–2012).)'],
                        ['創先爭優活動 = "Strive for Excellence campaign"',
                         '黨組織 = "Party organizations" or "Party bodies"'],
                        ['創先爭優 = "strive for excellence"']]
    inside = [catalog_notes.notes(e).get("glossary (inside a longer term)", []) for e in catalog]
    assert inside == [['創先爭優 = "strive for excellence" (The verb phrase behind it.)'], [], []]
    drafts = [catalog_notes.notes(e)["draft"][0] for e in catalog]
    assert drafts[0].startswith(f"dictionary ({LABEL}) [") and all(LABEL not in d for d in drafts[1:])
    # Read back, every entry is known by its engine whether or not its line carries the label.
    assert [catalog_entries.read_entry(e, 1).origin for e in catalog] == ["dictionary"] * 3


def test_a_new_label_replaces_the_old_one_where_the_engine_first_shows():
    first, _ = merge(segs("甲。", "乙。"), signature=LONG_SIG, drafter=_long_drafter)
    newer = LONG_SIG + "|model:b"

    def relabelled(todo):
        return {s.id: Draft(f"B{s.id}.", "dictionary", newer, label="another gloss") for s in todo}

    again, _ = merge(segs("甲。", "乙。"), old=roundtrip(first), signature=newer, drafter=relabelled)
    assert [catalog_notes.notes(e)["draft"][0].split(" [")[0] for e in again] == ["dictionary (another gloss)", "dictionary"]


def test_the_sample_catalog_fits_poedit_and_says_nothing_twice(article_dir, glossary):
    from pipeline.workspace.articles import resolve
    from pipeline.engines.registry import EngineProvider
    from pipeline.run import translate_article

    article = resolve(article_dir)
    translate_article(article, glossary=glossary, engines=EngineProvider("dictionary", glossary), now=NOW)
    text = article.catalog.read_text(encoding="utf-8")
    explained = {t.term: f'{t.term} = ' + " or ".join(f'"{r}"' for r in t.renderings)
                 + f" ({catalog_notes.first_sentence(t.note)})" for t in glossary.terms if t.note}
    explained = {term: line for term, line in explained.items() if line in text}
    assert len(explained) > 30
    assert [term for term, line in explained.items() if text.count(line) > 1] == []
    assert all(len(catalog_notes.first_sentence(t.note)) <= catalog_notes.NOTE_CUT + 1 for t in glossary.terms)
    assert text.count("word-by-word gloss from CC-CEDICT") == 1 and text.count("#. draft-setup: ") == 1
    assert "draft-signature" not in text and "draft-id" not in text
    # Poedit's notes panel does not scroll: every entry's notes, "#. " included, fit it, and so does the
    # catalog as a whole (24,269 characters before the notes were cut; 47,989 with every explanation repeated).
    entries = text.split("\n\n")
    per_entry = [sum(len(line) + 1 for line in e.split("\n") if line.startswith("#.")) for e in entries]
    assert sum(per_entry) <= 15_000 and max(per_entry) <= 1_200, (sum(per_entry), max(per_entry))


@pytest.mark.parametrize("note, first", [
    ("Short. Then more.", "Short."),
    ("No full stop at all", "No full stop at all"),
    ("Named in the No. 1 Document, e.g. for villages. More.", "Named in the No. 1 Document, e.g. for villages."),
    ("The Party's 18th Congress (2012) set it. More.", "The Party's 18th Congress (2012) set it."),
    ("Stock praise for how a Party campaign is being carried out, said again and again in every report of the "
     "time, in every city.", "Stock praise for how a Party campaign is being carried out, said again and again in "
     "every report of…"),
    ("Tianjin Municipal Committee strategy (2009): build highlands of high-end industry (高端產業), independent "
     "innovation.", "Tianjin Municipal Committee strategy (2009): build highlands of high-end industry (高端產業)…"),
])
def test_a_glossary_note_is_cut_to_its_first_sentence_on_a_word_boundary(note, first):
    assert catalog_notes.first_sentence(note) == first


ARGOS_SIG = "engine:argos|package:translate-zh_en-1.9|beam:4|compute:int8|glossary:91bea756|zhen:0.1.0"


def _entry_with(comment, msgstr="A1."):
    return polib.POEntry(msgid="甲。", msgstr=msgstr, flags=["fuzzy"], comment=comment)


def test_text_that_only_looks_like_a_draft_line_is_not_taken_for_it():
    mark = f"[{catalog_notes.draft_id('A1.')} {catalog_notes.setup_hash(SIG)}]"
    # polib wrapped a glossary note so that a piece starts like a note; the real line follows.
    wrapped = _entry_with(f'role: body\nglossary: 津沽大地 = "across Tianjin" (Literary name; an earlier\n'
                          f"draft: kept for the record.)\ndraft: fake {mark}")
    # Another tool glued a note of its own on after the draft line.
    glued = _entry_with(f"role: body\ndraft: fake {mark}\nchecked by the desk on Monday")
    for entry in (wrapped, glued):
        assert catalog_notes.draft_note(entry).engine == "fake"
        assert catalog_entries.is_machine_draft(entry) and not catalog_entries.needs_draft(entry, SIG) and catalog_entries.needs_draft(entry, SIG + "|x")
    # Bracket-less text of another shape never names the engine.
    assert catalog_notes.draft_note(_entry_with("draft: kept for the record.\ndraft: fake (a label)")).engine == "fake"


def test_signatures_wrapped_at_a_hyphen_are_read_back_whole(tmp_path):
    """textwrap breaks "translate-zh_en" after the hyphen; the pieces join without a space."""
    def drafter(todo):
        return {s.id: Draft(f"A{s.id}.", "argos", ARGOS_SIG) for s in todo}

    first, _ = merge(segs("甲。"), signature=ARGOS_SIG, drafter=drafter)
    path = tmp_path / "en.po"
    path.write_text(po.render(first), encoding="utf-8")
    polib.pofile(str(path)).save(str(path))
    assert "package:translate-\n#. zh_en" in path.read_text(encoding="utf-8")
    again, stats = merge(segs("甲。"), old=po.read_catalog(path), signature=ARGOS_SIG, drafter=Recorder())
    assert stats.reused == 1 and again[0].comment == first[0].comment
    # The same for the older lines: the signature is read whole, so the draft is not redone.
    old = OLD_STYLE.replace(LONG_SIG, ARGOS_SIG)
    path.write_text(old, encoding="utf-8")
    polib.pofile(str(path)).save(str(path))
    rec = Recorder()
    merge(segs("甲。", "乙。"), old=po.read_catalog(path), signature=ARGOS_SIG, drafter=rec)
    assert rec.calls == []


def test_the_translation_of_an_earlier_version_stays_so_on_later_runs():
    first, _ = merge(segs("今年新建社區服務中心387個。"))
    old = roundtrip(first)
    old[0].msgstr, old[0].flags = "This year 387 community centres were built.", []
    matched, stats = merge(segs("今年新建社區服務中心415個。"), old=roundtrip(old))
    assert stats.fuzzy_matched == 1 and "match" in catalog_notes.notes(matched[0])
    again, stats = merge(segs("今年新建社區服務中心415個。"), old=roundtrip(matched))
    assert "edited" not in catalog_notes.notes(again[0]) and again[0].comment == matched[0].comment
    assert stats.fuzzy_matched == 1 and stats.edited == 0
    assert po.render(again) == po.render(roundtrip(matched))  # nothing to write


def test_the_translation_of_an_earlier_version_gets_this_versions_figures_as_the_memory_does():
    first, _ = merge(segs("今年新建社區服務中心387個，其中五個在農村。"))
    old = roundtrip(first)
    old[0].msgstr, old[0].flags = "This year 387 community centres were built, five of them in villages.", []
    matched, stats = merge(segs("今年新建社區服務中心402個，其中六個在農村。"), old=roundtrip(old))
    assert stats.fuzzy_matched == 1 and "fuzzy" in matched[0].flags
    assert matched[0].msgstr == "This year 402 community centres were built, six of them in villages."
    assert "figures of this version put in: 387 → 402; five → six" in " ".join(catalog_notes.notes(matched[0])["match"])
    assert matched[0].previous_msgid == "今年新建社區服務中心387個，其中五個在農村。"
    # Kept so on the next run, note and all.
    again, _ = merge(segs("今年新建社區服務中心402個，其中六個在農村。"), old=roundtrip(matched))
    assert again[0].msgstr == matched[0].msgstr and again[0].comment == matched[0].comment


def test_figures_an_earlier_translation_cannot_take_are_left_and_noted():
    first, _ = merge(segs("今年新建社區服務中心387個。"))
    old = roundtrip(first)
    old[0].msgstr, old[0].flags = "This year many community centres were built.", []
    matched, _ = merge(segs("今年新建社區服務中心402個。"), old=roundtrip(old))
    assert matched[0].msgstr == "This year many community centres were built."
    assert "figures not carried over" in " ".join(catalog_notes.notes(matched[0])["match"])


def test_entries_are_read_once_into_values_the_later_stages_share():
    catalog = po.read_catalog(POEDIT_SAVES / "3-poedit-saved-after-approval.po")
    entries = catalog_entries.read_entries(catalog)
    assert [(e.number, e.state, e.origin, e.obsolete) for e in entries] == [
        (1, "reviewed", "dictionary", False), (2, "draft", "dictionary", False), (3, "reviewed", "", False),
        (4, "reviewed", "", False), (5, "reviewed", "", True)]
    first = entries[0]
    assert first.references == ("article.zh.txt:4",) and first.match is None and first.findings == ()
    assert first.terms == ("創先爭優",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.state = "draft"


def test_qa_comes_first_then_terms_then_the_origin_then_bookkeeping():
    term = Term(term="三個高地", english="three highlands", note="A strategy. Said often.", accept=("Three Highlands",))
    seg = [Segment(id=1, paragraph=1, line=4, role="heading", text="構築三個高地。")]

    def annotate(first, english):
        return ["qa: error (numbers): figure 3 is missing or altered", "qa: warning (leftovers): doubled space"]

    catalog, _ = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=seg,
                           hits={1: [TermHit(term, 2, 6, term.term)]}, old=None, signature=LONG_SIG,
                           drafter=_long_drafter, now=NOW, annotate=annotate)
    lines = catalog[0].comment.split("\n")
    assert [line.split(" ")[0] for line in lines] == ["qa:", "qa:", "三個高地", "draft:", "draft-setup:", "role:"]
    assert lines[2] == '三個高地 = "three highlands" or "Three Highlands" (A strategy.)'
    # Read back through a file, every note is where the readers look for it.
    entry = roundtrip(catalog)[0]
    info = catalog_entries.read_entry(entry, 1)
    assert info.findings[0].startswith("error (numbers)") and info.terms == ("三個高地",)
    assert info.origin == "dictionary" and catalog_entries.is_machine_draft(entry)
    assert catalog_notes.notes(entry)["role"] == ["heading"]


def test_notes_in_the_older_order_and_keys_are_read_and_rewritten_in_the_new():
    mark = f"[{catalog_notes.draft_id('A1.')} {catalog_notes.setup_hash(LONG_SIG)}]"
    old = polib.POFile()
    old.append(polib.POEntry(msgid="構築三個高地。", msgstr="A1.", flags=["fuzzy"], comment=(
        f'role: body\nglossary: 三個高地 = "three highlands" (A strategy. Said often.)\n'
        f"draft: dictionary {mark}\nqa: error (numbers): figure 3 is missing or altered")))
    info = catalog_entries.read_entry(old[0], 1)
    assert info.terms == ("三個高地",) and info.origin == "dictionary" and len(info.findings) == 1
    term = Term(term="三個高地", english="three highlands", note="A strategy. Said often.")
    catalog, stats = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW",
                               segments=segs("構築三個高地。"), hits={1: [TermHit(term, 2, 6, term.term)]},
                               old=roundtrip(old), signature=LONG_SIG, drafter=_long_drafter, now=NOW,
                               annotate=lambda seg, english: ["qa: warning (leftovers): doubled space"])
    assert stats.reused == 1
    assert catalog[0].comment == ("qa: warning (leftovers): doubled space\n"
                                  '三個高地 = "three highlands" (A strategy.)\n'
                                  f"draft: dictionary {mark}")


def test_a_term_line_wrapped_by_another_tool_is_read_whole_and_written_back_as_it_was(tmp_path):
    term = Term(term="科學發展觀", english="Scientific Outlook on Development", accept=("Scientific concept of development",),
                note="Hu Jintao's guiding ideology, written into the CPC Constitution in 2007. More.")
    kw = dict(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=segs("深入學習實踐科學發展觀。"),
              hits={1: [TermHit(term, 6, 11, term.term)]}, signature=LONG_SIG, now=NOW)
    first, _ = cat.merge(old=None, drafter=_long_drafter, **kw)
    path = tmp_path / "en.po"
    path.write_text(po.render(first), encoding="utf-8")
    foreign = polib.pofile(str(path))
    foreign.save(str(path))  # polib's writer wraps the notes
    written = path.read_text(encoding="utf-8")
    assert '#. 科學發展觀 = "Scientific Outlook on Development" or "Scientific concept of\n#. development"' in written
    entry = po.read_catalog(path)[0]
    assert catalog_entries.read_entry(entry, 1).terms == ("科學發展觀",)
    again, stats = cat.merge(old=po.read_catalog(path), drafter=Recorder(), **kw)
    assert stats.reused == 1 and again[0].comment == first[0].comment


@pytest.mark.parametrize("escaped, pieces", [
    ("well-known fact", ["well-", "known ", "fact"]),
    ("two  spaces", ["two  ", "spaces"]),  # a break after the last space of a run
    ("a -b", ["a ", "-b"]),
    ("a\\n-b", ["a\\n", "-b"]),  # the hyphen after a line break has no letter before it on its line
    ("x\\t-y", ["x\\t-", "y"]),  # gettext's wrapping treats the t of \\t as a letter
    ("\\\\n-a", ["\\\\n-", "a"]),  # an escaped backslash and an n: no line break
    ("ends\\n", ["ends\\n"]),
    ("報告指出，改革-開放", ["報", "告", "指", "出，", "改", "革", "-", "開", "放"]),
])
def test_strings_break_where_msgcat_breaks_them(escaped, pieces):
    assert po._pieces(escaped) == pieces
