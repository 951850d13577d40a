//! The committed header is exactly what cbindgen makes from `crates/ffi/src` (build.rs
//! writes the fresh copy to OUT_DIR; `make header` updates the committed one), and the
//! flat declarations that build.rs derives for PHP are usable by `FFI::cdef`.

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
fn php_preload_header_is_the_flat_declarations_with_scope_and_library() {
    let decls = include_str!(concat!(env!("OUT_DIR"), "/nameauth_decls.h"));
    let php = include_str!(concat!(env!("OUT_DIR"), "/nameauth_ffi.h"));
    let (head, rest) = php.split_at(php.find("\n#define FFI_LIB").unwrap());
    assert_eq!(head, "#define FFI_SCOPE \"NAMEAUTH\"");
    assert!(rest.starts_with("\n#define FFI_LIB \"libnameauth.so."));
    assert!(php.ends_with(decls));
}

#[test]
fn flat_declarations_have_no_preprocessor_lines_or_comments() {
    let decls = include_str!(concat!(env!("OUT_DIR"), "/nameauth_decls.h"));
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
    // The enums PHP reads its numbers from (`$ffi->NAMEAUTH_OK`).
    for c in [
        "NAMEAUTH_OK = 0,",
        "NAMEAUTH_CANCELLED = 11,",
        "NAMEAUTH_SIGN_CASE_UPPER = 1,",
        "NAMEAUTH_LOG_INFO = 3,",
    ] {
        assert!(decls.contains(c), "{c} missing");
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

/// The option lists written for C and PHP users name every option of the core, so that
/// none goes stale when an option is added (`fallback_endpoint` once did).
#[test]
fn option_lists_name_every_option() {
    let docs = [
        (
            "include/nameauth.h",
            include_str!("../../../include/nameauth.h"),
        ),
        (
            "bindings/php/src/Client.php",
            include_str!("../../../bindings/php/src/Client.php"),
        ),
        (
            "bindings/php/README.md",
            include_str!("../../../bindings/php/README.md"),
        ),
    ];
    for (file, text) in docs {
        for name in nameauth::OPTION_NAMES {
            let (ticked, quoted) = (format!("`{name}`"), format!(" {name} "));
            let listed = text.contains(&ticked)
                || text.contains(&quoted)
                || text.contains(&format!(" {name},"))
                || text.contains(&format!(" {name}\n"));
            assert!(listed, "{file} does not list the option {name}");
        }
    }
}
