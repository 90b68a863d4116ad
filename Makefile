# DataFlow platform — the two commands: `make demo` and `make test`. Both install what is missing, idempotently.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
NODE_STAMP := node_modules/.dataflow-installed
VENV_STAMP := $(VENV)/.dataflow-installed
CDK := node_modules/.bin/cdk
TSNODE := node --require ts-node/register/transpile-only
export CDK_DISABLE_VERSION_CHECK := 1
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1

.PHONY: help install demo chaos test typecheck format format-check lint unit synth nag cfn-lint clean requirements-lock postgres postgres-stop postgres-where ruff sqlfluff glue-test warehouse-codegen warehouse-test gold cost browser outputs integ

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# npm records the installed tree in node_modules/.package-lock.json; when that is at least as new as the lock file,
# node_modules already matches it (e.g. after `npm install <pkg>`) and a clean reinstall would only waste time.
$(NODE_STAMP): package.json package-lock.json
	@if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then \
	  echo "node_modules is in sync with package-lock.json"; \
	else \
	  npm ci --no-audit --no-fund --loglevel=error; \
	fi
	@touch $@

$(VENV_STAMP): requirements.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# A class-data-sharing archive of what the Glue jobs load (JDK, Spark, Hadoop, Parquet: ~10,000 classes). Local
# spark-submits and the pytest session map it instead of loading and verifying those classes: about 5 s less per
# JVM start. Dumped once, at the exit of a JVM that ran the job tests; a JVM that cannot use it (another JDK or
# Spark build) warns and starts without it, and so does everything if the dump fails.
SPARK_CLASSES := $(VENV)/spark-classes.jsa
$(SPARK_CLASSES): $(VENV_STAMP) $(NODE_STAMP)
	@echo "dumping the Spark class archive $@ (once, about a minute)"
	@rm -f $@; PYTHONPATH=glue-scripts PYSPARK_PYTHON=$(CURDIR)/$(VENV)/bin/python PYSPARK_DRIVER_PYTHON=$(CURDIR)/$(VENV)/bin/python \
	  SPARK_LOCAL_IP=127.0.0.1 $(VENV)/bin/spark-submit --master 'local[2]' --driver-java-options "-XX:ArchiveClassesAtExit=$(CURDIR)/$@" \
	  scripts/local/glue/spark_classes.py > $(VENV)/spark-classes.log 2>&1 && test -s $@ \
	  || echo "warning: no Spark class archive (see $(VENV)/spark-classes.log); local Spark jobs start without it"

install: $(NODE_STAMP) $(VENV_STAMP) $(SPARK_CLASSES) ## install npm dependencies, the Python virtualenv and the Spark class archive (idempotent)

demo: install synth ## run the platform locally on embedded defaults and print what it did
	$(TSNODE) scripts/demo.ts

chaos: install ## fault scenarios (stream and batch) run locally: one table of records in/warehouse/quarantined/duplicated/lost
	$(TSNODE) scripts/local/faults/chaos.ts

test: install typecheck format-check lint ruff sqlfluff postgres browser unit synth cfn-lint integ glue-test warehouse-test ## every suite: types, lint (ESLint, ruff, sqlfluff), jest (snapshots, assertions, cdk-nag, config), cfn-lint
	@echo "make test: all suites passed"

typecheck: $(NODE_STAMP) ## tsc --noEmit over bin lib lambda test scripts bench
	node_modules/.bin/tsc --noEmit -p tsconfig.json

lint: $(NODE_STAMP) ## ESLint
	node_modules/.bin/eslint --no-error-on-unmatched-pattern bin lib lambda test scripts bench

format: $(NODE_STAMP) ## Prettier: rewrite the TypeScript, JavaScript and JSON in place (.prettierrc.json)
	node_modules/.bin/prettier --log-level warn --write '**/*.{ts,js,mjs,json}'

format-check: $(NODE_STAMP) ## Prettier: fail on any file that is not formatted (run `make format`)
	node_modules/.bin/prettier --log-level warn --check '**/*.{ts,js,mjs,json}'

ruff: $(VENV_STAMP) ## ruff over the Python: Glue jobs and their tests, local-run helpers, the dbt task entry (ruff.toml)
	$(VENV)/bin/ruff check --no-cache .

sqlfluff: $(VENV_STAMP) ## sqlfluff over the dbt models and tests, rendered for Redshift (dbt/.sqlfluff)
	cd dbt && ../$(VENV)/bin/sqlfluff lint models tests

unit: $(NODE_STAMP) ## jest
	node_modules/.bin/jest --ci

# Bundling prints a few lines per function; they go to .local/synth.log and are shown only when synth fails.
synth: $(NODE_STAMP) ## synthesize every environment into cdk.out (no AWS credentials needed)
	@mkdir -p .local
	@$(CDK) synth -c env=all --quiet --no-notices > /dev/null 2> .local/synth.log || { cat .local/synth.log >&2; exit 1; }
	@echo "synth: every environment into cdk.out (bundling log: .local/synth.log)"

cfn-lint: $(VENV_STAMP) synth ## cfn-lint every synthesized template
	$(VENV)/bin/cfn-lint --format parseable --non-zero-exit-code error -- cdk.out/assembly-*/*.template.json
	@echo "cfn-lint: $$(ls cdk.out/assembly-*/*.template.json | wc -l) templates, 0 errors"

