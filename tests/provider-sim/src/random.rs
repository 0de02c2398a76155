//! The emulated hashicorp/random provider: random_string and random_password (v3.9.0).
//!
//! Nothing here touches the cloud file, because the random provider has no remote API.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use rand::seq::SliceRandom;
use rand::Rng;
use tf_provider::schema::Schema;
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostics, DynamicResource, Provider};

use crate::resource::{Behaviour, SimError, SimResource, SimResult};
use crate::schema::{to_schema, ProviderSchemas};
use crate::value::{boolean, fill_unknown, get, is_null, number, string, Object};

const DEFAULT_SPECIAL: &str = "!@#$%&*()-_=+[]{}<>:?";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const NUMERIC: &str = "0123456789";
const MIN_COUNTS: [&str; 4] = ["min_upper", "min_lower", "min_numeric", "min_special"];

pub struct RandomProvider {
    schemas: Arc<ProviderSchemas>,
}

impl RandomProvider {
    pub fn new(schemas: ProviderSchemas) -> Self {
        Self {
            schemas: Arc::new(schemas),
        }
    }
}

#[async_trait]
impl Provider for RandomProvider {
    type Config<'a> = ValueAny;
    type MetaState<'a> = ValueAny;

    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        match to_schema(&self.schemas.provider) {
            Ok(schema) => Some(schema),
            Err(err) => {
                diags.root_error_short(format!("invalid provider schema: {err:#}"));
                None
            }
        }
    }

    fn get_resources(
        &self,
        diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        let mut resources: HashMap<String, Box<dyn DynamicResource>> = HashMap::new();
        for (type_name, password) in [("random_string", false), ("random_password", true)] {
            match self.schemas.resource(type_name) {
                Ok(entry) => {
                    let resource = SimResource::new(entry, RandomText { password });
                    let short = type_name.trim_start_matches("random_").to_string();
                    resources.insert(short, Box::new(resource));
                }
                Err(err) => diags.root_error_short(format!("{err:#}")),
            }
        }
        Some(resources)
    }
}

/// random_string (`password == false`) and random_password.
struct RandomText {
    password: bool,
}

fn invalid_value(diags: &mut Diagnostics, name: &str, detail: String) {
    diags.error(
        "Invalid Attribute Value",
        detail,
        AttributePath::new(name.to_string()),
    );
}

/// Generates a string that honours the length, character classes and minimum counts.
fn generate(settings: &Object) -> SimResult<String> {
    let length = number(settings, "length").unwrap_or(0).max(0) as usize;
    let special_chars = match string(settings, "override_special") {
        Some(chars) if !chars.is_empty() => chars,
        _ => DEFAULT_SPECIAL.to_string(),
    };
    let classes = [
        ("upper", "min_upper", UPPER.to_string()),
        ("lower", "min_lower", LOWER.to_string()),
        ("numeric", "min_numeric", NUMERIC.to_string()),
        ("special", "min_special", special_chars),
    ];
    let mut rng = rand::rngs::OsRng;
    let mut result: Vec<char> = Vec::with_capacity(length);
    let mut pool: Vec<char> = Vec::new();
    for (enabled, minimum, chars) in &classes {
        let chars: Vec<char> = chars.chars().collect();
        let minimum = number(settings, minimum).unwrap_or(0).max(0) as usize;
        for _ in 0..minimum {
            result.push(chars[rng.gen_range(0..chars.len())]);
        }
        if boolean(settings, enabled).unwrap_or(true) {
            pool.extend(chars);
        }
    }
    if pool.is_empty() && result.len() < length {
        return Err(SimError::new(
            "no character set is enabled for random generation",
            "Set at least one of upper, lower, numeric or special to true.",
        ));
    }
    while result.len() < length {
        result.push(pool[rng.gen_range(0..pool.len())]);
    }
    result.shuffle(&mut rng);
    Ok(result.into_iter().collect())
}

