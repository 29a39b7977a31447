"""The catalog merge on the cases where a slip loses or mislabels a reviewer's work:
twins of a reviewed line (obsolete, under a msgctxt), a draft whose sentence leaves
and comes back, two close earlier translations, which earlier translations may be
offered at all, flags other tools set, and the statistics a run reports.

Catalogs are written here as PO text and read with the project's strict reader, as
`zhen translate` reads them; docs/mutation.md tells which mutants these cases kill.
"""

from datetime import timedelta

import pytest

from pipeline.catalog import merge as cat
from pipeline.catalog import po
from pipeline.catalog.entries import state
from pipeline.catalog.notes import draft_id, notes, setup_hash
from pipeline.errors import CatalogError
from pipeline.model import Draft
from tests.conftest import NOW
from tests.test_catalog import SIG, Recorder, merge, segs

HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def read(tmp_path, body: str, name: str = "en.po"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return po.read_catalog(path)


def reread(tmp_path, catalog, name: str = "again.po"):
    """The catalog as the next run reads it: written by zhen's writer, parsed by its reader."""
    path = tmp_path / name
    path.write_text(po.render(catalog), encoding="utf-8")
    return po.read_catalog(path)


# ------------------------------------------------------------ twins of a reviewed line

TWINS = """
msgid "甲。"
msgstr "A, reviewed."

msgctxt "sidebar"
msgid "乙。"
msgstr "B, as the sidebar says it."

#~ msgid "乙。"
#~ msgstr "B, reviewed."

#~ msgctxt "caption"
#~ msgid "乙。"
#~ msgstr "B, as an old caption said it."
"""


def test_a_returning_sentence_gets_its_own_reviewed_line_not_a_twin_under_a_msgctxt(tmp_path):
    new, stats = merge(segs("甲。", "乙。"), old=read(tmp_path, TWINS))
    back = [e for e in new if e.msgid == "乙。" and e.msgctxt is None and not e.obsolete]
    assert [(e.msgstr, e.flags) for e in back] == [("B, reviewed.", [])]
    assert stats.reviewed == 2 and stats.drafted == 0
    # The entries under a msgctxt belong to someone else: kept as they were, never revived or dropped.
    assert [(e.msgctxt, e.msgstr, e.obsolete) for e in new if e.msgctxt] == [
        ("sidebar", "B, as the sidebar says it.", False), ("caption", "B, as an old caption said it.", True)]


def test_a_live_reviewed_line_wins_over_its_obsolete_twin(tmp_path):
    """A catalog another tool wrote (zhen's reader refuses the pair) still never loses the live line."""
    old = read(tmp_path, "")
    old.append(po.polib.POEntry(msgid="甲。", msgstr="A, reviewed."))
    old.append(po.polib.POEntry(msgid="甲。", msgstr="A, long ago.", obsolete=True))
    new, stats = merge(segs("甲。"), old=old)
    assert [(e.msgstr, e.flags, e.obsolete) for e in new] == [("A, reviewed.", [], False)]
    assert stats.reviewed == 1 and stats.obsolete == 0


def test_a_sentence_only_a_msgctxt_entry_knows_is_drafted_afresh(tmp_path):
    old = read(tmp_path, 'msgctxt "sidebar"\nmsgid "乙。"\nmsgstr "B, as the sidebar says it."\n')
    rec = Recorder()
    new, stats = merge(segs("乙。"), old=old, drafter=rec)
    assert rec.calls == [["乙。"]] and stats.reviewed == 0
    assert new.find("乙。").msgstr == "draft 1" and "fuzzy" in new.find("乙。").flags


# ------------------------------------------------------------ a draft that leaves and comes back

@pytest.mark.parametrize("signature", [SIG, "engine:newer"])
def test_a_machine_draft_whose_sentence_left_and_came_back_is_still_a_draft(tmp_path, signature):
    first, _ = merge(segs("甲。", "乙。"))
    left, stats = merge(segs("甲。"), old=reread(tmp_path, first, "left.po"))
    assert stats.obsolete == 1 and [e.flags for e in left if e.obsolete] == [["fuzzy"]]
    rec = Recorder("fresh")
    back, stats = merge(segs("甲。", "乙。"), old=reread(tmp_path, left, "back.po"), signature=signature,
                        drafter=rec)
    entry = back.find("乙。")
    assert state(entry) == "draft" and stats.reviewed == 0
    if signature == SIG:  # the same engine and setup: the draft is used again as it was
        assert entry.msgstr == "draft 2" and stats.reused == 2 and rec.calls == []
    else:  # a new setup refreshes it, as any machine draft
        assert entry.msgstr == "fresh 2" and rec.calls == [["甲。", "乙。"]]


def test_a_reviewed_line_that_left_keeps_its_flags_and_comment_while_obsolete(tmp_path):
    old = read(tmp_path, '# checked with the desk\n#, c-format\nmsgid "乙。"\nmsgstr "B, reviewed."\n')
    left, _ = merge(segs("甲。"), old=old)
    gone = [e for e in left if e.obsolete]
    assert [(e.msgid, e.msgstr, e.flags, e.tcomment) for e in gone] == [
        ("乙。", "B, reviewed.", ["c-format"], "checked with the desk")]
    back, stats = merge(segs("乙。"), old=reread(tmp_path, left))
    assert (back.find("乙。").msgstr, back.find("乙。").flags) == ("B, reviewed.", ["c-format"])
    assert stats.reviewed == 1


# ------------------------------------------------------------ earlier translations offered

NEW = "大港分局海濱派出所民警顧金鍾的先進事跡感動了津城。"
CLOSE = "大港分局海濱派出所民警顧金鍾的先進事跡感動津城。"  # one character less
FARTHER = "大港分局海濱派出所民警顧金鍾的事跡感動天津。"  # also over the threshold, less similar


@pytest.mark.parametrize("order", [(CLOSE, FARTHER), (FARTHER, CLOSE)])
def test_of_two_close_earlier_translations_the_closer_is_offered(tmp_path, order):
    texts = {CLOSE: "Gu moved Tianjin.", FARTHER: "Gu's deeds moved Tianjin."}
    body = "".join(f'\nmsgid "{m}"\nmsgstr "{texts[m]}"\n' for m in order)
    new, stats = merge(segs(NEW), old=read(tmp_path, body))
    entry = new.find(NEW)
    assert (entry.msgstr, entry.previous_msgid, entry.flags) == ("Gu moved Tianjin.", CLOSE, ["fuzzy"])
    assert entry.comment.split("\n")[-1] == ("match: translation of an earlier version of this sentence "
                                              "(98% similar); compare with the previous source")
    assert stats.fuzzy_matched == 1 and stats.drafted == 0 and stats.obsolete == 2


def old_entry(msgid, msgstr, *, flags="", note=""):
    flag_line = f"#, {flags}\n" if flags else ""
    note_line = f"#. {note}\n" if note else ""
    return f'\n{note_line}{flag_line}msgid "{msgid}"\nmsgstr "{msgstr}"\n'


def machine_draft(msgid, msgstr):
    note = f"draft: fake [{draft_id(msgstr)} {setup_hash(SIG)}]"
    return old_entry(msgid, msgstr, flags="fuzzy", note=note)


@pytest.mark.parametrize("body, offered", [
    (old_entry(CLOSE, "Gu moved Tianjin."), True),  # reviewed
    (old_entry(CLOSE, "Gu moved Tianjin (to check).", flags="fuzzy"), True),  # a person's unfinished text
    (old_entry(CLOSE, "Gu moved Tianjin, edited.", flags="fuzzy",
               note=f"draft: fake [{draft_id('something else')} {setup_hash(SIG)}]"), True),  # an edited draft
    (machine_draft(CLOSE, "A machine's words."), False),  # nobody checked it: a fresh draft is as good
    (old_entry(CLOSE, ""), False),  # nothing to offer
    (f'\nmsgctxt "sidebar"\nmsgid "{CLOSE}"\nmsgstr "Someone else\'s line."\n', False),
    (old_entry("今年新建社區服務中心387個。", "387 centres were built."), False),  # under the threshold
], ids=["reviewed", "unfinished", "edited-draft", "machine-draft", "empty", "msgctxt", "dissimilar"])
def test_which_earlier_translations_may_be_offered(tmp_path, body, offered):
    rec = Recorder()
    new, stats = merge(segs(NEW), old=read(tmp_path, body), drafter=rec)
    entry = new.find(NEW)
    if offered:
        assert rec.calls == [] and entry.previous_msgid == CLOSE and stats.fuzzy_matched == 1
        assert entry.msgstr in body and entry.flags == ["fuzzy"]
    else:
        assert rec.calls == [[NEW]] and entry.msgstr == "draft 1" and stats.fuzzy_matched == 0
        assert entry.previous_msgid is None


def test_a_translation_whose_sentence_is_still_there_is_not_offered_for_another(tmp_path):
    old = read(tmp_path, old_entry(CLOSE, "Gu moved Tianjin."))
    rec = Recorder()
    new, stats = merge(segs(CLOSE, NEW), old=old, drafter=rec)
    assert new.find(CLOSE).msgstr == "Gu moved Tianjin." and stats.reviewed == 1
    assert rec.calls == [[NEW]] and new.find(NEW).msgstr == "draft 2" and stats.fuzzy_matched == 0


def test_an_exact_memory_match_beats_the_translation_of_an_earlier_version(tmp_path):
    old = read(tmp_path, old_entry(CLOSE, "Gu moved Tianjin."))
    rec = Recorder("memory")
    new, stats = merge(segs(NEW), old=old, drafter=rec, exact=lambda seg: seg.text == NEW)
    assert rec.calls == [[NEW]] and new.find(NEW).msgstr == "memory 1" and stats.fuzzy_matched == 0
    inexact, stats = merge(segs(NEW), old=old, drafter=Recorder(), exact=lambda seg: False)
    assert inexact.find(NEW).msgstr == "Gu moved Tianjin." and stats.fuzzy_matched == 1


# ------------------------------------------------------------ flags other tools set

def test_a_reviewed_entry_keeps_its_other_flags_and_a_draft_its_fuzzy(tmp_path):
    body = (old_entry("甲。", "A, reviewed.", flags="c-format")
            + old_entry("乙。", "B, a person's start.", flags="fuzzy, no-wrap"))
    new, stats = merge(segs("甲。", "乙。"), old=read(tmp_path, body), signature="engine:newer")
    assert new.find("甲。").flags == ["c-format"] and new.find("乙。").flags == ["fuzzy", "no-wrap"]
    assert stats.reviewed == 1 and stats.edited == 1 and stats.drafted == 0


# ------------------------------------------------------------ statistics

def test_every_statistic_counts_past_one(tmp_path):
    """Two of each kind of entry (four edited: two drafts a person changed, two a person began;
    three reviewed segments: one sentence occurs twice), so that a count stuck at one, or
    counting twice, shows."""
    new_ones = ("市場繁榮穩定。", "交通運輸發展。")  # drafted this run
    done = {"刪一。", "刪二。", "機一。", "機二。", *new_ones}
    fresh = ("今日天氣晴朗。", "明天會下雨嗎？")  # like no earlier sentence, and the engine has nothing for them

    def some(todo):  # the engine leaves two sentences undrafted
        return {s.id: Draft(text=f"draft {s.id}", engine="fake", signature=SIG) for s in todo if s.text in done}

    first, _ = merge(segs("刪一。", "刪二。", "機一。", "機二。"), drafter=some)
    body = "".join(old_entry(m, f"{m} reviewed") for m in ("審一。", "審二。", "去一。", "去二。"))
    body += "".join(old_entry(m, f"{m} by hand", flags="fuzzy") for m in ("改一。", "改二。"))
    edited_note = f"draft: fake [{draft_id('what the engine wrote')} {setup_hash(SIG)}]"
    body += "".join(old_entry(m, f"{m} edited", flags="fuzzy", note=edited_note) for m in ("編一。", "編二。"))
    body += "".join(old_entry(m, "Gu moved Tianjin.") for m in (CLOSE, "今年新建社區服務中心387個。"))
    old = read(tmp_path, po.render(first).split("\n\n", 1)[1] + body)
    texts = ("審一。", "審二。", "機一。", "機二。", "改一。", "改二。", "編一。", "編二。", *fresh, *new_ones, "審一。",
             NEW, "今年新建社區服務中心415個。")
    new, stats = merge(segs(*texts), old=old, drafter=some)
    assert (stats.segments, stats.entries, stats.drafted, stats.reused, stats.reviewed, stats.edited,
            stats.fuzzy_matched, stats.untranslated, stats.obsolete, stats.changed) == (
            15, 14, 2, 2, 3, 4, 2, 2, 6, True)
    # Counted in segments (審一 occurs twice), so that the kinds add up to the article.
    assert (stats.drafted + stats.reused + stats.reviewed + stats.edited + stats.fuzzy_matched
            + stats.untranslated) == stats.segments
    # The sentences that left, and the earlier versions whose translations were offered.
    assert sorted(e.msgid for e in new if e.obsolete) == sorted(
        ["刪一。", "刪二。", "去一。", "去二。", CLOSE, "今年新建社區服務中心387個。"])
    assert [(new.find(m).msgstr, new.find(m).flags) for m in fresh] == [("", []), ("", [])]


def test_a_run_that_changes_nothing_says_so_and_keeps_the_date(tmp_path):
    first, _ = merge(segs("甲。", "乙。"))
    old = reread(tmp_path, first)
    again, stats = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=segs("甲。", "乙。"),
                             hits={}, old=old, signature=SIG, drafter=Recorder(), now=NOW + timedelta(days=1))
    assert not stats.changed and again.metadata["PO-Revision-Date"] == old.metadata["PO-Revision-Date"]
    moved, stats = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=segs("乙。", "甲。"),
                             hits={}, old=old, signature=SIG, drafter=Recorder(), now=NOW + timedelta(days=1))
    assert stats.changed and moved.metadata["PO-Revision-Date"] != old.metadata["PO-Revision-Date"]


