//! `cargo xtask wheel`: a release abi3 wheel in `target/wheels`, then a smoke
//! run of it in a fresh venv that has nothing but the wheel and its
//! dependencies from the package index (so a missing file in the wheel shows up here).
use std::path::{Path, PathBuf};

use crate::sh::{self, cmd, root, Result};
use crate::venv::{Venv, RUNTIME};

pub(crate) fn run() -> Result {
    let wheel = build()?;
    println!("xtask: built {}", wheel.display());
    smoke(&wheel)
}

fn build() -> Result<PathBuf> {
    let venv = Venv::new(".venv");
    venv.ensure(&[RUNTIME])?;
    let out = root().join("target").join("wheels");
    let _ = std::fs::remove_dir_all(&out);
    let mut build = cmd(
        venv.bin("maturin"),
        &["build", "--release", "--features", "extension-module,abi3", "-o"],
    );
    build.arg(&out).arg("--interpreter").arg(venv.bin("python"));
    sh::run(&mut build)?;
    let wheel = std::fs::read_dir(&out)
        .map_err(|e| format!("no wheel in {}: {e}", out.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or_else(|| format!("maturin left no wheel in {}", out.display()))?;
    let name = wheel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !name.contains("abi3") {
        return Err(format!("{name} is not an abi3 wheel"));
    }
    Ok(wheel)
}

/// Fresh venv, `pip install` the wheel, run the quickstart and the CLI outside the source tree.
fn smoke(wheel: &Path) -> Result {
    let dir = root().join("target").join("wheel-smoke");
    let _ = std::fs::remove_dir_all(&dir);
    let work = dir.join("work");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let venv = dir.join("venv");
    sh::run(cmd("python3", &["-m", "venv"]).arg(&venv))?;
    let bin = |program: &str| venv.join("bin").join(program);
    let mut pip = cmd(
        bin("python"),
        &["-m", "pip", "install", "-q", "--disable-pip-version-check"],
    );
    sh::run(pip.arg(wheel))?;
    let installed = "import oxyde, oxyde._core, pathlib; \
        p = pathlib.Path(oxyde.__file__); assert 'site-packages' in p.parts, p; \
        assert (p.parent / 'py.typed').is_file(), 'py.typed missing'; print('oxyde', oxyde.__version__, 'from', p.parent)";
    sh::run(cmd(bin("python"), &["-c", installed]).current_dir(&work))?;
    let quickstart = root().join("examples").join("quickstart.py");
    sh::run(cmd(bin("python"), &[]).arg(quickstart).current_dir(&work))?;
    sh::run(cmd(bin("oxyde"), &["--help"]).current_dir(&work))?;
    println!("xtask: the wheel installs into a fresh venv and runs the quickstart");
    Ok(())
}
