# Go: bindings/go (cgo over the C ABI), examples/go, the Go peer. Included from the Makefile.
#
#   make test-go     go test -race against sandboxes, the CGO_ENABLED=0 build and its test,
#                    the `dynamic` tag against an installed copy (pkg-config), the example
#   make lint-go     gofmt -l (must print nothing), go vet (with and without cgo), staticcheck

GO ?= go
GO_DIR := bindings/go
GO_EXAMPLES := examples/go
GO_SOURCES := $(GO_DIR) $(GO_EXAMPLES) benches/peers/go
# The module carries the glibc-2.17 static archive and the header, copied from the build
# (git-ignored, never committed; `make dist` puts them in the module zip). Debug sections
# are dropped: a third of the size, and nothing a Go program's stack traces use.
GO_LIB := $(GO_DIR)/lib/linux_amd64/libnameauth.a
GO_HEADER := $(GO_DIR)/include/nameauth.h
GO_TOOLS := $(abspath $(BUILD))/go-tools
# staticcheck 2026.1.x (v0.8) is the first that reads Go 1.26 code; from the module proxy.
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(GO_TOOLS)/staticcheck
GO_STAGE := $(abspath $(BUILD))/go-stage
# Go's build cache keys a cgo package by its sources and flags, not by the static archive
# its LDFLAGS name: after the library is rebuilt, `go build -o` keeps an existing binary
# linked with the old one (it relinks only an output whose build ID no longer matches).
# The archive's hash in CGO_CFLAGS makes each archive a cache key of its own.
GO_CGO = env CGO_CFLAGS="-O2 -g -DNAMEAUTH_ARCHIVE_$$(sha256sum $(abspath $(GO_LIB)) | cut -c1-16)"

##@ Go

.PHONY: go-lib go-example peers-go test-go lint-go

go-lib: lib ## the static archive, libnameauth_sandbox.so and the header into bindings/go (git-ignored)
	@mkdir -p $(dir $(GO_LIB)) $(dir $(GO_HEADER))
	objcopy --strip-debug $(RELEASE)/libnameauth.a $(GO_LIB)
	objcopy --strip-debug $(RELEASE)/libnameauth_sandbox.so $(dir $(GO_LIB))libnameauth_sandbox.so
	cp include/nameauth.h $(GO_HEADER)

$(STATICCHECK):
	GOBIN=$(GO_TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint-go: go-lib $(STATICCHECK) ## gofmt -l, go vet (with and without cgo) and staticcheck over the Go code
	@out=$$(gofmt -l $(GO_SOURCES)); test -z "$$out" || { echo "gofmt -l: $$out" >&2; exit 1; }
	cd $(GO_DIR) && $(GO) vet ./... && CGO_ENABLED=0 $(GO) vet ./... && $(STATICCHECK) ./...
	cd $(GO_EXAMPLES) && $(GO) vet ./... && $(STATICCHECK) ./...
	cd benches/peers/go && $(GO) vet ./... && $(STATICCHECK) ./...

# examples/go/verify, the Go row of make test-conformance.
go-example: go-lib ## examples/go/verify into build/go (the Go row of test-conformance)
	cd $(GO_EXAMPLES) && $(GO_CGO) $(GO) build -o $(abspath $(BUILD))/go/verify ./verify

# The Go program of make bench-peers (benches/peers/go: nameauth against a kept-alive
# net/http client and crypto/md5): built with the other peers, its rows in the table.
peers-go: go-lib ## benches/peers/go into build/peers-go (the Go rows of bench-peers)
	cd benches/peers/go && $(GO_CGO) $(GO) build -o $(abspath $(BUILD))/peers-go .
peers-build: peers-go
PEERS_ARGS += --go $(BUILD)/peers-go

test-go: go-example cli ## go test -race against the sandbox, the CGO_ENABLED=0 build, the dynamic tag
	cd $(GO_DIR) && $(PYTHON) ../../tools/with_sandbox.py --bin $(abspath $(NAMEAUTH_BIN)) -- \
		$(GO_CGO) $(GO) test -race -count=1 ./...
	@echo "== CGO_ENABLED=0: the module compiles, and every call says cgo is needed"
	cd $(GO_DIR) && CGO_ENABLED=0 $(GO) build ./... && CGO_ENABLED=0 $(GO) test -count=1 ./...
	@echo "== -tags dynamic: the system library through pkg-config (an installed copy)"
	rm -rf $(GO_STAGE)
	$(MAKE) -s install PREFIX=$(GO_STAGE)
	cd $(GO_EXAMPLES) && PKG_CONFIG_PATH=$(GO_STAGE)/lib/pkgconfig $(GO) build -tags dynamic \
		-o $(GO_STAGE)/verify-dynamic ./verify
	@test "$$(readelf -d $(GO_STAGE)/verify-dynamic | grep -c 'libnameauth.so.$(MAJOR)')" = 1
	LD_LIBRARY_PATH=$(GO_STAGE)/lib $(PYTHON) tools/with_sandbox.py --bin $(NAMEAUTH_BIN) -- sh -c \
		'out=$$($(GO_STAGE)/verify-dynamic oZhangSan 张三 110101199003074477); echo "$$out"; \
		case $$out in *\"code\":\"A\"*) ;; *) exit 1 ;; esac'
