# nameauth: one entry point for building, testing and installing every front end.
#
#   make demo     the demo: the real client against the built-in sandbox
#   make test     every test of every front end, plus formatting and lints (installs what
#                 the machine lacks, fuzzes, runs the sanitizers, builds and tries dist/)
#   make check    the fast loop: formatting, lints, the Rust tests and the binding tests
#                 against the sandbox (docs/testing.md)
#   make help     every target, one line each (from the `## ` comments)
#
# The targets of each area live in mk/*.mk, included at the end.

CARGO ?= cargo
PYTHON ?= python3
CC ?= cc
CXX ?= c++
PREFIX ?= /usr/local
DESTDIR ?=

VERSION := $(shell sed -n '/^version = "/{s/^version = "\(.*\)"/\1/p;q;}' Cargo.toml)
MAJOR := $(word 1,$(subst ., ,$(VERSION)))
# Everything shipped links glibc 2.17 at most (CentOS 7, RHEL 8, Ubuntu 20.04, Debian 11):
# cargo-zigbuild and maturin --zig link against that glibc with PyPI's ziglang.
TARGET := x86_64-unknown-linux-gnu
GLIBC := 2.17
RELEASE := target/$(TARGET)/release
BUILD := build
NAMEAUTH_BIN := target/debug/nameauth
# What a program linking libnameauth.a also needs (cargo rustc -- --print native-static-libs).
STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
WARN := -Wall -Wextra -Wpedantic -Werror
RPATH := -Wl,-rpath,$(abspath $(RELEASE))

# Build tools (maturin, ruff, cargo-zigbuild) live in their own venv; the wheel is tested
# in a fresh one.
TOOLS := $(BUILD)/tools
VENV := $(BUILD)/venv
# The last tool installed marks the venv complete.
TOOLS_READY := $(TOOLS)/bin/cargo-zigbuild
# The tools venv first on PATH: cargo-zigbuild, and zig through its python (-m ziglang).
ZIG_PATH := PATH=$(abspath $(TOOLS))/bin:$$PATH

.PHONY: all help demo test check deps lint lint-docs clean

all: lib cli ## the C libraries and the command line (what plain `make` builds)

##@ Start here

help: ## this list: every target, one line each
	@awk -f tools/make_help.awk $(MAKEFILE_LIST)

# cargo shows its progress: the first build takes about a minute.
demo: ## the real client against the built-in sandbox, one sample user per verdict
	$(CARGO) build -p nameauth-cli
	$(NAMEAUTH_BIN) demo

test: deps lint test-rust test-c test-install test-python test-java test-php test-php-fpm \
      test-conformance dist-check fuzz-smoke race-smoke bench-peers-smoke test-node test-go ## everything: the full suite CI runs (.ci/run)

# The fast loop: no system package installed, no fuzzing, no sanitizer, no dist/ (make
# test runs those). CHECK_TIME is what it took, measured as docs/testing.md says.
CHECK_TIME := 6 to 7 minutes (411 s and 353 s on 2026-11-30: 2 cores, other builds running, libraries already built)
check: lint test-rust test-c-quick test-python test-java test-php test-conformance ## the fast loop (6 to 7 min): format, lints, Rust tests, binding tests against the sandbox
	@echo "make check: passed (it takes $(CHECK_TIME); make test runs everything)"

# What a fresh machine of this kind lacks, from Debian's packages (package:command).
APT_NEED := php-cli:php phpunit:phpunit php-codesniffer:phpcs pkg-config:pkg-config \
            php-psr-log:/usr/share/php/Psr/Log/autoload.php \
            php8.2-fpm:php-fpm8.2 libfcgi-bin:cgi-fcgi
# Installs from Debian each package:path of $(1) whose command or file is missing.
apt_install = need=""; for p in $(1); do \
		{ command -v $${p\#*:} || test -e $${p\#*:}; } >/dev/null 2>&1 || need="$$need $${p%%:*}"; \
	done; \
	if [ -n "$$need" ]; then \
		echo "==> apt-get install$$need"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$need >/dev/null; \
	fi

deps: ## install what the machine lacks from Debian (PHP with FFI, php-fpm, PHPUnit, ...)
	@$(call apt_install,$(APT_NEED))
	@php -r 'exit(extension_loaded("ffi") ? 0 : 1);' || \
		{ echo "missing: the PHP FFI extension (php -m lists no FFI)" >&2; exit 1; }

lint: lint-rust lint-python lint-java lint-php lint-pipes lint-layers lint-node lint-go lint-docs ## every linter and formatter check

# Every code block of README.md and docs/ is run by a test or copied from a file the
# tests build and run (tools/check_snippets.py says which, from a marker line per block).
lint-docs: ## every code block in README.md and docs/ is tested or taken from a tested file
	$(PYTHON) tools/check_snippets.py --self-test
	$(PYTHON) tools/check_snippets.py

clean: ## cargo clean and rm -rf build
	$(CARGO) clean
	rm -rf $(BUILD)

$(TOOLS_READY):
	test -x $(TOOLS)/bin/pip || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q maturin ruff ziglang abi3audit cargo-zigbuild

include mk/rust.mk mk/c.mk mk/python.mk mk/java.mk mk/php.mk mk/conformance.mk mk/dist.mk \
	mk/fuzz.mk mk/bench.mk
include mk/go.mk
include mk/node.mk
