//! Kills `cr-modgen generate` with SIGKILL at spread-out points of a large run over an
//! older generation, and checks that every file is then byte-identical to either the old
//! or the new generation. Only temporary files named `.NAME.cr-modgen-PID.tmp` may be left
//! behind, which SIGKILL can cause, and they never take the place of a real file.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;

/// Number of kill points; each costs one restore of the old generation and one partial run.
const KILL_POINTS: usize = 40;

/// Writes a JSON config with `count` repositories named `PREFIX-N`.
fn write_config(path: &Path, prefix: &str, count: usize, format: &str, summary: &str) {
    let names: Vec<String> = (0..count).map(|i| format!("{prefix}-{i}")).collect();
    let config = json!({
        "format": format,
        "repositories": { "default": names, "summary": summary },
        "ram_user": { "comments": format!("generation {prefix}") },
    });
    fs::write(path, config.to_string()).expect("write config");
}

/// Reads every file under `dir`, keyed by its path relative to `dir`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("readable directory");
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).expect("inside dir");
            let key = relative.to_string_lossy().replace('\\', "/");
            files.insert(key, fs::read(entry.path()).expect("readable file"));
        }
    }
    files
}

fn generate(config: &Path, out: &Path) {
    let config = config.to_str().expect("UTF-8 path");
    let out = out.to_str().expect("UTF-8 path");
    support::run_cr_modgen(&["generate", "--config", config, "--out", out], 0);
}

/// Returns the path of the file that a temporary file is written for, or `None` for any
/// other name.
fn temporary_target(path: &str) -> Option<String> {
    let (dir, name) = match path.rsplit_once('/') {
        Some((dir, name)) => (Some(dir), name),
        None => (None, path),
    };
    let stem = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (target, pid) = stem.rsplit_once(".cr-modgen-")?;
    if target.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match dir {
        Some(dir) => format!("{dir}/{target}"),
        None => target.to_owned(),
    })
}

fn restore(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    if dir.exists() {
        fs::remove_dir_all(dir).expect("remove output directory");
    }
    for (path, bytes) in files {
        let target = dir.join(path);
        fs::create_dir_all(target.parent().expect("has a parent")).expect("create dirs");
        fs::write(target, bytes).expect("write file");
    }
}

/// Checks a directory after a kill and returns how many temporary files were left.
fn check_after_kill(
    dir: &Path,
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
    delay: Duration,
) -> usize {
    let found = snapshot(dir);
    let mut temporaries = 0;
    for (path, bytes) in &found {
        if let Some(target) = temporary_target(path) {
            assert!(
                old.contains_key(&target) || new.contains_key(&target),
                "kill at {delay:?}: temporary file {path} belongs to no generated file"
            );
            temporaries += 1;
            continue;
        }
        let is_old = old.get(path) == Some(bytes);
        let is_new = new.get(path) == Some(bytes);
        assert!(
            is_old || is_new,
            "kill at {delay:?}: {path} ({} bytes) is neither the old ({:?} bytes) nor the new ({:?} bytes) file",
            bytes.len(),
            old.get(path).map(Vec::len),
            new.get(path).map(Vec::len)
        );
    }
    let expected: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for path in expected {
        if found.contains_key(path) {
            continue;
        }
        // A missing file is correct only when one generation does not have it: a new file
        // not written yet, or an old file already removed as stale.
        assert!(
            !(old.contains_key(path) && new.contains_key(path)),
            "kill at {delay:?}: {path} is missing, but both generations have it"
        );
    }
    temporaries
}

