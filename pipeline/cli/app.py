"""The ``zhen`` command group; each command lives in the module of its group."""

from __future__ import annotations

import click

from pipeline import __version__
from pipeline.cli import articles, glossary, memory, models, review
from pipeline.cli.common import Context, ZhenGroup


@click.group(cls=ZhenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zhen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """zhen: Chinese→English drafts, glossary and review catalogs for news articles.

    \b
    Typical use:
      zhen translate                 # every article under translations/
      zhen status                    # how far review has come
      zhen segment article.txt --explain
    """
    ctx.obj = Context()


main.add_command(articles.translate)
main.add_command(articles.segment_cmd)
main.add_command(articles.status)
main.add_command(review.next_cmd)
main.add_command(articles.html)
main.add_command(articles.check)
main.add_command(glossary.glossary)
main.add_command(glossary.terms)
main.add_command(memory.export)
main.add_command(memory.tm)
main.add_command(models.model)
main.add_command(models.eval_cmd)
