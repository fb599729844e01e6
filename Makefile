# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Engine set that `make demo` / `make serve` start: embedded (FalkorDB + osmem, no Java) or
# local (Neo4j 5 + OpenSearch 2.19 from Maven Central jars; needs Java 17 and Maven).
ENGINES ?= $(or $(HANARO_ENGINES),embedded)

.PHONY: install engines web demo serve test fuzz lint bench schema clean

# The web app (web/): npm ci when the lockfile changes, a build when a source changes.
WEB_MODULES := web/node_modules/.package-lock.json
WEB_STAMP := web/dist/.built
WEB_SOURCES := $(shell find web/src -path web/src/gql -prune -o -type f -print 2>/dev/null) \
	web/index.html web/graphiql.html web/vite.config.ts web/codegen.ts web/tsconfig.json \
	web/codegen/federation.graphql web/package.json schema.graphql
# The browser tests drive Debian's Chromium; never a browser download.
CHROMIUM := /usr/bin/chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The local engines' jars (once, into local_engines/*/lib) and their compiled launchers.
engines: $(STAMP)
	$(BIN)/hanaro engines fetch

$(WEB_MODULES): web/package-lock.json
	cd web && npm ci
	touch $(WEB_MODULES)

$(WEB_STAMP): $(WEB_MODULES) $(WEB_SOURCES)
	cd web && npm run build
	touch $(WEB_STAMP)

web: $(WEB_STAMP)

$(CHROMIUM):
	apt-get update && apt-get install -y chromium

demo: $(STAMP) $(WEB_STAMP)
	$(BIN)/hanaro demo --engines $(ENGINES) $(ARGS)

serve: $(STAMP) $(WEB_STAMP)
	$(BIN)/hanaro serve --engines $(ENGINES) $(ARGS)

# Every test that touches the graph or the index runs on both engine sets (embedded, local),
# side by side: one pytest-xdist worker per engine set (tests/support/scheduling.py).
# `make test WORKERS=0` runs everything in one process.
WORKERS ?= 2
test: $(STAMP) engines $(WEB_STAMP) $(CHROMIUM)
	$(BIN)/ruff check .
	@$(BIN)/python -m pytest -n $(WORKERS) $(ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

# Longer schema-driven fuzzing than `make test` runs: fresh draws, EXAMPLES per root field.
EXAMPLES ?= 200
fuzz: $(STAMP)
	HANARO_FUZZ_EXAMPLES=$(EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

schema: $(STAMP)
	$(BIN)/hanaro schema --output schema.graphql

bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache tests/federation/node_modules web/node_modules web/dist \
		web/src/gql tests/web/artifacts local_engines/*/lib local_engines/*/classes