#[test]
fn killed_generate_leaves_old_or_new_files() {
    let work = tempfile::tempdir().expect("temp dir");
    let old_config = work.path().join("old.json");
    let new_config = work.path().join("new.json");
    // The old generation is JSON and the new one HCL, so a run both writes new files and
    // removes stale ones.
    write_config(
        &old_config,
        "old",
        3_000,
        "json",
        "Old {repository} in {namespace}",
    );
    write_config(
        &new_config,
        "new",
        5_000,
        "hcl",
        "New {repository} in {namespace}",
    );

    let out = work.path().join("module");
    generate(&old_config, &out);
    let old = snapshot(&out);

    // The new generation is what a full run over the old one leaves, because a run keeps
    // the README's text outside the generated region. The run is timed, for spreading the
    // kill points.
    let start = Instant::now();
    generate(&new_config, &out);
    let duration = start.elapsed();
    let new = snapshot(&out);
    assert!(
        old.keys().any(|path| !new.contains_key(path)),
        "the old generation must have files that the new one removes"
    );
    assert!(
        old.iter()
            .any(|(path, bytes)| new.get(path).is_some_and(|b| b != bytes)),
        "the generations must share changed files"
    );
    let removed = old.keys().filter(|path| !new.contains_key(*path)).count();
    let written = new
        .iter()
        .filter(|(path, bytes)| old.get(*path) != Some(bytes))
        .count();

    // First pass: delays spread over 110% of the measured run, so the last ones may
    // fall after a run that has finished. Second pass: as many delays again, spread over
    // six steps of the first pass around its first kill that found files changed, since
    // most of a run renders in memory and the writes come last. Run times vary with load,
    // so the window is wide.
    let mut tally = Tally::default();
    let step = duration.mul_f64(1.1 / (KILL_POINTS - 1) as f64);
    let mut first_change = None;
    for point in 0..KILL_POINTS {
        let delay = step * point as u32;
        let outcome = kill_at(&new_config, &out, &old, &new, delay, &mut tally);
        if first_change.is_none() && !matches!(outcome, Outcome::Old) {
            first_change = Some(delay);
        }
    }
    let window_start = first_change.unwrap_or(duration).saturating_sub(step * 3);
    for point in 0..KILL_POINTS {
        let delay = window_start + (step * 6).mul_f64(point as f64 / (KILL_POINTS - 1) as f64);
        kill_at(&new_config, &out, &old, &new, delay, &mut tally);
    }

    let points = 2 * KILL_POINTS;
    eprintln!(
        "{points} kill points over a {duration:?} run that writes {written} files and \
         removes {removed}, half of them from {window_start:?} on: {} runs \
         finished first, {} stopped between old and new, {} temporary files left behind",
        tally.finished, tally.between, tally.left_behind
    );
    assert!(
        tally.finished < points / 2,
        "most runs finished before the kill ({} of {points}), so the kills tested little",
        tally.finished
    );
}

/// Counts over all kill points.
#[derive(Default)]
struct Tally {
    finished: usize,
    between: usize,
    left_behind: usize,
}

/// The state a kill left the directory in.
enum Outcome {
    Old,
    New,
    /// Some files new, others old.
    Between,
}

/// Restores the old generation, runs generate, kills it after `delay` and checks the
/// directory.
fn kill_at(
    config: &Path,
    out: &Path,
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
    delay: Duration,
    tally: &mut Tally,
) -> Outcome {
    restore(out, old);
    let mut child = support::cr_modgen()
        .args(["generate", "--config"])
        .arg(config)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cr-modgen starts");
    std::thread::sleep(delay);
    // `Child::kill` sends SIGKILL on Unix; it fails only when the child has exited.
    let _ = child.kill();
    let status = child.wait().expect("cr-modgen exits");
    if status.success() {
        tally.finished += 1;
    }
    tally.left_behind += check_after_kill(out, old, new, delay);
    let found: BTreeMap<String, Vec<u8>> = snapshot(out)
        .into_iter()
        .filter(|(path, _)| temporary_target(path).is_none())
        .collect();
    if &found == old {
        Outcome::Old
    } else if &found == new {
        Outcome::New
    } else {
        tally.between += 1;
        Outcome::Between
    }
}

#[test]
fn temporary_names_are_recognised() {
    assert_eq!(
        temporary_target(".main.tf.cr-modgen-123.tmp").as_deref(),
        Some("main.tf")
    );
    assert_eq!(
        temporary_target("examples/basic/.main.tf.cr-modgen-9.tmp").as_deref(),
        Some("examples/basic/main.tf")
    );
    assert_eq!(temporary_target("main.tf"), None);
    assert_eq!(temporary_target(".main.tf.cr-modgen-x.tmp"), None);
}
