//! Every config under `fixtures/invalid/` is rejected with exit code 2, its stderr matches a
//! reviewed snapshot, and the output directory is byte-identical before and after the run.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).unwrap();
            (
                relative.to_string_lossy().into_owned(),
                fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn invalid_configs_are_rejected() {
    let root = support::repo_root();
    let mut names: Vec<String> = fs::read_dir(root.join("fixtures/invalid"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 40, "only {} invalid configs", names.len());

    let out = tempfile::tempdir().unwrap();
    support::run_cr_modgen(&["generate", "--out", out.path().to_str().unwrap()], 0);
    fs::write(out.path().join("notes.txt"), "kept by the user\n").unwrap();
    let before = read_tree(out.path());

    for name in names {
        let relative = format!("fixtures/invalid/{name}");
        for command in ["generate", "validate"] {
            let mut args = vec![command, "--config", &relative];
            if command == "validate" {
                args.remove(1);
            }
            let out_dir = out.path().to_str().unwrap().to_owned();
            if command == "generate" {
                args.extend(["--out", &out_dir]);
            }
            let output = support::cr_modgen()
                .current_dir(&root)
                .args(&args)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{command} {name}: exit code");
            assert!(
                output.stdout.is_empty(),
                "{command} {name}: printed to stdout"
            );
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            assert!(
                stderr.contains(&format!("--> {relative}:")),
                "{command} {name}: no location in\n{stderr}"
            );
            if command == "generate" {
                insta::assert_snapshot!(format!("invalid__{name}"), stderr);
            }
            assert_eq!(
                before,
                read_tree(out.path()),
                "{command} {name}: output directory changed"
            );
        }
    }
}
