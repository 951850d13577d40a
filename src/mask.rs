//! Masked forms of personal data, for `Debug`, logs and demo output.
//!
//! Names and ID numbers never appear in clear anywhere the library writes; these are the
//! only forms that do.

/// A name with every character but the last replaced by `*` (`张小明` → `**明`).
/// One-character names become `*`.
pub fn name(s: &str) -> String {
    let n = s.chars().count();
    if n <= 1 {
        return "*".repeat(n);
    }
    let mut out = "*".repeat(n - 1);
    out.extend(s.chars().last());
    out
}

/// An ID number with the first 3 and last 2 characters kept and the rest replaced by `*`
/// (`110101199003074477` → `110*************77`). Values shorter than 8 characters are
/// masked whole.
pub fn id(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n);
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(n - 5));
    out.extend(&chars[n - 2..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_keep_only_their_last_character() {
        assert_eq!(super::name("张小明"), "**明");
        assert_eq!(super::name("张三"), "*三");
        assert_eq!(super::name("Z"), "*");
        assert_eq!(super::name(""), "");
    }

    #[test]
    fn ids_keep_three_and_two() {
        assert_eq!(super::id("110101199003074477"), "110*************77");
        assert_eq!(super::id("E1234567"), "E12***67");
        assert_eq!(super::id("1234567"), "*******");
    }
}
