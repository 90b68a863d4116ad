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

.PHONY: help install demo test typecheck lint unit synth nag cfn-lint clean requirements-lock postgres glue-test warehouse-codegen warehouse-test gold integ

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
	  scripts/local/spark_classes.py > $(VENV)/spark-classes.log 2>&1 && test -s $@ \
	  || echo "warning: no Spark class archive (see $(VENV)/spark-classes.log); local Spark jobs start without it"

install: $(NODE_STAMP) $(VENV_STAMP) $(SPARK_CLASSES) ## install npm dependencies, the Python virtualenv and the Spark class archive (idempotent)

demo: install synth ## run the platform locally on embedded defaults and print what it did
	$(TSNODE) scripts/demo.ts

test: install typecheck lint postgres unit synth cfn-lint integ glue-test warehouse-test ## every suite: types, lint, jest (snapshots, assertions, cdk-nag, config), cfn-lint
	@echo "make test: all suites passed"

typecheck: $(NODE_STAMP) ## tsc --noEmit over bin lib lambda test scripts bench
	node_modules/.bin/tsc --noEmit -p tsconfig.json

lint: $(NODE_STAMP) ## ESLint
	node_modules/.bin/eslint --no-error-on-unmatched-pattern bin lib lambda test scripts bench

unit: $(NODE_STAMP) ## jest
	node_modules/.bin/jest --ci

synth: $(NODE_STAMP) ## synthesize every environment into cdk.out (no AWS credentials needed)
	$(CDK) synth -c env=all --quiet --no-notices > /dev/null

cfn-lint: $(VENV_STAMP) synth ## cfn-lint every synthesized template
	$(VENV)/bin/cfn-lint --format parseable --non-zero-exit-code error -- cdk.out/assembly-*/*.template.json
	@echo "cfn-lint: $$(ls cdk.out/assembly-*/*.template.json | wc -l) templates, 0 errors"

integ: $(NODE_STAMP) ## integration tests (test/integ) synthesized and compared with their committed snapshots, offline; UPDATE=1 rewrites them
	$(TSNODE) scripts/integ-snapshot.ts $(if $(UPDATE),--update)

postgres: $(NODE_STAMP) ## start the local OLTP Postgres (.local/postgres, port 55432) if it is not running
	$(TSNODE) scripts/local/batch-postgres.ts start

glue-test: $(VENV_STAMP) $(NODE_STAMP) ## pytest the Glue PySpark scripts on a local SparkSession (pyspark 3.5 = Glue 5)
	$(VENV)/bin/pytest -q -p no:cacheprovider glue-scripts/tests

warehouse-codegen: $(NODE_STAMP) ## regenerate dbt sources and the customer-rules macro from table specs / dbt/customer_rules.yml
	$(TSNODE) scripts/local/warehouse-codegen.ts

warehouse-test: $(NODE_STAMP) $(VENV_STAMP) ## fixture → local DuckDB bronze → dbt build --target local; dbt parse (Redshift, offline); dbt docs generate
	$(TSNODE) scripts/local/warehouse-codegen.ts --check
	$(TSNODE) scripts/local/warehouse-test.ts
	cd dbt && DATAFLOW_DUCKDB_PATH=$(CURDIR)/.local/warehouse-test.duckdb ../$(VENV)/bin/dbt docs generate --target local --profiles-dir . --quiet
	cd dbt && ../$(VENV)/bin/dbt parse --target prod --profiles-dir . --quiet --no-partial-parse
	@echo "warehouse-test: dbt build (local), dbt docs generate and dbt parse (prod, offline) passed"

gold: $(NODE_STAMP) $(VENV_STAMP) ## build gold locally from CSVs: make gold SOURCE=dir AS_OF=YYYY-MM-DD OUT=dir
	$(TSNODE) scripts/gold.ts --source "$(SOURCE)" --as-of "$(AS_OF)" --out "$(OUT)"

requirements-lock: ## regenerate requirements.txt from requirements.in
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Fully pinned lock of requirements.in for Python 3.11 (regenerate: make requirements-lock)."; .venv-lock/bin/pip freeze; } > requirements.txt
	rm -rf .venv-lock

clean: ## remove build output and local run data (keeps installs)
	rm -rf cdk.out .local dbt/target dbt/logs