def test_two_equally_close_earlier_translations_offer_the_first_in_the_catalog(tmp_path):
    body = old_entry("今天甲乙丙丁。", "First.") + old_entry("今天甲乙丙戊。", "Second.")
    new, _ = merge(segs("今天甲乙丙己。"), old=read(tmp_path, body))
    assert (new[0].msgstr, new[0].previous_msgid) == ("First.", "今天甲乙丙丁。")


@pytest.mark.parametrize("earlier", ["甲乙丙", "甲乙丙子丑"])  # 2·3/(3+7) and 2·3/(5+5): exactly 60%
def test_an_earlier_translation_exactly_at_the_threshold_is_offered(tmp_path, earlier):
    new, stats = merge(segs("甲乙丙丁戊己庚" if len(earlier) == 3 else "甲乙丙丁戊"),
                       old=read(tmp_path, old_entry(earlier, "At the threshold.")))
    assert new[0].msgstr == "At the threshold." and stats.fuzzy_matched == 1
    assert "(60% similar)" in new[0].comment


def test_a_long_sentence_whose_characters_all_recur_still_finds_its_earlier_version(tmp_path):
    """Over 200 characters difflib's default would treat every recurring character as noise."""
    earlier = "，".join("天津市委書記在會上強調要堅持創新發展" for _ in range(12)) + "。"
    now = earlier.replace("創新", "發展", 1).removesuffix("。") + "，"
    new, stats = merge(segs(now), old=read(tmp_path, old_entry(earlier, "The long list, reviewed.")))
    assert new[0].msgstr == "The long list, reviewed." and stats.fuzzy_matched == 1


