//! The README's reference tables, in the layout of terraform-docs' `markdown table` format
//! (v0.22 and later, default settings), written between the BEGIN_TF_DOCS and END_TF_DOCS
//! markers so that either tool can refresh them.

use std::fmt::Write as _;

use crate::ir::{Module, ResourceMode, Value};

pub const BEGIN: &str = "<!-- BEGIN_TF_DOCS -->";
pub const END: &str = "<!-- END_TF_DOCS -->";

/// Renders the region between the markers, markers included, ending with a newline.
pub fn render(module: &Module) -> String {
    let mut out = String::new();
    out.push_str(BEGIN);
    out.push('\n');
    requirements(&mut out, module);
    providers(&mut out, module);
    out.push_str("## Modules\n\nNo modules.\n\n");
    resources(&mut out, module);
    inputs(&mut out, module);
    outputs(&mut out, module);
    out.push_str(END);
    out.push('\n');
    out
}

/// Escapes underscores, as terraform-docs does in link text and anchors.
fn escape_name(name: &str) -> String {
    name.replace('_', "\\_")
}

/// Escapes a description for a table cell: `|` and underscores outside code spans, and
/// line breaks as `<br/>`.
fn escape_cell(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            '_' if !in_code => out.push_str("\\_"),
            c => out.push(c),
        }
    }
    out
}

fn name_cell(kind: &str, name: &str) -> String {
    format!(
        "<a name=\"{kind}_{name}\"></a> [{}](#{kind}\\_{})",
        escape_name(name),
        escape_name(name)
    )
}

fn requirements(out: &mut String, module: &Module) {
    out.push_str("## Requirements\n\n| Name | Version |\n| ---- | ------- |\n");
    if let Some(settings) = module.settings() {
        if let Some(version) = &settings.required_version {
            let _ = writeln!(
                out,
                "| {} | {} |",
                name_cell("requirement", "terraform"),
                version
            );
        }
        let mut providers: Vec<_> = settings.required_providers.iter().collect();
        providers.sort_by(|a, b| a.local_name.cmp(&b.local_name));
        for provider in providers {
            let _ = writeln!(
                out,
                "| {} | {} |",
                name_cell("requirement", provider.local_name.as_str()),
                provider.version
            );
        }
    }
    out.push('\n');
}

fn providers(out: &mut String, module: &Module) {
    out.push_str("## Providers\n\n| Name | Version |\n| ---- | ------- |\n");
    if let Some(settings) = module.settings() {
        let mut providers: Vec<_> = settings.required_providers.iter().collect();
        providers.sort_by(|a, b| a.local_name.cmp(&b.local_name));
        for provider in providers {
            let _ = writeln!(
                out,
                "| {} | {} |",
                name_cell("provider", provider.local_name.as_str()),
                provider.version
            );
        }
    }
    out.push('\n');
}

fn resources(out: &mut String, module: &Module) {
    let source_of = |kind: &str| -> (String, String) {
        let (provider, short) = kind.split_once('_').unwrap_or((kind, kind));
        let namespace = module
            .settings()
            .and_then(|s| {
                s.required_providers
                    .iter()
                    .find(|p| p.local_name.as_str() == provider)
            })
            .map_or(format!("hashicorp/{provider}"), |p| p.source.clone());
        (namespace, short.to_owned())
    };
    let mut rows: Vec<(u8, String, String)> = module
        .resources()
        .map(|resource| {
            let (source, short) = source_of(resource.kind.as_str());
            let (order, kind, section) = match resource.mode {
                ResourceMode::Managed => (0, "resource", "resources"),
                ResourceMode::Data => (1, "data source", "data-sources"),
            };
            let address = format!("{}.{}", resource.kind, resource.name);
            let row = format!(
                "| [{address}](https://registry.terraform.io/providers/{source}/latest/docs/{section}/{short}) | {kind} |"
            );
            (order, address, row)
        })
        .collect();
    rows.sort();
    if rows.is_empty() {
        out.push_str("## Resources\n\nNo resources.\n\n");
        return;
    }
    out.push_str("## Resources\n\n| Name | Type |\n| ---- | ---- |\n");
    for (_, _, row) in rows {
        out.push_str(&row);
        out.push('\n');
    }
    out.push('\n');
}

