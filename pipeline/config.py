"""Engine settings from ``zhen.toml`` and the command line.

Precedence: command-line option, then the config file, then the defaults in
``ArgosOptions``. The file is optional; a file that is there but wrong is an
error naming it, never silently ignored.

    # zhen.toml
    [argos]
    device = "cpu"          # cpu, cuda or auto
    compute_type = "int8"   # int8 on CPU; float16 or int8_float16 on CUDA
    beam_size = 4
    intra_threads = 0       # 0: CTranslate2 decides

    [tm]
    min_score = 75          # the lowest fuzzy match (0-100) drafted from the translation memory
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.model import ArgosOptions

DEFAULT_CONFIG = Path("zhen.toml")
TABLES = ("argos", "tm")
TM_MIN_SCORE = 75
DEVICES = ("cpu", "cuda", "auto")
COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float16", "bfloat16", "float32")
_KNOWN = frozenset(f.name for f in dataclasses.fields(ArgosOptions))
_WHOLE_NUMBERS = frozenset(f.name for f in dataclasses.fields(ArgosOptions) if f.type == "int")
_AT_LEAST_ONE = {"beam_size", "n_best", "inter_threads", "max_batch_tokens", "max_input_tokens",
                 "max_decoding_length"}


def _check(name: str, value: Any, path: Path | None) -> Any:
    def bad(message: str):
        return ConfigError(f"[argos] {name}: {message}" if path else f"{name}: {message}", path=path)

    if name == "device" and value not in DEVICES:
        raise bad(f"must be one of {', '.join(DEVICES)}, not {value!r}")
    if name == "compute_type" and value not in COMPUTE_TYPES:
        raise bad(f"must be one of {', '.join(COMPUTE_TYPES)}, not {value!r}")
    if name in _WHOLE_NUMBERS:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise bad(f"must be a whole number, not {value!r}")
        if name in _AT_LEAST_ONE and value < 1:
            raise bad("must be at least 1")
    return value


def argos_options(config: Mapping[str, Any] | None = None, *, path: Path | None = None,
                  **overrides: Any) -> ArgosOptions:
    """Options from the config's [argos] table, then the command line's (None: not given)."""
    values: dict[str, Any] = {}
    for name, value in (config or {}).get("argos", {}).items():
        if name not in _KNOWN:
            raise ConfigError(f"[argos] unknown setting {name!r}; known: {', '.join(sorted(_KNOWN))}", path=path)
        values[name] = _check(name, value, path)
    for name, value in overrides.items():
        if value is not None:
            values[name] = _check(name, value, None)
    return ArgosOptions(**values)


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The parsed config file; {} when no file was named and the default one is absent."""
    explicit = path is not None
    path = Path(path) if explicit else DEFAULT_CONFIG
    if not path.exists():
        if explicit:
            raise ConfigError("no such config file", path=path)
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        at = re.search(r"\(at line (\d+), column \d+\)", str(e))
        raise ConfigError(f"not valid TOML: {str(e).split(' (at line')[0]}", path=path,
                          line=int(at.group(1)) if at else None) from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read: {e}", path=path) from e
    unknown = set(data) - set(TABLES)
    if unknown:
        raise ConfigError(f"unknown table(s) {', '.join(sorted(unknown))}; zhen.toml has "
                          f"{', '.join(f'[{t}]' for t in TABLES)}", path=path)
    for table in TABLES:
        if not isinstance(data.get(table, {}), dict):
            raise ConfigError(f"[{table}] must be a table", path=path)
    return data


def tm_min_score(config: Mapping[str, Any] | None = None, *, path: Path | None = None) -> int:
    """The [tm] table's min_score: the lowest fuzzy match drafted from the memory (default 75)."""
    table = (config or {}).get("tm", {})
    unknown = set(table) - {"min_score"}
    if unknown:
        raise ConfigError(f"[tm] unknown setting {sorted(unknown)[0]!r}; known: min_score", path=path)
    value = table.get("min_score", TM_MIN_SCORE)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
        raise ConfigError(f"[tm] min_score: must be a whole number from 1 to 100, not {value!r}", path=path)
    return value
