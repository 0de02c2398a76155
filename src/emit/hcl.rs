//! Prints the IR as HCL exactly as `terraform fmt` (Terraform 1.11) lays it out: two-space
//! indentation, `=` aligned across runs of single-line attributes, `{}` for empty blocks.

use crate::ir::{
    BinaryOp, Block, BodyItem, Expr, File, Item, Lifecycle, ModuleCall, Moved, Output,
    ProviderConfig, Repetition, Resource, ResourceMode, Settings, Step, TemplatePart, Traversal,
    Value, Variable,
};

/// Lists of defaults longer than this many characters are written one item per line.
const INLINE_LIST_MAX: usize = 60;

/// Renders one file, starting with the `# header` comment line.
pub fn render_file(file: &File, header: &str) -> String {
    let mut out = format!("# {header}\n");
    for item in &file.items {
        out.push('\n');
        for line in item_lines(item) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Renders blocks without a header comment, separated by blank lines.
pub fn render_items(items: &[Item]) -> String {
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        for line in item_lines(item) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// A line of a block body before alignment.
enum Line {
    Attribute { key: String, value: String },
    Blank,
    Text(String),
}

fn item_lines(item: &Item) -> Vec<String> {
    match item {
        Item::Settings(settings) => block("terraform", settings_body(settings), 0),
        Item::Provider(provider) => provider_lines(provider),
        Item::Variable(variable) => block(
            &format!("variable {}", quote(variable.name.as_str())),
            variable_body(variable),
            0,
        ),
        Item::Locals(locals) => block(
            "locals",
            locals
                .iter()
                .map(|(name, value)| attribute(name.as_str(), value, 1))
                .collect(),
            0,
        ),
        Item::Resource(resource) => resource_lines(resource),
        Item::Module(call) => module_lines(call),
        Item::Moved(moved) => moved_lines(moved),
        Item::Output(output) => block(
            &format!("output {}", quote(output.name.as_str())),
            output_body(output),
            0,
        ),
    }
}

fn indent(level: usize) -> String {
    "  ".repeat(level)
}

fn attribute(key: &str, value: &Expr, level: usize) -> Line {
    Line::Attribute {
        key: key.to_owned(),
        value: expr(value, level),
    }
}

/// Prints a block whose header sits at `level` and whose body is one level deeper.
fn block(header: &str, body: Vec<Line>, level: usize) -> Vec<String> {
    let pad = indent(level);
    if body.is_empty() {
        return vec![format!("{pad}{header} {{}}")];
    }
    let mut lines = vec![format!("{pad}{header} {{")];
    lines.extend(align(body, level + 1));
    lines.push(format!("{pad}}}"));
    lines
}

/// Lays out body lines at `level`, padding keys so that `=` lines up across each run of
/// single-line attributes. A blank line, a nested block or an attribute whose value spans
/// several lines ends a run, as in `terraform fmt`.
fn align(body: Vec<Line>, level: usize) -> Vec<String> {
    let pad = indent(level);
    let mut lines = Vec::new();
    let mut index = 0;
    while index < body.len() {
        let run_end = body[index..]
            .iter()
            .position(|line| !is_single_line_attribute(line))
            .map_or(body.len(), |offset| index + offset);
        if run_end > index {
            let width = body[index..run_end]
                .iter()
                .map(|line| match line {
                    Line::Attribute { key, .. } => key.chars().count(),
                    _ => 0,
                })
                .max()
                .unwrap_or(0);
            for line in &body[index..run_end] {
                if let Line::Attribute { key, value } = line {
                    let gap = " ".repeat(width - key.chars().count());
                    lines.push(format!("{pad}{key}{gap} = {value}"));
                }
            }
            index = run_end;
            continue;
        }
        match &body[index] {
            Line::Attribute { key, value } => lines.push(format!("{pad}{key} = {value}")),
            Line::Blank => lines.push(String::new()),
            Line::Text(text) => lines.push(text.clone()),
        }
        index += 1;
    }
    lines
}

fn is_single_line_attribute(line: &Line) -> bool {
    matches!(line, Line::Attribute { value, .. } if !value.contains('\n'))
}

/// Appends a blank line unless the body is empty or already ends with one.
fn separate(body: &mut Vec<Line>) {
    if !body.is_empty() && !matches!(body.last(), Some(Line::Blank)) {
        body.push(Line::Blank);
    }
}

fn nested_block(body: &mut Vec<Line>, block_lines: Vec<String>) {
    separate(body);
    body.extend(block_lines.into_iter().map(Line::Text));
}

fn body_lines(items: &[BodyItem], level: usize) -> Vec<Line> {
    let mut body = Vec::new();
    for item in items {
        match item {
            BodyItem::Attribute(key, value) => {
                if matches!(body.last(), Some(Line::Text(_))) {
                    body.push(Line::Blank);
                }
                body.push(attribute(key.as_str(), value, level));
            }
            BodyItem::Block(nested) => nested_block(&mut body, block_item(nested, level)),
        }
    }
    body
}

fn block_item(nested: &Block, level: usize) -> Vec<String> {
    block(
        nested.kind.as_str(),
        body_lines(&nested.body, level + 1),
        level,
    )
}

fn settings_body(settings: &Settings) -> Vec<Line> {
    let mut body = Vec::new();
    if let Some(version) = &settings.required_version {
        body.push(attribute("required_version", &Expr::string(version), 1));
    }
    if !settings.required_providers.is_empty() {
        let providers: Vec<Line> = settings
            .required_providers
            .iter()
            .map(|provider| {
                let value = Expr::Object {
                    items: vec![
                        (ident("source"), Expr::string(&provider.source)),
                        (ident("version"), Expr::string(&provider.version)),
                    ],
                    multiline: true,
                };
                attribute(provider.local_name.as_str(), &value, 2)
            })
            .collect();
        nested_block(&mut body, block("required_providers", providers, 1));
    }
    body
}

fn ident(name: &str) -> crate::ir::Ident {
    crate::ir::Ident::fixed(name)
}

fn provider_lines(provider: &ProviderConfig) -> Vec<String> {
    block(
        &format!("provider {}", quote(provider.name.as_str())),
        body_lines(&provider.body, 1),
        0,
    )
}

fn variable_body(variable: &Variable) -> Vec<Line> {
    let mut body = vec![
        Line::Attribute {
            key: "type".into(),
            value: variable.ty.to_string(),
        },
        attribute("description", &Expr::string(&variable.description), 1),
    ];
    if let Some(default) = &variable.default {
        body.push(attribute("default", &value_expr(default), 1));
    }
    if variable.sensitive {
        body.push(attribute("sensitive", &Expr::Bool(true), 1));
    }
    for validation in &variable.validations {
        let lines = vec![
            attribute("condition", &validation.condition, 2),
            attribute("error_message", &Expr::string(&validation.error_message), 2),
        ];
        nested_block(&mut body, block("validation", lines, 1));
    }
    body
}

/// Converts a default value into an expression, one item per line when it is long.
pub fn value_expr(value: &Value) -> Expr {
    match value {
        Value::Null => Expr::Null,
        Value::Bool(b) => Expr::Bool(*b),
        Value::Number(n) => Expr::Number(*n),
        Value::String(s) => Expr::String(s.clone()),
        Value::List(items) => {
            let items: Vec<Expr> = items.iter().map(value_expr).collect();
            let inline = expr(
                &Expr::List {
                    items: items.clone(),
                    multiline: false,
                },
                0,
            );
            Expr::List {
                items,
                multiline: inline.chars().count() > INLINE_LIST_MAX,
            }
        }
    }
}

fn output_body(output: &Output) -> Vec<Line> {
    let mut body = vec![
        attribute("description", &Expr::string(&output.description), 1),
        attribute("value", &output.value, 1),
    ];
    if output.sensitive {
        body.push(attribute("sensitive", &Expr::Bool(true), 1));
    }
    body
}

fn repetition_line(repetition: &Repetition) -> Option<Line> {
    match repetition {
        Repetition::Single => None,
        Repetition::Count(count) => Some(attribute("count", count, 1)),
        Repetition::ForEach(each) => Some(attribute("for_each", each, 1)),
    }
}

fn resource_lines(resource: &Resource) -> Vec<String> {
    let keyword = match resource.mode {
        ResourceMode::Managed => "resource",
        ResourceMode::Data => "data",
    };
    let header = format!(
        "{keyword} {} {}",
        quote(resource.kind.as_str()),
        quote(resource.name.as_str())
    );
    let mut body = Vec::new();
    if let Some(line) = repetition_line(&resource.repetition) {
        body.push(line);
        body.push(Line::Blank);
    }
    body.extend(body_lines(&resource.body, 1));
    if let Some(lifecycle) = &resource.lifecycle {
        nested_block(&mut body, lifecycle_lines(lifecycle));
    }
    if !resource.depends_on.is_empty() {
        separate(&mut body);
        let refs = resource.depends_on.iter().cloned().map(Expr::Ref).collect();
        body.push(attribute(
            "depends_on",
            &Expr::List {
                items: refs,
                multiline: false,
            },
            1,
        ));
    }
    if matches!(body.last(), Some(Line::Blank)) {
        body.pop();
    }
    block(&header, body, 0)
}

fn lifecycle_lines(lifecycle: &Lifecycle) -> Vec<String> {
    let refs = lifecycle
        .ignore_changes
        .iter()
        .cloned()
        .map(Expr::Ref)
        .collect();
    let value = Expr::List {
        items: refs,
        multiline: false,
    };
    block("lifecycle", vec![attribute("ignore_changes", &value, 2)], 1)
}

fn module_lines(call: &ModuleCall) -> Vec<String> {
    let mut body = vec![attribute("source", &Expr::string(&call.source), 1)];
    if let Some(version) = &call.version {
        body.push(attribute("version", &Expr::string(version), 1));
    }
    if let Some(line) = repetition_line(&call.repetition) {
        body.push(line);
    }
    if !call.arguments.is_empty() {
        body.push(Line::Blank);
        for (name, value) in &call.arguments {
            body.push(attribute(name.as_str(), value, 1));
        }
    }
    block(&format!("module {}", quote(call.name.as_str())), body, 0)
}

fn moved_lines(moved: &Moved) -> Vec<String> {
    let body = vec![
        Line::Attribute {
            key: "from".into(),
            value: moved.from.clone(),
        },
        Line::Attribute {
            key: "to".into(),
            value: moved.to.clone(),
        },
    ];
    block("moved", body, 0)
}

/// Quotes and escapes a literal string. `${` and `%{` become `$${` and `%%{`, so the text
/// is never read as a template.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    push_escaped(&mut out, text);
    out.push('"');
    out
}

fn push_escaped(out: &mut String, text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let code = c as u32;
                if code > 0xFFFF {
                    out.push_str(&format!("\\U{code:08X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
}

/// Splits the run of `$` that ends a literal from the text before it.
fn split_trailing_dollars(text: &str) -> (&str, &str) {
    let head = text.trim_end_matches('$');
    (head, &text[head.len()..])
}

/// Writes a template body (without quotes). Literal `$` characters right before an
/// interpolation would join it into `$${`, which reads as an escape, so that run of `$` is
/// written as an interpolated string, `${"$$"}`, instead.
pub(crate) fn template_body(parts: &[TemplatePart]) -> String {
    let mut out = String::new();
    for (index, part) in parts.iter().enumerate() {
        match part {
            TemplatePart::Literal(text) => {
                let before_interpolation =
                    matches!(parts.get(index + 1), Some(TemplatePart::Interpolation(_)));
                let (head, dollars) = split_trailing_dollars(text);
                if before_interpolation && !dollars.is_empty() {
                    push_escaped(&mut out, head);
                    out.push_str(&format!("${{\"{dollars}\"}}"));
                } else {
                    push_escaped(&mut out, text);
                }
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

/// Renders an expression on one line, as it appears inside `${...}`.
pub fn inline(value: &Expr) -> String {
    render(value, 0, true)
}

/// Renders an expression whose first line continues a line at `level`; later lines carry
/// their own indentation.
pub fn expr(value: &Expr, level: usize) -> String {
    render(value, level, false)
}

fn render(value: &Expr, level: usize, flat: bool) -> String {
    match value {
        Expr::Null => "null".into(),
        Expr::Bool(b) => b.to_string(),
        Expr::Number(n) => n.to_string(),
        Expr::String(text) => quote(text),
        Expr::Template(parts) => format!("\"{}\"", template_body(parts)),
        Expr::Ref(traversal) => traversal_text(traversal),
        Expr::Call(name, args) => {
            let args: Vec<String> = args.iter().map(|a| render(a, level, flat)).collect();
            format!("{name}({})", args.join(", "))
        }
        Expr::List { items, multiline } => {
            if items.is_empty() {
                return "[]".into();
            }
            if flat || !multiline {
                let items: Vec<String> = items.iter().map(|i| render(i, level, flat)).collect();
                return format!("[{}]", items.join(", "));
            }
            let pad = indent(level + 1);
            let mut out = String::from("[\n");
            for item in items {
                out.push_str(&format!("{pad}{},\n", render(item, level + 1, false)));
            }
            out.push_str(&indent(level));
            out.push(']');
            out
        }
        Expr::Object { items, multiline } => {
            if items.is_empty() {
                return "{}".into();
            }
            if flat || !multiline {
                let items: Vec<String> = items
                    .iter()
                    .map(|(key, v)| format!("{key} = {}", render(v, level, flat)))
                    .collect();
                return format!("{{ {} }}", items.join(", "));
            }
            let body = items
                .iter()
                .map(|(key, v)| attribute(key.as_str(), v, level + 1))
                .collect();
            let mut out = String::from("{\n");
            for line in align(body, level + 1) {
                out.push_str(&line);
                out.push('\n');
            }
            out.push_str(&indent(level));
            out.push('}');
            out
        }
        Expr::Conditional(condition, then, otherwise) => format!(
            "{} ? {} : {}",
            operand(condition, level, flat, true),
            operand(then, level, flat, true),
            operand(otherwise, level, flat, true)
        ),
        Expr::Binary(op, left, right) => format!(
            "{} {} {}",
            binary_operand(*op, left, level, flat),
            op.as_str(),
            binary_operand(*op, right, level, flat)
        ),
        Expr::ForList {
            var,
            collection,
            body,
        } => format!(
            "[for {var} in {} : {}]",
            render(collection, level, flat),
            render(body, level, flat)
        ),
    }
}

fn operand(value: &Expr, level: usize, flat: bool, wrap_compound: bool) -> String {
    let text = render(value, level, flat);
    // Every operator binds tighter than `? :`, so only a nested conditional needs them.
    let compound = matches!(value, Expr::Conditional(..));
    if wrap_compound && compound {
        format!("({text})")
    } else {
        text
    }
}

/// Wraps an operand of a binary operator in parentheses unless it binds tighter.
fn binary_operand(parent: BinaryOp, value: &Expr, level: usize, flat: bool) -> String {
    let needs_parens = match value {
        Expr::Conditional(..) => true,
        Expr::Binary(child, ..) => precedence(*child) <= precedence(parent),
        _ => false,
    };
    let text = render(value, level, flat);
    if needs_parens {
        format!("({text})")
    } else {
        text
    }
}

fn precedence(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 1,
        BinaryOp::And => 2,
        BinaryOp::Eq | BinaryOp::NotEq => 3,
        BinaryOp::Greater => 4,
    }
}

/// Renders a traversal such as `alicloud_cr_repo.x[count.index].id`.
pub fn traversal_text(traversal: &Traversal) -> String {
    let mut out = traversal.root.to_string();
    for step in &traversal.steps {
        match step {
            Step::Attr(name) => {
                out.push('.');
                out.push_str(name.as_str());
            }
            Step::Index(index) => {
                out.push('[');
                out.push_str(&inline(index));
                out.push(']');
            }
            Step::Splat => out.push_str("[*]"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Ident;

    #[test]
    fn quote_escapes_templates_and_controls() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("${x} %{y} $ %"), r#""$${x} %%{y} $ %""#);
        assert_eq!(quote("$${x}"), r#""$$${x}""#);
        assert_eq!(quote("l1\nl2\t\u{7}"), r#""l1\nl2\t\u0007""#);
        assert_eq!(quote("é😀"), "\"é😀\"");
    }

    #[test]
    fn dollar_run_before_interpolation() {
        let parts = vec![
            TemplatePart::Literal("a$$".into()),
            TemplatePart::Interpolation(Expr::path("var.namespace")),
        ];
        assert_eq!(template_body(&parts), "a${\"$$\"}${var.namespace}");
    }

    #[test]
    fn dollar_before_interpolation() {
        let parts = vec![
            TemplatePart::Literal("cost$".into()),
            TemplatePart::Interpolation(Expr::path("var.namespace")),
        ];
        assert_eq!(template_body(&parts), "cost${\"$\"}${var.namespace}");
    }

    #[test]
    fn aligns_runs_and_breaks_on_multiline() {
        let object = Expr::Object {
            items: vec![
                (Ident::fixed("a"), Expr::Number(1)),
                (Ident::fixed("bbb"), Expr::Number(2)),
                (
                    Ident::fixed("cc"),
                    Expr::List {
                        items: vec![Expr::Number(3)],
                        multiline: true,
                    },
                ),
                (Ident::fixed("d"), Expr::Number(4)),
            ],
            multiline: true,
        };
        assert_eq!(
            expr(&object, 0),
            "{\n  a   = 1\n  bbb = 2\n  cc = [\n    3,\n  ]\n  d = 4\n}"
        );
    }

    #[test]
    fn parenthesizes_by_precedence() {
        let inner = Expr::binary(BinaryOp::Or, Expr::path("a.b"), Expr::path("c.d"));
        let outer = Expr::binary(BinaryOp::And, inner, Expr::Bool(true));
        assert_eq!(inline(&outer), "(a.b || c.d) && true");
    }
}
