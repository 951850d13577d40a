# Release artifacts (tools/dist.sh) and trying each as a new user would (from dist/ alone,
# against the sandbox; tools/dist_check.sh). docs/packaging.md describes them.
# Included from the Makefile.

##@ Packaging

.PHONY: dist dist-check

# cargo-deb (crates.io) packs the .deb; installed once, like cargo-fuzz.
CARGO_DEB := $(HOME)/.cargo/bin/cargo-deb
$(CARGO_DEB):
	command -v cargo-deb >/dev/null 2>&1 || $(CARGO) install -q cargo-deb --locked

dist: lib cli-release wheel java $(CARGO_DEB) node-pack ## every artifact in dist/: wheel, sdist, jar, .deb, tarball
	cd $(JAVA_DIR) && $(MVN) -DskipTests -Dnameauth.native.dir=$(JAR_NATIVE) install
	bash tools/dist.sh $(VERSION) $(MAJOR) $(RELEASE) $(TOOLS) "$(STATIC_LIBS)" \
		"$$(command -v cargo-deb || echo $(CARGO_DEB))"

dist-check: dist cli ## try each artifact from dist/ alone against the sandbox; glibc 2.17 at most
	$(PYTHON) tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- \
		bash tools/dist_check.sh $(VERSION) $(TOOLS) $(PYTHON)
