//! `cargo xtask test`: Rust tests, the no-driver build and doc tests, then pytest with a per-dialect summary.
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::docs;
use crate::junit;
use crate::sh::{self, cmd, root, Result};
use crate::venv::{Venv, DEV, RUNTIME};

/// The servers the suites need: env var and the default URL (as the tests read them).
const SERVERS: &[(&str, &str)] = &[
    ("OXYDE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"),
    ("OXYDE_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test"),
];

pub(crate) fn run(args: &[String]) -> Result {
    // OXYDE_TEST_SLOW=1 does what --slow does, so CI runs the README's command as written.
    let slow_env = std::env::var("OXYDE_TEST_SLOW").is_ok_and(|v| v == "1");
    let slow = match args {
        [] => slow_env,
        [flag] if flag == "--slow" => true,
        _ => return Err(format!("unknown arguments {args:?}; `cargo xtask test [--slow]`")),
    };
    check_servers()?;
    let mut failures = Vec::new();
    // The issue asks CI to build the SQL-only combination: no sqlx, no tokio.
    collect(
        &mut failures,
        sh::run(&mut cmd(
            "cargo",
            &[
                "build",
                "-p",
                "oxyde-sql",
                "-p",
                "oxyde-postgres",
                "--no-default-features",
            ],
        )),
    );
    collect(&mut failures, rust_tests());
    collect(&mut failures, docs::sql_only_doc_tests());
    let venv = Venv::new(".venv");
    venv.ensure(&[RUNTIME, DEV])?;
    venv.install_package(false)?;
    collect(&mut failures, python_tests(&venv, slow));
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("failed steps:\n  {}", failures.join("\n  ")))
    }
}

fn collect(failures: &mut Vec<String>, step: Result) {
    if let Err(e) = step {
        eprintln!("xtask: {e}");
        failures.push(e);
    }
}

fn rust_tests() -> Result {
    if sh::has("cargo-nextest") {
        sh::run(&mut cmd("cargo", &["nextest", "run", "--workspace", "--no-fail-fast"]))?;
        // nextest does not run doc tests.
        sh::run(&mut cmd("cargo", &["test", "--workspace", "--doc"]))
    } else {
        sh::run(&mut cmd("cargo", &["test", "--workspace", "--no-fail-fast"]))
    }
}

fn python_tests(venv: &Venv, slow: bool) -> Result {
    let xml = root().join("target").join("pytest-junit.xml");
    let _ = std::fs::remove_file(&xml);
    let mut pytest = venv.python();
    pytest.args(["-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider", "tests"]);
    if root().join("oxyde-py/tests").is_dir() {
        pytest.arg("oxyde-py/tests");
    }
    // The FastAPI example's HTTP tests (SQLite); the docs examples and mkdocs run from tests/test_docs.py.
    pytest.arg("examples/fastapi/tests");
    if slow {
        pytest.arg("--slow");
    }
    pytest.arg(format!("--junitxml={}", xml.display()));
    let status = sh::run(&mut pytest);
    let text =
        std::fs::read_to_string(&xml).map_err(|e| format!("pytest wrote no report at {}: {e}", xml.display()))?;
    let (per, total) = junit::summarize(&text);
    println!("\n{}", junit::table(&per));
    println!(
        "{} passed, {} failed, {} skipped",
        total.passed, total.failed, total.skipped
    );
    status
}

/// Fails early, naming the variable to set, when a server does not accept connections.
fn check_servers() -> Result {
    let mut down = Vec::new();
    for (var, default) in SERVERS {
        let url = std::env::var(var).unwrap_or_else(|_| (*default).to_owned());
        let Some(addr) = host_port(&url) else {
            down.push(format!("{var}={url}: cannot find host:port in the URL"));
            continue;
        };
        let reachable = addr
            .to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .is_some_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(3)).is_ok());
        if !reachable {
            down.push(format!("{var}={url}: nothing accepts connections at {addr}"));
        }
    }
    if down.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "database servers unreachable (start them, e.g. with .ci/run, or point the variables elsewhere):\n  {}",
            down.join("\n  ")
        ))
    }
}

/// `scheme://user:pw@host:port/db?x` -> `host:port` (the scheme's default port when absent).
fn host_port(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host.is_empty() {
        return None;
    }
    // A bracketed IPv6 host has colons of its own.
    let has_port = host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty());
    if has_port {
        return Some(host.to_owned());
    }
    let port = if scheme.starts_with("mysql") || scheme.starts_with("mariadb") {
        3306
    } else {
        5432
    };
    Some(format!("{host}:{port}"))
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn host_port_reads_urls_the_tests_use() {
        assert_eq!(
            host_port("postgres://postgres@127.0.0.1:5432/test").as_deref(),
            Some("127.0.0.1:5432")
        );
        assert_eq!(host_port("mysql://root:pw@db/test").as_deref(), Some("db:3306"));
        assert_eq!(host_port("postgresql://u@[::1]:6543/x").as_deref(), Some("[::1]:6543"));
        assert_eq!(host_port("nonsense"), None);
    }
}
