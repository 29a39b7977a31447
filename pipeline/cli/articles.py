"""The commands over articles: translate, segment, status, html, check."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipeline.engines.registry import ENGINES
from pipeline.cli.common import (
    console,
    printable,
    labelled,
    Context,
    _glossary,
    _root,
    _settings,
    _print_table,
    _emit,
    glossary_option,
    follow_option,
    _warn_unread_settings,
    _warn_loose_texts,
    _memory,
    _null,
    _reads,
)


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              help="Folder that plays the article folder's role: outputs go there, and its catalog is merged next time.")
@click.option("--engine", type=click.Choice(["auto", *sorted(ENGINES)]), default="auto", show_default=True,
              help="auto: the LLM server when [llm] is configured, else Argos when a zh→en model is "
                   "installed, else the dictionary engine.")
@click.option("--purge-obsolete", is_flag=True, help="Drop entries whose sentence left the article.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article on stdout.")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="Settings file (default: the project's zhen.toml when present).")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]),
              help="Argos: where CTranslate2 runs [cpu]; auto: CUDA when it sees a GPU.")
@click.option("--compute-type", help="Argos: CTranslate2 compute type [int8 on CPU, float16 on CUDA].")
@click.option("--beam-size", type=click.IntRange(1), help="Argos: beam size [4].")
@click.option("--threads", "intra_threads", type=click.IntRange(0), help="Argos: threads per translation [0: auto].")
@click.option("--force", is_flag=True, help="Run every stage even where nothing changed since the last run.")
@click.option("--place", help="The articles' place (天津, Zhejiang, 紹興…) or \"national\": which place-scoped "
                              "glossary terms apply [zhen.toml's [places], else detected from the text].")
@click.option("--summary", is_flag=True,
              help="Only the total line over all articles (with --json, only the totals object).")
@click.option("--jobs", "-j", type=click.IntRange(0), default=1, show_default=True,
              help="Worker processes for the articles that need a run; 0: one per CPU (see docs/scale.md).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: the workers are Ray actors on the cluster RAY_ADDRESS names (else a local Ray); "
                   "--jobs is then the number of actors, 0: one per CPU of the cluster (see docs/scale.md).")
@glossary_option
@follow_option
@click.pass_obj
def translate(obj: Context, sources, output, engine, purge_obsolete, as_json, config_path, device, compute_type,
              beam_size, intra_threads, force, place, summary, jobs, executor, glossary_path,
              follow_symlinks) -> None:
    """Draft and merge the review catalog, English text and bilingual page.

    SOURCES are article folders (holding source*.txt), text files, or folders
    this command wrote for a text file (translated again from the source their
    catalog records); with none, every article under translations/ is
    translated. Reviewed entries are never overwritten. An article whose source,
    glossary, settings, catalog and outputs are all as the last run left them is
    skipped (--force runs it) and reported "up to date".

    Each article's line adds up its segments: drafted (by the engine), from
    memory, reused (an earlier machine draft kept), reviewed, edited (a draft a
    person changed but has not approved), carried over (the translation of an
    earlier version of the sentence) and untranslated. Over several articles a
    total line follows; --summary prints only that line. With --json, one object
    per article, then {"totals": {...}} over several articles or with --summary.

    \b
    Example:
      zhen translate translations/tianjin-chuangxian-zhengyou --json
    """
    from pipeline.glossary.table import glossary_files
    from pipeline.session import open_run, read_settings
    from pipeline.workspace.batch import Failure, total
    from pipeline.workspace.locate import refuse_non_article, to_translate

    for source in sources:  # before settings or a project are looked for: the mistake is the path
        refuse_non_article(source)
    config, config_file = _settings(obj, config_path, sources)
    settings = read_settings(config, path=config_file, device=device, compute_type=compute_type,
                             beam_size=beam_size, intra_threads=intra_threads)
    elsewhere = None
    if executor == "ray":  # before any work: Ray may not be installed
        from pipeline.workspace import cluster

        argos = engine == "argos" or engine == "auto" and settings.llm is None
        elsewhere = cluster.executor(device=settings.argos.device if argos else "cpu")
    from pipeline.workspace.outputs import article_outputs, check_articles, refuse_overwrites
    from pipeline.glossary import scope

    forced = scope.option_scope(place) if place is not None else None
    from pipeline.config import declared_places

    places = declared_places(config, path=config_file)
    base = config_file.parent if config_file is not None else None

    def declared(article):
        return forced or scope.declared_for(article.folder, places, base=base)

    glossary_path = _glossary(glossary_path, sources)
    files = glossary_files(glossary_path, follow_symlinks=follow_symlinks)
    _warn_loose_texts(obj, sources)
    articles = to_translate(sources, output=output, root=_root(sources), follow_symlinks=follow_symlinks)
    check_articles(articles)  # before anything is written: no output may be a source
    refuse_overwrites([o for a in articles for o in article_outputs(a)],
                      _reads(sources, config=config_file, glossary=glossary_path, follow_symlinks=follow_symlinks,
                             catalogs=False))  # nor what the memory, the glossary or the settings are
    _warn_unread_settings(obj, sources, articles)
    from pipeline.model import now_utc
    from pipeline.session import Recipe
    from pipeline.workspace.pool import default_jobs

    memory = _memory(obj, sources, quiet=as_json, follow_symlinks=follow_symlinks)
    now = now_utc()  # one revision date for the run, whichever process writes an article
    run = open_run(settings, glossary=glossary_path, engine=engine, memory=memory,
                   purge_obsolete=purge_obsolete, follow_symlinks=follow_symlinks, warn=obj.warn, say=obj.say,
                   place=declared, scope_key=f"|place:{forced}|places:{places}", now=now)
    recipe = Recipe(engine=engine, glossary=glossary_path, engine_settings=settings.for_engines(), memory=memory,
                    min_score=settings.min_score, follow_symlinks=follow_symlinks, purge_obsolete=purge_obsolete,
                    now=now, forced_place=forced, places=tuple(places), base=base)
    # One bar over the run's articles on a terminal; in CI, and with --json, the lines alone.
    bar = obj.progress(enabled=not as_json and not os.environ.get("CI"))
    overall = bar.add_task("articles", total=len(articles)) if bar else None

    def progress_for(article):
        def progress(done: int, of: int) -> None:  # an article's segments, where the engine drafts here
            if bar and overall is not None:
                bar.update(overall, description=f"articles ({article.slug}: {done}/{of} segments)")
        return progress

    results = []
    with bar or _null():
        for result in run.translate_all(articles, glossary_files=files, force=force, progress_for=progress_for,
                                        jobs=jobs or (0 if elsewhere else default_jobs()), recipe=recipe,
                                        executor=elsewhere):
            results.append(result)
            if bar and overall is not None:
                bar.update(overall, advance=1, description="articles")
            if isinstance(result, Failure):
                labelled(obj.err, "error", "red", result.error)
            elif summary:
                _report_faults(obj, result)
            elif as_json:
                _report_faults(obj, result)
                _emit({**result.as_json(), "settings": None if config_file is None else str(config_file)})
            else:
                _report_faults(obj, result)
                done = "up to date, " if result.up_to_date else ""
                obj.err.print(printable(f"{result.article}: {done}{_breakdown(result)} → {result.catalog}"),
                              soft_wrap=True, markup=False)
                if result.usage is not None:
                    u = result.usage
                    speed = (f"{u.tokens:,} tokens generated, {u.tokens_per_s:g} tokens/s" if u.tokens_per_s is not None
                             else "the server reported no token counts")
                    flight = (f"; {u.concurrency[0]} requests in flight ({u.concurrency[1]})"
                              if u.concurrency else "")
                    obj.err.print(f"{result.article}: {u.answers} answers in {u.seconds:.1f} s, {speed}{flight}",
                                  soft_wrap=True, markup=False)
    totals = total(results)
    if summary or len(results) > 1:
        if as_json:
            _emit({"totals": totals.as_json()})
        else:
            more = f" ({totals.up_to_date} up to date, {totals.failed} failed)"
            obj.err.print(printable(f"{totals.articles} article(s){more}: {_breakdown(totals)}"),
                          soft_wrap=True, markup=False)
    if totals.failed:
        sys.exit(2)


def _report_faults(obj, result) -> None:
    """A warning per sentence the engine left undrafted: the run goes on, and a re-run asks for them again."""
    for line, why in result.faults:
        obj.warn(f"{result.article}: line {line} left untranslated: {why}")
    if result.faults:
        obj.warn(f"{result.article}: {len(result.faults)} sentence(s) left untranslated; run `zhen translate` "
                 "again to ask for them (the drafts written are kept)")


def _breakdown(counts) -> str:
    """"45 segments = 3 drafted + …": every part of an article's segments, so that they add up."""
    parts = [f"{counts.drafted} drafted", f"{counts.tm} from memory", f"{counts.reused} reused",
             f"{counts.reviewed} reviewed", f"{counts.edited} edited"]
    if counts.carried_over:  # rare: a new sentence close to one a person translated before
        parts.append(f"{counts.carried_over} carried over")
    return f"{counts.segments} segments = " + " + ".join([*parts, f"{counts.untranslated} untranslated"])


