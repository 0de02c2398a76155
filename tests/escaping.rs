//! Round trips of arbitrary free text through every free-text config field. Each property
//! builds a JSON config with serde_json and renders the HCL and the JSON flavour. It reads
//! the field back from main.tf, which hcl-rs must parse, and from main.tf.json, which
//! serde_json must parse, each time through a decoder of Terraform's template syntax. Strings
//! the loader rightly rejects must give a clean error. A fixed sample is also checked with
//! the real `terraform console`.

mod support;

use std::collections::BTreeMap;
use std::fs;

use cr_modgen::config::{self, Config, Format};
use cr_modgen::diag::{Report, Source};
use cr_modgen::render;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRng, TestRunner};
use serde_json::json;
use unicode_normalization::UnicodeNormalization;

/// One piece of a free-text value: literal text or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Namespace,
    Repository,
}

/// The free-text fields of the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    ModuleDescription,
    Summary,
    DisplayName,
    Comments,
    PolicyDescription,
    SecretFile,
}

const FIELDS: [Field; 6] = [
    Field::ModuleDescription,
    Field::Summary,
    Field::DisplayName,
    Field::Comments,
    Field::PolicyDescription,
    Field::SecretFile,
];

impl Field {
    /// Returns the config section and key.
    fn key(self) -> (&'static str, &'static str) {
        match self {
            Field::ModuleDescription => ("module", "description"),
            Field::Summary => ("repositories", "summary"),
            Field::DisplayName => ("ram_user", "display_name"),
            Field::Comments => ("ram_user", "comments"),
            Field::PolicyDescription => ("ram_policy", "description"),
            Field::SecretFile => ("access_key", "secret_file"),
        }
    }

    /// Returns the resource type, resource name and argument that carry the field in
    /// main.tf, or `None` for the module description, which only the README shows.
    fn argument(self) -> Option<(&'static str, &'static str, &'static str)> {
        match self {
            Field::ModuleDescription => None,
            Field::Summary => Some(("alicloud_cr_repo", "namespace_repositories", "summary")),
            Field::DisplayName => Some(("alicloud_ram_user", "namespace_user", "display_name")),
            Field::Comments => Some(("alicloud_ram_user", "namespace_user", "comments")),
            Field::PolicyDescription => {
                Some(("alicloud_ram_policy", "cr_namespace_policy", "description"))
            }
            Field::SecretFile => Some(("alicloud_ram_access_key", "cr_ak", "secret_file")),
        }
    }

    fn is_pattern(self) -> bool {
        self != Field::ModuleDescription
    }

    fn allows_repository(self) -> bool {
        self == Field::Summary
    }
}

/// Hard cases mixed into generated strings: template sequences, escapes, line breaks,
/// control characters, non-ASCII text, combining marks, emoji and path characters.
const TOKENS: &[&str] = &[
    "\"",
    "\\",
    "$",
    "%",
    "{",
    "}",
    "${",
    "%{",
    "$${",
    "%%{",
    "$$",
    "%%",
    "${x}",
    "%{ if x }",
    "}}",
    "{{",
    "\\n",
    "\\\"",
    "\\u0024",
    "\n",
    "\r",
    "\t",
    "\r\n",
    "\u{0}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{200b}",
    "\u{2028}",
    "\u{feff}",
    "é",
    "e\u{301}",
    "\u{301}",
    "a\u{308}\u{301}",
    "\u{1100}\u{1161}",
    "ß",
    "İ",
    "Ω",
    "日本",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "🇩🇪",
    "<<EOF",
    "EOF",
    "~",
    "..",
    "/",
    ":",
    "*",
    "#",
    "!",
    " ",
    "a",
    "0",
    "-",
    "_",
    ".json",
];

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(TOKENS).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z0-9 ]{1,6}",
    ];
    proptest::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

fn parts_strategy(field: Field) -> BoxedStrategy<Vec<Part>> {
    if !field.is_pattern() {
        return text_strategy()
            .prop_map(|text| vec![Part::Text(text)])
            .boxed();
    }
    let placeholder = if field.allows_repository() {
        prop_oneof![Just(Part::Namespace), Just(Part::Repository)].boxed()
    } else {
        Just(Part::Namespace).boxed()
    };
    let part = prop_oneof![3 => text_strategy().prop_map(Part::Text), 1 => placeholder];
    proptest::collection::vec(part, 0..4).boxed()
}

