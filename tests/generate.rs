//! Generation tests over every fixture config: snapshots of each generated file, byte
//! determinism, `terraform fmt` cleanliness, schema conformance against the provider
//! schema data, and the default module's interface against the reference module.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use cr_modgen::config::{self, Config, Format};
use cr_modgen::diag::Source;
use cr_modgen::render::{self, Rendered};

fn load(path: &Path) -> Config {
    let text = fs::read_to_string(path).expect("fixture is readable");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    match config::load(&Source::new(name, text)) {
        Ok((config, _)) => config,
        Err(report) => panic!("fixture {} is invalid:\n{report}", path.display()),
    }
}

fn render_fixture(path: &Path, format: Option<Format>) -> Rendered {
    let mut config = load(path);
    if let Some(format) = format {
        config.format = format;
    }
    render::render(&config).expect("fixture renders")
}

#[test]
fn snapshots_of_every_file() {
    for (case, path) in support::fixtures() {
        let rendered = render_fixture(&path, None);
        for (file, text) in &rendered.files {
            if file == "LICENSE" {
                continue;
            }
            let name = format!("{case}__{}", file.replace('/', "__"));
            insta::assert_snapshot!(name, text);
        }
    }
}

#[test]
fn license_is_apache_2() {
    let rendered = render_fixture(&support::fixtures()[0].1, None);
    let license = &rendered.files["LICENSE"];
    assert!(license.contains("Apache License"), "LICENSE is not Apache");
    assert!(license.contains("Version 2.0, January 2004"));
}

#[test]
fn output_is_deterministic_and_lf_only() {
    for (case, path) in support::fixtures() {
        for format in [Format::Hcl, Format::Json] {
            let first = render_fixture(&path, Some(format));
            let second = render_fixture(&path, Some(format));
            assert_eq!(first.files, second.files, "{case}: two renders differ");
            for (file, text) in &first.files {
                assert!(!text.contains('\r'), "{case}/{file} contains CR");
                assert!(text.ends_with('\n'), "{case}/{file} lacks a final newline");
            }
        }
    }
}

/// Writes each fixture's module to disk through the CLI in both flavours.
fn generate_all(root: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut dirs = Vec::new();
    for (case, path) in support::fixtures() {
        for format in ["hcl", "json"] {
            let out = root.join(format!("{case}-{format}"));
            support::run_cr_modgen(
                &[
                    "generate",
                    "--config",
                    path.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--format",
                    format,
                ],
                0,
            );
            dirs.push((format!("{case}/{format}"), out));
        }
    }
    dirs
}

