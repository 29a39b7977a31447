"""Outputs built from the catalog: the English text and the bilingual HTML page.

Everything from the article, the catalog and the glossary is escaped; the
page is one self-contained file (inline CSS and JS, no network) under a strict
Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


from pipeline.catalog.entries import EntryInfo
from pipeline.model import Finding, Segment, TermHit

STATUS_LABELS = {"reviewed": "Reviewed", "draft": "Draft", "untranslated": "Untranslated"}


@dataclass(frozen=True)
class Row:
    """One segment with its current English and status, as outputs show it."""

    segment: Segment
    english: str
    status: str  # reviewed | draft | untranslated
    engine: str
    hits: tuple[TermHit, ...]
    findings: tuple[Finding, ...] = ()
    match: int | None = None  # a translation-memory draft's match %


def rows(segments: Sequence[Segment], entries: Sequence[EntryInfo], hits: Mapping[int, Sequence[TermHit]],
         findings: Sequence[Finding] = ()) -> list[Row]:
    """One row per segment, from the catalog's entries (``catalog.read_entries``)."""
    by_id = {e.msgid: e for e in entries if not e.obsolete and e.owned}
    by_segment: dict[int | None, list[Finding]] = {}
    for f in findings:
        by_segment.setdefault(f.segment, []).append(f)
    out = []
    for seg in segments:
        e = by_id.get(seg.text)
        out.append(Row(seg, e.msgstr if e else "", e.state if e else "untranslated", e.origin if e else "",
                       tuple(hits.get(seg.id, ())), tuple(by_segment.get(seg.id, ())), e.match if e else None))
    return out


def counts(rs: Sequence[Row]) -> dict[str, int]:
    c = {"segments": len(rs), "reviewed": 0, "draft": 0, "untranslated": 0}
    for r in rs:
        c[r.status] += 1
    return c


def english_text(rs: Sequence[Row], *, reviewed_only: bool = False) -> str:
    """The English article in the source's paragraph structure."""
    paragraphs: list[list[str]] = []
    last = None
    for r in rs:
        if r.segment.paragraph != last:
            paragraphs.append([])
            last = r.segment.paragraph
        if r.status == "untranslated" or (reviewed_only and r.status != "reviewed"):
            label = "untranslated" if r.status == "untranslated" else "not reviewed"
            paragraphs[-1].append(f"[{label}: {r.segment.text}]")
        else:
            paragraphs[-1].append(r.english.strip())
    return draft_notice(rs, reviewed_only=reviewed_only) + "\n\n".join(" ".join(p) for p in paragraphs) + "\n"


def draft_notice(rs: Sequence[Row], *, reviewed_only: bool = False) -> str:
    """While any segment is unreviewed, a first line saying how many are machine drafts, so
    the text cannot pass for a translation; nothing once every segment is reviewed, and
    nothing with ``reviewed_only`` (which shows no draft)."""
    c = counts(rs)
    if reviewed_only or c["reviewed"] == c["segments"]:
        return ""
    left = f", {c['untranslated']} untranslated" if c["untranslated"] else ""
    return (f"[Not for publication: {c['draft']} of {c['segments']} segments are unreviewed machine drafts"
            f"{left}.]\n\n")


# ---------------------------------------------------------------- HTML