@click.command("segment")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per segment: id, paragraph, role, text.")
@click.option("--explain", is_flag=True, help="Also report the lines dropped as scraping debris, and why.")
@click.pass_obj
def segment_cmd(obj: Context, file, as_json, explain) -> None:
    """Show how an article is split into segments (nothing is written).

    \b
    Example:
      zhen segment translations/tianjin-chuangxian-zhengyou/source.zh.txt --json
    """
    from pipeline.text.segment import segment
    from pipeline.text.source import read_article

    source = read_article(file)
    segments = segment(source)
    if explain:
        for d in source.dropped:
            if as_json:
                _emit({"dropped": d.number, "text": d.text, "reason": d.reason})
            else:
                obj.err.print(printable(f"dropped line {d.number}: {d.text!r} ({d.reason})"), markup=False)
    for seg in segments:
        if as_json:
            _emit({"id": seg.id, "paragraph": seg.paragraph, "role": seg.role, "text": seg.text})
        else:
            click.echo(f"{seg.id:>3}  {seg.role:<8} {printable(seg.text)}")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article.")
@glossary_option
@follow_option
@click.pass_obj
def status(obj: Context, paths, as_json, glossary_path, follow_symlinks) -> None:
    """How far review has come, per article, with the QA errors and warnings `zhen check --drafts` finds.

    PATHS are article folders, catalogs or folders of articles (default: the
    project's translations/). `zhen next` lists the entries to review, most
    urgent first.

    \b
    Example:
      zhen status translations/
    """
    from pipeline.catalog.status import catalog_status
    from pipeline.glossary.table import load_glossary
    from pipeline.workspace.locate import catalog_paths, locate
    from pipeline.qa.checks import check_files

    _warn_loose_texts(obj, paths)
    articles = locate(paths, root=_root(paths), follow_symlinks=follow_symlinks)
    glossary = load_glossary(_glossary(glossary_path, paths), follow_symlinks=follow_symlinks)
    findings = check_files(catalog_paths(articles), glossary)
    by_catalog: dict[str, list] = {}
    for f in findings:
        by_catalog.setdefault(f.catalog, []).append(f)
    rows = [catalog_status(a, by_catalog.get(str(a.catalog), ())) for a in articles]
    if as_json:
        for r in rows:
            _emit(r.as_json())
        return
    numeric = ("segments", "reviewed", "drafts", "untranslated", "errors", "warnings", "% reviewed")
    _print_table("Review status", ("article", *numeric, "drafts by origin", "TM match %"),
                 [(r.article, str(r.segments), str(r.reviewed), str(r.drafts), str(r.untranslated),
                   str(r.errors), str(r.warnings), f"{r.percent_reviewed:.0f}%",
                   ", ".join(f"{k} {v}" for k, v in r.origins),
                   " ".join(str(m.score) for m in r.tm_matches)) for r in rows],
                 numeric=numeric)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@glossary_option
