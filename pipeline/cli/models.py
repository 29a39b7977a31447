"""Argos models and draft evaluation."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.engines.registry import ENGINES
from pipeline.cli.common import (
    tick,
    printable,
    Context,
    _glossary,
    _settings,
    _emit,
    glossary_option,
    _null,
    _reads,
    terminal_text,
)


@click.group()
def model() -> None:
    """Manage Argos Translate packages (zh→en) used by the argos engine.

    \b
    Examples:
      zhen model install translate-zh_en-1_9.argosmodel
      zhen model list
    """


@model.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per package.")
@click.pass_obj
def model_list(obj: Context, as_json) -> None:
    """List installed Argos packages (also those installed by argospm or LibreTranslate)."""
    from pipeline.engines.argos.packages import list_packages, packages_dir

    packages = list_packages(warn=obj.warn)
    for p in packages:
        if as_json:
            _emit({"name": p.name, "version": p.version, "from": p.from_code, "to": p.to_code, "path": str(p.path)})
        else:
            click.echo("\t".join(map(printable, (p.label, f"{p.from_code}→{p.to_code}", p.path))))
    if not packages and not as_json:
        click.echo(printable(f"no packages in {packages_dir()}"), err=True)


@model.command("install")
@click.argument("file", type=click.Path(path_type=Path))
def model_install(file) -> None:
    """Validate and install an .argosmodel file (zip-slip, links and wrong languages are refused)."""
    from pipeline.engines.argos.packages import install

    info = install(file)
    click.echo(printable(f"installed {info.label} in {info.path}"))


@model.command("download")
@click.option("--index", "index", help="Package index URL (default: $ARGOS_PACKAGE_INDEX or the Argos index).")
def model_download(index) -> None:
    """Download and install the zh→en package from the Argos package index."""
    from pipeline.engines.argos.packages import download

    info = download(index=index)
    click.echo(printable(f"installed {info.label} in {info.path}"))


@model.command("remove")
@click.argument("name")
def model_remove(name) -> None:
    """Remove an installed package by name (e.g. translate-zh_en)."""
    from pipeline.engines.argos.packages import remove

    info = remove(name)
    click.echo(printable(f"removed {info.label}"))


@click.command("eval")
@click.option("--engine", type=click.Choice(["auto", *sorted(ENGINES)]), default="auto", show_default=True,
              help="auto: the LLM server when [llm] is configured, else Argos when a zh→en model is installed, "
                   "else the dictionary engine.")
@click.option("--set", "test_set", default="pud", show_default=True, metavar="pud|FILE.tsv",
              help="pud: UD Chinese PUD with its English original (1,000 pairs); or a TSV of zh<TAB>en lines.")
@click.option("--pud", "pud_folder", type=click.Path(path_type=Path, file_okay=False), metavar="FOLDER",
              help="Where --set pud reads zh_pud-ud-test.conllu and en_pud-ud-test.conllu (default: data/ud/ of "
                   "the zhen repository zhen runs from; an installed zhen has none).")
@click.option("--from-catalogs", "catalogs", multiple=True, type=click.Path(path_type=Path),
              help="Use the reviewed entries of these catalogs (files or folders) as the test set.")
@click.option("--limit", type=click.IntRange(1), help="Evaluate this many pairs only.")
@click.option("--seed", type=int, help="With --limit: a random sample drawn with this seed, not the first pairs.")
@click.option("--drafts", "drafts_path", type=click.Path(path_type=Path),
              help="Also write source, reference and draft per line to this TSV file.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
@click.option("--place", help="The test set's place (天津, Zhejiang…) or \"national\": which place-scoped glossary "
                              "terms apply [detected from the sources].")
@click.option("--config", "config_path", type=click.Path(path_type=Path),
              help="Settings file (default: the project's zhen.toml when present).")
@glossary_option
@click.pass_obj
def eval_cmd(obj: Context, engine, test_set, pud_folder, catalogs, limit, seed, drafts_path, as_json, place,
             config_path, glossary_path) -> None:
    """Score an engine's drafts on a parallel test set (chrF2, BLEU, glossary, QA).

    Each pair is drafted as one segment through the real pipeline (glossary,
    enforcement, QA) and scored with sacrebleu against its reference.

    \b
    Examples:
      zhen eval --engine dictionary --limit 200 --seed 1
      zhen eval --set desk-pairs.tsv --json
      zhen eval --from-catalogs translations/
    """
    from pipeline import evaluate as ev
    from pipeline.glossary.table import load_glossary
    from pipeline.session import open_run, read_settings
    from pipeline.workspace.files import write_atomic
    from pipeline.workspace.outputs import keep_backup, refuse_overwrites, with_backup

    if pud_folder is not None and (catalogs or test_set != "pud"):
        raise click.UsageError("--pud is where --set pud reads its files; it does not go with another test set")
    if catalogs:
        name, pairs = "reviewed catalogs", ev.catalog_pairs(catalogs)
    elif test_set == "pud":
        name, pairs = "PUD zh→en", ev.pud_pairs(pud_folder)
    else:
        name, pairs = test_set, ev.read_tsv(Path(test_set))
    pairs = ev.subset(pairs, limit=limit, seed=seed)
    # The project is the one the test set lies in, else the working folder's.
    paths = catalogs or ([] if test_set == "pud" else [Path(test_set)])
    glossary_path = _glossary(glossary_path, paths)
    glossary = load_glossary(glossary_path)
    config, config_file = _settings(obj, config_path, paths)
    if drafts_path:  # before the engine drafts for minutes: the drafts may replace nothing this run reads
        read = [(Path(test_set), "the test set")] if not catalogs and test_set != "pud" else []
        read += [(c, "a catalog of the test set") for p in catalogs for c in ev.catalog_files(p)]
        if test_set == "pud" and not catalogs:
            folder = ev.REPOSITORY_UD if pud_folder is None else pud_folder
            read += [(folder / ev.PUD_ZH, "the PUD test set"), (folder / ev.PUD_EN, "the PUD test set")]
        refuse_overwrites(with_backup([(drafts_path, "the drafts")]),
                          read + _reads(paths, config=config_file, glossary=glossary_path))
    run = open_run(read_settings(config, path=config_file), glossary=glossary, engine=engine, warn=obj.warn,
                   say=obj.say)
    drafter = run.engines.get(drafting=True)
    bar = obj.progress(enabled=not as_json)
    with bar or _null():
        from pipeline.glossary.scope import option_scope

        result, drafts = ev.evaluate(pairs, drafter, glossary=glossary, test_set=name,
                                     progress=tick(bar, "drafting", total=len(pairs)),
                                     place=option_scope(place).place if place is not None else None)
    if drafts_path:
        keep_backup(drafts_path)
        write_atomic(drafts_path, ev.drafts_tsv(pairs, drafts))
    if as_json:
        _emit({**result.as_json(), "settings": None if config_file is None else str(config_file)})
    else:
        click.echo(terminal_text(ev.describe(result)), nl=False)
