//! The configuration doc lists exactly the options of `nameauth::OPTIONS`: every option,
//! its variable and its CLI flag, in the same order, and nothing else. So is the table in
//! src/config.rs's module doc. A new option without a row (or a row left behind by a
//! renamed option, as `validate_id` would have been) fails here.

use nameauth::{OptionSpec, OPTIONS};

/// The file that holds the configuration table, from the repository's root (the one place
/// to change when the table moves; it moved from README.md to docs/configuration.md).
const CONFIGURATION_DOC: &str = "docs/configuration.md";

/// The header row the table starts with (the doc's first three columns).
const HEADER: &str = "| option | variable | CLI flag |";

/// (option, variable, flag) of each row of the one table that starts with [`HEADER`],
/// in order. Each of the three cells must be one `backticked` word.
fn table_rows(text: &str, what: &str) -> Vec<(String, String, String)> {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_start_matches("//!").trim())
        .collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with(HEADER))
        .collect();
    assert_eq!(
        starts.len(),
        1,
        "{what}: expected one table starting with `{HEADER}`, found {}",
        starts.len()
    );
    let mut rows = Vec::new();
    for line in lines[starts[0] + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
    {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let word = |i: usize| -> String {
            let cell = cells.get(i).copied().unwrap_or("");
            cell.strip_prefix('`')
                .and_then(|c| c.strip_suffix('`'))
                .unwrap_or_else(|| panic!("{what}: cell {} of `{line}` is not `word`", i + 1))
                .to_owned()
        };
        rows.push((word(0), word(1), word(2)));
    }
    rows
}

/// What differs between the rows and `options`, one line each (empty when they agree).
fn differences(rows: &[(String, String, String)], options: &[OptionSpec]) -> Vec<String> {
    let want: Vec<(String, String, String)> = options
        .iter()
        .map(|o| (o.name.to_owned(), o.var.to_owned(), o.flag.to_owned()))
        .collect();
    let mut out = Vec::new();
    for w in &want {
        if !rows.contains(w) {
            out.push(format!("missing row: {w:?}"));
        }
    }
    for r in rows {
        if !want.contains(r) {
            out.push(format!("row of no option: {r:?}"));
        }
    }
    if out.is_empty() && rows != want.as_slice() {
        out.push("the rows are not in the order of OPTIONS".to_owned());
    }
    out
}

fn read_doc() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(CONFIGURATION_DOC);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_configuration_doc_lists_exactly_the_options() {
    let rows = table_rows(&read_doc(), CONFIGURATION_DOC);
    let diff = differences(&rows, OPTIONS);
    assert!(diff.is_empty(), "{CONFIGURATION_DOC}: {diff:#?}");
}

#[test]
fn the_config_module_doc_lists_exactly_the_options() {
    let rows = table_rows(include_str!("../src/config.rs"), "src/config.rs");
    let diff = differences(&rows, OPTIONS);
    assert!(diff.is_empty(), "src/config.rs: {diff:#?}");
}

/// The comparison catches a missing row, an old name and a reordering (so the two tests
/// above can fail).
#[test]
fn a_stale_table_is_caught() {
    let doc = read_doc();
    let rows = table_rows(&doc, CONFIGURATION_DOC);
    assert_eq!(rows.len(), OPTIONS.len());

    let missing = &rows[1..];
    assert!(differences(missing, OPTIONS)
        .iter()
        .any(|d| d.starts_with("missing row") && d.contains(OPTIONS[0].name)));

    // The option's old name, as the table read before issue 18's renames.
    let renamed = doc
        .replace("`id_rules`", "`validate_id`")
        .replace("`NAMEAUTH_ID_RULES`", "`NAMEAUTH_VALIDATE_ID`")
        .replace("`--id-rules`", "`--validate-id`");
    let diff = differences(&table_rows(&renamed, "renamed"), OPTIONS);
    assert!(diff.iter().any(|d| d.contains("validate_id")), "{diff:?}");

    let mut swapped = rows.clone();
    swapped.swap(0, 1);
    assert_eq!(
        differences(&swapped, OPTIONS),
        ["the rows are not in the order of OPTIONS"]
    );
}
