//! Batch mode of `generate`: every `*.hcl` and `*.json` config under one directory becomes
//! its own module directory under an output root, named by the config's module name.
//!
//! Configs are loaded, rendered and compared in parallel (rayon), but every message and
//! diff is collected first and printed in config path order, so the output of a run does
//! not depend on scheduling. A config that fails is reported with its path and leaves its
//! own target directory untouched, and the other configs still run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, IsTerminal as _, Write as _};
use std::path::{Component, Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::cli::{EXIT_DRIFT, EXIT_ERROR, EXIT_OK};
use crate::config::{self, Config, Format};
use crate::diag::{Report, Source};
use crate::output::{self, Change, Plan};
use crate::render;

/// Batches larger than this many configs show a progress bar, when stderr is a terminal.
const PROGRESS_MIN_CONFIGS: usize = 20;

/// Settings of one batch run, taken from the `generate` flags.
#[derive(Debug, Clone)]
pub struct Options {
    /// Directory searched recursively for `*.hcl` and `*.json` configs.
    pub configs: PathBuf,
    /// Directory that receives one module directory per config.
    pub out_root: PathBuf,
    /// Syntax of the Terraform files, overriding each config's `format`.
    pub format: Option<Format>,
    pub check: bool,
    pub diff: bool,
    pub force: bool,
}

/// Result of one config: what to print, in order, and whether it failed or drifted.
#[derive(Debug, Default)]
struct Outcome {
    stdout: String,
    stderr: String,
    status: Status,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Status {
    #[default]
    Ok,
    Drift,
    Failed,
}

/// Runs a batch and returns the exit code: 2 if any config failed, else 1 under `--check`
/// if any module differs from its directory, else 0.
pub fn run(options: &Options) -> u8 {
    let paths = match find_configs(&options.configs, &options.out_root) {
        Ok(paths) => paths,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    if paths.is_empty() {
        eprintln!(
            "error: no `*.hcl` or `*.json` configs found under `{}`",
            options.configs.display()
        );
        return EXIT_ERROR;
    }
    if let Ok(meta) = fs::metadata(&options.out_root) {
        if !meta.is_dir() {
            eprintln!(
                "error: output root `{}` exists and is not a directory; choose another --out-root",
                options.out_root.display()
            );
            return EXIT_ERROR;
        }
    }

    let progress = progress_bar(paths.len());
    let loaded: Vec<(Outcome, Option<Config>)> = paths
        .par_iter()
        .map(|path| load(path, options.format))
        .collect();

    let duplicates = duplicate_names(&paths, &loaded);
    if !duplicates.is_empty() {
        progress.finish_and_clear();
        for (outcome, _) in &loaded {
            eprint!("{}", outcome.stderr);
        }
        for message in &duplicates {
            eprintln!("error: {message}");
        }
        eprintln!("error: duplicate module names; nothing was written");
        return EXIT_ERROR;
    }

    let outcomes: Vec<Outcome> = loaded
        .into_par_iter()
        .map(|(mut outcome, config)| {
            if let Some(config) = config {
                generate_one(&config, options, &mut outcome);
            }
            progress.inc(1);
            outcome
        })
        .collect();
    progress.finish_and_clear();

    print_outcomes(&outcomes);
    print_summary(&outcomes, options.check)
}

/// Lists the config files under `dir` in sorted path order, skipping hidden directories
/// and the output root, so that a run does not pick up files it generated itself.
fn find_configs(dir: &Path, out_root: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = fs::metadata(dir).map_err(|error| {
        format!(
            "failed to read config directory `{}`: {error}",
            dir.display()
        )
    })?;
    if !meta.is_dir() {
        return Err(format!(
            "config directory `{}` is not a directory; pass a directory to --configs",
            dir.display()
        ));
    }
    let out_root = fs::canonicalize(out_root).ok();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 || !entry.file_type().is_dir() {
                return true;
            }
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let is_out_root = out_root
                .as_deref()
                .is_some_and(|root| fs::canonicalize(entry.path()).is_ok_and(|p| p == root));
            !hidden && !is_out_root
        });
    let mut paths = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|error| {
            format!(
                "failed to read config directory `{}`: {error}",
                dir.display()
            )
        })?;
        let is_config = entry
            .path()
            .extension()
            .is_some_and(|ext| ext == "hcl" || ext == "json");
        // A symbolic link to a config file counts, but walkdir does not descend into
        // linked directories.
        let is_file = entry.file_type().is_file() || entry.path().is_file();
        if is_file && is_config {
            paths.push(entry.into_path());
        }
    }
    paths.sort();
    Ok(paths)
}

fn progress_bar(count: usize) -> ProgressBar {
    if count <= PROGRESS_MIN_CONFIGS || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(count as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} configs") {
        bar.set_style(style);
    }
    bar
}

/// Reads and checks one config, keeping its warnings or errors in the outcome.
fn load(path: &Path, format: Option<Format>) -> (Outcome, Option<Config>) {
    let mut outcome = Outcome::default();
    let text = match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                outcome.fail(format!(
                    "config `{}` is not valid UTF-8; save it as UTF-8",
                    path.display()
                ));
                return (outcome, None);
            }
        },
        Err(error) => {
            outcome.fail(format!(
                "failed to read config `{}`: {error}",
                path.display()
            ));
            return (outcome, None);
        }
    };
    let source = Source::new(path.display().to_string(), text);
    match config::load(&source) {
        Ok((mut config, warnings)) => {
            outcome.report(&warnings);
            if let Some(format) = format {
                config.format = format;
            }
            (outcome, Some(config))
        }
        Err(report) => {
            outcome.report(&report);
            let count = report.error_count();
            let noun = if count == 1 { "error" } else { "errors" };
            outcome.fail(format!(
                "config `{}` has {count} {noun}; its module was not generated",
                path.display()
            ));
            (outcome, None)
        }
    }
}

