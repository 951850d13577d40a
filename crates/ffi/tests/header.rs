//! The committed header and flat declarations are exactly what cbindgen makes from
//! `crates/ffi/src/lib.rs` (build.rs writes the fresh copies to OUT_DIR). `make header` updates them.

use std::path::Path;

fn compare(name: &str) {
    compare_at("../../include", name);
}

fn compare_at(dir: &str, name: &str) {
    let fresh = Path::new(env!("OUT_DIR")).join(name);
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).join(name);
    let fresh = std::fs::read_to_string(&fresh).expect("build.rs wrote the header");
    let committed = std::fs::read_to_string(&committed)
        .unwrap_or_else(|e| panic!("{}: {e}", committed.display()));
    if fresh != committed {
        let line = fresh
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| fresh.lines().count().min(committed.lines().count()));
        panic!(
            "{dir}/{name} is stale (first difference at line {}): run `make header`",
            line + 1
        );
    }
}

#[test]
fn committed_header_matches_the_source() {
    compare("nameauth.h");
}

#[test]
fn committed_flat_declarations_match_the_source() {
    compare("nameauth_decls.h");
}

#[test]
fn committed_php_preload_header_matches_the_source() {
    compare_at("../../bindings/php", "nameauth_ffi.h");
    let php = include_str!("../../../bindings/php/nameauth_ffi.h");
    assert!(php.starts_with("#define FFI_SCOPE \"NAMEAUTH\"\n#define FFI_LIB \"libnameauth.so."));
}

#[test]
fn flat_declarations_have_no_preprocessor_lines_or_comments() {
    let decls = include_str!("../../../include/nameauth_decls.h");
    for line in decls.lines() {
        assert!(!line.trim_start().starts_with('#'), "{line}");
        assert!(!line.contains("/*") && !line.contains("//"), "{line}");
    }
    for f in [
        "nameauth_verify",
        "nameauth_sign",
        "nameauth_last_error",
        "nameauth_version",
    ] {
        assert!(decls.contains(&format!("{f}(")), "{f} missing");
    }
}

#[test]
fn header_declares_the_contract() {
    let h = include_str!("../../../include/nameauth.h");
    for needle in [
        "typedef struct nameauth_client nameauth_client;",
        "typedef struct nameauth_verdict nameauth_verdict;",
        "NAMEAUTH_OK = 0,",
        "NAMEAUTH_PANIC = 10,",
        "} nameauth_result;",
        concat!(
            "#define NAMEAUTH_VERSION \"",
            env!("CARGO_PKG_VERSION"),
            "\""
        ),
        "#ifndef NAMEAUTH_H",
        "#define NAMEAUTH_RESIDENT_ID_CARD \"1\"",
        "size_t nameauth_last_error_field(char *buf, size_t buf_len);",
        "size_t nameauth_last_error_rule(char *buf, size_t buf_len);",
        "nameauth_result nameauth_options_new(nameauth_options **out);",
        "extern \"C\" {",
        "Thread safety",
        "ABI policy",
        "do not edit",
    ] {
        assert!(h.contains(needle), "header lacks {needle:?}");
    }
}
