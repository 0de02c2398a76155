use std::process::ExitCode;

fn main() -> ExitCode {
    cr_modgen::cli::main()
}
