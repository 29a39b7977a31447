"""What the tests and the benchmarks share: the repository's paths, a builder of
random-weight Argos packages (``random_argos_package``) and a loopback
OpenAI-compatible server (``llm_server``). Not part of zhen and not installed with it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "translations" / "tianjin-chuangxian-zhengyou" / "source.zh.txt"
GLOSSARY_DIR = ROOT / "glossary"
