//! Generates the C header from `src/` with cbindgen, derives from the same declarations
//! the flat files that PHP's FFI reads, and gives the shared library its SONAME.
//!
//! - `include/nameauth.h`, the one committed copy: generated into `$OUT_DIR`;
//!   `tests/header.rs` fails when the committed one differs from it, and
//!   `NAMEAUTH_UPDATE_HEADERS=1 cargo build` (what `make header` runs) rewrites it.
//! - `include/nameauth_decls.h` (no preprocessor lines, no comments: `FFI::cdef`) and
//!   `bindings/php/nameauth_ffi.h` (the same with PHP's `FFI_SCOPE`/`FFI_LIB`, for
//!   `ffi.preload`): not committed (.gitignore), written by every build, so that they
//!   cannot drift; `make dist` ships them from there.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=../../include/nameauth.h");
    println!("cargo:rerun-if-env-changed=NAMEAUTH_UPDATE_HEADERS");

    let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnameauth.so.{major}");
    }

    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    let (header, decls) = generate(&dir);
    // PHP's ffi.preload file: the scope, the library, then the flat declarations.
    let php = format!(
        "#define FFI_SCOPE \"NAMEAUTH\"\n#define FFI_LIB \"libnameauth.so.{major}\"\n{decls}"
    );
    fs::write(out.join("nameauth.h"), &header).expect("write header");
    fs::write(out.join("nameauth_decls.h"), &decls).expect("write declarations");
    fs::write(out.join("nameauth_ffi.h"), &php).expect("write the PHP preload header");
    let include = dir.join("../../include");
    write_if_changed(&include.join("nameauth_decls.h"), &decls);
    write_if_changed(&dir.join("../../bindings/php/nameauth_ffi.h"), &php);
    if env::var("NAMEAUTH_UPDATE_HEADERS").as_deref() == Ok("1") {
        // The header is committed at the repository's root, where users look for it.
        fs::write(include.join("nameauth.h"), &header).expect("update include/nameauth.h");
    }
}

/// Writes a derived file unless it already holds `text` (its time stamp then stays).
fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

/// The header, and the flat declarations (no preprocessor lines, no comments) that PHP's
/// `FFI::cdef` and Python's cffi accept.
fn generate(dir: &Path) -> (String, String) {
    let version = |k: &str| env::var(k).unwrap_or_default();
    let (major, minor, patch) = (
        version("CARGO_PKG_VERSION_MAJOR"),
        version("CARGO_PKG_VERSION_MINOR"),
        version("CARGO_PKG_VERSION_PATCH"),
    );
    let num = |s: &str| s.parse::<u32>().unwrap_or(0);
    let mut config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml parses");
    config.after_includes = Some(format!(
        "\n/* The version of nameauth this header belongs to. */\n\
         #define NAMEAUTH_VERSION \"{major}.{minor}.{patch}\"\n\
         #define NAMEAUTH_VERSION_MAJOR {major}\n\
         #define NAMEAUTH_VERSION_MINOR {minor}\n\
         #define NAMEAUTH_VERSION_PATCH {patch}\n\
         /* 0xMMmmpp, for comparisons: NAMEAUTH_VERSION_NUM >= 0x000100 */\n\
         #define NAMEAUTH_VERSION_NUM 0x{:02x}{:02x}{:02x}\n\n\
         /* The document type of a resident ID card (cretype 1), the default for NULL. */\n\
         #define NAMEAUTH_RESIDENT_ID_CARD \"1\"",
        num(&major),
        num(&minor),
        num(&patch)
    ));
    let header = render(dir, config.clone());

    let mut flat = config;
    flat.header = Some(String::new());
    flat.after_includes = None;
    flat.include_guard = None;
    flat.cpp_compat = false;
    flat.documentation = false;
    flat.sys_includes = Vec::new();
    flat.autogen_warning = None;
    let mut decls = String::new();
    let mut blank = true;
    for line in render(dir, flat).lines() {
        let line = line.trim_end();
        if line.starts_with('#') || (line.is_empty() && blank) {
            continue;
        }
        blank = line.is_empty();
        decls.push_str(line);
        decls.push('\n');
    }
    (header, decls)
}

fn render(dir: &Path, config: cbindgen::Config) -> String {
    let bindings = cbindgen::Builder::new()
        .with_src(dir.join("src/lib.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut buf = Vec::new();
    bindings.write(&mut buf);
    String::from_utf8(buf).expect("the header is UTF-8")
}
