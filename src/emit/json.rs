//! Prints the IR as Terraform JSON (`*.tf.json`). Expression fields are templates, so their
//! literal `${` and `%{` are escaped. Literal fields are written as they are: variable
//! descriptions and defaults, output descriptions, the `terraform` block and module sources.
//! Keys keep the IR's order, and `terraform fmt` ignores JSON, so this output is canonical
//! by itself: serde_json's pretty printer with two-space indentation.

use serde_json::{Map, Value as Json};

use super::hcl::{inline, traversal_text};
use crate::ir::{
    BodyItem, Expr, File, Item, Lifecycle, Repetition, Resource, ResourceMode, TemplatePart, Value,
};

pub fn render_file(file: &File, header: &str) -> String {
    let mut root = Map::new();
    root.insert("//".into(), Json::String(header.into()));
    for item in &file.items {
        add_item(&mut root, item);
    }
    let mut text = serde_json::to_string_pretty(&Json::Object(root)).expect("JSON values print");
    text.push('\n');
    text
}

/// Returns the object under `key`, creating it in insertion order.
fn child<'a>(map: &'a mut Map<String, Json>, key: &str) -> &'a mut Map<String, Json> {
    let entry = map
        .entry(key.to_owned())
        .or_insert_with(|| Json::Object(Map::new()));
    match entry {
        Json::Object(object) => object,
        _ => unreachable!("only objects are stored under block keys"),
    }
}

fn add_item(root: &mut Map<String, Json>, item: &Item) {
    match item {
        Item::Settings(settings) => {
            let terraform = child(root, "terraform");
            if let Some(version) = &settings.required_version {
                terraform.insert("required_version".into(), Json::String(version.clone()));
            }
            if !settings.required_providers.is_empty() {
                let providers = child(terraform, "required_providers");
                for provider in &settings.required_providers {
                    let mut body = Map::new();
                    body.insert("source".into(), Json::String(provider.source.clone()));
                    body.insert("version".into(), Json::String(provider.version.clone()));
                    providers.insert(provider.local_name.to_string(), Json::Object(body));
                }
            }
        }
        Item::Provider(provider) => {
            let body = body_object(&provider.body);
            child(root, "provider").insert(provider.name.to_string(), Json::Object(body));
        }
        Item::Variable(variable) => {
            let mut body = Map::new();
            body.insert("type".into(), Json::String(variable.ty.to_string()));
            body.insert(
                "description".into(),
                Json::String(variable.description.clone()),
            );
            if let Some(default) = &variable.default {
                body.insert("default".into(), literal(default));
            }
            if variable.sensitive {
                body.insert("sensitive".into(), Json::Bool(true));
            }
            if !variable.validations.is_empty() {
                let validations = variable
                    .validations
                    .iter()
                    .map(|validation| {
                        let mut rule = Map::new();
                        rule.insert("condition".into(), expression(&validation.condition));
                        rule.insert(
                            "error_message".into(),
                            expression(&Expr::string(&validation.error_message)),
                        );
                        Json::Object(rule)
                    })
                    .collect();
                body.insert("validation".into(), Json::Array(validations));
            }
            child(root, "variable").insert(variable.name.to_string(), Json::Object(body));
        }
        Item::Locals(locals) => {
            let object = child(root, "locals");
            for (name, value) in locals {
                object.insert(name.to_string(), expression(value));
            }
        }
        Item::Resource(resource) => {
            let mode = match resource.mode {
                ResourceMode::Managed => "resource",
                ResourceMode::Data => "data",
            };
            let body = resource_object(resource);
            child(child(root, mode), resource.kind.as_str())
                .insert(resource.name.to_string(), Json::Object(body));
        }
        Item::Module(call) => {
            let mut body = Map::new();
            body.insert("source".into(), Json::String(call.source.clone()));
            if let Some(version) = &call.version {
                body.insert("version".into(), Json::String(version.clone()));
            }
            add_repetition(&mut body, &call.repetition);
            for (name, value) in &call.arguments {
                body.insert(name.to_string(), expression(value));
            }
            child(root, "module").insert(call.name.to_string(), Json::Object(body));
        }
        Item::Moved(moved) => {
            let mut body = Map::new();
            body.insert("from".into(), Json::String(moved.from.clone()));
            body.insert("to".into(), Json::String(moved.to.clone()));
            let list = root
                .entry("moved")
                .or_insert_with(|| Json::Array(Vec::new()));
            if let Json::Array(list) = list {
                list.push(Json::Object(body));
            }
        }
        Item::Output(output) => {
            let mut body = Map::new();
            body.insert(
                "description".into(),
                Json::String(output.description.clone()),
            );
            body.insert("value".into(), expression(&output.value));
            if output.sensitive {
                body.insert("sensitive".into(), Json::Bool(true));
            }
            child(root, "output").insert(output.name.to_string(), Json::Object(body));
        }
    }
}

