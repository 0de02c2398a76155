//! A generic intermediate representation of a Terraform module. It models Terraform's
//! language and nothing of Container Registry: `crate::module` builds it, and the emitters
//! print it.

use std::fmt;

/// A Terraform identifier: a letter or `_` followed by letters, digits, `_` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

impl Ident {
    pub fn new(name: &str) -> Result<Ident, String> {
        let mut chars = name.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            Ok(Ident(name.to_owned()))
        } else {
            Err(format!("`{name}` is not a valid Terraform identifier"))
        }
    }

    /// Builds an identifier from a name fixed in this program's source.
    ///
    /// # Panics
    /// Panics when `name` is not a valid identifier, which is a bug in the caller.
    pub fn fixed(name: &str) -> Ident {
        Ident::new(name).unwrap_or_else(|error| panic!("{error}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A type constraint of a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    Bool,
    Number,
    List(Box<Type>),
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Bool => f.write_str("bool"),
            Type::Number => f.write_str("number"),
            Type::List(inner) => write!(f, "list({inner})"),
        }
    }
}

/// A constant value, as a variable default takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(i64),
    String(String),
    List(Vec<Value>),
}

/// One step of a traversal after its root name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Attr(Ident),
    /// `[expr]`
    Index(Box<Expr>),
    /// `[*]`
    Splat,
}

/// A reference such as `var.namespace` or `alicloud_cr_repo.x[count.index].id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traversal {
    pub root: Ident,
    pub steps: Vec<Step>,
}

impl Traversal {
    /// Parses a dotted path of identifiers, such as `var.namespace`.
    ///
    /// # Panics
    /// Panics when a segment is not an identifier; callers pass paths fixed in source.
    pub fn path(path: &str) -> Traversal {
        let mut segments = path.split('.');
        let root = Ident::fixed(segments.next().unwrap_or(""));
        Traversal {
            root,
            steps: segments.map(|s| Step::Attr(Ident::fixed(s))).collect(),
        }
    }

    pub fn attr(mut self, name: &str) -> Traversal {
        self.steps.push(Step::Attr(Ident::fixed(name)));
        self
    }

    pub fn index(mut self, index: Expr) -> Traversal {
        self.steps.push(Step::Index(Box::new(index)));
        self
    }

    pub fn splat(mut self) -> Traversal {
        self.steps.push(Step::Splat);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    Greater,
    And,
    Or,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Eq => "==",
            BinaryOp::NotEq => "!=",
            BinaryOp::Greater => ">",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
        }
    }
}

/// A piece of a string template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart {
    Literal(String),
    Interpolation(Expr),
}

/// An expression. Emitters add parentheses where an operand would otherwise bind wrongly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Null,
    Bool(bool),
    Number(i64),
    /// A string taken literally: emitters escape `${` and `%{` in it.
    String(String),
    Template(Vec<TemplatePart>),
    Ref(Traversal),
    Call(Ident, Vec<Expr>),
    /// A list; `multiline` puts one item per line.
    List {
        items: Vec<Expr>,
        multiline: bool,
    },
    /// An object with identifier keys; `multiline` puts one item per line.
    Object {
        items: Vec<(Ident, Expr)>,
        multiline: bool,
    },
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `[for var in collection : body]`
    ForList {
        var: Ident,
        collection: Box<Expr>,
        body: Box<Expr>,
    },
}

impl Expr {
    pub fn string(text: impl Into<String>) -> Expr {
        Expr::String(text.into())
    }

    pub fn path(path: &str) -> Expr {
        Expr::Ref(Traversal::path(path))
    }

    pub fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(Ident::fixed(name), args)
    }

    pub fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
        Expr::Binary(op, Box::new(left), Box::new(right))
    }

    pub fn conditional(condition: Expr, then: Expr, otherwise: Expr) -> Expr {
        Expr::Conditional(Box::new(condition), Box::new(then), Box::new(otherwise))
    }

    /// Builds a template, merging neighbouring literals. A template without interpolations
    /// becomes a plain string, and one that is a single interpolation becomes that
    /// expression, as `terraform fmt` rewrites `"${x}"` to `x`.
    pub fn template(parts: Vec<TemplatePart>) -> Expr {
        let mut merged: Vec<TemplatePart> = Vec::new();
        for part in parts {
            match (merged.last_mut(), part) {
                (_, TemplatePart::Literal(text)) if text.is_empty() => {}
                (Some(TemplatePart::Literal(last)), TemplatePart::Literal(text)) => {
                    last.push_str(&text)
                }
                (_, part) => merged.push(part),
            }
        }
        match merged.as_slice() {
            [] => Expr::String(String::new()),
            [TemplatePart::Literal(text)] => Expr::String(text.clone()),
            [TemplatePart::Interpolation(expression)] => expression.clone(),
            _ => Expr::Template(merged),
        }
    }
}