/// Writes parts as config text: braces doubled in literal text, placeholders in braces.
fn encode(field: Field, parts: &[Part]) -> String {
    let mut text = String::new();
    for part in parts {
        match part {
            Part::Text(literal) if field.is_pattern() => {
                text.push_str(&literal.replace('{', "{{").replace('}', "}}"))
            }
            Part::Text(literal) => text.push_str(literal),
            Part::Namespace => text.push_str("{namespace}"),
            Part::Repository => text.push_str("{repository}"),
        }
    }
    text
}

/// Returns the parts as the loader should keep them: NFC text, adjacent text merged,
/// empty text dropped.
fn expected_parts(parts: &[Part]) -> Vec<Part> {
    let mut merged: Vec<Part> = Vec::new();
    for part in parts {
        match (part, merged.last_mut()) {
            (Part::Text(text), Some(Part::Text(last))) => last.push_str(text),
            (Part::Text(text), _) if text.is_empty() => {}
            (part, _) => merged.push(part.clone()),
        }
    }
    merged
        .into_iter()
        .map(|part| match part {
            Part::Text(text) => Part::Text(text.nfc().collect()),
            other => other,
        })
        .collect()
}

/// Fills placeholders with sample values.
fn fill(parts: &[Part], namespace: &str, repository: &str) -> String {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.as_str(),
            Part::Namespace => namespace,
            Part::Repository => repository,
        })
        .collect()
}

/// Returns the byte length of the longest value: each placeholder can be 30 bytes.
fn max_len(parts: &[Part]) -> usize {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => text.len(),
            _ => 30,
        })
        .sum()
}

/// Tells whether the loader should reject the field's value, by the rules that the README
/// and the loader's messages state.
fn should_reject(field: Field, parts: &[Part]) -> bool {
    match field {
        Field::ModuleDescription => {
            let text = fill(parts, "", "");
            text.trim().is_empty() || text.contains('\n')
        }
        Field::Summary => parts.is_empty() || max_len(parts) > 100,
        Field::DisplayName | Field::PolicyDescription => parts.is_empty(),
        Field::Comments => max_len(parts) > 128,
        Field::SecretFile => {
            let path = fill(parts, "ns", "");
            path.trim().is_empty()
                || path.starts_with(['/', '\\', '~'])
                || path.get(1..2) == Some(":")
                || path.contains(['/', '\\'])
                || path.chars().any(char::is_control)
        }
    }
}

/// Builds a JSON config that sets one field and the output format.
fn config_text(field: Field, value: &str, format: Format) -> String {
    let (section, key) = field.key();
    let format = match format {
        Format::Hcl => "hcl",
        Format::Json => "json",
    };
    let config = json!({ "format": format, section: { key: value } });
    serde_json::to_string_pretty(&config).expect("a JSON value serialises")
}

fn load(text: &str) -> Result<Config, Report> {
    config::load(&Source::new("cr.json", text)).map(|(config, _)| config)
}

/// Checks that a rejected config has a non-empty report whose spans lie in the text, and
/// that one error points at the field's value.
fn assert_clean_rejection(field: Field, text: &str, report: &Report) {
    assert!(report.has_errors(), "{field:?}: rejection without an error");
    let (_, key) = field.key();
    let key_at = text
        .find(&format!("\"{key}\""))
        .expect("the key is in the text");
    for diagnostic in &report.diagnostics {
        assert!(!diagnostic.message.is_empty(), "{field:?}: empty message");
        assert!(
            diagnostic.span.start <= diagnostic.span.end && diagnostic.span.end <= text.len(),
            "{field:?}: span {:?} outside the text of {} bytes",
            diagnostic.span,
            text.len()
        );
    }
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.span.start > key_at),
        "{field:?}: no error points at the value:\n{report}"
    );
    assert!(!report.to_string().is_empty(), "{field:?}: empty report");
}

