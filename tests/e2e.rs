//! End-to-end tests of generated modules. Every fixture config is generated in both the
//! HCL and the JSON flavour. The real `terraform` then initialises, validates, plans,
//! applies and destroys each one against the provider emulator, in a temporary directory
//! with its own emulated cloud file.
//!
//! `CR_MODGEN_E2E_FIXTURE=default,caller` limits the fixture loops to the named fixtures.
//! Wall times per fixture and flavour go to stderr (`cargo test --test e2e -- --nocapture`).

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value as Json};
use tempfile::TempDir;

/// Region the tests configure, so the endpoint check does not pass on the emulator's
/// default region (cn-beijing) by accident.
const REGION: &str = "cn-hangzhou";
/// Account id the emulator's `data.alicloud_account` returns in these tests.
const ACCOUNT_ID: &str = "5550001112223334";
/// Comma-separated fixture names that the fixture loops run. Unset, they run them all.
const FIXTURE_FILTER_ENV: &str = "CR_MODGEN_E2E_FIXTURE";

/// Every output the generator can emit, in the order of the default config.
const ALL_OUTPUTS: &[&str] = &[
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
/// Outputs that read the console login profile or its password, dropped from the default
/// list when the config disables the login.
const LOGIN_OUTPUTS: &[&str] = &["cr_user", "ram_console_username", "disposable_password"];
/// Outputs added to the default list when the config sets `access_key.pgp_key`.
const PGP_OUTPUTS: &[&str] = &["encrypted_secret", "key_fingerprint"];

/// Warnings that `terraform validate` may report: the provider deprecates both Container
/// Registry Personal Edition resources (since alicloud v1.276.0). Each entry is the
/// resource type and the exact summary of its warning.
const ALLOWED_WARNINGS: &[(&str, &str)] = &[
    (
        "alicloud_cr_namespace",
        "This resource has been deprecated since v1.276.0 and will be removed in the future. \
         Please use 'alicloud_cr_ee_namespace' instead.",
    ),
    (
        "alicloud_cr_repo",
        "This resource has been deprecated since v1.276.0 and will be removed in the future. \
         Please use 'alicloud_cr_ee_repo' instead.",
    ),
];

/// Keys of the access key file, in the order the RAM API returns them.
const SECRET_FILE_KEYS: &[&str] = &["AccessKeyId", "AccessKeySecret", "Status", "CreateDate"];

/// Serialises the tests of this file, because each one runs terraform and the provider
/// processes, and the wall times are only comparable when nothing else runs beside them.
static TERRAFORM_LOCK: Mutex<()> = Mutex::new(());

fn serialise_tests() -> std::sync::MutexGuard<'static, ()> {
    // A test that panicked while holding the lock leaves nothing shared behind.
    TERRAFORM_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flavour {
    Hcl,
    Json,
}

impl Flavour {
    const ALL: [Flavour; 2] = [Flavour::Hcl, Flavour::Json];

    fn format_arg(self) -> &'static str {
        match self {
            Flavour::Hcl => "hcl",
            Flavour::Json => "json",
        }
    }

    fn main_file(self) -> &'static str {
        match self {
            Flavour::Hcl => "main.tf",
            Flavour::Json => "main.tf.json",
        }
    }
}

/// What a fixture config implies about the applied module, with the generator's
/// documented defaults for every key the config leaves out.
struct Expected {
    caller_shape: bool,
    repositories: Vec<String>,
    user_name_pattern: String,
    policy_name_pattern: String,
    secret_file_pattern: String,
    write_secret_file: bool,
    console_login: bool,
    outputs: Vec<String>,
}

impl Expected {
    fn from_config(path: &Path) -> Self {
        let text = fs::read_to_string(path)
            .unwrap_or_else(|err| panic!("failed to read {}: {err}", path.display()));
        let config: Json = if path.extension().is_some_and(|ext| ext == "json") {
            serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("{} is not valid JSON: {err}", path.display()))
        } else {
            hcl::from_str(&text)
                .unwrap_or_else(|err| panic!("{} is not valid HCL: {err}", path.display()))
        };

        let text_at = |section: &str, key: &str, default: &str| -> String {
            match &config[section][key] {
                Json::Null => default.to_string(),
                Json::String(value) => value.clone(),
                other => panic!(
                    "{}: {section}.{key} is not a string: {other}",
                    path.display()
                ),
            }
        };
        let caller_shape = match &config["provider_shape"] {
            Json::Null => false,
            Json::String(shape) => shape == "caller",
            other => panic!(
                "{}: provider_shape is not a string: {other}",
                path.display()
            ),
        };
        let repositories = match &config["repositories"]["default"] {
            Json::Null => vec!["default".to_string()],
            value => string_list(value, path, "repositories.default"),
        };
        let console_login = match &config["console_login"]["enabled"] {
            Json::Null => true,
            Json::Bool(enabled) => *enabled,
            other => panic!(
                "{}: console_login.enabled is not a bool: {other}",
                path.display()
            ),
        };
        let write_secret_file = match &config["access_key"]["write_secret_file"] {
            Json::Null => true,
            Json::Bool(write) => *write,
            other => panic!(
                "{}: access_key.write_secret_file is not a bool: {other}",
                path.display()
            ),
        };
        let pgp_key = !config["access_key"]["pgp_key"].is_null();
        let outputs = match &config["outputs"] {
            Json::Null => ALL_OUTPUTS
                .iter()
                .filter(|name| console_login || !LOGIN_OUTPUTS.contains(name))
                .chain(PGP_OUTPUTS.iter().filter(|_| pgp_key))
                .map(|name| name.to_string())
                .collect(),
            value => string_list(value, path, "outputs"),
        };

