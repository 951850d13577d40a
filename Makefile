# nameauth: one entry point for building, testing and installing every front end.
#
#   make demo                 the demo: the real client against the built-in sandbox
#   make test                 every test of every front end, plus formatting and lints
#   make lib                  the C library, for glibc 2.17 and later (cargo-zigbuild), in
#                             target/x86_64-unknown-linux-gnu/release
#   make dist                 every artifact in dist/; make dist-check tries each from there
#   make examples             the C and C++ verify examples, in build/examples
#   make install PREFIX=/usr/local   headers, libraries, nameauth.pc and nameauth-static.pc
#   make header               regenerate include/ from crates/ffi/src/lib.rs
#   make wheel                the Python wheel (abi3, CPython 3.8+, manylinux2014), build/wheels
#   make java                 the Java jar and the compiled Java example
#   make bench                the core benchmarks and their summary table
#   make bench-python         nameauth against a requests + hashlib loop, client CPU
#   make bench-batch          nameauth batch over 100,000 rows at concurrency 64, checked
#   make bench-peers          nameauth against each language's hand-written client, one table
#   make strace               system calls per verify (strace -c of 1,000 verifies)
#   make fuzz FUZZ_SECONDS=N  every cargo-fuzz target for N seconds (default 120), a table
#   make race                 16 threads x 10,000 verifies under ThreadSanitizer and ASan

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

.PHONY: fuzz fuzz-smoke race race-smoke deps test-php-fpm cli-release dist dist-check bench-batch strace \
        bench-peers bench-peers-smoke peers-build
.PHONY: all demo test lint lint-rust lint-python lint-java lint-php lint-pipes lint-layers test-rust lib header \
        examples test-c test-install test-conformance test-conformance-endpoint install bench bench-python clean cli \
        wheel venv test-python jar-native java test-java test-php

all: lib cli

# cargo shows its progress: the first build takes about a minute.
demo:
	$(CARGO) build -p nameauth-cli
	$(NAMEAUTH_BIN) demo

test: deps lint test-rust test-c test-install test-python test-java test-php test-php-fpm \
      test-conformance dist-check fuzz-smoke race-smoke bench-peers-smoke test-node test-go

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

deps:
	@$(call apt_install,$(APT_NEED))
	@php -r 'exit(extension_loaded("ffi") ? 0 : 1);' || \
		{ echo "missing: the PHP FFI extension (php -m lists no FFI)" >&2; exit 1; }

lint: lint-rust lint-python lint-java lint-php lint-pipes lint-layers lint-node lint-go

# No pipe whose reader can exit early (`| grep -q`, `| head`): under pipefail the writer
# dies of SIGPIPE and the script fails at random (tools/check_pipes.py says more).
lint-pipes:
	$(PYTHON) tools/check_pipes.py --self-test
	$(PYTHON) tools/check_pipes.py

# The core's layers (docs/architecture.md): a src/ module imports only from the layers
# below it, so no import circle can form; the self-test plants circles and must catch them.
lint-layers:
	$(PYTHON) tools/check_layers.py --self-test
	$(PYTHON) tools/check_layers.py

lint-rust:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -q --workspace --all-targets -- -D warnings

# Build tools (maturin, ruff) live in their own venv; the wheel is tested in a fresh one.
TOOLS := $(BUILD)/tools
VENV := $(BUILD)/venv
# The last tool installed marks the venv complete.
TOOLS_READY := $(TOOLS)/bin/cargo-zigbuild
$(TOOLS_READY):
	test -x $(TOOLS)/bin/pip || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q maturin ruff ziglang abi3audit cargo-zigbuild
# The tools venv first on PATH: cargo-zigbuild, and zig through its python (-m ziglang).
ZIG_PATH := PATH=$(abspath $(TOOLS))/bin:$$PATH

lint-python: $(TOOLS_READY)
	$(TOOLS)/bin/ruff check .
	$(TOOLS)/bin/ruff format --check .

