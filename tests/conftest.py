import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

import pytest

from devkit import GLOSSARY_DIR, ROOT, SAMPLE
from pipeline.glossary.table import Glossary, load_glossary

POEDIT_SAVES = ROOT / "tests" / "data" / "poedit"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)

# The system programs each marker's tests run. Absent on a user's machine, those
# tests skip and say which program is missing; CI sets ZHEN_REQUIRE_TOOLS=1, and
# there a missing program fails the test, so nothing is silently left out.
TOOLS = {
    "browser": ("chromium", "chromedriver"),
    "gettext": ("msgfmt", "msgcat", "msgattrib"),
    "poedit": ("Xvfb", "poedit", "xdotool"),
    "llama": ("llama-server", "a small GGUF model"),
    "ray": ("the ray package",),
}


def _find_llama(tool: str) -> str | None:
    """The llama.cpp server and its models are found where devkit/install_llama_server.sh puts them."""
    from devkit.llama_server import BASE, INSTRUCT, find_model, find_server

    if tool == "llama-server":
        return " ".join(find_server() or ()) or None
    found = find_model(INSTRUCT), find_model(BASE)
    return str(found[0]) if all(found) else None


def _find_ray(tool: str) -> str | None:
    """The optional extra zhen[ray]: found where this Python imports it from, never imported here."""
    import importlib.util

    spec = importlib.util.find_spec("ray")
    return spec.origin if spec is not None else None


# Tools found some other way than on PATH, and what to run when they are missing.
LOCATORS = {"llama-server": _find_llama, "a small GGUF model": _find_llama, "the ray package": _find_ray}
INSTALL = {"llama-server": "devkit/install_llama_server.sh", "a small GGUF model": "devkit/install_llama_server.sh",
           "the ray package": "pip install 'zhen[ray]'"}


def _which(tool: str) -> str | None:
    return LOCATORS.get(tool, shutil.which)(tool)


def require_tools(markers: Iterable[str], *, which: Callable[[str], str | None] = _which,
                  env: Mapping[str, str] = os.environ) -> None:
    """Skip (or, with ZHEN_REQUIRE_TOOLS=1, fail) when a tool the markers name is not on PATH."""
    missing = [tool for name in markers for tool in TOOLS.get(name, ()) if which(tool) is None]
    if not missing:
        return
    missing = list(dict.fromkeys(missing))
    scripts = list(dict.fromkeys(INSTALL[t] for t in missing if t in INSTALL))
    reason = f"needs {', '.join(missing)} ({'not found; run ' + ', '.join(scripts) if scripts else 'not on PATH'})"
    if env.get("ZHEN_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason}; ZHEN_REQUIRE_TOOLS=1 requires every tool", pytrace=False)
    pytest.skip(reason)


def property_examples(count: int, env: Mapping[str, str] = os.environ) -> int:
    """How many cases a property test draws: ``count``, or fewer where ZHEN_PROPERTY_EXAMPLES caps it.

    `make mutation` runs a property test once for every mutant that reaches it, to the last case when the
    mutant survives; devkit/mutation.py sets the cap there so that one mutant costs seconds, not a minute.
    """
    cap = env.get("ZHEN_PROPERTY_EXAMPLES", "")
    if not cap:
        return count
    if not cap.isdigit() or int(cap) < 1:
        raise pytest.UsageError(f"ZHEN_PROPERTY_EXAMPLES={cap!r}: not a whole number of cases above 0")
    return min(count, int(cap))


@pytest.hookimpl(tryfirst=True)  # before fixtures start a browser or a screen
def pytest_runtest_setup(item):
    require_tools(m.name for m in item.iter_markers())


@pytest.fixture(scope="session")
def glossary() -> Glossary:
    return load_glossary(GLOSSARY_DIR)


@pytest.fixture
def article_dir(tmp_path: Path) -> Path:
    """A fresh article folder holding a copy of the sample article."""
    folder = tmp_path / "tianjin"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "source.zh.txt")
    return folder


@pytest.fixture
def runs(monkeypatch):
    """Counts the articles that really ran (the CLI imports translate_article when it needs it)."""
    import pipeline.run

    calls = []
    real = pipeline.run.translate_article

    def counting(article, **kw):
        calls.append(article.slug)
        return real(article, **kw)

    monkeypatch.setattr(pipeline.run, "translate_article", counting)
    return calls
