"""Articles as Ray actors (``translate --executor ray``, pipeline/workspace/cluster.py): the same bytes
as a serial run and as ``--jobs 2``, one failing or killed article fails alone, and without the
extra a one-line error. The Ray instance is local, started here and shut down after."""

import functools
import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import SourceError, ZhenError
from pipeline.workspace.batch import Failure, translate_all
from tests.conftest import GLOSSARY_DIR, ROOT
from tests.test_jobs import FILES, RECIPE, after_a_kill, outcomes, project, snapshot


@pytest.fixture(scope="module")
def ray_instance():
    """A Ray instance on this machine alone: two CPUs, no dashboard; its address for a subprocess."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


def on_ray(device: str = "cpu"):
    from pipeline.workspace import cluster

    return functools.partial(cluster.run_tasks, device=device)


@pytest.mark.ray
def test_ray_writes_the_same_bytes_in_the_same_order_as_workers_and_a_serial_run(tmp_path, ray_instance):
    root = tmp_path / "p"
    articles = project(root)
    pristine = tmp_path / "pristine"
    shutil.copytree(root, pristine)
    runs = {}
    for name, how in {"serial": {}, "jobs": {"jobs": 2, "recipe": RECIPE},
                      "ray": {"jobs": 2, "recipe": RECIPE, "executor": on_ray()}}.items():
        shutil.rmtree(root)
        shutil.copytree(pristine, root)
        results = outcomes(translate_all(articles, run=RECIPE(), glossary_files=FILES, settings="s", **how))
        runs[name] = results, snapshot(root)
    assert runs["ray"] == runs["serial"] == runs["jobs"]
    results = runs["ray"][0]
    assert [o[0] if isinstance(o, tuple) else o["article"] for o in results] == ["a", "b", "c", "d", "e"]
    assert results[3][1] == SourceError.__name__  # the unreadable article failed; the others went on
    assert [o["drafted"] for o in results if isinstance(o, dict)] == [45, 8, 8, 8]
    # Again: everything but the unreadable article is up to date, decided here, not on the cluster.
    again = list(translate_all(articles, run=RECIPE(), glossary_files=FILES, settings="s", jobs=2, recipe=RECIPE,
                               executor=on_ray()))
    assert [r.up_to_date for r in again if not isinstance(r, Failure)] == [True] * 4


@pytest.mark.ray
def test_a_killed_actor_loses_no_reviewed_line_and_its_article_runs_again(tmp_path, ray_instance):
    results = after_a_kill(tmp_path, once=True, executor=on_ray())
    assert [isinstance(r, Failure) for r in results] == [False, False, False, True, False]
    assert results[1].reviewed == 1 and not results[1].up_to_date


@pytest.mark.ray
def test_an_article_that_kills_every_actor_fails_alone(tmp_path, ray_instance):
    results = after_a_kill(tmp_path, once=False, executor=on_ray())
    assert [isinstance(r, Failure) for r in results] == [False, True, False, True, False]
    assert "Ray actor" in str(results[1].error) and str(results[1].article.folder) in str(results[1].error)
    assert [(r.segments, r.up_to_date) for r in results if not isinstance(r, Failure)] == [(45, False), (8, False),
                                                                                           (8, False)]


@pytest.mark.ray
def test_a_cluster_without_a_gpu_refuses_a_cuda_engine(tmp_path, ray_instance):
    articles = project(tmp_path / "p")[1:3]
    with pytest.raises(ZhenError, match="no GPU"):
        list(translate_all(articles, run=RECIPE(), glossary_files=FILES, settings="s", recipe=RECIPE,
                           executor=on_ray("cuda")))
    assert not any((a.folder / "en.po").exists() for a in articles)


# The command with the clock at the tests' NOW: runs a minute apart write the same revision dates.
AT_NOW = ("import sys, pipeline.model; from tests.conftest import NOW; pipeline.model.now_utc = lambda: NOW; "
          "from pipeline.cli import main; sys.argv[0] = 'zhen'; main()")


@pytest.mark.ray
def test_the_command_on_the_cluster_ray_address_names(tmp_path, ray_instance):
    """``zhen translate --executor ray`` finds the test's instance through RAY_ADDRESS, as ``ray.init()``
    does, and prints the JSON lines a serial run prints, writing the same bytes."""
    def run(root, *args, env=None):
        proc = subprocess.run([sys.executable, "-c", AT_NOW, "translate", "--engine", "dictionary", "--glossary",
                               str(GLOSSARY_DIR), "--json", *args], cwd=root, capture_output=True, text=True,
                              timeout=300, stdin=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
        lines = [json.loads(line) for line in proc.stdout.splitlines()]
        for line in lines:
            line.pop("seconds", None)
        return proc.returncode, lines

    root = tmp_path / "p"
    project(root / "translations")
    (root / "zhen.toml").write_text("", encoding="utf-8")
    pristine = tmp_path / "pristine"
    shutil.copytree(root, pristine)
    runs = {}
    for name, args in {"serial": (), "jobs": ("--jobs", "2"), "ray": ("--executor", "ray", "--jobs", "2")}.items():
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(pristine, root)
        runs[name] = run(root, *args, env={"RAY_ADDRESS": ray_instance}), snapshot(root)
    assert runs["serial"][0][0] == 2 and len(runs["serial"][0][1]) == 5  # four articles and the totals; one failed
    assert runs["ray"] == runs["jobs"]
    # A serial run also records each catalog in the memory as it writes it (docs/scale.md); the rest is the same.
    assert runs["ray"][0] == runs["serial"][0]
    memory = ".zhen/tm.sqlite"
    assert memory in runs["serial"][1]
    assert runs["ray"][1] == {k: v for k, v in runs["serial"][1].items() if k != memory}


def test_without_the_extra_the_command_says_how_to_install_it(tmp_path, monkeypatch):
    """Runs where Ray is installed too: the import is made to fail."""
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    project(tmp_path / "translations")
    (tmp_path / "zhen.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["translate", "--engine", "dictionary", "--glossary", str(GLOSSARY_DIR),
                                       "--executor", "ray"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: --executor ray needs Ray, which is not installed: pip install 'zhen[ray]'"]
    assert not list(tmp_path.rglob("en.po"))  # said before any work
