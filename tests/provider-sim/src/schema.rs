//! Conversion of `terraform providers schema -json` data into tf-provider schemas.
//!
//! The JSON files under `schema/` are the single source of the attribute layout, so the
//! emulator never restates a schema by hand.

use std::collections::HashMap;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value as Json;
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
};

pub const ALICLOUD_SCHEMA_JSON: &str = include_str!("../../../schema/alicloud.json");
pub const RANDOM_SCHEMA_JSON: &str = include_str!("../../../schema/random.json");

/// Schemas of one provider, as read from its JSON document.
pub struct ProviderSchemas {
    pub provider: Json,
    pub resources: serde_json::Map<String, Json>,
    pub data_sources: serde_json::Map<String, Json>,
}

impl ProviderSchemas {
    /// Parses a schema document that contains exactly one provider.
    pub fn parse(document: &str) -> Result<Self> {
        let root: Json = serde_json::from_str(document).context("invalid provider schema JSON")?;
        let providers = root
            .get("provider_schemas")
            .and_then(Json::as_object)
            .ok_or_else(|| anyhow!("schema JSON has no provider_schemas object"))?;
        let (_, provider) = providers
            .iter()
            .next()
            .ok_or_else(|| anyhow!("schema JSON lists no provider"))?;
        let section = |name: &str| {
            provider
                .get(name)
                .and_then(Json::as_object)
                .cloned()
                .unwrap_or_default()
        };
        Ok(Self {
            provider: provider
                .get("provider")
                .cloned()
                .ok_or_else(|| anyhow!("schema JSON has no provider block"))?,
            resources: section("resource_schemas"),
            data_sources: section("data_source_schemas"),
        })
    }

    pub fn resource(&self, type_name: &str) -> Result<&Json> {
        self.resources
            .get(type_name)
            .ok_or_else(|| anyhow!("resource type {type_name} is missing from the schema JSON"))
    }

    pub fn data_source(&self, type_name: &str) -> Result<&Json> {
        self.data_sources
            .get(type_name)
            .ok_or_else(|| anyhow!("data source {type_name} is missing from the schema JSON"))
    }
}

/// Converts one `{"version": N, "block": {...}}` entry into a tf-provider schema.
pub fn to_schema(entry: &Json) -> Result<Schema> {
    let version = entry.get("version").and_then(Json::as_i64).unwrap_or(0);
    let block = entry
        .get("block")
        .ok_or_else(|| anyhow!("schema entry has no block"))?;
    Ok(Schema {
        version,
        block: to_block(block, version)?,
    })
}

fn description(node: &Json) -> Description {
    Description::plain(node.get("description").and_then(Json::as_str).unwrap_or(""))
}

fn flag(node: &Json, name: &str) -> bool {
    node.get(name).and_then(Json::as_bool).unwrap_or(false)
}

fn to_block(block: &Json, version: i64) -> Result<Block> {
    let mut attributes = HashMap::new();
    if let Some(attrs) = block.get("attributes").and_then(Json::as_object) {
        for (name, attr) in attrs {
            attributes.insert(name.clone(), to_attribute(attr).context(name.clone())?);
        }
    }
    let mut blocks = HashMap::new();
    if let Some(nested) = block.get("block_types").and_then(Json::as_object) {
        for (name, nested_block) in nested {
            let inner = to_block(
                nested_block
                    .get("block")
                    .ok_or_else(|| anyhow!("nested block {name} has no block"))?,
                version,
            )?;
            let mode = nested_block
                .get("nesting_mode")
                .and_then(Json::as_str)
                .unwrap_or("list");
            let converted = match mode {
                "list" => NestedBlock::List(inner),
                "set" => NestedBlock::Set(inner),
                "map" => NestedBlock::Map(inner),
                "group" => NestedBlock::Group(inner),
                // NOTE: tf-provider 0.2.2 sends a `single` block with min_items = 1, which
                // Terraform reads as a required block. A group block is optional and has the
                // same object type, but an absent block reads as an object of nulls, not null.
                "single" => NestedBlock::Group(inner),
                other => bail!("unsupported nesting mode {other} for block {name}"),
            };
            blocks.insert(name.clone(), converted);
        }
    }
    Ok(Block {
        version,
        attributes,
        blocks,
        description: description(block),
        deprecated: flag(block, "deprecated"),
    })
}

