# The documented ways to run things. `make reports` and `make test` do all the set-up they need
# on a fresh machine with only Python 3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
KERNEL := dimios
DEMO   := data/demo/dimios_demo_SYNTHETIC.csv

.PHONY: install reports reports-plain demo test test-fast lab bench lint typecheck catalogs clean

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
test: install lint typecheck
	$(BIN)/python -m pytest -q

# The everyday lane: everything but the notebook, kernel and build tests (under 2 minutes).
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

lab: install
	$(BIN)/jupyter lab

bench: install $(DEMO)
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_inference.py
	$(BIN)/python bench/bench_claims.py
	$(BIN)/python bench/bench_ranks.py
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_engine.py --reports 20
	$(BIN)/python bench/bench_study_inference.py
	$(BIN)/python bench/bench_reliability.py
	$(BIN)/python bench/bench_exports.py --repeat 3

lint: install
	$(BIN)/ruff check dimios_lib tests bench notebooks

typecheck: install
	$(BIN)/mypy

# The message catalogs (docs/text.md): the keys used in dimios_lib/ and notebooks/ into the
# template, the template into the Swedish and English catalogs (new keys get an empty text to
# fill in; keys no longer used are dropped), then the format flags. The tests fail until every
# text is filled in.
LOCALE := dimios_lib/text/locale
catalogs: install
	$(BIN)/pybabel -q extract -F babel.cfg -o $(LOCALE)/dimios.pot.new --no-default-keywords \
		-k t -k tn:1,2 --sort-output --no-location --project dimios-lib \
		--version "$$($(BIN)/python -c 'import dimios_lib; print(dimios_lib.__version__)')" \
		--header-comment "# The keys of the DiMiOS report texts (make catalogs; docs/text.md)." .
	@# keep the template (and its date) when only the date would change
	@if diff -q -I '^"POT-Creation-Date' $(LOCALE)/dimios.pot.new $(LOCALE)/dimios.pot >/dev/null 2>&1; \
		then rm $(LOCALE)/dimios.pot.new; else mv $(LOCALE)/dimios.pot.new $(LOCALE)/dimios.pot; fi
	for lang in sv en; do $(BIN)/pybabel -q update -D dimios -i $(LOCALE)/dimios.pot -d $(LOCALE) \
		-l $$lang --init-missing --ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date \
		|| exit 1; done
	$(BIN)/python -m dimios_lib.text.extract --mark-format $(LOCALE)

clean:
	rm -rf outputs .pytest_cache
