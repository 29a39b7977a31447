# Two commands set everything up on a fresh machine: `make translate` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: translate test bench lint docs clean mutation golden

# The venv is rebuilt when it is missing, broken (its Python moved or was
# upgraded) or older than pyproject.toml.
$(VENV)/.base: pyproject.toml
	@if ! $(PY) -c 'import sys' >/dev/null 2>&1; then rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(PIP) --upgrade pip
	$(PIP) -e .
	@rm -f $(VENV)/.test $(VENV)/.bench $(VENV)/.mutation
	@touch $@

# The Ray extra too, so that the Ray executor's tests run (they skip where it is missing).
$(VENV)/.test: $(VENV)/.base
	$(PIP) -e '.[test,ray]'
	@touch $@

$(VENV)/.mutation: $(VENV)/.test
	$(PIP) -e '.[test,ray,mutation]'
	@touch $@

$(VENV)/.bench: $(VENV)/.base
	$(PIP) -e '.[bench]'
	@touch $@

translate: $(VENV)/.base
	$(VENV)/bin/zhen translate

test: $(VENV)/.test
	$(PY) -m pytest

bench: $(VENV)/.bench
	$(PY) -m bench

# Rewrites tests/golden/*/expected/ from the code's output and prints the diff;
# fails when anything changed, so that a person reads it before committing.
golden: $(VENV)/.base
	$(PY) -m devkit.golden

# Mutation testing of the figures and the catalog merge (docs/mutation.md); slow:
# `make mutation MUTATION_TARGETS=merge` runs one target.
mutation: $(VENV)/.mutation
	$(PY) -m devkit.mutation $(MUTATION_TARGETS)

# The type checker over pipeline/, then the glossary's own checks.
lint: $(VENV)/.test
	$(PY) -m mypy
	$(VENV)/bin/zhen glossary lint

# docs/commands.md from every command's --help; tests/test_docs.py fails when it is stale.
docs: $(VENV)/.test
	$(PY) -m devkit.commands

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache mutants