fn to_attribute(attr: &Json) -> Result<Attribute> {
    let attr_type = to_type(
        attr.get("type")
            .ok_or_else(|| anyhow!("attribute has no type"))?,
    )?;
    let constraint = match (
        flag(attr, "required"),
        flag(attr, "optional"),
        flag(attr, "computed"),
    ) {
        (true, _, _) => AttributeConstraint::Required,
        (false, true, true) => AttributeConstraint::OptionalComputed,
        (false, true, false) => AttributeConstraint::Optional,
        (false, false, true) => AttributeConstraint::Computed,
        (false, false, false) => bail!("attribute is neither required, optional nor computed"),
    };
    Ok(Attribute {
        attr_type,
        description: description(attr),
        constraint,
        sensitive: flag(attr, "sensitive"),
        deprecated: flag(attr, "deprecated"),
    })
}

/// Converts a cty type in its JSON form (`"string"`, `["list", "string"]`, ...).
fn to_type(node: &Json) -> Result<AttributeType> {
    if let Some(name) = node.as_str() {
        return match name {
            "string" => Ok(AttributeType::String),
            "number" => Ok(AttributeType::Number),
            "bool" => Ok(AttributeType::Bool),
            "dynamic" => Ok(AttributeType::Any),
            other => bail!("unknown primitive type {other}"),
        };
    }
    let parts = node
        .as_array()
        .ok_or_else(|| anyhow!("invalid type {node}"))?;
    let kind = parts.first().and_then(Json::as_str).unwrap_or("");
    let argument = parts
        .get(1)
        .ok_or_else(|| anyhow!("type {node} has no element type"))?;
    match kind {
        "list" => Ok(AttributeType::List(Box::new(to_type(argument)?))),
        "set" => Ok(AttributeType::Set(Box::new(to_type(argument)?))),
        "map" => Ok(AttributeType::Map(Box::new(to_type(argument)?))),
        "object" => {
            let fields = argument
                .as_object()
                .ok_or_else(|| anyhow!("object type {node} has no field map"))?;
            let mut converted = HashMap::new();
            for (name, field) in fields {
                converted.insert(name.clone(), to_type(field)?);
            }
            Ok(AttributeType::Object(converted))
        }
        "tuple" => {
            let items = argument
                .as_array()
                .ok_or_else(|| anyhow!("tuple type {node} has no element list"))?;
            Ok(AttributeType::Tuple(
                items.iter().map(to_type).collect::<Result<_>>()?,
            ))
        }
        other => bail!("unknown collection type {other}"),
    }
}

/// Names of the top-level attributes of a schema entry that are computed.
pub fn computed_attributes(entry: &Json) -> Vec<String> {
    entry
        .get("block")
        .and_then(|block| block.get("attributes"))
        .and_then(Json::as_object)
        .map(|attrs| {
            attrs
                .iter()
                .filter(|(_, attr)| flag(attr, "computed"))
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_convert_for_every_entry() {
        for document in [ALICLOUD_SCHEMA_JSON, RANDOM_SCHEMA_JSON] {
            let schemas = ProviderSchemas::parse(document).unwrap();
            to_schema(&schemas.provider).unwrap();
            for (name, entry) in schemas.resources.iter().chain(schemas.data_sources.iter()) {
                to_schema(entry).unwrap_or_else(|err| panic!("{name}: {err:#}"));
            }
        }
    }

    #[test]
    fn random_string_keeps_schema_version() {
        let schemas = ProviderSchemas::parse(RANDOM_SCHEMA_JSON).unwrap();
        let schema = to_schema(schemas.resource("random_string").unwrap()).unwrap();
        assert_eq!(schema.version, 2);
    }
}