# ------------------------------------------------------------ entries left empty, drafts' previous sources

def test_an_entry_left_empty_is_drafted_on_the_next_run_or_stays_untranslated(tmp_path):
    old = read(tmp_path, old_entry("甲。", "") + old_entry("乙。", ""))
    new, stats = merge(segs("甲。", "乙。"), old=old, drafter=Recorder())
    assert [e.msgstr for e in new] == ["draft 1", "draft 2"] and stats.drafted == 2 and stats.edited == 0
    refused, stats = merge(segs("甲。", "乙。"), old=old, drafter=lambda todo: {})
    assert [(e.msgstr, e.flags) for e in refused] == [("", []), ("", [])]
    assert stats.untranslated == 2 and stats.edited == 0 and stats.reviewed == 0


def test_a_draft_keeps_the_previous_source_it_was_made_from_on_later_runs(tmp_path):
    def from_memory(todo):
        return {s.id: Draft(text=f"memory {s.id}", engine="tm", signature=SIG, previous="今年建了387個。")
                for s in todo}

    first, _ = merge(segs("今年建了415個。", "乙。"), drafter=from_memory)
    assert first[0].previous_msgid == "今年建了387個。"
    again, stats = merge(segs("今年建了415個。", "乙。"), old=reread(tmp_path, first, "1.po"))
    assert again[0].previous_msgid == "今年建了387個。" and stats.reused == 2
    edited = reread(tmp_path, again, "2.po")
    edited[0].msgstr = "415 were built this year."
    kept, stats = merge(segs("今年建了415個。", "乙。"), old=reread(tmp_path, edited, "3.po"))
    assert kept[0].previous_msgid == "今年建了387個。" and stats.edited == 1
    # The draft's origin stays, and the reviewer's edit is said after it (body text has no role line).
    assert kept[0].comment.splitlines()[:2] == ["draft: tm", "edited: a reviewer changed this draft; it is kept and no "
                                                "longer refreshed"]
    left, _ = merge(segs("乙。"), old=reread(tmp_path, kept, "4.po"))
    gone = [e for e in reread(tmp_path, left, "5.po") if e.obsolete]
    assert [(e.msgid, e.previous_msgid) for e in gone] == [("今年建了415個。", "今年建了387個。")]


