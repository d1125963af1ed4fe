//! `cargo xtask bench`: a release build in its own venv, then `bench/run.py`.
//!
//! `.venv-bench` keeps the optimized wheel apart from the editable debug
//! install in `.venv`, so benchmarking never disturbs the test setup.
use crate::sh::{self, Result};
use crate::venv::{Venv, BENCH, RUNTIME};

pub(crate) fn run(args: &[String]) -> Result {
    let venv = Venv::new(".venv-bench");
    venv.ensure(&[RUNTIME, BENCH])?;
    venv.install_package(true)?;
    sh::run(venv.python().arg("bench/run.py").args(args))
}