_CSS = """
:root{--fg:#1a1a1a;--bg:#fff;--muted:#555;--line:#d9d9d9;--rev:#1b6e3a;--revbg:#e6f4ea;--dr:#8a5300;--drbg:#fff4e0;
--un:#a11b1b;--unbg:#fdecec;--hl:#eef3ff;--term:#fff0a8}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
[lang|=zh]{font-family:"Noto Serif CJK TC","Noto Sans CJK TC","PingFang TC","Microsoft JhengHei",serif}
[lang=zh-Hans]{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif}
header{padding:1rem 1.5rem;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--bg);z-index:2}
h1{font-size:1.25rem;margin:0 0 .25rem}
.counts{margin:.25rem 0;color:var(--muted)}
.bar{height:.6rem;background:var(--unbg);border-radius:.3rem;overflow:hidden;display:flex;max-width:40rem}
.bar .r{background:var(--rev)}.bar .d{background:#e0a030}
.legend span{margin-right:1rem}
main{padding:0 1.5rem 2rem}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th{text-align:left;color:var(--muted);font-weight:600;padding:.5rem;border-bottom:2px solid var(--line)}
th.num,td.num{width:3rem;color:var(--muted);font-size:.8rem;text-align:right}
tbody.para{border-bottom:1px solid var(--line)}
td{vertical-align:top;padding:.45rem .6rem}
tr.hl td,tr:focus-within td{background:var(--hl)}
tr.role-title td.src,tr.role-title td.tgt{font-size:1.3rem;font-weight:700}
tr.role-heading td.src,tr.role-heading td.tgt{font-weight:700;padding-top:1rem}
tr.role-byline td{font-style:italic;color:var(--muted)}
.status{display:inline-block;font-size:.75rem;font-weight:600;border-radius:.25rem;padding:0 .35rem;margin-right:.4rem;
border:1px solid currentColor;white-space:nowrap}
.status-reviewed .status{color:var(--rev);background:var(--revbg)}
.status-draft .status{color:var(--dr);background:var(--drbg)}
.status-untranslated .status{color:var(--un);background:var(--unbg)}
.status-untranslated td.tgt .text{color:var(--un)}
mark.term{background:var(--term);color:inherit;border-bottom:1px dotted #8a6d00;cursor:help}
mark.term.on{outline:2px solid #8a6d00}
mark.term:focus{outline:2px solid #1f4fd6}
.tip{display:none;position:absolute;z-index:5;max-width:28rem;background:#222;color:#fff;padding:.4rem .6rem;
border-radius:.3rem;font:14px/1.4 system-ui,sans-serif}
.qa{margin:.3rem 0 0;padding:0;list-style:none;font-size:.85rem}
.qa li{color:var(--un)}.qa li.warning{color:var(--dr)}
.qa li::before{content:"⚠ ";}
@media (max-width:700px){thead{display:none}table,tbody,tr,td{display:block;width:100%}
td.num{text-align:left;width:auto}td.tgt{border-left:3px solid var(--line)}}
@media print{header{position:static}.tip,.legend{display:none}tr{break-inside:avoid}
mark.term{background:none;border-bottom:none}body{font-size:11pt}}
"""

_JS = """
(function(){
var tip=document.getElementById('tip');
function rowOf(el){while(el&&el.tagName!=='TR')el=el.parentElement;return el}
function mark(e,on){var r=rowOf(e.target);if(r)r.classList.toggle('hl',on);
var t=e.target.closest?e.target.closest('mark.term'):null;if(!t)return;
document.querySelectorAll('mark.term[data-term="'+t.dataset.term+'"]').forEach(function(m){
if(rowOf(m)===r)m.classList.toggle('on',on)});
if(on){tip.textContent=t.dataset.tip;var b=t.getBoundingClientRect();tip.style.left=(window.scrollX+b.left)+'px';
tip.style.top=(window.scrollY+b.bottom+4)+'px';tip.style.display='block'}else tip.style.display='none'}
['mouseover','focusin'].forEach(function(ev){document.addEventListener(ev,function(e){mark(e,true)})});
['mouseout','focusout'].forEach(function(ev){document.addEventListener(ev,function(e){mark(e,false)})});
})();
"""


