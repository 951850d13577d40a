# Node.js: the native addon (crates/node, napi-rs) and the package in bindings/node; the
# sandbox for users' tests is its own addon (crates/node-testing, nameauth/testing).
#
#   make node        both addons (debug) in bindings/node, native.d.ts regenerated
#   make test-node   node --test against the sandbox (bindings/node/test), and
#                    nameauth/testing under Vitest (bindings/node/vitest) and Jest
#                    (bindings/node/jest)
#   make lint-node   biome, tsc --strict over the types and the example, native.d.ts fresh
#
# The development tools (@napi-rs/cli, typescript, biome, @types/node, vitest, jest) come
# from npm into bindings/node/node_modules with `npm ci` (package-lock.json). The published
# package's optionalDependencies entry for its platform package is written by
# tools/dist.sh, so a development install never asks the registry for a platform package.

##@ Node.js

NODE_DIR := bindings/node
NODE_PLATFORM := linux-x64-gnu
NODE_ADDON := $(NODE_DIR)/nameauth.$(NODE_PLATFORM).node
NODE_TESTING_ADDON := $(NODE_DIR)/nameauth-testing.$(NODE_PLATFORM).node
NODE_MODULES := $(NODE_DIR)/node_modules/.package-lock.json
NAPI := cd $(NODE_DIR) && node_modules/.bin/napi

.PHONY: node test-node lint-node node-deps node-release node-pack node-bench bench-peers-smoke-node

$(NODE_MODULES): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "missing: node and npm (Node 20 or later)" >&2; exit 1; }
	cd $(NODE_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node-deps: $(NODE_MODULES) ## npm ci: the Node.js tools into bindings/node/node_modules

# napi build runs cargo and writes the declarations of what crates/node exports.
node: $(NODE_MODULES) ## the Node.js addons (debug) in bindings/node, native.d.ts regenerated
	$(NAPI) build --platform --manifest-path ../../crates/node/Cargo.toml -p nameauth-node \
		--output-dir . --no-js --dts native.d.ts
	$(CARGO) build -q -p nameauth-node-testing
	cp target/debug/libnameauth_node_testing.so $(NODE_TESTING_ADDON)
	@mkdir -p examples/node/node_modules
	ln -sfn ../../../$(NODE_DIR) examples/node/node_modules/nameauth

# UV_THREADPOOL_SIZE as libuv's default, which the abort test's bound reads.
test-node: node cli ## node --test against the sandbox (bindings/node/test)
	cd $(NODE_DIR) && UV_THREADPOOL_SIZE=4 node --expose-gc --test test/
	cd $(NODE_DIR) && node_modules/.bin/vitest run --dir vitest
	cd $(NODE_DIR) && node_modules/.bin/jest --ci --rootDir jest

lint-node: node ## biome, tsc --strict over the types and the example, native.d.ts fresh
	git diff --exit-code -- $(NODE_DIR)/native.d.ts || \
		{ echo "$(NODE_DIR)/native.d.ts is stale: commit what make node generated" >&2; exit 1; }
	cd $(NODE_DIR) && node_modules/.bin/biome check --error-on-warnings . ../../examples/node ../../benches/peers/peers.mjs
	cd $(NODE_DIR) && node_modules/.bin/tsc -p tsconfig.json

# The addons for glibc 2.17 and later, built with zig as make lib builds the C library.
node-release: $(TOOLS_READY) ## the Node.js addons for glibc 2.17 (cargo zigbuild)
	$(ZIG_PATH) $(CARGO) zigbuild -q --release --target $(TARGET).$(GLIBC) -p nameauth-node \
		-p nameauth-node-testing

# Both npm packages in build/node-pack (tools/node_pack.sh); make dist copies them.
node-pack: node-release ## the two npm packages in build/node-pack (npm pack)
	bash tools/node_pack.sh $(VERSION) $(RELEASE) $(BUILD)/node-pack

# bench-peers: the Node.js rows (benches/peers/peers.mjs: nameauth against global fetch +
# crypto md5), from a copy of the package with the release addon.
NODE_BENCH := $(BUILD)/node-bench
node-bench: node-release ## a copy of the package with the release addon, for bench-peers
	rm -rf $(NODE_BENCH) && mkdir -p $(NODE_BENCH)
	cp $(NODE_DIR)/*.js $(NODE_DIR)/*.mjs $(NODE_DIR)/package.json $(NODE_BENCH)/
	cp $(RELEASE)/libnameauth_node.so $(NODE_BENCH)/nameauth.$(NODE_PLATFORM).node
bench-peers: node-bench
bench-peers: PEERS_ARGS += --node-package $(abspath $(NODE_BENCH))

# make test's smoke run of the Node.js peer program (both implementations, steady and
# fresh), so the benchmark cannot rot.
bench-peers-smoke-node: node cli ## the Node.js peer program once, with few calls
	$(PYTHON) tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- sh -c '\
		export NAMEAUTH_NODE_PACKAGE=$(abspath $(NODE_DIR)); \
		out=$$(node benches/peers/peers.mjs steady 200 2 && \
			node benches/peers/peers.mjs first nameauth && node benches/peers/peers.mjs first fetch) && \
		test "$$(echo "$$out" | grep -c -E "\"impl\":\"(nameauth|fetch)\",\"(cpu_us|first_ms)\"")" = 4 || \
		{ echo "bench-peers-smoke-node: $$out" >&2; exit 1; }'
bench-peers-smoke: bench-peers-smoke-node