        Self {
            caller_shape,
            repositories,
            user_name_pattern: text_at("ram_user", "name", "{namespace}-cr-user"),
            policy_name_pattern: text_at("ram_policy", "name", "{namespace}-cr-policy"),
            secret_file_pattern: text_at("access_key", "secret_file", "cr-{namespace}-ak.json"),
            write_secret_file,
            console_login,
            outputs,
        }
    }
}

fn string_list(value: &Json, path: &Path, key: &str) -> Vec<String> {
    let items = value
        .as_array()
        .unwrap_or_else(|| panic!("{}: {key} is not a list: {value}", path.display()));
    items
        .iter()
        .map(|item| {
            item.as_str()
                .unwrap_or_else(|| {
                    panic!("{}: {key} has a non-string item: {item}", path.display())
                })
                .to_string()
        })
        .collect()
}

/// Expands a config pattern: `{namespace}` becomes the namespace, and `{{` and `}}` are
/// literal braces. Other placeholders are not valid in the name patterns this reads.
fn expand_pattern(pattern: &str, namespace: &str) -> String {
    let mut expanded = String::new();
    let mut rest = pattern;
    while let Some(ch) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{namespace}") {
            expanded.push_str(namespace);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("{{") {
            expanded.push('{');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("}}") {
            expanded.push('}');
            rest = after;
        } else {
            expanded.push(ch);
            rest = &rest[ch.len_utf8()..];
        }
    }
    expanded
}

/// Returns the fixtures the loops run: all of them, or those named in
/// `CR_MODGEN_E2E_FIXTURE`. A name that matches no fixture fails the test, so a typo
/// cannot make the suite pass on nothing.
fn selected_fixtures() -> Vec<(String, PathBuf)> {
    let all = support::fixtures();
    let Some(filter) = std::env::var(FIXTURE_FILTER_ENV)
        .ok()
        .filter(|value| !value.trim().is_empty())
    else {
        return all;
    };
    let names: Vec<&str> = filter.split(',').map(str::trim).collect();
    for name in &names {
        assert!(
            all.iter().any(|(fixture, _)| fixture == name),
            "{FIXTURE_FILTER_ENV} names {name:?}, which is not a fixture; the fixtures are {:?}",
            all.iter().map(|(fixture, _)| fixture).collect::<Vec<_>>()
        );
    }
    all.into_iter()
        .filter(|(fixture, _)| names.contains(&fixture.as_str()))
        .collect()
}

/// Returns a namespace name for one fixture: the fixture name and this process's id in
/// base 36, within the Container Registry rule of 2 to 30 characters of `[a-z0-9_-]`
/// that start and end with a letter or digit. Both flavours of a fixture share it, which
/// the plan comparison needs, but each runs against its own cloud file.
fn namespace_for(fixture: &str) -> String {
    let mut id = String::new();
    let mut pid = std::process::id();
    loop {
        id.insert(0, char::from_digit(pid % 36, 36).unwrap());
        pid /= 36;
        if pid == 0 {
            break;
        }
    }
    // Leave room for "-" and the id, and for the "-a" and "-b" suffixes of the
    // for_each test.
    let max_prefix = 30 - 2 - 1 - id.len();
    let prefix: String = fixture
        .chars()
        .map(|ch| match ch {
            'a'..='z' | '0'..='9' | '_' | '-' => ch,
            'A'..='Z' => ch.to_ascii_lowercase(),
            _ => '-',
        })
        .take(max_prefix)
        .collect();
    format!("{prefix}-{id}")
}

fn output_text(output: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs a command and panics, naming the case, unless it exits with `expected`.
fn run_expecting(label: &str, command: &mut Command, expected: i32) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("{label}: failed to start {command:?}: {err}"));
    assert_eq!(
        output.status.code(),
        Some(expected),
        "{label}: {command:?} exited with {:?}, expected {expected}\n{}",
        output.status.code(),
        output_text(&output)
    );
    output
}

fn parse_json(label: &str, what: &str, bytes: &[u8]) -> Json {
    serde_json::from_slice(bytes).unwrap_or_else(|err| {
        panic!(
            "{label}: {what} is not valid JSON: {err}\n{}",
            String::from_utf8_lossy(bytes)
        )
    })
}

