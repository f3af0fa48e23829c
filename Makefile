# The documented ways to run things. `make reports` and `make test` do all the set-up they need
# on a fresh machine with only Python 3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
KERNEL := dimios
DEMO   := data/demo/dimios_demo_SYNTHETIC.csv

.PHONY: install reports reports-plain demo test test-fast lab bench lint typecheck clean

# Idempotent: reinstalls only when pyproject.toml changed since the last install.
install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
		--display-name "Python (dimios)" >/dev/null
	@touch $(STAMP)

demo: install
	$(BIN)/dimios demo --output-dir data/demo

$(DEMO): | install
	$(BIN)/dimios demo --output-dir data/demo

# The main job: the default report batch (params/, regenerated from the data) as HTML in
# outputs/<notebook>/ with outputs/index.html, plus every shareable table. Runs through the
# batch engine (warm kernels, cached: a rerun redoes only what changed).
reports: install $(DEMO)
	$(BIN)/dimios params --output-dir params
	$(BIN)/dimios tables $(DEMO) --output-dir outputs/tables
	$(BIN)/dimios run --params-dir params --output-dir outputs

# The fallback: the same batch with plain papermill + nbconvert, one fresh kernel per report.
reports-plain: install $(DEMO)
	$(BIN)/dimios params --output-dir params
	$(BIN)/dimios render-batch --params-dir params --output-dir outputs/plain --jobs 2

# The whole suite (what CI runs): lint (notebooks included), type check, every test and doctest.
test: install
	$(BIN)/python -m pytest -q

# The everyday lane: everything but the notebook, kernel and build tests (under 2 minutes).
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

lab: install
	$(BIN)/jupyter lab

bench: install $(DEMO)
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_engine.py --reports 20

lint: install
	$(BIN)/ruff check dimios_lib tests bench notebooks

typecheck: install
	$(BIN)/mypy

clean:
	rm -rf outputs .pytest_cache
