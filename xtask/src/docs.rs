//! Checks behind `cargo xtask lint` that keep the crates publishable: rustdoc
//! without warnings, and a `cargo package --list` per publishable crate.
use crate::sh::{self, cmd, Result};

/// The crates meant for crates.io, as `-p` names; every other workspace member
/// says `publish = false` (a unit test below holds the two together).
pub(crate) const PUBLISHABLE: &[&str] = &[
    "oxyde-ir",
    "oxyde-sql",
    "oxyde-exec",
    "oxyde-postgres",
    "oxyde-sqlite",
    "oxyde-mysql",
];

/// Files every published crate must carry besides its sources.
const REQUIRED_FILES: &[&str] = &["README.md", "LICENSE-MIT", "LICENSE-APACHE"];

/// `cargo xtask docs`: both checks, each reported.
pub(crate) fn run() -> Result {
    let failed: Vec<String> = [rustdoc(), package_lists()]
        .into_iter()
        .filter_map(std::result::Result::err)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

/// `cargo doc --workspace --no-deps` with warnings (e.g. broken intra-doc
/// links) as errors.
pub(crate) fn rustdoc() -> Result {
    let mut c = cmd("cargo", &["doc", "--workspace", "--no-deps"]);
    c.env("RUSTDOCFLAGS", "-D warnings");
    sh::run(&mut c)
}

/// The dialect crates' doc tests without their drivers, as a SQL-only user
/// builds them: the workspace run has `driver` on through other members.
pub(crate) fn sql_only_doc_tests() -> Result {
    sh::run(&mut cmd(
        "cargo",
        &[
            "test",
            "--doc",
            "--no-default-features",
            "-p",
            "oxyde-postgres",
            "-p",
            "oxyde-sqlite",
            "-p",
            "oxyde-mysql",
        ],
    ))
}

/// `cargo package --list` for each publishable crate: it fails on a path
/// dependency without a version, and warns on missing metadata, which counts
/// as a failure here; the list must hold the README and both licenses.
pub(crate) fn package_lists() -> Result {
    let mut failed = Vec::new();
    for name in PUBLISHABLE {
        if let Err(e) = package_list(name) {
            failed.push(e);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

fn package_list(name: &str) -> Result {
    let mut c = cmd("cargo", &["package", "--list", "--allow-dirty", "-p", name]);
    eprintln!("$ cargo package --list --allow-dirty -p {name}");
    let out = c
        .output()
        .map_err(|e| format!("cannot run cargo package for {name}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("`cargo package --list -p {name}` failed:\n{stderr}"));
    }
    if stderr.contains("warning:") {
        return Err(format!("`cargo package --list -p {name}` warns:\n{stderr}"));
    }
    let missing: Vec<&str> = REQUIRED_FILES
        .iter()
        .copied()
        .filter(|f| !stdout.lines().any(|l| l == *f))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("the {name} package lacks {}", missing.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::PUBLISHABLE;
    use crate::sh::root;

    /// Workspace members as directories, read from the root manifest's `members`.
    fn members() -> Vec<String> {
        let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap_or_default();
        let Some(start) = manifest.find("members = [") else {
            return Vec::new();
        };
        let list = &manifest[start..];
        let list = &list[..list.find(']').unwrap_or(list.len())];
        list.split('"').skip(1).step_by(2).map(str::to_owned).collect()
    }

    /// A new crate has to choose: listed here (and packaged by the lint) or
    /// `publish = false`.
    #[test]
    fn every_member_is_publishable_or_says_publish_false() {
        let members = members();
        assert!(members.len() >= PUBLISHABLE.len(), "cannot read workspace members");
        for dir in members {
            let manifest = std::fs::read_to_string(root().join(&dir).join("Cargo.toml")).unwrap();
            let name = manifest
                .lines()
                .find_map(|l| l.strip_prefix("name = \""))
                .and_then(|l| l.strip_suffix('"'))
                .unwrap();
            let private = manifest.lines().any(|l| l.starts_with("publish = false"));
            assert_ne!(
                PUBLISHABLE.contains(&name),
                private,
                "{dir}: list it in PUBLISHABLE or mark it publish = false"
            );
        }
    }
}