wheel: $(TOOLS_READY)
	rm -rf $(BUILD)/wheels
	$(ZIG_PATH) $(TOOLS)/bin/maturin build -q --release --zig --compatibility manylinux2014 \
		-i $(abspath $(TOOLS))/bin/python -m bindings/python/Cargo.toml -o $(BUILD)/wheels

# A fresh virtual environment with the wheel and the test tools.
venv: wheel
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q $(BUILD)/wheels/nameauth-*.whl pytest mypy requests

# The extension module calls the core directly: it must export no C ABI symbol.
test-python: venv cli
	@! nm -D --defined-only $$(find $(VENV) -name '_nameauth*.so') | grep ' nameauth_'
	cd $(BUILD) && venv/bin/python -m mypy.stubtest nameauth
	cd $(BUILD) && venv/bin/python -m mypy --strict -p nameauth
	$(VENV)/bin/python -m mypy --strict examples/python/verify.py
	$(PYTHON) tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- \
		$(VENV)/bin/python -m pytest -q -p no:cacheprovider bindings/python/tests

test-rust:
	$(CARGO) test -q --workspace

cli:
	$(CARGO) build -q -p nameauth-cli

# The shared library carries the SONAME libnameauth.so.$(MAJOR); the link lets programs
# linked against $(RELEASE) run from the build tree.
lib: $(TOOLS_READY)
	@echo "==> cargo zigbuild --release --target $(TARGET).$(GLIBC) (the first build takes minutes)"
	$(ZIG_PATH) $(CARGO) zigbuild -q --release --target $(TARGET).$(GLIBC) -p nameauth-ffi \
		-p nameauth-sandbox-ffi -p nameauth-jni
	ln -sf libnameauth.so $(RELEASE)/libnameauth.so.$(MAJOR)
	ln -sf libnameauth_sandbox.so $(RELEASE)/libnameauth_sandbox.so.$(MAJOR)

header:
	NAMEAUTH_UPDATE_HEADERS=1 $(CARGO) build -q -p nameauth-ffi -p nameauth-sandbox-ffi

examples: lib
	mkdir -p $(BUILD)/examples
	$(CC) examples/c/verify.c -Iinclude -L$(RELEASE) -lnameauth $(RPATH) \
		-o $(BUILD)/examples/verify-c
	$(CXX) -std=c++17 examples/cpp/verify.cpp -Iinclude -L$(RELEASE) -lnameauth $(RPATH) \
		-o $(BUILD)/examples/verify-cpp

# crates/ffi/tests/c/test_abi.c as C99 and C++17, linked dynamically and statically, plus an
# AddressSanitizer build; all run against sandboxes, and the C99 one under valgrind.
C_TEST_SRC := crates/ffi/tests/c/test_abi.c
C_TESTS := $(BUILD)/c/test_abi_c $(BUILD)/c/test_abi_c_static $(BUILD)/c/test_abi_cpp \
           $(BUILD)/c/test_abi_cpp_static $(BUILD)/c/test_abi_asan
# The headers test_abi.c includes.
$(C_TESTS): crates/ffi/tests/c/cases.h crates/ffi/tests/c/cancel.h

$(BUILD)/c/test_abi_c: $(C_TEST_SRC) include/nameauth.h lib
	@mkdir -p $(BUILD)/c
	$(CC) -std=c99 $(WARN) -Iinclude $< -L$(RELEASE) -lnameauth -lpthread $(RPATH) -o $@
$(BUILD)/c/test_abi_c_static: $(C_TEST_SRC) include/nameauth.h lib
	@mkdir -p $(BUILD)/c
	$(CC) -std=c99 $(WARN) -Iinclude $< $(RELEASE)/libnameauth.a $(STATIC_LIBS) -o $@
$(BUILD)/c/test_abi_cpp: $(C_TEST_SRC) include/nameauth.h lib
	@mkdir -p $(BUILD)/c
	$(CXX) -x c++ -std=c++17 $(WARN) -Iinclude $< -x none -L$(RELEASE) -lnameauth -lpthread \
		$(RPATH) -o $@
