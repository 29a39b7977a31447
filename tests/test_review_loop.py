"""Property: whatever reviewers, editors, glossary maintainers and re-runs do, in
whatever order, no reviewed translation is ever lost or changed by the pipeline.

Each example is a random sequence of steps against one article: reviewer edits
and approvals (saved by polib's own writer, as a foreign editor would), source
edits (replace with a near-duplicate, insert, delete), glossary changes (a new
draft signature) and re-runs through the real merge, our writer and the strict
reader.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import entries as catalog_entries
from pipeline.catalog import merge as cat
from pipeline.catalog import po
from pipeline.model import Draft, Segment
from tests.conftest import NOW

# Near-duplicates on purpose, so that edited sentences get fuzzy matches.
POOL = [
    "市委組織部評選表彰了50個企業黨組織。",
    "市委組織部評選表彰了54個企業黨組織。",
    "各級黨組織緊緊圍繞科學發展創先爭優。",
    "各級黨組織緊緊圍繞科學發展開展創先爭優。",
    "大港分局民警顧金鍾的先進事跡感動津城。",
    "全市共建立聯系點4800多個。",
    "(記者李川)",
    "學先進趕先進作貢獻當表率",
]

step = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 20), st.sampled_from(["Reviewed A.", "Fixed by desk.", "Better."])),
    st.tuples(st.just("approve"), st.integers(0, 20)),
    st.tuples(st.just("replace"), st.integers(0, 20), st.sampled_from(POOL)),
    st.tuples(st.just("insert"), st.integers(0, 20), st.sampled_from(POOL)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("glossary"),),
    st.tuples(st.just("rerun"),),
)


class Drafter:
    def __init__(self):
        self.signature = "engine:prop|glossary:0"

    def __call__(self, todo):
        return {s.id: Draft(text=f"machine {self.signature} {s.text}", engine="prop", signature=self.signature)
                for s in todo}


def segments(sentences):
    return [Segment(id=i, paragraph=i, line=i, role="body", text=t) for i, t in enumerate(sentences, start=1)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=st.lists(st.sampled_from(POOL), min_size=1, max_size=6), steps=st.lists(step, max_size=25))
def test_no_reviewed_translation_is_ever_lost(initial, steps):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "en.po"
        sentences = list(initial)
        drafter = Drafter()
        reviewed: dict[str, str] = {}  # what reviewers approved, as they left it
        edited_drafts: dict[str, str] = {}  # drafts a person changed but left fuzzy
        runs = 0

        def rerun():
            nonlocal runs
            runs += 1
            old = po.read_catalog(path) if path.exists() else None
            new, _ = cat.merge(slug="t", source_name="source.zh.txt", source_language="zh_TW",
                               segments=segments(sentences), hits={}, old=old, signature=drafter.signature,
                               drafter=drafter, now=NOW + timedelta(minutes=runs))
            path.write_text(po.render(new), encoding="utf-8")
            check()

        def check():
            entries = po.read_catalog(path)
            live = {e.msgid: e for e in entries if not e.obsolete}
            everything = {e.msgid: e for e in entries if e.msgid}
            assert set(live) == set(sentences)
            for msgid, text in reviewed.items():
                assert msgid in everything, f"reviewed entry lost: {msgid}"
                assert everything[msgid].msgstr == text  # obsolete ones keep theirs too
                if msgid in live:
                    assert catalog_entries.state(live[msgid]) == "reviewed"
            for msgid, text in edited_drafts.items():
                if msgid in everything:
                    assert everything[msgid].msgstr == text

        def reviewer(change):
            catalog = polib.pofile(str(path))
            live = [e for e in catalog if not e.obsolete]
            if live:
                change(live)
                catalog.save(str(path))  # polib's writer, not ours: a foreign editor

        rerun()
        for kind, *args in steps:
            if kind == "edit":
                def edit(live, i=args[0], text=args[1]):
                    e = live[i % len(live)]
                    e.msgstr = text
                    if catalog_entries.state(e) == "reviewed":
                        reviewed[e.msgid] = text
                    else:
                        edited_drafts[e.msgid] = text
                reviewer(edit)
            elif kind == "approve":
                def approve(live, i=args[0]):
                    e = live[i % len(live)]
                    if e.msgstr:
                        e.flags = [f for f in e.flags if f != "fuzzy"]
                        reviewed[e.msgid] = e.msgstr
                        edited_drafts.pop(e.msgid, None)
                reviewer(approve)
            elif kind == "replace" and sentences:
                sentences[args[0] % len(sentences)] = args[1]
            elif kind == "insert":
                sentences.insert(args[0] % (len(sentences) + 1), args[1])
            elif kind == "delete" and len(sentences) > 1:
                del sentences[args[0] % len(sentences)]
            elif kind == "glossary":
                drafter.signature = f"engine:prop|glossary:{runs}"
            elif kind == "rerun":
                rerun()
        rerun()
