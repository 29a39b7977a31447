"""The Argos engine through its real path: a tiny real package, installed, loaded and run."""

import http.server
import json
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from devkit.random_argos_package import TINY_LINES, build_package
from pipeline import __version__
from pipeline.catalog.notes import setup_hash
from pipeline.cli import main
from pipeline.engines.argos.engine import ArgosEngine, ArgosOptions
from pipeline.engines.argos.packages import find_package, install
from pipeline.errors import ModelError
from pipeline.model import Segment
from pipeline.text.segment import segment
from pipeline.text.source import read_article
from tests.conftest import SAMPLE

@pytest.fixture(scope="session")
def package_file(tmp_path_factory) -> Path:
    return build_package(tmp_path_factory.mktemp("pkg") / "translate-zh_en-tiny.argosmodel", TINY_LINES)


@pytest.fixture
def packages(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_install_list_translate_remove_through_the_cli(package_file, packages, article_dir, glossary):
    assert run("model", "install", package_file).exit_code == 0
    listed = [json.loads(x) for x in run("model", "list", "--json").stdout.splitlines()]
    assert [(p["name"], p["version"], p["from"], p["to"]) for p in listed] == [("translate-zh_en", "0.1", "zh", "en")]
    # argostranslate reads what we installed.
    from argostranslate.package import get_installed_packages
    assert [(p.from_code, p.to_code) for p in get_installed_packages([packages])] == [("zh", "en")]

    result = run("translate", article_dir, "--json")  # auto picks argos now
    record = json.loads(result.stdout)
    assert record["drafted"] == 45
    catalog = (article_dir / "en.po").read_text(encoding="utf-8")
    signature = f"engine:argos|package:translate-zh_en-0.1|beam:4|compute:int8|glossary:{glossary.revision}|zhen:{__version__}"
    assert f" {setup_hash(signature)}]" in catalog
    assert "draft-score: " in catalog and "confidence" in catalog
    assert run("model", "remove", "translate-zh_en").exit_code == 0
    assert run("model", "list", "--json").stdout == ""


def test_batched_drafts_equal_per_segment_drafts(package_file, packages, glossary):
    info = install(package_file)
    engine = ArgosEngine(glossary, package=info, options=ArgosOptions(beam_size=1, n_best=1))
    segs = segment(read_article(SAMPLE))[:12]
    together = engine.draft(segs)
    one_by_one = {s.id: engine.draft([s])[s.id] for s in segs}
    assert {k: d.text for k, d in together.items()} == {k: d.text for k, d in one_by_one.items()}
    assert all(d.text and d.engine == "argos" for d in together.values())


def many_segments(count: int = 240) -> list[Segment]:
    """The sample article, UD Chinese PUD sentences and a few long segments made of them, Simplified."""
    from pipeline.text import script
    from pipeline.evaluate import conllu_sentences
    from tests.conftest import ROOT

    texts = [s.text for s in segment(read_article(SAMPLE))]
    texts += [t for _, t in conllu_sentences(ROOT / "data" / "ud" / "zh_pud-ud-test.conllu")][:count]
    texts += ["，".join(t.rstrip("。") for t in texts[i:i + 4]) + "。" for i in range(0, 40, 8)]
    return script.normalize([Segment(n, n, n, "body", t) for n, t in enumerate(texts, start=1)])


def test_drafts_equal_plain_ctranslate2_decoding_of_many_segments(package_file, packages, glossary):
    """Drafts built while later sub-batches still decode are what plain CTranslate2 and the
    package's own tokenizer make of each segment: right text for the right segment, in order."""
    import ctranslate2
    from argostranslate.tokenizer import SentencePieceTokenizer

    from pipeline.glossary.enforcement import repair, verify

    info = install(package_file)
    options = ArgosOptions(max_batch_tokens=300, max_input_tokens=60, max_decoding_length=64)
    engine = ArgosEngine(glossary, package=info, options=options)
    segs = many_segments()
    hits = glossary.match_segments(segs)
    assert 0 < sum(1 for s in segs if hits.get(s.id)) < len(segs) // 4  # n-best decoded for all, used by few
    calls = []
    drafts = engine.draft(segs, hits, progress=lambda done, total: calls.append((done, total)))
    assert list(drafts) == [s.id for s in segs]
    assert calls == [(n, len(segs)) for n in range(1, len(segs) + 1)]

    # The reference: the engine's input pieces (long segments split at clauses), decoded
    # by one plain translate_batch with the same settings and detokenized by argostranslate.
    tokenizer = SentencePieceTokenizer(info.path / "sentencepiece.model")
    requests = engine.requests(segs, hits, segs)
    pieces = [engine._pieces(r.text) for r in requests]
    suppress = engine._suppressions(requests)
    assert suppress  # avoided renderings are kept out of the whole batch
    assert sum(len(p) > 1 for p in pieces) >= 3
    flat = [toks for p in pieces for toks, _ in p]
    assert all(toks == tokenizer.encode(tokenizer.decode(toks).strip()) for toks in flat[:20])
    order = sorted(range(len(flat)), key=lambda i: -len(flat[i]))
    translator = ctranslate2.Translator(str(info.path / "model"), compute_type="int8")
    results = translator.translate_batch([flat[i] for i in order], beam_size=4, num_hypotheses=4,
                                         return_scores=True, max_batch_size=300, batch_type="tokens",
                                         min_decoding_length=0, max_decoding_length=64, suppress_sequences=suppress)
    raw = {i: r for i, r in zip(order, results)}
    k = 0
    for seg, segment_pieces in zip(segs, pieces):
        parts = [raw[k + j] for j in range(len(segment_pieces))]
        k += len(segment_pieces)
        texts = []
        for h in range(4):
            joined = "".join(tokenizer.decode(p.hypotheses[h]).strip() + sep for p, (_, sep) in zip(parts, segment_pieces))
            texts.append(" ".join(joined.split()))
        seg_hits = hits.get(seg.id, ())
        if not seg_hits:
            expected, fixed = texts[0], ()
            score = sum(p.scores[0] for p in parts) / sum(max(1, len(p.hypotheses[0])) for p in parts)
            assert drafts[seg.id].score == pytest.approx(score, abs=1e-12)
        else:
            # The fewest glossary violations after repair; ties keep CTranslate2's order.
            repaired = [repair(t, seg_hits) for t in texts]
            expected, fixed = min(repaired, key=lambda r: sum(len(v) for v in verify(r[0], seg_hits)))
        assert (drafts[seg.id].text, drafts[seg.id].repaired_terms) == (expected, fixed), seg.id


def test_finished_drafts_are_checked_while_later_batches_decode(package_file, packages, glossary):
    """Turning a finished segment into a checked draft happens while CTranslate2 still
    works on later sub-batches, not after the last one: on a GPU that work would otherwise
    add to the decoding time instead of hiding behind it."""
    options = ArgosOptions(max_batch_tokens=100, max_decoding_length=32)
    engine = ArgosEngine(glossary, package=install(package_file), options=options)
    translator, _ = engine._load()
    busy = []
    engine.draft(many_segments(120), progress=lambda done, total: busy.append(translator.num_active_batches))
    assert busy[0] > 0 and busy[-1] == 0


def test_glossary_layer_chooses_among_n_best(package_file, packages, glossary):
    info = install(package_file)
    engine = ArgosEngine(glossary, package=info, options=ArgosOptions(beam_size=4, n_best=4))
    seg = Segment(1, 1, 1, "body", "濱海新區堅持把服務『十大戰役』作為創先爭優活動的著力點。")
    requests = [engine.prepare(seg, glossary.match(seg.text))]
    hyps = engine._translate_batch(requests)[0]
    assert len(hyps) == 4 and len({h.text for h in hyps}) > 1
    draft = engine.draft([seg])[1]
    # A random model carries none of the renderings: the draft must say so, not pass silently.
    assert set(draft.missing_terms) == {"Binhai New Area", "ten major battles", "Strive for Excellence campaign"}


def test_long_segments_are_split_for_decoding(package_file, packages, glossary):
    info = install(package_file)
    engine = ArgosEngine(glossary, package=info, options=ArgosOptions(max_input_tokens=20, beam_size=1, n_best=1))
    text = "，".join(["全市各級黨組織注重發揮報刊廣播電視的作用"] * 6) + "。"
    pieces = engine._pieces(text)
    assert len(pieces) > 1 and all(len(toks) <= 20 for toks, _ in pieces)
    assert engine.draft([Segment(1, 1, 1, "body", text)])[1].text.count(", ") >= len(pieces) - 1


def _rewrite(src: Path, dst: Path, mutate) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            for name, payload, info in mutate(item, data):
                zout.writestr(info or name, payload)
    return dst


def test_zip_slip_corrupt_link_and_wrong_language_are_refused(package_file, packages, tmp_path):
    slip = _rewrite(package_file, tmp_path / "slip.argosmodel",
                    lambda i, d: [(i.filename, d, None)] + ([("../../evil.txt", b"x", None)] if i.filename.endswith("README.md") else []))
    with pytest.raises(ModelError, match="unsafe path"):
        install(slip)
    assert not (tmp_path / "evil.txt").exists()

    def add_link(i, d):
        out = [(i.filename, d, None)]
        if i.filename.endswith("README.md"):
            link = zipfile.ZipInfo("translate-zh_en-tiny/link")
            link.external_attr = (0o120777 << 16)
            out.append((None, b"/etc/passwd", link))
        return out
    with pytest.raises(ModelError, match="link"):
        install(_rewrite(package_file, tmp_path / "link.argosmodel", add_link))

    def retarget(i, d):
        if i.filename.endswith("metadata.json"):
            meta = json.loads(d)
            meta["to_code"] = "fr"
            d = json.dumps(meta).encode()
        return [(i.filename, d, None)]
    with pytest.raises(ModelError, match="zh→fr"):
        install(_rewrite(package_file, tmp_path / "fr.argosmodel", retarget))

    corrupt = tmp_path / "corrupt.argosmodel"
    corrupt.write_bytes(package_file.read_bytes()[:5000])
    with pytest.raises(ModelError):
        install(corrupt)
    assert not packages.exists() or not any(p for p in packages.iterdir() if not p.name.startswith("."))


def test_download_from_a_loopback_index(package_file, packages):
    body = package_file.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/index.json":
                index = [{"from_code": "zh", "to_code": "en", "package_version": "0.1", "type": "translate",
                          "links": [f"http://127.0.0.1:{self.server.server_port}/zh_en.argosmodel"]},
                         {"from_code": "en", "to_code": "zh", "package_version": "9", "links": ["http://x/"]}]
                payload = json.dumps(index).encode()
            elif self.path == "/zh_en.argosmodel":
                payload = body
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run("model", "download", "--index", f"http://127.0.0.1:{server.server_port}/index.json")
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert find_package("zh", "en") is not None


def test_offline_download_fails_at_once_with_one_line(packages, monkeypatch):
    """A refused connection is the answer: one attempt, no retry and no wait before saying so."""
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")  # discard port: connection refused
    attempts, waits = [], []
    connect = socket.create_connection  # what http.client opens its socket with

    def counted(address, *args, **kwargs):
        attempts.append(address)
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", counted)
    monkeypatch.setattr(time, "sleep", waits.append)
    result = CliRunner().invoke(main, ["model", "download"])
    assert attempts == [("127.0.0.1", 9)] and waits == []
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "zhen model install FILE.argosmodel" in lines[0] and "Traceback" not in result.output


def test_settings_from_config_file_and_command_line_reach_the_engine(package_file, packages, article_dir, tmp_path,
                                                                      monkeypatch):
    assert run("model", "install", package_file).exit_code == 0
    monkeypatch.chdir(tmp_path)  # ./zhen.toml is read from the working folder
    (tmp_path / "zhen.toml").write_text('[argos]\nbeam_size = 2\ncompute_type = "int8_float32"\n', encoding="utf-8")
    glossary = Path(__file__).resolve().parent.parent / "glossary"
    run("translate", article_dir, "--engine", "argos", "--glossary", glossary)
    catalog = (article_dir / "en.po").read_text(encoding="utf-8")
    assert "|beam:2|compute:int8_float32|" in catalog
    # The command line wins over the file; a new beam is a new signature, so drafts are refreshed.
    result = run("translate", article_dir, "--engine", "argos", "--glossary", glossary, "--beam-size", "1",
                 "--threads", "1", "--json")
    assert json.loads(result.stdout)["drafted"] == 45
    assert "|beam:1|compute:int8_float32|" in (article_dir / "en.po").read_text(encoding="utf-8")


def test_a_bpe_package_installs_and_translates(packages, tmp_path, glossary):
    """Older Argos packages ship a subword-nmt bpe.model; argostranslate's BPE tokenizer runs it."""
    archive = build_package(tmp_path / "bpe.argosmodel", TINY_LINES, tokenizer="bpe", folder="translate-zh_en-bpe")
    info = install(archive)
    assert (info.path / "bpe.model").exists() and not (info.path / "sentencepiece.model").exists()
    engine = ArgosEngine(glossary, package=info, options=ArgosOptions(beam_size=1, n_best=1))
    segs = segment(read_article(SAMPLE))[:5]
    assert all(engine.tokenize(s.text) for s in segs)
    drafts = engine.draft(segs)
    assert all(d.text.strip() and "@@" not in d.text for d in drafts.values())


def test_target_prefix_is_forced_and_stripped(packages, tmp_path, glossary):
    import ctranslate2

    archive = build_package(tmp_path / "prefix.argosmodel", TINY_LINES, target_prefix="__en__", folder="translate-zh_en-px")
    info = install(archive)
    engine = ArgosEngine(glossary, package=info, options=ArgosOptions(beam_size=1, n_best=1))
    tokens = [engine.tokenize(s.text) for s in segment(read_article(SAMPLE))[:6]]
    ours = [hyps[0][0] for hyps in engine.translate_tokens(tokens)]
    raw = ctranslate2.Translator(str(info.path / "model"), compute_type="int8")
    forced = raw.translate_batch(tokens, beam_size=1, target_prefix=[["__en__"]] * len(tokens),
                                 max_decoding_length=256)
    assert ours == [r.hypotheses[0][1:] for r in forced]  # the same decoding, prefix removed


def test_avoided_renderings_are_suppressed_while_decoding(package_file, packages):
    """A rendering the glossary forbids is kept out of the decoder's output
    (CTranslate2 suppress_sequences), not only flagged afterwards."""
    from pipeline.glossary.table import Glossary
    from pipeline.model import Term

    info = install(package_file)
    seg = Segment(1, 1, 1, "body", "濱海新區堅持把服務『十大戰役』作為創先爭優活動的著力點。")
    options = ArgosOptions(beam_size=1, n_best=1)
    plain = ArgosEngine(Glossary([Term("濱海新區", "Binhai New Area")]), package=info, options=options)
    tokens = plain.translate_tokens([plain.tokenize(plain.prepare(seg, ()).text)])[0][0][0]
    # A two-token stretch of what the model says, as a phrase that tokenizes back to it.
    window = next(tokens[i:i + 2] for i in range(len(tokens) - 1)
                  if plain._decode(tokens[i:i + 2]) and plain.tokenize(plain._decode(tokens[i:i + 2])) == tokens[i:i + 2])
    phrase = plain._decode(window)

    strict = ArgosEngine(Glossary([Term("濱海新區", "Binhai New Area", avoid=(phrase,))]), package=info,
                         options=options)
    request = strict.prepare(seg, strict.glossary.match(seg.text))
    assert request.avoid == (phrase,)
    again = strict.translate_tokens([strict.tokenize(request.text)], suppress=strict._suppressions([request]))[0][0][0]
    assert not any(again[i:i + 2] == window for i in range(len(again) - 1))
    assert any(tokens[i:i + 2] == window for i in range(len(tokens) - 1))  # it was there without suppression


@pytest.mark.parametrize("options, compute, batch", [
    (ArgosOptions(), "int8", 2048),
    (ArgosOptions(device="cuda"), "float16", 16384),
    (ArgosOptions(device="cuda", compute_type="int8_float16", max_batch_tokens=4096), "int8_float16", 4096),
    (ArgosOptions(device="cpu", compute_type="int8_float32"), "int8_float32", 2048),
])
def test_compute_type_and_batch_size_follow_the_device_unless_given(package_file, packages, glossary, options,
                                                                     compute, batch):
    engine = ArgosEngine(glossary, package=install(package_file), options=options)
    assert (engine.compute_type, engine.max_batch_tokens) == (compute, batch)
    assert f"|compute:{compute}|" in engine.signature()  # without loading anything on the device


def test_device_and_compute_type_from_the_config_file_and_the_command_line(package_file, packages, article_dir,
                                                                           tmp_path):
    from pipeline.config import argos_options, load_config

    path = tmp_path / "zhen.toml"
    path.write_text('[argos]\ndevice = "cuda"\n', encoding="utf-8")
    info = install(package_file)
    from_file = ArgosEngine(None, package=info, options=argos_options(load_config(path), path=path))
    assert (from_file.compute_type, from_file.max_batch_tokens) == ("float16", 16384)
    given = ArgosEngine(None, package=info, options=argos_options(load_config(path), path=path,
                                                                   compute_type="int8_float16"))
    assert given.compute_type == "int8_float16"
    path.write_text('[argos]\ndevice = "cuda"\nmax_batch_tokens = 4096\n', encoding="utf-8")
    sized = ArgosEngine(None, package=info, options=argos_options(load_config(path), path=path))
    assert (sized.compute_type, sized.max_batch_tokens) == ("float16", 4096)


def test_every_setting_that_changes_the_drafts_is_in_the_signature(package_file, packages, article_dir, tmp_path,
                                                                    glossary):
    info = install(package_file)
    plain = ArgosEngine(glossary, package=info).identity()
    assert plain == "package:translate-zh_en-0.1|beam:4|compute:int8"  # as catalogs written before say it
    for setting in ({"n_best": 1}, {"max_input_tokens": 20}, {"max_decoding_length": 3},
                    {"min_decoding_length": 2}):
        (name, value), = setting.items()
        assert ArgosEngine(glossary, package=info, options=ArgosOptions(**setting)).identity() == \
            f"{plain}|{name}:{value}"
    # Speed alone leaves the drafts as they are.
    assert ArgosEngine(glossary, package=info, options=ArgosOptions(max_batch_tokens=64, intra_threads=1)
                       ).identity() == plain
    # Through the project's zhen.toml: a shorter decoding limit refreshes the untouched drafts.
    assert json.loads(run("translate", article_dir, "--engine", "argos", "--json").stdout)["drafted"] == 45
    (tmp_path / "zhen.toml").write_text("[argos]\nmax_decoding_length = 3\n", encoding="utf-8")
    again = json.loads(run("translate", article_dir, "--engine", "argos", "--json").stdout)
    assert again["drafted"] == 45
