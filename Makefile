# The repository is itself a corpus project: `make` sets up .venv and runs every stage on raw/;
# `make test` runs the test suite. The stage rules are the ones `ctk init` gives every project.
PYTHON ?= python3
CTK := .venv/bin/ctk
CTK_SETUP := .venv/.installed

include toolkit/templates/Makefile

.venv/.installed: pyproject.toml
	$(PYTHON) -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip  # older pips fail on lxml's html-clean extra
	.venv/bin/pip install --quiet -e '.[dev]'
	touch $@

test: .venv/.installed
	.venv/bin/pytest

.PHONY: test