def test_sentences_that_leave_stay_in_the_catalogs_order(tmp_path):
    body = "".join(old_entry(m, f"{m} reviewed") for m in ("甲。", "乙。", "丙。", "丁。"))
    body += '\n#~ msgid "戊。"\n#~ msgstr "戊。 reviewed"\n'
    new, stats = merge(segs("丁。"), old=read(tmp_path, body))
    assert [e.msgid for e in new if e.obsolete] == ["甲。", "乙。", "丙。", "戊。"] and stats.obsolete == 4


# ------------------------------------------------------------ the memory's signatures, asked sparingly

def test_a_signature_per_sentence_refreshes_only_the_drafts_it_no_longer_matches(tmp_path):
    first, _ = merge(segs("甲。", "乙。", "丙。", "甲。"))
    old = reread(tmp_path, first)
    old.find("丙。").msgstr, old.find("丙。").flags = "C, reviewed.", []
    asked = []

    def expected(seg):
        asked.append((seg.text, seg.line))
        return SIG if seg.text == "甲。" else "memory:newer"

    rec = Recorder("fresh")
    new, stats = merge(segs("甲。", "乙。", "丙。", "甲。", "丁。"), old=old, signature=expected, drafter=rec)
    assert rec.calls == [["乙。", "丁。"]] and stats.reused == 2 and stats.reviewed == 1  # 甲 twice
    assert new.find("甲。").msgstr == "draft 1" and new.find("乙。").msgstr == "fresh 2"
    # Asked once, for a sentence's first occurrence, and only where a machine draft may have gone stale.
    assert asked == [("甲。", 4), ("乙。", 5)]


