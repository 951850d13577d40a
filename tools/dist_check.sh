#!/usr/bin/env bash
# make dist-check: each artifact of dist/ tried as a new user would, from dist/ alone (no
# build tree), against the sandbox (run under tools/with_sandbox.py). Also: no shipped
# binary needs a glibc above 2.17, and the wheel passes abi3audit.
set -euo pipefail
VERSION=$1 TOOLS=$(cd "$2" && pwd) PYTHON=${3:-python3}
DIST=$(pwd)/dist
ROOT=$(pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ZS=(oZhangSan 张三 110101199003074477)
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
# Output is captured before it is searched: under pipefail, `cmd | grep -q` fails at random
# (grep exits at its first match, cmd dies of SIGPIPE). tools/check_pipes.py keeps it so.
contains() { [[ $1 == *"$2"* ]]; }
require() { # TEXT WORDS WHAT: WHAT's TEXT must hold WORDS
  contains "$1" "$2" || { echo "FAIL: $3 lacks '$2'" >&2; exit 1; }
}
expect_a() { # a command whose one output line must be verdict A
  local out
  out=$("$@")
  case $out in *'"code":"A"'*) ;; *) echo "FAIL: $* printed: $out" >&2; exit 1 ;; esac
}
max_glibc() { objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1; }
glibc_at_most_2_17() {
  local v
  v=$(max_glibc "$1")
  if [ "$(printf '%s\n2.17\n' "$v" | sort -V | tail -1)" != 2.17 ]; then
    echo "FAIL: $1 needs GLIBC_$v (the floor is 2.17)" >&2
    exit 1
  fi
  ok "$(basename "$1") needs glibc $v at most"
}

# The release tarball: pkg-config, CMake, the CLI; relocated to a new directory.
tar -C "$WORK" -xzf "$DIST/libnameauth-$VERSION-linux-x86_64.tar.gz"
P=$WORK/libnameauth-$VERSION-linux-x86_64
glibc_at_most_2_17 "$P/lib/libnameauth.so.$VERSION"
glibc_at_most_2_17 "$P/bin/nameauth"
glibc_at_most_2_17 "$P/lib/libnameauth_sandbox.so.$VERSION"
# The shipped README's links into docs/ lead to the shipped pages.
links=$(grep -o '](docs/[^)#]*' "$P/share/doc/nameauth/README.md" | sed 's/^](//' | sort -u)
test -n "$links" || { echo "FAIL: the shipped README links to no docs/ page" >&2; exit 1; }
for l in $links; do
  test -e "$P/share/doc/nameauth/$l" || { echo "FAIL: the tarball lacks share/doc/nameauth/$l" >&2; exit 1; }
done
ok "tarball: the README's docs/ links lead to shipped pages"
require "$(readelf -d "$P/lib/libnameauth.so.$VERSION")" "Library soname: [libnameauth.so.${VERSION%%.*}]" \
  "readelf -d of the tarball's libnameauth.so"
cc "$ROOT/examples/c/verify.c" $(PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config --cflags --libs nameauth) \
  -o "$WORK/verify-pc"
LD_LIBRARY_PATH=$P/lib expect_a "$WORK/verify-pc" "${ZS[@]}"
ok "tarball: cc with pkg-config"
cc "$ROOT/examples/c/verify.c" \
  $(PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config --cflags --libs nameauth-static) -o "$WORK/verify-st"
if contains "$(readelf -d "$WORK/verify-st")" libnameauth; then
  echo "FAIL: nameauth-static.pc linked the shared library" >&2
  exit 1
fi
expect_a "$WORK/verify-st" "${ZS[@]}"
ok "tarball: cc with pkg-config nameauth-static (no libnameauth.so at run time)"
cmake -S "$ROOT/examples/c" -B "$WORK/cmake" -DCMAKE_PREFIX_PATH="$P" >/dev/null
cmake --build "$WORK/cmake" >/dev/null
expect_a "$WORK/cmake/verify" "${ZS[@]}"
ok "tarball: CMake find_package(nameauth)"
expect_a "$P/bin/nameauth" verify "${ZS[@]}"
ok "tarball: bin/nameauth verify"
cc -I"$P/include" "$ROOT/crates/sandbox-ffi/tests/c/test_sandbox.c" -L"$P/lib" -lnameauth_sandbox \
  -lnameauth -o "$WORK/test-sandbox"
