#!/usr/bin/env bash
# The two npm packages, packed with npm pack into OUT (make node-pack; make dist copies
# them into dist/):
#   nameauth-VERSION.tgz                 the JavaScript, types and docs; its
#                                        optionalDependencies name the platform package
#   nameauth-linux-x64-gnu-VERSION.tgz   the two addons of the glibc-2.17 build (zig)
# The optionalDependencies entry is written here, not in bindings/node/package.json, so
# that a development install (npm ci) never asks the registry for a platform package.
set -euo pipefail
VERSION=$1 RELEASE=$2 OUT=$3
SRC=bindings/node
PLATFORM=linux-x64-gnu
STAGE=build/node-stage
rm -rf "$STAGE" "$OUT"
mkdir -p "$STAGE/main" "$STAGE/$PLATFORM" "$OUT"

for p in "$SRC/package.json" "$SRC/npm/$PLATFORM/package.json"; do
  v=$(node -p "require('./$p').version")
  [ "$v" = "$VERSION" ] || { echo "$p has version $v, Cargo.toml $VERSION" >&2; exit 1; }
done

# The main package: what its "files" list names, the licences, and the platform package.
node -e '
  const fs = require("node:fs");
  const [src, dst, platform, version] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(`${src}/package.json`, "utf8"));
  for (const f of pkg.files) fs.copyFileSync(`${src}/${f}`, `${dst}/${f}`);
  for (const f of ["LICENSE-MIT", "LICENSE-APACHE"]) fs.copyFileSync(f, `${dst}/${f}`);
  pkg.files.push("LICENSE-MIT", "LICENSE-APACHE");
  delete pkg.devDependencies;
  delete pkg.scripts;
  pkg.optionalDependencies = { [`nameauth-${platform}`]: version };
  fs.writeFileSync(`${dst}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
' "$SRC" "$STAGE/main" "$PLATFORM" "$VERSION"

# The platform package: the addons without Rust std's debug information.
cp "$SRC/npm/$PLATFORM/package.json" "$SRC/npm/$PLATFORM/README.md" LICENSE-MIT LICENSE-APACHE \
  "$STAGE/$PLATFORM/"
objcopy --strip-debug "$RELEASE/libnameauth_node.so" "$STAGE/$PLATFORM/nameauth.$PLATFORM.node"
objcopy --strip-debug "$RELEASE/libnameauth_node_testing.so" \
  "$STAGE/$PLATFORM/nameauth-testing.$PLATFORM.node"

for d in main "$PLATFORM"; do
  (cd "$STAGE/$d" && npm pack --silent --pack-destination "$(cd - >/dev/null && cd "$OUT" && pwd)" >/dev/null)
done
ls -1 "$OUT"
