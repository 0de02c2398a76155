//! The loose, untyped form of a config file: a tree of values that keeps the byte span of
//! every key and value, read from HCL or JSON. The `config` stage lowers it into typed values.

mod hcl;
mod json;

use std::ops::Range;

use crate::diag::{Diagnostic, Source};

pub type Span = Range<usize>;

/// A value from the config file with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    /// Object members in source order. HCL blocks without labels also land here.
    Object(Vec<Entry>),
    /// A value that was already reported as invalid; later stages skip it silently.
    Invalid,
}

/// One `key = value` member of an object, or one block of an HCL body.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Value {
    /// Returns the type name used in "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "list",
            Value::Object(_) => "object",
            Value::Invalid => "an invalid value",
        }
    }
}

/// The syntax a config file is written in, chosen by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Hcl,
    Json,
}

impl Syntax {
    /// Picks the syntax from a file name: `*.json` is JSON, everything else HCL.
    pub fn from_file_name(name: &str) -> Syntax {
        if name.to_ascii_lowercase().ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Hcl
        }
    }
}

/// Parses a config file into a raw tree and the problems found in its values, or returns
/// the syntax error that stopped the parse.
pub fn parse(source: &Source, syntax: Syntax) -> Result<(Node, Vec<Diagnostic>), Diagnostic> {
    match syntax {
        Syntax::Hcl => hcl::parse(&source.text),
        Syntax::Json => json::parse(&source.text).map(|node| (node, Vec::new())),
    }
}
