# The README's two commands: `make demo` and `make test`. Everything they need is
# installed here, into .venv at the repo root.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= var

.PHONY: demo test lint bench bench-portal bench-load bench-maps install tiles system-packages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

# The vector tiles of France (generated, git-ignored): rebuilt when missing or when the
# shipped contours or their builder change (observatoire/geo/tiles.py).
TILES := src/observatoire/portal/static/portal/tiles/france.pmtiles
$(TILES): src/observatoire/geo/tiles.py src/observatoire/geo/data/france/communes.geojsonl.gz | $(STAMP)
	$(BIN)/python -m observatoire.geo.tiles $(TILES)

tiles: $(TILES)

demo: $(STAMP) $(TILES)
	$(BIN)/observatoire --data-dir $(DATA_DIR) demo

# `make test` also needs Debian's Chromium (browser tests) and PostgreSQL (the web tests
# run on it): installed with apt when missing (the CI runs as root).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "Paquets système manquants :$$missing (apt-get install -y$$missing, en root)." >&2; \
	    exit 1; \
	  fi; \
	  echo "Installation des paquets système :$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq >/dev/null && apt-get install -y -qq $$missing >/dev/null; \
	fi

# The suite in three passes (README, "Tests"), on a throwaway PostgreSQL cluster (temp dir,
# free port) stopped even on failure:
#  1. everything but `serial` tests, in parallel (pytest-xdist), web tests on PostgreSQL
#     (the production database), each test in a rolled-back transaction;
#  2. `serial` tests (real servers in subprocesses: browser, gunicorn), alone;
#  3. `embedded` tests again on the embedded SQLite (search, migrations, demo mode).
# initdb refuses root: as root the cluster belongs to the `postgres` user.
JOBS ?= auto
PYTEST := $(BIN)/pytest -q --durations=25
test: $(STAMP) $(TILES) system-packages
	@set -u; \
	pgbin=$$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); \
	pgdata=$$(mktemp -d /tmp/observatoire-pg.XXXXXX); \
	as=""; \
	if [ "$$(id -u)" = 0 ]; then chown postgres: "$$pgdata"; as="runuser -u postgres --"; fi; \
	port=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	trap '$$as "$$pgbin/pg_ctl" -D "$$pgdata" -m fast -s stop >/dev/null 2>&1; rm -rf "$$pgdata"' EXIT; \
	trap 'exit 130' INT TERM; \
	$$as "$$pgbin/initdb" -D "$$pgdata" -A trust -U postgres >/dev/null || exit 1; \
	$$as "$$pgbin/pg_ctl" -D "$$pgdata" -l "$$pgdata/server.log" -w -s \
	  -o "-c listen_addresses=127.0.0.1 -p $$port -k $$pgdata -c fsync=off" start || { cat "$$pgdata/server.log"; exit 1; }; \
	"$$pgbin/createdb" -h 127.0.0.1 -p $$port -U postgres observatoire_test || exit 1; \
	export OBSERVATOIRE_DATABASE_URL=postgresql://postgres@127.0.0.1:$$port/observatoire_test; \
	status=0; \
	echo "1/3 Tests en parallèle (applications web sur PostgreSQL, port $$port)"; \
	$(PYTEST) -n $(JOBS) -m "not serial" || status=1; \
	echo "2/3 Tests en série (navigateur, serveurs de production)"; \
	$(PYTEST) -m serial || status=1; \
	echo "3/3 Tests de la base embarquée (SQLite)"; \
	unset OBSERVATOIRE_DATABASE_URL; \
	$(PYTEST) -m embedded || status=1; \
	exit $$status

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)
	$(BIN)/mypy
	$(BIN)/lint-imports

# The DVF volume bench, the secrecy cost, the portal latency bench, then the load bench
# (20 concurrent clients), then the maps: all run even if one misses a target.
bench: $(STAMP) $(TILES)
	@status=0; \
	$(BIN)/python -m bench.run || status=1; \
	$(BIN)/python -m bench.secrecy || status=1; \
	$(MAKE) --no-print-directory bench-portal || status=1; \
	$(MAKE) --no-print-directory bench-load || status=1; \
	$(BIN)/python -m bench.fiches || status=1; \
	$(BIN)/python -m bench.releases || status=1; \
	$(MAKE) --no-print-directory bench-maps || status=1; \
	exit $$status

bench-portal: $(STAMP) $(TILES)
	$(BIN)/python -m bench.portal

bench-load: $(STAMP)
	$(BIN)/python -m bench.load

# Value payload of the Pas-de-Calais commune map against a static file, and the first render
# of the France commune map in Chromium (Playwright).
bench-maps: $(STAMP) $(TILES)
	$(BIN)/python -m bench.maps

clean:
	rm -rf $(VENV) var bench/out