/// Returns the body of `resource "TYPE" "NAME"` in parsed HCL.
fn hcl_resource<'a>(body: &'a hcl::Body, kind: &str, name: &str) -> &'a hcl::Body {
    body.blocks()
        .find(|block| {
            block.identifier() == "resource"
                && block.labels().len() == 2
                && block.labels()[0].as_str() == kind
                && block.labels()[1].as_str() == name
        })
        .unwrap_or_else(|| panic!("main.tf has no resource {kind}.{name}"))
        .body()
}

/// Reduces an interpolated HCL expression to parts, knowing the placeholder expressions
/// the generator uses.
fn expression_parts(expr: &hcl::Expression) -> Vec<Part> {
    match expr {
        hcl::Expression::String(text) => vec![Part::Text(text.clone())],
        hcl::Expression::Traversal(_) => {
            let text = hcl::format::to_string(expr).expect("a traversal formats");
            match text.as_str() {
                "var.namespace" => vec![Part::Namespace],
                "var.repositories[count.index]" | "each.key" => vec![Part::Repository],
                other => panic!("unexpected reference `{other}`"),
            }
        }
        other => panic!("unexpected expression {other:?}"),
    }
}

/// Decodes a quoted HCL string (from its opening `"`) as Terraform 1.11 reads it.
fn hcl_quoted_parts(quoted: &str) -> Vec<Part> {
    let inner = quoted
        .strip_prefix('"')
        .unwrap_or_else(|| panic!("{quoted} is not a quoted string"));
    let (parts, rest) = scan_template(inner, true);
    assert_eq!(rest, "", "text after the closing quote of {quoted}");
    parts
}

/// Decodes a string of Terraform's JSON syntax, which is an unquoted template.
fn template_parts(template: &str) -> Vec<Part> {
    let (parts, rest) = scan_template(template, false);
    assert_eq!(rest, "", "unexpected quote in {template:?}");
    parts
}