# Debian's chromium, for the demo report's headless browser test (like Postgres: installed when missing, as root).
browser: ## install headless Chromium (Debian's package) if missing
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the report's browser test"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
	      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	  else echo "make browser: install Chromium (Debian: apt-get install chromium) for the report's browser test" >&2; exit 1; fi; }

integ: $(NODE_STAMP) ## integration tests (test/integ) synthesized and compared with their committed snapshots, offline; UPDATE=1 rewrites them
	$(TSNODE) scripts/integ-snapshot.ts $(if $(value UPDATE),--update)

postgres: $(NODE_STAMP) ## start this checkout's local OLTP Postgres if it is not running (own port and cluster folder: `make postgres-where`)
	$(TSNODE) scripts/local/batch/postgres.ts start

postgres-stop: $(NODE_STAMP) ## stop this checkout's local OLTP Postgres
	$(TSNODE) scripts/local/batch/postgres.ts stop

postgres-where: $(NODE_STAMP) ## print this checkout's local Postgres cluster folder and port
	$(TSNODE) scripts/local/batch/postgres.ts where

glue-test: $(VENV_STAMP) $(NODE_STAMP) ## pytest the Glue PySpark scripts on a local SparkSession (pyspark 3.5 = Glue 5) and the dbt task entrypoint
	$(VENV)/bin/pytest -q -p no:cacheprovider glue-scripts/tests test/dbt

warehouse-codegen: $(NODE_STAMP) ## regenerate dbt sources and the customer-rules macro from table specs / dbt/customer_rules.yml
	$(TSNODE) scripts/local/warehouse/codegen.ts

warehouse-test: $(NODE_STAMP) $(VENV_STAMP) ## fixture → local DuckDB bronze → dbt build --target local; dbt parse (Redshift, offline); dbt docs generate
	$(TSNODE) scripts/local/warehouse/codegen.ts --check
	$(TSNODE) scripts/local/warehouse/test.ts
	cd dbt && DATAFLOW_DUCKDB_PATH=$(CURDIR)/.local/warehouse-test.duckdb ../$(VENV)/bin/dbt docs generate --target local --profiles-dir . --quiet
	cd dbt && ../$(VENV)/bin/dbt parse --target prod --profiles-dir . --quiet --no-partial-parse
	@echo "warehouse-test: dbt build (local), dbt docs generate and dbt parse (prod, offline) passed"

# The variables reach the shell only as environment variables (never pasted into the command line), and are
# checked before anything is installed.
unexport SOURCE AS_OF OUT
gold: export GOLD_SOURCE = $(value SOURCE)
gold: export GOLD_AS_OF = $(value AS_OF)
gold: export GOLD_OUT = $(value OUT)
gold: ## build gold locally from CSVs: make gold SOURCE=dir AS_OF=YYYY-MM-DD OUT=dir
	@if [ -z "$$GOLD_SOURCE" ] || [ -z "$$GOLD_AS_OF" ] || [ -z "$$GOLD_OUT" ]; then \
	  echo 'make gold: SOURCE, AS_OF and OUT are required: make gold SOURCE=<folder of CSVs> AS_OF=<YYYY-MM-DD> OUT=<output folder>' >&2; exit 2; fi
	@if ! [[ "$$GOLD_AS_OF" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$$ ]]; then \
	  printf 'make gold: AS_OF must be a date YYYY-MM-DD (got "%s")\n' "$$GOLD_AS_OF" >&2; exit 2; fi
	@if ! [ -d "$$GOLD_SOURCE" ]; then printf 'make gold: SOURCE "%s" is not a folder\n' "$$GOLD_SOURCE" >&2; exit 2; fi
	@$(MAKE) --no-print-directory $(NODE_STAMP) $(VENV_STAMP)
	$(TSNODE) scripts/gold.ts --source "$$GOLD_SOURCE" --as-of "$$GOLD_AS_OF" --out "$$GOLD_OUT"

# ENV reaches the shell only as an environment variable (never expanded by make or pasted into the command
# line) and is checked before anything is installed.
unexport ENV
cost: export DATAFLOW_COST_ENV = $(value ENV)
cost: ## monthly cost estimate of one environment from its templates, config and declared load: make cost ENV=prod
	@case "$$DATAFLOW_COST_ENV" in dev|staging|prod) ;; *) printf "make cost: ENV must be dev, staging or prod (got '%s')\n" "$$DATAFLOW_COST_ENV" >&2; exit 2;; esac
	@$(MAKE) --no-print-directory $(NODE_STAMP)
	@$(TSNODE) scripts/cost.ts --env "$$DATAFLOW_COST_ENV"

outputs: ## stack outputs runbooks refer to (needs AWS credentials): make outputs ENV=prod [OUTPUT=LeaseTable]
	@test -n "$(ENV)" || { echo "make outputs: ENV is required (ENV=dev|staging|prod)" >&2; exit 2; }
	@$(TSNODE) scripts/stack-outputs.ts --env "$(ENV)" $(if $(OUTPUT),--output "$(OUTPUT)") $(if $(REGION),--region "$(REGION)")

requirements-lock: ## regenerate requirements.txt from requirements.in
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Fully pinned lock of requirements.in for Python 3.11 (regenerate: make requirements-lock)."; .venv-lock/bin/pip freeze; } > requirements.txt
	rm -rf .venv-lock

clean: ## remove build output and local run data (keeps installs)
	rm -rf cdk.out .local dbt/target dbt/logs
