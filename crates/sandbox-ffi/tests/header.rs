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
