//! The command line: `generate`, `init` and `validate`. Generated content and diffs go to
//! stdout; progress, warnings and errors go to stderr.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{self, Config, Format};
use crate::diag::{Report, Source};
use crate::output::{self, OutputError};
use crate::render;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code when `--check` finds files that differ from the generated module.
pub const EXIT_DRIFT: u8 = 1;
/// Exit code for usage, config, I/O and internal errors.
pub const EXIT_ERROR: u8 = 2;

const STARTER_HCL: &str = include_str!("../templates/starter.hcl");
const STARTER_JSON: &str = include_str!("../templates/starter.json");

#[derive(Debug, Parser)]
#[command(
    name = "cr-modgen",
    version,
    about = "Generate a Terraform module for Alibaba Cloud Container Registry from a typed config"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Hcl,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate the module into a directory, writing only the files that change.
    Generate {
        /// Config file (`*.hcl` or `*.json`); without it, the built-in default, which
        /// reproduces roura356a/cr/alicloud 1.3.0.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["configs", "out_root"])]
        config: Option<PathBuf>,
        /// Directory to write the module into; created when missing.
        #[arg(
            long,
            value_name = "DIR",
            required_unless_present = "configs",
            conflicts_with_all = ["configs", "out_root"]
        )]
        out: Option<PathBuf>,
        /// Batch mode: generate one module per `*.hcl` or `*.json` config found under DIR.
        #[arg(long, value_name = "DIR", requires = "out_root")]
        configs: Option<PathBuf>,
        /// Batch mode: directory that receives one module directory per config, named by
        /// the config's module name.
        #[arg(long, value_name = "DIR", requires = "configs")]
        out_root: Option<PathBuf>,
        /// Syntax of the Terraform files, overriding the config's `format`.
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Write nothing; exit with 1 and print a diff when the directory differs.
        #[arg(long, conflicts_with_all = ["diff", "force"])]
        check: bool,
        /// Print a unified diff of the changes before writing them.
        #[arg(long)]
        diff: bool,
        /// Overwrite files that cr-modgen did not write.
        #[arg(long)]
        force: bool,
    },
    /// Write a commented starter config (HCL, or JSON for a `*.json` name).
    Init {
        /// Path of the config to write.
        #[arg(default_value = "cr.hcl")]
        file: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Check a config and report every problem, writing nothing.
    Validate {
        /// Config file to check (`*.hcl` or `*.json`).
        file: PathBuf,
    },
    /// Compare an existing Terraform state with the generated module, or migrate it.
    State {
        #[command(subcommand)]
        command: StateCommand,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum StateCommand {
    /// Report each instance in state as kept, moved, replaced or destroyed by the module
    /// the config generates. Exits with 1 when anything would be replaced or destroyed.
    Check {
        /// A v4 `terraform.tfstate`, or the output of `terraform show -json`.
        #[arg(long, value_name = "FILE")]
        state: PathBuf,
        /// Config file; without it, the built-in default.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Address of the module call in the state; empty for a root module.
        #[arg(long, default_value = "module.cr", value_name = "ADDRESS")]
        module_address: String,
        /// Value of the `namespace` input; defaults to the config's, else the state's.
        #[arg(long)]
        namespace: Option<String>,
        /// Value of the `repositories` input, comma-separated; defaults to the config's.
        #[arg(long, value_delimiter = ',', num_args = 0..)]
        repositories: Option<Vec<String>>,
        /// File of `moved` blocks to apply, such as the output of `state migrate`.
        #[arg(long, value_name = "FILE")]
        moved: Option<PathBuf>,
        /// Report format.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
    },
    /// Write `moved` blocks that map count-keyed repositories in state to their names,
    /// for a switch to `repositories { addressing = "for_each" }`.
    Migrate {
        /// A v4 `terraform.tfstate`, or the output of `terraform show -json`.
        #[arg(long, value_name = "FILE")]
        state: PathBuf,
        /// File to write the moved blocks to, in the caller's root module.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Address of the module call in the state; empty for a root module.
        #[arg(long, default_value = "module.cr", value_name = "ADDRESS")]
        module_address: String,
        /// Overwrite an existing file that cr-modgen did not write.
        #[arg(long)]
        force: bool,
    },
}

/// Parses the arguments and runs the command. clap exits with 2 on usage errors.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Generate {
            configs: Some(configs),
            out_root: Some(out_root),
            format,
            check,
            diff,
            force,
            ..
        } => crate::batch::run(&crate::batch::Options {
            configs,
            out_root,
            format: format.map(|format| match format {
                FormatArg::Hcl => Format::Hcl,
                FormatArg::Json => Format::Json,
            }),
            check,
            diff,
            force,
        }),
        Command::Generate {
            config,
            out,
            format,
            check,
            diff,
            force,
            ..
        } => {
            let out = out.expect("clap requires --out without --configs");
            generate(config.as_deref(), &out, format, check, diff, force)
        }
        Command::Init { file, force } => init(&file, force),
        Command::Validate { file } => validate(&file),
        Command::State { command } => crate::state_cli::run(command),
    };
    ExitCode::from(code)
}

pub(crate) fn print_error(message: impl std::fmt::Display) {
    eprintln!("error: {message}");
}

/// Prints the full chain of causes of an error on stderr.
pub(crate) fn print_error_chain(error: &dyn std::error::Error) {
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
    print_error(message);
}

