//! The committed header is what cbindgen makes of the source today.

#[test]
fn include_nameauth_sandbox_h_is_up_to_date() {
    let fresh = include_str!(concat!(env!("OUT_DIR"), "/nameauth_sandbox.h"));
    let committed = include_str!("../../../include/nameauth_sandbox.h");
    assert!(
        fresh == committed,
        "include/nameauth_sandbox.h is stale: run `make header` and commit it"
    );
}

#[test]
fn flat_declarations_have_no_preprocessor_lines_or_comments() {
    let decls = include_str!(concat!(env!("OUT_DIR"), "/nameauth_sandbox_decls.h"));
    for line in decls.lines() {
        assert!(!line.starts_with('#') && !line.contains("/*"), "{line}");
    }
    for f in [
        "nameauth_sandbox_start(",
        "nameauth_sandbox_hits(",
        "nameauth_sandbox_free(",
    ] {
        assert!(decls.contains(f), "{f} missing");
    }
}
