"""The gate in conftest that skips, or in CI fails, tests whose system tools are absent."""

import pytest

from tests.conftest import TOOLS, require_tools


def only(*present):
    return lambda tool: f"/usr/bin/{tool}" if tool in present else None


def test_a_missing_tool_skips_with_its_name():
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_tools(["browser"], which=only("chromium"), env={})
    assert str(skipped.value) == "needs chromedriver (not on PATH)"


def test_every_missing_tool_is_named_once():
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_tools(["poedit", "poedit", "gettext"], which=only("poedit", "msgcat"), env={})
    assert str(skipped.value) == "needs Xvfb, xdotool, msgfmt, msgattrib (not on PATH)"


def test_ci_turns_a_missing_tool_into_a_failure():
    with pytest.raises(pytest.fail.Exception, match="needs Xvfb .*ZHEN_REQUIRE_TOOLS=1"):
        require_tools(["poedit"], which=only("poedit", "xdotool"), env={"ZHEN_REQUIRE_TOOLS": "1"})


@pytest.mark.parametrize("env", [{}, {"ZHEN_REQUIRE_TOOLS": "1"}])
def test_present_tools_and_other_markers_pass(env):
    everything = {tool for tools in TOOLS.values() for tool in tools}
    require_tools(["browser", "gettext", "poedit", "parametrize"], which=only(*everything), env=env)
    require_tools(["parametrize"], which=only(), env=env)


def test_every_tool_marker_is_declared():
    from pathlib import Path
    import tomllib

    declared = tomllib.loads(Path(__file__).parent.parent.joinpath("pyproject.toml").read_text())
    names = {m.split(":")[0] for m in declared["tool"]["pytest"]["ini_options"]["markers"]}
    assert set(TOOLS) <= names


def test_every_tool_skip_goes_through_the_gate():
    """A test that looks for a program itself (skipif, `if shutil.which`) would skip, or drop a check,
    where ZHEN_REQUIRE_TOOLS=1 must fail; it takes a marker instead."""
    import re
    from pathlib import Path

    own = re.compile(r"skipif\([^)]*which|if (?:not )?shutil\.which|which\([^)]*\) is None")
    tests = Path(__file__).parent
    offenders = [f"{path.name}:{n}" for path in sorted(tests.glob("*.py")) if path.name != "conftest.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if own.search(line) and path.name != Path(__file__).name]
    assert offenders == []


def test_a_missing_llama_server_names_the_script_that_installs_it():
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_tools(["llama"], which=only("llama-server"), env={})
    assert str(skipped.value) == "needs a small GGUF model (not found; run devkit/install_llama_server.sh)"
