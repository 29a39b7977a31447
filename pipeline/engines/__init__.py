"""Engine registry: names map to classes imported lazily, so CTranslate2 loads only when used."""

from __future__ import annotations

import importlib

from pipeline.errors import EngineError

ENGINES = {
    "argos": "pipeline.engines.argos:ArgosEngine",
    "dictionary": "pipeline.engines.dictionary:DictionaryEngine",
    "llm": "pipeline.engines.llm:LLMEngine",
}


def engine_class(name: str):
    try:
        module_name, _, cls = ENGINES[name].partition(":")
    except KeyError as e:
        raise EngineError(f"unknown engine {name!r}; choose from {', '.join(sorted(ENGINES))}") from e
    return getattr(importlib.import_module(module_name), cls)
