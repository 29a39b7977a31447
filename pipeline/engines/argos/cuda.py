"""Where CTranslate2 runs, with which defaults, and the CUDA library it needs there.

CTranslate2's PyPI wheel opens ``libcublas.so.12`` by name when it first runs on
CUDA. A host with only CUDA 13 installed lacks it, and CTranslate2 then fails
with a message about driver versions that tells a user nothing. NVIDIA ships
the library as a wheel, ``nvidia-cublas-cu12`` (``pip install 'zhen[cuda]'``),
which puts it in ``site-packages/nvidia/cublas/lib/``, a folder the dynamic
loader does not search. So before a model is loaded on CUDA, zhen checks that
the loader finds the library, else preloads the wheel's copy (libcublasLt
first, which libcublas needs), else stops with one line that says what to
install. Once a library with that name is loaded, CTranslate2's own
``dlopen("libcublas.so.12")`` finds it.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import EngineError

CUBLAS = "libcublas.so.12"
WHEEL = "nvidia-cublas-cu12"
WHEEL_FOLDER = ("nvidia", "cublas", "lib")  # where that wheel installs, under a site-packages folder
# float16 on CUDA: 835 segments/s against 666 for int8_float16 on an H200 (random weights, beam 4).
COMPUTE_TYPE = {"cpu": "int8", "cuda": "float16"}
# Tokens per batch: a GPU decodes 16,384 at once with room to spare, and small batches starve it.
BATCH_TOKENS = {"cpu": 2048, "cuda": 16384}


def resolve_device(device: str) -> str:
    """``cpu`` or ``cuda``: ``auto`` is CUDA when CTranslate2 sees a GPU, as CTranslate2 itself decides."""
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def wheel_copies(name: str = CUBLAS, paths: Iterable[str] | None = None) -> list[Path]:
    """The library as the NVIDIA wheel installs it, in each folder on ``paths`` (default ``sys.path``)."""
    found = []
    for entry in sys.path if paths is None else paths:
        candidate = Path(entry or ".").joinpath(*WHEEL_FOLDER, name)
        if candidate.is_file():
            found.append(candidate)
    return found


def ensure_library(name: str = CUBLAS, paths: Iterable[str] | None = None) -> str:
    """Make ``name`` loadable by name; returns ``"system"`` or the wheel copy's path it preloaded.

    Raises EngineError saying what to install when neither the loader nor the wheel has it.
    """
    try:
        ctypes.CDLL(name)
        return "system"
    except OSError:
        pass
    for library in wheel_copies(name, paths):
        for path in (*sorted(library.parent.glob("libcublasLt.so*")), library):  # libcublas needs libcublasLt
            try:
                ctypes.CDLL(str(path), mode=ctypes.RTLD_GLOBAL)
            except OSError as e:
                raise EngineError(f"cannot load it ({e}); reinstall it with `pip install --force-reinstall "
                                  f"{WHEEL}`", path=path) from e
        return str(library)
    raise EngineError(f"--device cuda needs {name} (CTranslate2 is built for CUDA 12), and this host has none: "
                      f"`pip install 'zhen[cuda]'` installs NVIDIA's {WHEEL} wheel, which zhen finds and "
                      f"preloads; or use --device cpu")
