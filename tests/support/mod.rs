//! Helpers shared by the integration tests: the fixture list, the cr-modgen binary, the
//! real `terraform` binary, and the offline provider mirror built from the emulator.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns every fixture case as (name, config path), sorted by name.
pub fn fixtures() -> Vec<(String, PathBuf)> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("fixtures")).expect("fixtures/ exists") {
        let dir = entry.expect("readable fixtures/").path();
        if !dir.is_dir() || dir.file_name().is_some_and(|n| n == "invalid") {
            continue;
        }
        let config = ["cr.hcl", "cr.json"]
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.exists())
            .unwrap_or_else(|| panic!("{} has no cr.hcl or cr.json", dir.display()));
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        cases.push((name, config));
    }
    cases.sort();
    cases
}

/// Path of the cr-modgen binary that cargo built for these tests.
pub fn cr_modgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cr-modgen"))
}

/// Runs cr-modgen and panics with its stderr unless it exits with `expected`.
pub fn run_cr_modgen(args: &[&str], expected: i32) -> Output {
    let output = cr_modgen().args(args).output().expect("cr-modgen runs");
    assert_eq!(
        output.status.code(),
        Some(expected),
        "cr-modgen {args:?} exited with {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Returns the `terraform` binary: `$TERRAFORM`, else `terraform` on PATH. Tests fail,
/// rather than skip, when it is missing.
pub fn terraform_binary() -> PathBuf {
    let candidate = std::env::var_os("TERRAFORM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("terraform"));
    let works = Command::new(&candidate)
        .arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        works,
        "terraform is not installed or does not run ({}); install Terraform 1.11 or set TERRAFORM",
        candidate.display()
    );
    candidate
}

/// Builds a terraform command in `dir` that never phones home and installs providers only
/// from the emulator mirror.
pub fn terraform(dir: &Path) -> Command {
    let mut command = Command::new(terraform_binary());
    command
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("TF_CLI_CONFIG_FILE", provider_mirror().join("terraformrc"))
        .env_remove("TF_LOG");
    command
}

/// Builds a terraform command for work that needs no providers, such as fmt. It uses an
/// empty CLI config, so it does not build the emulator.
pub fn terraform_plain(dir: &Path) -> Command {
    let mut command = Command::new(terraform_binary());
    command
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_CLI_CONFIG_FILE", "/dev/null");
    command
}

/// Returns the provider mirror directory: `$CR_MODGEN_PROVIDER_MIRROR` when set (the test
/// script builds it once), else one built now under `target/provider-mirror` by
/// `scripts/provider-mirror.sh`.
pub fn provider_mirror() -> PathBuf {
    static MIRROR: OnceLock<PathBuf> = OnceLock::new();
    MIRROR
        .get_or_init(|| {
            if let Some(dir) = std::env::var_os("CR_MODGEN_PROVIDER_MIRROR") {
                let dir = PathBuf::from(dir);
                assert!(
                    dir.join("terraformrc").exists(),
                    "CR_MODGEN_PROVIDER_MIRROR={} has no terraformrc; run scripts/provider-mirror.sh DIR",
                    dir.display()
                );
                return dir;
            }
            let dir = repo_root().join("target/provider-mirror");
            let status = Command::new("bash")
                .arg(repo_root().join("scripts/provider-mirror.sh"))
                .arg(&dir)
                .status()
                .expect("bash runs");
            assert!(status.success(), "scripts/provider-mirror.sh failed");
            dir
        })
        .clone()
}

/// Runs a command and panics with its output unless it exits with `expected`.
pub fn expect_exit(command: &mut Command, expected: i32) -> Output {
    let output = command.output().expect("command runs");
    assert_eq!(
        output.status.code(),
        Some(expected),
        "{command:?} exited with {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
