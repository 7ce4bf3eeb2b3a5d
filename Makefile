# The README's commands. Each target installs what it needs itself.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
VENDOR := src/learnbridge/static/vendor
export LEARNBRIDGE_DATABASE_URL ?= sqlite:///var/learnbridge.db

.PHONY: run test bench assets lint browser-deps clean

$(BIN)/learnbridge: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Front-end assets from the npm registry (versions pinned in package.json), copied into a git-ignored folder.
assets: $(VENDOR)/.installed
$(VENDOR)/.installed: package.json
	npm install --no-package-lock --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico.min.css
	mkdir -p $(VENDOR)/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/
	mkdir -p $(VENDOR)/plyr $(VENDOR)/pdfjs
	cp node_modules/plyr/dist/plyr.min.js node_modules/plyr/dist/plyr.css node_modules/plyr/dist/plyr.svg $(VENDOR)/plyr/
	cp node_modules/pdfjs-dist/build/pdf.min.mjs node_modules/pdfjs-dist/build/pdf.worker.min.mjs $(VENDOR)/pdfjs/
	# cmi5 AUs (the demo's fire-safety course) load @xapi/cmi5's self-contained UMD build (global Cmi5).
	mkdir -p $(VENDOR)/xapi-cmi5
	cp node_modules/@xapi/cmi5/dist/Cmi5.umd.js $(VENDOR)/xapi-cmi5/cmi5.umd.js
	mkdir -p $(VENDOR)/scorm-again
	cp node_modules/scorm-again/dist/scorm12.min.js node_modules/scorm-again/dist/scorm2004.min.js $(VENDOR)/scorm-again/
	touch $@

run: $(BIN)/learnbridge assets
	mkdir -p var
	$(BIN)/learnbridge db upgrade
	$(BIN)/learnbridge demo load --if-empty
	$(BIN)/learnbridge serve

# Debian's chromium drives the browser tests; installed when missing and running as root.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is missing: install Debian's chromium package (browser tests will skip)"; fi; }

lint: $(BIN)/learnbridge
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Tests run in parallel, one worker per core (TEST_WORKERS=0 runs them in this process), with branch
# coverage of src/ (the floor is fail_under in pyproject.toml).
TEST_WORKERS ?= auto
test: $(BIN)/learnbridge assets browser-deps lint
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --cov --cov-report=term:skip-covered

bench: $(BIN)/learnbridge
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var .pytest_cache .mypy_cache .ruff_cache
