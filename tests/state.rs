//! State compatibility with roura356a/cr/alicloud 1.3.x, end to end: a stand-in for the
//! reference module is applied with the provider emulator, then the root module switches
//! to a generated module. `cr-modgen state check` must agree with what `terraform plan`
//! then shows, and `state migrate` must turn a count-keyed state into a for_each one with
//! moves only.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const NAMESPACE: &str = "stateproof";
const REPOSITORIES: &str = "one,two,three";

struct Workspace {
    dir: tempfile::TempDir,
    cloud: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Workspace {
    /// Applies the reference stand-in of `version` from a fresh root module.
    fn with_reference(version: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let cloud = dir.path().join("cloud.json");
        let reference = support::repo_root().join("tests/state/reference");
        copy_dir(
            &reference.join(format!("modules/cr-{version}")),
            &dir.path().join("modules/reference"),
        );
        let workspace = Workspace { dir, cloud };
        workspace.set_source("./modules/reference");
        workspace.terraform_ok(&["init", "-input=false", "-no-color"]);
        workspace.terraform_ok(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        workspace
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn set_source(&self, source: &str) {
        let template =
            fs::read_to_string(support::repo_root().join("tests/state/reference/root.tf.template"))
                .unwrap();
        fs::write(
            self.path().join("main.tf"),
            template.replace("MODULE_SOURCE", source),
        )
        .unwrap();
    }

    fn terraform(&self, args: &[&str]) -> Output {
        support::terraform(self.path())
            .env("PROVIDER_SIM_CLOUD", &self.cloud)
            .env("ALICLOUD_REGION", "cn-hangzhou")
            .args(args)
            .output()
            .expect("terraform runs")
    }

    fn terraform_ok(&self, args: &[&str]) -> Output {
        let output = self.terraform(args);
        assert!(
            output.status.success(),
            "terraform {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Generates the module from `config` (HCL text, or the default) and points the root
    /// module at it.
    fn switch_to_generated(&self, config: Option<&str>) {
        let generated = self.path().join("modules/generated");
        let _ = fs::remove_dir_all(&generated);
        let mut args = vec![
            "generate".to_owned(),
            "--out".to_owned(),
            generated.to_string_lossy().into_owned(),
        ];
        if let Some(text) = config {
            let path = self.path().join("cr.hcl");
            fs::write(&path, text).unwrap();
            args.extend(["--config".to_owned(), path.to_string_lossy().into_owned()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        support::run_cr_modgen(&args, 0);
        self.set_source("./modules/generated");
        self.terraform_ok(&["init", "-input=false", "-no-color"]);
    }

    /// Runs `cr-modgen state check` in the root module with JSON output.
    fn check(&self, extra: &[&str]) -> (i32, Value) {
        let mut args = vec![
            "state",
            "check",
            "--state",
            "terraform.tfstate",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let output = support::cr_modgen()
            .current_dir(self.path())
            .args(&args)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "state check printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code().unwrap_or(-1), report)
    }

    /// Plans and returns the counts of (add, change, destroy, moved) instance changes.
    fn plan_counts(&self) -> (usize, usize, usize, usize) {
        self.terraform_ok(&["plan", "-input=false", "-no-color", "-out=plan.bin"]);
        let shown = self.terraform_ok(&["show", "-json", "plan.bin"]);
        let plan: Value = serde_json::from_slice(&shown.stdout).unwrap();
        let mut counts = (0, 0, 0, 0);
        for change in plan["resource_changes"].as_array().into_iter().flatten() {
            let actions: Vec<&str> = change["change"]["actions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            if actions.contains(&"create") {
                counts.0 += 1;
            }
            if actions == ["update"] {
                counts.1 += 1;
            }
            if actions.contains(&"delete") {
                counts.2 += 1;
            }
            if change.get("previous_address").is_some_and(|p| !p.is_null()) {
                counts.3 += 1;
            }
        }
        counts
    }
}

fn summary(report: &Value, key: &str) -> u64 {
    report["summary"][key].as_u64().unwrap_or(u64::MAX)
}

fn statuses_of<'a>(report: &'a Value, status: &str) -> Vec<&'a Value> {
    report["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == status)
        .collect()
}

#[test]
fn switch_from_1_3_0_plans_no_changes() {
    let workspace = Workspace::with_reference("1.3.0");
    workspace.switch_to_generated(None);

    let (code, report) = workspace.check(&["--repositories", REPOSITORIES]);
    assert_eq!(code, 0, "state check found problems: {report:#}");
    assert_eq!(report["namespace"], NAMESPACE);
    assert_eq!(summary(&report, "kept"), 10, "{report:#}");
    assert_eq!(summary(&report, "created"), 0, "{report:#}");
    let rebound = report["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["provider"]["state"] == "registry.terraform.io/hashicorp/alicloud")
        .count();
    assert_eq!(rebound, 9, "provider changes not reported: {report:#}");

    let exit = workspace
        .terraform(&["plan", "-detailed-exitcode", "-input=false", "-no-color"])
        .status
        .code();
    assert_eq!(exit, Some(0), "plan after the switch is not empty");
    let counts = workspace.plan_counts();
    eprintln!("1.3.0 -> default: add/change/destroy/moved = {counts:?}");
    assert_eq!(counts, (0, 0, 0, 0));
}

#[test]
fn switch_from_1_3_1_with_password_input() {
    let workspace = Workspace::with_reference("1.3.1");
    workspace.switch_to_generated(Some("console_login {\n  password_input = true\n}\n"));
    let (code, report) = workspace.check(&["--repositories", REPOSITORIES]);
    assert_eq!(code, 0, "state check found problems: {report:#}");

    // The generated `password` input is sensitive and 1.3.1's is not, so the login
    // profile's password gains the sensitive mark: Terraform plans an update whose before
    // and after values are equal, and the provider makes no API call for it.
    let counts = workspace.plan_counts();
    eprintln!("1.3.1 -> password config: add/change/destroy/moved = {counts:?}");
    assert_eq!(counts, (0, 1, 0, 0));
    let shown = workspace.terraform_ok(&["show", "-json", "plan.bin"]);
    let plan: Value = serde_json::from_slice(&shown.stdout).unwrap();
    let updates: Vec<&Value> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"]["actions"] == serde_json::json!(["update"]))
        .collect();
    assert_eq!(updates.len(), 1);
    let update = updates[0];
    assert_eq!(
        update["address"],
        "module.cr.alicloud_ram_login_profile.namespace_console_user"
    );
    assert_eq!(
        update["change"]["before"], update["change"]["after"],
        "the login profile's values change"
    );
    assert_eq!(update["change"]["after_sensitive"]["password"], true);
    assert_ne!(update["change"]["before_sensitive"]["password"], true);
}

#[test]
fn for_each_migration_plans_only_moves() {
    let workspace = Workspace::with_reference("1.3.0");
    let for_each = "repositories {\n  addressing = \"for_each\"\n}\n";

    // Moves across providers are rejected by Terraform, so the check flags them while the
    // state still records hashicorp/alicloud.
    workspace.switch_to_generated(Some(for_each));
    support::cr_modgen()
        .current_dir(workspace.path())
        .args([
            "state",
            "migrate",
            "--state",
            "terraform.tfstate",
            "--out",
            "moved.tf",
        ])
        .output()
        .unwrap();
    let config = workspace.path().join("cr.hcl");
    let config = config.to_str().unwrap();
    let moved_args = [
        "--config",
        config,
        "--repositories",
        REPOSITORIES,
        "--moved",
        "moved.tf",
    ];
    let (code, report) = workspace.check(&moved_args);
    assert_eq!(
        code, 1,
        "a move across providers was not flagged: {report:#}"
    );
    assert_eq!(report["moves_blocked_by_provider"], true);
    fs::remove_file(workspace.path().join("moved.tf")).unwrap();

    // The documented order: switch with count addressing and apply, then migrate.
    workspace.switch_to_generated(None);
    workspace.terraform_ok(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    workspace.switch_to_generated(Some(for_each));
    let migrate = support::run_cr_modgen(
        &[
            "state",
            "migrate",
            "--state",
            workspace.path().join("terraform.tfstate").to_str().unwrap(),
            "--out",
            workspace.path().join("moved.tf").to_str().unwrap(),
        ],
        0,
    );
    assert!(String::from_utf8_lossy(&migrate.stderr).contains("wrote 3 moved blocks"));
    let moved = fs::read_to_string(workspace.path().join("moved.tf")).unwrap();
    for (index, name) in ["one", "two", "three"].iter().enumerate() {
        let block = format!(
            "moved {{\n  from = module.cr.alicloud_cr_repo.namespace_repositories[{index}]\n  to   = module.cr.alicloud_cr_repo.namespace_repositories[\"{name}\"]\n}}"
        );
        assert!(moved.contains(&block), "missing move for {name}:\n{moved}");
    }
    let (code, report) = workspace.check(&moved_args);
    assert_eq!(code, 0, "state check found problems: {report:#}");
    assert_eq!(summary(&report, "moved"), 3, "{report:#}");

    let counts = workspace.plan_counts();
    eprintln!("count -> for_each with moved.tf: add/change/destroy/moved = {counts:?}");
    assert_eq!(counts, (0, 0, 0, 3));
}

#[test]
fn check_catches_breaking_configs() {
    let workspace = Workspace::with_reference("1.3.0");
    let cases = [
        (
            "secret file renamed",
            "access_key {\n  secret_file = \"keys-{namespace}.json\"\n}\n",
            "module.cr.alicloud_ram_access_key.cr_ak",
            Some("secret_file"),
        ),
        (
            "namespace renamed",
            "namespace {\n  name = \"renamed\"\n}\n",
            "module.cr.alicloud_cr_namespace.registry_namespace",
            Some("name"),
        ),
        (
            "repository list dropped",
            "repositories {\n  default = []\n}\n",
            "module.cr.alicloud_cr_repo.namespace_repositories[2]",
            None,
        ),
    ];
    for (case, config_text, address, argument) in cases {
        workspace.switch_to_generated(Some(config_text));
        let config = workspace.path().join("cr.hcl");
        let (code, report) = workspace.check(&["--config", config.to_str().unwrap()]);
        assert_eq!(code, 1, "{case}: state check passed: {report:#}");
        let status = if argument.is_some() {
            "replaced"
        } else {
            "destroyed"
        };
        let hits = statuses_of(&report, status);
        let entry = hits.iter().find(|i| i["address"] == address);
        assert!(
            entry.is_some(),
            "{case}: {address} not {status}: {report:#}"
        );
        if let Some(argument) = argument {
            let named = entry.unwrap()["arguments"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["name"] == argument);
            assert!(named, "{case}: `{argument}` not named: {report:#}");
        }
        eprintln!(
            "{case}: {} replaced, {} destroyed",
            summary(&report, "replaced"),
            summary(&report, "destroyed")
        );
    }
}

#[test]
fn check_text_report_names_replace_provider() {
    let workspace = Workspace::with_reference("1.3.0");
    workspace.switch_to_generated(None);
    let output = support::cr_modgen()
        .current_dir(workspace.path())
        .args(["state", "check", "--state", "terraform.tfstate"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "default repositories differ from the state"
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("destroyed module.cr.alicloud_cr_repo.namespace_repositories[2]"),
        "{text}"
    );
    assert!(
        text.contains("terraform state replace-provider -auto-approve registry.terraform.io/hashicorp/alicloud registry.terraform.io/aliyun/alicloud"),
        "{text}"
    );
    assert!(
        text.contains("summary: 7 kept, 0 moved, 1 replaced, 2 destroyed, 0 created"),
        "{text}"
    );
}
