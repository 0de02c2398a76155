//! Batch mode of `generate` (`--configs DIR --out-root DIR`), run through the real binary:
//! mixed good and bad configs, exit codes, untouched targets, determinism, `--check`,
//! duplicate module names and the progress bar.

use std::fs;
use std::path::Path;
use std::process::Output;

const CR_MODGEN: &str = env!("CARGO_BIN_EXE_cr-modgen");

/// Runs cr-modgen in `dir` with relative paths, so that messages do not contain the
/// temporary directory's name.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(CR_MODGEN)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("cr-modgen runs")
}

fn batch(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["generate", "--configs", "configs", "--out-root", "out"];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_exit(output: &Output, expected: i32) {
    assert_eq!(
        output.status.code(),
        Some(expected),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Returns an HCL config whose module is named `name`, with every other key at its default.
fn config_text(name: &str) -> String {
    format!("module {{\n  name = \"{name}\"\n}}\n")
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Returns every file under `dir` with its bytes, in path order.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    if !dir.exists() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).unwrap();
            let relative = relative.to_string_lossy().into_owned();
            (relative, fs::read(entry.path()).unwrap())
        })
        .collect()
}

#[test]
fn mixed_configs_report_failures() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("configs/alpha.hcl"), &config_text("alpha"));
    write(
        &root.join("configs/nested/beta.json"),
        "{\"module\": {\"name\": \"beta\"}}\n",
    );
    write(&root.join("configs/broken.hcl"), "module {\n  name = \n}\n");
    write(
        &root.join("configs/wrong.json"),
        "{\"module\": {\"name\": \"Upper\"}}\n",
    );
    write(&root.join("configs/notes.txt"), "not a config\n");

    let output = batch(root, &[]);
    assert_exit(&output, 2);
    let messages = stderr(&output);
    assert!(messages.contains("configs/broken.hcl"), "{messages}");
    assert!(messages.contains("configs/wrong.json"), "{messages}");
    assert!(messages.contains("2 of 4 configs failed"), "{messages}");
    assert!(!messages.contains("notes.txt"), "{messages}");
    assert!(root.join("out/alpha/main.tf").is_file());
    assert!(root.join("out/beta/main.tf").is_file());
    let modules: Vec<String> = fs::read_dir(root.join("out"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(modules.len(), 2, "{modules:?}");

    // Messages follow config path order, whatever order the threads finished in.
    let alpha = messages.find("out/alpha:").unwrap();
    let broken = messages.find("configs/broken.hcl").unwrap();
    let beta = messages.find("out/beta:").unwrap();
    assert!(alpha < broken, "{messages}");
    assert!(broken < beta, "{messages}");
}

#[test]
fn all_good_configs_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("configs/a.hcl"), &config_text("first"));
    write(&root.join("configs/b.hcl"), &config_text("second"));

    let output = batch(root, &[]);
    assert_exit(&output, 0);
    assert!(stdout(&output).is_empty(), "{}", stdout(&output));
    assert!(stderr(&output).contains("2 configs generated"));

    let again = batch(root, &[]);
    assert_exit(&again, 0);
    assert!(
        stderr(&again).contains("out/first: 0 written, 0 removed,"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn invalid_config_leaves_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("configs/a.hcl"), &config_text("first"));
    write(&root.join("configs/b.hcl"), &config_text("second"));
    assert_exit(&batch(root, &[]), 0);
    let before = snapshot(&root.join("out/second"));

    // The first config changes and must be rewritten. The second becomes invalid, so its
    // module directory must keep the files of the first run.
    write(
        &root.join("configs/a.hcl"),
        &format!(
            "{}repositories {{\n  default = [\"api\"]\n}}\n",
            config_text("first")
        ),
    );
    write(
        &root.join("configs/b.hcl"),
        "module {\n  name = \"second\"\n}\nformat = 3\n",
    );
    let output = batch(root, &[]);
    assert_exit(&output, 2);
    assert!(
        stderr(&output).contains("configs/b.hcl"),
        "{}",
        stderr(&output)
    );
    assert_eq!(snapshot(&root.join("out/second")), before);
    let variables = fs::read_to_string(root.join("out/first/variables.tf")).unwrap();
    assert!(variables.contains("\"api\""), "{variables}");
}