/// Scans a template: `$${` and `%%{` are escapes for `${` and `%{`, `${...}` is an
/// interpolation, and any other `$` or `%` is text, as Terraform 1.11's scanner reads them.
/// In a quoted HCL string (`quoted`), backslash escapes give text that never starts a
/// template sequence. An unescaped `"` ends the string, and the text after it is returned.
fn scan_template(text: &str, quoted: bool) -> (Vec<Part>, &str) {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    let mut closed = !quoted;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("$${") {
            literal.push_str("${");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("%%{") {
            literal.push_str("%{");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("${") {
            let end = interpolation_end(after)
                .unwrap_or_else(|| panic!("unterminated interpolation in {text:?}"));
            let attribute = format!("x = {}\n", &after[..end]);
            let body = hcl::parse(&attribute)
                .unwrap_or_else(|error| panic!("invalid interpolation in {text:?}: {error}"));
            let expr = body.attributes().next().expect("one attribute").expr();
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            parts.extend(expression_parts(expr));
            rest = &after[end + 1..];
        } else if rest.starts_with("%{") {
            panic!("unexpected template directive in {text:?}");
        } else if quoted && c == '"' {
            rest = &rest[1..];
            closed = true;
            break;
        } else if quoted && c == '\\' {
            let (escaped, after) =
                unescape(&rest[1..]).unwrap_or_else(|| panic!("invalid escape in {text:?}"));
            literal.push(escaped);
            rest = after;
        } else {
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    assert!(closed, "{text:?} has no closing quote");
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    (parts, rest)
}

/// Returns the character of the HCL escape that `text` starts with (after the backslash),
/// and the text after it.
fn unescape(text: &str) -> Option<(char, &str)> {
    let c = text.chars().next()?;
    let simple = match c {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        _ => None,
    };
    if let Some(escaped) = simple {
        return Some((escaped, &text[1..]));
    }
    let width = match c {
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex = text.get(1..1 + width)?;
    let escaped = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((escaped, &text[1 + width..]))
}

/// Returns the offset of the `}` that closes an interpolation, skipping braces inside
/// quoted strings and nested brackets.
fn interpolation_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' | '(' => depth += 1,
            '}' if depth == 0 => return Some(offset),
            '}' | ']' | ')' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

/// Merges adjacent text parts and drops empty ones, so two spellings of one value compare
/// equal.
fn normalise(parts: Vec<Part>) -> Vec<Part> {
    let mut merged: Vec<Part> = Vec::new();
    for part in parts {
        match (part, merged.last_mut()) {
            (Part::Text(text), Some(Part::Text(last))) => last.push_str(&text),
            (Part::Text(text), _) if text.is_empty() => {}
            (part, _) => merged.push(part),
        }
    }
    merged
}

fn render_files(config: &Config) -> BTreeMap<String, String> {
    render::render(config)
        .unwrap_or_else(|error| panic!("render failed: {error}"))
        .files
}

/// Reads the field back from a rendered HCL module. hcl-rs checks that main.tf parses and
/// has the argument, but the value is decoded from its text here, because hcl-rs 0.20
/// misreads runs such as `$$$${` and `%%%{y}` in templates that Terraform reads correctly.
fn read_hcl(field: Field, files: &BTreeMap<String, String>) -> Vec<Part> {
    let (kind, name, argument) = field.argument().expect("field is in main.tf");
    let main = &files["main.tf"];
    let body = hcl::parse(main).unwrap_or_else(|error| panic!("main.tf is invalid: {error}"));
    let resource = hcl_resource(&body, kind, name);
    assert!(
        resource
            .attributes()
            .any(|attribute| attribute.key() == argument),
        "{kind}.{name} has no {argument}"
    );
    let text = hcl_argument_text(main, kind, name, argument);
    // A value that is only a placeholder is emitted as the bare reference, because
    // `terraform fmt` rewrites `"${x}"` to `x`.
    match text.as_str() {
        "var.namespace" => vec![Part::Namespace],
        "var.repositories[count.index]" | "each.key" => vec![Part::Repository],
        _ => normalise(hcl_quoted_parts(&text)),
    }
}

/// Returns the string value of the field in a rendered main.tf.json.
fn json_argument(field: Field, files: &BTreeMap<String, String>) -> String {
    let (kind, name, argument) = field.argument().expect("field is in main.tf.json");
    let main: serde_json::Value = serde_json::from_str(&files["main.tf.json"])
        .unwrap_or_else(|error| panic!("main.tf.json is invalid: {error}"));
    main["resource"][kind][name][argument]
        .as_str()
        .unwrap_or_else(|| panic!("main.tf.json has no string {kind}.{name}.{argument}"))
        .to_owned()
}

/// Loads the field's value in both flavours and checks what comes out, or that the loader
/// rejects it cleanly when it should.
fn check_round_trip(field: Field, parts: &[Part]) -> Result<(), TestCaseError> {
    let value = encode(field, parts);
    let expected = expected_parts(parts);
    let reject = should_reject(field, &expected);
    for format in [Format::Hcl, Format::Json] {
        let text = config_text(field, &value, format);
        let config = match load(&text) {
            Err(report) => {
                prop_assert!(reject, "{field:?} {value:?} was rejected:\n{report}");
                assert_clean_rejection(field, &text, &report);
                continue;
            }
            Ok(config) => config,
        };
        prop_assert!(!reject, "{field:?} {value:?} was accepted");
        let files = render_files(&config);
        if field == Field::ModuleDescription {
            let description = fill(&expected, "", "");
            let readme = &files["README.md"];
            prop_assert!(
                readme.contains(&format!("<!-- BEGIN_CR_MODGEN -->\n{description}\n\n")),
                "README.md lacks the description {description:?}"
            );
            continue;
        }
        let found = match format {
            Format::Hcl => read_hcl(field, &files),
            Format::Json => normalise(template_parts(&json_argument(field, &files))),
        };
        prop_assert_eq!(&found, &expected, "{:?} {:?} in {:?}", field, value, format);
    }
    Ok(())
}

fn proptest_config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn module_description_round_trips(parts in parts_strategy(Field::ModuleDescription)) {
        check_round_trip(Field::ModuleDescription, &parts)?;
    }

    #[test]
    fn summary_round_trips(parts in parts_strategy(Field::Summary)) {
        check_round_trip(Field::Summary, &parts)?;
    }

    #[test]
    fn display_name_round_trips(parts in parts_strategy(Field::DisplayName)) {
        check_round_trip(Field::DisplayName, &parts)?;
    }

    #[test]
    fn comments_round_trip(parts in parts_strategy(Field::Comments)) {
        check_round_trip(Field::Comments, &parts)?;
    }

    #[test]
    fn policy_description_round_trips(parts in parts_strategy(Field::PolicyDescription)) {
        check_round_trip(Field::PolicyDescription, &parts)?;
    }

    #[test]
    fn secret_file_round_trips(parts in parts_strategy(Field::SecretFile)) {
        check_round_trip(Field::SecretFile, &parts)?;
    }
}

/// Hard cases for every pattern field, each a literal text around a namespace placeholder.
fn hard_cases() -> Vec<Vec<Part>> {
    let texts = [
        "\"q\" \\ \\n \\\"",
        "$${x} %%{y} ${x} %{ if x }",
        "cost$",
        "50%",
        "$$",
        "a\tb",
        "Cafe\u{301} ü 日本 😀 👨\u{200d}👩\u{200d}👧",
        "{braces}}{",
        "\\u0024",
        "<<EOF",
    ];
    let mut cases = Vec::new();
    for text in texts {
        cases.push(vec![Part::Text(text.into())]);
        cases.push(vec![
            Part::Text(text.into()),
            Part::Namespace,
            Part::Text(text.into()),
        ]);
    }
    cases
}

#[test]
fn hard_cases_round_trip() {
    for field in FIELDS {
        for parts in hard_cases() {
            let parts = if field.is_pattern() {
                parts
            } else {
                vec![Part::Text(fill(&parts, "", ""))]
            };
            match check_round_trip(field, &parts) {
                Ok(()) | Err(TestCaseError::Reject(_)) => {}
                Err(error) => panic!("{field:?} {parts:?}: {error}"),
            }
        }
    }
}

/// One accepted value to evaluate with terraform: the emitted expression text and the
/// value Terraform should produce for it.
struct ConsoleCase {
    expression: String,
    expected: String,
}

const CONSOLE_NAMESPACE: &str = "q0";
const CONSOLE_REPOSITORY: &str = "r0";

/// Returns the text after `ARGUMENT =` inside `resource "TYPE" "NAME"` of main.tf.
fn hcl_argument_text(main: &str, kind: &str, name: &str, argument: &str) -> String {
    let header = format!("resource \"{kind}\" \"{name}\" {{");
    let start = main.find(&header).expect("resource is in main.tf");
    main[start..]
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once('=')?;
            (key.trim() == argument).then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("{kind}.{name} has no {argument} line"))
}

/// Replaces the count index, which a local cannot use, with the first element.
fn without_count(expression: &str) -> String {
    expression
        .replace("var.repositories[count.index]", "var.repositories[0]")
        .replace("each.key", "var.repositories[0]")
}

/// Decodes the console's output for `join(" ", [urlencode(...), ...])`: a quoted string
/// of URL-encoded values (unreserved characters, `+` for a space, `%XX` bytes) separated by
/// spaces. URL encoding keeps the output ASCII, because the console prints other strings in
/// a quoting of its own (such as `\\x7f` for DEL). `jsonencode` does not work here, because
/// its result is normalised to NFC, which joins the `n` of a `\\n` escape with a following
/// combining mark.
fn console_values(line: &str) -> Vec<String> {
    let inner = line
        .trim()
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("console output is not a quoted string: {line}"));
    inner.split(' ').map(url_decode).collect()
}

fn url_decode(encoded: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = encoded.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(&after[..2]).expect("ASCII hex digits");
            bytes.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
            rest = &after[2..];
        } else if byte == b'+' {
            bytes.push(b' ');
            rest = after;
        } else {
            bytes.push(byte);
            rest = after;
        }
    }
    String::from_utf8(bytes).expect("the decoded value is UTF-8")
}

