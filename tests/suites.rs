//! Runs the test suites that cr-modgen writes into each generated module: `terraform test`
//! against the provider emulator, and the Go tools on the terratest files.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{expect_exit, fixtures, run_cr_modgen, terraform};

/// Generates the module of `config` into a new temporary directory.
fn generate(config: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let config = config.to_str().expect("UTF-8 fixture path");
    let out = dir.path().to_str().expect("UTF-8 temporary path");
    run_cr_modgen(&["generate", "--config", config, "--out", out], 0);
    dir
}

fn stdout_and_stderr(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn terraform_init(dir: &Path) {
    expect_exit(
        terraform(dir).args(["init", "-no-color", "-input=false"]),
        0,
    );
}

/// Returns the one `.go` file under `test/`, failing when there is not exactly one.
fn go_test_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir.join("test"))
        .expect("generated test/ directory")
        .map(|entry| entry.expect("readable test/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "go"))
        .collect();
    assert_eq!(files.len(), 1, "expected one Go file in test/: {files:?}");
    files[0].clone()
}

/// Returns the `gofmt` command, failing when it is missing.
fn gofmt() -> Command {
    // Spawning fails only when the binary is missing; gofmt's exit code does not matter.
    let works = Command::new("gofmt").arg("-l").output().is_ok();
    assert!(
        works,
        "gofmt is not installed; install Go, e.g. `apt-get install -y golang-go`"
    );
    Command::new("gofmt")
}

// Every fixture, including the JSON-format ones: the tftest file is HCL, and terraform
// test reads it beside *.tf.json module files.
#[test]
fn terraform_test_passes_for_every_fixture() {
    for (name, config) in fixtures() {
        let dir = generate(&config);
        terraform_init(dir.path());
        let output = terraform(dir.path())
            .args(["test", "-no-color"])
            .output()
            .expect("terraform test runs");
        let text = stdout_and_stderr(&output);
        assert!(
            output.status.success(),
            "terraform test failed for fixture {name}:\n{text}"
        );
        assert!(
            text.contains(" 0 failed."),
            "terraform test of fixture {name} did not report 0 failed:\n{text}"
        );
        assert!(
            !text.contains("... skip"),
            "terraform test of fixture {name} skipped a run:\n{text}"
        );
    }
}

#[test]
fn terraform_test_fails_on_wrong_expectation() {
    let (_, config) = fixtures()
        .into_iter()
        .find(|(name, _)| name == "default")
        .expect("fixture default exists");
    let dir = generate(&config);
    let tftest = dir.path().join("tests/cr.tftest.hcl");
    let text = std::fs::read_to_string(&tftest).expect("generated tftest file");
    let condition = r#"output.access_key_status == "Active""#;
    let message = r#"output.access_key_status is not \"Active\""#;
    assert!(
        text.contains(condition),
        "no access_key_status assert in:\n{text}"
    );
    assert!(
        text.contains(message),
        "no access_key_status message in:\n{text}"
    );
    let broken = text
        .replace(condition, r#"output.access_key_status == "Disabled""#)
        .replace(message, r#"output.access_key_status is not \"Disabled\""#);
    std::fs::write(&tftest, broken).expect("write broken tftest file");

    terraform_init(dir.path());
    let output = terraform(dir.path())
        .args(["test", "-no-color"])
        .output()
        .expect("terraform test runs");
    let text = stdout_and_stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "terraform test output:\n{text}"
    );
    assert!(
        text.contains(r#"run "apply_sets_outputs"... fail"#),
        "the apply run did not fail:\n{text}"
    );
    assert!(
        text.contains(r#"output.access_key_status is not "Disabled""#),
        "the failing assertion's message is missing:\n{text}"
    );
    assert!(
        text.contains(" 1 failed."),
        "terraform test did not report exactly 1 failed run:\n{text}"
    );
}

#[test]
fn gofmt_accepts_terratest_files() {
    for (name, config) in fixtures() {
        let dir = generate(&config);
        let file = go_test_file(dir.path());
        // -e reports every syntax error, and -l lists the file when its layout differs
        // from gofmt's.
        let output = expect_exit(gofmt().arg("-e").arg("-l").arg(&file), 0);
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "",
            "gofmt would reformat {} of fixture {name}",
            file.display()
        );
    }
}

/// Returns the output of a go command in `dir` that reaches no network and uses an empty
/// module cache, so that its result does not depend on what the machine has cached.
fn go_offline(dir: &Path, args: &[&str]) -> std::process::Output {
    let cache = tempfile::tempdir().expect("temporary module cache");
    Command::new("go")
        .args(args)
        .current_dir(dir)
        .env("GOFLAGS", "-mod=mod")
        .env("GOPROXY", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GOMODCACHE", cache.path())
        .output()
        .expect("go runs; install it with `apt-get install -y golang-go`")
}

// What is and is not checked here: `go mod edit -json` parses test/go.mod and its fields
// are compared. `go vet` cannot type-check the test, because terratest and testify are not
// in a module cache and cannot be downloaded, and because `t.Context()` needs Go 1.24 while
// Debian's golang-go is older. So the vet run only shows that go.mod parses and that vet
// stops at the module lookup, before any check of the Go code. Syntax and layout of the
// Go code are checked by gofmt above.
#[test]
fn go_tools_read_terratest_module() {
    for (name, config) in fixtures() {
        let dir = generate(&config);
        let test_dir = dir.path().join("test");

        let output = go_offline(&test_dir, &["mod", "edit", "-json"]);
        let text = stdout_and_stderr(&output);
        assert!(
            output.status.success(),
            "go mod edit failed for {name}:\n{text}"
        );
        let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(
            parsed["Module"]["Path"], "github.com/roura356a/terraform-alicloud-cr/test",
            "module path of fixture {name}"
        );
        assert_eq!(parsed["Go"], "1.26", "go version of fixture {name}");
        let requires: Vec<(String, String)> = parsed["Require"]
            .as_array()
            .expect("Require list")
            .iter()
            .map(|require| {
                (
                    require["Path"].as_str().unwrap_or_default().to_owned(),
                    require["Version"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            requires,
            [
                ("github.com/gruntwork-io/terratest".into(), "v1.0.1".into()),
                ("github.com/stretchr/testify".into(), "v1.11.1".into()),
            ],
            "requirements of fixture {name}"
        );

        let output = go_offline(&test_dir, &["vet", "./..."]);
        let text = stdout_and_stderr(&output);
        assert!(
            text.contains("module lookup disabled by GOPROXY=off"),
            "go vet of fixture {name} did not stop at the module lookup:\n{text}"
        );
        assert!(
            !text.contains("go.mod:"),
            "go vet of fixture {name} reported a go.mod error:\n{text}"
        );
    }
}