# Defence in depth for a page that holds text from outside (articles, reviewers,
# glossaries), escaped as it is: the browser may run only the script above
# (named by its hash), apply only the page's own inline styles, and fetch
# nothing at all: no images, fonts, frames, forms or connections.
CSP = ("default-src 'none'; "
       f"script-src 'sha256-{base64.b64encode(hashlib.sha256(_JS.encode()).digest()).decode()}'; "
       "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _term_key(hit: TermHit) -> str:
    return "t-" + hashlib.sha256(hit.term.term.encode("utf-8")).hexdigest()[:10]


def _tip(hit: TermHit) -> str:
    return f"{hit.term.term} → {hit.term.english}: {hit.term.note}"


def _mark(hit: TermHit, text: str) -> str:
    """``text`` highlighted as the term of ``hit``, with the term's note as its tooltip."""
    return (f'<mark class="term" tabindex="0" data-term="{_term_key(hit)}" data-tip="{_esc(_tip(hit))}" '
            f'title="{_esc(_tip(hit))}">{_esc(text)}</mark>')


def _marked_source(text: str, hits: Sequence[TermHit]) -> str:
    out, pos = [], 0
    for h in sorted(hits, key=lambda h: h.start):
        out.append(_esc(text[pos:h.start]))
        out.append(_mark(h, h.surface))
        pos = h.end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _marked_english(text: str, hits: Sequence[TermHit]) -> str:
    spans: list[tuple[int, int, TermHit]] = []
    for h in dict.fromkeys(hits):
        matches = (m for r in h.term.renderings for m in re.finditer(re.escape(r), text, flags=re.IGNORECASE))
        for m in matches:
            if all(m.end() <= s or m.start() >= e for s, e, _ in spans):
                spans.append((m.start(), m.end(), h))
                break
    out, pos = [], 0
    for s, e, h in sorted(spans, key=lambda x: x[0]):
        out.append(_esc(text[pos:s]))
        out.append(_mark(h, text[s:e]))
        pos = e
    out.append(_esc(text[pos:]))
    return "".join(out)


def html_page(rs: Sequence[Row], *, title: str, source_lang: str) -> str:
    c = counts(rs)
    total = max(c["segments"], 1)
    pr, pd = 100 * c["reviewed"] / total, 100 * c["draft"] / total
    body: list[str] = []
    last = None
    for r in rs:
        seg = r.segment
        if seg.paragraph != last:
            if last is not None:
                body.append("</tbody>")
            body.append(f'<tbody class="para" data-paragraph="{seg.paragraph}">')
            last = seg.paragraph
        label = STATUS_LABELS[r.status] + (f" · {r.engine}" if r.status == "draft" and r.engine else "")
        if r.status == "draft" and r.match is not None:
            label += f" {r.match}%"
        english = _marked_english(r.english, r.hits) if r.english else _esc("(not translated yet)")
        qa = ""
        if r.findings:
            qa = '<ul class="qa">' + "".join(
                f'<li class="{_esc(f.severity)}">{_esc(f.severity)}: {_esc(f.check)}: {_esc(f.message)}</li>'
                for f in r.findings) + "</ul>"
        body.append(
            f'<tr id="s{seg.id}" class="seg role-{seg.role} status-{r.status}" data-seg="{seg.id}">'
            f'<td class="num">{seg.id}</td>'
            f'<td class="src" lang="{source_lang}" tabindex="0">{_marked_source(seg.text, r.hits)}</td>'
            f'<td class="tgt" lang="en" tabindex="0"><span class="status">{_esc(label)}</span>'
            f'<span class="text">{english}</span>{qa}</td></tr>'
        )
    if last is not None:
        body.append("</tbody>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)} · bilingual review</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1 lang="{source_lang}">{_esc(title)}</h1>
<p class="counts">{c['segments']} segments · {c['reviewed']} reviewed · {c['draft']} drafts · {c['untranslated']} untranslated · {pr:.0f}% reviewed</p>
<div class="bar" role="progressbar" aria-label="reviewed" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{pr:.0f}"><span class="r" style="width:{pr:.1f}%"></span><span class="d" style="width:{pd:.1f}%"></span></div>
<p class="legend"><span class="status-reviewed"><span class="status">Reviewed</span></span><span class="status-draft"><span class="status">Draft</span></span><span class="status-untranslated"><span class="status">Untranslated</span></span></p>
</header>
<main>
<table class="bilingual">
<thead><tr><th class="num" scope="col">#</th><th scope="col">Source</th><th scope="col">English</th></tr></thead>
{chr(10).join(body)}
</table>
</main>
<div id="tip" class="tip" role="tooltip"></div>
<script>{_JS}</script>
</body>
</html>
"""
