//! Container Registry names. They end up in the RAM policy's resource ARN
//! (`acs:cr:<region>:<account>:repository/<namespace>/*`), so a character such as `*`, `/`
//! or `:` would widen or break the grant.

use std::fmt;

pub const CR_NAME_MIN: usize = 2;
pub const CR_NAME_MAX: usize = 30;

/// The rule in words, for error messages and variable validation.
pub const CR_NAME_RULE: &str = "2 to 30 characters of lowercase letters, digits, `-` and `_`, starting and ending with a letter or digit";

/// A namespace or repository name that follows Container Registry's rules: 2 to 30
/// lowercase letters, digits, `-` and `_` (Alibaba's CreateNamespace and CreateRepo API
/// documentation), starting and ending with a letter or digit as Docker's image-name
/// grammar requires.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CrName(String);

impl CrName {
    pub fn new(name: &str) -> Result<CrName, String> {
        let length = name.chars().count();
        if !(CR_NAME_MIN..=CR_NAME_MAX).contains(&length) {
            let noun = if length == 1 {
                "character"
            } else {
                "characters"
            };
            return Err(format!("it has {length} {noun}"));
        }
        if let Some(bad) = name
            .chars()
            .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-' | '_'))
        {
            return Err(format!("`{}` is not allowed", bad.escape_debug()));
        }
        let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !edge_ok(name.chars().next()) || !edge_ok(name.chars().last()) {
            return Err("it must start and end with a letter or digit".into());
        }
        Ok(CrName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CrName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The same rule as a regular expression for Terraform's `regex()` (RE2 syntax).
pub const CR_NAME_REGEX: &str = "^[a-z0-9][a-z0-9_-]{0,28}[a-z0-9]$";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_names() {
        for name in ["ab", "default", "my_ns-1", &"a".repeat(30)] {
            assert!(CrName::new(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn rejects_invalid_names() {
        for name in [
            "a",
            &"a".repeat(31),
            "Ab",
            "a.b",
            "a*",
            "a/b",
            "a:b",
            "a b",
            "-ab",
            "ab_",
            "ns?",
        ] {
            assert!(CrName::new(name).is_err(), "{name}");
        }
    }
}