/// A temporary directory with a Terraform working directory and its own cloud file.
struct Workspace {
    temp: TempDir,
    root_dir: PathBuf,
    cloud: PathBuf,
    label: String,
}

impl Workspace {
    fn new(label: String) -> Self {
        let temp = tempfile::tempdir().expect("failed to create a temporary directory");
        let cloud = temp.path().join("cloud.json");
        let root_dir = temp.path().to_path_buf();
        Self {
            temp,
            root_dir,
            cloud,
            label,
        }
    }

    fn module_dir(&self) -> PathBuf {
        self.temp.path().join("module")
    }

    /// Builds a terraform command in the working directory, against this workspace's cloud,
    /// with none of the caller's environment variables that the emulator reads.
    fn terraform(&self, args: &[&str]) -> Command {
        let mut command = support::terraform(&self.root_dir);
        command
            .args(args)
            .env("PROVIDER_SIM_CLOUD", &self.cloud)
            .env("PROVIDER_SIM_ACCOUNT_ID", ACCOUNT_ID)
            .env_remove("ALICLOUD_REGION")
            .env_remove("ALIBABA_CLOUD_REGION")
            .env_remove("TF_SKIP_RESOURCE_SCHEMA_VALIDATION")
            .env_remove("TF_DATA_DIR")
            .env_remove("TF_WORKSPACE");
        command
    }

    fn terraform_ok(&self, args: &[&str]) -> Output {
        run_expecting(&self.label, &mut self.terraform(args), 0)
    }

    fn cloud_json(&self) -> Json {
        let text = fs::read_to_string(&self.cloud).unwrap_or_else(|err| {
            panic!(
                "{}: failed to read the cloud file {}: {err}",
                self.label,
                self.cloud.display()
            )
        });
        parse_json(&self.label, "the cloud file", text.as_bytes())
    }

    /// Generates the module into `module/` and checks that it has the flavour's files.
    fn generate(&self, config: &Path, flavour: Flavour) {
        let module_dir = self.module_dir();
        support::run_cr_modgen(
            &[
                "generate",
                "--config",
                config.to_str().expect("fixture path is UTF-8"),
                "--out",
                module_dir.to_str().expect("temporary path is UTF-8"),
                "--format",
                flavour.format_arg(),
            ],
            0,
        );
        for candidate in Flavour::ALL {
            let exists = module_dir.join(candidate.main_file()).exists();
            assert_eq!(
                exists,
                candidate == flavour,
                "{}: {} exists: {exists}, expected {}",
                self.label,
                candidate.main_file(),
                candidate == flavour
            );
        }
    }

    /// Writes a root module that configures the provider and calls the generated module.
    fn write_caller_root(&self, body: &str) -> PathBuf {
        let root = self.temp.path().join("root");
        fs::create_dir_all(&root).expect("failed to create the root module directory");
        let main = format!(
            "terraform {{\n  required_providers {{\n    alicloud = {{\n      source = \"aliyun/alicloud\"\n    }}\n  }}\n}}\n\n\
             provider \"alicloud\" {{\n  region = \"{REGION}\"\n}}\n\n{body}"
        );
        fs::write(root.join("main.tf"), main).expect("failed to write the root module");
        root
    }

    /// Runs `terraform validate -json` and checks that it reports no error and no warning
    /// but the allowed deprecations, each by its exact text.
    fn validate(&self) {
        let output = self.terraform_ok(&["validate", "-json", "-no-color"]);
        let report = parse_json(&self.label, "validate -json output", &output.stdout);
        assert_eq!(
            report["valid"],
            json!(true),
            "{}: validate reports the configuration as invalid: {report}",
            self.label
        );
        assert_eq!(
            report["error_count"],
            json!(0),
            "{}: validate reports errors: {report}",
            self.label
        );
        let diagnostics = report["diagnostics"].as_array().unwrap_or_else(|| {
            panic!("{}: validate has no diagnostics list: {report}", self.label)
        });
        for diagnostic in diagnostics {
            assert_eq!(
                diagnostic["severity"],
                json!("warning"),
                "{}: validate reports a diagnostic that is not a warning: {diagnostic}",
                self.label
            );
            let summary = diagnostic["summary"].as_str().unwrap_or_default();
            let allowed = ALLOWED_WARNINGS.iter().find(|(_, text)| *text == summary);
            assert!(
                allowed.is_some(),
                "{}: validate reports a warning that is not an allowed deprecation: {diagnostic}",
                self.label
            );
            let (resource_type, _) = allowed.unwrap();
            let address = diagnostic["address"].as_str().unwrap_or_default();
            assert!(
                address.contains(&format!("{resource_type}.")),
                "{}: the {resource_type} deprecation points at {address:?}, not at a {resource_type}",
                self.label
            );
        }
        for (resource_type, text) in ALLOWED_WARNINGS {
            assert!(
                diagnostics.iter().any(|d| d["summary"] == json!(text)),
                "{}: validate does not report the deprecation of {resource_type}: {report}",
                self.label
            );
        }
        assert_eq!(
            report["warning_count"],
            json!(diagnostics.len()),
            "{}: warning_count does not match the diagnostics: {report}",
            self.label
        );
    }

