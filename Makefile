# The two commands: `make run` and `make test`. Everything else is a step they take.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app forum
STAMP   := $(VENV)/.installed
# make run's port: FORUM_PORT, else PORT (from the environment or `make run PORT=8080`), else
# 5000. Mail's links follow it unless FORUM_SITE_URL names the public address.
FORUM_PORT ?= $(or $(PORT),5000)
SITE_URL   := $(or $(FORUM_SITE_URL),http://127.0.0.1:$(FORUM_PORT))
# make run's mail-in: an LMTP server on loopback (docs/email.md), LMTP_PORT=… for another port.
LMTP_PORT  ?= 8024

.PHONY: run test test-browser install browser lint migrate seed bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(FLASK) db upgrade
	$(FLASK) search reindex --if-empty

seed: migrate
	$(FLASK) seed-demo --if-empty

## make run: install, migrate, seed the demo site on first run, serve on http://127.0.0.1:5000
## (PORT=8080 or FORUM_PORT=8080 for another port; the outbox worker and the LMTP server for
## mail in, on 127.0.0.1:$(LMTP_PORT), run beside the server and stop with it).
run: seed
	@echo "Serving on http://127.0.0.1:$(FORUM_PORT) — demo accounts are listed in the README."
	@export FORUM_SITE_URL='$(SITE_URL)'; \
	$(FLASK) deliver --loop & worker=$$!; \
	$(FLASK) mail lmtp --host 127.0.0.1 --port $(LMTP_PORT) & lmtp=$$!; \
	trap 'kill $$worker $$lmtp 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(FORUM_PORT)

## Browser tests drive Debian's Chromium; install it when it is missing and we may. axe-core
## (accessibility checks) comes from npm into .cache/npm, once; tests never fetch anything.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium)"; exit 1; fi; }
	@test -f .cache/npm/node_modules/axe-core/axe.min.js || \
	  npm install --no-save --silent --prefix .cache/npm axe-core@4

lint: install
	$(VENV)/bin/ruff check forum tests bench

## make test: install everything the suite needs, lint, then run the whole suite.
test: install browser lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## make test-browser: the browser tests alone (Chromium, axe-core; a missing piece fails), and a
## full-page screenshot of each main page of the journeys at 1280 and 375 px written into
## SCREENSHOTS (emptied first; `make test-browser SCREENSHOTS=/tmp/shots` for another folder).
## Without FORUM_SCREENSHOTS — as in `make test` — no screenshot is taken.
SCREENSHOTS ?= build/screenshots
test-browser: install browser
	@test -n "$(SCREENSHOTS)" && rm -rf "$(SCREENSHOTS)" && mkdir -p "$(SCREENSHOTS)"
	@FORUM_REQUIRE_BROWSER=1 FORUM_SCREENSHOTS="$(abspath $(SCREENSHOTS))" \
	  $(VENV)/bin/pytest tests/browser $(PYTEST_ARGS); status=$$?; \
	  echo "Screenshots ($$(ls "$(SCREENSHOTS)" | wc -l) PNG files): $(abspath $(SCREENSHOTS))"; \
	  exit $$status

## make bench: seed a large site (BENCH_SCALE=10k|100k|1m; PostgreSQL with BENCH_DATABASE_URL),
## serve it with gunicorn and load every page with wrk (Debian's package; installed when root).
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: install Debian's 'wrk' package (sudo apt-get install wrk)"; exit 1; fi; }
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