#[test]
fn foreign_file_fails_only_its_module() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("configs/a.hcl"), &config_text("first"));
    write(&root.join("configs/b.hcl"), &config_text("second"));
    write(&root.join("out/second/main.tf"), "# written by hand\n");
    let before = snapshot(&root.join("out/second"));

    let output = batch(root, &[]);
    assert_exit(&output, 2);
    let messages = stderr(&output);
    assert!(
        messages.contains("error: ") && messages.contains("--force"),
        "{messages}"
    );
    assert!(messages.contains("1 of 2 configs failed"), "{messages}");
    assert_eq!(snapshot(&root.join("out/second")), before);
    assert!(root.join("out/first/main.tf").is_file());

    let forced = batch(root, &["--force"]);
    assert_exit(&forced, 0);
    let main = fs::read_to_string(root.join("out/second/main.tf")).unwrap();
    assert!(main.starts_with("# Generated by cr-modgen."), "{main}");
}

#[test]
fn two_runs_are_identical() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for index in 0..30 {
            let name = format!("module-{index:02}");
            write(
                &root.join(format!("configs/group-{}/{name}.hcl", index % 3)),
                &config_text(&name),
            );
        }
        write(&root.join("configs/group-1/bad.hcl"), "outputs = [\"x\"]\n");
        let output = batch(root, &["--diff"]);
        assert_exit(&output, 2);
        runs.push((
            stdout(&output),
            stderr(&output),
            snapshot(&root.join("out")),
        ));
    }
    let (first, second) = (&runs[0], &runs[1]);
    assert!(!first.0.is_empty(), "--diff printed no diff");
    assert_eq!(first.0, second.0, "stdout differs between runs");
    assert_eq!(first.1, second.1, "stderr differs between runs");
    let main_files = first
        .2
        .iter()
        .filter(|(path, _)| path.ends_with("/main.tf"));
    assert_eq!(
        main_files.count(),
        30 * 2,
        "expected main.tf and examples/basic/main.tf"
    );
    assert!(first.2 == second.2, "generated trees differ between runs");
}

#[test]
fn check_reports_drift_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("configs/a.hcl"), &config_text("first"));
    write(&root.join("configs/b.hcl"), &config_text("second"));

    let missing = batch(root, &["--check"]);
    assert_exit(&missing, 1);
    assert!(
        !root.join("out").exists(),
        "--check created the output root"
    );

    assert_exit(&batch(root, &[]), 0);
    let clean = batch(root, &["--check"]);
    assert_exit(&clean, 0);
    assert!(stdout(&clean).is_empty(), "{}", stdout(&clean));
    assert!(stderr(&clean).contains("2 configs checked, all up to date"));

    let versions = root.join("out/second/versions.tf");
    let edited = fs::read_to_string(&versions).unwrap() + "# local edit\n";
    fs::write(&versions, &edited).unwrap();
    let before = snapshot(&root.join("out"));
    let drift = batch(root, &["--check"]);
    assert_exit(&drift, 1);
    let diff = stdout(&drift);
    assert!(diff.contains("a/versions.tf"), "{diff}");
    assert!(diff.contains("-# local edit"), "{diff}");
    assert!(
        stderr(&drift).contains("out/second: 1 file differs"),
        "{}",
        stderr(&drift)
    );
    assert!(stderr(&drift).contains("out/first: up to date"));
    assert_eq!(snapshot(&root.join("out")), before);

    // A failure outranks drift.
    write(&root.join("configs/c.hcl"), "module {\n  name = 1\n}\n");
    let failed = batch(root, &["--check"]);
    assert_exit(&failed, 2);
    assert_eq!(snapshot(&root.join("out")), before);
}

