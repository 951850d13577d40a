# Fuzzing (cargo-fuzz) and the race test under sanitizers. Included from the Makefile.

##@ Fuzzing and sanitizers

.PHONY: fuzz fuzz-smoke race race-smoke

# Fuzzing (cargo-fuzz on nightly, libFuzzer with ASan): each target runs from a copy of
# its committed seed corpus in build/fuzz, so runs never rewrite fuzz/corpus.
FUZZ_TARGETS := response options validate query ffi
FUZZ_TARGETS += batch_input
FUZZ_SECONDS ?= 120
CARGO_FUZZ := $(HOME)/.cargo/bin/cargo-fuzz
$(CARGO_FUZZ):
	command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install -q cargo-fuzz --locked

fuzz: $(CARGO_FUZZ) ## every cargo-fuzz target for FUZZ_SECONDS (default 120), then a table
	cd fuzz && $(CARGO) +nightly fuzz build -O
	@mkdir -p $(BUILD)/fuzz
	@printf '%-10s %12s %8s  %s\n' target executions seconds result > $(BUILD)/fuzz/table.txt
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/$$t; \
		if (cd fuzz && $(CARGO) +nightly fuzz run -O $$t ../$(BUILD)/fuzz/$$t corpus/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1) > $(BUILD)/fuzz/$$t.log 2>&1; \
		then result=ok; else result=FAILED; fi; \
		runs=$$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' $(BUILD)/fuzz/$$t.log); \
		printf '%-10s %12s %8s  %s\n' $$t $${runs:-0 0} $$result >> $(BUILD)/fuzz/table.txt; \
	done
	@cat $(BUILD)/fuzz/table.txt
	@awk 'NR > 1 { n += $$2 } END { printf "total executions: %d\n", n }' $(BUILD)/fuzz/table.txt
	@! grep -q FAILED $(BUILD)/fuzz/table.txt || \
		{ echo "a fuzz target failed: see $(BUILD)/fuzz/<target>.log and fuzz/artifacts/" >&2; exit 1; }

# What make test runs: every target briefly, to prove they build and hold on their seeds.
fuzz-smoke: ## every fuzz target for 5 seconds (make test)
	$(MAKE) -s fuzz FUZZ_SECONDS=5

# Race and memory checks: tests/race.rs (16 threads, one client, faults mixed in) under
# ThreadSanitizer and AddressSanitizer, std itself instrumented (-Zbuild-std, nightly's
# rust-src), against sandboxes in their own processes. make test runs 16 x 100.
RACE_CALLS ?= 10000
SANITIZE := $(CARGO) +nightly test -q -Zbuild-std --target x86_64-unknown-linux-gnu \
	-p nameauth --test race
race: cli ## 16 threads x RACE_CALLS (10,000) verifies under ThreadSanitizer and ASan
	@test "$$(rustup component list --toolchain nightly --installed | grep -c rust-src)" != 0 || \
		rustup component add rust-src --toolchain nightly
	@for san in thread address; do \
		echo "== $$san sanitizer: 16 threads x $(RACE_CALLS) verifies"; \
		RUSTFLAGS="-Zsanitizer=$$san" CARGO_TARGET_DIR=target/$$san $(SANITIZE) --no-run || exit 1; \
		NAMEAUTH_RACE_CALLS=$(RACE_CALLS) TSAN_OPTIONS="halt_on_error=1" \
		ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" RUSTFLAGS="-Zsanitizer=$$san" \
		CARGO_TARGET_DIR=target/$$san $(PYTHON) tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- \
		$(SANITIZE) || exit 1; \
	done

race-smoke: ## the race test at 16 x 100 (make test)
	$(MAKE) -s race RACE_CALLS=100
