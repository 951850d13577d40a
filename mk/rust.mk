# Rust: the core, the CLI and the C libraries; formatting and the lints that read the tree.
# Included from the Makefile.

##@ Rust

.PHONY: lint-rust lint-pipes lint-layers test-rust cli cli-release lib header

lint-rust: ## cargo fmt --check and clippy -D warnings over the workspace
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy -q --workspace --all-targets -- -D warnings

# No pipe whose reader can exit early (`| grep -q`, `| head`): under pipefail the writer
# dies of SIGPIPE and the script fails at random (tools/check_pipes.py says more).
lint-pipes: ## no pipe into a reader that can exit early (tools/check_pipes.py)
	$(PYTHON) tools/check_pipes.py --self-test
	$(PYTHON) tools/check_pipes.py

# The core's layers (docs/architecture.md): a src/ module imports only from the layers
# below it, so no import circle can form; the self-test plants circles and must catch them.
lint-layers: ## src/ modules import only from the layers below (docs/architecture.md)
	$(PYTHON) tools/check_layers.py --self-test
	$(PYTHON) tools/check_layers.py

test-rust: ## cargo test over the workspace: unit, integration and doc tests against sandboxes
	$(CARGO) test -q --workspace

cli: ## the nameauth command line, debug build (target/debug/nameauth)
	$(CARGO) build -q -p nameauth-cli

cli-release: $(TOOLS_READY) ## the command line, release build for glibc 2.17 (cargo-zigbuild)
	$(ZIG_PATH) $(CARGO) zigbuild -q --release --target $(TARGET).$(GLIBC) -p nameauth-cli

# The shared library carries the SONAME libnameauth.so.$(MAJOR); the link lets programs
# linked against $(RELEASE) run from the build tree.
lib: $(TOOLS_READY) ## the C, sandbox and JNI libraries for glibc 2.17 and later (target/x86_64-unknown-linux-gnu/release)
	@echo "==> cargo zigbuild --release --target $(TARGET).$(GLIBC) (the first build takes minutes)"
	$(ZIG_PATH) $(CARGO) zigbuild -q --release --target $(TARGET).$(GLIBC) -p nameauth-ffi \
		-p nameauth-sandbox-ffi -p nameauth-jni
	ln -sf libnameauth.so $(RELEASE)/libnameauth.so.$(MAJOR)
	ln -sf libnameauth_sandbox.so $(RELEASE)/libnameauth_sandbox.so.$(MAJOR)

# What lib builds, as files: a rule that needs the libraries names these, so that it runs
# again only when cargo rewrote one (lib itself always asks cargo, which is quick when
# nothing changed; make reads the files' times after it).
LIB_FILES := $(RELEASE)/libnameauth.so $(RELEASE)/libnameauth.a $(RELEASE)/libnameauth_sandbox.so
$(LIB_FILES): lib ;

header: ## regenerate include/ from crates/ffi and crates/sandbox-ffi (cbindgen)
	NAMEAUTH_UPDATE_HEADERS=1 $(CARGO) build -q -p nameauth-ffi -p nameauth-sandbox-ffi
