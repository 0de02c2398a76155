//! Fuzzes the config loader and the whole pipeline with proptest: arbitrary text fed to
//! the HCL and JSON loaders, and configs built from the schema's keys with random values.
//! Every input must either fail with a non-empty report whose spans lie inside the text,
//! or render files that hcl-rs and serde_json parse. A few hundred distinct rendered
//! modules are checked with one `terraform fmt -check -recursive` at the end.
//!
//! `CR_MODGEN_FUZZ_CASES` sets the number of cases per property (default 500). The full
//! run is `CR_MODGEN_FUZZ_CASES=100000 cargo test --release --test fuzz`: 400,000 cases in
//! all, which took 112 s on a 2-core machine while other builds ran.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::sync::Mutex;

use cr_modgen::config;
use cr_modgen::diag::Source;
use cr_modgen::render;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{json, Map, Value};

/// Maximum number of distinct rendered modules kept for the `terraform fmt` check.
const FMT_SAMPLE: usize = 300;

fn cases() -> u32 {
    match std::env::var("CR_MODGEN_FUZZ_CASES") {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("CR_MODGEN_FUZZ_CASES={text} is not a number")),
        Err(_) => 500,
    }
}

fn proptest_config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Rendered .tf files of distinct modules, collected for the `terraform fmt` check.
static FMT_MODULES: Mutex<Vec<Vec<(String, String)>>> = Mutex::new(Vec::new());
static FMT_SEEN: Mutex<BTreeSet<u64>> = Mutex::new(BTreeSet::new());

fn keep_for_fmt(files: &std::collections::BTreeMap<String, String>) {
    use std::hash::{Hash, Hasher};
    let tf: Vec<(String, String)> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".tf") || path.ends_with(".tftest.hcl"))
        .map(|(path, text)| (path.clone(), text.clone()))
        .collect();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    tf.hash(&mut hasher);
    let mut seen = FMT_SEEN.lock().expect("lock");
    let mut modules = FMT_MODULES.lock().expect("lock");
    if modules.len() < FMT_SAMPLE && seen.insert(hasher.finish()) {
        modules.push(tf);
    }
}

/// Loads `text` as a config named `name` and checks the outcome: a clean report, or files
/// that parse.
fn check_pipeline(name: &str, text: &str) -> Result<(), TestCaseError> {
    let source = Source::new(name, text);
    let config = match config::load(&source) {
        Ok((config, report)) => {
            for diagnostic in &report.diagnostics {
                prop_assert!(!diagnostic.is_error(), "an accepted config has an error");
                prop_assert!(
                    diagnostic.span.end <= text.len(),
                    "warning span outside text"
                );
            }
            config
        }
        Err(report) => {
            prop_assert!(
                !report.diagnostics.is_empty(),
                "rejected with no diagnostic"
            );
            prop_assert!(report.has_errors(), "rejected with only warnings");
            for diagnostic in &report.diagnostics {
                prop_assert!(!diagnostic.message.is_empty(), "empty message");
                prop_assert!(
                    diagnostic.span.start <= diagnostic.span.end
                        && diagnostic.span.end <= text.len(),
                    "span {:?} outside the text of {} bytes",
                    diagnostic.span,
                    text.len()
                );
            }
            prop_assert!(!report.to_string().is_empty(), "the report renders empty");
            return Ok(());
        }
    };
    let rendered = render::render(&config);
    let rendered = match rendered {
        Ok(rendered) => rendered,
        Err(error) => {
            prop_assert!(false, "an accepted config failed to render: {error}");
            unreachable!()
        }
    };
    for (path, file) in &rendered.files {
        if path.ends_with(".tf") || path.ends_with(".tftest.hcl") {
            if let Err(error) = hcl::parse(file) {
                prop_assert!(false, "{path} is invalid HCL: {error}\n{file}");
            }
        } else if path.ends_with(".tf.json") {
            if let Err(error) = serde_json::from_str::<Value>(file) {
                prop_assert!(false, "{path} is invalid JSON: {error}\n{file}");
            }
        }
    }
    keep_for_fmt(&rendered.files);
    Ok(())
}

