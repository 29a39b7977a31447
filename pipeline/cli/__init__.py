"""The commands. ``main`` is the console script's entry point (pyproject.toml)."""

from pipeline.cli.app import main

__all__ = ["main"]
