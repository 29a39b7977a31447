"""The package's shape: every module is in the README's tables, and imports only point down."""

import ast
import re

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
# Modules that compose the others; nothing below them may import them.
TOP = {"pipeline.cli", "pipeline.__main__", "pipeline.run", "pipeline.workspace.batch", "pipeline.evaluate"}


def modules() -> dict[str, str]:
    """Dotted name → path relative to pipeline/, for every module in the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        out[".".join(("pipeline", *rel.removesuffix(".py").split("/"))).removesuffix(".__init__")] = rel
    return out


def imports(rel: str, known) -> set[str]:
    """The pipeline modules a module imports, at its top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse((PACKAGE / rel).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("pipeline."))
    return found


def test_the_readme_names_every_module_and_no_other():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## What it does"):readme.index("## Articles and their files")]
    named = set(re.findall(r"`([\w/]+\.py|\w+/)`", section))
    tree = {rel for rel in modules().values() if not rel.endswith(("__init__.py", "__main__.py"))}
    packages = {p.relative_to(PACKAGE).as_posix() + "/" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert tree - named == set(), "modules the README does not describe"
    assert packages - named == set(), "subpackages the README does not describe"
    stale = {n for n in named if n.endswith(".py") and n not in tree and not n.endswith("__init__.py")}
    assert stale == set(), "README names modules that are gone"


def test_imports_point_down():
    known = modules()
    graph = {name: imports(rel, known) - {name} for name, rel in known.items()}
    upward = {(a, b) for a, targets in graph.items() if a not in TOP for b in targets if b in TOP}
    assert upward == set()

    def reaches(start, goal):
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    cycles = {tuple(sorted((a, b))) for a, targets in graph.items() for b in targets
              if a != "pipeline" and b != "pipeline" and reaches(b, a)}
    assert cycles == set()


def test_every_data_file_in_the_package_is_shipped():
    """A file the package reads at run time must be in the wheel, not only in the checkout."""
    import fnmatch
    import tomllib

    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    data = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert data, "the package holds data files (engines/senses.tsv)"
    for path in data:
        package = ".".join(("pipeline", *path.parent.relative_to(PACKAGE).parts))
        assert any(fnmatch.fnmatch(path.name, pattern) for pattern in shipped.get(package, ())), path