fn add_repetition(body: &mut Map<String, Json>, repetition: &Repetition) {
    match repetition {
        Repetition::Single => {}
        Repetition::Count(count) => {
            body.insert("count".into(), expression(count));
        }
        Repetition::ForEach(each) => {
            body.insert("for_each".into(), expression(each));
        }
    }
}

fn resource_object(resource: &Resource) -> Map<String, Json> {
    let mut body = Map::new();
    add_repetition(&mut body, &resource.repetition);
    body.extend(body_object(&resource.body));
    if let Some(lifecycle) = &resource.lifecycle {
        body.insert("lifecycle".into(), lifecycle_object(lifecycle));
    }
    if !resource.depends_on.is_empty() {
        let refs = resource
            .depends_on
            .iter()
            .map(|r| Json::String(traversal_text(r)))
            .collect();
        body.insert("depends_on".into(), Json::Array(refs));
    }
    body
}

/// `ignore_changes` takes bare attribute names, never `${...}`.
fn lifecycle_object(lifecycle: &Lifecycle) -> Json {
    let mut body = Map::new();
    let names = lifecycle
        .ignore_changes
        .iter()
        .map(|r| Json::String(traversal_text(r)))
        .collect();
    body.insert("ignore_changes".into(), Json::Array(names));
    Json::Object(body)
}

/// Nested blocks of one kind become an array of objects, which keeps their order.
fn body_object(items: &[BodyItem]) -> Map<String, Json> {
    let mut body = Map::new();
    for item in items {
        match item {
            BodyItem::Attribute(name, value) => {
                body.insert(name.to_string(), expression(value));
            }
            BodyItem::Block(block) => {
                let nested = Json::Object(body_object(&block.body));
                let list = body
                    .entry(block.kind.to_string())
                    .or_insert_with(|| Json::Array(Vec::new()));
                if let Json::Array(list) = list {
                    list.push(nested);
                }
            }
        }
    }
    body
}

/// Converts a variable default into JSON, without template escaping.
fn literal(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::from(*n),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(literal).collect()),
    }
}

/// Converts an expression field. Literals keep their JSON type, and anything else becomes
/// a template string. A string that is exactly `${expr}` keeps the expression's type.
pub fn expression(value: &Expr) -> Json {
    match value {
        Expr::Null => Json::Null,
        Expr::Bool(b) => Json::Bool(*b),
        Expr::Number(n) => Json::from(*n),
        Expr::String(text) => Json::String(template(&[TemplatePart::Literal(text.clone())])),
        Expr::Template(parts) => Json::String(template(parts)),
        Expr::List { items, .. } => Json::Array(items.iter().map(expression).collect()),
        Expr::Object { items, .. } => Json::Object(
            items
                .iter()
                .map(|(key, v)| (key.to_string(), expression(v)))
                .collect(),
        ),
        other => Json::String(format!("${{{}}}", inline(other))),
    }
}

