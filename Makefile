# Two commands on a new machine: `make build` and `make test`. Each sets itself up.
# `make help` lists every target.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
SHELL := /bin/bash
# pip on these machines is set up with package folders that do not exist, and warns once for every
# package it looks for there; setuptools explains at length what an editable install is. Neither
# says anything about this project: both are left out of the set-up's output. pip's own errors
# still show, and pipefail keeps its exit status.
PIP := set -o pipefail; PYTHONWARNINGS="ignore::UserWarning:setuptools.command.editable_wheel" $(BIN)/python -m pip
PIP_NOISE := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: help build test test-public-pdf test-oldest-weasyprint test-properdocs serve edit bench bench-site clean publish export offline lock upgrade

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# Debian packages: WeasyPrint needs Pango, and HarfBuzz's subsetter to embed each font once in the
# same bytes on every machine (handbook/pdf/fonts.py; without it the build says so and uses
# fontTools); publishing needs git. The tests read PDFs with
# poppler's tools, read the quick reference's QR code with zbar's zbarimg, and drive Debian's
# Chromium with Playwright (never a browser Playwright downloads).
BUILD_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 git
TEST_DEBS := poppler-utils zbar-tools chromium

# Install the Debian packages named in $(1) that are missing (apt-get update first, and only then,
# since a new machine has no package lists and repeat runs should stay fast).
define apt_install_missing
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
endef

# The exact versions the set-up installs, with their hashes: pyproject.toml keeps ranges, for
# partnerships who install the engine as a library; these locks (written by pip-compile: make lock)
# make a new machine install what this one tested. Each lock holds the one before it.
LOCK_BUILD := requirements/build.txt
LOCK_TEST := requirements/test.txt
LOCK_BENCH := requirements/bench.txt
# The test lock with the oldest WeasyPrint pyproject.toml allows (make test-oldest-weasyprint).
LOCK_OLDEST := requirements/oldest-weasyprint.txt
# The project itself, once its locked dependencies are in: no dependency resolution, and its build
# backend (setuptools) from the lock rather than a newest one downloaded for an isolated build.
INSTALL_PROJECT := $(PIP) install --quiet --no-deps --no-build-isolation -e . $(PIP_NOISE)

