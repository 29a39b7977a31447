"""Several articles drafting at once with the LLM engine (pipeline/engines/llm_channel.py): one event
loop, one HTTP client and one set of server slots for every article in flight, against the loopback
OpenAI-compatible server. The slots stay full across article boundaries; the outputs are the bytes
of one article at a time; each article counts its own usage and progress; a slow or failed segment
stays with its own article."""

import dataclasses
import json
import math
import shutil
import threading
import time
from pathlib import Path

from devkit.llm_server import LLMServer, echo
from pipeline.engines.options import LLMOptions
from pipeline.glossary.table import glossary_files
from pipeline.model import ArticleResult
from pipeline.session import open_run, read_settings
from pipeline.workspace.articles import resolve
from tests.conftest import GLOSSARY_DIR, NOW
from tests.test_cli import invoke
from tests.test_engine_llm import config
from tests.test_jobs import UD
from tests.test_jobs import snapshot as files

FILES = glossary_files(GLOSSARY_DIR)
SLOTS = b'{"total_slots": 4}'


def sentence(article: int, i: int) -> str:
    """A sentence found in one article only, so that each request names its article."""
    return f"{UD[(article + i) % len(UD)][:-1]}，第{article}篇第{i}句。"


def project(root: Path, sizes: list[int], extra: dict[int, str] | None = None) -> list:
    """An article per size, of that many sentences; ``extra``: one more sentence for some articles."""
    articles = []
    for a, size in enumerate(sizes):
        folder = root / f"art{a:02d}"
        folder.mkdir(parents=True)
        lines = [sentence(a, i) for i in range(size)] + ([extra[a]] if extra and a in extra else [])
        (folder / "source.zh.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        articles.append(resolve(folder))
    return articles


def owner(source: str) -> str:
    """The article a request's source sentence belongs to."""
    return f"art{int(source.split('，第')[1].split('篇')[0]):02d}"


def translate(articles, server: LLMServer, *, inflight: int | None = None, progress_for=None, **llm):
    settings = dataclasses.replace(read_settings(None), llm=LLMOptions(base_url=server.base_url, model=server.model,
                                                                       **llm))
    run = open_run(settings, glossary=GLOSSARY_DIR, engine="llm", now=NOW)
    extra = {"progress_for": progress_for} if progress_for is not None else {}
    return list(run.translate_all(articles, glossary_files=FILES, inflight=inflight, **extra))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes, the wall times the state file records left out."""
    out = files(root)
    for name, data in out.items():
        if name.endswith(".zhen.state"):
            record = json.loads(data)
            (record.get("result", {}).get("usage") or {}).pop("seconds", None)
            out[name] = json.dumps(record, sort_keys=True).encode()
    return out


def channel_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("zhen-llm")]


def test_the_servers_slots_stay_full_across_articles_smaller_than_them(tmp_path):
    dirs = [a.folder for a in project(tmp_path / "p", [2] * 12)]
    with LLMServer(latency=(0.2, 0.2), props=SLOTS) as server:
        result = invoke("translate", *dirs, "--config", config(tmp_path, server, concurrency=None), "--engine", "llm",
                        "--json")
    assert result.exit_code == 0, result.output
    reports = [json.loads(line) for line in result.stdout.splitlines()][:-1]
    assert [r["drafted"] for r in reports] == [2] * 12
    # Two requests per article, four slots: only articles drafting at once fill them, and never past them.
    # (Answers take 0.2 s, so that articles overlap even when reading one takes a while on a busy machine.)
    assert server.peak == 4 and server.problems == []
    assert {r["usage"]["concurrency"]["requests"] for r in reports} == {4}
    assert channel_threads() == []


def test_articles_in_flight_write_the_bytes_of_one_at_a_time(tmp_path):
    root = tmp_path / "p"  # the same path both times: the outcomes name the files
    sizes = [3, 1, 2, 2, 3, 1, 3, 2, 1]  # fewer sentences than slots: four at once are several articles

    def outcomes(results):
        return [{**r.as_json(), "seconds": None, "usage": None} for r in results]

    with LLMServer(latency=(0.1, 0.2), props=SLOTS, seed=3) as server:
        alone = translate(project(root, sizes), server, inflight=1)
        assert server.peak <= max(sizes)
        expected = snapshot(root)
        shutil.rmtree(root)
        server.peak = 0
        together = translate(project(root, sizes), server)
    assert server.peak == 4 and server.problems == []
    assert all(isinstance(r, ArticleResult) and r.drafted and not r.faults for r in together)
    assert outcomes(together) == outcomes(alone)
    assert snapshot(root) == expected
    assert channel_threads() == []


def test_each_article_counts_its_own_usage_and_progress_while_they_overlap(tmp_path):
    sizes = [1, 3, 2, 3, 1, 2, 3, 1, 2, 3]
    seen: list[tuple[str, int, int]] = []
    lock = threading.Lock()

    def progress_for(article):
        def progress(done, of):
            with lock:
                seen.append((article.slug, done, of))
        return progress

    with LLMServer(latency=(0.1, 0.2), props=SLOTS, seed=5) as server:
        results = translate(project(tmp_path / "p", sizes), server, progress_for=progress_for)
    # No article has more than three sentences: four requests at once were several articles'.
    assert server.peak == 4
    answers: dict[str, int] = {}
    tokens: dict[str, int] = {}
    for body in server.requests:  # the follow-ups for missing glossary renderings included
        source = body["messages"][1]["content"].split("\n\n", 1)[1]
        answers[owner(source)] = answers.get(owner(source), 0) + 1
        tokens[owner(source)] = tokens.get(owner(source), 0) + math.ceil(len(echo(source)) / 4)
    for result, size in zip(results, sizes):
        assert result.drafted == size and not result.faults
        assert (result.usage.answers, result.usage.tokens) == (answers[result.article], tokens[result.article])
        mine = [(done, of) for slug, done, of in seen if slug == result.article]
        assert mine == [(i, size) for i in range(1, size + 1)], result.article


def test_a_slow_segment_holds_up_its_own_article_only(tmp_path):
    slow = "这句话回答得很慢。"
    articles = project(tmp_path / "p", [2] * 8, extra={0: slow})
    last = articles[-1].folder / "en.po"
    waited: list[bool] = []

    def answer(source):
        if source == slow:  # answered once the last article is written, or after a bound
            deadline = time.monotonic() + 30
            while not last.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            waited.append(last.exists())
        return echo(source)

    with LLMServer(answer=answer, latency=(0.0, 0.02), props=SLOTS) as server:
        results = translate(articles, server)
    assert waited == [True]  # the other articles went on, and were written, while the first waited
    assert all(isinstance(r, ArticleResult) and not r.faults for r in results)
    assert results[0].drafted == 3


def test_a_timeout_faults_its_segment_alone_and_the_other_articles_are_whole(tmp_path):
    hang = "这句话永远没有回答。"
    articles = project(tmp_path / "p", [2] * 6, extra={2: hang})
    with LLMServer(faults={hang: ["hang"]}, props=SLOTS) as server:
        results = translate(articles, server, timeout_s=1.0)
    assert [len(r.faults) for r in results] == [0, 0, 1, 0, 0, 0]
    assert results[2].faults[0][1] == "no answer within 1 s (timeout_s in [llm])"
    assert [r.drafted for r in results] == [2, 2, 2, 2, 2, 2]
    assert channel_threads() == []


def test_a_server_that_is_gone_fails_each_article_cleanly(tmp_path):
    dirs = [a.folder for a in project(tmp_path / "p", [2] * 5)]
    with LLMServer() as server:
        path = config(tmp_path, server, concurrency=None)
    result = invoke("translate", *dirs, "--config", path, "--engine", "llm")  # nothing listens there now
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {server.base_url}/chat/completions: cannot connect: All connection attempts "
                      "failed; is the server running?"] * 5
    assert "5 article(s) (0 up to date, 5 failed)" in result.stderr
    assert not any((d / "en.po").exists() for d in dirs)
    assert channel_threads() == []


def test_draft_calls_from_several_threads_share_one_limit_of_requests_in_flight():
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.engines.llm import LLMEngine
    from pipeline.glossary.table import Glossary
    from pipeline.model import Segment

    calls = [[Segment(i, i, i, "body", sentence(a, i)) for i in range(1, 4)] for a in range(4)]
    with LLMServer(latency=(0.2, 0.2)) as server:
        engine = LLMEngine(Glossary(()), options=LLMOptions(base_url=server.base_url, model=server.model,
                                                            concurrency=4))
        spent: list = []
        with ThreadPoolExecutor(4) as pool:
            drafts = list(pool.map(lambda segs: engine.draft(segs, usage=spent.append), calls))
    # Twelve requests from four calls at once, and never more than four in flight: the limit is the engine's.
    assert server.peak == 4
    assert [{sid: d.text for sid, d in got.items()} for got in drafts] == \
        [{s.id: echo(s.text) for s in segs} for segs in calls]
    assert sorted(u.answers for u in spent) == [3, 3, 3, 3]
    assert channel_threads() == []