/// Evaluates every case as a local in a module of `format` and compares with the expected
/// values, in one `terraform console` call.
fn check_with_console(cases: &[ConsoleCase], format: Format) {
    let dir = tempfile::tempdir().expect("temp dir");
    match format {
        Format::Hcl => {
            let mut text = format!(
                "variable \"namespace\" {{\n  default = \"{CONSOLE_NAMESPACE}\"\n}}\n\n\
                 variable \"repositories\" {{\n  default = [\"{CONSOLE_REPOSITORY}\"]\n}}\n\nlocals {{\n"
            );
            for (i, case) in cases.iter().enumerate() {
                text.push_str(&format!("  x{i} = {}\n", case.expression));
            }
            text.push_str("}\n");
            fs::write(dir.path().join("main.tf"), text).expect("write main.tf");
        }
        Format::Json => {
            let mut locals = serde_json::Map::new();
            for (i, case) in cases.iter().enumerate() {
                let value: serde_json::Value =
                    serde_json::from_str(&case.expression).expect("a JSON string");
                locals.insert(format!("x{i}"), value);
            }
            let module = json!({
                "variable": {
                    "namespace": { "default": CONSOLE_NAMESPACE },
                    "repositories": { "default": [CONSOLE_REPOSITORY] },
                },
                "locals": locals,
            });
            fs::write(dir.path().join("main.tf.json"), module.to_string()).expect("write");
        }
    }
    let list: Vec<String> = (0..cases.len())
        .map(|i| format!("urlencode(local.x{i})"))
        .collect();
    let input = format!("join(\" \", [{}])\n", list.join(", "));
    let mut child = support::terraform_plain(dir.path())
        .arg("console")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("terraform console starts");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(input.as_bytes()).expect("write to console");
    }
    let output = child.wait_with_output().expect("terraform console runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "terraform console failed on {format:?}:\n{}\n{}",
        stdout,
        String::from_utf8_lossy(&output.stderr)
    );
    let values = console_values(stdout.lines().next().unwrap_or(""));
    assert_eq!(
        values.len(),
        cases.len(),
        "console returned a wrong number of values"
    );
    for (case, value) in cases.iter().zip(&values) {
        assert_eq!(
            value, &case.expected,
            "{format:?}: terraform read {} as {value:?}",
            case.expression
        );
    }
}