#[test]
fn duplicate_module_names_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("configs/a.hcl"), &config_text("shared"));
    write(&root.join("configs/b.hcl"), &config_text("unique"));
    write(
        &root.join("configs/sub/c.json"),
        "{\"module\": {\"name\": \"shared\"}}\n",
    );

    let output = batch(root, &[]);
    assert_exit(&output, 2);
    let messages = stderr(&output);
    assert!(messages.contains("module name `shared`"), "{messages}");
    assert!(messages.contains("`configs/a.hcl`"), "{messages}");
    assert!(messages.contains("`configs/sub/c.json`"), "{messages}");
    assert!(messages.contains("nothing was written"), "{messages}");
    assert!(!root.join("out").exists(), "a module was written");
}

#[test]
fn out_root_inside_configs_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(&root.join("configs/a.hcl"), &config_text("first"));
    let args = [
        "generate",
        "--configs",
        "configs",
        "--out-root",
        "configs/out",
    ];
    assert_exit(&run_in(root, &args), 0);
    // The generated module contains tests/first.tftest.hcl, which must not be read back
    // as a config.
    assert!(root.join("configs/out/first/tests").is_dir());
    let second = run_in(root, &args);
    assert_exit(&second, 0);
    assert!(
        stderr(&second).contains("1 config generated"),
        "{}",
        stderr(&second)
    );
}

#[test]
fn empty_or_missing_configs_dir_fails() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("configs")).unwrap();
    let empty = batch(root, &[]);
    assert_exit(&empty, 2);
    assert!(stderr(&empty).contains("no `*.hcl` or `*.json` configs found"));

    fs::remove_dir(root.join("configs")).unwrap();
    let missing = batch(root, &[]);
    assert_exit(&missing, 2);
    assert!(stderr(&missing).contains("failed to read config directory `configs`"));
}

#[test]
fn batch_flags_conflict_with_single_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let cases: [&[&str]; 4] = [
        &[
            "generate",
            "--configs",
            "c",
            "--out-root",
            "o",
            "--out",
            "x",
        ],
        &[
            "generate",
            "--configs",
            "c",
            "--out-root",
            "o",
            "--config",
            "a.hcl",
        ],
        &["generate", "--configs", "c"],
        &["generate", "--out-root", "o"],
    ];
    for args in cases {
        let output = run_in(root, args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("Usage:"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let single = run_in(root, &["generate"]);
    assert_eq!(single.status.code(), Some(2));
    assert!(
        stderr(&single).contains("--out <DIR>"),
        "{}",
        stderr(&single)
    );
}

#[test]
fn no_progress_bar_in_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for index in 0..25 {
        write(
            &root.join(format!("configs/m{index:02}.hcl")),
            &config_text(&format!("m{index:02}")),
        );
    }
    let output = batch(root, &[]);
    assert_exit(&output, 0);
    let messages = stderr(&output);
    assert!(!messages.contains('\r'), "{messages:?}");
    assert!(!messages.contains('\u{1b}'), "{messages:?}");
    assert!(!messages.contains("/25 configs"), "{messages:?}");
    assert_eq!(messages.lines().count(), 26, "{messages}");
}

/// Positive control for `no_progress_bar_in_pipe`: under a pseudo-terminal made by
/// util-linux `script`, the same batch draws the bar.
#[test]
fn progress_bar_on_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for index in 0..25 {
        write(
            &root.join(format!("configs/m{index:02}.hcl")),
            &config_text(&format!("m{index:02}")),
        );
    }
    let command = format!("'{CR_MODGEN}' generate --configs configs --out-root out >/dev/null");
    let output = std::process::Command::new("script")
        .current_dir(root)
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("util-linux `script` runs");
    assert_exit(&output, 0);
    let terminal = stdout(&output);
    assert!(terminal.contains("/25 configs"), "{terminal:?}");
}
