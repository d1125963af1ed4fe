//! Running commands from the repository root, echoing each one first.
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (xtask sits one level below it).
pub(crate) fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// A command in the repository root.
pub(crate) fn cmd(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root());
    c
}

/// Runs `c`, failing with its command line when it does not succeed.
pub(crate) fn run(c: &mut Command) -> Result {
    let line = describe(c);
    eprintln!("$ {line}");
    let status = c.status().map_err(|e| format!("cannot run `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Whether `program --version` runs.
pub(crate) fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn describe(c: &Command) -> String {
    let mut parts = vec![c.get_program().to_string_lossy().into_owned()];
    parts.extend(c.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
