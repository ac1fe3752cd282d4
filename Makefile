# Annuaire — the two commands (`make run`, `make test`) and the developer loop.
# Targets install what they need on Debian bookworm (apt) and PyPI (pip) before building.

SWIFT        ?= swift
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := liblmdb-dev libargon2-dev libcrypt-dev ldap-utils slapd openssl faketime libldap2-dev libsasl2-dev tzdata
PIP_PACKAGES := ldap3 pyasn1 pytest python-ldap aiosmtpd
PYTHON       ?= python3
# Seconds each fuzz target runs: `make fuzz` (long), `make test` (short, at least 30 s).
FUZZ_SECONDS ?= 300
TEST_FUZZ_SECONDS ?= 30

.PHONY: all deps build run test test-unit test-integration fuzz fuzz-build bench bench-check bench-import bench-access bench-binds format clean

all: build

## Install the missing system packages and Python test clients.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@$(PYTHON) -c 'import ldap3, pyasn1, pytest, ldap, aiosmtpd' 2>/dev/null || $(PYTHON) -m pip install --quiet $(PIP_PACKAGES)

build: deps
	$(SWIFT) build

## Serves the embedded default (config/annuaire.conf): demo directory and self-signed pair made in ./data on
## first start; prints the commands to try, then runs in the foreground (Ctrl-C stops it cleanly).
run: deps
	$(SWIFT) build -c release --product annuaire
	./scripts/run-demo.sh

## Every test: unit and interoperability tests, the integration tests (annuaire serve driven by ldap-utils
## and ldap3, and the differential run against a private slapd), each fuzz target for TEST_FUZZ_SECONDS, and the
## benchmark's self-checks (built in release, run briefly; figures come from `make bench`).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	ANNUAIRE_BIN=.build/debug/annuaire PYTHON=$(PYTHON) ./Tests/Integration/run.sh
	$(MAKE) fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)
	$(MAKE) bench-check

test-unit:
	$(SWIFT) test

test-integration: deps
	$(SWIFT) build --product annuaire
	ANNUAIRE_BIN=.build/debug/annuaire PYTHON=$(PYTHON) ./Tests/Integration/run.sh

fuzz-build:
	cd FuzzTesting && $(SWIFT) build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
	  --scratch-path ../.build-fuzz

## Runs every libFuzzer target for FUZZ_SECONDS, starting from the kept corpus and regression cases.
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./FuzzTesting/run-fuzzers.sh .build-fuzz/debug

bench: deps
	cd Benchmarks && $(SWIFT) run -c release --scratch-path ../.build-bench CodecBenchmarks
	$(MAKE) bench-import
	$(MAKE) bench-access
	$(MAKE) bench-binds

## Offline import of PEOPLE generated people: annuaire import against slapadd -q (back-mdb, same indexes), then
## the indexed equality lookup latency on the imported database (Benchmarks/DirectoryBenchmarks).
PEOPLE ?= 100000
bench-import: deps
	$(SWIFT) build -c release --product annuaire
	cd Benchmarks/DirectoryBenchmarks && $(SWIFT) build -c release --product StoreLookupBenchmark \
	  --scratch-path ../../.build-bench-directory
	./Benchmarks/import-vs-slapadd.sh $(PEOPLE)

## Search throughput of DirectoryService with the shipped access policy against access control off (issue 5).
ACCESS_PEOPLE ?= 20000
bench-access: deps
	$(SWIFT) build -c release --product annuaire
	cd Benchmarks/DirectoryBenchmarks && $(SWIFT) build -c release --scratch-path ../../.build-bench-directory
	rm -rf .build-bench-access && mkdir -p .build-bench-access
	.build/release/annuaire demo-data --people $(ACCESS_PEOPLE) --seed 3 \
	  --credentials .build-bench-access/credentials.tsv .build-bench-access/demo.ldif
	.build/release/annuaire import --quiet --data-dir .build-bench-access/data .build-bench-access/demo.ldif
	.build-bench-directory/release/AccessBenchmark --data-dir .build-bench-access/data \
	  --credentials .build-bench-access/credentials.tsv --schema-directory schema --access-rules config/access.rules

## Simple binds with {SSHA} and with the default {ARGON2} passwords, Annuaire against a private slapd (back-mdb,
## argon2 module) on the same data, with `annuaire bench --workload bind` (issue 6 point 9; docs/benchmarks.md).
BINDS_PEOPLE ?= 10000
bench-binds: deps
	$(SWIFT) build -c release --product annuaire
	./Benchmarks/binds.sh $(BINDS_PEOPLE)

## The benchmark's self-checks (slices, round-trips, swift-asn1 agreement) with a short run, no figures kept.
bench-check:
	cd Benchmarks && $(SWIFT) run -c release --scratch-path ../.build-bench CodecBenchmarks --quick --only ldap.decode.searchRequest

format:
	$(SWIFT) format --in-place --recursive Sources Tests

clean:
	rm -rf .build .build-fuzz .build-bench .build-bench-directory .build-bench-access
