//! `cargo xtask bench`: a release build in its own venv, then the suite in `bench/run.py`.
//!
//! `.venv-bench` keeps the optimized wheel apart from the editable debug
//! install in `.venv`, so benchmarking never disturbs the test setup.
//! `--no-build` reuses the wheel already installed there (harness work, or
//! re-running a measurement without library changes); every other argument
//! goes to `bench/run.py` (`--quick`, `--json FILE`, databases, ...).
use crate::sh::{self, Result};
use crate::venv::{Venv, BENCH, RUNTIME};

pub(crate) fn run(args: &[String]) -> Result {
    let venv = Venv::new(".venv-bench");
    let build = !args.iter().any(|a| a == "--no-build");
    if build || !venv.bin("python").exists() {
        venv.ensure(&[RUNTIME, BENCH])?;
        venv.install_package(true)?;
    }
    let forwarded = args.iter().filter(|a| *a != "--no-build");
    sh::run(venv.python().arg("bench/run.py").args(forwarded))
}