/// Collects the console cases of one value in both flavours.
fn console_cases(
    field: Field,
    parts: &[Part],
    hcl_cases: &mut Vec<ConsoleCase>,
    json_cases: &mut Vec<ConsoleCase>,
) {
    let value = encode(field, parts);
    let expected = expected_parts(parts);
    if should_reject(field, &expected) {
        return;
    }
    let (kind, name, argument) = field.argument().expect("a main.tf field");
    let filled = fill(&expected, CONSOLE_NAMESPACE, CONSOLE_REPOSITORY);
    for format in [Format::Hcl, Format::Json] {
        let config = load(&config_text(field, &value, format))
            .unwrap_or_else(|report| panic!("{field:?} {value:?} was rejected:\n{report}"));
        let files = render_files(&config);
        match format {
            Format::Hcl => hcl_cases.push(ConsoleCase {
                expression: without_count(&hcl_argument_text(
                    &files["main.tf"],
                    kind,
                    name,
                    argument,
                )),
                expected: filled.clone(),
            }),
            Format::Json => {
                let emitted = json_argument(field, &files);
                json_cases.push(ConsoleCase {
                    expression: serde_json::to_string(&without_count(&emitted))
                        .expect("a string serialises"),
                    expected: filled.clone(),
                })
            }
        }
    }
}

/// Tells whether Terraform's own NFC normalisation of the filled value would change it, as
/// for a combining mark right after a placeholder, so the console cannot compare it.
fn filled_is_nfc(parts: &[Part]) -> bool {
    let filled = fill(parts, CONSOLE_NAMESPACE, CONSOLE_REPOSITORY);
    filled.nfc().collect::<String>() == filled
}

