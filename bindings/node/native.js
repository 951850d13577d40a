// Loads the native addon: the per-platform package's file (nameauth-<platform>, an
// optional dependency npm installs only on its platform), or a file built in this folder
// (`make node`). No compiler or Rust is needed on the user's host; a missing platform
// package is an error that names it.

const { platform, arch } = process;

function abi() {
  if (platform !== 'linux') return '';
  // glibc or musl: process.report names glibc's version when node runs on glibc.
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  return report?.header?.glibcVersionRuntime ? '-gnu' : '-musl';
}

/** The platform name of the packages: linux-x64-gnu, ... */
const PLATFORM = `${platform}-${arch}${abi()}`;
/** The platforms a package is published for. */
const SUPPORTED = ['linux-x64-gnu'];

function load(stem) {
  const file = `${stem}.${PLATFORM}.node`;
  const tried = [];
  for (const path of [`./${file}`, `nameauth-${PLATFORM}/${file}`]) {
    try {
      return require(path);
    } catch (e) {
      if (e && e.code !== 'MODULE_NOT_FOUND') throw e;
      tried.push(path);
    }
  }
  const pkg = `nameauth-${PLATFORM}`;
  const hint = SUPPORTED.includes(PLATFORM)
    ? `install it (npm installs it with nameauth as an optional dependency unless optional ` +
      `dependencies were left out, e.g. --omit=optional or a lock file made on another platform)`
    : `no such package is published: nameauth supports ${SUPPORTED.join(', ')}`;
  const err = new Error(`nameauth: the native addon for ${PLATFORM} is missing: the package ${pkg} is not installed; ${hint}`);
  err.code = 'NAMEAUTH_NATIVE_MISSING';
  err.platformPackage = pkg;
  throw err;
}

module.exports = { load, PLATFORM };
