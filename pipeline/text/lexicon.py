"""The dictionaries the text stages and the dictionary engine share, each loaded once per
process: jieba (words, and their parts of speech) and CC-CEDICT (``text.cedict``)."""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def jieba() -> Any:
    """jieba, its dictionary loaded and its start-up chatter silenced."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def posseg() -> Any:
    """jieba's part-of-speech tagger, on the loaded dictionary."""
    jieba()
    return importlib.import_module("jieba.posseg")  # an import statement would shadow jieba() here


@lru_cache(maxsize=1)
def tags() -> dict[str, str]:
    """jieba's part-of-speech tag of each word in its dictionary (n… for nouns), without tagging a text."""
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def cedict():
    """CC-CEDICT, loaded once per process."""
    from pipeline.text import cedict as dictionary

    return dictionary.load()