# Debian's own python3 ships without venv/ensurepip: install python3-venv when it is missing.
$(STAMP): pyproject.toml $(LOCK_BUILD)
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv; }
	$(call apt_install_missing,$(BUILD_DEBS))
	@test -x $(BIN)/python || { echo "Creating the virtual environment in $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "Installing the locked Python packages ($(LOCK_BUILD)) into $(VENV)"
	@$(PIP) install --quiet --require-hashes -r $(LOCK_BUILD) $(PIP_NOISE)
	@$(INSTALL_PROJECT)
	@touch $@

$(TEST_STAMP): $(STAMP) $(LOCK_TEST)
	$(call apt_install_missing,$(TEST_DEBS))
	@echo "Installing the locked test tools ($(LOCK_TEST)) into $(VENV)"
	@$(PIP) install --quiet --require-hashes -r $(LOCK_TEST) $(PIP_NOISE)
	@touch $@

# The browser tests' tools from npm, pinned by package-lock.json: axe-core, and vnu-jar (the Nu
# HTML Checker), which runs on the machine's Java. --ignore-scripts: vnu-jar's install script would
# download a Java of its own. Node.js, npm and Java come from Debian when the machine lacks them.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# Build into a fresh folder and replace site/ only when the whole build and its checks passed:
# `mkdocs build` empties its output folder first, so a failed build would otherwise leave a
# half-built site behind.
build: $(STAMP) ## Build the website into site/
	rm -rf site.partial
	$(BIN)/mkdocs build --strict --site-dir site.partial
	rm -rf site.previous
	if [ -d site ]; then mv site site.previous; fi
	mv site.partial site
	rm -rf site.previous
	@echo "Built the handbook into site/"

test: $(TEST_STAMP) $(NODE_STAMP) ## Run the linter and the whole test suite, browser tests included, then the PDF tests on the public path and the oldest WeasyPrint, and make test-properdocs
	$(BIN)/ruff check handbook tests tools
	$(BIN)/python -m pytest
	@$(MAKE) --no-print-directory test-public-pdf
	@$(MAKE) --no-print-directory test-oldest-weasyprint
	@$(MAKE) --no-print-directory test-properdocs

# The PDFs printed through WeasyPrint's public API only, as on a WeasyPrint whose insides the fast
# path's self-test finds changed (handbook/pdf/fast_path.py): every PDF test passes on them too.
test-public-pdf: $(TEST_STAMP) ## Run the PDF tests with the PDFs printed through WeasyPrint's public API only
	HANDBOOK_PDF_PATH=public $(BIN)/python -m pytest tests/pdf

# The PDF tests on the oldest WeasyPrint pyproject.toml allows ($(LOCK_OLDEST): the test lock but for
# WeasyPrint), in a virtual environment of its own; the newest is the one `make test` runs on.
OLDEST_VENV := .venv-oldest-weasyprint
OLDEST_STAMP := $(OLDEST_VENV)/.installed
$(OLDEST_STAMP): $(TEST_STAMP) $(LOCK_OLDEST)
	@test -x $(OLDEST_VENV)/bin/python || $(PYTHON) -m venv $(OLDEST_VENV)
	@echo "Installing $(LOCK_OLDEST) into $(OLDEST_VENV)"
	@set -o pipefail; $(OLDEST_VENV)/bin/python -m pip install --quiet --require-hashes -r $(LOCK_OLDEST) $(PIP_NOISE)
	@set -o pipefail; PYTHONWARNINGS="ignore::UserWarning:setuptools.command.editable_wheel" $(OLDEST_VENV)/bin/python \
		-m pip install --quiet --no-deps --no-build-isolation -e . $(PIP_NOISE)
	@touch $@
test-oldest-weasyprint: $(OLDEST_STAMP) ## Run the PDF tests on the oldest WeasyPrint pyproject.toml allows
	$(OLDEST_VENV)/bin/python -m pytest tests/pdf

# ProperDocs, the continuation of MkDocs 1.x, builds the same mkdocs.yml with the same plugin; a
# partnership may build with it instead (README). The tests of what the build makes run again on
# the site and PDFs it builds: the pages' text and structure, the search index, every PDF, a data
# change reaching every page, another partnership's shape, a new project from `handbook new`, and
# every fixture whose bad input must stop the build. pyproject.toml's test extras install it beside
# mkdocs, which stays the handbook's own.
PROPERDOCS_TESTS := tests/web/test_site.py tests/web/test_search_index.py tests/pdf \
	tests/checks/test_fixture_projects.py tests/rendering/test_single_source.py \
	tests/rendering/test_partnerships.py tests/cli/test_new_project.py::test_it_builds_strictly_with_its_pdfs
test-properdocs: $(TEST_STAMP) ## Build with ProperDocs instead of MkDocs and run the content and PDF tests on what it builds
	HANDBOOK_SITE_TOOL=properdocs $(BIN)/python -m pytest $(PROPERDOCS_TESTS)

serve: $(STAMP) ## Preview the site at http://127.0.0.1:8000 while you edit
	$(BIN)/mkdocs serve --strict

# The editors' form on this working copy: MkDocs' live preview serves the site and its form at
# admin/, and decap-server (from npm, pinned by package-lock.json) saves what the form changes into
# these files, with no GitHub account. Both stop together.
edit: $(STAMP) $(NODE_STAMP) ## Change the handbook in the browser: the editors' form at http://127.0.0.1:8000/admin/ saves to this working copy
	@echo "Open http://127.0.0.1:8000/admin/ and choose Login. Saved changes go into this working copy: see them with git diff, check them with handbook check. Ctrl-C stops."
	@trap 'kill 0' EXIT INT TERM; \
	  GIT_REPO_DIRECTORY="$(CURDIR)" BIND_HOST=127.0.0.1 PORT=8081 LOG_LEVEL=warn node_modules/.bin/decap-server & \
	  $(BIN)/mkdocs serve --strict

publish: $(STAMP) ## Publish the committed handbook as edition EDITION (make publish EDITION=2026.1)
	@test -n "$(EDITION)" || { echo "Say which edition: make publish EDITION=2026.1"; exit 2; }
	$(BIN)/handbook publish $(EDITION)

export: $(STAMP) ## Write every published edition to DIR for a static host (make export DIR=public)
	@test -n "$(DIR)" || { echo "Say where: make export DIR=public"; exit 2; }
	$(BIN)/handbook export $(DIR)

offline: $(STAMP) ## Write the latest edition as handbook-offline.zip, to use without a server
	$(BIN)/handbook offline --output handbook-offline.zip

$(BENCH_STAMP): $(TEST_STAMP) $(LOCK_BENCH)
	@echo "Installing the locked benchmark tools ($(LOCK_BENCH)) into $(VENV)"
	@$(PIP) install --quiet --require-hashes -r $(LOCK_BENCH) $(PIP_NOISE)
	touch $@

# pip-compile writes the locks from pyproject.toml's ranges, in a virtual environment of its own so
# that pip-tools and what it needs never mix with the locked packages. The largest lock (every
# extra) is compiled first, and each smaller one with the one above it as its constraints, so a
# package they share has one version, inside every extra's range: compiled the other way round, the
# build lock took Pillow 13, which the test extra's range leaves out. `make lock` keeps every version
# the locks already name that the ranges still allow; `make upgrade` takes the newest.
LOCK_VENV := .venv-lock
LOCK_STAMP := $(LOCK_VENV)/.installed
$(LOCK_STAMP):
	@test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	@echo "Installing pip-tools into $(LOCK_VENV), to write the lock files"
	@set -o pipefail; $(LOCK_VENV)/bin/python -m pip install --quiet 'pip-tools>=7.4,<8' $(PIP_NOISE)
	@touch $@
# While pip-compile reads the metadata of packages published only as source, setuptools warns at
# length about their pyproject.toml files, which are not this project's: its output is shown only
# when it fails.
COMPILE = compile() { out=$$(CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE) \
	"$$@" pyproject.toml requirements/build.in 2>&1) || { echo "$$out"; return 1; }; }; compile

