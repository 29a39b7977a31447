"""The package's shape: every module is in CONTRIBUTING.md's tables, and imports only point down."""

import ast
import re

from tests.conftest import ROOT

PACKAGE = ROOT / "pipeline"
# The floors of the package, bottom first: a module imports from its own floor or below, never
# from above. The ground floor is what every stage stands on: the error family, the shared
# values, and the article folder itself (its file names, the paths of an article, names, links,
# atomic writes, whose project it is). The rest of workspace/ (which articles a command names, which source a
# catalog belongs to, the up-to-date check, many articles at once) reads catalogs and engines,
# so it sits above them.
GROUND = ("pipeline.errors", "pipeline.model", "pipeline.workspace.layout", "pipeline.workspace.files",
          "pipeline.workspace.links", "pipeline.workspace.naming", "pipeline.workspace.articles",
          "pipeline.workspace.project", "pipeline.workspace.trust", "pipeline.workspace.outputs")
FLOORS = (GROUND, ("pipeline.text",), ("pipeline.glossary",), ("pipeline.engines",), ("pipeline.config",),
          ("pipeline.catalog",), ("pipeline.tm",), ("pipeline.qa",), ("pipeline.workspace",), ("pipeline.render",),
          ("pipeline.evaluate",), ("pipeline.run", "pipeline.session"), ("pipeline.cli", "pipeline.__main__"))
# Only the commands talk to the terminal.
TERMINAL = ("click", "rich")


def floor(name: str) -> int:
    """The floor of a module: the first (lowest) whose prefixes name it."""
    for i, prefixes in enumerate(FLOORS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return i
    raise AssertionError(f"{name} is on no floor of tests/test_layout.py")


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


def test_the_module_table_names_every_module_and_no_other():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide[guide.index("## The modules"):]
    section = section[:section.index("\n## ", 1)] if "\n## " in section[1:] else section
    named = set(re.findall(r"`([\w/]+\.py|\w+/)`", section))
    tree = {rel for rel in modules().values() if not rel.endswith(("__init__.py", "__main__.py"))}
    packages = {p.relative_to(PACKAGE).as_posix() + "/" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert tree - named == set(), "modules CONTRIBUTING.md does not describe"
    assert packages - named == set(), "subpackages CONTRIBUTING.md does not describe"
    stale = {n for n in named if n.endswith(".py") and n not in tree and not n.endswith("__init__.py")}
    assert stale == set(), "CONTRIBUTING.md names modules that are gone"


def test_imports_point_down():
    known = modules()
    graph = {name: imports(rel, known) - {name, "pipeline"} for name, rel in known.items() if name != "pipeline"}
    upward = {(a, b) for a, targets in graph.items() for b in targets if floor(b) > floor(a)}
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


def test_only_the_commands_import_click_or_rich():
    found = set()
    for name, rel in modules().items():
        if name == "pipeline" or floor(name) == len(FLOORS) - 1:
            continue
        for node in ast.walk(ast.parse((PACKAGE / rel).read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found.update((name, n) for n in names if n.split(".")[0] in TERMINAL)
    assert found == set()


def test_the_top_of_the_package_stays_short():
    """``ls pipeline/`` reads as the stages: sub-packages, and a few modules beside them."""
    entries = [p for p in PACKAGE.iterdir() if p.name != "__pycache__"]
    assert len([p for p in entries if not (p / "__init__.py").exists()]) <= 15
    long = {rel: n for rel in modules().values()
            if (n := len((PACKAGE / rel).read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


def test_the_article_folder_is_spelled_out_in_one_module():
    """An article folder's file names appear as literals in workspace/layout.py and nowhere else
    in the package (docstrings, which explain rather than name, aside)."""
    names = re.compile(r"(?<![\w.])(?:source\*?\.(?:zh\.)?txt|en\.po~?|en\.txt|en\.html|\.zhen\.state|\.zhen\.lock)(?!\w)")
    found = set()
    for name, rel in modules().items():
        if rel == "workspace/layout.py":
            continue
        tree = ast.parse((PACKAGE / rel).read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found.update((rel, m) for m in names.findall(node.value))
    assert found == set()


def test_every_import_of_the_package_names_something_that_exists():
    """Imports inside functions run only when called: a module moved in the package left
    `make golden` importing a module that was gone. Every `pipeline` import in the code,
    the devkit, the benches and the tests names a module and a name that exist."""
    import importlib
    import importlib.util

    missing = []
    for folder in ("pipeline", "devkit", "bench", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "pipeline":
                    module = node.module or ""
                    if importlib.util.find_spec(module) is None:
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {module}")
                        continue
                    loaded = importlib.import_module(module)
                    missing += [f"{path.relative_to(ROOT)}:{node.lineno}: {module}.{a.name}" for a in node.names
                                if not hasattr(loaded, a.name) and importlib.util.find_spec(f"{module}.{a.name}") is None]
                elif isinstance(node, ast.Import):
                    missing += [f"{path.relative_to(ROOT)}:{node.lineno}: {a.name}" for a in node.names
                                if a.name.split(".")[0] == "pipeline" and importlib.util.find_spec(a.name) is None]
    assert missing == []
