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
    edited: bool = False  # a draft a reviewer changed and has not approved

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def needs_review(self) -> bool:
        """What ``zhen next`` lists: anything not approved, and approved text with QA errors."""
        return self.status != "reviewed" or self.errors > 0

    @property
    def badge(self) -> str:
        """The row's status as its badge says it: an approved entry with errors is never just "Reviewed"."""
        if self.status == "reviewed":
            n = self.errors
            return f"Reviewed · {n} error{'s' if n != 1 else ''}" if n else "Reviewed"
        if self.status == "draft":
            if self.edited:
                return "Draft · edited, not approved"
            label = f"Draft · {self.engine}" if self.engine else "Draft"
            return label + (f" {self.match}%" if self.match is not None else "")
        return STATUS_LABELS[self.status]


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
                       tuple(hits.get(seg.id, ())), tuple(by_segment.get(seg.id, ())), e.match if e else None,
                       e.edited if e else False))
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
header{padding:.7rem 1.5rem;border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--bg);z-index:2}
h1{font-size:1.25rem;margin:0 0 .25rem}
.counts{margin:.25rem 0;color:var(--muted)}
.bar{height:.6rem;background:var(--unbg);border-radius:.3rem;overflow:hidden;display:flex;max-width:40rem}
.bar .r{background:var(--rev)}.bar .d{background:#e0a030}
.legend{margin:.3rem 0 0}.legend span{margin-right:1rem}
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
mark.term{background:none;color:inherit;text-decoration:underline dotted #8a6d00;text-underline-offset:.2em;
cursor:help}
mark.term:hover,mark.term:focus,mark.term.on{background:var(--term)}
mark.term.on{outline:2px solid #8a6d00}
mark.term:focus{outline:2px solid #1f4fd6}
.status-reviewed.flagged .status{color:var(--un);background:var(--unbg)}
.qa-summary{margin:.35rem 0;display:flex;flex-wrap:wrap;gap:.3rem .9rem;align-items:baseline}
.qa-summary .total{font-weight:600}.qa-summary .total.errors{color:var(--un)}
.qa-summary ul{display:contents}.qa-summary li{list-style:none;color:var(--muted)}
.qa-summary li b{color:var(--fg)}
.controls{display:flex;flex-wrap:wrap;gap:.2rem 1rem;align-items:center;font-size:.9rem;color:var(--muted)}
.controls label{cursor:pointer}.controls kbd{border:1px solid var(--line);border-radius:.2rem;padding:0 .25rem;
font:12px ui-monospace,monospace;background:#f6f6f6}
body[data-filter=review] tr.seg:not(.needs-review),body[data-filter=findings] tr.seg:not(.has-findings){display:none}
tr.seg.current td{box-shadow:inset 0 2px #1f4fd6,inset 0 -2px #1f4fd6}
#glossary{padding:0 1.5rem 2rem}#glossary dt{font-weight:600;margin-top:.6rem}#glossary dd{margin:.1rem 0 0 1.2rem}
#glossary .en{font-weight:400}#glossary .src{color:var(--muted);font-size:.85rem}
.tip{display:none;position:absolute;z-index:5;max-width:28rem;background:#222;color:#fff;padding:.4rem .6rem;
border-radius:.3rem;font:14px/1.4 system-ui,sans-serif}
.qa{margin:.3rem 0 0;padding:0;list-style:none;font-size:.85rem}
.qa li{color:var(--un)}.qa li.warning{color:var(--dr)}
.qa li::before{content:"⚠ ";}
@media (max-width:700px){thead{display:none}table,tbody,tr,td{display:block;width:100%}
td.num{text-align:left;width:auto}td.tgt{border-left:3px solid var(--line)}}
@media print{header{position:static}.tip,.legend,.controls{display:none}tr{break-inside:avoid}
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
document.querySelectorAll('input[name=filter]').forEach(function(r){r.addEventListener('change',function(){
document.body.dataset.filter=r.value})});
var checked=document.querySelector('input[name=filter]:checked');if(checked)document.body.dataset.filter=checked.value;
function go(cls,step){var cur=rowOf(document.activeElement)||document.querySelector('tr.seg.current');
var rows=Array.prototype.filter.call(document.querySelectorAll('tr.seg.'+cls),function(r){
return r.offsetParent!==null&&(!cur||(cur.compareDocumentPosition(r)&(step>0?4:2)))});
var next=step>0?rows[0]:rows[rows.length-1];if(!next)return;
document.querySelectorAll('tr.seg.current').forEach(function(r){r.classList.remove('current')});
next.classList.add('current');var cell=next.querySelector('td.tgt');cell.focus();cell.scrollIntoView({block:'center'})}
var keys={j:['has-findings',1],k:['has-findings',-1],n:['needs-review',1],p:['needs-review',-1]};
document.addEventListener('keydown',function(e){if(e.ctrlKey||e.metaKey||e.altKey)return;
var k=keys[e.key];if(!k)return;e.preventDefault();go(k[0],k[1])});
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
    """The term's full glossary note, which the catalog only quotes the start of."""
    also = f" (also accepted: {', '.join(hit.term.accept)})" if hit.term.accept else ""
    return f"{hit.term.term} → {hit.term.english}{also}: {hit.term.note}"


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


def _summary(rs: Sequence[Row]) -> str:
    """The QA findings at a glance: totals, then a count per check, most frequent first."""
    findings = [f for r in rs for f in r.findings]
    errors = sum(f.severity == "error" for f in findings)
    per_check: dict[str, int] = {}
    for f in findings:
        per_check[f.check] = per_check.get(f.check, 0) + 1
    rows_with = sum(1 for r in rs if r.findings)
    if not findings:
        return '<p class="qa-summary" id="qa-summary"><span class="total">QA: no findings</span></p>'
    checks = "".join(f'<li data-check="{_esc(c)}">{_esc(c)} <b>{n}</b></li>'
                     for c, n in sorted(per_check.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f'<div class="qa-summary" id="qa-summary"><span class="total{" errors" if errors else ""}">QA: {errors} '
            f'error{"s" if errors != 1 else ""}, {len(findings) - errors} warning{"s" if len(findings) - errors != 1 else ""}'
            f' in {rows_with} segment{"s" if rows_with != 1 else ""}</span><ul>{checks}</ul></div>')


def _controls(rs: Sequence[Row]) -> str:
    review = sum(r.needs_review for r in rs)
    flagged = sum(1 for r in rs if r.findings)
    choices = (("all", f"all ({len(rs)})"), ("review", f"needs review ({review})"),
               ("findings", f"has findings ({flagged})"))
    radios = "".join(f'<label><input type="radio" name="filter" value="{v}"{" checked" if v == "all" else ""}> '
                     f"{label}</label>" for v, label in choices)
    return (f'<div class="controls" role="group" aria-label="filter">Show: {radios}'
            '<span class="keys"><kbd>j</kbd>/<kbd>k</kbd> next/previous finding · '
            "<kbd>n</kbd>/<kbd>p</kbd> next/previous entry to review</span></div>")


def _glossary_section(rs: Sequence[Row]) -> str:
    """Every glossary term the article uses, with its full note: the catalog only quotes its start."""
    terms = {h.term.term: h.term for r in rs for h in r.hits}
    if not terms:
        return ""
    items = []
    for t in terms.values():
        also = f" (also accepted: {', '.join(t.accept)})" if t.accept else ""
        source = f'<div class="src">Source: {_esc(t.source)}</div>' if t.source else ""
        items.append(f'<dt lang="zh">{_esc(t.term)} <span class="en" lang="en">→ {_esc(t.english + also)}</span></dt>'
                     f'<dd>{_esc(t.note)}{source}</dd>')
    return f'<section id="glossary"><h2>Glossary terms in this article</h2><dl>{"".join(items)}</dl></section>'


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
        english = _marked_english(r.english, r.hits) if r.english else _esc("(not translated yet)")
        qa = ""
        if r.findings:
            qa = '<ul class="qa">' + "".join(
                f'<li class="{_esc(f.severity)}">{_esc(f.severity)}: {_esc(f.check)}: {_esc(f.message)}</li>'
                for f in r.findings) + "</ul>"
        flags = (" needs-review" if r.needs_review else "") + (" has-findings" if r.findings else "") + \
            (" flagged" if r.status == "reviewed" and r.errors else "") + (" edited" if r.edited else "")
        body.append(
            f'<tr id="s{seg.id}" class="seg role-{seg.role} status-{r.status}{flags}" data-seg="{seg.id}">'
            f'<td class="num">{seg.id}</td>'
            f'<td class="src" lang="{source_lang}" tabindex="0">{_marked_source(seg.text, r.hits)}</td>'
            f'<td class="tgt" lang="en" tabindex="0"><span class="status">{_esc(r.badge)}</span>'
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
{_summary(rs)}
{_controls(rs)}
<p class="legend"><span class="status-reviewed"><span class="status">Reviewed</span></span><span class="status-reviewed flagged"><span class="status">Reviewed · errors</span></span><span class="status-draft"><span class="status">Draft</span></span><span class="status-untranslated"><span class="status">Untranslated</span></span></p>
</header>
<main>
<table class="bilingual">
<thead><tr><th class="num" scope="col">#</th><th scope="col">Source</th><th scope="col">English</th></tr></thead>
{chr(10).join(body)}
</table>
</main>
{_glossary_section(rs)}
<div id="tip" class="tip" role="tooltip"></div>
<script>{_JS}</script>
</body>
</html>
"""