/// Text fragments of both config syntaxes, so random text often gets past the tokenizer.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    "=",
    ":",
    ",",
    "\n",
    " ",
    "#",
    "//",
    "/*",
    "*/",
    "<<EOF\n",
    "EOF\n",
    "${",
    "%{",
    "$${",
    "\\",
    "\\u0000",
    "\\ud800",
    "true",
    "null",
    "1e999",
    "-0",
    "module",
    "repositories",
    "summary",
    "format",
    "\"json\"",
    "\"hcl\"",
    "ram_user",
    "secret_file",
    "outputs",
    "é",
    "e\u{301}",
    "😀",
    "\u{feff}",
    "\r",
    "\t",
];

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        2 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// The config schema: each section and its keys.
const SCHEMA: &[(&str, &[&str])] = &[
    (
        "module",
        &["namespace", "name", "provider", "version", "description"],
    ),
    ("versions", &["terraform", "alicloud", "random"]),
    ("namespace", &["visibility", "repo_autocreate", "name"]),
    (
        "repositories",
        &["addressing", "default", "visibility", "summary"],
    ),
    ("ram_user", &["name", "display_name", "comments"]),
    ("ram_policy", &["name", "description"]),
    ("console_login", &["enabled", "password_input"]),
    ("access_key", &["secret_file"]),
];

/// Plausible string values: valid choices, names, patterns and version constraints, next
/// to broken ones.
const STRINGS: &[&str] = &[
    "hcl",
    "json",
    "module",
    "caller",
    "PRIVATE",
    "PUBLIC",
    "count",
    "for_each",
    "default",
    "app",
    "web-1",
    "a",
    "UPPER",
    "x/y",
    "alicloud",
    "aws",
    "1.3.0",
    "1.3",
    ">= 1.114.0",
    ">= 1.0",
    "~> 1.200",
    "< 2",
    "",
    " ",
    "{namespace}",
    "{repository}",
    "{namespace}-x",
    "x-{namespace}-y",
    "{nope}",
    "{",
    "}",
    "{{x}}",
    "cr-{namespace}-ak.json",
    "../x",
    "/abs",
    "~/x",
    "cr_namespace",
    "cr_user",
    "disposable_password",
    "ram_user",
    "repository_ids",
    "$${x}",
    "%%{y}",
    "${x}",
    "line\nbreak",
    "tab\there",
    "é",
    "😀",
];

fn value_strategy() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        4 => proptest::sample::select(STRINGS).prop_map(|s| json!(s)),
        2 => "[a-z0-9{}$%\\\\\"' ._-]{0,12}".prop_map(Value::String),
        1 => any::<String>().prop_map(Value::String),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(|n| json!(n)),
        1 => Just(Value::Null),
    ];
    leaf.prop_recursive(2, 16, 6, |inner| {
        prop_oneof![
            3 => proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            1 => proptest::collection::vec(("[a-z_]{1,8}", inner), 0..3)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Generates configs from the schema: random sections, mostly known keys, random values.
fn config_strategy() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        8 => proptest::sample::select(SCHEMA).prop_flat_map(|(section, keys)| {
            (Just(section.to_owned()), proptest::sample::select(keys).prop_map(str::to_owned))
        }),
        1 => ("[a-z_]{1,10}", "[a-z_]{1,10}"),
    ];
    let entry = (key, value_strategy());
    let top = prop_oneof![
        Just(None),
        proptest::sample::select(&["format", "provider_shape", "outputs"][..]).prop_map(Some),
    ];
    (
        proptest::collection::vec(entry, 0..8),
        proptest::collection::vec((top, value_strategy()), 0..3),
    )
        .prop_map(|(entries, tops)| {
            let mut config = Map::new();
            for ((section, key), value) in entries {
                let slot = config
                    .entry(section)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(members) = slot {
                    members.insert(key, value);
                }
            }
            for (key, value) in tops {
                if let Some(key) = key {
                    config.insert(key.to_owned(), value);
                }
            }
            Value::Object(config)
        })
}

/// Writes a JSON value as HCL config text: objects at the top level become blocks and
/// other values attributes. Values the HCL syntax cannot hold are written as JSON-style
/// literals, which the loader may reject.
fn to_hcl(config: &Value) -> String {
    let mut text = String::new();
    let Value::Object(members) = config else {
        return text;
    };
    for (key, value) in members {
        match value {
            Value::Object(body) => {
                text.push_str(&format!("{key} {{\n"));
                for (inner, value) in body {
                    text.push_str(&format!("  {inner} = {}\n", hcl_value(value)));
                }
                text.push_str("}\n");
            }
            other => text.push_str(&format!("{key} = {}\n", hcl_value(other))),
        }
    }
    text
}

fn hcl_value(value: &Value) -> String {
    match value {
        // HCL escapes template sequences by doubling their first character.
        Value::String(text) => {
            serde_json::to_string(&text.replace("${", "$${").replace("%{", "%%{"))
                .expect("a string serialises")
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(hcl_value).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|(key, value)| format!("{key} = {}", hcl_value(value)))
                .collect();
            format!("{{ {} }}", members.join(", "))
        }
        other => other.to_string(),
    }
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn arbitrary_text_in_hcl_loader(text in text_strategy()) {
        check_pipeline("cr.hcl", &text)?;
    }

    #[test]
    fn arbitrary_text_in_json_loader(text in text_strategy()) {
        check_pipeline("cr.json", &text)?;
    }

    #[test]
    fn schema_configs_in_json(config in config_strategy()) {
        check_pipeline("cr.json", &config.to_string())?;
    }

    #[test]
    fn schema_configs_in_hcl(config in config_strategy()) {
        check_pipeline("cr.hcl", &to_hcl(&config))?;
    }
}

