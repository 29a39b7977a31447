"""A run of ``translate`` or ``eval`` as one library call: the settings the engines read, the
glossary, the engines and the translation memory, assembled once in ``open_run``.

The heavy parts load lazily: a ``translate`` where every article is up to date reads its
settings and hashes its inputs, and loads neither the glossary, the stages nor an engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.config import TM_MIN_SCORE, argos_options, llm_options, tm_min_score
from pipeline.engines.options import ArgosOptions, LLMOptions
from pipeline.model import ArticleResult, Progress, no_progress

if TYPE_CHECKING:
    from pipeline.engines.coalesce import Together
    from pipeline.engines.registry import EngineProvider
    from pipeline.glossary.scope import Scope
    from pipeline.glossary.table import Glossary
    from pipeline.tm.draft import MemoryDrafter
    from pipeline.tm.index import Memory
    from pipeline.workspace.articles import SourcedArticle
    from pipeline.workspace.batch import Failure


def _ignore(message: str) -> None:
    pass


@dataclass(frozen=True)
class Settings:
    """What the settings file and the command line say about drafting."""

    argos: ArgosOptions
    llm: LLMOptions | None
    min_score: int

    def for_engines(self) -> dict[str, dict]:
        """Engine name → the keywords its constructor takes."""
        return {"argos": {"options": self.argos}, "llm": {"options": self.llm}}


def read_settings(config: Mapping[str, Any] | None, *, path: Path | None = None, device: str | None = None,
                  compute_type: str | None = None, beam_size: int | None = None,
                  intra_threads: int | None = None) -> Settings:
    """The drafting settings of ``config`` (read from ``path``, named in errors), with the
    command line's values winning where given (None: not given)."""
    argos = argos_options(config, path=path, device=device, compute_type=compute_type, beam_size=beam_size,
                          intra_threads=intra_threads)
    llm = llm_options(config, path=path)
    return Settings(argos=argos, llm=llm, min_score=tm_min_score(config, path=path))


@dataclass(frozen=True)
class Run:
    """Everything one run drafts with. The glossary, the engines and the memory's drafter are
    built on first use and then shared by every article of the run."""

    settings: Settings
    engine: str
    glossary_source: Glossary | Path  # loaded, or the file or folder to load it from when first needed
    follow_symlinks: bool = False
    memory: Memory | None = None
    purge_obsolete: bool = False
    warn: Callable[[str], None] = _ignore
    say: Callable[[str], None] = _ignore  # which engine ``auto`` chose
    now: datetime | None = None  # the catalogs' revision date (None: the clock's, to the minute)
    place: Callable[[SourcedArticle], Scope | None] | None = None  # an article's declared scope (None: detected)
    scope_key: str = ""  # what decides the places, for the up-to-date check

    @cached_property
    def glossary(self) -> Glossary:
        if not isinstance(self.glossary_source, Path):
            return self.glossary_source
        from pipeline.glossary.table import load_glossary

        return load_glossary(self.glossary_source, follow_symlinks=self.follow_symlinks)

    @cached_property
    def engines(self) -> EngineProvider:
        from pipeline.engines.registry import EngineProvider

        return EngineProvider(self.engine, self.glossary, settings=self.settings.for_engines(), warn=self.warn,
                              say=self.say)

    @cached_property
    def recall(self) -> MemoryDrafter | None:
        if self.memory is None:
            return None
        from pipeline.tm.draft import MemoryDrafter

        return MemoryDrafter(self.memory, self.glossary, self.settings.min_score)

    @cached_property
    def state_key(self) -> str:
        """The settings part of every article's up-to-date check (see ``incremental``)."""
        from pipeline.workspace import incremental

        memory = (f"{self.memory.digest}|min:{self.settings.min_score}{self.scope_key}" if self.memory is not None
                  else "-")
        # LLMOptions holds the key's variable name, never the key: nothing secret reaches the state file.
        return incremental.settings_key(engine=self.engine, options=(self.settings.argos, self.settings.llm),
                                        purge_obsolete=self.purge_obsolete, memory=memory)

    def translate(self, article: SourcedArticle, *, state_key: str | None = None,
                  progress: Progress | None = None) -> ArticleResult:
        """Run every stage for one article (see ``run.translate_article``)."""
        from pipeline.run import translate_article

        return translate_article(article, glossary=self.glossary, engines=self.engines,
                                 purge_obsolete=self.purge_obsolete, progress=progress, state_key=state_key,
                                 memory=self.recall, now=self.now,
                                 place=self.place(article) if self.place is not None else None)

    def translate_all(self, articles: Sequence[SourcedArticle], *, glossary_files: Sequence[Path],
                      force: bool = False,
                      progress_for: Callable[[SourcedArticle], Progress] = lambda article: no_progress,
                      jobs: int = 1, recipe: Callable[[], Callable] | None = None,
                      executor: Callable[..., Iterator] | None = None, inflight: int | None = None,
                      ) -> Iterator[ArticleResult | Failure]:
        """One result or failure per article, skipping those already up to date (see ``batch``);
        with ``jobs`` and a ``recipe`` (``run.Recipe``), in worker processes, or by ``executor``;
        else, where the engine drafts many articles in one call, ``inflight`` articles at once
        (None: ``ARTICLES_IN_FLIGHT``)."""
        from pipeline.engines.coalesce import ARTICLES_IN_FLIGHT, Together
        from pipeline.workspace.batch import translate_all

        together = Together(self.engines.get, lambda article, key, progress: self.translate(
            article, state_key=key, progress=progress), inflight=inflight or ARTICLES_IN_FLIGHT)
        try:
            yield from translate_all(articles, run=together, glossary_files=glossary_files,
                                     settings=self.state_key, force=force, progress_for=progress_for, jobs=jobs,
                                     recipe=recipe, executor=executor, inflight=together.start)
        finally:
            together.close()


