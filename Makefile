# The two commands of the README: `make run` and `make test`. Both set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/jiguan

.PHONY: run test check test-postgres system-run system-test bench seed clean

$(STAMP): requirements.lock build-constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	# xstatic-bootstrap builds from an sdist that still needs pkg_resources (setuptools < 81).
	PIP_CONSTRAINT=build-constraints.txt $(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

system-run:
	@scripts/system-deps.sh run

system-test:
	@scripts/system-deps.sh test

run: system-run $(STAMP)
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo
	@echo "在浏览器打开 http://127.0.0.1:8000 （按 Ctrl+C 停止）"
	@# The background jobs' worker (jiguan.jobs) beside the server, stopped with it; its log in var/.
	$(MANAGE) db_worker --no-startup-delay >>var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000 --noreload

test: system-test $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The suite again on PostgreSQL (CI runs it; needs a server, see README).
test-postgres: system-test $(STAMP)
	@if ! $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=5).close()" 2>/dev/null; then \
		if [ -n "$$CI" ]; then echo "PostgreSQL 无法连接：$(PG_URL)" >&2; exit 1; fi; \
		echo "PostgreSQL 无法连接，跳过 PostgreSQL 测试。"; exit 0; \
	fi; \
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

bench: system-run $(STAMP)
	$(MANAGE) benchmark $(BENCH_ARGS)

seed: $(STAMP)
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo

clean:
	rm -rf $(VENV) var/static
