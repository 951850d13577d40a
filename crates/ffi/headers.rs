//! What the build scripts of crates/ffi and crates/sandbox-ffi share (each includes this
//! file as a module): the SONAME, the header cbindgen renders, the flat declarations
//! derived from it, and where each is written.
//!
//! - The header goes to `$OUT_DIR`; the committed copy in `include/` is compared with it
//!   by `tests/header.rs` and rewritten only with `NAMEAUTH_UPDATE_HEADERS=1` (what
//!   `make header` runs).
//! - The flat declarations (no preprocessor lines, no comments: what PHP's `FFI::cdef`
//!   accepts) are derived files: not committed (.gitignore), written by every build that
//!   changes them, so they cannot drift.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// The crate's directory and `$OUT_DIR`, and the library's SONAME on Linux
/// (`lib<name>.so.<major>`).
pub fn start(lib: &str) -> (PathBuf, PathBuf) {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=../ffi/headers.rs");
    println!("cargo:rerun-if-env-changed=NAMEAUTH_UPDATE_HEADERS");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!(
            "cargo:rustc-cdylib-link-arg=-Wl,-soname,lib{lib}.so.{}",
            major()
        );
    }
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    (dir, out)
}

/// The crate's major version.
pub fn major() -> String {
    env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default()
}

/// The header cbindgen renders from the crate's `src/lib.rs` and the modules it names.
pub fn render(dir: &Path, config: cbindgen::Config) -> String {
    let mut buf = Vec::new();
    cbindgen::Builder::new()
        .with_src(dir.join("src/lib.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut buf);
    String::from_utf8(buf).expect("the header is UTF-8")
}

/// The same declarations flat: no preprocessor lines, no comments, no guard, no runs of
/// blank lines.
pub fn flat(dir: &Path, config: &cbindgen::Config) -> String {
    let config = cbindgen::Config {
        header: None,
        after_includes: None,
        include_guard: None,
        autogen_warning: None,
        cpp_compat: false,
        documentation: false,
        sys_includes: Vec::new(),
        ..config.clone()
    };
    let mut decls = String::new();
    let mut blank = true;
    for line in render(dir, config).lines() {
        let line = line.trim_end();
        if line.starts_with('#') || (line.is_empty() && blank) {
            continue;
        }
        blank = line.is_empty();
        decls.push_str(line);
        decls.push('\n');
    }
    decls
}

/// Writes `header` as `$OUT_DIR/<name>` (and as `include/<name>` with
/// `NAMEAUTH_UPDATE_HEADERS=1`), and each derived file (a path from the repository's
/// root, and its text) into `$OUT_DIR` (for the crate's tests) and at its path, where it
/// differs.
pub fn write(dir: &Path, out: &Path, name: &str, header: &str, derived: &[(&str, &str)]) {
    let root = dir.join("../..");
    fs::write(out.join(name), header).expect("write the header");
    for (path, text) in derived {
        let path = root.join(path);
        let base = path.file_name().expect("a file name");
        fs::write(out.join(base), text).expect("write a derived file into OUT_DIR");
        // Unchanged files keep their time stamp, so what depends on them is not rebuilt.
        if fs::read_to_string(&path).ok().as_deref() != Some(*text) {
            fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        }
    }
    if env::var("NAMEAUTH_UPDATE_HEADERS").as_deref() == Ok("1") {
        // The header is committed at the repository's root, where users look for it.
        let committed = root.join("include").join(name);
        fs::write(&committed, header).expect("update the committed header");
    }
}
