"""Draft quality of the dictionary engine on PUD, through `zhen eval` itself, beside its floor."""

from __future__ import annotations

import json
import subprocess
import sys

GOAL = 38.0  # chrF2 the dictionary engine is meant to reach on PUD


def measure() -> dict:
    """`zhen eval --engine dictionary --set pud --json`, run as a user runs it."""
    out = subprocess.run([sys.executable, "-m", "pipeline", "eval", "--engine", "dictionary", "--set", "pud",
                          "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)