/// Describes every module name that more than one loaded config uses, naming the configs.
fn duplicate_names(paths: &[PathBuf], loaded: &[(Outcome, Option<Config>)]) -> Vec<String> {
    let mut by_name: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for (path, (_, config)) in paths.iter().zip(loaded) {
        if let Some(config) = config {
            by_name
                .entry(config.module.name.as_str())
                .or_default()
                .push(path);
        }
    }
    by_name
        .into_iter()
        .filter(|(_, paths)| paths.len() > 1)
        .map(|(name, paths)| {
            let list = paths
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect::<Vec<_>>()
                .join(", ");
            format!("module name `{name}` is used by more than one config: {list}; give each config its own `module.name`")
        })
        .collect()
}

/// Renders one module and compares it with, or writes it to, `<out-root>/<module name>`.
fn generate_one(config: &Config, options: &Options, outcome: &mut Outcome) {
    let name = &config.module.name;
    let mut components = Path::new(name).components();
    let single_component =
        matches!(components.next(), Some(Component::Normal(_))) && components.next().is_none();
    if !single_component {
        outcome.fail(format!(
            "module name `{name}` is not a valid directory name"
        ));
        return;
    }
    let out = options.out_root.join(name);

    let rendered = match render::render(config) {
        Ok(rendered) => rendered,
        Err(error) => {
            outcome.fail_chain(&error);
            return;
        }
    };
    // As in single mode, `--check` counts files that cr-modgen did not write as drift.
    let plan = match output::plan(&out, &rendered, options.force || options.check) {
        Ok(plan) => plan,
        Err(error) => {
            outcome.fail_chain(&error);
            return;
        }
    };

    if options.check {
        check_plan(&plan, &out, outcome);
    } else {
        apply_plan(&plan, &out, options.diff, outcome);
    }
}

fn check_plan(plan: &Plan, out: &Path, outcome: &mut Outcome) {
    if plan.is_empty() {
        let _ = writeln!(
            outcome.stderr,
            "{}: up to date ({} files)",
            out.display(),
            plan.unchanged
        );
        return;
    }
    outcome.stdout.push_str(&plan.diff());
    let count = plan.changes.len();
    let noun = if count == 1 {
        "file differs"
    } else {
        "files differ"
    };
    let _ = writeln!(
        outcome.stderr,
        "{}: {count} {noun} from the generated module",
        out.display()
    );
    outcome.status = Status::Drift;
}

fn apply_plan(plan: &Plan, out: &Path, show_diff: bool, outcome: &mut Outcome) {
    if show_diff {
        outcome.stdout.push_str(&plan.diff());
    }
    // NOTE: a write that fails part way leaves the files already renamed into place. Each
    // file is written atomically, but the module directory as a whole is not.
    if let Err(error) = plan.apply() {
        outcome.fail_chain(&error);
        return;
    }
    let removed = plan
        .changes
        .iter()
        .filter(|c| c.change == Change::Remove)
        .count();
    let _ = writeln!(
        outcome.stderr,
        "{}: {} written, {removed} removed, {} unchanged",
        out.display(),
        plan.changes.len() - removed,
        plan.unchanged
    );
}

impl Outcome {
    fn fail(&mut self, message: impl std::fmt::Display) {
        let _ = writeln!(self.stderr, "error: {message}");
        self.status = Status::Failed;
    }

    /// Records an error with its chain of causes, leaving out causes already in the text.
    fn fail_chain(&mut self, error: &dyn std::error::Error) {
        let mut message = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            let text = cause.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        self.fail(message);
    }

    fn report(&mut self, report: &Report) {
        if !report.diagnostics.is_empty() {
            let _ = writeln!(self.stderr, "{report}");
        }
    }
}

fn print_outcomes(outcomes: &[Outcome]) {
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    for outcome in outcomes {
        // Flushing stdout before each stderr message keeps a shared terminal in order.
        let _ = stdout.write_all(outcome.stdout.as_bytes());
        let _ = stdout.flush();
        let _ = stderr.write_all(outcome.stderr.as_bytes());
    }
    let _ = stderr.flush();
}

/// Prints the totals and returns the exit code.
fn print_summary(outcomes: &[Outcome], check: bool) -> u8 {
    let failed = outcomes
        .iter()
        .filter(|o| o.status == Status::Failed)
        .count();
    let drifted = outcomes
        .iter()
        .filter(|o| o.status == Status::Drift)
        .count();
    let total = outcomes.len();
    let config_noun = if total == 1 { "config" } else { "configs" };
    if failed > 0 {
        eprintln!("error: {failed} of {total} {config_noun} failed");
        return EXIT_ERROR;
    }
    if drifted > 0 {
        eprintln!(
            "{drifted} of {total} modules differ from their directories; run `cr-modgen generate` without --check to update"
        );
        return EXIT_DRIFT;
    }
    if check {
        eprintln!("{total} {config_noun} checked, all up to date");
    } else {
        eprintln!("{total} {config_noun} generated");
    }
    EXIT_OK
}
