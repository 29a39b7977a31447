"""Skip an article that nothing has touched since its last run, as make does.

After a successful ``zhen translate`` an article folder holds ``.zhen.state``:
a hash of everything the run depended on (the source, the glossary files, the
engine, its settings and the installed Argos package, what the translation
memory holds, zhen's own code and the installed Python distributions) and a
hash of the catalog, text and page it left. A later run whose inputs hash the
same and whose outputs are still those bytes has nothing to do: a full run
would write no byte and send nothing to the engine (runs are idempotent, and
tests hold them to it). So it stops there, without loading the glossary or an
engine. Any difference (a reviewer's save, a new glossary row, an installed
model, a deleted page, a new zhen) means a full run; ``--force`` always runs.

This module stays light: it is imported before anything heavy is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from pipeline.workspace.articles import Article, SourcedArticle, source_from_folder
from pipeline.workspace.files import article_lock, not_a_file, write_atomic
from pipeline.workspace.layout import STATE
from pipeline.model import ArticleResult

_PACKAGE = Path(__file__).resolve().parent.parent  # all of pipeline/, not only this folder


def _add(h, label: str, path: Path) -> None:
    h.update(f"\0{label}\0".encode("utf-8", "surrogateescape"))  # file names need not be UTF-8
    what = not_a_file(path)
    if what is not None:  # never opened: a FIFO would wait for a writer; the run says what it is
        h.update(f"\0{what}".encode())
        return
    try:
        h.update(Path(path).read_bytes())
    except OSError:
        h.update(b"\0missing")


@functools.cache
def code_digest() -> str:
    """zhen's own code and every installed distribution's name and version.

    A changed check or writer must not be skipped past, nor a new CC-CEDICT,
    jieba or CTranslate2 (their versions are in the drafts' signature). The
    ``*.dist-info`` folder names carry the versions and cost one directory
    listing, where ``importlib.metadata`` costs 40 ms.
    """
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        _add(h, str(path.relative_to(_PACKAGE)), path)
    installed: set[str] = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            installed.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
    h.update("\0".join(sorted(installed)).encode())
    return h.hexdigest()


def settings_key(*, engine: str, options: object, purge_obsolete: bool, memory: str = "-") -> str:
    """The run's settings, which Argos package an ``auto`` run would pick, and what
    the translation memory holds (its digest and threshold: another reviewed
    sentence anywhere may draft this article)."""
    from pipeline.engines.argos.packages import find_package

    package = find_package("zh", "en")
    return (f"engine:{engine}|options:{options!r}|purge:{purge_obsolete}|argos:{package.label if package else '-'}"
            f"|tm:{memory}")


def input_key(article: SourcedArticle, *, glossary_files: Iterable[Path], settings: str) -> str:
    h = hashlib.sha256()
    h.update(f"code:{code_digest()}|{settings}".encode())
    # The source's name too: the catalog's references and its record of its source name it.
    _add(h, f"source:{source_from_folder(article)}", article.source)
    for path in glossary_files:
        _add(h, f"glossary:{Path(path).name}", path)
    return h.hexdigest()


def output_key(article: Article) -> str:
    h = hashlib.sha256()
    for path in (article.catalog, article.text, article.html):
        _add(h, path.name, path)
    return h.hexdigest()


def record(article: Article, key: str, result: ArticleResult) -> None:
    """Remember a finished run (call it while holding the article's lock)."""
    state = {"inputs": key, "outputs": output_key(article), "result": result.to_state()}
    write_atomic(article.folder / STATE, json.dumps(state, ensure_ascii=False, indent=1) + "\n")


def skip(article: Article, key: str) -> ArticleResult | None:
    """What a run would report, when it would do nothing; None when it must run."""
    started = time.perf_counter()
    with article_lock(article.folder):
        try:
            state = json.loads((article.folder / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        with contextlib.suppress(KeyError, TypeError):  # a state file from another zhen, or damaged
            if state["inputs"] == key and state["outputs"] == output_key(article):
                recorded = ArticleResult.from_state(state["result"])
                # A re-run drafts nothing: what the recorded run drafted, it now reuses.
                merge = dataclasses.replace(recorded.merge, drafted=0, reused=recorded.merge.drafted
                                            + recorded.merge.reused, changed=False)
                # The files as named now: a project copied or moved since names them elsewhere.
                return dataclasses.replace(recorded, article=article.slug, catalog=str(article.catalog),
                                           html=str(article.html), text=str(article.text), merge=merge, tm=0,
                                           seconds=time.perf_counter() - started, up_to_date=True, usage=None)
    return None
