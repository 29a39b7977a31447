"""The Argos engine: an installed Argos Translate package run through CTranslate2.

All segments that need a draft go through one ``translate_batch`` call,
sorted by length and batched by tokens. Segments longer than the model's
input limit are split at clause boundaries (；，、) and joined back. With
glossary terms present, n-best hypotheses are requested and the base class
keeps the one that carries the required renderings.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Hashable, Iterator, Sequence

from pipeline.engines.argos import cuda
from pipeline.engines.base import Engine, Hypothesis, Request
from pipeline.engines.options import ArgosOptions, changed
from pipeline.engines.argos.packages import PackageInfo, find_package
from pipeline.errors import EngineError

_CLAUSE = re.compile(r"(?<=[；;，,、：:])")
_BPE_LEFTOVER = re.compile(r"@@(?=\s|$)")
_JOIN = {"；": "; ", ";": "; ", "，": ", ", ",": ", ", "、": ", ", "：": ": ", ":": ": "}


class ArgosEngine(Engine):
    name = "argos"
    label = "machine translation (Argos Translate)"
    inject_terms = False  # the model sees Chinese; the glossary layer picks among n-best hypotheses
    coalesce = True  # CTranslate2 decodes a call of thousands of tokens far faster per token than a few hundred

    def __init__(self, glossary=None, *, package: PackageInfo | None = None, options: ArgosOptions | None = None):
        super().__init__(glossary)
        self.options = options or ArgosOptions()
        self.n_best = max(1, self.options.n_best)
        info = package or find_package("zh", "en")
        if info is None:
            raise EngineError("no zh→en Argos package installed; run `zhen model install FILE.argosmodel` "
                              "or `zhen model download`")
        self.info: PackageInfo = info
        self._translator = None
        self._package = None
        self._vocabulary: frozenset[str] | None = None
        self._device: str | None = None
        self._loading = threading.Lock()  # articles in flight tokenize at once: one model load

    @property
    def device(self) -> str:
        """``cpu`` or ``cuda``, with ``auto`` resolved as CTranslate2 resolves it."""
        if self._device is None:
            self._device = cuda.resolve_device(self.options.device)
        return self._device

    @property
    def compute_type(self) -> str:
        return self.options.compute_type or cuda.COMPUTE_TYPE[self.device]

    @property
    def max_batch_tokens(self) -> int:
        return self.options.max_batch_tokens or cuda.BATCH_TOKENS[self.device]

    def identity(self) -> str:
        o = self.options
        return f"package:{self.info.label}|beam:{o.beam_size}|compute:{self.compute_type}" + changed(o, o.OUTPUT)

    def batch_key(self, requests: Sequence[Request]) -> Hashable:
        # A call decodes every input with the most hypotheses any asks for, and suppresses every
        # avoided rendering of the call in all of them.
        return max(r.n_best for r in requests), frozenset(a for r in requests for a in r.avoid)

    def batch_weight(self, request: Request) -> int:
        return len(request.text)  # about a token a character: no tokenizing before the call does

    def batch_target(self) -> int:
        # Two of CTranslate2's batches per call: it sorts a call by length, so the batches are
        # padded little, and the next articles are read while this call decodes.
        return 2 * self.max_batch_tokens

    def _load(self):
        if self._translator is None:
            with self._loading:
                return self._load_once()
        return self._translator, self._package

    def _load_once(self):
        if self._translator is None:
            import ctranslate2
            from argostranslate.package import Package

            self._package = Package(self.info.path)
            if not hasattr(self._package, "tokenizer"):
                raise EngineError(f"{self.info.path}: package has no tokenizer")
            if self.device == "cuda":
                cuda.ensure_library()  # before CTranslate2 fails on it with a message about driver versions
            try:
                self._translator = ctranslate2.Translator(
                    str(self.info.path / "model"), device=self.device,
                    compute_type=self.compute_type, inter_threads=self.options.inter_threads,
                    intra_threads=self.options.intra_threads)
            except (RuntimeError, ValueError) as e:
                raise EngineError(f"{self.info.path}: cannot load the CTranslate2 model on {self.device} "
                                  f"({self.compute_type}): {e}") from e
        return self._translator, self._package

    def tokenize(self, text: str) -> list[str]:
        _, package = self._load()
        return package.tokenizer.encode(text)

    def _pieces(self, text: str) -> list[tuple[list[str], str]]:
        """Token lists to decode for one segment, each with the separator that follows it."""
        tokens = self.tokenize(text)
        if len(tokens) <= self.options.max_input_tokens:
            return [(tokens, "")]
        out: list[tuple[list[str], str]] = []
        current = ""
        for clause in [c for c in _CLAUSE.split(text) if c]:
            candidate = current + clause
            if current and len(self.tokenize(candidate)) > self.options.max_input_tokens:
                out.append((self.tokenize(current), _JOIN.get(current[-1], " ")))
                current = clause
            else:
                current = candidate
        if current:
            toks = self.tokenize(current)
            # A clause still too long is cut by tokens: better a rough join than a truncated draft.
            step = self.options.max_input_tokens
            for i in range(0, len(toks), step):
                out.append((toks[i:i + step], " "))
        out[-1] = (out[-1][0], "")
        return out

    def translate_tokens(self, batch: Sequence[list[str]], *, n_best: int = 1,
                         suppress: Sequence[list[str]] = ()) -> list[list[tuple[list[str], float]]]:
        """Raw CTranslate2 call: one translate_batch over every input, sorted by length.

        ``suppress``: token sequences the decoder may not produce (CTranslate2's
        ``suppress_sequences``), applied to the whole batch.
        """
        out: list[list[tuple[list[str], float]]] = [[] for _ in batch]
        for i, hyps in self._finished(batch, n_best=n_best, suppress=suppress):
            out[i] = hyps
        return out

    def _finished(self, batch: Sequence[list[str]], *, n_best: int, suppress: Sequence[list[str]]):
        """(input index, hypotheses) for every input, in the order CTranslate2 finishes them.

        CTranslate2 decodes the batch in sub-batches from the longest inputs to the
        shortest, in its own threads. Asking for asynchronous results in that order
        lets the caller turn finished inputs into text while the rest decode: on a
        GPU the CPU would otherwise sit idle, then do all that work at the end.
        """
        translator, package = self._load()
        order = sorted(range(len(batch)), key=lambda i: -len(batch[i]))
        prefix = package.target_prefix
        kwargs = dict(
            beam_size=max(self.options.beam_size, n_best), num_hypotheses=n_best, return_scores=True,
            max_batch_size=self.max_batch_tokens, batch_type="tokens",
            max_decoding_length=self.options.max_decoding_length,
            min_decoding_length=self.options.min_decoding_length,
        )
        if prefix:
            kwargs["target_prefix"] = [[prefix]] * len(batch)
        if suppress:
            kwargs["suppress_sequences"] = [list(seq) for seq in suppress]
        pending = translator.translate_batch([batch[i] for i in order], asynchronous=True, **kwargs)
        for n, i in enumerate(order):
            # Each result is freed once read, not all together after the last one, when only waiting remains.
            job, pending[n] = pending[n], None
            try:
                result = job.result()
            except (RuntimeError, ValueError) as e:
                raise EngineError(f"{self.info.path}: CTranslate2 failed on {self.device}: {e}") from e
            hyps = []
            for tokens, score in zip(result.hypotheses, result.scores):
                if prefix and tokens and tokens[0] == prefix:
                    tokens = tokens[1:]
                hyps.append((tokens, score))
            yield i, hyps

    def _translate_batch(self, requests: Sequence[Request]) -> list[list[Hypothesis]]:
        out: list[list[Hypothesis]] = [[] for _ in requests]
        for i, hyps in self._translate_stream(requests):
            out[i] = hyps
        return out

    def _translate_stream(self, requests: Sequence[Request]) -> Iterator[tuple[int, list[Hypothesis]]]:
        """Each request's hypotheses as soon as CTranslate2 has finished all its pieces.

        Only the hypotheses a request asked for are detokenized: the batch decodes
        n-best for every input once any segment holds glossary terms, and most
        segments use the first hypothesis alone.
        """
        if not requests:
            return
        n_best = max(r.n_best for r in requests)
        pieces = [self._pieces(r.text) for r in requests]
        flat = [toks for p in pieces for toks, _ in p]
        owner = [i for i, p in enumerate(pieces) for _ in p]
        first = [0] * len(pieces)  # index in flat of each request's first piece
        for i in range(1, len(pieces)):
            first[i] = first[i - 1] + len(pieces[i - 1])
        waiting = [len(p) for p in pieces]
        # (text, score, length) per hypothesis, detokenized as its piece finishes.
        decoded: list[list[tuple[str, float, int]]] = [[] for _ in flat]
        for k, hyps in self._finished(flat, n_best=n_best, suppress=self._suppressions(requests)):
            i = owner[k]
            decoded[k] = [(self._decode(tokens), score, max(1, len(tokens)))
                          for tokens, score in hyps[:requests[i].n_best]]
            waiting[i] -= 1
            if not waiting[i]:
                yield i, self._join(pieces[i], decoded[first[i]:first[i] + len(pieces[i])])

    @staticmethod
    def _join(segs: Sequence[tuple[list[str], str]], parts: Sequence[list[tuple[str, float, int]]]) -> list[Hypothesis]:
        """One segment's hypotheses from its pieces' (the h-th of each piece joined), score per token."""
        hyps = []
        for h in range(min(len(p) for p in parts)):
            text = "".join(p[h][0] + sep for p, (_, sep) in zip(parts, segs))
            score = sum(p[h][1] for p in parts)
            length = sum(p[h][2] for p in parts)
            hyps.append(Hypothesis(" ".join(text.split()), score / length))
        return hyps

    def _suppressions(self, requests: Sequence[Request]) -> list[list[str]]:
        """Avoided renderings of the terms in this batch, as token sequences, in
        the case they are listed in and sentence-initial.

        CTranslate2 applies suppression to the whole batch, not per sentence: an
        avoided rendering is a mistranslation of a term the document contains,
        so keeping it out of every sentence of that document is what we want.
        """
        phrases = dict.fromkeys(p for r in requests for a in r.avoid for p in (a, a[:1].upper() + a[1:]))
        if not phrases:
            return []
        vocabulary = self._target_vocabulary()
        out = []
        for phrase in phrases:
            tokens = self.tokenize(phrase)
            # A phrase with a token the model cannot produce needs no suppressing (and CTranslate2 refuses it).
            if tokens and tokens not in out and all(t in vocabulary for t in tokens):
                out.append(tokens)
        return out

    def _target_vocabulary(self) -> frozenset[str]:
        if self._vocabulary is None:
            self._vocabulary = frozenset()
            for name in ("target_vocabulary.json", "target_vocabulary.txt", "shared_vocabulary.json",
                         "shared_vocabulary.txt"):
                path = self.info.path / "model" / name
                if path.exists():
                    text = path.read_text(encoding="utf-8")
                    self._vocabulary = frozenset(json.loads(text) if name.endswith(".json") else text.splitlines())
                    break
        return self._vocabulary

    def _decode(self, tokens: list[str]) -> str:
        _, package = self._load()
        text = package.tokenizer.decode(tokens).strip()
        # argostranslate's BPE decoder joins "xx@@ yy" but leaves the marker on a
        # last token, which a decode cut short by the length limit can end with.
        return _BPE_LEFTOVER.sub("", text)

    def confidence(self, hyp: Hypothesis) -> float | None:
        # Mean token log-probability → probability-like value in (0, 1].
        return math.exp(hyp.score) if hyp.score is not None else None
