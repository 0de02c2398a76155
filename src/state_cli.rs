//! The `state check` and `state migrate` commands.

use std::fs;
use std::path::Path;

use crate::cli::{
    load_config, print_error, print_error_chain, ReportFormat, StateCommand, EXIT_DRIFT,
    EXIT_ERROR, EXIT_OK,
};
use crate::config::Config;
use crate::ir::{File, Item, Moved};
use crate::output::{is_generated, write_atomic};
use crate::render::HEADER_MARK;
use crate::state::{self, Inputs, Instance};

pub(crate) fn run(command: StateCommand) -> u8 {
    match command {
        StateCommand::Check {
            state,
            config,
            module_address,
            namespace,
            repositories,
            moved,
            format,
        } => check(
            &state,
            config.as_deref(),
            &module_address,
            Inputs {
                namespace,
                repositories,
            },
            moved.as_deref(),
            format,
        ),
        StateCommand::Migrate {
            state,
            out,
            module_address,
            force,
        } => migrate(&state, &out, &module_address, force),
    }
}

fn read_state(path: &Path) -> Result<Vec<Instance>, u8> {
    let text = fs::read_to_string(path).map_err(|error| {
        print_error(format!(
            "failed to read state `{}`: {error}",
            path.display()
        ));
        EXIT_ERROR
    })?;
    state::parse(&text).map_err(|error| {
        print_error(format!("invalid state `{}`: {error}", path.display()));
        EXIT_ERROR
    })
}

fn check(
    state_path: &Path,
    config_path: Option<&Path>,
    module: &str,
    inputs: Inputs,
    moved: Option<&Path>,
    format: ReportFormat,
) -> u8 {
    let config = match config_path {
        Some(path) => match load_config(path) {
            Ok(config) => config,
            Err(code) => return code,
        },
        None => Config::default(),
    };
    let instances = match read_state(state_path) {
        Ok(instances) => instances,
        Err(code) => return code,
    };
    if !instances.iter().any(|i| i.module == module) {
        print_error(format!(
            "state `{}` has no instances under module address `{module}`; pass --module-address",
            state_path.display()
        ));
        return EXIT_ERROR;
    }
    let moves = match moved {
        Some(path) => match fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| state::parse_moves(&text))
        {
            Ok(moves) => moves,
            Err(error) => {
                print_error(format!("invalid moved file `{}`: {error}", path.display()));
                return EXIT_ERROR;
            }
        },
        None => Vec::new(),
    };
    let report = state::check(&config, &instances, module, &inputs, &moves);
    match format {
        ReportFormat::Text => print!("{}", report.to_text()),
        ReportFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).expect("JSON values print")
        ),
    }
    if report.is_safe() {
        EXIT_OK
    } else {
        EXIT_DRIFT
    }
}

fn migrate(state_path: &Path, out: &Path, module: &str, force: bool) -> u8 {
    let instances = match read_state(state_path) {
        Ok(instances) => instances,
        Err(code) => return code,
    };
    let moves = match state::migrate(&instances, module) {
        Ok(moves) => moves,
        Err(error) => {
            print_error(error);
            return EXIT_ERROR;
        }
    };
    if moves.is_empty() {
        print_error(format!(
            "state `{}` has no count-keyed repositories under `{module}`; nothing to migrate",
            state_path.display()
        ));
        return EXIT_ERROR;
    }
    if let Ok(existing) = fs::read_to_string(out) {
        if !force && !is_generated(&existing) {
            print_error(format!(
                "refusing to overwrite `{}`, which cr-modgen did not write; pass --force",
                out.display()
            ));
            return EXIT_ERROR;
        }
    }
    let file = File {
        stem: String::new(),
        items: moves
            .iter()
            .map(|m| {
                Item::Moved(Moved {
                    from: m.from.clone(),
                    to: m.to.clone(),
                })
            })
            .collect(),
    };
    let header = format!(
        "{HEADER_MARK} Moves count-keyed repositories to for_each keys; keep these blocks after applying."
    );
    let text = crate::emit::hcl::render_file(&file, &header);
    if let Err(error) = write_atomic(out, text.as_bytes()) {
        print_error_chain(&error);
        return EXIT_ERROR;
    }
    eprintln!("wrote {} moved blocks to {}", moves.len(), out.display());
    EXIT_OK
}