#[test]
fn terraform_fmt_check_is_clean() {
    let root = tempfile::tempdir().unwrap();
    for (case, dir) in generate_all(root.path()) {
        let output = support::expect_exit(
            support::terraform_plain(&dir).args(["fmt", "-check", "-diff", "-recursive"]),
            0,
        );
        assert!(
            output.stdout.is_empty(),
            "{case}: terraform fmt changed files:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn generated_json_parses() {
    for (case, path) in support::fixtures() {
        let rendered = render_fixture(&path, Some(Format::Json));
        for (file, text) in &rendered.files {
            if file.ends_with(".tf.json") {
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(text);
                assert!(parsed.is_ok(), "{case}/{file} is not JSON: {parsed:?}");
            }
        }
    }
}

/// The provider schemas, as `terraform providers schema -json` prints them.
struct Schemas {
    root: serde_json::Value,
}

impl Schemas {
    fn load() -> Schemas {
        let mut providers = serde_json::Map::new();
        for file in ["alicloud.json", "random.json"] {
            let text = fs::read_to_string(support::repo_root().join("schema").join(file))
                .expect("schema data exists");
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            for (name, schema) in value["provider_schemas"].as_object().unwrap() {
                providers.insert(name.clone(), schema.clone());
            }
        }
        Schemas {
            root: serde_json::Value::Object(providers),
        }
    }

    fn block(&self, section: &str, kind: &str) -> Option<&serde_json::Value> {
        let provider = if kind.starts_with("random_") {
            "registry.terraform.io/hashicorp/random"
        } else {
            "registry.terraform.io/aliyun/alicloud"
        };
        self.root[provider][section].get(kind).map(|s| &s["block"])
    }
}

/// Enum values of the arguments the module sets, from the providers' validators (the
/// schema JSON does not carry them).
fn allowed_values(kind: &str, argument: &str) -> Option<&'static [&'static str]> {
    match (kind, argument) {
        ("alicloud_cr_namespace", "default_visibility") => Some(&["PUBLIC", "PRIVATE"]),
        ("alicloud_cr_repo", "repo_type") => Some(&["PUBLIC", "PRIVATE"]),
        ("alicloud_ram_user_policy_attachment", "policy_type") => Some(&["System", "Custom"]),
        ("alicloud_ram_access_key", "status") => Some(&["Active", "Inactive"]),
        _ => None,
    }
}

fn check_block(
    case: &str,
    address: &str,
    kind: &str,
    schema: &serde_json::Value,
    body: &hcl::Body,
) {
    let attributes = schema["attributes"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let blocks = schema["block_types"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let meta = ["count", "for_each", "provider", "depends_on", "lifecycle"];
    let mut written = BTreeSet::new();
    for attribute in body.attributes() {
        let key = attribute.key();
        if meta.contains(&key) {
            continue;
        }
        written.insert(key.to_owned());
        let spec = attributes.get(key);
        assert!(
            spec.is_some(),
            "{case}: {address} sets unknown argument `{key}`"
        );
        let spec = spec.unwrap();
        let settable = spec["required"] == true || spec["optional"] == true;
        assert!(settable, "{case}: {address} sets computed-only `{key}`");
        assert!(
            spec["deprecated"] != true,
            "{case}: {address} sets deprecated `{key}`"
        );
        if let (Some(allowed), hcl::Expression::String(value)) =
            (allowed_values(kind, key), attribute.expr())
        {
            assert!(
                allowed.contains(&value.as_str()),
                "{case}: {address}.{key} = `{value}` is not one of {allowed:?}"
            );
        }
    }
    for block in body.blocks() {
        let key = block.identifier();
        if key == "lifecycle" {
            continue;
        }
        assert!(
            blocks.contains_key(key),
            "{case}: {address} has unknown block `{key}`"
        );
    }
    for (name, spec) in &attributes {
        if spec["required"] == true {
            assert!(
                written.contains(name),
                "{case}: {address} lacks required argument `{name}`"
            );
        }
    }
}

#[test]
fn resources_conform_to_provider_schema() {
    let schemas = Schemas::load();
    for (case, path) in support::fixtures() {
        let rendered = render_fixture(&path, Some(Format::Hcl));
        let main = hcl::parse(&rendered.files["main.tf"])
            .unwrap_or_else(|e| panic!("{case}: main.tf does not parse: {e}"));
        let mut seen = 0;
        for block in main.blocks() {
            let (section, prefix) = match block.identifier() {
                "resource" => ("resource_schemas", ""),
                "data" => ("data_source_schemas", "data."),
                "provider" => {
                    let schema =
                        &schemas.root["registry.terraform.io/aliyun/alicloud"]["provider"]["block"];
                    check_block(&case, "provider.alicloud", "provider", schema, block.body());
                    continue;
                }
                _ => continue,
            };
            let kind = block.labels()[0].as_str();
            let address = format!("{prefix}{kind}.{}", block.labels()[1].as_str());
            let schema = schemas.block(section, kind);
            assert!(
                schema.is_some(),
                "{case}: no provider has {section} `{kind}`"
            );
            check_block(&case, &address, kind, schema.unwrap(), block.body());
            seen += 1;
        }
        assert!(
            seen >= 8,
            "{case}: only {seen} resources and data sources checked"
        );
    }
}

/// One row of the reference module's input table.
struct ReferenceInput {
    name: &'static str,
    ty: &'static str,
    default: Option<serde_json::Value>,
}

fn reference_inputs(with_password: bool) -> Vec<ReferenceInput> {
    use serde_json::json;
    let mut inputs = vec![
        ReferenceInput {
            name: "region",
            ty: "string",
            default: Some(json!("")),
        },
        ReferenceInput {
            name: "profile",
            ty: "string",
            default: Some(json!("default")),
        },
        ReferenceInput {
            name: "shared_credentials_file",
            ty: "string",
            default: Some(json!("")),
        },
        ReferenceInput {
            name: "skip_region_validation",
            ty: "bool",
            default: Some(json!(false)),
        },
        ReferenceInput {
            name: "namespace",
            ty: "string",
            default: None,
        },
        ReferenceInput {
            name: "repositories",
            ty: "list(string)",
            default: Some(json!(["default"])),
        },
        ReferenceInput {
            name: "repo_autocreate",
            ty: "bool",
            default: Some(json!(true)),
        },
    ];
    if with_password {
        inputs.push(ReferenceInput {
            name: "password",
            ty: "string",
            default: Some(json!("")),
        });
    }
    inputs
}

const REFERENCE_OUTPUTS: [&str; 12] = [
    "cr_namespace",
    "cr_access_key",
    "cr_user",
    "cr_endpoint",
    "ram_user",
    "ram_policy_name",
    "repository_ids",
    "ram_console_username",
    "disposable_password",
    "access_key_status",
    "ram_policy_type",
    "ram_policy_attachment",
];

const REFERENCE_ADDRESSES: [&str; 10] = [
    "data.alicloud_account.current",
    "data.alicloud_regions.current",
    "random_string.cr_console_password",
    "alicloud_cr_namespace.registry_namespace",
    "alicloud_cr_repo.namespace_repositories",
    "alicloud_ram_policy.cr_namespace_policy",
    "alicloud_ram_user.namespace_user",
    "alicloud_ram_login_profile.namespace_console_user",
    "alicloud_ram_user_policy_attachment.cr_user_policy_attachment",
    "alicloud_ram_access_key.cr_ak",
];

/// Reads the variables of generated JSON output, where types and defaults are plain data.
fn interface_of(rendered: &Rendered) -> (BTreeMap<String, serde_json::Value>, Vec<String>) {
    let variables: serde_json::Value =
        serde_json::from_str(&rendered.files["variables.tf.json"]).unwrap();
    let outputs: serde_json::Value =
        serde_json::from_str(&rendered.files["outputs.tf.json"]).unwrap();
    let variables = variables["variable"]
        .as_object()
        .unwrap()
        .clone()
        .into_iter()
        .collect();
    let outputs = outputs["output"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    (variables, outputs)
}

fn assert_interface(case: &str, rendered: &Rendered, with_password: bool) {
    let (variables, outputs) = interface_of(rendered);
    let expected = reference_inputs(with_password);
    let names: BTreeSet<&str> = variables.keys().map(String::as_str).collect();
    let expected_names: BTreeSet<&str> = expected.iter().map(|i| i.name).collect();
    assert_eq!(names, expected_names, "{case}: input names differ");
    for input in &expected {
        let variable = &variables[input.name];
        assert_eq!(
            variable["type"], input.ty,
            "{case}: type of `{}`",
            input.name
        );
        match &input.default {
            Some(default) => assert_eq!(
                &variable["default"], default,
                "{case}: default of `{}`",
                input.name
            ),
            None => assert!(
                variable.get("default").is_none(),
                "{case}: `{}` must be required",
                input.name
            ),
        }
    }
    assert_eq!(
        outputs,
        REFERENCE_OUTPUTS.to_vec(),
        "{case}: output names differ"
    );
}

#[test]
fn default_interface_matches_reference_1_3_0() {
    let config = Config {
        format: Format::Json,
        ..Config::default()
    };
    let rendered = render::render(&config).unwrap();
    assert_interface("built-in default", &rendered, false);
    let rendered = render_fixture(
        &support::repo_root().join("fixtures/default/cr.hcl"),
        Some(Format::Json),
    );
    assert_interface("fixtures/default", &rendered, false);
}

#[test]
fn password_interface_matches_reference_1_3_1() {
    let path = support::repo_root().join("fixtures/password/cr.hcl");
    let rendered = render_fixture(&path, Some(Format::Json));
    assert_interface("fixtures/password", &rendered, true);
    let variables: serde_json::Value =
        serde_json::from_str(&rendered.files["variables.tf.json"]).unwrap();
    assert_eq!(variables["variable"]["password"]["sensitive"], true);
}

#[test]
fn default_addresses_match_reference() {
    let rendered = render::render(&Config::default()).unwrap();
    let main = hcl::parse(&rendered.files["main.tf"]).unwrap();
    let mut addresses = BTreeSet::new();
    for block in main.blocks() {
        let labels: Vec<&str> = block.labels().iter().map(|l| l.as_str()).collect();
        match block.identifier() {
            "resource" => addresses.insert(format!("{}.{}", labels[0], labels[1])),
            "data" => addresses.insert(format!("data.{}.{}", labels[0], labels[1])),
            _ => false,
        };
    }
    let expected: BTreeSet<String> = REFERENCE_ADDRESSES.iter().map(|a| a.to_string()).collect();
    assert_eq!(addresses, expected);
}

#[test]
fn starter_configs_equal_the_default() {
    for name in ["starter.hcl", "starter.json"] {
        let path = support::repo_root().join("templates").join(name);
        let mut config = load(&path);
        config.file_name = None;
        assert_eq!(
            config,
            Config::default(),
            "{name} differs from the built-in default"
        );
    }
}

#[test]
fn secret_outputs_are_sensitive() {
    for (case, path) in support::fixtures() {
        let rendered = render_fixture(&path, Some(Format::Json));
        let outputs: serde_json::Value =
            serde_json::from_str(&rendered.files["outputs.tf.json"]).unwrap();
        if let Some(password) = outputs["output"].get("disposable_password") {
            assert_eq!(password["sensitive"], true, "{case}: disposable_password");
        }
    }
}

#[test]
fn annotated_fixtures_match_the_starters() {
    let root = support::repo_root();
    for (fixture, starter) in [
        ("fixtures/default/cr.hcl", "templates/starter.hcl"),
        ("fixtures/json-config/cr.json", "templates/starter.json"),
    ] {
        let fixture_text = fs::read_to_string(root.join(fixture)).unwrap();
        let starter_text = fs::read_to_string(root.join(starter)).unwrap();
        assert_eq!(
            fixture_text, starter_text,
            "{fixture} differs from {starter}; copy the starter over it"
        );
    }
}

#[test]
fn placeholder_only_patterns_are_fmt_clean() {
    let text = "repositories {\n  summary = \"{repository}\"\n}\n\nram_user {\n  display_name = \"{namespace}\"\n}\n";
    let (config, _) = config::load(&Source::new("cr.hcl", text)).expect("valid config");
    let rendered = render::render(&config).unwrap();
    let main = &rendered.files["main.tf"];
    assert!(
        main.contains("  summary   = var.repositories[count.index]\n"),
        "{main}"
    );
    assert!(main.contains("  display_name = var.namespace\n"), "{main}");

    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), main).unwrap();
    let output = support::expect_exit(
        support::terraform_plain(dir.path()).args(["fmt", "-check", "-diff"]),
        0,
    );
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