#[test]
fn terraform_console_reads_values_literally() {
    let mut hcl_cases = Vec::new();
    let mut json_cases = Vec::new();
    let pattern_fields: Vec<Field> = FIELDS.into_iter().filter(|f| f.is_pattern()).collect();
    for &field in &pattern_fields {
        for parts in hard_cases() {
            console_cases(field, &parts, &mut hcl_cases, &mut json_cases);
        }
    }

    // 30 generated values per field from a fixed seed, so failures repeat.
    let mut runner = TestRunner::new_with_rng(
        ProptestConfig::default(),
        TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &[7; 32]),
    );
    for &field in &pattern_fields {
        let strategy = parts_strategy(field);
        let mut sampled = 0;
        while sampled < 30 {
            let parts = strategy.new_tree(&mut runner).expect("a value").current();
            let expected = expected_parts(&parts);
            if should_reject(field, &expected) || !filled_is_nfc(&expected) {
                continue;
            }
            console_cases(field, &parts, &mut hcl_cases, &mut json_cases);
            sampled += 1;
        }
    }
    check_with_console(&hcl_cases, Format::Hcl);
    check_with_console(&json_cases, Format::Json);
}

/// Literal `$$` right before a placeholder. Writing only the last `$` as `${"$"}` would let
/// the `$` before it join into the `$${` escape, so the whole run must be interpolated.
#[test]
fn dollar_run_before_placeholder() {
    let parts = vec![Part::Text("$$".into()), Part::Namespace];
    let mut hcl_cases = Vec::new();
    let mut json_cases = Vec::new();
    for field in FIELDS.into_iter().filter(|f| f.is_pattern()) {
        let value = encode(field, &parts);
        for format in [Format::Hcl, Format::Json] {
            let config = load(&config_text(field, &value, format)).expect("the value is valid");
            let files = render_files(&config);
            let found = match format {
                Format::Hcl => read_hcl(field, &files),
                Format::Json => normalise(template_parts(&json_argument(field, &files))),
            };
            assert_eq!(found, parts, "{field:?} in {format:?}");
        }
        let (kind, name, argument) = field.argument().expect("a main.tf field");
        let config = load(&config_text(field, &value, Format::Hcl)).expect("valid");
        let files = render_files(&config);
        hcl_cases.push(ConsoleCase {
            expression: without_count(&hcl_argument_text(&files["main.tf"], kind, name, argument)),
            expected: fill(&parts, CONSOLE_NAMESPACE, CONSOLE_REPOSITORY),
        });
        let config = load(&config_text(field, &value, Format::Json)).expect("valid");
        let files = render_files(&config);
        json_cases.push(ConsoleCase {
            expression: serde_json::to_string(&without_count(&json_argument(field, &files)))
                .expect("a string serialises"),
            expected: fill(&parts, CONSOLE_NAMESPACE, CONSOLE_REPOSITORY),
        });
    }
    check_with_console(&hcl_cases, Format::Hcl);
    check_with_console(&json_cases, Format::Json);
}

/// A lone carriage return in a JSON template: written raw, Terraform 1.11 reads the rest
/// of the string without interpolation, so the emitter writes it as `${"\r"}`. The HCL
/// flavour writes `\r` inside a quoted string and is not affected.
#[test]
fn lone_carriage_return_in_json() {
    let parts = vec![Part::Text("a\r".into()), Part::Namespace];
    let mut hcl_cases = Vec::new();
    let mut json_cases = Vec::new();
    for field in FIELDS
        .into_iter()
        .filter(|f| f.is_pattern() && *f != Field::SecretFile)
    {
        console_cases(field, &parts, &mut hcl_cases, &mut json_cases);
    }
    check_with_console(&hcl_cases, Format::Hcl);
    check_with_console(&json_cases, Format::Json);
}

/// A value that starts with U+FEFF: Terraform 1.11 drops that character from the start of
/// a string in JSON syntax (`"\u{feff}b"` reads as `b`), so the emitter interpolates it.
#[test]
fn leading_byte_order_mark_in_json() {
    let mut hcl_cases = Vec::new();
    let mut json_cases = Vec::new();
    for parts in [
        vec![Part::Text("\u{feff}b".into())],
        vec![Part::Text("\u{feff}b".into()), Part::Namespace],
    ] {
        for field in FIELDS.into_iter().filter(|f| f.is_pattern()) {
            console_cases(field, &parts, &mut hcl_cases, &mut json_cases);
        }
    }
    check_with_console(&hcl_cases, Format::Hcl);
    check_with_console(&json_cases, Format::Json);
}