lock: $(LOCK_STAMP) ## Write the lock files (requirements/) again after a change to pyproject.toml's ranges
	@echo "Writing $(LOCK_BUILD), $(LOCK_TEST) and $(LOCK_BENCH) from pyproject.toml"
	@$(COMPILE) --extra test --extra bench -o $(LOCK_BENCH)
	@$(COMPILE) --extra test -c $(LOCK_BENCH) -o $(LOCK_TEST)
	@$(COMPILE) -c $(LOCK_TEST) -o $(LOCK_BUILD)
	@echo "Writing $(LOCK_OLDEST): $(LOCK_TEST) with the oldest WeasyPrint pyproject.toml allows"
	@$(LOCK_VENV)/bin/python tools/lock.py --oldest-constraints > $(LOCK_VENV)/oldest-constraints.txt
	@$(COMPILE) --extra test -c $(LOCK_VENV)/oldest-constraints.txt -o $(LOCK_OLDEST)
	@$(LOCK_VENV)/bin/python tools/lock.py

upgrade: ## Take the newest versions pyproject.toml allows into the lock files, then run the tests
	@$(MAKE) --no-print-directory lock UPGRADE=--upgrade
	@$(MAKE) --no-print-directory test

# Lighthouse, for the benchmark only (tools/bench_site.py), pinned by its own package-lock.json so
# that `make test` does not install it. It drives the machine's Chromium; it downloads no browser.
LIGHTHOUSE_STAMP := tools/lighthouse/node_modules/.installed
$(LIGHTHOUSE_STAMP): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	cd tools/lighthouse && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

bench: $(BENCH_STAMP) $(TEST_STAMP) $(LIGHTHOUSE_STAMP) ## Time the build against its targets (PDFs, rebuild, live preview, mkdocs-to-pdf) and the site on a phone; writes BENCHMARKS.md
	$(BIN)/python tools/bench.py
	$(BIN)/python tools/bench_site.py

bench-site: $(TEST_STAMP) $(LIGHTHOUSE_STAMP) ## Only the website part of make bench (search, first view, offline copy, Lighthouse)
	$(BIN)/python tools/bench_site.py

clean: ## Remove the build output, the virtual environment and the npm tools
	rm -rf site site.partial site.previous $(VENV) $(LOCK_VENV) $(OLDEST_VENV) node_modules test-artifacts
