# The two commands of the README: `make site` and `make test`. Everything else builds on them.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve check clean bench chromium

# Pagefind 1.6.0 comes from npm (package-lock.json), as PyPI stops at 1.5.2, whose search is 2-4x
# slower for common words; without npm the search index is written by pagefind-bin 1.5.2.
$(STAMP): pyproject.toml package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	  else echo "make: npm not found; the search index is written by Pagefind 1.5.2 (pagefind-bin)" >&2; fi
	touch $(STAMP)

site: $(STAMP)  ## build ./site from the bundled catalog
	$(BIN)/mkdocs build --strict

test: $(STAMP) chromium  ## run the whole test suite
	$(BIN)/pytest

# The browser tests drive Debian's Chromium; Playwright never downloads a browser here.
chromium:
	@test -x /usr/bin/chromium || { test "$$(id -u)" = 0 && apt-get update -qq && \
	  apt-get install -y -qq chromium >/dev/null; } || \
	  echo "make: the browser tests need Debian's Chromium: sudo apt-get install -y chromium" >&2

serve: $(STAMP)  ## preview at http://127.0.0.1:8000/paper-catalog/ (site_url's path), rebuilding when data/ or docs/ change
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000  # --dirty: re-render changed pages only; the search index comes from the records, so it stays whole

check: $(STAMP)  ## validate every record and the taxonomy
	$(BIN)/catalog check

bench: $(STAMP)  ## synthetic catalogs: BENCH_SIZES=1000,5000 BENCH_SEARCH_SIZES=1000 BENCH_SERVE_SIZES=5000 BENCH_CATALOG_SIZES=20000 (see docs/scaling.md)
	$(BIN)/python -m bench.run

clean:  ## remove the built site and every page the build writes into docs/ (as .gitignore lists them)
	rm -rf site docs/papers docs/topics docs/code docs/feeds docs/index.md docs/catalog.json \
	  docs/explore.md docs/explore.json docs/stats.md docs/catalog.schema.json docs/paper.schema.json