    /// Plans into `plan.tfplan` and returns `terraform show -json` of the plan.
    fn plan(&self, variables: &[String]) -> Json {
        let mut args = vec!["plan", "-input=false", "-no-color", "-out=plan.tfplan"];
        args.extend(variables.iter().map(String::as_str));
        self.terraform_ok(&args);
        let plan_json = self.terraform_ok(&["show", "-json", "-no-color", "plan.tfplan"]);
        parse_json(&self.label, "show -json of the plan", &plan_json.stdout)
    }

    fn apply_plan(&self) {
        self.terraform_ok(&[
            "apply",
            "-input=false",
            "-no-color",
            "-auto-approve",
            "plan.tfplan",
        ]);
    }

    /// Checks that a fresh plan finds no changes (`-detailed-exitcode` exits 2 on changes).
    fn plan_has_no_changes(&self, variables: &[String]) {
        let mut args = vec!["plan", "-input=false", "-no-color", "-detailed-exitcode"];
        args.extend(variables.iter().map(String::as_str));
        self.terraform_ok(&args);
    }

    fn destroy(&self, variables: &[String]) {
        let mut args = vec!["destroy", "-input=false", "-no-color", "-auto-approve"];
        args.extend(variables.iter().map(String::as_str));
        self.terraform_ok(&args);
    }

    fn outputs_json(&self) -> Map<String, Json> {
        let output = self.terraform_ok(&["output", "-json", "-no-color"]);
        match parse_json(&self.label, "output -json", &output.stdout) {
            Json::Object(outputs) => outputs,
            other => panic!("{}: output -json is not an object: {other}", self.label),
        }
    }

    /// Checks that the emulated cloud contains no object of any type.
    fn assert_cloud_empty(&self) {
        let cloud = self.cloud_json();
        let objects = cloud
            .as_object()
            .unwrap_or_else(|| panic!("{}: the cloud file is not an object: {cloud}", self.label));
        let left: Vec<String> = objects
            .iter()
            .flat_map(|(resource_type, by_id)| {
                by_id
                    .as_object()
                    .into_iter()
                    .flat_map(|by_id| by_id.keys())
                    .map(move |id| format!("{resource_type} {id}"))
            })
            .collect();
        assert!(
            left.is_empty(),
            "{}: destroy left objects in the cloud: {left:?}",
            self.label
        );
        for (resource_type, by_id) in objects {
            assert!(
                by_id.is_object(),
                "{}: cloud entry {resource_type} is not an object: {by_id}",
                self.label
            );
        }
    }

    /// Reads the access key file at `relative` (to the working directory) and checks
    /// its keys. Returns its contents.
    fn read_secret_file(&self, relative: &str) -> Json {
        let path = self.root_dir.join(relative);
        assert!(
            path.is_file(),
            "{}: the access key file {} does not exist after apply",
            self.label,
            path.display()
        );
        let text = fs::read_to_string(&path).expect("access key file is readable");
        let secret = parse_json(&self.label, "the access key file", text.as_bytes());
        let keys: Vec<&str> = secret
            .as_object()
            .map(|object| object.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            SECRET_FILE_KEYS,
            "{}: the access key file {} has other keys than expected",
            self.label,
            path.display()
        );
        for key in SECRET_FILE_KEYS {
            let value = secret[key].as_str().unwrap_or_default();
            assert!(
                !value.is_empty(),
                "{}: {key} in the access key file is empty or not a string: {secret}",
                self.label
            );
        }
        assert_eq!(
            secret["Status"],
            json!("Active"),
            "{}: Status in the access key file",
            self.label
        );
        secret
    }

    /// Returns the access key file's content, or, for a config that writes no file, checks
    /// that none exists and returns the key id from the emulated cloud in the same shape.
    fn secret_or_cloud_key(&self, expected: &Expected, relative: &str) -> Json {
        if expected.write_secret_file {
            return self.read_secret_file(relative);
        }
        assert!(
            !self.root_dir.join(relative).exists(),
            "{}: a secret file was written although the config disables it",
            self.label
        );
        let cloud = self.cloud_json();
        let keys: Vec<&String> = cloud["alicloud_ram_access_key"]
            .as_object()
            .map(|keys| keys.keys().collect())
            .unwrap_or_default();
        let key = keys
            .first()
            .unwrap_or_else(|| panic!("{}: the cloud holds no access key: {cloud}", self.label));
        json!({ "AccessKeyId": key })
    }

