"""`make mutation`: mutation testing (mutmut 3) of the code whose mistakes cost most,
each target against its own tests. Prints each target's score and every surviving
mutant with its diff; exits 1 when a survivor is not listed as equivalent, with its
reason, in docs/mutation.md.

    python -m devkit.mutation [TARGET ...] [--jobs N]

Each target runs in its own scratch copy under build/mutation/TARGET/ (mutmut keeps
its state in a `mutants/` folder beside the code it mutates), started afresh every
time, so that a result never comes from an older version of the code.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "mutation.md"
SCRATCH = ROOT / "build" / "mutation"
# What the tests read beside the code: fixtures, the glossary, the sample articles, the docs (test_numbers
# reads the desk-style table of docs/figures.md).
COPIED = ("pipeline", "tests", "devkit", "glossary", "translations", "data", "docs", "pyproject.toml", "README.md")


@dataclass(frozen=True)
class Target:
    code: dict[str, tuple[str, ...]]  # each module's file (relative to the repository) and the functions to
    # mutate in it; ("*",) for all of them
    tests: tuple[str, ...]  # the test files that guard them
    # Set for the tests while mutmut runs: a property test runs to its last case for every mutant that
    # survives it, so the target caps its cases (ZHEN_PROPERTY_EXAMPLES, tests/conftest.py).
    env: tuple[tuple[str, str], ...] = ()

    def patterns(self) -> list[str]:
        """mutmut's names for the target's mutants (a module-level function f is x_f)."""
        out = []
        for source, functions in self.code.items():
            module = source.removesuffix(".py").replace("/", ".")
            out += [f"{module}.x_{f}__mutmut_*" if f != "*" else f"{module}.*" for f in functions]
        return out


# Repoint a target here when its code moves.
TARGETS = {
    "figures": Target(
        code={"pipeline/text/numbers.py": ("*",), "pipeline/text/spelling.py": ("*",)},
        tests=("tests/test_numbers.py", "tests/test_qa.py", "tests/test_formulas.py"),
        env=(("ZHEN_PROPERTY_EXAMPLES", "200"),),
    ),
    "merge": Target(
        code={"pipeline/catalog/entries.py": ("state", "owned", "is_machine_draft", "needs_draft"),
              "pipeline/catalog/merge.py": ("_old_entries", "_closest", "_body", "_foreign", "_plan", "_build_entry",
                                            "_keep_obsolete", "_set_header", "merge")},
        tests=("tests/test_catalog.py", "tests/test_merge.py"),
    ),
}

KILLED = {"killed", "timeout", "segfault", "caught by type check"}
_EQUIVALENT_ROW = re.compile(r"^\|\s*`(?P<name>[\w.ǁ]+__mutmut_\d+)`\s*\|")


def equivalents(doc: Path = DOC) -> set[str]:
    """The mutants docs/mutation.md lists as equivalent (first column of its tables)."""
    if not doc.exists():
        return set()
    return {m.group("name") for line in doc.read_text(encoding="utf-8").splitlines()
            if (m := _EQUIVALENT_ROW.match(line))}


def _config(target: Target) -> str:
    tests = ", ".join(f'"{t}"' for t in target.tests if (ROOT / t).exists())
    sources = ", ".join(f'"{path}"' for path in target.code)
    also = ", ".join(f'"{p}"' for p in COPIED if p not in ("pipeline", "pyproject.toml"))
    return ("\n[tool.mutmut]\n"
            'source_paths = ["pipeline"]\n'
            f"only_mutate = [{sources}]\n"
            f"pytest_add_cli_args_test_selection = [{tests}]\n"
            'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n'
            f"also_copy = [{also}]\n")


def _prepare(name: str, target: Target) -> Path:
    where = SCRATCH / name
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    for item in COPIED:
        src = ROOT / item
        if src.is_dir():
            shutil.copytree(src, where / item, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy2(src, where / item)
    pyproject = where / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + _config(target), encoding="utf-8")
    return where


def _mutmut(where: Path, *args: str, capture: bool = False, log: Path | None = None,
            extra_env: tuple[tuple[str, str], ...] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **dict(extra_env)}
    env.pop("PYTHONPATH", None)  # the scratch copy's code, never the repository's
    if log is None:
        return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=where, env=env, text=True,
                              capture_output=capture)
    with open(log, "w", encoding="utf-8") as out:  # mutmut's spinner, kept out of the report
        return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=where, env=env, text=True,
                              stdout=out, stderr=subprocess.STDOUT)


def run_target(name: str, target: Target, *, jobs: int, listed: set[str]) -> bool:
    """Run one target; print its score and survivors; True when every survivor is listed as equivalent."""
    missing = [t for t in target.tests if not (ROOT / t).exists()]
    code = "; ".join(f"{path} ({', '.join(functions)})" for path, functions in target.code.items())
    print(f"== {name}: {code} against {', '.join(target.tests)}", flush=True)
    if missing:
        print(f"   (not present, left out: {', '.join(missing)})")
    present = [t for t in target.tests if (ROOT / t).exists()]
    if not present:
        print("   no test file present; nothing to run")
        return False
    where = _prepare(name, target)
    log = where / "mutmut.log"
    print(f"   mutmut runs; its progress goes to {log.relative_to(ROOT)}", flush=True)
    started = time.monotonic()
    done = _mutmut(where, "run", "--max-children", str(jobs), *target.patterns(), log=log, extra_env=target.env)
    minutes = (time.monotonic() - started) / 60
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n").splitlines()[-20:]
        print("\n".join(tail))
        print(f"   mutmut failed (exit {done.returncode}); see {log.relative_to(ROOT)}")
        return False
    results = _mutmut(where, "results", "--all", "true", capture=True)
    status: dict[str, str] = {}
    for line in results.stdout.splitlines():
        key, sep, value = line.strip().rpartition(": ")
        if sep and any(re.fullmatch(p.replace(".", r"\.").replace("*", ".*"), key) for p in target.patterns()):
            status[key] = value
    killed = sum(v in KILLED for v in status.values())
    survivors = sorted((k for k, v in status.items() if v not in KILLED), key=_natural)
    equivalent = [k for k in survivors if k in listed]
    unexplained = [k for k in survivors if k not in listed]
    total = len(status)
    print(f"== {name}: {total} mutants, {killed} killed, {len(survivors)} survived "
          f"({len(equivalent)} of them listed as equivalent in docs/mutation.md) in {minutes:.0f} minutes "
          f"with {jobs} jobs")
    if total:
        print(f"   score {100 * killed / total:.1f}%; "
              f"{100 * killed / (total - len(equivalent) or 1):.1f}% of the mutants that are not equivalent")
    for key in survivors:
        if key in listed:
            print(f"-- equivalent: {key} ({status[key]})")
    for key in survivors:
        if key not in listed:
            print(f"\n-- SURVIVED: {key} ({status[key]})")
            print(_mutmut(where, "show", key, capture=True).stdout.rstrip())
    stale = sorted(k for k in listed if status.get(k) in KILLED)
    for key in stale:
        print(f"-- listed as equivalent but killed now (remove it from docs/mutation.md): {key}")
    return not unexplained


def _natural(key: str) -> tuple[str, int]:
    head, _, number = key.rpartition("_")
    return head, int(number) if number.isdigit() else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"which targets (default: all of {', '.join(TARGETS)})")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="mutants tested at once")
    args = parser.parse_args(argv)
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target {unknown[0]!r} (choose from {', '.join(TARGETS)})")
    listed = equivalents()
    ok = [run_target(n, TARGETS[n], jobs=args.jobs, listed=listed) for n in (args.targets or TARGETS)]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
