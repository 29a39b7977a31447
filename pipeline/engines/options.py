"""The engines' settings, as plain values: ``config`` builds them from zhen.toml and
the command line without importing an engine (and what the engines import)."""

from __future__ import annotations

from dataclasses import dataclass, fields


def changed(options, names: tuple[str, ...]) -> str:
    """"|name:value" for each of these settings that differs from its default: the part of an
    engine's signature that makes drafts written with other settings stale. A default stays out,
    so that signatures written before a setting joined the list still hold."""
    defaults = {f.name: f.default for f in fields(options)}
    return "".join(f"|{n}:{getattr(options, n)}" for n in names if getattr(options, n) != defaults[n])


@dataclass(frozen=True)
class ArgosOptions:
    """Settings of the Argos engine (CTranslate2), from zhen.toml and the command line."""

    device: str = "cpu"  # cpu, cuda or auto (CUDA when CTranslate2 sees a GPU)
    compute_type: str | None = None  # None: by device, int8 on CPU and float16 on CUDA
    beam_size: int = 4
    inter_threads: int = 1
    intra_threads: int = 0  # 0: CTranslate2 picks
    max_batch_tokens: int | None = None  # None: by device, 2,048 on CPU and 16,384 on CUDA
    max_input_tokens: int = 200
    max_decoding_length: int = 256
    min_decoding_length: int = 0  # benchmarks force a fixed length with min = max
    n_best: int = 4

    # What changes the drafts (with the package, beam size and compute type, always in the signature);
    # the device, threads and batch size change only the speed.
    OUTPUT = ("n_best", "max_input_tokens", "max_decoding_length", "min_decoding_length")


DEFAULT_CONCURRENCY = 4  # requests in flight when neither zhen.toml nor the server says
MAX_CONCURRENCY = 256  # as many as [llm] concurrency may ask


@dataclass(frozen=True)
class LLMOptions:
    """Settings of the LLM engine, from zhen.toml's [llm] table and the environment.

    The API key is not here: only the name of the environment variable that holds
    it, so that no file, signature or state hash ever carries the key itself.
    """

    base_url: str  # e.g. http://127.0.0.1:11434/v1; requests go to {base_url}/chat/completions
    model: str
    api_key_env: str = ""  # the NAME of an environment variable; empty: no Authorization header
    # Requests in flight; None: as many as the server has parallel slots, when it says (llama-server's
    # /props), else DEFAULT_CONCURRENCY. A number set here is a cap: never more than the server's slots.
    concurrency: int | None = None
    timeout_s: float = 120.0  # per request, connection to last byte
    max_retries: int = 3  # for 429 and 5xx answers
    temperature: float = 0.0
    # The most tokens one answer may take; each request asks for fewer, by the segment's length,
    # so that a model that does not stop is cut off after a bounded time.
    max_tokens: int = 512
    # Strings that end an answer (the API's "stop"): "\n\n" stops a small model that goes on after
    # its one-line translation, since a translated sentence holds no blank line.
    stop: tuple[str, ...] = ()

    OUTPUT = ("temperature", "stop")  # with the model and the prompt, always in the signature


def choose_concurrency(setting: int | None, slots: int | None) -> tuple[int, str]:
    """Requests in flight, and why: the server's slots unless [llm] concurrency is set, never more
    than that setting, never more than the slots (a request beyond them waits on the server while
    its timeout runs)."""
    if setting is None:
        if slots is None:
            return DEFAULT_CONCURRENCY, (f"the default {DEFAULT_CONCURRENCY}: the server does not say how many "
                                         "requests it serves in parallel")
        n = min(slots, MAX_CONCURRENCY)
        return n, f"the server's {slots} parallel slots" + (f", at most {MAX_CONCURRENCY}" if n < slots else "")
    if slots is not None and slots < setting:
        return slots, f"[llm] concurrency {setting}, lowered to the server's {slots} parallel slots"
    return setting, f"[llm] concurrency {setting}"
