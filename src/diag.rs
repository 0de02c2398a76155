//! Diagnostics that point into a config file: a message, a byte span, and an optional help
//! line, rendered with the file name, line, column and a caret under the span.

use std::fmt::{self, Write as _};
use std::ops::Range;

/// A config file's name as given on the command line, and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Returns the one-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    fn line_text(&self, line: usize) -> &str {
        self.text
            .split('\n')
            .nth(line - 1)
            .unwrap_or("")
            .trim_end_matches('\r')
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a config, located by a byte span in its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Range<usize>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic in the rustc style: header, location, source line and caret.
    pub fn render(&self, source: &Source) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let (line, column) = source.line_col(self.span.start);
        let line_text = source.line_text(line);
        let number = line.to_string();
        let gutter = " ".repeat(number.len());

        // The caret runs to the end of the span or of the line, whichever comes first.
        let span_text = source
            .text
            .get(self.span.clone())
            .unwrap_or("")
            .split('\n')
            .next()
            .unwrap_or("");
        let width = span_text.chars().count().max(1);
        let _ = writeln!(out, "{label}: {}", self.message);
        let _ = writeln!(out, "{gutter}--> {}:{line}:{column}", source.name);
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{number} | {line_text}");
        let _ = writeln!(
            out,
            "{gutter} | {}{}",
            " ".repeat(column - 1),
            "^".repeat(width)
        );
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{gutter} = help: {help}");
        }
        out
    }
}

/// All diagnostics of one config, with the source they point into.
#[derive(Debug, Clone)]
pub struct Report {
    pub source: Source,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            f.write_str(&diagnostic.render(&self.source))?;
        }
        Ok(())
    }
}

/// Finds the closest known name to `unknown`, for a "did you mean" hint.
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(unknown, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let source = Source::new("x.hcl", "a = 1\nbé = \"x\"\n");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(6), (2, 1));
        // The byte after `é` is column 3, because `é` is one character of two bytes.
        assert_eq!(source.line_col(9), (2, 3));
    }

    #[test]
    fn render_points_at_span() {
        let source = Source::new("cr.hcl", "namespace {\n  visibility = \"OPEN\"\n}\n");
        let start = source.text.find("\"OPEN\"").unwrap();
        let diagnostic = Diagnostic::error(start..start + 6, "invalid visibility `OPEN`")
            .with_help("use `PRIVATE` or `PUBLIC`");
        let text = diagnostic.render(&source);
        assert_eq!(
            text,
            "error: invalid visibility `OPEN`\n --> cr.hcl:2:16\n  |\n2 |   visibility = \"OPEN\"\n  |                ^^^^^^\n  = help: use `PRIVATE` or `PUBLIC`\n"
        );
    }

    #[test]
    fn closest_finds_typo() {
        let known = ["namespace", "repositories", "outputs"];
        assert_eq!(closest("namspace", known), Some("namespace"));
        assert_eq!(closest("zzz", known), None);
    }
}