/// Treats null and empty keepers as equal, as the provider's plan modifier does.
fn keepers_differ(prior: &ValueAny, planned: &ValueAny) -> bool {
    let entries = |value: &ValueAny| match value {
        ValueAny::Map(map) => map
            .iter()
            .filter(|(_, item)| !matches!(item, ValueAny::Null))
            .map(|(key, item)| (key.clone(), item.clone()))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    matches!(planned, ValueAny::Unknown) || entries(prior) != entries(planned)
}

impl Behaviour for RandomText {
    fn force_new(&self) -> &'static [&'static str] {
        &[
            "length",
            "special",
            "upper",
            "lower",
            "numeric",
            "number",
            "min_upper",
            "min_lower",
            "min_numeric",
            "min_special",
        ]
    }

    fn validate(&self, config: &Object, diags: &mut Diagnostics) {
        if let Some(length) = number(config, "length") {
            if length < 1 {
                invalid_value(
                    diags,
                    "length",
                    format!("Attribute length value must be at least 1, got: {length}"),
                );
            }
            let minimums: Option<Vec<i64>> = MIN_COUNTS
                .iter()
                .map(|name| match get(config, name) {
                    ValueAny::Number(n) => Some(*n),
                    ValueAny::Null => Some(0),
                    _ => None,
                })
                .collect();
            if let Some(minimums) = minimums {
                let sum: i64 = minimums.iter().sum();
                if length < sum {
                    invalid_value(
                        diags,
                        "length",
                        format!(
                            "Attribute length value must be at least sum of min_upper + \
                             min_lower + min_numeric + min_special ({sum}), got: {length}"
                        ),
                    );
                }
            }
        }
        if let (Some(numeric), Some(number)) =
            (boolean(config, "numeric"), boolean(config, "number"))
        {
            if numeric != number {
                invalid_value(
                    diags,
                    "number",
                    "Attributes number and numeric must have the same value when both are set"
                        .into(),
                );
            }
        }
    }

    fn plan(
        &self,
        prior: Option<&Object>,
        planned: &mut Object,
        config: &Object,
        _diags: &mut Diagnostics,
    ) -> Vec<String> {
        let Some(prior) = prior else {
            for name in ["special", "upper", "lower"] {
                fill_unknown(planned, name, ValueAny::Bool(true));
            }
            let numeric = boolean(config, "numeric")
                .or_else(|| boolean(config, "number"))
                .unwrap_or(true);
            fill_unknown(planned, "numeric", ValueAny::Bool(numeric));
            fill_unknown(planned, "number", ValueAny::Bool(numeric));
            for name in MIN_COUNTS {
                fill_unknown(planned, name, ValueAny::Number(0));
            }
            if self.password {
                planned.insert("id".into(), ValueAny::String("none".into()));
            }
            return Vec::new();
        };
        let mut replace = Vec::new();
        if keepers_differ(get(prior, "keepers"), get(planned, "keepers")) {
            replace.push("keepers".to_string());
        }
        let prior_special = get(prior, "override_special");
        let planned_special = get(planned, "override_special");
        let empty_to_null = matches!(prior_special, ValueAny::String(s) if s.is_empty())
            && is_null(planned, "override_special");
        if prior_special != planned_special && !empty_to_null {
            replace.push("override_special".to_string());
        }
        replace
    }

    fn create(&self, planned: &mut Object) -> SimResult<()> {
        let result = generate(planned)?;
        planned.insert("result".into(), ValueAny::String(result.clone()));
        if self.password {
            planned.insert("id".into(), ValueAny::String("none".into()));
            // Like bcrypt, the provider hashes at most the first 72 bytes.
            let hashed = &result.as_bytes()[..result.len().min(72)];
            let hash = bcrypt::hash(hashed, bcrypt::DEFAULT_COST)
                .map_err(|err| SimError::new(format!("bcrypt failed: {err}"), ""))?;
            fill_unknown(planned, "bcrypt_hash", ValueAny::String(hash));
        } else {
            planned.insert("id".into(), ValueAny::String(result));
        }
        Ok(())
    }

    fn read(&self, state: &Object) -> SimResult<Option<Object>> {
        Ok(Some(state.clone()))
    }

    fn update(&self, _prior: &Object, _planned: &mut Object) -> SimResult<()> {
        Ok(())
    }

    fn delete(&self, _state: &Object) -> SimResult<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, ValueAny)]) -> Object {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect()
    }

    #[test]
    fn generated_string_honours_length_and_classes() {
        let settings = settings(&[
            ("length", ValueAny::Number(12)),
            ("special", ValueAny::Bool(false)),
            ("upper", ValueAny::Bool(true)),
            ("lower", ValueAny::Bool(true)),
            ("numeric", ValueAny::Bool(true)),
        ]);
        let text = generate(&settings).unwrap();
        assert_eq!(text.chars().count(), 12);
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric()), "{text}");
    }

    #[test]
    fn generated_string_meets_minimums() {
        let settings = settings(&[
            ("length", ValueAny::Number(8)),
            ("upper", ValueAny::Bool(false)),
            ("lower", ValueAny::Bool(false)),
            ("numeric", ValueAny::Bool(false)),
            ("special", ValueAny::Bool(true)),
            ("override_special", ValueAny::String("#".into())),
            ("min_upper", ValueAny::Number(3)),
            ("min_numeric", ValueAny::Number(2)),
        ]);
        let text = generate(&settings).unwrap();
        assert_eq!(text.chars().filter(|c| c.is_ascii_uppercase()).count(), 3);
        assert_eq!(text.chars().filter(|c| c.is_ascii_digit()).count(), 2);
        assert_eq!(text.chars().filter(|c| *c == '#').count(), 3);
    }

    #[test]
    fn length_below_minimum_sum_is_rejected() {
        let config = settings(&[
            ("length", ValueAny::Number(2)),
            ("min_upper", ValueAny::Number(2)),
            ("min_lower", ValueAny::Number(1)),
        ]);
        let mut diags = Diagnostics::default();
        RandomText { password: false }.validate(&config, &mut diags);
        assert_eq!(diags.errors.len(), 1);
    }
}
