//! Runs the real `terraform` binary against the provider emulator.
//!
//! The mirror is built once per test binary by `scripts/provider-mirror.sh` (a release
//! build). Each test works in its own temporary directory with its own cloud file.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value as Json;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cr_module/main.tf"
);

/// Builds the filesystem mirror once and returns its directory.
fn mirror() -> &'static Path {
    static MIRROR: OnceLock<PathBuf> = OnceLock::new();
    MIRROR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("provider-mirror");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/provider-mirror.sh");
        let output = Command::new("bash")
            .arg(&script)
            .arg(&dir)
            .output()
            .expect("failed to run scripts/provider-mirror.sh");
        assert!(
            output.status.success(),
            "provider-mirror.sh failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(printed.contains("terraformrc"), "{printed}");
        dir
    })
}

/// A root module copied from the fixture into a temporary directory, with its own cloud.
struct Workspace {
    dir: tempfile::TempDir,
    cloud: PathBuf,
}

impl Workspace {
    fn new(cloud: Option<&Path>) -> Self {
        let dir = tempfile::tempdir().expect("failed to create a temporary directory");
        fs::copy(FIXTURE, dir.path().join("main.tf")).expect("failed to copy the fixture");
        let cloud = cloud
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dir.path().join("cloud.json"));
        Self { dir, cloud }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, args: &[&str]) -> Command {
        // umask 022 so the secret file mode can be checked against the provider's 0646.
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg("umask 022; exec terraform \"$@\"")
            .arg("terraform")
            .args(args)
            .current_dir(self.path())
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("TF_CLI_CONFIG_FILE", mirror().join("terraformrc"))
            .env("PROVIDER_SIM_CLOUD", &self.cloud)
            .env_remove("ALICLOUD_REGION")
            .env_remove("ALIBABA_CLOUD_REGION")
            .env_remove("PROVIDER_SIM_ACCOUNT_ID")
            .env_remove("TF_SKIP_RESOURCE_SCHEMA_VALIDATION");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args)
            .output()
            .expect("failed to start terraform")
    }

    /// Runs terraform and fails the test unless it exits 0.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "terraform {args:?} failed:\n{}",
            text(&output)
        );
        text(&output)
    }

    fn cloud_json(&self) -> Json {
        let contents = fs::read_to_string(&self.cloud).expect("cloud file is missing");
        serde_json::from_str(&contents).expect("cloud file is not valid JSON")
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn output_string(outputs: &Json, name: &str) -> String {
    outputs[name]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("output {name} is not a string: {outputs}"))
        .to_string()
}