/// An item of a block body, in output order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyItem {
    Attribute(Ident, Expr),
    Block(Block),
}

/// A nested block such as `validation { ... }` inside a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: Ident,
    pub body: Vec<BodyItem>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lifecycle {
    pub ignore_changes: Vec<Traversal>,
}

/// The instances of a resource: one, or `count` or `for_each` over an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repetition {
    Single,
    Count(Expr),
    ForEach(Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceMode {
    Managed,
    Data,
}

/// A `resource` or `data` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub mode: ResourceMode,
    pub kind: Ident,
    pub name: Ident,
    pub repetition: Repetition,
    pub body: Vec<BodyItem>,
    pub lifecycle: Option<Lifecycle>,
    pub depends_on: Vec<Traversal>,
}

impl Resource {
    /// Returns the address without an instance key, such as `data.alicloud_account.current`.
    pub fn address(&self) -> String {
        match self.mode {
            ResourceMode::Managed => format!("{}.{}", self.kind, self.name),
            ResourceMode::Data => format!("data.{}.{}", self.kind, self.name),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    pub condition: Expr,
    pub error_message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: Ident,
    pub ty: Type,
    pub description: String,
    /// `None` makes the variable required.
    pub default: Option<Value>,
    pub sensitive: bool,
    pub validations: Vec<Validation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub name: Ident,
    pub description: String,
    pub value: Expr,
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredProvider {
    pub local_name: Ident,
    pub source: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub required_version: Option<String>,
    pub required_providers: Vec<RequiredProvider>,
}

/// A `provider` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    pub name: Ident,
    pub body: Vec<BodyItem>,
}

/// A `module` call, as the examples make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleCall {
    pub name: Ident,
    pub source: String,
    pub version: Option<String>,
    pub repetition: Repetition,
    pub arguments: Vec<(Ident, Expr)>,
}

/// A `moved` block between two resource addresses, written as literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub from: String,
    pub to: String,
}

/// One file of a module, holding blocks in output order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The file name without its `.tf` or `.tf.json` extension.
    pub stem: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Settings(Settings),
    Provider(ProviderConfig),
    Variable(Variable),
    Locals(Vec<(Ident, Expr)>),
    Resource(Resource),
    Module(ModuleCall),
    Moved(Moved),
    Output(Output),
}

/// A Terraform module: its files, in output order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub files: Vec<File>,
}

impl Module {
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.files.iter().flat_map(|file| file.items.iter())
    }

    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.items().filter_map(|item| match item {
            Item::Variable(variable) => Some(variable),
            _ => None,
        })
    }

    pub fn outputs(&self) -> impl Iterator<Item = &Output> {
        self.items().filter_map(|item| match item {
            Item::Output(output) => Some(output),
            _ => None,
        })
    }

    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.items().filter_map(|item| match item {
            Item::Resource(resource) => Some(resource),
            _ => None,
        })
    }

    pub fn settings(&self) -> Option<&Settings> {
        self.items().find_map(|item| match item {
            Item::Settings(settings) => Some(settings),
            _ => None,
        })
    }

    pub fn providers(&self) -> impl Iterator<Item = &ProviderConfig> {
        self.items().filter_map(|item| match item {
            Item::Provider(provider) => Some(provider),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_of_one_interpolation_is_the_expression() {
        let template = Expr::template(vec![
            TemplatePart::Literal(String::new()),
            TemplatePart::Interpolation(Expr::path("var.namespace")),
        ]);
        assert_eq!(template, Expr::path("var.namespace"));
    }

    #[test]
    fn template_merges_literals() {
        let template = Expr::template(vec![
            TemplatePart::Literal("a".into()),
            TemplatePart::Literal("b".into()),
        ]);
        assert_eq!(template, Expr::string("ab"));
    }
}
