//! The Python side: virtual environments and building the package into them.
use std::path::PathBuf;
use std::process::Command;

use crate::sh::{self, cmd, root, Result};

/// Runtime dependencies plus the build tool; kept in step with `pyproject.toml`.
pub(crate) const RUNTIME: &[&str] = &["maturin>=1.5,<2", "pydantic>=2", "msgpack", "typer"];
/// What tests and lint need on top; `FastAPI` for `examples/fastapi`, mkdocs for the docs site.
pub(crate) const DEV: &[&str] = &[
    "pytest>=8",
    "pytest-asyncio>=0.24",
    "ruff",
    "httpx",
    "mypy",
    // tests/test_typing.py; fetches its Node package on first run
    "pyright",
    "fastapi>=0.121",
    "mkdocs>=1.6",
    "mkdocs-material",
    "mkdocstrings[python]",
    // the `otel` extra and the in-memory exporter its test reads spans from
    "opentelemetry-api",
    "opentelemetry-sdk",
];
/// What the bench compares against (raw drivers, `SQLAlchemy`, Tortoise) and
/// reports with (matplotlib charts, psutil RSS); kept in step with the
/// `bench` extra in `pyproject.toml`.
pub(crate) const BENCH: &[&str] = &[
    "aiosqlite",
    "asyncpg",
    "asyncmy",
    "sqlalchemy[asyncio]>=2",
    "tortoise-orm",
    "matplotlib",
    "psutil",
];

/// A virtual environment under the repository root.
pub(crate) struct Venv {
    dir: PathBuf,
}

impl Venv {
    /// `.venv` for demo, test and lint; `.venv-bench` holds the release build.
    pub(crate) fn new(name: &str) -> Self {
        Self { dir: root().join(name) }
    }

    pub(crate) fn bin(&self, program: &str) -> PathBuf {
        self.dir.join("bin").join(program)
    }

    pub(crate) fn python(&self) -> Command {
        cmd(self.bin("python"), &[])
    }

    /// Creates the environment if missing and installs `packages` into it.
    pub(crate) fn ensure(&self, packages: &[&[&str]]) -> Result {
        if !self.bin("python").exists() {
            sh::run(cmd("python3", &["-m", "venv"]).arg(&self.dir))?;
        }
        let mut pip = self.python();
        pip.args(["-m", "pip", "install", "-q", "--disable-pip-version-check"]);
        pip.args(packages.iter().flat_map(|p| p.iter()));
        sh::run(&mut pip)
    }

    /// Builds the extension and installs the package: editable for `.venv`,
    /// from a wheel for release builds so the source tree keeps the debug `.so`.
    pub(crate) fn install_package(&self, release: bool) -> Result {
        if release {
            let wheels = root().join("target").join("wheels-release");
            let _ = std::fs::remove_dir_all(&wheels);
            let mut build = cmd(self.bin("maturin"), &["build", "--release", "-q", "-o"]);
            build.arg(&wheels).args(["--interpreter"]).arg(self.bin("python"));
            sh::run(&mut build)?;
            let wheel = std::fs::read_dir(&wheels)
                .map_err(|e| format!("no wheel in {}: {e}", wheels.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .find(|p| p.extension().is_some_and(|x| x == "whl"))
                .ok_or_else(|| format!("maturin left no wheel in {}", wheels.display()))?;
            let mut pip = self.python();
            pip.args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--force-reinstall",
                "--no-deps",
            ]);
            sh::run(pip.arg(wheel))
        } else {
            let mut develop = cmd(self.bin("maturin"), &["develop", "-q"]);
            develop.env("VIRTUAL_ENV", &self.dir).env_remove("CONDA_PREFIX");
            sh::run(&mut develop)
        }
    }
}
