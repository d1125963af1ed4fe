//! `cargo xtask demo`: venv, package, then the quickstart.
use crate::sh::{self, Result};
use crate::venv::{Venv, RUNTIME};

pub(crate) fn run() -> Result {
    let venv = Venv::new(".venv");
    venv.ensure(&[RUNTIME])?;
    venv.install_package(false)?;
    sh::run(venv.python().arg("examples/quickstart.py"))
}
