//! Argument validators with the messages of terraform-plugin-sdk v1 and of the
//! alicloud provider's own wrappers (alicloud/validators.go at v1.289.0).
//!
//! SDK v1 reports a validator's error as a summary with no detail. The emulator adds the
//! attribute path, so Terraform points at the offending argument. Unknown and null values
//! are not checked, as in the SDK.

use tf_provider::{AttributePath, Diagnostics};

use crate::value::{string, Object};

/// Appended by the alicloud wrappers to their errors.
const SKIP_VALIDATION_NOTE: &str =
    "\n[NOTE] set env variable TF_SKIP_RESOURCE_SCHEMA_VALIDATION to true can skip the error and get a warning";

/// Which validator family a check imitates.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `validation.*` from the SDK: always an error.
    Sdk,
    /// The alicloud wrappers: a warning when `TF_SKIP_RESOURCE_SCHEMA_VALIDATION=true`.
    Alicloud,
}

fn report(diags: &mut Diagnostics, family: Family, name: &str, message: String) {
    let path = AttributePath::new(name.to_string());
    match family {
        Family::Sdk => diags.error_short(message, path),
        Family::Alicloud => {
            if std::env::var("TF_SKIP_RESOURCE_SCHEMA_VALIDATION").as_deref() == Ok("true") {
                diags.warning_short(message, path);
            } else {
                diags.error_short(format!("{message} {SKIP_VALIDATION_NOTE}"), path);
            }
        }
    }
}

/// Checks that the byte length of a string argument is within `min..=max`.
pub fn length_between(
    config: &Object,
    name: &str,
    min: usize,
    max: usize,
    family: Family,
    diags: &mut Diagnostics,
) {
    if let Some(value) = string(config, name) {
        if value.len() < min || value.len() > max {
            let message = format!(
                "expected length of {name} to be in the range ({min} - {max}), got {value}"
            );
            report(diags, family, name, message);
        }
    }
}

/// Checks that a string argument is one of `allowed` (case-sensitive).
pub fn one_of(
    config: &Object,
    name: &str,
    allowed: &[&str],
    family: Family,
    diags: &mut Diagnostics,
) {
    if let Some(value) = string(config, name) {
        if !allowed.contains(&value.as_str()) {
            let message = format!(
                "expected {name} to be one of [{}], got {value}",
                allowed.join(" ")
            );
            report(diags, family, name, message);
        }
    }
}

/// Checks that a string argument is valid JSON (SDK `validation.ValidateJsonString`).
pub fn json_string(config: &Object, name: &str, diags: &mut Diagnostics) {
    if let Some(value) = string(config, name) {
        if let Err(err) = serde_json::from_str::<serde_json::Value>(&value) {
            let message = format!("{name:?} contains an invalid JSON: {err}");
            report(diags, Family::Sdk, name, message);
        }
    }
}

/// Warns as SDK v1 does when a deprecated argument is set.
pub fn deprecated(config: &Object, name: &str, message: &str, diags: &mut Diagnostics) {
    let set = match config.get(name) {
        None | Some(tf_provider::value::ValueAny::Null) => false,
        Some(tf_provider::value::ValueAny::List(items)) => !items.is_empty(),
        Some(_) => true,
    };
    if set {
        diags.warning_short(
            format!("{name:?}: [DEPRECATED] {message}"),
            AttributePath::new(name.to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tf_provider::value::ValueAny;

    fn config(name: &str, value: &str) -> Object {
        Object::from([(name.to_string(), ValueAny::String(value.to_string()))])
    }

    #[test]
    fn length_message_matches_sdk() {
        let mut diags = Diagnostics::default();
        length_between(&config("name", "x"), "name", 2, 30, Family::Sdk, &mut diags);
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(
            diags.errors[0].summary,
            "expected length of name to be in the range (2 - 30), got x"
        );
    }

    #[test]
    fn one_of_message_matches_sdk() {
        let mut diags = Diagnostics::default();
        let allowed = ["PUBLIC", "PRIVATE"];
        one_of(
            &config("default_visibility", "y"),
            "default_visibility",
            &allowed,
            Family::Sdk,
            &mut diags,
        );
        assert_eq!(
            diags.errors[0].summary,
            "expected default_visibility to be one of [PUBLIC PRIVATE], got y"
        );
    }

    #[test]
    fn invalid_json_is_rejected() {
        let mut diags = Diagnostics::default();
        json_string(
            &config("policy_document", "{"),
            "policy_document",
            &mut diags,
        );
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0]
            .summary
            .starts_with("\"policy_document\" contains an invalid JSON"));
    }
}