$(BUILD)/c/test_abi_cpp_static: $(C_TEST_SRC) include/nameauth.h lib
	@mkdir -p $(BUILD)/c
	$(CXX) -x c++ -std=c++17 $(WARN) -Iinclude $< -x none $(RELEASE)/libnameauth.a \
		$(STATIC_LIBS) -o $@
$(BUILD)/c/test_abi_asan: $(C_TEST_SRC) include/nameauth.h lib
	@mkdir -p $(BUILD)/c
	$(CC) -std=c99 $(WARN) -g -fsanitize=address,undefined -fno-omit-frame-pointer -Iinclude \
		$< -L$(RELEASE) -lnameauth -lpthread $(RPATH) -o $@

VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full \
            --suppressions=crates/ffi/tests/c/valgrind.supp \
            --errors-for-leak-kinds=definite,indirect,possible \
            --show-leak-kinds=definite,indirect,possible

$(BUILD)/c/test_sandbox: crates/sandbox-ffi/tests/c/test_sandbox.c include/nameauth_sandbox.h lib
	@mkdir -p $(BUILD)/c
	$(CC) -std=c99 $(WARN) -Iinclude $< -L$(RELEASE) -lnameauth_sandbox -lnameauth $(RPATH) -o $@

test-c: $(C_TESTS) $(BUILD)/c/test_sandbox examples cli
	@echo "== exported symbols and SONAMEs of $(RELEASE)/libnameauth.so, libnameauth_sandbox.so," \
		"libnameauth_jni.so"
	@! nm -D --defined-only $(RELEASE)/libnameauth.so | awk '{print $$3}' | grep -v '^nameauth_'
	@test "$$(readelf -d $(RELEASE)/libnameauth.so | grep -c 'SONAME.*\[libnameauth.so.$(MAJOR)\]')" = 1
	@! nm -D --defined-only $(RELEASE)/libnameauth_sandbox.so | awk '{print $$3}' | \
		grep -v -E '^(nameauth_sandbox_|Java_org_nameauth_testing_SandboxNative_)'
	@! nm -D --defined-only $(RELEASE)/libnameauth_jni.so | awk '{print $$3}' | \
		grep -v -E '^(Java_org_nameauth_Jni_|JNI_OnUnload$$)'
	@test "$$(readelf -d $(RELEASE)/libnameauth_sandbox.so | \
		grep -c 'SONAME.*\[libnameauth_sandbox.so.$(MAJOR)\]')" = 1
	$(BUILD)/c/test_sandbox
	@for t in $(C_TESTS); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1 python3 tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- $$t \
			|| exit 1; \
	done
	@echo "== valgrind $(BUILD)/c/test_abi_c"
	python3 tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- $(VALGRIND) $(BUILD)/c/test_abi_c

