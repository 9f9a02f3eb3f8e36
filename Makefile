# Set-up on a fresh machine with Python 3.11: `make report` or `make test` does everything it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
KERNEL := parsipas
SYSTEM_PACKAGES := chromium poppler-utils fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
	libcairo2 libreoffice-writer-nogui

.PHONY: setup system report test test-fast benchmark clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "parsipas (.venv)"
	touch $(STAMP)

# Debian packages: a browser for the HTML tests, poppler for PDF checks, fonts with every Vietnamese letter, the
# pango libraries WeasyPrint prints with, cairo for the Word draft's charts (cairosvg) and LibreOffice to render the
# Word draft in its test. Installed only when missing (needs root and apt-get).
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing system packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

setup: system $(STAMP)

report: setup
	$(PY) pipeline.py

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest

# While working: everything but the tests that run the pipeline, notebooks, a browser or LibreOffice (about a minute).
test-fast: setup
	$(PY) -m pytest -m "not slow"

benchmark: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) data/processed/*.parquet data/processed/*.csv
