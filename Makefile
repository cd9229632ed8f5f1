# The repository is itself a corpus project: `make` sets up .venv and runs every stage on raw/;
# `make test` runs the test suite. The stage rules are the ones `ctk init` gives every project.
PYTHON ?= python3
CTK := .venv/bin/ctk
CTK_SETUP := .venv/.compiled

include toolkit/templates/Makefile

.venv/.installed: pyproject.toml
	$(PYTHON) -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip  # older pips fail on lxml's html-clean extra
	.venv/bin/pip install --quiet -e '.[dev]'
	touch $@

# An editable install compiles no bytecode, and where PYTHONDONTWRITEBYTECODE is set (container images often
# set it) every ctk process, and each of its workers, would compile the package again: 0.2 s each.
.venv/.compiled: .venv/.installed $(shell find toolkit -name '*.py')
	.venv/bin/python -m compileall -q toolkit
	touch $@

test: .venv/.compiled
	.venv/bin/pytest

.PHONY: test
