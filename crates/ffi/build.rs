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
use std::path::Path;

#[path = "headers.rs"]
mod headers;

fn main() {
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=../../include/nameauth.h");
    let (dir, out) = headers::start("nameauth");
    let (header, decls) = generate(&dir);
    // PHP's ffi.preload file: the scope, the library, then the flat declarations.
    let php = format!(
        "#define FFI_SCOPE \"NAMEAUTH\"\n#define FFI_LIB \"libnameauth.so.{}\"\n{decls}",
        headers::major()
    );
    headers::write(
        &dir,
        &out,
        "nameauth.h",
        &header,
        &[
            ("include/nameauth_decls.h", &decls),
            ("bindings/php/nameauth_ffi.h", &php),
        ],
    );
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
    let header = headers::render(dir, config.clone());
    (header, headers::flat(dir, &config))
}
