//! Reads resource instances from a Terraform state: the v4 `terraform.tfstate` file, or the
//! output of `terraform show -json`.

use std::fmt;

use serde_json::{Map, Value};

/// An instance key: `[0]` under `count`, `["name"]` under `for_each`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum InstanceKey {
    Int(i64),
    String(String),
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Int(index) => write!(f, "[{index}]"),
            InstanceKey::String(name) => write!(f, "[{}]", Value::String(name.clone())),
        }
    }
}

/// One resource instance recorded in state.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// The module path, such as `module.cr`, or empty for the root module.
    pub module: String,
    pub managed: bool,
    pub kind: String,
    pub name: String,
    pub key: Option<InstanceKey>,
    /// The provider source address, such as `registry.terraform.io/hashicorp/alicloud`.
    pub provider: String,
    pub attributes: Map<String, Value>,
}

impl Instance {
    /// Returns the full address, such as `module.cr.alicloud_cr_repo.x[0]`.
    pub fn address(&self) -> String {
        let mut address = String::new();
        if !self.module.is_empty() {
            address.push_str(&self.module);
            address.push('.');
        }
        if !self.managed {
            address.push_str("data.");
        }
        address.push_str(&self.kind);
        address.push('.');
        address.push_str(&self.name);
        if let Some(key) = &self.key {
            address.push_str(&key.to_string());
        }
        address
    }

    pub fn attribute_str(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).and_then(Value::as_str)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("state has an unsupported shape: {0}")]
    Shape(String),
}

/// Parses a state from either supported format.
pub fn parse(text: &str) -> Result<Vec<Instance>, StateError> {
    let root: Value = serde_json::from_str(text)?;
    if root.get("resources").is_some() {
        let version = root.get("version").and_then(Value::as_u64);
        if version != Some(4) {
            return Err(StateError::Shape(format!(
                "state file version {} is not 4; upgrade it with Terraform 0.12 or later",
                version.map_or("unknown".to_owned(), |v| v.to_string())
            )));
        }
        return parse_v4(&root);
    }
    if let Some(values) = root.get("values") {
        let mut instances = Vec::new();
        if let Some(module) = values.get("root_module") {
            collect_show_module(module, &mut instances)?;
        }
        return Ok(instances);
    }
    if root.get("format_version").is_some() {
        // `terraform show -json` of an empty state has no `values`.
        return Ok(Vec::new());
    }
    Err(StateError::Shape(
        "expected a v4 state (with `resources`) or `terraform show -json` output (with `values`)"
            .into(),
    ))
}

/// Extracts the source address from `provider["registry.terraform.io/x/y"]`, with or
/// without a module prefix and alias.
fn provider_source(text: &str) -> String {
    let start = text.find("[\"").map(|i| i + 2);
    let end = text.rfind("\"]");
    match (start, end) {
        (Some(start), Some(end)) if start <= end => text[start..end].to_owned(),
        _ => text.to_owned(),
    }
}

fn parse_v4(root: &Value) -> Result<Vec<Instance>, StateError> {
    let resources = root["resources"]
        .as_array()
        .ok_or_else(|| StateError::Shape("`resources` is not a list".into()))?;
    let mut instances = Vec::new();
    for resource in resources {
        let field = |name: &str| -> Result<String, StateError> {
            resource[name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| StateError::Shape(format!("a resource lacks `{name}`")))
        };
        let mode = field("mode")?;
        let kind = field("type")?;
        let name = field("name")?;
        let provider = provider_source(&field("provider")?);
        let module = resource["module"].as_str().unwrap_or("").to_owned();
        for instance in resource["instances"].as_array().into_iter().flatten() {
            instances.push(Instance {
                module: module.clone(),
                managed: mode == "managed",
                kind: kind.clone(),
                name: name.clone(),
                key: key_of(&instance["index_key"]),
                provider: provider.clone(),
                attributes: instance["attributes"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            });
        }
    }
    Ok(instances)
}

fn key_of(value: &Value) -> Option<InstanceKey> {
    match value {
        Value::Number(n) => n.as_i64().map(InstanceKey::Int),
        Value::String(s) => Some(InstanceKey::String(s.clone())),
        _ => None,
    }
}

fn collect_show_module(module: &Value, instances: &mut Vec<Instance>) -> Result<(), StateError> {
    let path = module["address"].as_str().unwrap_or("").to_owned();
    for resource in module["resources"].as_array().into_iter().flatten() {
        let text = |name: &str| resource[name].as_str().unwrap_or("").to_owned();
        instances.push(Instance {
            module: path.clone(),
            managed: text("mode") == "managed",
            kind: text("type"),
            name: text("name"),
            key: key_of(&resource["index"]),
            provider: text("provider_name"),
            attributes: resource["values"].as_object().cloned().unwrap_or_default(),
        });
    }
    for child in module["child_modules"].as_array().into_iter().flatten() {
        collect_show_module(child, instances)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_v4_state() {
        let text = r#"{"version": 4, "resources": [{"module": "module.cr", "mode": "managed",
            "type": "alicloud_cr_repo", "name": "r", "each": "list",
            "provider": "module.cr.provider[\"registry.terraform.io/hashicorp/alicloud\"]",
            "instances": [{"index_key": 0, "attributes": {"name": "one"}}]}]}"#;
        let instances = parse(text).unwrap();
        assert_eq!(instances.len(), 1);
        assert_eq!(instances[0].address(), "module.cr.alicloud_cr_repo.r[0]");
        assert_eq!(
            instances[0].provider,
            "registry.terraform.io/hashicorp/alicloud"
        );
        assert_eq!(instances[0].attribute_str("name"), Some("one"));
    }

    #[test]
    fn reads_show_json() {
        let text = r#"{"format_version": "1.0", "values": {"root_module": {"child_modules": [
            {"address": "module.cr", "resources": [{"address": "module.cr.x.y[\"a\"]",
            "mode": "managed", "type": "x", "name": "y", "index": "a",
            "provider_name": "registry.terraform.io/aliyun/alicloud", "values": {}}]}]}}}"#;
        let instances = parse(text).unwrap();
        assert_eq!(instances[0].address(), "module.cr.x.y[\"a\"]");
    }

    #[test]
    fn rejects_other_versions() {
        assert!(parse(r#"{"version": 3, "resources": []}"#).is_err());
        assert!(parse("[]").is_err());
    }
}