#[test]
fn module_lifecycle_against_emulated_cloud() {
    let ws = Workspace::new(None);
    let ns = ["-no-color", "-var", "namespace=lifecycle"];

    ws.ok(&["init", "-no-color"]);
    let validate = ws.ok(&["validate", "-no-color"]);
    assert!(
        validate.contains("Please use 'alicloud_cr_ee_namespace' instead."),
        "{validate}"
    );
    assert!(
        validate.contains("Please use 'alicloud_cr_ee_repo' instead."),
        "{validate}"
    );

    ws.ok(&[&["apply", "-auto-approve"], &ns[..]].concat());

    let outputs: Json = serde_json::from_str(&ws.ok(&["output", "-json"])).unwrap();
    assert_eq!(output_string(&outputs, "cr_namespace"), "lifecycle");
    assert_eq!(
        outputs["repository_ids"]["value"],
        serde_json::json!(["lifecycle/app", "lifecycle/worker"])
    );
    assert_eq!(
        output_string(&outputs, "cr_endpoint"),
        "registry.cn-hangzhou.aliyuncs.com"
    );
    assert_eq!(output_string(&outputs, "access_key_status"), "Active");
    assert_eq!(output_string(&outputs, "ram_policy_type"), "Custom");
    assert_eq!(
        output_string(&outputs, "ram_policy_name"),
        "lifecycle-cr-policy"
    );
    assert_eq!(output_string(&outputs, "cr_user"), "lifecycle-cr-user");
    assert_eq!(
        output_string(&outputs, "ram_policy_attachment"),
        "user:lifecycle-cr-policy:Custom:lifecycle-cr-user"
    );
    assert_eq!(
        output_string(&outputs, "ram_console_username"),
        "lifecycle-cr-user@1234567890123456.onaliyun.com"
    );
    let user_id = output_string(&outputs, "ram_user_id");
    assert_eq!(user_id.len(), 16, "{user_id}");
    assert!(user_id.chars().all(|c| c.is_ascii_digit()), "{user_id}");
    let key_id = output_string(&outputs, "cr_access_key");
    assert!(key_id.starts_with("LTAI"), "{key_id}");
    assert_eq!(key_id.len(), 24, "{key_id}");
    let password = output_string(&outputs, "disposable_password");
    assert_eq!(password.len(), 12, "{password}");
    assert!(
        password.chars().all(|c| c.is_ascii_alphanumeric()),
        "{password}"
    );

    let spare = output_string(&outputs, "spare_password");
    assert_eq!(spare.chars().count(), 16, "{spare}");
    assert!(
        spare.chars().filter(char::is_ascii_uppercase).count() >= 2,
        "{spare}"
    );
    assert!(
        spare.chars().filter(char::is_ascii_digit).count() >= 2,
        "{spare}"
    );
    assert!(
        spare.chars().filter(|c| "#%".contains(*c)).count() >= 2,
        "{spare}"
    );
    let hash = output_string(&outputs, "spare_password_hash");
    assert!(hash.starts_with("$2"), "{hash}");

    let secret_path = ws.path().join("cr-lifecycle-ak.json");
    let secret: Json = serde_json::from_str(&fs::read_to_string(&secret_path).unwrap()).unwrap();
    let keys: Vec<&str> = secret
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["AccessKeyId", "AccessKeySecret", "Status", "CreateDate"]
    );
    assert_eq!(secret["AccessKeyId"], key_id.as_str());
    assert_eq!(secret["Status"], "Active");
    let mode = fs::metadata(&secret_path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "secret file mode is {mode:o}");

    let cloud = ws.cloud_json();
    assert!(cloud["alicloud_cr_namespace"]["lifecycle"].is_object());
    assert!(cloud["alicloud_ram_user"][user_id.as_str()].is_object());
    assert_eq!(
        cloud["alicloud_ram_policy"]["lifecycle-cr-policy"]["type"],
        "Custom"
    );

    let replan = ws.run(&[&["plan", "-detailed-exitcode"], &ns[..]].concat());
    assert_eq!(replan.status.code(), Some(0), "{}", text(&replan));

    // Read fills the deprecated twins of policy_name and policy_document.
    let policy = &cloud["alicloud_ram_policy"]["lifecycle-cr-policy"];
    assert_eq!(policy["name"], "lifecycle-cr-policy");
    assert_eq!(policy["document"], policy["policy_document"]);

    // A JSON-equivalent policy document is not a diff (the provider's DiffSuppressFunc).
    let mut cloud = ws.cloud_json();
    let document: Json = serde_json::from_str(
        cloud["alicloud_ram_policy"]["lifecycle-cr-policy"]["policy_document"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let reformatted = serde_json::to_string_pretty(&document).unwrap();
    cloud["alicloud_ram_policy"]["lifecycle-cr-policy"]["policy_document"] =
        Json::String(reformatted);
    fs::write(&ws.cloud, serde_json::to_string_pretty(&cloud).unwrap()).unwrap();
    let suppressed = ws.run(&[&["plan", "-detailed-exitcode"], &ns[..]].concat());
    assert_eq!(suppressed.status.code(), Some(0), "{}", text(&suppressed));

    // An object deleted behind Terraform's back is drift: the next plan recreates it.
    let mut cloud = ws.cloud_json();
    cloud["alicloud_cr_repo"]
        .as_object_mut()
        .unwrap()
        .remove("lifecycle/worker");
    fs::write(&ws.cloud, serde_json::to_string_pretty(&cloud).unwrap()).unwrap();
    let drift = ws.run(&[&["plan", "-detailed-exitcode"], &ns[..]].concat());
    let drift_text = text(&drift);
    assert_eq!(drift.status.code(), Some(2), "{drift_text}");
    assert!(
        drift_text.contains("alicloud_cr_repo.this[1] will be created"),
        "{drift_text}"
    );
    ws.ok(&[&["apply", "-auto-approve"], &ns[..]].concat());

    // secret_file is ForceNew.
    let replace = ws.run(
        &[
            &[
                "plan",
                "-detailed-exitcode",
                "-var",
                "secret_file=other.json",
            ],
            &ns[..],
        ]
        .concat(),
    );
    let replace_text = text(&replace);
    assert_eq!(replace.status.code(), Some(2), "{replace_text}");
    assert!(
        replace_text.contains("alicloud_ram_access_key.this must be replaced"),
        "{replace_text}"
    );
    assert!(
        replace_text.contains("# forces replacement"),
        "{replace_text}"
    );

    ws.ok(&[&["destroy", "-auto-approve"], &ns[..]].concat());
    assert_eq!(ws.cloud_json(), serde_json::json!({}));
}

#[test]
fn init_accepts_plugin_dir() {
    let ws = Workspace::new(None);
    let mirror_dir = mirror().to_str().unwrap().to_string();
    let output = ws
        .command(&["init", "-no-color", "-plugin-dir", &mirror_dir])
        .env("TF_CLI_CONFIG_FILE", ws.path().join("missing.tfrc"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let lock = fs::read_to_string(ws.path().join(".terraform.lock.hcl")).unwrap();
    assert!(
        lock.contains("registry.terraform.io/aliyun/alicloud"),
        "{lock}"
    );
    assert!(
        lock.contains("registry.terraform.io/hashicorp/random"),
        "{lock}"
    );
}

#[test]
fn short_namespace_rejected_at_plan() {
    let ws = Workspace::new(None);
    ws.ok(&["init", "-no-color"]);
    let plan = ws.run(&["plan", "-no-color", "-var", "namespace=x"]);
    let plan_text = text(&plan);
    assert_eq!(plan.status.code(), Some(1), "{plan_text}");
    assert!(
        plan_text.contains("expected length of name to be in the range (2 - 30), got x"),
        "{plan_text}"
    );
    assert!(!ws.cloud.exists(), "plan must not write the cloud file");
}

#[test]
fn existing_name_fails_with_already_exists() {
    let first = Workspace::new(None);
    let second = Workspace::new(Some(&first.cloud));
    let ns = ["-no-color", "-var", "namespace=taken"];
    first.ok(&["init", "-no-color"]);
    second.ok(&["init", "-no-color"]);
    first.ok(&[&["apply", "-auto-approve"], &ns[..]].concat());

    let clash = second.run(&[&["apply", "-auto-approve"], &ns[..]].concat());
    let clash_text = text(&clash);
    assert_eq!(clash.status.code(), Some(1), "{clash_text}");
    assert!(
        clash_text.contains("namespace taken already exists"),
        "{clash_text}"
    );
    assert!(
        clash_text.contains("RAM user taken-cr-user already exists"),
        "{clash_text}"
    );

    second.ok(&[&["destroy", "-auto-approve"], &ns[..]].concat());
    first.ok(&[&["destroy", "-auto-approve"], &ns[..]].concat());
    assert_eq!(first.cloud_json(), serde_json::json!({}));
}

#[test]
fn missing_cloud_variable_is_reported() {
    let ws = Workspace::new(None);
    ws.ok(&["init", "-no-color"]);
    let output = ws
        .command(&["plan", "-no-color", "-var", "namespace=nocloud"])
        .env_remove("PROVIDER_SIM_CLOUD")
        .output()
        .unwrap();
    let plan_text = text(&output);
    assert_eq!(output.status.code(), Some(1), "{plan_text}");
    assert!(
        plan_text.contains("environment variable PROVIDER_SIM_CLOUD is not set"),
        "{plan_text}"
    );
}

#[test]
fn legacy_address_serves_same_provider() {
    let dir = tempfile::tempdir().unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy_address/main.tf");
    fs::copy(fixture, dir.path().join("main.tf")).unwrap();
    let ws = Workspace {
        cloud: dir.path().join("cloud.json"),
        dir,
    };
    ws.ok(&["init", "-no-color"]);
    let lock = fs::read_to_string(ws.path().join(".terraform.lock.hcl")).unwrap();
    assert!(
        lock.contains("registry.terraform.io/hashicorp/alicloud"),
        "{lock}"
    );

    let apply = ws
        .command(&["apply", "-auto-approve", "-no-color"])
        .env("PROVIDER_SIM_ACCOUNT_ID", "9876543210987654")
        .output()
        .unwrap();
    assert!(apply.status.success(), "{}", text(&apply));
    let outputs: Json = serde_json::from_str(&ws.ok(&["output", "-json"])).unwrap();
    assert_eq!(output_string(&outputs, "account_id"), "9876543210987654");
    assert_eq!(
        ws.cloud_json()["alicloud_cr_namespace"]["legacy-ns"]["default_visibility"],
        "PUBLIC"
    );

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(ws.cloud_json(), serde_json::json!({}));
}
