//! `cargo xtask wheel`: a release wheel of the package in `target/wheels`.
use crate::sh::{self, cmd, Result};
use crate::venv::{Venv, RUNTIME};

pub(crate) fn run() -> Result {
    let venv = Venv::new(".venv");
    venv.ensure(&[RUNTIME])?;
    let mut build = cmd(
        venv.bin("maturin"),
        &["build", "--release", "-o", "target/wheels", "--interpreter"],
    );
    sh::run(build.arg(venv.bin("python")))
}
