#!/usr/bin/env bash
# make dist: every artifact a user installs, in dist/, from the glibc-2.17 builds.
#   libnameauth-VERSION-linux-x86_64.tar.gz   include/, lib/ (.so, SONAME link, .a, pkg-config,
#                                             CMake config, libnameauth_sandbox.so for tests),
#                                             bin/nameauth, share/
#   nameauth_VERSION_amd64.deb                the same tree under /usr (cargo-deb)
#   nameauth-VERSION-cp38-abi3-manylinux*.whl and nameauth-VERSION.tar.gz (sdist)
#   nameauth-VERSION.jar (+ -sources, -javadoc), carrying linux-x86-64/libnameauth_jni.so
#   goproxy/<Go module path>/@v/vVERSION.{info,mod,zip} and list (tools/go_dist.py)
#   nameauth-VERSION.tgz and nameauth-linux-x64-gnu-VERSION.tgz (npm; tools/node_pack.sh)
# Run from the repository root by make dist, which builds what it packs first.
set -euo pipefail
VERSION=$1 MAJOR=$2 RELEASE=$3 TOOLS=$4 STATIC_LIBS=$5 CARGO_DEB=${6:-cargo-deb}
DIST=dist
STAGE=build/dist-stage
rm -rf "$DIST" "$STAGE"
mkdir -p "$DIST" "$STAGE"

# One tree, laid out under a prefix; LIBDIR is lib (tarball) or lib/x86_64-linux-gnu (.deb).
lay_out() {
  local root=$1 prefix=$2 libdir=$3 pcprefix=$4
  local top=$root$prefix
  install -d "$top/include" "$top/$libdir/pkgconfig" "$top/$libdir/cmake/nameauth" "$top/bin" \
    "$top/share/doc/nameauth" "$top/share/php/nameauth"
  install -m 644 include/nameauth.h include/nameauth_decls.h include/nameauth_sandbox.h \
    include/nameauth_sandbox_decls.h \
    "$top/include/"
  install -m 755 "$RELEASE/libnameauth.so" "$top/$libdir/libnameauth.so.$VERSION"
  ln -sf "libnameauth.so.$VERSION" "$top/$libdir/libnameauth.so.$MAJOR"
  ln -sf "libnameauth.so.$MAJOR" "$top/$libdir/libnameauth.so"
  install -d "$top/$libdir/nameauth"
  install -m 644 "$RELEASE/libnameauth.a" "$top/$libdir/nameauth/"
  ln -sf nameauth/libnameauth.a "$top/$libdir/libnameauth.a"
  # The sandbox server, for users' own tests (Java's and PHP's Testing classes, C suites).
  install -m 755 "$RELEASE/libnameauth_sandbox.so" "$top/$libdir/libnameauth_sandbox.so.$VERSION"
  ln -sf "libnameauth_sandbox.so.$VERSION" "$top/$libdir/libnameauth_sandbox.so.$MAJOR"
  ln -sf "libnameauth_sandbox.so.$MAJOR" "$top/$libdir/libnameauth_sandbox.so"
  sed -e "s|@PREFIX@|$pcprefix|" -e "s|@VERSION@|$VERSION|" -e "s|@STATIC_LIBS@|$STATIC_LIBS|" \
    -e "s|^libdir=.*|libdir=\${exec_prefix}/$libdir|" crates/ffi/nameauth.pc.in \
    > "$top/$libdir/pkgconfig/nameauth.pc"
  sed -e "s|@PREFIX@|$pcprefix|" -e "s|@VERSION@|$VERSION|" -e "s|@STATIC_LIBS@|$STATIC_LIBS|" \
    -e "s|^libdir=.*|libdir=\${exec_prefix}/$libdir|" crates/ffi/nameauth-static.pc.in \
    > "$top/$libdir/pkgconfig/nameauth-static.pc"
  for f in nameauthConfig nameauthConfigVersion; do
    sed -e "s|@VERSION@|$VERSION|g" -e "s|@MAJOR@|$MAJOR|g" -e "s|@LIBDIR@|$libdir|g" \
      "crates/ffi/cmake/$f.cmake.in" > "$top/$libdir/cmake/nameauth/$f.cmake"
  done
  # The CMake config finds the prefix three levels up from lib/cmake/nameauth.
  if [ "$libdir" != lib ]; then
    sed -i 's|"${CMAKE_CURRENT_LIST_DIR}/../../.."|"${CMAKE_CURRENT_LIST_DIR}/../../../.."|' \
      "$top/$libdir/cmake/nameauth/nameauthConfig.cmake"
  fi
  install -m 755 "$RELEASE/nameauth" "$top/bin/"
  install -m 644 README.md LICENSE-MIT LICENSE-APACHE "$top/share/doc/nameauth/"
  # The README links into docs/: the pages go along, at the same relative place.
  mkdir -p "$top/share/doc/nameauth/docs"
  install -m 644 docs/*.md "$top/share/doc/nameauth/docs/"
  cp -r bindings/php/src bindings/php/autoload.php bindings/php/preload.php \
    bindings/php/nameauth_ffi.h bindings/php/composer.json bindings/php/README.md \
    "$top/share/php/nameauth/"
}

# The release tarball: relocatable (pkg-config and CMake find the prefix from their files).
name=libnameauth-$VERSION-linux-x86_64
lay_out "$STAGE/$name" "" lib '${pcfiledir}/../..'
tar -C "$STAGE" -czf "$DIST/$name.tar.gz" "$name"

# The .deb: the same tree under /usr, Debian's multiarch library directory.
deb=$STAGE/deb
lay_out "$deb" /usr lib/x86_64-linux-gnu /usr
# cargo-deb packs it (crates/ffi/Cargo.toml's [package.metadata.deb]: control fields, the
# ldconfig trigger, the assets of this tree with their symlinks) without building anything.
"$CARGO_DEB" -p nameauth-ffi --no-build --no-strip -o "$DIST/nameauth_${VERSION}_amd64.deb" \
  > "$STAGE/deb.log" 2>&1 || { cat "$STAGE/deb.log" >&2; exit 1; }

# Python: the manylinux2014 abi3 wheel (built by make wheel) and the sdist.
cp build/wheels/nameauth-*.whl "$DIST/"
"$TOOLS/bin/maturin" sdist -m bindings/python/Cargo.toml -o "$DIST" > "$STAGE/sdist.log" 2>&1 ||
  { cat "$STAGE/sdist.log" >&2; exit 1; }

# Java: the jar with its native library, its sources and javadoc (built by make java).
cp bindings/java/target/nameauth-"$VERSION".jar bindings/java/target/nameauth-"$VERSION"-sources.jar \
  bindings/java/target/nameauth-"$VERSION"-javadoc.jar "$DIST/"

# Node.js: the package and its platform package (packed with npm pack by make node-pack).
cp build/node-pack/*.tgz "$DIST/"

# Go: the module in the module proxy's layout (dist/goproxy), carrying the static archive.
python3 tools/go_dist.py "$VERSION" "$RELEASE" "$DIST" > /dev/null

ls -1 "$DIST"
