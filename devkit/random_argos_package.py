"""Build a random-weight but real Argos package: CTranslate2 Transformer weights and a SentencePiece model.

Used by the tests (tiny dimensions) and the benchmark (the zh→en package's
architecture with random weights). Nothing here is faked: the result installs,
loads and translates through argostranslate and CTranslate2 like a downloaded
package, it just translates badly.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np

from devkit import SAMPLE

# What the tests' tiny package learns its vocabulary from: the sample article's
# lines and a few English sentences.
TINY_LINES = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if len(line) > 5] + [
    "The campaign was carried out across Tianjin.", "Party members made pledges.", "Binhai New Area"] * 2


def train_sentencepiece(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size,
        character_coverage=1.0, model_type="unigram", hard_vocab_limit=False, minloglevel=2,
        bos_id=1, eos_id=2, unk_id=0, pad_id=-1,
    )
    return model.getvalue()


def _set(spec, path: str, value) -> None:
    obj = spec
    parts = path.split("/")
    for part in parts[:-1]:
        m = re.fullmatch(r"(.+)_(\d+)", part)
        if m and isinstance(getattr(obj, m.group(1), None), list):
            obj = getattr(obj, m.group(1))[int(m.group(2))]
        else:
            obj = getattr(obj, part)
    setattr(obj, parts[-1], value)


def build_model_dir(out: Path, vocab: list[str], *, layers: int = 1, d_model: int = 16, heads: int = 2,
                    ffn: int = 32, seed: int = 0) -> None:
    """A Transformer with random weights saved as a CTranslate2 model directory."""
    from ctranslate2 import specs

    spec = specs.TransformerSpec.from_config(num_layers=(layers, layers), num_heads=heads)
    rng = np.random.default_rng(seed)
    v = len(vocab)
    shapes = {"embeddings": (v, d_model), "projection/weight": (v, d_model)}
    for name, value in spec.variables(ordered=True):
        if value is not None:
            continue
        if name.endswith("gamma"):
            arr = np.ones(d_model)
        elif name.endswith("beta") or name.endswith("bias"):
            arr = np.zeros(d_model if not name.endswith("bias") else 0)
        elif "embeddings" in name or name.endswith("projection/weight"):
            arr = rng.normal(0, 0.5, (v, d_model))
        elif "self_attention/linear_0" in name:
            arr = rng.normal(0, 0.2, (3 * d_model, d_model))
        elif "/attention/linear_1" in name:
            arr = rng.normal(0, 0.2, (2 * d_model, d_model))
        elif "ffn/linear_0" in name:
            arr = rng.normal(0, 0.2, (ffn, d_model))
        elif "ffn/linear_1" in name:
            arr = rng.normal(0, 0.2, (d_model, ffn))
        else:
            arr = rng.normal(0, 0.2, (d_model, d_model))
        _set(spec, name, arr.astype(np.float32))
    del shapes
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=None)
    out.mkdir(parents=True, exist_ok=True)
    spec.save(str(out))


def build_package(path: Path, lines: list[str], *, from_code: str = "zh", to_code: str = "en",
                  vocab_size: int = 800, folder: str = "translate-zh_en-tiny", version: str = "0.1",
                  model_vocab: int = 0, tokenizer: str = "sentencepiece", target_prefix: str = "",
                  **dims) -> Path:
    """Write an .argosmodel archive to ``path``.

    ``model_vocab`` pads the model's vocabulary beyond the tokenizer's, so the
    embedding and output layers have the size of a real package's (~32k) even
    though a few lines cannot train that many SentencePiece pieces.
    ``tokenizer="bpe"`` writes a subword-nmt ``bpe.model`` (Moses tokenization,
    no merges: every word splits into characters) instead of SentencePiece, as
    older Argos packages do. ``target_prefix`` goes into the metadata and the
    vocabulary, as in multilingual packages.
    """
    import sentencepiece as spm

    if tokenizer == "bpe":
        from argostranslate.tokenizer import BPETokenizer

        staging_bpe = path.parent / (path.name + ".bpe")
        staging_bpe.write_text("#version: 0.2\n", encoding="utf-8")
        bpe = BPETokenizer(staging_bpe, from_code, to_code)
        pieces = sorted({tok for line in lines for tok in bpe.encode(line)})
        vocab = ["<unk>", "<s>", "</s>", *pieces]
        tokenizer_file, tokenizer_bytes = "bpe.model", staging_bpe.read_bytes()
    else:
        sp_bytes = train_sentencepiece(lines, vocab_size)
        sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
        vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
        tokenizer_file, tokenizer_bytes = "sentencepiece.model", sp_bytes
    if target_prefix:
        vocab.append(target_prefix)
    vocab += [f"<unused_{i}>" for i in range(max(0, model_vocab - len(vocab)))]
    staging = path.parent / (path.name + ".d")
    build_model_dir(staging / "model", vocab, **dims)
    metadata = {"package_version": version, "argos_version": "1.0", "from_code": from_code,
                "from_name": "Chinese", "to_code": to_code, "to_name": "English", "type": "translate"}
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{folder}/metadata.json", json.dumps(metadata))
        zf.writestr(f"{folder}/{tokenizer_file}", tokenizer_bytes)
        zf.writestr(f"{folder}/README.md", "Tiny random-weight test package built by zhen's tests.\n")
        for f in sorted((staging / "model").iterdir()):
            zf.write(f, f"{folder}/model/{f.name}")
    return path
