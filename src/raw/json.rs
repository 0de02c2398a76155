//! A strict JSON (RFC 8259) reader that records the byte span of every key and value.
//! serde_json reports only the position of a syntax error, not where each value sits.

use super::{Entry, Node, Span, Value};
use crate::diag::Diagnostic;

/// Maximum nesting of arrays and objects, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Node, Diagnostic> {
    let mut parser = Parser { text, pos: 0 };
    parser.skip_whitespace();
    let node = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < text.len() {
        return Err(parser.error_here("unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn error_here(&self, message: &str) -> Diagnostic {
        let end = self.text[self.pos..]
            .chars()
            .next()
            .map_or(self.pos, |c| self.pos + c.len_utf8());
        Diagnostic::error(self.pos..end, format!("invalid JSON: {message}"))
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, Diagnostic> {
        if depth > MAX_DEPTH {
            return Err(self.error_here("nesting is deeper than 64 levels"));
        }
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.keyword("true", Value::Bool(true))?,
            Some(b'f') => self.keyword("false", Value::Bool(false))?,
            Some(b'n') => self.keyword("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error_here("expected a value")),
            None => return Err(self.error_here("unexpected end of file, expected a value")),
        };
        Ok(Node {
            span: start..self.pos,
            value,
        })
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Value, Diagnostic> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error_here("expected a value"))
        }
    }

    fn number(&mut self) -> Result<Value, Diagnostic> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |parser: &mut Self| {
            let from = parser.pos;
            while parser.peek().is_some_and(|b| b.is_ascii_digit()) {
                parser.pos += 1;
            }
            parser.pos - from
        };
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else if digits(self) == 0 {
            return Err(self.error_here("expected a digit"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error_here("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error_here("expected a digit in the exponent"));
            }
        }
        let text = std::str::from_utf8(&bytes[start..self.pos]).unwrap_or("0");
        let number: f64 = text.parse().unwrap_or(f64::NAN);
        if !number.is_finite() {
            return Err(Diagnostic::error(
                start..self.pos,
                format!("number `{text}` is out of range"),
            ));
        }
        Ok(Value::Number(number))
    }

    fn string(&mut self) -> Result<String, Diagnostic> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                return Err(Diagnostic::error(
                    start..self.pos,
                    "invalid JSON: unterminated string",
                ));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                c if (c as u32) < 0x20 => {
                    return Err(self.error_here("control character in a string; escape it"));
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, Diagnostic> {
        let c = self
            .peek()
            .ok_or_else(|| self.error_here("unterminated escape"))?;
        self.pos += 1;
        Ok(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high) {
                    if !self.text[self.pos..].starts_with("\\u") {
                        return Err(self.error_here("unpaired surrogate in \\u escape"));
                    }
                    self.pos += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error_here("unpaired surrogate in \\u escape"));
                    }
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    char::from_u32(code).ok_or_else(|| self.error_here("invalid \\u escape"))?
                } else {
                    char::from_u32(high)
                        .ok_or_else(|| self.error_here("unpaired surrogate in \\u escape"))?
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.error_here("invalid escape"));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, Diagnostic> {
        let digits = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error_here("expected four hex digits after \\u"));
        }
        self.pos += 4;
        Ok(u32::from_str_radix(digits, 16).unwrap_or(0))
    }

    fn array(&mut self, depth: usize) -> Result<Value, Diagnostic> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error_here("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Diagnostic> {
        self.pos += 1;
        let mut entries: Vec<Entry> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(entries));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error_here("expected a quoted key"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span: Span = key_start..self.pos;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected `:` after the key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            entries.push(Entry {
                key,
                key_span,
                value,
            });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(entries));
                }
                _ => return Err(self.error_here("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = r#"{"a": [1, "x"], "b": {"c": null}}"#;
        let node = parse(text).unwrap();
        let Value::Object(entries) = node.value else {
            panic!("expected an object")
        };
        assert_eq!(&text[entries[0].key_span.clone()], "\"a\"");
        assert_eq!(&text[entries[0].value.span.clone()], "[1, \"x\"]");
        assert_eq!(&text[entries[1].value.span.clone()], "{\"c\": null}");
    }

    #[test]
    fn decodes_escapes_and_surrogates() {
        let node = parse(r#""a\"\\\n\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(node.value, Value::String("a\"\\\né😀".into()));
    }

    #[test]
    fn rejects_trailing_comma() {
        let error = parse("[1,]").unwrap_err();
        assert_eq!(error.message, "invalid JSON: expected a value");
        assert_eq!(error.span, 3..4);
    }

    #[test]
    fn rejects_deep_nesting() {
        let text = "[".repeat(100);
        assert!(parse(&text).is_err());
    }
}