/// Generates configs that the loader accepts: valid choices for the fixed keys and random
/// free text.
fn valid_config_strategy() -> impl Strategy<Value = Value> {
    let text = "[a-zA-Z0-9 ${}%\\\\\"'é😀\t-]{1,20}";
    let names = proptest::collection::btree_set("[a-z][a-z0-9_-]{0,8}[a-z0-9]", 0..6);
    (
        (
            proptest::sample::select(&["hcl", "json"][..]),
            proptest::sample::select(&["module", "caller"][..]),
            proptest::sample::select(&["count", "for_each"][..]),
            proptest::sample::select(&["PRIVATE", "PUBLIC"][..]),
            any::<bool>(),
            any::<bool>(),
        ),
        (names, text, text, text, text),
    )
        .prop_map(
            |((format, shape, addressing, visibility, login, autocreate), texts)| {
                let (names, summary, display_name, comments, description) = texts;
                let literal = |text: String| text.replace('{', "{{").replace('}', "}}");
                json!({
                    "format": format,
                    "provider_shape": shape,
                    "namespace": { "visibility": visibility, "repo_autocreate": autocreate },
                    "repositories": {
                        "addressing": addressing,
                        "default": names,
                        "summary": format!("{} {{repository}}", literal(summary)),
                    },
                    "ram_user": {
                        "display_name": format!("{{namespace}} {}", literal(display_name)),
                        "comments": literal(comments),
                    },
                    "ram_policy": { "description": literal(description) },
                    "console_login": { "enabled": login },
                })
            },
        )
}

/// Checks the modules that the properties collected, topped up with modules rendered here
/// from schema configs, because the properties may run in parallel or be filtered out.
#[test]
fn rendered_modules_pass_terraform_fmt() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = valid_config_strategy();
    let mut attempts = 0;
    while FMT_MODULES.lock().expect("lock").len() < FMT_SAMPLE && attempts < 2 * FMT_SAMPLE {
        attempts += 1;
        let config = strategy.new_tree(&mut runner).expect("a config").current();
        if let Err(error) = check_pipeline("cr.json", &config.to_string()) {
            panic!("{config}: {error}");
        }
    }
    let modules = FMT_MODULES.lock().expect("lock").clone();
    assert!(
        modules.len() >= FMT_SAMPLE / 2,
        "only {} distinct modules rendered in {attempts} attempts",
        modules.len()
    );

    let dir = tempfile::tempdir().expect("temp dir");
    for (i, module) in modules.iter().enumerate() {
        for (path, text) in module {
            let target = dir.path().join(format!("m{i}")).join(path);
            fs::create_dir_all(target.parent().expect("has a parent")).expect("create dirs");
            fs::write(target, text).expect("write file");
        }
    }
    let output = support::terraform_plain(dir.path())
        .args(["fmt", "-check", "-recursive", "-list=true", "-diff"])
        .output()
        .expect("terraform fmt runs");
    assert!(
        output.status.success(),
        "terraform fmt -check failed for {} modules; files that need formatting, and the diff:\n{}\n{}",
        modules.len(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "terraform fmt -check passed on {} distinct modules",
        modules.len()
    );
}
