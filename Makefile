# factcheck-kg: `make run` (set up, build the sample graph, open the dashboard), `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STORE ?= kg-store
STAMP := $(VENV)/.installed

.PHONY: install sample run test eval bench clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

sample: install
	$(PY) -m kg ingest examples/articles examples/claimreviews/sample-stories.json --store $(STORE)

run: sample
	$(PY) -m kg dashboard --store $(STORE)

test: install
	$(PY) -m pytest -q

eval: install
	$(PY) -m pytest -q tests/test_evaluation.py -s

# Every performance figure of BENCHMARKS.md with its target (about 7-10 minutes on 2 cores).
bench: install
	$(PY) -m benchmarks

clean:
	rm -rf $(STORE) .pytest_cache
