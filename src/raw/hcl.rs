//! Reads an HCL config with hcl-edit, which keeps spans, into the raw tree. Only literal
//! values are accepted: a config describes a module, it does not compute one.

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::template::Element;

use super::{Entry, Node, Span, Value};
use crate::diag::Diagnostic;

/// Parses HCL text. A syntax error ends the parse. A value that is not a literal is
/// reported and replaced by `Value::Invalid`, so every such value is reported in one run.
pub fn parse(text: &str) -> Result<(Node, Vec<Diagnostic>), Diagnostic> {
    let body = hcl_edit::parser::parse_body(text).map_err(|error| {
        let offset = line_col_to_offset(text, error.location().line(), error.location().column());
        let end = text[offset..]
            .chars()
            .next()
            .map_or(offset, |c| offset + c.len_utf8());
        Diagnostic::error(
            offset..end,
            format!("invalid HCL: {}", error.message().trim()),
        )
    })?;
    let mut diagnostics = Vec::new();
    let node = body_node(&body, 0..text.len(), &mut diagnostics);
    Ok((node, diagnostics))
}

/// Converts a value, recording its error and standing in `Value::Invalid` for it.
fn value_or_invalid(
    expression: &Expression,
    fallback: &Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Node {
    match expression_node(expression, fallback, diagnostics) {
        Ok(node) => node,
        Err(diagnostic) => {
            let span = diagnostic.span.clone();
            diagnostics.push(diagnostic);
            Node {
                span,
                value: Value::Invalid,
            }
        }
    }
}

fn line_col_to_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = text[line_start.min(text.len())..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i);
    offset.min(text.len())
}

fn span_of(item: &impl hcl_edit::Span, fallback: &Span) -> Span {
    item.span().unwrap_or_else(|| fallback.clone())
}

fn body_node(body: &Body, span: Span, diagnostics: &mut Vec<Diagnostic>) -> Node {
    let mut entries = Vec::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let key_span = span_of(&attribute.key, &span);
                entries.push(Entry {
                    key: attribute.key.as_str().to_owned(),
                    key_span: key_span.clone(),
                    value: value_or_invalid(&attribute.value, &key_span, diagnostics),
                });
            }
            Structure::Block(block) => {
                let key_span = span_of(&block.ident, &span);
                if let Some(label) = block.labels.first() {
                    diagnostics.push(
                        Diagnostic::error(
                            span_of(label, &key_span),
                            format!(
                                "block `{}` takes no labels, found `{}`",
                                block.ident.as_str(),
                                label.as_str()
                            ),
                        )
                        .with_help(format!("write `{} {{ ... }}`", block.ident.as_str())),
                    );
                }
                let block_span = span_of(block, &key_span);
                entries.push(Entry {
                    key: block.ident.as_str().to_owned(),
                    key_span,
                    value: body_node(&block.body, block_span, diagnostics),
                });
            }
        }
    }
    Node {
        span,
        value: Value::Object(entries),
    }
}

fn expression_node(
    expression: &Expression,
    fallback: &Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Node, Diagnostic> {
    let span = span_of(expression, fallback);
    let value = match expression {
        Expression::Null(_) => Value::Null,
        Expression::Bool(value) => Value::Bool(*value.value()),
        Expression::Number(number) => Value::Number(number.value().as_f64().unwrap_or(f64::NAN)),
        Expression::String(value) => Value::String(value.value().clone()),
        Expression::StringTemplate(template) => {
            let mut text = String::new();
            for element in template.iter() {
                match element {
                    Element::Literal(literal) => text.push_str(literal.value()),
                    _ => return Err(Diagnostic::error(
                        span,
                        "template interpolations and directives are not supported in the config",
                    )
                    .with_help("write `$${` or `%%{` for literal text")),
                }
            }
            Value::String(text)
        }
        Expression::Array(array) => {
            let mut items = Vec::new();
            for item in array.iter() {
                items.push(value_or_invalid(item, &span, diagnostics));
            }
            Value::Array(items)
        }
        Expression::Object(object) => {
            let mut entries = Vec::new();
            for (key, value) in object.iter() {
                let key_span = span_of(key, &span);
                let key_text = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                    ObjectKey::Expression(Expression::String(text)) => text.value().clone(),
                    ObjectKey::Expression(_) => {
                        return Err(Diagnostic::error(
                            key_span,
                            "object keys must be names or quoted strings",
                        ))
                    }
                };
                entries.push(Entry {
                    key: key_text,
                    key_span: key_span.clone(),
                    value: value_or_invalid(value.expr(), &key_span, diagnostics),
                });
            }
            Value::Object(entries)
        }
        Expression::HeredocTemplate(_) => {
            return Err(
                Diagnostic::error(span, "heredoc strings are not supported in the config")
                    .with_help("use a quoted string and write line breaks as `\\n`"),
            )
        }
        Expression::Parenthesis(inner) => {
            return expression_node(inner.inner(), &span, diagnostics)
        }
        Expression::Variable(name) => {
            return Err(Diagnostic::error(
                span,
                format!("`{}` is a bare name, not a value", name.as_str()),
            )
            .with_help(format!("quote it as a string: `\"{}\"`", name.as_str())))
        }
        Expression::UnaryOp(op) => match (op.operator.value(), &op.expr) {
            (hcl_edit::expr::UnaryOperator::Neg, Expression::Number(number)) => {
                Value::Number(-number.value().as_f64().unwrap_or(f64::NAN))
            }
            _ => return Err(unsupported(span)),
        },
        _ => return Err(unsupported(span)),
    };
    Ok(Node { span, value })
}

fn unsupported(span: Span) -> Diagnostic {
    Diagnostic::error(
        span,
        "only literal values are supported in the config: strings, numbers, bools, null, lists and objects",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_objects() {
        let text = "a = 1\nb {\n  c = [\"x\", true]\n}\n";
        let (node, _) = parse(text).unwrap();
        let Value::Object(entries) = node.value else {
            panic!("expected an object")
        };
        assert_eq!(entries[0].key, "a");
        assert_eq!(entries[1].key, "b");
        assert_eq!(&text[entries[1].key_span.clone()], "b");
        let Value::Object(inner) = &entries[1].value.value else {
            panic!("expected a block body")
        };
        assert_eq!(&text[inner[0].value.span.clone()], "[\"x\", true]");
    }

    #[test]
    fn escaped_template_is_literal() {
        let (node, _) = parse("a = \"x $${y} %%{z}\"\n").unwrap();
        let Value::Object(entries) = node.value else {
            panic!("expected an object")
        };
        assert_eq!(entries[0].value.value, Value::String("x ${y} %{z}".into()));
    }

    #[test]
    fn interpolation_is_rejected() {
        let (_, diagnostics) = parse("a = \"${var.x}\"\n").unwrap();
        let error = &diagnostics[0];
        assert!(
            error.message.contains("interpolations"),
            "{}",
            error.message
        );
    }

    #[test]
    fn every_invalid_value_is_reported() {
        let (node, diagnostics) = parse("a = x\nb = [1, f(2)]\nc = \"ok\"\n").unwrap();
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        let Value::Object(entries) = node.value else {
            panic!("expected an object")
        };
        assert_eq!(entries[0].value.value, Value::Invalid);
        assert_eq!(entries[2].value.value, Value::String("ok".into()));
    }

    #[test]
    fn syntax_error_has_location() {
        let text = "a = 1\nb = \n";
        let error = parse(text).unwrap_err();
        assert!(
            error.message.starts_with("invalid HCL"),
            "{}",
            error.message
        );
        assert!(error.span.start >= 6, "{:?}", error.span);
    }
}
