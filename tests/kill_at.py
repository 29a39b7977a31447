"""Run zhen's command line and SIGKILL it at its Nth rename into a folder.

    python -m tests.kill_at FOLDER N before|after LOG -- ZHEN-ARGUMENTS

A fault injector for the crash tests. Every output is written to a temporary
file and renamed into place, so the moments a crash can hurt are just before and
just after each rename. ``os.replace`` is wrapped: each rename into FOLDER is
logged to LOG, and at the Nth the process kills itself with SIGKILL, the signal
no code can catch. Killing at a rename rather than after a delay makes the kill
point the same on a loaded machine as on an idle one.
"""

import os
import signal
import sys
from pathlib import Path


def _log(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def main() -> None:
    folder, n, when, log = Path(sys.argv[1]).resolve(), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if when not in ("before", "after"):
        raise SystemExit(f"kill_at: WHEN must be before or after, not {when!r}")
    rename = os.replace
    count = 0

    def replace(src, dst, *args, **kwargs):
        nonlocal count
        if Path(dst).resolve().parent != folder:
            return rename(src, dst, *args, **kwargs)
        count += 1
        name = Path(dst).name
        if count == n and when == "before":
            _log(log, f"killed before {name}")
            os.kill(os.getpid(), signal.SIGKILL)
        rename(src, dst, *args, **kwargs)
        _log(log, f"replaced {name}")
        if count == n:
            _log(log, f"killed after {name}")
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace
    sys.argv = ["zhen", *sys.argv[sys.argv.index("--") + 1:]]
    from pipeline.cli import main as zhen

    zhen()


if __name__ == "__main__":
    main()
