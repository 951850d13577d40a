# nameauth: one entry point for building, testing and installing every front end.
#
#   make demo     the demo: the real client against the built-in sandbox
#   make test     every test of every front end, plus formatting and lints
#   make bench    the core benchmarks and their summary table

CARGO ?= cargo

.PHONY: all demo test lint test-rust bench

all:
	$(CARGO) build --workspace

demo:
	$(CARGO) run -q -p nameauth-cli -- demo

test: lint test-rust

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -q --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test -q --workspace

bench:
	$(CARGO) bench --bench core
	python3 benches/table.py
