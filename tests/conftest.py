import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pipeline.glossary import Glossary, load_glossary

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "translations" / "tianjin-chuangxian-zhengyou" / "source.zh.txt"
GLOSSARY_DIR = ROOT / "glossary"
POEDIT_SAVES = ROOT / "tests" / "data" / "poedit"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


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


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true",
                     help="Rewrite tests/golden/*/expected/ from the code's output (review the diff before committing).")
