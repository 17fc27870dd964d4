# make demo: the partner-onboarding demo (examples/partner-onboarding) on the real Pulumi engine against the emulator.
# make test: lint, build, API docs (no warning allowed) and every mocha suite (unit, emulator, sdk, provider, e2e, reliability).
# make mutation: StrykerJS over provider/ and sdk/ against the fast suites (docs/testing.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Every engine run is offline: the CLI from .engine/bin, a local file backend, a passphrase, no
# update checks and no plugin downloads.
export PATH := $(CURDIR)/.engine/bin:$(PATH)
export PULUMI_HOME := $(CURDIR)/.pulumi-home
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_DISABLE_REGISTRY_RESOLVE := true
export PULUMI_CONFIG_PASSPHRASE ?= megaport-demo

INSTALLED := node_modules/.install-stamp
BUILT := dist/.build-stamp
SOURCES := $(shell find sdk provider emulator tests bench scripts examples -name '*.ts' -not -path '*/node_modules/*' 2>/dev/null) tsconfig.json

.PHONY: help install build engine lint test mutation demo demo-destroy docs bench clean

help:
	@echo "make demo | make test | make lint | make engine | make docs | make bench | make mutation | make demo-destroy"

$(INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	@# The dynamic providers load their implementation by package name (docs/architecture.md,
	@# "The thin serialized shim"); inside this repository the program directories resolve it
	@# through this link to the repository root.
	ln -sfn .. node_modules/pulumi-megaport-service-keys
	@touch $@

install: $(INSTALLED)

$(BUILT): $(INSTALLED) $(SOURCES)
	@# From scratch: a file moved or deleted must not live on in dist/ (and in `npm pack`).
	rm -rf dist
	npx tsc -p tsconfig.json
	@# The provider plugin runs as an executable found on PATH (README, "Pulumi YAML").
	chmod +x dist/provider/plugin/bin.js
	@touch $@

build: $(BUILT)

engine: $(INSTALLED)
	bash scripts/engine.sh

lint: $(INSTALLED)
	npx eslint .

# Suites in order of depth; `npx mocha dist/tests/<suite>/**/*.test.js` runs one.
SUITES := unit emulator sdk provider e2e reliability

# The sdk and provider suites run twice: once more against an emulator whose answers vary the way
# the real API may (unknown fields, nulls, numbers as strings; docs/megaport-api-variance.md).
test: lint build docs engine
	MEGAPORT_EMULATOR_ENRICH=1 npx mocha 'dist/tests/sdk/**/*.test.js' 'dist/tests/provider/**/*.test.js'
	npx mocha $(foreach suite,$(SUITES),'dist/tests/$(suite)/**/*.test.js')

# Mutation testing (docs/testing.md): incremental, so a re-run only tests mutants in changed code or
# covered by changed tests. MUTATE=sdk/vxcs.ts limits it to one file; CONCURRENCY=1 on a busy machine.
MUTATE ?=
CONCURRENCY ?= 2
mutation: build
	npx stryker run --concurrency $(CONCURRENCY) $(if $(MUTATE),--mutate '$(MUTATE)')

demo: build engine
	node dist/scripts/demo.js up

demo-destroy: build engine
	node dist/scripts/demo.js destroy

docs: $(INSTALLED)
	npx typedoc
	@echo "API docs: dist/docs/index.html"

# Repeated, interleaved runs (engine floor, keys, VXCs, two latencies); writes bench/RESULTS.md and the plot.
# QUICK=1: the quick development run (fewer points, one run each; bench/results/quick.json only).
bench: build engine
	QUICK=$(QUICK) node dist/bench/run.js

clean:
	rm -rf dist .pulumi-state .pulumi-home
