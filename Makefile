# 镜享 Jingxiang — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
# The first Python 3.11+ on the PATH (override with `make PYTHON=/path/to/python3 …`).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Front-end libraries from the npm registry (package.json + lock file), copied into static files.
VENDOR := src/jingxiang/core/static/vendor
VENDOR_STAMP := $(VENDOR)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/jingxiang
ENGINES := src/jingxiang/matching src/jingxiang/scheduling src/jingxiang/quality src/jingxiang/identifiers src/jingxiang/demo_data src/jingxiang/taxonomy src/jingxiang/review src/jingxiang/wages src/jingxiang/taxrefund
export JINGXIANG_ENV ?= development

.PHONY: install demo test lint check test-sqlite test-postgres test-browser bench-web bench-matching bench-scheduling bench-review bench-wages bench-insights bench-report clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "需要 Python 3.11+ / Python 3.11 or newer is required"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

$(VENDOR_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 和 npm / Node.js with npm is required"; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@mkdir -p $(VENDOR)/echarts
	cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE node_modules/echarts/NOTICE $(VENDOR)/echarts/
	@mkdir -p $(VENDOR)/jsqr
	cp node_modules/jsqr/dist/jsQR.js node_modules/jsqr/LICENSE $(VENDOR)/jsqr/
	@touch $(VENDOR_STAMP)

install: $(STAMP) $(VENDOR_STAMP)

# Set up a SQLite database with the demo cluster, run a task worker beside the server, print logins.
demo: install
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "镜享已启动 / Jingxiang is running: http://127.0.0.1:8000  (Ctrl+C 停止 / to stop)"
	@trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py db_worker --interval 0.5 & WORKER=$$!; \
	  $(BIN)/python manage.py runserver 127.0.0.1:8000 --noreload

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	JINGXIANG_ENV=test $(BIN)/mypy

check: install
	JINGXIANG_ENV=test $(BIN)/python manage.py check
	JINGXIANG_ENV=test $(BIN)/python manage.py makemigrations --check --dry-run
	JINGXIANG_ENV=production SECRET_KEY=check-deploy-$$(date +%s)-$$(head -c 24 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
	  ALLOWED_HOSTS=jingxiang.example PUBLIC_BASE_URL=https://jingxiang.example DATABASE_URL=sqlite:///:memory: \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

test-sqlite: install
	JINGXIANG_ENV=test $(BIN)/pytest -m "not browser" -n 2 --dist worksteal -q

test-postgres: install
	@rc=0; PYTHON_BIN=$(BIN)/python bash scripts/require-service postgres || rc=$$?; \
	  if [ $$rc -eq 1 ]; then exit 0; elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	  JINGXIANG_ENV=test DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser" -n 2 --dist worksteal -q $(addprefix --ignore=,$(ENGINES))

test-browser: install
	@rc=0; bash scripts/require-service chromium || rc=$$?; \
	  if [ $$rc -eq 1 ]; then exit 0; elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	  JINGXIANG_ENV=test DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser -q -p no:xdist

# One stage after the other: browser journeys beside mypy on two cores would race their page timeouts.
test: lint check test-sqlite test-postgres test-browser
	@echo "make test: all stages finished"

bench-web: install
	$(BIN)/python bench/web/run.py

bench-matching: install
	$(BIN)/python bench/matching/quality.py && $(BIN)/python bench/matching/speed.py

bench-scheduling: install
	$(BIN)/python bench/scheduling/run.py

bench-review: install
	$(BIN)/python bench/review/run.py

bench-wages: install
	$(BIN)/python bench/wages/run.py

bench-insights: install
	$(BIN)/python bench/insights/run.py --scale 1 && $(BIN)/python bench/insights/run.py --scale 10

bench-report: install
	$(BIN)/python bench/report.py

clean:
	rm -rf var/jingxiang.sqlite3* var/media
