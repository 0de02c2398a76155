//! Name and text patterns from the config, such as `cr-{namespace}-ak.json`: literal text
//! with placeholders that the generated module fills from its inputs.

use std::fmt;

/// A value that a pattern placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// The `namespace` input.
    Namespace,
    /// The repository name, only inside the repository summary.
    Repository,
}

impl Placeholder {
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Namespace => "namespace",
            Placeholder::Repository => "repository",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    Placeholder(Placeholder),
}

/// A parsed pattern. Literal braces are written `{{` and `}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    parts: Vec<Part>,
}

/// A pattern parse failure, located by a byte offset into the pattern text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub offset: usize,
    pub message: String,
}

impl Pattern {
    /// Parses `text`, accepting only the placeholders in `allowed`.
    pub fn parse(text: &str, allowed: &[Placeholder]) -> Result<Pattern, PatternError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, next)| next) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|&(_, next)| next) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = &text[offset + 1..];
                    let Some(end) = rest.find('}') else {
                        return Err(PatternError {
                            offset,
                            message: "unclosed `{`; write `{{` for a literal brace".into(),
                        });
                    };
                    let name = &rest[..end];
                    let placeholder = allowed
                        .iter()
                        .copied()
                        .find(|p| p.name() == name)
                        .ok_or_else(|| PatternError {
                            offset,
                            message: format!(
                                "unknown placeholder `{{{name}}}`; this pattern accepts {}",
                                list_placeholders(allowed)
                            ),
                        })?;
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Placeholder(placeholder));
                    for _ in 0..=name.chars().count() {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(PatternError {
                        offset,
                        message: "unmatched `}`; write `}}` for a literal brace".into(),
                    })
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Pattern { parts })
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    pub fn contains(&self, placeholder: Placeholder) -> bool {
        self.parts.contains(&Part::Placeholder(placeholder))
    }

    /// Returns the literal text with the placeholders left out.
    pub fn literal_text(&self) -> String {
        self.parts
            .iter()
            .filter_map(|part| match part {
                Part::Text(text) => Some(text.as_str()),
                Part::Placeholder(_) => None,
            })
            .collect()
    }

    /// Fills the placeholders with values, as the generated module does at plan time.
    pub fn fill(&self, namespace: &str, repository: &str) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.as_str(),
                Part::Placeholder(Placeholder::Namespace) => namespace,
                Part::Placeholder(Placeholder::Repository) => repository,
            })
            .collect()
    }

    /// Returns the length in bytes of the longest value the pattern can produce, given the
    /// maximum byte length of each placeholder's value.
    pub fn max_len(&self, placeholder_max: usize) -> usize {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.len(),
                Part::Placeholder(_) => placeholder_max,
            })
            .sum()
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            match part {
                Part::Text(text) => f.write_str(&text.replace('{', "{{").replace('}', "}}"))?,
                Part::Placeholder(p) => write!(f, "{{{}}}", p.name())?,
            }
        }
        Ok(())
    }
}

fn list_placeholders(allowed: &[Placeholder]) -> String {
    if allowed.is_empty() {
        return "no placeholders".into();
    }
    allowed
        .iter()
        .map(|p| format!("`{{{}}}`", p.name()))
        .collect::<Vec<_>>()
        .join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: &[Placeholder] = &[Placeholder::Namespace, Placeholder::Repository];

    #[test]
    fn parses_placeholders_and_braces() {
        let pattern = Pattern::parse("a {namespace}/{repository} {{x}}", BOTH).unwrap();
        assert_eq!(pattern.fill("ns", "repo"), "a ns/repo {x}");
        assert_eq!(pattern.to_string(), "a {namespace}/{repository} {{x}}");
        assert_eq!(pattern.max_len(30), 2 + 30 + 1 + 30 + 4);
    }

    #[test]
    fn rejects_unknown_placeholder() {
        let error = Pattern::parse("x-{repo}", &[Placeholder::Namespace]).unwrap_err();
        assert_eq!(error.offset, 2);
        assert!(error.message.contains("`{namespace}`"), "{}", error.message);
    }

    #[test]
    fn rejects_unbalanced_braces() {
        assert!(Pattern::parse("x{", BOTH).is_err());
        assert!(Pattern::parse("x}", BOTH).is_err());
    }

    #[test]
    fn non_ascii_text_survives() {
        let pattern = Pattern::parse("é{namespace}ü", BOTH).unwrap();
        assert_eq!(pattern.fill("n", ""), "énü");
    }
}