@follow_option
@click.pass_obj
def html(obj: Context, paths, glossary_path, follow_symlinks) -> None:
    """Rebuild the English text and bilingual pages from the catalogs, without drafting.

    \b
    Example:
      zhen html translations/tianjin-chuangxian-zhengyou
    """
    from pipeline.glossary.table import load_glossary
    from pipeline.workspace.locate import with_catalogs
    from pipeline.workspace.outputs import check_articles
    from pipeline.run import rebuild_html

    articles = with_catalogs(paths, root=_root(paths), follow_symlinks=follow_symlinks)
    glossary = load_glossary(_glossary(glossary_path, paths), follow_symlinks=follow_symlinks)
    check_articles(articles)
    for article in articles:
        click.echo(printable(rebuild_html(article, glossary=glossary)))


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per finding.")
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--drafts", is_flag=True,
              help="During review: check the English that is there; untranslated and unreviewed segments do not fail.")
@glossary_option
@follow_option
def check(paths, as_json, strict, drafts, glossary_path, follow_symlinks) -> None:
    """The publication gate: every segment reviewed, and QA on every translated one (figures,
    glossary, leftovers, repetition loops).

    Exit status 1 while a catalog has untranslated segments or unreviewed
    drafts (one finding per catalog counts them), or when an error is found
    (with --strict, a warning too). With --drafts, only QA findings count.

    \b
    Examples:
      zhen check translations/ --json
      zhen check translations/tianjin-chuangxian-zhengyou --drafts
    """
    from pipeline.errors import CheckFailed
    from pipeline.glossary.table import load_glossary
    from pipeline.workspace.locate import catalog_paths, locate
    from pipeline.qa.checks import check_files

    catalogs = catalog_paths(locate(paths, root=_root(paths), follow_symlinks=follow_symlinks))
    findings = check_files(catalogs, load_glossary(_glossary(glossary_path, paths), follow_symlinks=follow_symlinks),
                           review=not drafts)
    if as_json:
        for f in findings:
            _emit({"catalog": f.catalog, "entry": f.entry, "reference": f.reference, "check": f.check,
                   "severity": f.severity, "subject": f.subject, "message": f.message})
    else:
        if not findings:
            pass  # an empty table says less than the count line below
        elif len(catalogs) == 1:  # one catalog: named once in the title, not on every row
            # The source line first: Poedit shows it under the entry; the entry's number it does not.
            _print_table(f"QA findings in {catalogs[0]}", ("source", "entry", "check", "severity", "subject", "message"),
                         [(f.reference, str(f.entry or ""), f.check, f.severity, f.subject, f.message) for f in findings],
                         numeric=("entry",))
        else:
            _print_table("QA findings", ("catalog", "source", "entry", "check", "severity", "subject", "message"),
                         [(f.catalog, f.reference, str(f.entry or ""), f.check, f.severity, f.subject, f.message)
                          for f in findings], numeric=("entry",))
        errors = sum(f.severity == "error" for f in findings)
        console().print(f"{len(catalogs)} catalog(s): {errors} error(s), {len(findings) - errors} warning(s)")
    bad = [f for f in findings if f.severity == "error" or strict]
    if bad:
        raise CheckFailed(f"{len(bad)} finding(s) fail the check")
