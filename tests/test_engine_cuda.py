"""Finding and preloading the CUDA library CTranslate2 needs, for real: a folder laid out as
NVIDIA's wheel lays it out, a real shared object in it, and ctypes loading it in a fresh process."""

import ctypes
import json
import shutil
import subprocess
import sys
import textwrap

import _ctypes
import pytest

from pipeline.engines.argos import cuda
from pipeline.errors import EngineError
from tests.conftest import ROOT

NAME = "libzhen-test-cublas.so.12"  # a name no system has, so only the wheel layout can provide it


def wheel_site(tmp_path, *, valid: bool = True):
    """A site-packages folder holding nvidia/cublas/lib/ as nvidia-cublas-cu12 installs it."""
    lib = tmp_path / "site-packages" / "nvidia" / "cublas" / "lib"
    lib.mkdir(parents=True)
    # Any real shared object loads with ctypes; an extension module of this Python is one.
    for name in (NAME, "libcublasLt.so.12"):
        if valid:
            shutil.copy(_ctypes.__file__, lib / name)
        else:
            (lib / name).write_bytes(b"not an ELF file")
    return tmp_path / "site-packages"


def in_fresh_process(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_wheel_copy_is_found_and_preloaded(tmp_path):
    site = wheel_site(tmp_path)
    result = in_fresh_process(f"""
        import json, sys
        from pathlib import Path
        from pipeline.engines.argos import cuda
        sys.path.append({str(site)!r})
        before = Path("/proc/self/maps").read_text()
        where = cuda.ensure_library({NAME!r})
        after = Path("/proc/self/maps").read_text()
        print(json.dumps({{"where": where, "before": {NAME!r} in before,
                          "library": {NAME!r} in after, "companion": "libcublasLt.so.12" in after}}))
    """)
    assert result == {"where": str(site / "nvidia" / "cublas" / "lib" / NAME), "before": False,
                      "library": True, "companion": True}


def test_a_library_the_loader_finds_needs_no_wheel(tmp_path):
    assert cuda.ensure_library("libc.so.6", paths=[str(wheel_site(tmp_path))]) == "system"


def test_a_missing_library_says_what_to_install(tmp_path):
    with pytest.raises(EngineError) as e:
        cuda.ensure_library(NAME, paths=[str(tmp_path)])
    message = str(e.value)
    assert f"--device cuda needs {NAME}" in message and "pip install 'zhen[cuda]'" in message
    assert "nvidia-cublas-cu12" in message and "\n" not in message


def test_a_broken_wheel_copy_is_named(tmp_path):
    site = wheel_site(tmp_path, valid=False)
    with pytest.raises(EngineError) as e:
        cuda.ensure_library(NAME, paths=[str(site)])
    assert str(e.value).startswith(f"{site}/nvidia/cublas/lib/libcublasLt.so.12: cannot load it (")
    assert str(e.value).endswith("reinstall it with `pip install --force-reinstall nvidia-cublas-cu12`")


def test_wheel_copies_searches_the_given_folders_in_order(tmp_path):
    first, second = wheel_site(tmp_path / "a"), wheel_site(tmp_path / "b")
    assert cuda.wheel_copies(NAME, [str(tmp_path), str(first), str(second)]) == [
        first / "nvidia" / "cublas" / "lib" / NAME, second / "nvidia" / "cublas" / "lib" / NAME]


def test_auto_resolves_as_ctranslate2_does():
    import ctranslate2

    assert cuda.resolve_device("cpu") == "cpu" and cuda.resolve_device("cuda") == "cuda"
    assert cuda.resolve_device("auto") == ("cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu")


def test_device_cuda_without_the_library_is_one_line(article_dir, tmp_path, monkeypatch):
    """On a host without libcublas.so.12 (this one, and any CI runner without CUDA 12),
    --device cuda stops before CTranslate2 does, saying what to install."""
    from devkit.random_argos_package import TINY_LINES, build_package
    from tests.test_engine_argos import run

    try:
        ctypes.CDLL(cuda.CUBLAS)
        has_cublas = True
    except OSError:
        has_cublas = False
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    assert run("model", "install", build_package(tmp_path / "t.argosmodel", TINY_LINES)).exit_code == 0
    result = run("translate", article_dir, "--engine", "argos", "--device", "cuda")
    if has_cublas and result.exit_code == 0:  # a CUDA 12 host with a GPU: it ran there, at the CUDA default
        assert "|compute:float16|" in (article_dir / "en.po").read_text(encoding="utf-8")
        return
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (article_dir / "en.po").exists()
    if not has_cublas:
        assert "pip install 'zhen[cuda]'" in result.stderr