# Copies what make lib built (no cargo here, so sudo make install builds nothing as root).
install:
	@test -f $(RELEASE)/libnameauth.so || \
		{ echo "$(RELEASE)/libnameauth.so is missing: run make lib first" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/nameauth.h include/nameauth_decls.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(RELEASE)/libnameauth.so $(DESTDIR)$(PREFIX)/lib/libnameauth.so.$(VERSION)
	ln -sf libnameauth.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libnameauth.so.$(MAJOR)
	ln -sf libnameauth.so.$(MAJOR) $(DESTDIR)$(PREFIX)/lib/libnameauth.so
	install -d $(DESTDIR)$(PREFIX)/lib/nameauth
	install -m 644 $(RELEASE)/libnameauth.a $(DESTDIR)$(PREFIX)/lib/nameauth/
	ln -sf nameauth/libnameauth.a $(DESTDIR)$(PREFIX)/lib/libnameauth.a
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@STATIC_LIBS@|$(STATIC_LIBS)|' crates/ffi/nameauth.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/nameauth.pc
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@STATIC_LIBS@|$(STATIC_LIBS)|' crates/ffi/nameauth-static.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/nameauth-static.pc
	install -m 644 include/nameauth_sandbox.h $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(RELEASE)/libnameauth_sandbox.so \
		$(DESTDIR)$(PREFIX)/lib/libnameauth_sandbox.so.$(VERSION)
	ln -sf libnameauth_sandbox.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libnameauth_sandbox.so.$(MAJOR)
	ln -sf libnameauth_sandbox.so.$(MAJOR) $(DESTDIR)$(PREFIX)/lib/libnameauth_sandbox.so
	install -d $(DESTDIR)$(PREFIX)/lib/cmake/nameauth
	for f in nameauthConfig nameauthConfigVersion; do \
		sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@MAJOR@|$(MAJOR)|g' -e 's|@LIBDIR@|lib|g' \
			crates/ffi/cmake/$$f.cmake.in > $(DESTDIR)$(PREFIX)/lib/cmake/nameauth/$$f.cmake; \
	done
	@echo "installed into $(DESTDIR)$(PREFIX); run ldconfig (as root) so that programs find \
	libnameauth.so.$(MAJOR)"

# Install into a scratch prefix, build the C example with pkg-config against the
# installed copy only, and ask the sandbox through it.
STAGE := $(abspath $(BUILD)/stage)
test-install: lib cli
	rm -rf $(STAGE)
	$(MAKE) -s install PREFIX=$(STAGE)
	PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig sh -c \
		'$(CC) examples/c/verify.c $$(pkg-config --cflags --libs nameauth) -o $(STAGE)/verify'
	@test "$$(readelf -d $(STAGE)/verify | grep -c 'libnameauth.so.$(MAJOR)')" = 1
	PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig sh -c \
		'$(CC) examples/c/verify.c $$(pkg-config --cflags --libs nameauth-static) -o $(STAGE)/verify-static'
	@test "$$(readelf -d $(STAGE)/verify-static | grep -c 'libnameauth')" = 0
	python3 tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- sh -c \
		'test "$$($(STAGE)/verify-static oZhangSan 张三 110101199003074477 | grep -c "\"code\":\"A\"")" = 1'
	@echo "== pkg-config --static with the prefix as a system library directory (the .deb)"
	PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig PKG_CONFIG_SYSTEM_LIBRARY_PATH=$(STAGE)/lib sh -c \
		'$(CC) examples/c/verify.c $$(pkg-config --cflags --static --libs nameauth) -o $(STAGE)/verify-st2'
	@test "$$(readelf -d $(STAGE)/verify-st2 | grep -c 'libnameauth')" = 0
	LD_LIBRARY_PATH=$(STAGE)/lib python3 tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- sh -c \
		'test "$$($(STAGE)/verify oZhangSan 张三 110101199003074477 | tee /dev/stderr | grep -c "\"code\":\"A\"")" = 1'

# Java: JNI into the core (crates/jni, carried in the jar); the library and the example
# compile for Java 8.
JAVA_DIR := bindings/java
MVN ?= mvn -q -B
JAR := $(abspath $(JAVA_DIR)/target/nameauth-$(VERSION).jar)
# The jar's libraries without the debug information of Rust's std (the symbol table
# stays): less to copy out of the jar at each JVM's first call.
JAR_NATIVE := $(abspath $(BUILD)/jar-native)
jar-native: lib
	mkdir -p $(JAR_NATIVE)
	for l in libnameauth_jni.so libnameauth_sandbox.so; do \
		objcopy --strip-debug $(RELEASE)/$$l $(JAR_NATIVE)/$$l || exit 1; done
java: jar-native
	mkdir -p $(BUILD)
	cd $(JAVA_DIR) && $(MVN) -DskipTests -Dnameauth.native.dir=$(JAR_NATIVE) \
		package dependency:build-classpath \
		-DincludeScope=runtime -Dmdep.outputFile=$(abspath $(BUILD)/java-deps.txt)
	javac --release 8 -Xlint:all,-options -Werror -encoding UTF-8 -d $(BUILD)/java-examples \
		-cp $(JAR):$$(cat $(BUILD)/java-deps.txt) examples/java/Verify.java
	echo "$(abspath $(BUILD)/java-examples):$(JAR):$$(cat $(BUILD)/java-deps.txt)" \
		> $(BUILD)/java-classpath.txt

# No library setting: the tests load the libraries from the class path, as the jar does.
test-java: jar-native cli
	cd $(JAVA_DIR) && $(PYTHON) ../../tools/with_sandbox.py --bin $(abspath $(NAMEAUTH_BIN)) -- \
		$(MVN) test -Dnameauth.native.dir=$(JAR_NATIVE)

# google-java-format over the binding and the example (one jar; Spotless cannot reach
# files outside the Maven project).
GJF_VERSION := 1.28.0
GJF := $(TOOLS)/google-java-format-$(GJF_VERSION)-all-deps.jar
GJF_JAVA := java $(foreach p,api code file parser tree util,\
	--add-exports=jdk.compiler/com.sun.tools.javac.$(p)=ALL-UNNAMED)
$(GJF):
	cd $(JAVA_DIR) && $(MVN) dependency:copy -DoutputDirectory=$(abspath $(TOOLS)) \
		-Dartifact=com.google.googlejavaformat:google-java-format:$(GJF_VERSION):jar:all-deps

lint-java: $(GJF)
	$(GJF_JAVA) -jar $(GJF) --dry-run --set-exit-if-changed \
		$$(find $(JAVA_DIR)/src examples/java benches/peers -name '*.java')

# PHP: FFI over the C library and include/nameauth_decls.h.
PHP_SOURCES := bindings/php/src bindings/php/tests bindings/php/autoload.php \
               bindings/php/preload.php examples/php benches/peers
test-php: lib cli
	NAMEAUTH_LIBRARY=$(abspath $(RELEASE))/libnameauth.so $(PYTHON) tools/with_sandbox.py \
		--bin $(NAMEAUTH_BIN) -- phpunit -c bindings/php/phpunit.xml.dist

# The binding under php-fpm with PHP's default ffi.enable=preload, set up as the README says.
test-php-fpm: lib cli
	NAMEAUTH_LIBRARY_DIR=$(abspath $(RELEASE)) $(PYTHON) tools/with_sandbox.py \
		--bin $(NAMEAUTH_BIN) -- $(PYTHON) bindings/php/tests/fpm/run.py

lint-php:
	@for f in $$(find $(PHP_SOURCES) -name '*.php'); do \
		php -l $$f > /dev/null || exit 1; done
	phpcs --standard=PSR12 -n $(PHP_SOURCES)

# One case table through all six front ends (the Python one needs `make venv` first,
# which `make test` has done).
test-conformance: examples java cli node go-example
	@test -x $(VENV)/bin/python || $(MAKE) -s venv
	$(PYTHON) tests/conformance/run.py --frontends cli,c,cpp,python,java,php,node,go
	$(MAKE) -s test-conformance-endpoint

# The runner against a sandbox started on its own (NAMEAUTH_ENDPOINT set, as a user runs
# it), through the CLI: checks the counts it prints (tools/conformance_endpoint.py).
test-conformance-endpoint: cli
	$(PYTHON) tools/conformance_endpoint.py --bin $(NAMEAUTH_BIN)

# Fuzzing (cargo-fuzz on nightly, libFuzzer with ASan): each target runs from a copy of
# its committed seed corpus in build/fuzz, so runs never rewrite fuzz/corpus.
FUZZ_TARGETS := response options validate query ffi
FUZZ_TARGETS += batch_input
FUZZ_SECONDS ?= 120
CARGO_FUZZ := $(HOME)/.cargo/bin/cargo-fuzz
$(CARGO_FUZZ):
	command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install -q cargo-fuzz --locked

fuzz: $(CARGO_FUZZ)
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
fuzz-smoke:
	$(MAKE) -s fuzz FUZZ_SECONDS=5

# Race and memory checks: tests/race.rs (16 threads, one client, faults mixed in) under
# ThreadSanitizer and AddressSanitizer, std itself instrumented (-Zbuild-std, nightly's
# rust-src), against sandboxes in their own processes. make test runs 16 x 100.
RACE_CALLS ?= 10000
SANITIZE := $(CARGO) +nightly test -q -Zbuild-std --target x86_64-unknown-linux-gnu \
	-p nameauth --test race
race: cli
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

race-smoke:
	$(MAKE) -s race RACE_CALLS=100

# Release artifacts (see tools/dist.sh) and trying each as a new user would (from dist/
# alone, against the sandbox; tools/dist_check.sh).
bench-batch: cli-release
	$(PYTHON) tools/bench_batch.py --bin $(RELEASE)/nameauth --rows $(BATCH_ROWS) \
		--concurrency $(BATCH_CONCURRENCY)

strace: cli
	bash tools/strace_verifies.sh 1000 $(NAMEAUTH_BIN)

# nameauth against the client each language's shops write by hand (benches/peers/), one
# table; needs libcurl's headers and PHP's curl extension, installed here when missing.
PEERS_APT := libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h \
	php-curl:/etc/php/8.2/mods-available/curl.ini
peers-build: deps lib java
	@$(call apt_install,$(PEERS_APT))
	$(CC) -O2 -Wall -Wextra -Werror -Iinclude benches/peers/peers.c -o $(BUILD)/peers-c \
		-L$(RELEASE) -lnameauth -lcurl -lcrypto -Wl,-rpath,$(abspath $(RELEASE))
	rm -rf $(BUILD)/peers-java && mkdir -p $(BUILD)/peers-java
	javac --release 11 -Xlint:all -Werror -encoding UTF-8 -d $(BUILD)/peers-java -cp $(JAR) \
		benches/peers/Peers.java

PEERS_ARGS = --c $(BUILD)/peers-c --java-cp $(abspath $(BUILD)/peers-java):$(JAR) \
	--python $(VENV)/bin/python --library-dir $(abspath $(RELEASE))

bench-peers: peers-build venv cli-release
	$(PYTHON) tools/bench_peers.py --bin $(RELEASE)/nameauth $(PEERS_ARGS)

# make test: every peer program once, with few calls, so the benchmark cannot rot.
bench-peers-smoke: peers-build cli
	@test -x $(VENV)/bin/python || $(MAKE) -s venv
	$(PYTHON) tools/bench_peers.py --bin $(NAMEAUTH_BIN) $(PEERS_ARGS) --calls 200 \
		--java-calls 600 --rounds 2 --fresh 1 > $(BUILD)/bench-peers-smoke.txt
	@test "$$(grep -c '^|' $(BUILD)/bench-peers-smoke.txt)" = 20 || \
		{ cat $(BUILD)/bench-peers-smoke.txt; echo "bench-peers-smoke: rows missing"; exit 1; }

BATCH_ROWS ?= 100000
BATCH_CONCURRENCY ?= 64

cli-release: $(TOOLS_READY)
	$(ZIG_PATH) $(CARGO) zigbuild -q --release --target $(TARGET).$(GLIBC) -p nameauth-cli

# cargo-deb (crates.io) packs the .deb; installed once, like cargo-fuzz.
CARGO_DEB := $(HOME)/.cargo/bin/cargo-deb
$(CARGO_DEB):
	command -v cargo-deb >/dev/null 2>&1 || $(CARGO) install -q cargo-deb --locked

dist: lib cli-release wheel java $(CARGO_DEB) node-pack
	cd $(JAVA_DIR) && $(MVN) -DskipTests -Dnameauth.native.dir=$(JAR_NATIVE) install
	bash tools/dist.sh $(VERSION) $(MAJOR) $(RELEASE) $(TOOLS) "$(STATIC_LIBS)" \
		"$$(command -v cargo-deb || echo $(CARGO_DEB))"

dist-check: dist cli
	$(PYTHON) tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- \
		bash tools/dist_check.sh $(VERSION) $(TOOLS) $(PYTHON)

bench:
	$(CARGO) bench --bench core
	$(PYTHON) benches/table.py

bench-python: cli
	$(VENV)/bin/python benches/python_vs_requests.py --bin $(NAMEAUTH_BIN)

clean:
	$(CARGO) clean
	rm -rf $(BUILD)
include mk/go.mk
include mk/node.mk
