"""Engine registry and choice: names map to classes imported lazily, so
CTranslate2 loads only when used; ``EngineProvider`` resolves ``auto`` and builds
the chosen engine when a segment first needs a draft."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.errors import EngineError
from pipeline.model import Warn

if TYPE_CHECKING:
    from pipeline.engines.base import Engine
    from pipeline.glossary.table import Glossary

ENGINES = {
    "argos": "pipeline.engines.argos.engine:ArgosEngine",
    "dictionary": "pipeline.engines.dictionary.engine:DictionaryEngine",
    "llm": "pipeline.engines.llm:LLMEngine",
}


def engine_class(name: str):
    try:
        module_name, _, cls = ENGINES[name].partition(":")
    except KeyError as e:
        raise EngineError(f"unknown engine {name!r}; choose from {', '.join(sorted(ENGINES))}") from e
    return getattr(importlib.import_module(module_name), cls)


def argos_available(warn: Warn | None = None) -> bool:
    """Is a zh→en Argos package installed? Imports nothing heavy."""
    from pipeline.engines.argos.packages import find_package

    return find_package("zh", "en", warn=warn) is not None


@dataclass
class EngineProvider:
    """Builds the engine on first use, so a re-run with nothing to draft loads no model."""

    name: str
    glossary: Glossary
    settings: dict[str, dict] = field(default_factory=dict)  # engine name → constructor keywords
    warn: Warn = lambda msg: None
    say: Warn = lambda msg: None  # which engine ``auto`` chose
    _engine: Engine | None = None

    def resolved_name(self) -> str:
        """``auto``: the LLM server when [llm] is configured, else Argos when a model is installed."""
        if self.name != "auto":
            return self.name
        if self.settings.get("llm", {}).get("options") is not None:
            return "llm"
        return "argos" if argos_available(self.warn) else "dictionary"

    def get(self, *, drafting: bool = False) -> Engine:
        if drafting and self.name == "auto" and self.resolved_name() == "dictionary":
            self.warn("no zh→en Argos model installed: drafting word-by-word glosses with the "
                      "dictionary engine (install a model with `zhen model install FILE.argosmodel` "
                      "or `zhen model download`)")
        if self._engine is None:
            name = self.resolved_name()
            self._engine = engine_class(name)(self.glossary, **self.settings.get(name, {}))
        if drafting and self.name == "auto" and self.resolved_name() != "dictionary":
            self.say(f"engine auto: drafting with {self._engine.name} ({self._engine.identity()})")
        return self._engine

    def signature(self) -> str:
        return self.get().signature()
