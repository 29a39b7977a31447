"""Engine settings from ``zhen.toml`` and the command line.

Precedence: command-line option, then the config file, then the defaults in
``ArgosOptions``. The file is optional; a file that is there but wrong is an
error naming it, never silently ignored.

    # zhen.toml
    [argos]
    device = "cpu"          # cpu, cuda or auto
    compute_type = "int8"   # default: int8 on CPU, float16 on CUDA
    beam_size = 4
    intra_threads = 0       # 0: CTranslate2 decides

    [tm]
    min_score = 75          # the lowest fuzzy match (0-100) drafted from the translation memory

    [places]                # article folders (globs, relative to this file) → their place
    "translations/shaoxing-*" = "绍兴"     # or "Shaoxing", "紹興", "national": see docs/glossary.md

    [llm]                   # an OpenAI-compatible server (Ollama, llama-server, vLLM)
    base_url = "http://127.0.0.1:11434/v1"
    model = "qwen2.5:14b-instruct"
    api_key_env = "OPENAI_API_KEY"   # the NAME of the variable holding the key
    concurrency = 4
    timeout_s = 120
    max_retries = 3
    temperature = 0
    max_tokens = 512                 # the longest answer, in tokens (each segment asks for fewer)

``ZHEN_LLM_BASE_URL`` and ``ZHEN_LLM_MODEL`` override the [llm] table.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import urllib.parse
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pipeline.workspace import trust
from pipeline.errors import ConfigError
from pipeline.workspace.files import not_a_file
from pipeline.engines.options import ArgosOptions, LLMOptions

TM_MIN_SCORE = 75
DEVICES = ("cpu", "cuda", "auto")
COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float16", "bfloat16", "float32")
_KNOWN = frozenset(f.name for f in dataclasses.fields(ArgosOptions))
_WHOLE_NUMBERS = frozenset(f.name for f in dataclasses.fields(ArgosOptions) if f.type in ("int", "int | None"))
# Every number has a range: CTranslate2 aborts the process (or wraps around) on a batch of
# 2**32 tokens, and spawns whatever number of threads it is told to.
RANGES = {"beam_size": (1, 64), "n_best": (1, 64), "inter_threads": (1, 256), "intra_threads": (0, 256),
          "max_batch_tokens": (1, 1_000_000), "max_input_tokens": (1, 4096), "max_decoding_length": (1, 4096),
          "min_decoding_length": (0, 4096)}
MAX_TIMEOUT_S = 3600


TABLES = ("argos", "llm", "tm", "places")
LLM_ENVIRONMENT = {"base_url": "ZHEN_LLM_BASE_URL", "model": "ZHEN_LLM_MODEL"}
_LLM_KNOWN = tuple(f.name for f in dataclasses.fields(LLMOptions))
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def line_of(path: Path | None, table: str, key: str | None = None) -> int | None:
    """The line of ``key`` in ``[table]`` (of the table's header without a key), for messages.

    tomllib keeps no positions; this scan handles the plain ``key = value`` and
    ``[table]`` lines a settings file holds, and gives up (None) on anything else.
    """
    if path is None:
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    def assigns(name: str, text: str) -> bool:
        return re.match(rf"\s*[\"']?{re.escape(name)}[\"']?\s*=", text) is not None

    current = None
    for number, text in enumerate(lines, start=1):
        header = re.match(r"\s*\[\s*([A-Za-z0-9_.-]+)\s*\]", text)
        if header:
            current = header.group(1)
            if current == (table if key is None else f"{table}.{key}"):
                return number
        elif (current, key) == (None, None) and assigns(table, text):
            return number  # "llm = 3": a value where a table belongs
        elif key is not None and current == table and assigns(key, text):
            return number
    return None


def _check(name: str, value: Any, path: Path | None) -> Any:
    def bad(message: str):
        if not path:
            return ConfigError(f"{name}: {message}")
        return ConfigError(f"[argos] {name}: {message}", path=path, line=line_of(path, "argos", name))

    if name == "device" and value not in DEVICES:
        raise bad(f"must be one of {', '.join(DEVICES)}, not {value!r}")
    if name == "compute_type" and value not in COMPUTE_TYPES:
        raise bad(f"must be one of {', '.join(COMPUTE_TYPES)}, not {value!r}")
    if name in _WHOLE_NUMBERS:
        low, high = RANGES[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise bad(f"must be a whole number from {low} to {high:,}, not {value!r}")
    return value


def argos_options(config: Mapping[str, Any] | None = None, *, path: Path | None = None,
                  **overrides: Any) -> ArgosOptions:
    """Options from the config's [argos] table, then the command line's (None: not given)."""
    values: dict[str, Any] = {}
    for name, value in (config or {}).get("argos", {}).items():
        if name not in _KNOWN:
            raise ConfigError(f"[argos] unknown setting {name!r}; known: {', '.join(sorted(_KNOWN))}", path=path,
                              line=line_of(path, "argos", name))
        values[name] = _check(name, value, path)
    for name, value in overrides.items():
        if value is not None:
            values[name] = _check(name, value, None)
    return ArgosOptions(**values)


def load_config(path: Path | None = None, *, warn: Callable[[str], None] = lambda m: None, uid: int | None = None,
                environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The parsed config file; {} for none (which file is the project's is ``project.py``'s business).

    A file another user owns is refused unless its folder is marked safe (``trust``),
    and even then its ``[llm] api_key_env`` is not honoured: it would choose which of
    the user's secrets is sent, and where.
    """
    if path is None:
        return {}
    path = Path(path)
    if not path.exists():
        raise ConfigError("no such config file" if not path.is_symlink() else "a link to nothing", path=path)
    what = not_a_file(path)
    if what is not None:  # opening a named pipe would wait for a writer forever
        raise ConfigError(f"is {what}, not a settings file", path=path)
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
        name = sorted(unknown)[0]
        raise ConfigError(f"unknown table(s) {', '.join(sorted(unknown))}; zhen.toml has "
                          f"{', '.join(f'[{t}]' for t in TABLES)}", path=path, line=line_of(path, name))
    for table in TABLES:
        if not isinstance(data.get(table, {}), dict):
            raise ConfigError(f"[{table}] must be a table", path=path, line=line_of(path, table, None))
    # Every value is checked as the file is read, whichever command reads it.
    argos_options(data, path=path)
    llm_options(data, path=path, environ=environ)
    tm_min_score(data, path=path)
    if not trust.check_settings(path, uid=uid, environ=environ) and data.get("llm", {}).get("api_key_env"):
        del data["llm"]["api_key_env"]
        warn(f"{path}:{line_of(path, 'llm', 'api_key_env')}: [llm] api_key_env not honoured: another user owns "
             "this file; no API key is sent (set it in a zhen.toml you own)")
    declared_places(data, path=path)  # a place zhen does not know is an error in every command
    return data


def llm_options(config: Mapping[str, Any] | None = None, *, path: Path | None = None,
                environ: Mapping[str, str] | None = None) -> LLMOptions | None:
    """The [llm] table with the environment's overrides; None when neither configures a server.

    A table that is there but incomplete or wrong is an error naming the file and
    line; so is a wrong ``ZHEN_LLM_*`` value, naming the variable.
    """
    environ = os.environ if environ is None else environ
    table = (config or {}).get("llm")
    values: dict[str, Any] = {}
    for name, value in (table or {}).items():
        def bad(message: str, name=name) -> ConfigError:
            return ConfigError(f"[llm] {name}: {message}", path=path, line=line_of(path, "llm", name))

        if name not in _LLM_KNOWN:
            raise ConfigError(f"[llm] unknown setting {name!r}; known: {', '.join(_LLM_KNOWN)}", path=path,
                              line=line_of(path, "llm", name))
        values[name] = _check_llm(name, value, bad)
    for name, variable in LLM_ENVIRONMENT.items():
        if environ.get(variable):
            values[name] = _check_llm(name, environ[variable], lambda m, v=variable: ConfigError(f"{v}: {m}"))
    if table is None and not {"base_url", "model"} <= set(values):
        return None
    for name, variable in LLM_ENVIRONMENT.items():
        if name not in values:
            raise ConfigError(f"[llm] needs {name} (or the environment variable {variable})", path=path,
                              line=line_of(path, "llm", None) if table is not None else None)
    return LLMOptions(**values)


def _check_llm(name: str, value: Any, bad) -> Any:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    whole = isinstance(value, int) and not isinstance(value, bool)
    if name == "base_url":
        return _check_base_url(value, bad)
    if name == "model":
        if not isinstance(value, str) or not value.strip():
            raise bad("must be the model's name as the server knows it")
        return value.strip()
    if name == "api_key_env":
        # The value is not echoed: someone may have pasted the key itself here.
        if not isinstance(value, str) or (value and not _ENV_NAME.fullmatch(value)):
            raise bad("must be the NAME of an environment variable that holds the key (such as OPENAI_API_KEY), "
                      "never the key itself")
        return value
    if name == "concurrency" and not (whole and 1 <= value <= 256):
        raise bad(f"must be a whole number from 1 to 256, not {value!r}")
    if name == "stop":
        if not (isinstance(value, list) and len(value) <= 4
                and all(isinstance(v, str) and 0 < len(v) <= 32 and "|" not in v for v in value)):
            raise bad("must be a list of at most 4 strings, each 1 to 32 characters without '|', "
                      'such as ["\\n\\n"]')
        return tuple(value)
    if name == "max_retries" and not (whole and 0 <= value <= 20):
        raise bad(f"must be a whole number from 0 to 20, not {value!r}")
    if name == "timeout_s" and not (number and 0 < value <= MAX_TIMEOUT_S):
        raise bad(f"must be a number of seconds above 0, at most {MAX_TIMEOUT_S}, not {value!r}")
    if name == "max_tokens" and not (whole and 16 <= value <= 32768):
        raise bad(f"must be a whole number of tokens from 16 to 32768, not {value!r}")
    if name == "temperature" and not (number and 0 <= value <= 2):
        raise bad(f"must be a number from 0 to 2, not {value!r}")
    return float(value) if name in ("timeout_s", "temperature") else value


def _check_base_url(value: Any, bad) -> str:
    """The server's URL, parsed now so that a wrong one is named with its line, not met mid-run."""
    example = "such as http://127.0.0.1:11434/v1"
    if not isinstance(value, str) or not value.isascii() or not value.isprintable() or " " in value:
        raise bad(f"must be an http:// or https:// URL {example}, in printable ASCII without spaces")
    try:
        parts = urllib.parse.urlsplit(value)
        port = parts.port  # checks the range
    except ValueError as e:
        raise bad(f"is not a URL ({e}); give one {example}") from e
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad(f"must be an http:// or https:// URL with a host, {example}")
    if parts.username is not None or parts.password is not None:
        # It would be printed in every message naming the server: the key goes in api_key_env.
        raise bad("must not hold a user name or password; put the key in the variable api_key_env names")
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise bad(f"must not hold a query or fragment; give the API's base {example}")
    if port == 0:
        raise bad("has port 0, which no server listens on")
    return value.rstrip("/")


def tm_min_score(config: Mapping[str, Any] | None = None, *, path: Path | None = None) -> int:
    """The [tm] table's min_score: the lowest fuzzy match drafted from the memory (default 75)."""
    table = (config or {}).get("tm", {})
    unknown = set(table) - {"min_score"}
    if unknown:
        name = sorted(unknown)[0]
        raise ConfigError(f"[tm] unknown setting {name!r}; known: min_score", path=path,
                          line=line_of(path, "tm", name))
    value = table.get("min_score", TM_MIN_SCORE)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
        raise ConfigError(f"[tm] min_score: must be a whole number from 1 to 100, not {value!r}", path=path,
                          line=line_of(path, "tm", "min_score"))
    return value


PLACES_TABLE = "places"


def declared_places(config: Mapping[str, Any] | None, *, path: Path | None = None) -> tuple[tuple[str, str], ...]:
    """The ``[places]`` table: (glob of article folders, scope key) in file order, validated."""
    table = (config or {}).get(PLACES_TABLE, {})
    if not isinstance(table, dict):
        raise ConfigError(f"[{PLACES_TABLE}] must be a table of \"folder glob\" = \"place\"", path=path,
                          line=line_of(path, PLACES_TABLE))
    out = []
    for pattern, value in table.items():
        line = line_of(path, PLACES_TABLE, pattern)
        if not isinstance(value, str):
            raise ConfigError(f"[{PLACES_TABLE}] {pattern!r}: the place must be a string such as \"天津\" or \"national\", "
                              f"not {value!r}", path=path, line=line)
        from pipeline.glossary.scope import scope_key

        key = scope_key(value)
        if key is None:
            raise ConfigError(f"[{PLACES_TABLE}] {pattern!r}: {value!r} is not a place zhen knows; give \"national\", "
                              "a province or a main city in Chinese or English", path=path, line=line)
        if not pattern.strip() or Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            raise ConfigError(f"[{PLACES_TABLE}] {pattern!r}: give a glob of folders relative to the settings file",
                              path=path, line=line)
        out.append((pattern.strip().strip("/"), key))
    return tuple(out)