    /// Creates the parent directory of a secret file path that has one.
    fn create_secret_parent(&self, relative: &str) {
        if let Some(parent) = Path::new(relative).parent() {
            if !parent.as_os_str().is_empty() {
                // NOTE: neither the generated module nor the provider creates the parent
                // directory of `access_key.secret_file`, and the provider ignores the
                // failed write, so without this the secret would be lost in silence.
                fs::create_dir_all(self.root_dir.join(parent))
                    .expect("failed to create the secret file's directory");
            }
        }
    }
}

/// Checks every output of one applied module instance against the config.
fn check_outputs(
    label: &str,
    expected: &Expected,
    namespace: &str,
    outputs: &Map<String, Json>,
    secret: &Json,
) {
    let mut expected_names: Vec<&str> = expected.outputs.iter().map(String::as_str).collect();
    expected_names.sort_unstable();
    let mut actual_names: Vec<&str> = outputs.keys().map(String::as_str).collect();
    actual_names.sort_unstable();
    assert_eq!(
        actual_names, expected_names,
        "{label}: the module's outputs differ from the config's outputs"
    );

    let user = expand_pattern(&expected.user_name_pattern, namespace);
    let policy = expand_pattern(&expected.policy_name_pattern, namespace);
    for name in &expected.outputs {
        let value = &outputs[name.as_str()];
        let expected_value = match name.as_str() {
            "cr_namespace" => json!(namespace),
            "cr_user" | "ram_user" => json!(user),
            "ram_policy_name" => json!(policy),
            "repository_ids" => json!(expected
                .repositories
                .iter()
                .map(|repository| format!("{namespace}/{repository}"))
                .collect::<Vec<_>>()),
            "ram_policy_type" => json!("Custom"),
            "ram_policy_attachment" => json!(format!("user:{policy}:Custom:{user}")),
            "access_key_status" => json!("Active"),
            "ram_console_username" => json!(format!("{user}@{ACCOUNT_ID}.onaliyun.com")),
            "cr_endpoint" if expected.repositories.is_empty() => Json::Null,
            "cr_endpoint" => json!(format!("registry.{REGION}.aliyuncs.com")),
            "cr_access_key" => secret["AccessKeyId"].clone(),
            "encrypted_secret" => {
                let text = value.as_str().unwrap_or_default();
                assert!(!text.is_empty(), "{label}: encrypted_secret is empty");
                continue;
            }
            "key_fingerprint" => {
                let text = value.as_str().unwrap_or_default();
                assert_eq!(
                    text.len(),
                    40,
                    "{label}: key_fingerprint is not 40 digits: {value}"
                );
                assert!(
                    text.chars().all(|c| c.is_ascii_hexdigit()),
                    "{label}: key_fingerprint is not hexadecimal: {value}"
                );
                continue;
            }
            "disposable_password" => {
                let password = value.as_str().unwrap_or_default();
                assert_eq!(
                    password.chars().count(),
                    12,
                    "{label}: disposable_password is not 12 characters: {value}"
                );
                assert!(
                    password.chars().all(|ch| ch.is_ascii_alphanumeric()),
                    "{label}: disposable_password has characters other than letters and digits"
                );
                continue;
            }
            other => panic!("{label}: the test has no expectation for output {other}"),
        };
        assert_eq!(value, &expected_value, "{label}: output {name}");
    }
}