# ------------------------------------------------------------ entries zhen does not own

def test_a_plural_entry_holding_a_sentence_is_refused_naming_file_and_line(tmp_path):
    plural = '\nmsgid "甲。"\nmsgid_plural "甲們。"\nmsgstr[0] "A"\nmsgstr[1] "As"\n'
    old = read(tmp_path, plural)
    with pytest.raises(CatalogError) as info:
        merge(segs("甲。"), old=old)
    assert str(info.value) == (f"{tmp_path / 'en.po'}:6: a plural entry has the msgid of a source sentence, "
                               "whose entry zhen writes; give it a msgctxt or remove it")
    new, _ = merge(segs("乙。"), old=old)  # any other sentence: the plural entry is kept as it was
    kept = [e for e in new if e.msgid_plural]
    assert [(e.msgid, e.msgstr_plural) for e in kept] == [("甲。", {0: "A", 1: "As"})]


# ------------------------------------------------------------ header, notes and counts around the entries

def test_a_first_catalog_has_the_whole_header(tmp_path):
    new, stats = merge(segs("甲。"))
    assert new.header == "English translation of t.\n" and not new.metadata_is_fuzzy
    assert new.metadata == cat.new_header(slug="t", source_language="zh_TW", now=NOW)
    assert new.metadata["Project-Id-Version"] == "t" and new.metadata["X-Source-Language"] == "zh_TW"
    assert stats.obsolete == 0
    purged, stats = merge(segs("甲。"), old=reread(tmp_path, new), purge_obsolete=True)
    assert stats.obsolete == 0


