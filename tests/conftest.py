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
}


def require_tools(markers: Iterable[str], *, which: Callable[[str], str | None] = shutil.which,
                  env: Mapping[str, str] = os.environ) -> None:
    """Skip (or, with ZHEN_REQUIRE_TOOLS=1, fail) when a tool the markers name is not on PATH."""
    missing = [tool for name in markers for tool in TOOLS.get(name, ()) if which(tool) is None]
    if not missing:
        return
    reason = f"needs {', '.join(dict.fromkeys(missing))} (not on PATH)"
    if env.get("ZHEN_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason}; ZHEN_REQUIRE_TOOLS=1 requires every tool", pytrace=False)
    pytest.skip(reason)


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