/// Writes a template as the content of a JSON string. JSON's own escapes cover quotes,
/// backslashes and control characters, so literal text only needs `$${` and `%%{`.
/// Interpolations are native syntax. Terraform 1.11 misreads three literals in JSON, so
/// they are written as interpolated strings instead:
/// - a run of `$` right before an interpolation, which would join into `$${`;
/// - a carriage return, after which the rest of the string is read as plain text;
/// - a byte order mark at the start, which is dropped.
fn template(parts: &[TemplatePart]) -> String {
    let mut out = String::new();
    for (index, part) in parts.iter().enumerate() {
        match part {
            TemplatePart::Literal(text) => {
                let before_interpolation =
                    matches!(parts.get(index + 1), Some(TemplatePart::Interpolation(_)));
                push_literal(&mut out, text, before_interpolation);
            }
            TemplatePart::Interpolation(inner) => {
                out.push_str("${");
                out.push_str(&inline(inner));
                out.push('}');
            }
        }
    }
    out
}

/// Appends literal text to a JSON template. A run of `$` is held back until the next
/// character shows how to write it: doubled before `{`, as an interpolated string before
/// an interpolation, and as it is otherwise.
fn push_literal(out: &mut String, text: &str, before_interpolation: bool) {
    let mut dollars = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => {
                dollars += 1;
                continue;
            }
            '{' => {
                if dollars > 0 {
                    // The last `$` of the run opens `${`, so it is doubled.
                    out.push_str(&"$".repeat(dollars + 1));
                    dollars = 0;
                }
                out.push('{');
            }
            '\r' => {
                flush_dollars(out, &mut dollars, true);
                out.push_str("${\"\\r\"}");
            }
            '\u{feff}' if out.is_empty() && dollars == 0 => out.push_str("${\"\\uFEFF\"}"),
            '%' if chars.peek() == Some(&'{') => {
                flush_dollars(out, &mut dollars, false);
                out.push_str("%%");
            }
            c => {
                flush_dollars(out, &mut dollars, false);
                out.push(c);
            }
        }
    }
    flush_dollars(out, &mut dollars, before_interpolation);
}

/// Writes a held-back run of `$`, as an interpolated string when an interpolation follows.
fn flush_dollars(out: &mut String, dollars: &mut usize, before_interpolation: bool) {
    if *dollars == 0 {
        return;
    }
    let run = "$".repeat(*dollars);
    if before_interpolation {
        out.push_str(&format!("${{\"{run}\"}}"));
    } else {
        out.push_str(&run);
    }
    *dollars = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_is_escaped_in_expressions() {
        assert_eq!(
            expression(&Expr::string("a ${b} %{c}")),
            Json::String("a $${b} %%{c}".into())
        );
        assert_eq!(
            literal(&Value::String("a ${b}".into())),
            Json::String("a ${b}".into())
        );
    }

    #[test]
    fn quotes_and_backslashes_stay_literal() {
        assert_eq!(
            expression(&Expr::string("say \"hi\" \\ now\n")),
            Json::String("say \"hi\" \\ now\n".into())
        );
    }

    #[test]
    fn dollar_before_interpolation() {
        let parts = vec![
            TemplatePart::Literal("cost$".into()),
            TemplatePart::Interpolation(Expr::path("var.namespace")),
        ];
        assert_eq!(template(&parts), "cost${\"$\"}${var.namespace}");
    }

    #[test]
    fn carriage_return_and_bom_are_interpolated() {
        let parts = vec![
            TemplatePart::Literal("\u{feff}a\rb$$".into()),
            TemplatePart::Interpolation(Expr::path("var.namespace")),
        ];
        assert_eq!(
            template(&parts),
            "${\"\\uFEFF\"}a${\"\\r\"}b${\"$$\"}${var.namespace}"
        );
    }

    #[test]
    fn references_become_interpolations() {
        assert_eq!(
            expression(&Expr::path("var.namespace")),
            Json::String("${var.namespace}".into())
        );
    }
}