LD_LIBRARY_PATH=$P/lib "$WORK/test-sandbox" >/dev/null
ok "tarball: libnameauth_sandbox in a C test"

# The .deb, unpacked (installing it would need root and change this machine).
dpkg-deb -x "$DIST/nameauth_${VERSION}_amd64.deb" "$WORK/deb"
D=$WORK/deb/usr
for f in include/nameauth.h lib/x86_64-linux-gnu/libnameauth.so.0 lib/x86_64-linux-gnu/libnameauth.a \
  include/nameauth_sandbox.h lib/x86_64-linux-gnu/libnameauth_sandbox.so.0 \
  lib/x86_64-linux-gnu/pkgconfig/nameauth.pc lib/x86_64-linux-gnu/cmake/nameauth/nameauthConfig.cmake \
  bin/nameauth share/php/nameauth/nameauth_ffi.h share/doc/nameauth/LICENSE-MIT \
  share/doc/nameauth/docs/configuration.md; do
  test -e "$D/$f" || { echo "FAIL: the .deb lacks /usr/$f" >&2; exit 1; }
done
require "$(dpkg-deb -f "$DIST/nameauth_${VERSION}_amd64.deb" Depends)" 'libc6 (>= 2.17)' "the .deb's Depends"
expect_a "$D/bin/nameauth" verify "${ZS[@]}"
ok ".deb: files, SONAME link, CLI"