def open_run(settings: Settings, *, glossary: Glossary | Path, engine: str = "auto", memory: Memory | None = None,
             purge_obsolete: bool = False, follow_symlinks: bool = False, warn: Callable[[str], None] = _ignore,
             say: Callable[[str], None] = _ignore, now: datetime | None = None,
             place: Callable[[SourcedArticle], Scope | None] | None = None, scope_key: str = "") -> Run:
    """A run drafting with ``engine`` (``auto`` or a name in ``ENGINES``) under ``settings``.

    Nothing is loaded yet: the glossary (when given as a path), the engine and its model load
    when the first article needs them.
    """
    from pipeline.engines.registry import ENGINES

    if engine != "auto" and engine not in ENGINES:
        from pipeline.errors import EngineError

        raise EngineError(f"unknown engine {engine!r}; known: auto, {', '.join(sorted(ENGINES))}")
    return Run(settings=settings, engine=engine, glossary_source=glossary, follow_symlinks=follow_symlinks,
               memory=memory, purge_obsolete=purge_obsolete, warn=warn, say=say, now=now,
               place=place, scope_key=scope_key)


@dataclass(frozen=True)
class Recipe:
    """What a worker process translates articles with, built in it once (``zhen translate --jobs``).

    Picklable: paths and option values, no open files or models. The memory is read
    only there; it was brought up to date before the run.
    """

    engine: str
    glossary: Path
    engine_settings: Mapping[str, Mapping]
    memory: Memory | None = None
    min_score: int = TM_MIN_SCORE
    follow_symlinks: bool = False
    purge_obsolete: bool = False
    now: datetime | None = None
    forced_place: Scope | None = None  # --place
    places: tuple[tuple[str, str], ...] = ()  # zhen.toml's [places], read from ``base``
    base: Path | None = None
    inflight: int | None = None  # articles a worker runs at once where they share engine calls (None: the default)

    def __call__(self) -> Together:
        """The worker's runner: one article per call, which runs with other articles in flight
        in threads, sharing engine calls, once ``start`` says the engine gains from that."""
        from pipeline.engines.coalesce import ARTICLES_IN_FLIGHT, Together
        from pipeline.engines.registry import EngineProvider
        from pipeline.run import translate_article
        from pipeline.glossary.table import load_glossary
        from pipeline.tm.draft import MemoryDrafter

        glossary = load_glossary(self.glossary, follow_symlinks=self.follow_symlinks)
        engines = EngineProvider(self.engine, glossary, settings={name: dict(kw) for name, kw in self.engine_settings.items()})
        recall = (MemoryDrafter(self.memory, glossary, self.min_score, record=False)
                  if self.memory is not None else None)

        def run(article: SourcedArticle, key: str, progress: Progress) -> ArticleResult:
            from pipeline.glossary import scope

            place = self.forced_place or scope.declared_for(article.folder, self.places, base=self.base)
            return translate_article(article, glossary=glossary, engines=engines, now=self.now,
                                     purge_obsolete=self.purge_obsolete, progress=progress, state_key=key,
                                     memory=recall, place=place)
        return Together(engines.get, run, inflight=self.inflight or ARTICLES_IN_FLIGHT)
