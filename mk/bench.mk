# Benchmarks (docs/benchmarks.md has the dated tables). Included from the Makefile.

##@ Benchmarks

.PHONY: bench bench-python bench-batch strace peers-build bench-peers bench-peers-smoke

bench: ## the Criterion benchmarks of the core and their summary table
	$(CARGO) bench --bench core
	$(PYTHON) benches/table.py

bench-python: cli ## nameauth against a requests + hashlib loop, client CPU (after make test-python)
	$(VENV)/bin/python benches/python_vs_requests.py --bin $(NAMEAUTH_BIN)

BATCH_ROWS ?= 100000
BATCH_CONCURRENCY ?= 64
bench-batch: cli-release ## nameauth batch over BATCH_ROWS (100,000) rows at BATCH_CONCURRENCY (64), checked
	$(PYTHON) tools/bench_batch.py --bin $(RELEASE)/nameauth --rows $(BATCH_ROWS) \
		--concurrency $(BATCH_CONCURRENCY)

strace: cli ## system calls per verify (strace -c of 1,000 verifies)
	bash tools/strace_verifies.sh 1000 $(NAMEAUTH_BIN)

# nameauth against the client each language's shops write by hand (benches/peers/), one
# table; needs libcurl's headers and PHP's curl extension, installed here when missing.
PEERS_APT := libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h \
	php-curl:/etc/php/8.2/mods-available/curl.ini
peers-build: deps lib java ## the hand-written peer clients of bench-peers (installs libcurl-dev, php-curl)
	@$(call apt_install,$(PEERS_APT))
	$(CC) -O2 -Wall -Wextra -Werror -Iinclude benches/peers/peers.c -o $(BUILD)/peers-c \
		-L$(RELEASE) -lnameauth -lcurl -lcrypto -Wl,-rpath,$(abspath $(RELEASE))
	rm -rf $(BUILD)/peers-java && mkdir -p $(BUILD)/peers-java
	javac --release 11 -Xlint:all -Werror -encoding UTF-8 -d $(BUILD)/peers-java -cp $(JAR) \
		benches/peers/Peers.java

PEERS_ARGS = --c $(BUILD)/peers-c --java-cp $(abspath $(BUILD)/peers-java):$(JAR) \
	--python $(VENV)/bin/python --library-dir $(abspath $(RELEASE))

bench-peers: peers-build venv cli-release ## nameauth against each language's hand-written client, one table
	$(PYTHON) tools/bench_peers.py --bin $(RELEASE)/nameauth $(PEERS_ARGS)

# make test: every peer program once, with few calls, so the benchmark cannot rot.
bench-peers-smoke: peers-build cli ## every peer program once with few calls (make test)
	@test -x $(VENV)/bin/python || $(MAKE) -s venv
	$(PYTHON) tools/bench_peers.py --bin $(NAMEAUTH_BIN) $(PEERS_ARGS) --calls 200 \
		--java-calls 600 --rounds 2 --fresh 1 > $(BUILD)/bench-peers-smoke.txt
	@test "$$(grep -c '^|' $(BUILD)/bench-peers-smoke.txt)" = 23 || \
		{ cat $(BUILD)/bench-peers-smoke.txt; echo "bench-peers-smoke: rows missing"; exit 1; }