/// Collects the outputs of a module-shape root: `terraform output -json` omits outputs
/// whose value is null, so the declared names come from the plan's planned values, where a
/// null that is known at plan time has `"value": null`.
fn root_outputs(ws: &Workspace, plan: &Json) -> Map<String, Json> {
    let declared = plan["planned_values"]["outputs"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let applied = ws.outputs_json();
    for name in applied.keys() {
        assert!(
            declared.contains_key(name),
            "{}: output {name} exists after apply but not in the plan",
            ws.label
        );
    }
    if let Some(password) = applied.get("disposable_password") {
        assert_eq!(
            password["sensitive"],
            json!(true),
            "{}: disposable_password is not marked sensitive",
            ws.label
        );
    }
    let mut outputs = Map::new();
    for (name, planned) in declared {
        let value = match applied.get(&name) {
            Some(output) => output["value"].clone(),
            None => {
                assert!(
                    planned.get("value").is_some_and(Json::is_null),
                    "{}: output {name} is missing after apply but was not null in the plan: {planned}",
                    ws.label
                );
                Json::Null
            }
        };
        outputs.insert(name, value);
    }
    outputs
}

/// Checks the objects that apply created in the emulated cloud.
fn check_cloud_after_apply(ws: &Workspace, expected: &Expected, namespace: &str) {
    let cloud = ws.cloud_json();
    assert!(
        cloud["alicloud_cr_namespace"][namespace].is_object(),
        "{}: the cloud has no namespace {namespace}",
        ws.label
    );
    let repositories = cloud["alicloud_cr_repo"]
        .as_object()
        .map_or(0, |repositories| repositories.len());
    assert_eq!(
        repositories,
        expected.repositories.len(),
        "{}: number of repositories in the cloud",
        ws.label
    );
    let user = expand_pattern(&expected.user_name_pattern, namespace);
    let login_profile = cloud["alicloud_ram_login_profile"][user.as_str()].is_object();
    assert_eq!(
        login_profile, expected.console_login,
        "{}: the cloud has a login profile for {user}: {login_profile}",
        ws.label
    );
}

/// Runs one fixture in one flavour through init, validate, plan, apply, the output and
/// file checks, a second plan and destroy. Returns the first plan as `show -json` prints it.
fn run_lifecycle(fixture: &str, config: &Path, flavour: Flavour, namespace: &str) -> Json {
    let label = format!("{fixture} ({})", flavour.format_arg());
    let ws = Workspace::new(label.clone());
    let expected = Expected::from_config(config);
    ws.generate(config, flavour);

    let (ws, variables) = if expected.caller_shape {
        let root = ws.write_caller_root(
            "variable \"namespace\" {\n  type = string\n}\n\n\
             module \"cr\" {\n  source    = \"../module\"\n  namespace = var.namespace\n}\n\n\
             # The whole module object, so the test sees every output the module declares,\n\
             # null ones included. It is sensitive because disposable_password is.\n\
             output \"cr\" {\n  value     = module.cr\n  sensitive = true\n}\n",
        );
        let variables = vec!["-var".to_string(), format!("namespace={namespace}")];
        (
            Workspace {
                root_dir: root,
                ..ws
            },
            variables,
        )
    } else {
        let root_dir = ws.module_dir();
        let variables = vec![
            "-var".to_string(),
            format!("namespace={namespace}"),
            "-var".to_string(),
            format!("region={REGION}"),
        ];
        (Workspace { root_dir, ..ws }, variables)
    };

    ws.terraform_ok(&["init", "-input=false", "-no-color"]);
    ws.validate();
    let plan = ws.plan(&variables);
    let secret_file = expand_pattern(&expected.secret_file_pattern, namespace);
    ws.create_secret_parent(&secret_file);
    ws.apply_plan();
    check_cloud_after_apply(&ws, &expected, namespace);

    let secret = ws.secret_or_cloud_key(&expected, &secret_file);
    let outputs = if expected.caller_shape {
        let root = ws.outputs_json();
        let module = root
            .get("cr")
            .and_then(|output| output["value"].as_object())
            .cloned()
            .unwrap_or_else(|| panic!("{label}: the root output cr is not an object: {root:?}"));
        module
    } else {
        root_outputs(&ws, &plan)
    };
    check_outputs(&label, &expected, namespace, &outputs, &secret);

    ws.plan_has_no_changes(&variables);
    ws.destroy(&variables);
    ws.assert_cloud_empty();
    plan
}

/// Applies a caller-shape module twice from one root module with `for_each`, checks both
/// instances as `run_lifecycle` checks one, and destroys them.
fn run_for_each(fixture: &str, config: &Path, flavour: Flavour, base: &str) {
    let label = format!("{fixture} ({}, for_each)", flavour.format_arg());
    let ws = Workspace::new(label.clone());
    let expected = Expected::from_config(config);
    ws.generate(config, flavour);
    let root = ws.write_caller_root(
        "variable \"namespaces\" {\n  type = set(string)\n}\n\n\
         module \"cr\" {\n  for_each = var.namespaces\n\n  source    = \"../module\"\n  namespace = each.key\n}\n\n\
         # A map from namespace to the module object, sensitive because disposable_password is.\n\
         output \"cr\" {\n  value     = module.cr\n  sensitive = true\n}\n",
    );
    let ws = Workspace {
        root_dir: root,
        ..ws
    };
    let namespaces = [format!("{base}-a"), format!("{base}-b")];
    let variables = vec![
        "-var".to_string(),
        format!("namespaces={}", json!(namespaces)),
    ];

    ws.terraform_ok(&["init", "-input=false", "-no-color"]);
    ws.validate();
    ws.plan(&variables);
    for namespace in &namespaces {
        let secret_file = expand_pattern(&expected.secret_file_pattern, namespace);
        ws.create_secret_parent(&secret_file);
    }
    ws.apply_plan();

    let root_outputs = ws.outputs_json();
    let instances = root_outputs
        .get("cr")
        .and_then(|output| output["value"].as_object())
        .cloned()
        .unwrap_or_else(|| {
            panic!("{label}: the root output cr is not an object: {root_outputs:?}")
        });
    let mut instance_keys: Vec<&str> = instances.keys().map(String::as_str).collect();
    instance_keys.sort_unstable();
    assert_eq!(
        instance_keys,
        [namespaces[0].as_str(), namespaces[1].as_str()],
        "{label}: module instances"
    );
    for namespace in &namespaces {
        let instance_label = format!("{label} {namespace}");
        let cloud = ws.cloud_json();
        assert!(
            cloud["alicloud_cr_namespace"][namespace.as_str()].is_object(),
            "{instance_label}: the cloud has no namespace {namespace}"
        );
        let secret_file = expand_pattern(&expected.secret_file_pattern, namespace);
        let secret = ws.secret_or_cloud_key(&expected, &secret_file);
        let outputs = instances[namespace.as_str()]
            .as_object()
            .cloned()
            .unwrap_or_else(|| panic!("{instance_label}: the module instance is not an object"));
        check_outputs(&instance_label, &expected, namespace, &outputs, &secret);
    }
    let repositories = ws.cloud_json()["alicloud_cr_repo"]
        .as_object()
        .map_or(0, |repositories| repositories.len());
    assert_eq!(
        repositories,
        2 * expected.repositories.len(),
        "{label}: number of repositories in the cloud"
    );

    ws.plan_has_no_changes(&variables);
    ws.destroy(&variables);
    ws.assert_cloud_empty();
}

/// Plans `-var namespace=a` and checks that the module's own variable validation rejects
/// it, before the provider is asked to create anything.
fn run_short_namespace_variable(config: &Path, flavour: Flavour) {
    let label = format!("default ({}, namespace \"a\")", flavour.format_arg());
    let ws = Workspace::new(label.clone());
    ws.generate(config, flavour);
    let ws = Workspace {
        root_dir: ws.module_dir(),
        ..ws
    };
    ws.terraform_ok(&["init", "-input=false", "-no-color"]);

    let output = run_expecting(
        &label,
        &mut ws.terraform(&[
            "plan",
            "-input=false",
            "-no-color",
            "-json",
            "-var",
            "namespace=a",
            "-var",
            &format!("region={REGION}"),
        ]),
        1,
    );

    let errors = plan_errors(&label, &output);
    assert_eq!(errors.len(), 1, "{label}: plan errors: {errors:?}");
    let error = &errors[0];
    assert_eq!(
        error["summary"],
        json!("Invalid value for variable"),
        "{label}: error summary"
    );

    let values = error["snippet"]["values"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        values
            .iter()
            .any(|value| value["traversal"] == json!("var.namespace")
                && value["statement"] == json!("is \"a\"")),
        "{label}: the error does not point at var.namespace = \"a\": {error}"
    );
    let file = error["range"]["filename"].as_str().unwrap_or_default();
    assert!(
        file.starts_with("variables.tf"),
        "{label}: the error points at {file:?}, not at the module's variables file"
    );
    assert!(
        !ws.cloud.exists() || ws.cloud_json() == json!({}),
        "{label}: a rejected plan changed the cloud"
    );
}

/// Returns the error diagnostics of a `terraform plan -json` run.
fn plan_errors(label: &str, output: &Output) -> Vec<Json> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| parse_json(label, "a plan -json line", line.as_bytes()))
        .filter(|message| message["type"] == json!("diagnostic"))
        .map(|message| message["diagnostic"].clone())
        .filter(|diagnostic| diagnostic["severity"] == json!("error"))
        .collect()
}

