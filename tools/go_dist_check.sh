#!/usr/bin/env bash
# dist-check, Go: a new program `go get`s the module from dist/goproxy alone, in a fresh
# GOPATH, module cache and build cache, with no cargo on PATH, and verifies against the
# sandbox of the environment (tools/with_sandbox.py); a test of it uses nameauthtest's
# in-process sandbox from the module's own copy of libnameauth_sandbox.
#   bash tools/go_dist_check.sh DIST_DIR VERSION
set -euo pipefail
DIST=$(cd "$1" && pwd) VERSION=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MOD=$(sed -n 's/^module //p' "$ROOT/bindings/go/go.mod")
GO=$(command -v go)
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK"; rm -rf "$WORK"' EXIT
# PATH: the Go toolchain and the system's tools only (no ~/.cargo/bin, no build tree).
export PATH="$(dirname "$(readlink -f "$GO")"):/usr/local/bin:/usr/bin:/bin"
if command -v cargo >/dev/null 2>&1; then
  echo "FAIL: cargo is still on PATH ($(command -v cargo))" >&2
  exit 1
fi
export GOPATH=$WORK/gopath GOMODCACHE=$WORK/gopath/pkg/mod GOCACHE=$WORK/gocache
export GOPROXY=file://$DIST/goproxy GOFLAGS=-mod=mod GONOSUMDB=$MOD GOSUMDB=off GOTOOLCHAIN=local
unset NAMEAUTH_SANDBOX_LIBRARY
mkdir -p "$WORK/probe"
cd "$WORK/probe"
cat > main.go <<GO
package main

import (
	"context"
	"fmt"
	"os"

	nameauth "$MOD"
)

func main() {
	c, err := nameauth.FromEnv()
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	defer c.Close()
	v, err := c.Verify(context.Background(), "oZhangSan", "张三", "110101199003074477")
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	fmt.Println(v.Code)
}
GO
cat > main_test.go <<GO
package main

import (
	"context"
	"testing"

	nameauth "$MOD"
	"$MOD/nameauthtest"
)

func TestWithTheModulesSandbox(t *testing.T) {
	sb := nameauthtest.NewSandbox(t)
	c, err := nameauth.New(sb.AppID, sb.Src, sb.Key, nameauth.WithEndpoint(sb.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v, err := c.Verify(context.Background(), "oZhangSan", "张三", "110101199003074477")
	if err != nil || v.Code != "A" || sb.Requests() != 1 {
		t.Fatalf("%v %v %d", v, err, sb.Requests())
	}
}
GO
go mod init example.com/probe >/dev/null 2>&1
go get "$MOD@v$VERSION" >/dev/null 2>&1 || go get "$MOD@v$VERSION"
go build -o probe .
out=$(./probe)
if [ "$out" != A ]; then
  echo "FAIL: the go get'd module printed: $out" >&2
  exit 1
fi
dyn=$(readelf -d probe)
if [[ $dyn == *libnameauth* ]]; then
  echo "FAIL: the program needs libnameauth.so at run time" >&2
  exit 1
fi
go test -count=1 . >/dev/null
echo "go: go get $MOD@v$VERSION from dist/goproxy (no cargo), verdict A; nameauthtest"
