//! `cargo xtask <task>`: argument parsing only; each task lives in its own module.
mod bench;
mod demo;
mod docs;
mod junit;
mod lint;
mod sh;
mod test;
mod venv;
mod wheel;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  demo    build the package into .venv and run examples/quickstart.py
  test    Rust tests, then the Python suite on every dialect, with a per-dialect summary
          (test --slow, or OXYDE_TEST_SLOW=1, adds the long reliability runs: restarts, soaks)
  lint    cargo fmt --check, clippy -D warnings, rustdoc -D warnings,
          cargo package --list per publishable crate, ruff
  docs    the lint's doc and packaging steps alone: rustdoc -D warnings,
          cargo package --list per publishable crate
  bench   release build into .venv-bench, then Oxyde, the raw drivers, SQLAlchemy and
          Tortoise per database (bench --help for --quick, --json FILE, databases...)
  wheel   release abi3 wheel into target/wheels, smoke-tested in a fresh venv";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo::run(),
        Some("test") => test::run(&args[1..]),
        Some("lint") => lint::run(),
        Some("docs") => docs::run(),
        Some("bench") => bench::run(&args[1..]),
        Some("wheel") => wheel::run(),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