/// Compares the sections of two plans that list values, not source: both flavours plan
/// the same namespace in the same region, so these must be identical and nothing is
/// filtered out. What legitimately differs (file names, expression syntax, `timestamp`)
/// is only in the `configuration` section and top-level fields, which are not compared.
fn compare_plans(fixture: &str, hcl: &Json, json_plan: &Json) {
    for section in ["resource_changes", "planned_values", "output_changes"] {
        assert!(
            !hcl[section].is_null(),
            "{fixture}: the HCL plan has no {section}"
        );
        assert_eq!(
            hcl[section], json_plan[section],
            "{fixture}: {section} differs between the HCL and the JSON plan"
        );
    }
}

fn format_duration(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

/// Runs `case`, catching its panic so the loop can go on with the next case. Returns its
/// result, or None when it panicked (the panic message is already on stderr).
fn run_case<T>(
    label: &str,
    timings: &mut Vec<(String, Duration, bool)>,
    case: impl FnOnce() -> T,
) -> Option<T> {
    let start = Instant::now();
    let result = panic::catch_unwind(AssertUnwindSafe(case)).ok();
    let elapsed = start.elapsed();
    let status = if result.is_some() { "passed" } else { "FAILED" };
    eprintln!("e2e {label}: {status} in {}", format_duration(elapsed));
    timings.push((label.to_string(), elapsed, result.is_some()));
    result
}

fn report_timings(test: &str, timings: &[(String, Duration, bool)]) {
    eprintln!("e2e {test} wall times:");
    for (label, elapsed, passed) in timings {
        let status = if *passed { "passed" } else { "FAILED" };
        eprintln!("  {label:<36} {:>8}  {status}", format_duration(*elapsed));
    }
    let total: Duration = timings.iter().map(|(_, elapsed, _)| *elapsed).sum();
    eprintln!("  {:<36} {:>8}", "total", format_duration(total));
    let failed: Vec<&str> = timings
        .iter()
        .filter(|(_, _, passed)| !passed)
        .map(|(label, _, _)| label.as_str())
        .collect();
    assert!(failed.is_empty(), "e2e {test}: failed cases: {failed:?}");
}

#[test]
fn fixtures_apply_and_destroy() {
    let _guard = serialise_tests();
    support::provider_mirror();
    let mut timings = Vec::new();
    for (fixture, config) in selected_fixtures() {
        let namespace = namespace_for(&fixture);
        let mut plans = BTreeMap::new();
        for flavour in Flavour::ALL {
            let label = format!("{fixture} ({})", flavour.format_arg());
            let plan = run_case(&label, &mut timings, || {
                run_lifecycle(&fixture, &config, flavour, &namespace)
            });
            if let Some(plan) = plan {
                plans.insert(flavour.format_arg(), plan);
            }
        }
        if let (Some(hcl), Some(json_plan)) = (plans.get("hcl"), plans.get("json")) {
            let label = format!("{fixture} (hcl = json plan)");
            run_case(&label, &mut timings, || {
                compare_plans(&fixture, hcl, json_plan)
            });
        }
    }
    assert!(!timings.is_empty(), "no fixture ran");
    report_timings("fixtures_apply_and_destroy", &timings);
}

#[test]
fn caller_module_for_each_two_namespaces() {
    let _guard = serialise_tests();
    support::provider_mirror();
    let callers: Vec<(String, PathBuf)> = selected_fixtures()
        .into_iter()
        .filter(|(_, config)| Expected::from_config(config).caller_shape)
        .collect();
    if std::env::var_os(FIXTURE_FILTER_ENV).is_none() {
        assert!(
            !callers.is_empty(),
            "no fixture has provider_shape = \"caller\", so for_each is untested"
        );
    }
    let mut timings = Vec::new();
    for (fixture, config) in callers {
        let base = namespace_for(&fixture);
        for flavour in Flavour::ALL {
            let label = format!("{fixture} ({}, for_each)", flavour.format_arg());
            run_case(&label, &mut timings, || {
                run_for_each(&fixture, &config, flavour, &base)
            });
        }
    }
    report_timings("caller_module_for_each_two_namespaces", &timings);
}

#[test]
fn namespace_of_one_character_rejected() {
    let _guard = serialise_tests();
    support::provider_mirror();
    let config = support::repo_root().join("fixtures/default/cr.hcl");
    let mut timings = Vec::new();
    for flavour in Flavour::ALL {
        let label = format!("default ({}, namespace \"a\")", flavour.format_arg());
        run_case(&label, &mut timings, || {
            run_short_namespace_variable(&config, flavour)
        });
    }
    report_timings("namespace_of_one_character_rejected", &timings);
}

/// The module's variable validation hides the provider's own check, so this plans a
/// hand-written root module that gives `alicloud_cr_namespace` the name "a" directly,
/// then the same module with "ab" to show that the name is the only fault.
#[test]
fn emulator_rejects_short_namespace_name() {
    let _guard = serialise_tests();
    support::provider_mirror();
    let label = "short-namespace root module";
    let ws = Workspace::new(label.to_string());
    let source = support::repo_root().join("tests/e2e/short-namespace/main.tf");
    let text = fs::read_to_string(&source).expect("tests/e2e/short-namespace/main.tf exists");
    fs::write(ws.root_dir.join("main.tf"), &text).expect("failed to copy the root module");
    let name_line = text
        .lines()
        .position(|line| line.trim_start().starts_with("name ") && line.contains("\"a\""))
        .expect("the root module sets name = \"a\"")
        + 1;

    ws.terraform_ok(&["init", "-input=false", "-no-color"]);
    let output = run_expecting(
        label,
        &mut ws.terraform(&["plan", "-input=false", "-no-color", "-json"]),
        1,
    );
    let errors = plan_errors(label, &output);
    assert_eq!(errors.len(), 1, "{label}: plan errors: {errors:?}");
    let error = &errors[0];
    assert_eq!(
        error["summary"],
        json!("expected length of name to be in the range (2 - 30), got a"),
        "{label}: error summary"
    );
    assert_eq!(
        error["address"],
        json!("alicloud_cr_namespace.short"),
        "{label}: error address"
    );
    assert_eq!(
        error["range"]["start"]["line"],
        json!(name_line),
        "{label}: the error does not point at the name argument on line {name_line}: {error}"
    );
    assert_eq!(
        error["snippet"]["code"].as_str().map(str::trim),
        Some("name               = \"a\""),
        "{label}: the error's source line"
    );
    assert!(
        !ws.cloud.exists() || ws.cloud_json() == json!({}),
        "{label}: a rejected plan changed the cloud"
    );

    let control = text.replacen("= \"a\"", "= \"ab\"", 1);
    assert_ne!(
        control, text,
        "{label}: failed to rename the namespace to ab"
    );
    fs::write(ws.root_dir.join("main.tf"), control).expect("failed to write the control");
    ws.terraform_ok(&["plan", "-input=false", "-no-color"]);
}
