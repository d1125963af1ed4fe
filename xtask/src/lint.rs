//! `cargo xtask lint`: formatting, clippy, rustdoc, packaging and ruff; reports every failure, not just the first.
use crate::docs;
use crate::sh::{self, cmd, Result};
use crate::venv::{Venv, DEV, RUNTIME};

pub(crate) fn run() -> Result {
    let venv = Venv::new(".venv");
    venv.ensure(&[RUNTIME, DEV])?;
    let steps = [
        sh::run(&mut cmd("cargo", &["fmt", "--all", "--check"])),
        sh::run(&mut cmd(
            "cargo",
            &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
        )),
        docs::rustdoc(),
        docs::package_lists(),
        sh::run(&mut cmd(
            venv.bin("ruff"),
            &["check", "python", "tests", "bench", "examples", "oxyde-py/tests"],
        )),
        sh::run(&mut cmd(
            venv.bin("ruff"),
            &["format", "--check", "bench", "examples", "oxyde-py/tests"],
        )),
    ];
    let failed: Vec<String> = steps.into_iter().filter_map(std::result::Result::err).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}
