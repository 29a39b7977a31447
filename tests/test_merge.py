"""The catalog merge on the cases where a slip loses or mislabels a reviewer's work:
twins of a reviewed line (obsolete, under a msgctxt), a draft whose sentence leaves
and comes back, two close earlier translations, which earlier translations may be
offered at all, flags other tools set, and the statistics a run reports.

Catalogs are written here as PO text and read with the project's strict reader, as
`zhen translate` reads them; docs/mutation.md tells which mutants these cases kill.
"""

from datetime import timedelta

import pytest

from pipeline import catalog as cat
from pipeline import po
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
    assert cat.state(entry) == "draft" and stats.reviewed == 0
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
    assert "(98% similar)" in entry.comment
    assert stats.fuzzy_matched == 1 and stats.drafted == 0 and stats.obsolete == 2


def old_entry(msgid, msgstr, *, flags="", note=""):
    flag_line = f"#, {flags}\n" if flags else ""
    note_line = f"#. {note}\n" if note else ""
    return f'\n{note_line}{flag_line}msgid "{msgid}"\nmsgstr "{msgstr}"\n'


def machine_draft(msgid, msgstr):
    note = f"draft: fake [{cat.draft_id(msgstr)} {cat.setup_hash(SIG)}]"
    return old_entry(msgid, msgstr, flags="fuzzy", note=note)


@pytest.mark.parametrize("body, offered", [
    (old_entry(CLOSE, "Gu moved Tianjin."), True),  # reviewed
    (old_entry(CLOSE, "Gu moved Tianjin (to check).", flags="fuzzy"), True),  # a person's unfinished text
    (old_entry(CLOSE, "Gu moved Tianjin, edited.", flags="fuzzy",
               note=f"draft: fake [{cat.draft_id('something else')} {cat.setup_hash(SIG)}]"), True),  # an edited draft
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
    """Two of each kind of entry, so that a count stuck at one, or counting twice, shows."""
    done = {"刪一。", "刪二。", "機一。", "機二。"}
    fresh = ("今日天氣晴朗。", "明天會下雨嗎？")  # like no earlier sentence

    def some(todo):  # the engine leaves two sentences undrafted
        return {s.id: Draft(text=f"draft {s.id}", engine="fake", signature=SIG) for s in todo if s.text in done}

    first, _ = merge(segs("刪一。", "刪二。", "機一。", "機二。"), drafter=some)
    body = "".join(old_entry(m, f"{m} reviewed") for m in ("審一。", "審二。", "去一。", "去二。"))
    body += "".join(old_entry(m, f"{m} by hand", flags="fuzzy") for m in ("改一。", "改二。"))
    body += "".join(old_entry(m, "Gu moved Tianjin.") for m in (CLOSE, "今年新建社區服務中心387個。"))
    old = read(tmp_path, po.render(first).split("\n\n", 1)[1] + body)
    texts = ("審一。", "審二。", "機一。", "機二。", "改一。", "改二。", *fresh, "審一。",
             NEW, "今年新建社區服務中心415個。")
    new, stats = merge(segs(*texts), old=old, drafter=some)
    assert (stats.segments, stats.entries, stats.drafted, stats.reused, stats.reviewed, stats.edited,
            stats.fuzzy_matched, stats.untranslated, stats.obsolete, stats.changed) == (
            11, 10, 2, 2, 2, 2, 2, 2, 6, True)
    # The sentences that left, and the earlier versions whose translations were offered.
    assert sorted(e.msgid for e in new if e.obsolete) == sorted(
        ["刪一。", "刪二。", "去一。", "去二。", CLOSE, "今年新建社區服務中心387個。"])


def test_a_run_that_changes_nothing_says_so_and_keeps_the_date(tmp_path):
    first, _ = merge(segs("甲。", "乙。"))
    old = reread(tmp_path, first)
    again, stats = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=segs("甲。", "乙。"),
                             hits={}, old=old, signature=SIG, drafter=Recorder(), now=NOW + timedelta(days=1))
    assert not stats.changed and again.metadata["PO-Revision-Date"] == old.metadata["PO-Revision-Date"]
    moved, stats = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW", segments=segs("乙。", "甲。"),
                             hits={}, old=old, signature=SIG, drafter=Recorder(), now=NOW + timedelta(days=1))
    assert stats.changed and moved.metadata["PO-Revision-Date"] != old.metadata["PO-Revision-Date"]