/// Loads a config file, printing its warnings, or its errors with a count.
/// Rejects a config path whose extension is neither `.hcl` nor `.json`, so that a typo
/// such as `cr.hlc` is not read as HCL by accident.
fn check_config_extension(path: &Path) -> Result<(), u8> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("hcl" | "json") => Ok(()),
        _ => {
            print_error(format!(
                "config `{}` must be named `*.hcl` or `*.json`, which picks its syntax",
                path.display()
            ));
            Err(EXIT_ERROR)
        }
    }
}

pub(crate) fn load_config(path: &Path) -> Result<Config, u8> {
    check_config_extension(path)?;
    let text = match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                print_error(format!(
                    "config `{}` is not valid UTF-8; save it as UTF-8",
                    path.display()
                ));
                return Err(EXIT_ERROR);
            }
        },
        Err(error) => {
            print_error(format!(
                "failed to read config `{}`: {error}",
                path.display()
            ));
            return Err(EXIT_ERROR);
        }
    };
    let source = Source::new(path.display().to_string(), text);
    match config::load(&source) {
        Ok((config, warnings)) => {
            print_report(&warnings);
            Ok(config)
        }
        Err(report) => {
            print_report(&report);
            let count = report.error_count();
            let noun = if count == 1 { "error" } else { "errors" };
            eprintln!(
                "error: config `{}` has {count} {noun}; nothing was written",
                path.display()
            );
            Err(EXIT_ERROR)
        }
    }
}

fn print_report(report: &Report) {
    if !report.diagnostics.is_empty() {
        eprint!("{report}");
        eprintln!();
    }
}

fn generate(
    config_path: Option<&Path>,
    out: &Path,
    format: Option<FormatArg>,
    check: bool,
    show_diff: bool,
    force: bool,
) -> u8 {
    let mut config = match config_path {
        Some(path) => match load_config(path) {
            Ok(config) => config,
            Err(code) => return code,
        },
        None => Config::default(),
    };
    if let Some(format) = format {
        config.format = match format {
            FormatArg::Hcl => Format::Hcl,
            FormatArg::Json => Format::Json,
        };
    }
    let rendered = match render::render(&config) {
        Ok(rendered) => rendered,
        Err(error) => {
            print_error_chain(&error);
            return EXIT_ERROR;
        }
    };
    // `--check` compares against everything, so files cr-modgen did not write count as drift.
    let plan = match output::plan(out, &rendered, force || check) {
        Ok(plan) => plan,
        Err(error) => {
            print_error_chain(&error);
            return EXIT_ERROR;
        }
    };
    let mut stdout = io::stdout().lock();
    if check {
        if plan.is_empty() {
            eprintln!("{}: up to date ({} files)", out.display(), plan.unchanged);
            return EXIT_OK;
        }
        let _ = stdout.write_all(plan.diff().as_bytes());
        let _ = stdout.flush();
        let count = plan.changes.len();
        let noun = if count == 1 {
            "file differs"
        } else {
            "files differ"
        };
        eprintln!(
            "{}: {count} {noun} from the generated module; run `cr-modgen generate` without --check to update",
            out.display()
        );
        return EXIT_DRIFT;
    }
    if show_diff {
        let _ = stdout.write_all(plan.diff().as_bytes());
        let _ = stdout.flush();
    }
    if let Err(error) = plan.apply() {
        print_error_chain(&error);
        return EXIT_ERROR;
    }
    eprintln!(
        "{}: {} written, {} removed, {} unchanged",
        out.display(),
        plan.changes
            .iter()
            .filter(|c| c.change != output::Change::Remove)
            .count(),
        plan.changes
            .iter()
            .filter(|c| c.change == output::Change::Remove)
            .count(),
        plan.unchanged
    );
    EXIT_OK
}

fn init(file: &Path, force: bool) -> u8 {
    if file.exists() && !force {
        print_error(format!(
            "`{}` already exists; pass --force to overwrite it",
            file.display()
        ));
        return EXIT_ERROR;
    }
    if let Err(code) = check_config_extension(file) {
        return code;
    }
    let name = file.display().to_string();
    let text = match crate::raw::Syntax::from_file_name(&name) {
        crate::raw::Syntax::Json => STARTER_JSON,
        crate::raw::Syntax::Hcl => STARTER_HCL,
    };
    let result = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => fs::create_dir_all(parent),
        _ => Ok(()),
    }
    .and_then(|()| fs::write(file, text));
    if let Err(error) = result {
        let error = OutputError::Write {
            path: file.to_owned(),
            source: error,
        };
        print_error_chain(&error);
        return EXIT_ERROR;
    }
    eprintln!("wrote {name}; edit it, then run `cr-modgen generate --config {name} --out DIR`");
    EXIT_OK
}

/// Warns when the access key settings differ from the reference module's, because
/// `secret_file` and `pgp_key` force a new access key on an existing deployment.
fn warn_access_key_change(config: &Config) {
    let reference = Config::default().access_key;
    let key = &config.access_key;
    let changed = key.secret_file != reference.secret_file
        || key.write_secret_file != reference.write_secret_file
        || key.pgp_key != reference.pgp_key;
    if changed {
        eprintln!(
            "warning: the access key settings differ from roura356a/cr/alicloud 1.3.x (secret file `{}`, no PGP key)\n  = note: on an existing deployment this creates a new access key and deletes the old one, because `secret_file` and `pgp_key` force replacement",
            reference.secret_file
        );
    }
}

fn validate(file: &Path) -> u8 {
    match load_config(file) {
        Ok(config) => {
            warn_access_key_change(&config);
            println!("{}: valid", file.display());
            EXIT_OK
        }
        Err(code) => code,
    }
}