/// Renders a default the way terraform-docs does: scalars inline in backticks, lists as
/// indented JSON inside `<pre>`.
fn default_cell(value: &Value) -> String {
    match value {
        Value::List(items) if !items.is_empty() => {
            let json = serde_json::to_string_pretty(&to_json(value)).unwrap_or_default();
            format!(
                "<pre>{}</pre>",
                json.replace('\n', "<br/>").replace('|', "\\|")
            )
        }
        _ => format!(
            "`{}`",
            serde_json::to_string(&to_json(value))
                .unwrap_or_default()
                .replace('|', "\\|")
        ),
    }
}

fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Value::from(*n),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
    }
}

fn inputs(out: &mut String, module: &Module) {
    let mut variables: Vec<_> = module.variables().collect();
    if variables.is_empty() {
        out.push_str("## Inputs\n\nNo inputs.\n\n");
        return;
    }
    variables.sort_by(|a, b| a.name.cmp(&b.name));
    out.push_str("## Inputs\n\n| Name | Description | Type | Default | Required |\n| ---- | ----------- | ---- | ------- | :------: |\n");
    for variable in variables {
        let default = variable
            .default
            .as_ref()
            .map_or("n/a".to_owned(), default_cell);
        let required = if variable.default.is_none() {
            "yes"
        } else {
            "no"
        };
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} | {} |",
            name_cell("input", variable.name.as_str()),
            escape_cell(&variable.description),
            variable.ty,
            default,
            required
        );
    }
    out.push('\n');
}

fn outputs(out: &mut String, module: &Module) {
    let mut outputs: Vec<_> = module.outputs().collect();
    if outputs.is_empty() {
        out.push_str("## Outputs\n\nNo outputs.\n");
        return;
    }
    outputs.sort_by(|a, b| a.name.cmp(&b.name));
    out.push_str("## Outputs\n\n| Name | Description |\n| ---- | ----------- |\n");
    for output in outputs {
        let _ = writeln!(
            out,
            "| {} | {} |",
            name_cell("output", output.name.as_str()),
            escape_cell(&output.description)
        );
    }
}

/// Markers of the README section with cr-modgen's own prose.
pub const BODY_BEGIN: &str = "<!-- BEGIN_CR_MODGEN -->";
pub const BODY_END: &str = "<!-- END_CR_MODGEN -->";

/// Replaces the region between `begin` and `end` of an existing README, markers included,
/// keeping the text around it. Returns `None` when the README lacks either marker.
pub fn replace_marked(readme: &str, begin: &str, end_mark: &str, region: &str) -> Option<String> {
    let start = readme.find(begin)?;
    let end_marker = start + readme[start..].find(end_mark)?;
    let mut end = end_marker + end_mark.len();
    if readme[end..].starts_with("\r\n") {
        end += 2;
    } else if readme[end..].starts_with('\n') {
        end += 1;
    }
    Some(format!("{}{}{}", &readme[..start], region, &readme[end..]))
}

/// Replaces the terraform-docs region of an existing README.
pub fn replace_region(readme: &str, region: &str) -> Option<String> {
    replace_marked(readme, BEGIN, END, region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_escaping() {
        assert_eq!(escape_cell("a_b `c_d` e|f\ng"), "a\\_b `c_d` e\\|f<br/>g");
    }

    #[test]
    fn region_replacement_keeps_prose() {
        let readme = format!("intro\n{BEGIN}\nold\n{END}\noutro\n");
        let region = format!("{BEGIN}\nnew\n{END}\n");
        assert_eq!(
            replace_region(&readme, &region).unwrap(),
            format!("intro\n{BEGIN}\nnew\n{END}\noutro\n")
        );
        assert_eq!(replace_region("no markers", &region), None);
    }

    #[test]
    fn list_default_is_pre_block() {
        let value = Value::List(vec![Value::String("default".into())]);
        assert_eq!(default_cell(&value), "<pre>[<br/>  \"default\"<br/>]</pre>");
        assert_eq!(default_cell(&Value::List(vec![])), "`[]`");
        assert_eq!(default_cell(&Value::String(String::new())), "`\"\"`");
    }
}