# Python: the wheel and the sdist, each in a fresh venv.
whl=$(ls "$DIST"/nameauth-"$VERSION"-*.whl)
case $whl in *manylinux_2_17*|*manylinux2014*) ;; *) echo "FAIL: $whl is not manylinux2014" >&2; exit 1 ;; esac
"$TOOLS/bin/abi3audit" --strict --summary "$whl" >/dev/null
ok "wheel: abi3audit"
(cd "$WORK" && unzip -q -o "$whl" 'nameauth/_nameauth*.so' -d wheel)
glibc_at_most_2_17 "$(ls "$WORK"/wheel/nameauth/_nameauth*.so)"
for what in wheel sdist; do
  "$PYTHON" -m venv "$WORK/venv-$what"
  if [ $what = wheel ]; then src=$whl; else src=$DIST/nameauth-$VERSION.tar.gz; fi
  "$WORK/venv-$what/bin/pip" install -q "$src"
  (cd "$WORK" && expect_a "$WORK/venv-$what/bin/python" "$ROOT/examples/python/verify.py" "${ZS[@]}")
  (cd "$WORK" && "$WORK/venv-$what/bin/python" -c '
from nameauth.testing import sandbox
with sandbox() as sb:
    assert sb.client().verify("oZhangSan", "张三", "110101199003074477").code == "A"
')
  ok "python $what in a fresh venv (and nameauth.testing)"
done

# Java: the jar alone on the class path (it has no dependency); no library property or
# variable. It carries the JNI library, never the C one.
jar_list=$(unzip -l "$DIST/nameauth-$VERSION.jar")
require "$jar_list" 'linux-x86-64/libnameauth_jni.so' "the jar"
if contains "$jar_list" 'linux-x86-64/libnameauth.so'; then
  echo "dist-check: the jar carries the C library" >&2
  exit 1
fi
require "$jar_list" 'linux-x86-64/libnameauth_sandbox.so' "the jar"
require "$(unzip -p "$DIST/nameauth-$VERSION.jar" META-INF/MANIFEST.MF)" 'Automatic-Module-Name: org.nameauth' \
  "the jar's manifest"
javac --release 8 -encoding UTF-8 -d "$WORK/java" -cp "$DIST/nameauth-$VERSION.jar" \
  "$ROOT/examples/java/Verify.java"
(unset NAMEAUTH_LIBRARY NAMEAUTH_LIBRARY_PATH
  LC_ALL=C.UTF-8 expect_a java -cp "$WORK/java:$DIST/nameauth-$VERSION.jar" Verify "${ZS[@]}")
ok "jar alone on the class path (JNI, no JNA)"
# The sandbox of org.nameauth.testing, from the jar alone (no harness sandbox).
mkdir -p "$WORK/java-sb"
cat > "$WORK/java-sb/SandboxProbe.java" <<'JAVA'
import org.nameauth.NameAuthClient;
import org.nameauth.testing.NameAuthSandbox;

public class SandboxProbe {
  public static void main(String[] args) {
    try (NameAuthSandbox sb = NameAuthSandbox.start(); NameAuthClient c = sb.client()) {
      String code = c.verify("oZhangSan", "\u5f20\u4e09", "110101199003074477").code();
      if (!"A".equals(code) || sb.hits("oZhangSan") != 1) {
        throw new AssertionError(code);
      }
    }
  }
}
JAVA
javac --release 8 -encoding UTF-8 -d "$WORK/java-sb" -cp "$DIST/nameauth-$VERSION.jar" \
  "$WORK/java-sb/SandboxProbe.java"
(unset NAMEAUTH_LIBRARY NAMEAUTH_LIBRARY_PATH
  java -cp "$WORK/java-sb:$DIST/nameauth-$VERSION.jar" SandboxProbe)
ok "jar: org.nameauth.testing.NameAuthSandbox from the jar alone"

# Node.js: both tarballs installed with npm into a fresh project, offline, with a PATH
# holding node and npm alone (no Rust, no compiler); then verified from CommonJS and from
# an ES module, and the sandbox of nameauth/testing from the package alone.
NODE_APP=$WORK/node-app
mkdir -p "$NODE_APP/bin"
ln -s "$(command -v node)" "$NODE_APP/bin/node"
ln -s "$(readlink -f "$(command -v npm)")" "$NODE_APP/bin/npm"
for tool in cc gcc cargo rustc zig; do
  if env PATH="$NODE_APP/bin" /usr/bin/which "$tool" >/dev/null 2>&1; then
    echo "FAIL: $tool is on the npm install PATH" >&2
    exit 1
  fi
done
echo '{"name":"app","version":"1.0.0","private":true}' > "$NODE_APP/package.json"
(cd "$NODE_APP" && env PATH="$NODE_APP/bin" "$NODE_APP/bin/npm" install --offline --no-audit \
  --no-fund --loglevel=error "$DIST/nameauth-linux-x64-gnu-$VERSION.tgz" "$DIST/nameauth-$VERSION.tgz")
glibc_at_most_2_17 "$NODE_APP/node_modules/nameauth-linux-x64-gnu/nameauth.linux-x64-gnu.node"
node_run() { (cd "$NODE_APP" && env PATH="$NODE_APP/bin" node "$@"); }
expect_a node_run -e "require('nameauth').Client.fromEnv().verify('${ZS[0]}', '${ZS[1]}', '${ZS[2]}')
  .then((v) => console.log(JSON.stringify(v)))"
ok "npm: require('nameauth') from the two tarballs"
expect_a node_run --input-type=module -e "import { Client } from 'nameauth';
  console.log(JSON.stringify(await Client.fromEnv().verify('${ZS[0]}', '${ZS[1]}', '${ZS[2]}')))"
ok "npm: import from 'nameauth' (ES module)"
(unset NAMEAUTH_ENDPOINT NAMEAUTH_APPID NAMEAUTH_SRC NAMEAUTH_KEY
  expect_a node_run --input-type=module -e "import { sandbox } from 'nameauth/testing';
    const sb = sandbox(); const v = await sb.client().verify('${ZS[0]}', '${ZS[1]}', '${ZS[2]}');
    if (sb.hits('${ZS[0]}') !== 1) throw new Error('hits'); sb.close(); console.log(JSON.stringify(v))")
ok "npm: nameauth/testing's sandbox from the package alone"
# Without the platform package, the error names it.
rm -rf "$NODE_APP/node_modules/nameauth-linux-x64-gnu"
missing_out=$(node_run -e "require('nameauth')" 2>&1 || true)
require "$missing_out" "the package nameauth-linux-x64-gnu is not installed" "require without the platform package"
ok "npm: a missing platform package is named"

# Go: `go get` from dist/goproxy in a fresh GOPATH, no cargo on PATH (tools/go_dist_check.sh).
# (assigned first: set -e ignores a failure inside an argument's command substitution)
go_line=$(bash "$ROOT/tools/go_dist_check.sh" "$DIST" "$VERSION")
ok "$go_line"

echo "dist-check: $passed passed, 0 failed"
