//! Helpers over tf-provider's dynamic value type.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value as Json;
use tf_provider::value::ValueAny;

/// Attributes of one resource or data source object, keyed by name.
pub type Object = BTreeMap<String, ValueAny>;

/// Returns the attribute map of an object value, or an empty map for null or unknown.
pub fn object(value: ValueAny) -> Object {
    match value {
        ValueAny::Map(map) => map,
        _ => Object::new(),
    }
}

pub fn get<'a>(obj: &'a Object, name: &str) -> &'a ValueAny {
    static NULL: ValueAny = ValueAny::Null;
    obj.get(name).unwrap_or(&NULL)
}

/// Returns a known string attribute; null, unknown and other types give `None`.
pub fn string(obj: &Object, name: &str) -> Option<String> {
    match get(obj, name) {
        ValueAny::String(s) => Some(s.clone()),
        _ => None,
    }
}

pub fn number(obj: &Object, name: &str) -> Option<i64> {
    match get(obj, name) {
        ValueAny::Number(n) => Some(*n),
        _ => None,
    }
}

pub fn boolean(obj: &Object, name: &str) -> Option<bool> {
    match get(obj, name) {
        ValueAny::Bool(b) => Some(*b),
        _ => None,
    }
}

pub fn is_null(obj: &Object, name: &str) -> bool {
    matches!(get(obj, name), ValueAny::Null)
}

pub fn is_unknown(obj: &Object, name: &str) -> bool {
    matches!(get(obj, name), ValueAny::Unknown)
}

pub fn set_string(obj: &mut Object, name: &str, value: impl Into<String>) {
    obj.insert(name.to_string(), ValueAny::String(value.into()));
}

/// Sets an attribute only when the plan left it unknown, so configured values stay as they are.
pub fn fill_unknown(obj: &mut Object, name: &str, value: ValueAny) {
    if is_unknown(obj, name) {
        obj.insert(name.to_string(), value);
    }
}

/// Replaces every unknown value left in `value` by null, because Terraform rejects
/// unknown values in the result of an apply.
pub fn nullify_unknown(value: &mut ValueAny) {
    match value {
        ValueAny::Unknown => *value = ValueAny::Null,
        ValueAny::List(items) => items.iter_mut().for_each(nullify_unknown),
        ValueAny::Map(map) => map.values_mut().for_each(nullify_unknown),
        _ => {}
    }
}

/// Converts a known value to JSON for the cloud file. Unknown values become null.
pub fn to_json(value: &ValueAny) -> Json {
    match value {
        ValueAny::String(s) => Json::String(s.clone()),
        ValueAny::Number(n) => Json::from(*n),
        ValueAny::Bool(b) => Json::Bool(*b),
        ValueAny::List(items) => Json::Array(items.iter().map(to_json).collect()),
        ValueAny::Map(map) => Json::Object(
            map.iter()
                .map(|(key, item)| (key.clone(), to_json(item)))
                .collect(),
        ),
        ValueAny::Null | ValueAny::Unknown => Json::Null,
    }
}

/// Converts JSON from the cloud file back to a value.
// NOTE: tf-provider 0.2.2 stores numbers as i64, so a fractional number is truncated.
pub fn from_json(json: &Json) -> ValueAny {
    match json {
        Json::Null => ValueAny::Null,
        Json::Bool(b) => ValueAny::Bool(*b),
        Json::Number(n) => ValueAny::Number(
            n.as_i64()
                .unwrap_or_else(|| n.as_f64().unwrap_or_default() as i64),
        ),
        Json::String(s) => ValueAny::String(s.clone()),
        Json::Array(items) => ValueAny::List(items.iter().map(from_json).collect()),
        Json::Object(map) => ValueAny::Map(
            map.iter()
                .map(|(key, item)| (key.clone(), from_json(item)))
                .collect(),
        ),
    }
}

pub fn object_to_json(obj: &Object) -> Json {
    to_json(&ValueAny::Map(obj.clone()))
}

/// Formats the current UTC time as RFC 3339 with second precision, e.g. `2026-01-02T03:04:05Z`.
pub fn utc_now_rfc3339() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, time_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil inverse).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        time_of_day / 3600,
        time_of_day % 3600 / 60,
        time_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_timestamp_has_expected_shape() {
        let now = utc_now_rfc3339();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.ends_with('Z'), "{now}");
        assert!(now.starts_with("20"), "{now}");
    }

    #[test]
    fn json_round_trip_keeps_nested_values() {
        let json: Json = serde_json::json!({"a": [1, "x", true, null], "b": {"c": "d"}});
        assert_eq!(to_json(&from_json(&json)), json);
    }
}