def test_an_old_header_is_completed_and_its_date_and_generator_move_with_a_change(tmp_path):
    old = read(tmp_path, old_entry("甲。", "A."))
    old.metadata["X-Generator"] = "Poedit 3.4"
    old.metadata["PO-Revision-Date"] = "2026-01-01 00:00+0000"
    later = NOW + timedelta(days=1)
    new, _ = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=segs("甲。", "乙。"),
                       hits={}, old=old, signature=SIG, drafter=Recorder(), now=later)
    fresh = cat.new_header(slug="t", source_language="zh_TW", now=later)
    assert new.metadata == {**fresh, "Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    assert new.metadata["PO-Revision-Date"] == later.strftime(cat.DATE_FORMAT)
    assert new.metadata["X-Generator"] == fresh["X-Generator"] != "Poedit 3.4"


def test_quality_notes_reach_every_entry_that_has_english(tmp_path):
    old = read(tmp_path, old_entry("甲。", "A, reviewed."))
    seen = []

    def annotate(seg, english):
        seen.append((seg.text, english))
        return [f"qa: warning (test): looked at {english!r}"]

    new, _ = merge(segs("甲。", "乙。", "丙。"), old=old, annotate=annotate,
                   drafter=lambda todo: {s.id: Draft(text="B.", engine="fake", signature=SIG)
                                         for s in todo if s.text == "乙。"})
    assert seen == [("甲。", "A, reviewed."), ("乙。", "B.")]  # not the entry left empty
    assert notes(new.find("乙。"))["qa"] == ["warning (test): looked at 'B.'"]
    assert "qa" not in notes(new.find("丙。"))


def test_a_note_that_ends_in_a_space_does_not_make_every_run_a_change(tmp_path):
    """The reader drops a note's trailing space, so the next run must not take that for a change."""
    def annotate(seg, english):
        return ["qa: warning (test): the English ends with a space "]

    first, _ = merge(segs("甲。"), annotate=annotate)
    again, stats = merge(segs("甲。"), old=reread(tmp_path, first), annotate=annotate)
    assert not stats.changed


def test_a_previous_source_line_that_goes_away_is_a_change(tmp_path):
    """A reviewed entry drops the `#|` line a tool left on it: the catalog changes, and its date with it."""
    old = read(tmp_path, '\n#| msgid ""\nmsgid "甲。"\nmsgstr "A, reviewed."\n')
    new, stats = merge(segs("甲。"), old=old)
    assert new[0].previous_msgid is None and stats.changed
